"""Registers not yet taken: the tutor's lessons on past days of this term, and rehearsals of the
ensembles they lead this season, with no complete register. An untaken register is an unpaid
lesson and an unbilled family."""

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select

from hms_desktop.data import clock
from hms_desktop.data.engine import Database
from hms_desktop.data.models import (
    AttendanceMark,
    Enrolment,
    Holiday,
    Lesson,
    Pupil,
    School,
    TeachingGroup,
)
from hms_desktop.domain.ids import lesson_id
from hms_desktop.domain.types import LessonStatus

from ..ensembles import untaken_rehearsals_in
from ..profile import TUTOR_ID, get_setting
from ..views import UntakenRegister


def _enrolled(rows, day: date) -> int:
    return sum(
        1
        for start, end, status, withdrawn in rows
        if start <= day
        and (end is None or end >= day)
        and (status == "active" or (withdrawn is not None and withdrawn > day))
    )


def untaken_registers(db: Database, today: date | None = None) -> list[UntakenRegister]:
    """Past lessons of the tutor's groups this term and past rehearsals of their ensembles this
    season, oldest first, whose register is not complete (not taken at all, or some pupils not
    marked)."""
    today = today or clock.today()
    with db.reading() as session:
        me = get_setting(session, TUTOR_ID)
        groups = session.execute(
            select(TeachingGroup, School.name)
            .join(School, School.id == TeachingGroup.school_id)
            .where(
                TeachingGroup.tutor_id == me,
                TeachingGroup.term_start < today,
                TeachingGroup.term_end >= today - timedelta(days=183),
            )
        ).all()
        holidays = session.execute(
            select(Holiday.first_day, Holiday.last_day, Holiday.school_id)
        ).all()
        enrolments = defaultdict(list)
        for group_id, *row in session.execute(
            select(
                Enrolment.group_id,
                Enrolment.start_date,
                Enrolment.end_date,
                Pupil.status,
                Pupil.withdrawn_on,
            )
            .join(Pupil, Pupil.id == Enrolment.pupil_id)
            .where(Enrolment.group_id.in_([g.id for g, _ in groups]))
        ):
            enrolments[group_id].append(tuple(row))
        wanted: dict[str, tuple[TeachingGroup, str, date]] = {}
        for group, school in groups:
            day = group.term_start + timedelta(
                days=(group.weekday - group.term_start.weekday()) % 7
            )
            while day < today and day <= group.term_end:
                closed = any(
                    first <= day <= last and school_id in (None, group.school_id)
                    for first, last, school_id in holidays
                )
                if not closed:
                    wanted[lesson_id(group.id, day)] = (group, school, day)
                day += timedelta(days=7)
        statuses = dict(
            session.execute(select(Lesson.id, Lesson.status).where(Lesson.id.in_(wanted))).all()
        )
        marked = dict(
            session.execute(
                select(AttendanceMark.lesson_id, func.count())
                .where(AttendanceMark.lesson_id.in_(wanted), AttendanceMark.deleted_at.is_(None))
                .group_by(AttendanceMark.lesson_id)
            ).all()
        )
        rehearsals = untaken_rehearsals_in(session, me, today)
    found = []
    for lid, (group, school, day) in wanted.items():
        status = statuses.get(lid, LessonStatus.SCHEDULED.value)
        pupils = _enrolled(enrolments[group.id], day)
        done = marked.get(lid, 0)
        if pupils == 0 or (status != LessonStatus.SCHEDULED.value and done >= pupils):
            continue
        found.append(
            UntakenRegister(
                group_id=group.id,
                day=day,
                start_time=group.start_time,
                group_name=group.name,
                school_name=school,
                pupils=pupils,
                marked=done,
            )
        )
    found += rehearsals
    found.sort(key=lambda u: (u.day, u.start_time, u.group_name))
    return found
