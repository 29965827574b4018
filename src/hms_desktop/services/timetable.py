"""The tutor's day: lessons grouped by school in time order, and finding a group to cover."""

from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select

from hms_desktop.data.engine import Database
from hms_desktop.data.models import (
    AttendanceMark,
    Enrolment,
    Instrument,
    Lesson,
    Pupil,
    School,
    TeachingGroup,
    Tutor,
)
from hms_desktop.domain.ids import lesson_id
from hms_desktop.domain.types import GroupKind, LessonStatus

from .profile import TUTOR_ID, get_setting
from .schedule import closed_schools, enrolled_on
from .views import GroupSummary, TimetableEntry


def lessons_on(db: Database, day: date) -> list[TimetableEntry]:
    """Every lesson the tutor teaches or covers on ``day``, schools in order of first lesson."""
    with db.reading() as session:
        me = get_setting(session, TUTOR_ID)
        borough_closed, closed = closed_schools(session, day)
        covered = select(Lesson.group_id).where(
            Lesson.date == day, Lesson.delivered_by_id == me, Lesson.deleted_at.is_(None)
        )
        rows = session.execute(
            select(TeachingGroup, School.name, Instrument.name, Tutor.name)
            .join(School, School.id == TeachingGroup.school_id)
            .join(Tutor, Tutor.id == TeachingGroup.tutor_id)
            .outerjoin(Instrument, Instrument.id == TeachingGroup.instrument_id)
            .where(
                or_(
                    (TeachingGroup.tutor_id == me)
                    & (TeachingGroup.weekday == day.weekday())
                    & (TeachingGroup.term_start <= day)
                    & (TeachingGroup.term_end >= day),
                    TeachingGroup.id.in_(covered),
                )
            )
        ).all()
        # A holiday removes the tutor's own lessons; a cover lesson already taken stays.
        rows = [
            r
            for r in rows
            if r[0].tutor_id != me or not (borough_closed or r[0].school_id in closed)
        ]
        group_ids = [r[0].id for r in rows]
        lesson_ids = {gid: lesson_id(gid, day) for gid in group_ids}
        enrolled = dict(
            session.execute(
                select(Enrolment.group_id, func.count())
                .join(Pupil, Pupil.id == Enrolment.pupil_id)
                .where(Enrolment.group_id.in_(group_ids), enrolled_on(day))
                .group_by(Enrolment.group_id)
            ).all()
        )
        marked = dict(
            session.execute(
                select(AttendanceMark.lesson_id, func.count())
                .where(
                    AttendanceMark.lesson_id.in_(lesson_ids.values()),
                    AttendanceMark.deleted_at.is_(None),
                )
                .group_by(AttendanceMark.lesson_id)
            ).all()
        )
        statuses = dict(
            session.execute(
                select(Lesson.id, Lesson.status).where(Lesson.id.in_(lesson_ids.values()))
            ).all()
        )
    entries = []
    for group, school_name, instrument, tutor_name in rows:
        lid = lesson_ids[group.id]
        status = statuses.get(lid, LessonStatus.SCHEDULED.value)
        start = datetime.combine(day, group.start_time)
        entries.append(
            TimetableEntry(
                group_id=group.id,
                lesson_id=lid,
                day=day,
                start_time=group.start_time,
                end_time=(start + timedelta(minutes=group.length_minutes)).time(),
                school_id=group.school_id,
                school_name=school_name,
                group_name=group.name,
                kind_label=GroupKind(group.kind).label,
                instrument=instrument or "",
                tutor_name=tutor_name,
                pupils=enrolled.get(group.id, 0),
                marked=marked.get(lid, 0),
                status=status,
                status_label=LessonStatus(status).label,
                is_cover=group.tutor_id != me,
            )
        )
    first_at: dict[str, tuple] = {}
    for e in entries:
        first_at[e.school_id] = min(first_at.get(e.school_id, (e.start_time,)), (e.start_time,))
    entries.sort(key=lambda e: (first_at[e.school_id], e.school_name, e.start_time, e.group_name))
    return entries


def find_groups(db: Database, text: str, limit: int = 50) -> list[GroupSummary]:
    """Groups whose name, school, tutor or instrument matches ``text`` (for taking cover)."""
    words = [w for w in text.split() if w][:5]
    with db.reading() as session:
        query = (
            select(TeachingGroup, School.name, Tutor.name, Instrument.name)
            .join(School, School.id == TeachingGroup.school_id)
            .join(Tutor, Tutor.id == TeachingGroup.tutor_id)
            .outerjoin(Instrument, Instrument.id == TeachingGroup.instrument_id)
        )
        for word in words:
            pattern = f"%{word.replace('%', '').replace('_', '')}%"
            query = query.where(
                or_(
                    TeachingGroup.name.ilike(pattern),
                    School.name.ilike(pattern),
                    Tutor.name.ilike(pattern),
                    Instrument.name.ilike(pattern),
                )
            )
        rows = session.execute(
            query.order_by(School.name, TeachingGroup.weekday, TeachingGroup.start_time).limit(
                limit
            )
        ).all()
    return [
        GroupSummary(
            group_id=g.id,
            group_name=g.name,
            school_name=school,
            tutor_name=tutor,
            weekday=g.weekday,
            start_time=g.start_time,
            instrument=instrument or "",
        )
        for g, school, tutor, instrument in rows
    ]
