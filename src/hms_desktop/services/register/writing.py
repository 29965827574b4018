"""Writing a register: one pupil's mark, a cleared mark, a whole-lesson status, putting back
what an undo restores, and the lesson note. Each function is one unit of work; each mark is
committed (and fsynced) before it returns, so a laptop that dies a second later keeps it."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data import clock
from hms_desktop.data.clock import utcnow
from hms_desktop.data.engine import Database
from hms_desktop.data.models import AttendanceCode, AttendanceMark, Lesson, TeachingGroup
from hms_desktop.domain.errors import (
    CommentRequired,
    FutureLesson,
    InvalidMark,
    MarksWouldBeReplaced,
    PupilNotInGroup,
)
from hms_desktop.domain.errors import UnknownCode as UnknownCodeError
from hms_desktop.domain.ids import lesson_id, mark_id
from hms_desktop.domain.names import clean_text
from hms_desktop.domain.types import STATUS_CODE, LessonStatus

from ..profile import TUTOR_ID, get_setting
from ..views import LessonSnapshot, MarkChange, MarkState, Register, StatusChange
from .reading import eligible_pupils, group_or_explain, register_of, row_of, tuition_codes

COMMENT_LIMIT = 500
NOTE_LIMIT = 4000
# Cancellations a tutor knows about ahead ("school closed next Tuesday") may be entered early.
CANCELLED_AHEAD = (LessonStatus.SCHOOL_CLOSED, LessonStatus.TUTOR_ABSENT)
CANCELLED = (LessonStatus.TUTOR_ABSENT, LessonStatus.SCHOOL_CLOSED, LessonStatus.TURNED_AWAY)


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
        known = ", ".join(c.code for c in tuition_codes(session))
        raise UnknownCodeError(
            f"'{(typed or '').strip()[:10]}' is not an attendance code. Use one of: {known}."
        )
    return code


def _not_ahead(day: date) -> None:
    if day > clock.today():
        raise FutureLesson(
            f"The lesson on {day:%A %-d %B} has not happened yet, so it cannot be marked. "
            "A cancellation known ahead (school closed, tutor absent) can be entered now."
        )


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


def _marks(session: Session, lesson_id_: str) -> dict[str, AttendanceMark]:
    return {
        m.pupil_id: m
        for m in session.scalars(
            select(AttendanceMark).where(AttendanceMark.lesson_id == lesson_id_)
        )
    }


def _state(pupil_id: str, mark: AttendanceMark | None) -> MarkState:
    if mark is None or mark.deleted_at is not None:
        return MarkState(pupil_id, None, "")
    return MarkState(pupil_id, mark.code, mark.comment)


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


def _clear(session: Session, lesson_id_: str, pupil_id: str, me: str | None) -> None:
    """A cleared mark is a tombstone that syncs (central learns the mark was taken back)."""
    mark = session.get(AttendanceMark, mark_id(lesson_id_, pupil_id))
    if mark is not None and mark.deleted_at is None:
        mark.deleted_at = utcnow()
        mark.marked_at, mark.marked_by_id = utcnow(), me


def _settle_status(lesson: Lesson, marks: dict[str, AttendanceMark]) -> None:
    """A lesson with a mark has been taken; one whose marks are all gone is not yet taken."""
    live = [m for m in marks.values() if m.deleted_at is None]
    if lesson.status == LessonStatus.SCHEDULED.value and live:
        lesson.status = LessonStatus.DELIVERED.value
    elif lesson.status == LessonStatus.DELIVERED.value and not live:
        lesson.status = LessonStatus.SCHEDULED.value


def record_mark(
    db: Database,
    group_id: str,
    day: date,
    pupil_id: str,
    code: str,
    comment: str | None = None,
) -> MarkChange:
    """Save one pupil's mark now. ``comment`` None keeps the comment already on the mark (a
    changed code never silently drops it). Raises an ``InvalidMark`` (nothing saved)."""
    with db.transaction() as session:
        group = group_or_explain(session, group_id)
        attendance_code = _code(session, code)
        eligible = eligible_pupils(session, group.id, day)
        if pupil_id not in eligible:
            raise PupilNotInGroup(
                "That pupil is not in this group's register on this day, so no mark was saved."
            )
        _not_ahead(day)
        existing = session.get(AttendanceMark, mark_id(lesson_id(group.id, day), pupil_id))
        before = _state(pupil_id, existing)
        text = _comment(before.comment if comment is None else comment, attendance_code)
        me = get_setting(session, TUTOR_ID)
        lesson = _ensure_lesson(session, group, day, me)
        if lesson.status == LessonStatus.SCHEDULED.value:
            lesson.status = LessonStatus.DELIVERED.value
        _write_mark(session, lesson, pupil_id, attendance_code.code, text, me)
        session.flush()
        return MarkChange(row_of(session, group_id, day, pupil_id), before, lesson.status)


def mark_attendance(
    db: Database,
    group_id: str,
    day: date,
    pupil_id: str,
    code: str,
    comment: str | None = None,
):
    """Save one pupil's mark; returns the register row as now stored."""
    return record_mark(db, group_id, day, pupil_id, code, comment).row


