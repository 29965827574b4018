"""Taking a register: open it, mark a pupil, mark the rest present, set the lesson's status.

Every function is one unit of work; each mark is committed (and fsynced) before it returns, so a
laptop that dies a second later keeps it.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data.clock import utcnow
from hms_desktop.data.engine import Database
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
from hms_desktop.domain.errors import CommentRequired, InvalidMark, NotFound, PupilNotInGroup
from hms_desktop.domain.errors import UnknownCode as UnknownCodeError
from hms_desktop.domain.ids import lesson_id, mark_id
from hms_desktop.domain.names import clean_text, display_name, sort_key
from hms_desktop.domain.types import STATUS_CODE, GroupKind, LessonStatus

from .profile import TUTOR_ID, get_setting
from .schedule import enrolled_on
from .views import CodeInfo, Register, RegisterRow

COMMENT_LIMIT = 500
NOTE_LIMIT = 4000


def _group(session: Session, group_id: str) -> TeachingGroup:
    group = session.get(TeachingGroup, group_id)
    if group is None:
        raise NotFound(
            "That group is no longer on this laptop. Sync to bring the timetable up to date."
        )
    return group


def _codes(session: Session) -> list[AttendanceCode]:
    return list(
        session.scalars(
            select(AttendanceCode)
            .where(AttendanceCode.active, AttendanceCode.tuition)
            .order_by(AttendanceCode.sort_order)
        )
    )


def _eligible_pupils(session: Session, group_id: str, day: date) -> dict[str, tuple]:
    rows = session.execute(
        select(Pupil, Enrolment.start_date, Instrument.name)
        .join(Enrolment, Enrolment.pupil_id == Pupil.id)
        .outerjoin(Instrument, Instrument.id == Enrolment.instrument_id)
        .where(Enrolment.group_id == group_id, enrolled_on(day))
    ).all()
    return {pupil.id: (pupil, start, instrument) for pupil, start, instrument in rows}


def _needs_care(pupil: Pupil) -> str:
    flags = []
    if pupil.ehcp:
        flags.append("EHCP")
    elif pupil.sen_support:
        flags.append("SEN")
    if pupil.medical_note:
        flags.append("Medical")
    return ", ".join(flags)


def _comment(text: str, code: AttendanceCode) -> str:
    comment = clean_text(text or "", COMMENT_LIMIT)
    if len(comment) > COMMENT_LIMIT:
        raise InvalidMark(f"The comment is too long: keep it under {COMMENT_LIMIT} characters.")
    if code.comment_required and not comment:
        raise CommentRequired(
            f"{code.code} ({code.meaning}) needs a comment saying why. The mark was not saved."
        )
    return comment


def _code(session: Session, typed: str) -> AttendanceCode:
    code = session.get(AttendanceCode, (typed or "").strip().upper())
    if code is None or not code.active or not code.tuition:
        known = ", ".join(c.code for c in _codes(session))
        raise UnknownCodeError(
            f"'{(typed or '').strip()[:10]}' is not an attendance code. Use one of: {known}."
        )
    return code


def _ensure_lesson(session: Session, group: TeachingGroup, day: date, me: str | None) -> Lesson:
    lid = lesson_id(group.id, day)
    lesson = session.get(Lesson, lid)
    if lesson is None:
        lesson = Lesson(
            id=lid,
            group_id=group.id,
            date=day,
            start_time=group.start_time,
            delivered_by_id=me,
            status=LessonStatus.SCHEDULED.value,
            note="",
        )
        session.add(lesson)
    elif lesson.delivered_by_id is None:
        lesson.delivered_by_id = me
    return lesson


def _write_mark(
    session: Session, lesson: Lesson, pupil_id: str, code: str, comment: str, me: str | None
) -> AttendanceMark:
    mark = session.get(AttendanceMark, mark_id(lesson.id, pupil_id))
    if mark is None:
        mark = AttendanceMark(
            id=mark_id(lesson.id, pupil_id),
            lesson_id=lesson.id,
            pupil_id=pupil_id,
            code=code,
            comment=comment,
            marked_at=utcnow(),
            marked_by_id=me,
        )
        session.add(mark)
    elif (mark.code, mark.comment, mark.deleted_at) != (code, comment, None):
        mark.code, mark.comment, mark.deleted_at = code, comment, None
        mark.marked_at, mark.marked_by_id = utcnow(), me
    return mark


def _row(
    pupil: Pupil, joined: date, instrument: str | None, mark: AttendanceMark | None
) -> RegisterRow:
    live = mark if mark is not None and mark.deleted_at is None else None
    return RegisterRow(
        pupil_id=pupil.id,
        name=display_name(
            pupil.given_name, pupil.family_name, pupil.preferred_name, pupil.family_name_first
        ),
        year_group=pupil.year_group,
        instrument=instrument or "",
        code=live.code if live else None,
        comment=live.comment if live else "",
        marked_at=live.marked_at if live else None,
        joined_on=joined,
        needs_care=_needs_care(pupil),
    )


def _register(session: Session, group_id: str, day: date) -> Register:
    group = _group(session, group_id)
    school = session.get(School, group.school_id)
    tutor = session.get(Tutor, group.tutor_id)
    instrument = session.get(Instrument, group.instrument_id) if group.instrument_id else None
    lid = lesson_id(group.id, day)
    lesson = session.get(Lesson, lid)
    marks = {
        m.pupil_id: m
        for m in session.scalars(select(AttendanceMark).where(AttendanceMark.lesson_id == lid))
    }
    pupils = _eligible_pupils(session, group.id, day)
    rows = sorted(
        (_row(p, start, inst, marks.get(pid)) for pid, (p, start, inst) in pupils.items()),
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
            for c in _codes(session)
        ),
    )


def open_register(db: Database, group_id: str, day: date) -> Register:
    with db.reading() as session:
        return _register(session, group_id, day)


def mark_attendance(
    db: Database, group_id: str, day: date, pupil_id: str, code: str, comment: str = ""
) -> RegisterRow:
    """Save one pupil's mark now. Raises an ``InvalidMark`` (nothing saved) for bad input."""
    with db.transaction() as session:
        group = _group(session, group_id)
        attendance_code = _code(session, code)
        text = _comment(comment, attendance_code)
        eligible = _eligible_pupils(session, group.id, day)
        if pupil_id not in eligible:
            raise PupilNotInGroup(
                "That pupil is not in this group's register on this day, so no mark was saved."
            )
        me = get_setting(session, TUTOR_ID)
        lesson = _ensure_lesson(session, group, day, me)
        if lesson.status == LessonStatus.SCHEDULED.value:
            lesson.status = LessonStatus.DELIVERED.value
        mark = _write_mark(session, lesson, pupil_id, attendance_code.code, text, me)
        pupil, joined, instrument = eligible[pupil_id]
        return _row(pupil, joined, instrument, mark)


