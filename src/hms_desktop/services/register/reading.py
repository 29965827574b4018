"""Reading a lesson's register: who is in it on the day, their marks, and what the tutor must
know about each pupil (told apart when two share a name; care details on demand)."""

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data import clock
from hms_desktop.data.models import (
    AttendanceCode,
    AttendanceMark,
    Enrolment,
    Instrument,
    Lesson,
    Pupil,
    School,
    TeachingGroup,
    Tutor,
)
from hms_desktop.domain.errors import NotFound
from hms_desktop.domain.ids import lesson_id
from hms_desktop.domain.names import display_name, sort_key
from hms_desktop.domain.types import GroupKind, LessonStatus

from ..profile import TUTOR_ID, get_setting
from ..schedule import enrolled_on
from ..views import CodeInfo, Register, RegisterRow


def group_or_explain(session: Session, group_id: str) -> TeachingGroup:
    group = session.get(TeachingGroup, group_id)
    if group is None:
        raise NotFound(
            "That group is no longer on this laptop. Sync to bring the timetable up to date."
        )
    return group


def tuition_codes(session: Session) -> list[AttendanceCode]:
    return list(
        session.scalars(
            select(AttendanceCode)
            .where(AttendanceCode.active, AttendanceCode.tuition)
            .order_by(AttendanceCode.sort_order)
        )
    )


def eligible_pupils(session: Session, group_id: str, day: date) -> dict[str, tuple]:
    rows = session.execute(
        select(Pupil, Enrolment.start_date, Instrument.name)
        .join(Enrolment, Enrolment.pupil_id == Pupil.id)
        .outerjoin(Instrument, Instrument.id == Enrolment.instrument_id)
        .where(Enrolment.group_id == group_id, enrolled_on(day))
    ).all()
    return {pupil.id: (pupil, start, instrument) for pupil, start, instrument in rows}


def needs_care(pupil: Pupil) -> tuple[str, str]:
    """(short flag for the column, the detail a tutor reads on demand)."""
    flags, details = [], []
    if pupil.ehcp:
        flags.append("EHCP")
        details.append("Has an education, health and care plan (EHCP).")
    elif pupil.sen_support:
        flags.append("SEN")
        details.append("Receives SEN support at school.")
    if pupil.medical_note:
        flags.append("Medical")
        details.append(f"Medical: {pupil.medical_note}")
    return ", ".join(flags), "\n".join(details)


def _name(pupil: Pupil) -> str:
    return display_name(
        pupil.given_name, pupil.family_name, pupil.preferred_name, pupil.family_name_first
    )


def _row(
    pupil: Pupil, joined: date, instrument: str | None, mark: AttendanceMark | None, name: str
) -> RegisterRow:
    live = mark if mark is not None and mark.deleted_at is None else None
    flag, detail = needs_care(pupil)
    return RegisterRow(
        pupil_id=pupil.id,
        name=name,
        year_group=pupil.year_group,
        instrument=instrument or "",
        code=live.code if live else None,
        comment=live.comment if live else "",
        marked_at=live.marked_at if live else None,
        joined_on=joined,
        needs_care=flag,
        care_detail=detail,
    )


def _told_apart(pupils: dict[str, tuple]) -> dict[str, str]:
    """Each pupil's name as the register shows it: two pupils who share a name get what tells
    them apart (year, instrument, the day they joined), never a changed name."""
    names = {pid: _name(p) for pid, (p, _start, _inst) in pupils.items()}
    shared = {n for n, k in Counter(sort_key(n) for n in names.values()).items() if k > 1}
    shown = dict(names)
    for pid, name in names.items():
        if sort_key(name) not in shared:
            continue
        twins = [q for q, n in names.items() if sort_key(n) == sort_key(name)]
        pupil, start, instrument = pupils[pid]
        for part in (
            lambda p, s, i: f"Year {p.year_group}" if p.year_group is not None else "",
            lambda p, s, i: i or "",
            lambda p, s, i: f"joined {s:%-d %b %Y}",
        ):
            mine = part(pupil, start, instrument)
            others = {part(*pupils[q]) for q in twins if q != pid}
            if mine and mine not in others:
                shown[pid] = f"{name} ({mine})"
                break
        else:
            shown[pid] = f"{name} (ref. {pid[:6]})"
    return shown


def register_of(session: Session, group_id: str, day: date) -> Register:
    group = group_or_explain(session, group_id)
    school = session.get(School, group.school_id)
    tutor = session.get(Tutor, group.tutor_id)
    instrument = session.get(Instrument, group.instrument_id) if group.instrument_id else None
    lid = lesson_id(group.id, day)
    lesson = session.get(Lesson, lid)
    marks = {
        m.pupil_id: m
        for m in session.scalars(select(AttendanceMark).where(AttendanceMark.lesson_id == lid))
    }
    pupils = eligible_pupils(session, group.id, day)
    names = _told_apart(pupils)
    rows = sorted(
        (
            _row(p, start, inst, marks.get(pid), names[pid])
            for pid, (p, start, inst) in pupils.items()
        ),
        key=lambda r: sort_key(r.name),
    )
    delivered_by = (
        session.get(Tutor, lesson.delivered_by_id) if (lesson and lesson.delivered_by_id) else None
    )
    status = lesson.status if lesson else LessonStatus.SCHEDULED.value
    return Register(
        lesson_id=lid,
        group_id=group.id,
        group_name=group.name,
        school_name=school.name if school else "",
        day=day,
        start_time=group.start_time,
        length_minutes=group.length_minutes,
        kind_label=GroupKind(group.kind).label,
        instrument=instrument.name if instrument else "",
        tutor_name=tutor.name if tutor else "",
        delivered_by=delivered_by.name if delivered_by else None,
        status=status,
        status_label=LessonStatus(status).label,
        note=lesson.note if lesson else "",
        rows=tuple(rows),
        codes=tuple(
            CodeInfo(c.code, c.meaning, c.comment_required, c.tutor_paid, c.billable, c.makeup_owed)
            for c in tuition_codes(session)
        ),
        in_future=day > clock.today(),
        is_cover=group.tutor_id != get_setting(session, TUTOR_ID),
    )


def row_of(session: Session, group_id: str, day: date, pupil_id: str) -> RegisterRow:
    register = register_of(session, group_id, day)
    return register.row(pupil_id)