def clear_mark(db: Database, group_id: str, day: date, pupil_id: str) -> MarkChange:
    """Take a pupil's mark back (Delete): the pupil shows as not yet marked."""
    with db.transaction() as session:
        group = group_or_explain(session, group_id)
        lid = lesson_id(group.id, day)
        marks = _marks(session, lid)
        before = _state(pupil_id, marks.get(pupil_id))
        if before.code is not None:
            me = get_setting(session, TUTOR_ID)
            _clear(session, lid, pupil_id, me)
            session.flush()
            lesson = session.get(Lesson, lid)
            if lesson is not None:
                _settle_status(lesson, marks)
            session.flush()
        lesson = session.get(Lesson, lid)
        status = lesson.status if lesson else LessonStatus.SCHEDULED.value
        return MarkChange(row_of(session, group_id, day, pupil_id), before, status)


def _snapshot(session: Session, group_id: str, day: date) -> LessonSnapshot:
    lid = lesson_id(group_id, day)
    lesson = session.get(Lesson, lid)
    marks = _marks(session, lid)
    pupils = sorted(set(marks) | set(eligible_pupils(session, group_id, day)))
    return LessonSnapshot(
        status=lesson.status if lesson else LessonStatus.SCHEDULED.value,
        marks=tuple(_state(pid, marks.get(pid)) for pid in pupils),
    )


def change_lesson_status(
    db: Database,
    group_id: str,
    day: date,
    status: LessonStatus | str,
    comment: str = "",
    replace_marks: bool = False,
) -> StatusChange:
    """Set the whole lesson's status and every pupil's code with it, in one transaction.

    Delivered keeps the marks already made and marks the rest present (on a lesson that was
    cancelled, the cancellation's marks become present). Tutor absent, school closed and turned
    away set every pupil's code. Marks already taken that would change are only replaced when
    ``replace_marks`` is given; otherwise ``MarksWouldBeReplaced`` says how many, and nothing
    is saved.
    """
    status = LessonStatus(status)
    with db.transaction() as session:
        group = group_or_explain(session, group_id)
        if status not in CANCELLED_AHEAD:
            _not_ahead(day)
        before = _snapshot(session, group.id, day)
        code = _code(session, STATUS_CODE[status])
        text = clean_text(comment or "", COMMENT_LIMIT)
        marks = _marks(session, lesson_id(group.id, day))
        previous = LessonStatus(before.status)
        replaced_code = STATUS_CODE[previous] if previous in CANCELLED else None
        writes: list[str] = []
        replaced = commented = 0
        for pupil_id in eligible_pupils(session, group.id, day):
            state = _state(pupil_id, marks.get(pupil_id))
            if status is LessonStatus.DELIVERED and state.code not in (None, replaced_code):
                continue
            if (state.code, state.comment) == (code.code, text):
                continue
            writes.append(pupil_id)
            replaced += state.code is not None
            commented += bool(state.comment)
        if replaced and not replace_marks:
            what = (
                "Marking everyone present"
                if status is LessonStatus.DELIVERED
                else f"“{status.label}”"
            )
            noun = "mark" if replaced == 1 else "marks"
            lost = (
                f", and {commented} comment{'s' if commented != 1 else ''} with them"
                if commented
                else ""
            )
            raise MarksWouldBeReplaced(
                f"{what} replaces {replaced} {noun} already taken in this register{lost}.",
                replaced,
            )
        text = _comment(text, code)
        me = get_setting(session, TUTOR_ID)
        lesson = _ensure_lesson(session, group, day, me)
        lesson.status = status.value
        for pupil_id in writes:
            _write_mark(session, lesson, pupil_id, code.code, text, me)
        session.flush()
        return StatusChange(register_of(session, group_id, day), before)


def set_lesson_status(
    db: Database,
    group_id: str,
    day: date,
    status: LessonStatus | str,
    comment: str = "",
    replace_marks: bool = True,
) -> Register:
    return change_lesson_status(db, group_id, day, status, comment, replace_marks).register


def mark_unmarked_present(db: Database, group_id: str, day: date) -> Register:
    """'All present': every pupil not yet marked becomes P; marks already made stay."""
    return set_lesson_status(db, group_id, day, LessonStatus.DELIVERED, replace_marks=False)


def restore_marks(
    db: Database,
    group_id: str,
    day: date,
    marks: tuple[MarkState, ...],
    status: str | None = None,
) -> Register:
    """Put marks (and the lesson's status) back as they were: what undo and redo do. Each
    restored mark is a new recorded change that syncs like any other."""
    with db.transaction() as session:
        group = group_or_explain(session, group_id)
        me = get_setting(session, TUTOR_ID)
        lesson = _ensure_lesson(session, group, day, me)
        eligible = eligible_pupils(session, group.id, day)
        for state in marks:
            if state.code is None:
                _clear(session, lesson.id, state.pupil_id, me)
            elif state.pupil_id in eligible:
                code = _code(session, state.code)
                _write_mark(session, lesson, state.pupil_id, code.code, state.comment, me)
        session.flush()
        if status is not None:
            lesson.status = LessonStatus(status).value
        else:
            _settle_status(lesson, _marks(session, lesson.id))
        session.flush()
        return register_of(session, group_id, day)


def save_lesson_note(db: Database, group_id: str, day: date, note: str) -> str:
    text = clean_text(note or "", NOTE_LIMIT)
    if len(text) > NOTE_LIMIT:
        raise InvalidMark(f"The lesson note is too long: keep it under {NOTE_LIMIT} characters.")
    with db.transaction() as session:
        group = group_or_explain(session, group_id)
        lid = lesson_id(group.id, day)
        lesson = session.get(Lesson, lid)
        if lesson is None and not text:
            return text
        lesson = lesson or _ensure_lesson(session, group, day, get_setting(session, TUTOR_ID))
        if lesson.note != text:
            lesson.note = text
    return text