def mark_unmarked_present(db: Database, group_id: str, day: date) -> Register:
    """'All present': every pupil not yet marked becomes P; marks already made stay."""
    return set_lesson_status(db, group_id, day, LessonStatus.DELIVERED)


def set_lesson_status(
    db: Database, group_id: str, day: date, status: LessonStatus | str, comment: str = ""
) -> Register:
    """Set the whole lesson's status and every pupil's code with it, in one transaction.

    Delivered keeps the marks already made and marks the rest present; tutor absent and school
    closed replace every mark, since nobody was taught.
    """
    status = LessonStatus(status)
    with db.transaction() as session:
        group = _group(session, group_id)
        me = get_setting(session, TUTOR_ID)
        lesson = _ensure_lesson(session, group, day, me)
        lesson.status = status.value
        if status in STATUS_CODE:
            code = _code(session, STATUS_CODE[status])
            text = _comment(comment, code)
            existing = {
                m.pupil_id: m
                for m in session.scalars(
                    select(AttendanceMark).where(AttendanceMark.lesson_id == lesson.id)
                )
            }
            for pupil_id in _eligible_pupils(session, group.id, day):
                live = existing.get(pupil_id)
                if (
                    status is LessonStatus.DELIVERED
                    and live is not None
                    and live.deleted_at is None
                ):
                    continue
                _write_mark(session, lesson, pupil_id, code.code, text, me)
        session.flush()
        return _register(session, group_id, day)


def save_lesson_note(db: Database, group_id: str, day: date, note: str) -> str:
    text = clean_text(note or "", NOTE_LIMIT)
    if len(text) > NOTE_LIMIT:
        raise InvalidMark(f"The lesson note is too long: keep it under {NOTE_LIMIT} characters.")
    with db.transaction() as session:
        group = _group(session, group_id)
        lid = lesson_id(group.id, day)
        lesson = session.get(Lesson, lid)
        if lesson is None and not text:
            return text
        lesson = lesson or _ensure_lesson(session, group, day, get_setting(session, TUTOR_ID))
        if lesson.note != text:
            lesson.note = text
    return text
