"""Rehearsal registers: the same shape as a lesson's register (so the register core's keyboard
flow and undo work unchanged), with the ensemble codes (P, L, LE, AN, AU), the members on the
roster that day, and only days inside the ensemble's season."""

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hms_desktop.data import clock
from hms_desktop.data.clock import utcnow
from hms_desktop.data.engine import Database
from hms_desktop.data.models import (
    AttendanceCode,
    Ensemble,
    EnsembleMember,
    EnsembleSection,
    Pupil,
    Rehearsal,
    RehearsalMark,
    Tutor,
)
from hms_desktop.domain.errors import (
    FutureLesson,
    InvalidMark,
    MarksWouldBeReplaced,
    PupilNotInGroup,
    UnknownCode,
)
from hms_desktop.domain.ids import rehearsal_id, rehearsal_mark_id
from hms_desktop.domain.names import clean_text
from hms_desktop.domain.types import LessonStatus

from ..profile import TUTOR_ID, get_setting
from ..views import (
    CodeInfo,
    LessonSnapshot,
    MarkChange,
    MarkState,
    Register,
    RegisterRow,
    StatusChange,
)
from .roster import KIND_LABELS, ensemble_or_explain, pupil_name

COMMENT_LIMIT = 500
NOTE_LIMIT = 4000


def ensemble_codes(session: Session) -> list[AttendanceCode]:
    return list(
        session.scalars(
            select(AttendanceCode)
            .where(AttendanceCode.active, AttendanceCode.ensemble)
            .order_by(AttendanceCode.sort_order)
        )
    )


def in_season(ensemble: Ensemble, day: date) -> None:
    """Rehearsals are taken only inside the ensemble's season."""
    start, end = ensemble.season_start, ensemble.season_end
    if (start and day < start) or (end and day > end):
        raise InvalidMark(
            f"{day:%A %-d %B %Y} is outside {ensemble.name}'s season "
            f"({start:%-d %B %Y} to {end:%-d %B %Y}), so no rehearsal can be taken then."
            if start and end
            else f"{day:%A %-d %B %Y} is outside {ensemble.name}'s season."
        )


def member_on(member: EnsembleMember, pupil: Pupil, day: date) -> bool:
    """On the roster that day: joined by then, not yet left, and not withdrawn by then."""
    return (
        member.deleted_at is None
        and member.joined_on <= day
        and (member.left_on is None or member.left_on > day)
        and (
            pupil.status == "active"
            or (pupil.withdrawn_on is not None and pupil.withdrawn_on > day)
        )
    )


def _on_roster(session: Session, ensemble_id: str, day: date) -> dict[str, tuple]:
    """Members on the day: pupil → (pupil, member, section name)."""
    rows = session.execute(
        select(Pupil, EnsembleMember, EnsembleSection)
        .join(EnsembleMember, EnsembleMember.pupil_id == Pupil.id)
        .outerjoin(EnsembleSection, EnsembleSection.id == EnsembleMember.section_id)
        .where(
            EnsembleMember.ensemble_id == ensemble_id,
            EnsembleMember.deleted_at.is_(None),
            EnsembleMember.joined_on <= day,
        )
    ).all()
    return {p.id: (p, m, s) for p, m, s in rows if member_on(m, p, day)}


def _care(pupil: Pupil) -> str:
    """What the register shows on hover: the medical note where this laptop has it (the
    pupil's own tutor), and the office's note for rehearsals (all an ensemble leader has)."""
    lines = [f"Medical: {pupil.medical_note}"] if pupil.medical_note else []
    if pupil.rehearsal_note and pupil.rehearsal_note != pupil.medical_note:
        lines.append(f"At rehearsal: {pupil.rehearsal_note}")
    return "\n".join(lines)


def register_in(session: Session, ensemble_id: str, day: date) -> Register:
    ensemble = ensemble_or_explain(session, ensemble_id)
    rid = rehearsal_id(ensemble.id, day)
    rehearsal = session.get(Rehearsal, rid)
    marks = {
        m.pupil_id: m
        for m in session.scalars(select(RehearsalMark).where(RehearsalMark.rehearsal_id == rid))
        if m.deleted_at is None
    }
    members = _on_roster(session, ensemble.id, day)
    rows = []
    for pupil, member, section in sorted(
        members.values(),
        key=lambda t: (
            (t[2].ordinal, t[2].name) if t[2] else (999, ""),  # as the roster orders sections
            t[1].seat or 999,
            t[0].family_name,
        ),
    ):
        mark = marks.get(pupil.id)
        where = f"{section.name} · {member.seat}" if section and member.seat else ""
        rows.append(
            RegisterRow(
                pupil_id=pupil.id,
                name=pupil_name(pupil),
                year_group=pupil.year_group,
                instrument=where,
                code=mark.code if mark else None,
                comment=mark.comment if mark else "",
                marked_at=mark.marked_at if mark else None,
                joined_on=member.joined_on,
                needs_care="Medical" if _care(pupil) else "",
                care_detail=_care(pupil),
            )
        )
    leader = session.get(Tutor, ensemble.leader_id) if ensemble.leader_id else None
    delivered = (
        session.get(Tutor, rehearsal.delivered_by_id)
        if rehearsal and rehearsal.delivered_by_id
        else None
    )
    status = rehearsal.status if rehearsal else LessonStatus.SCHEDULED.value
    return Register(
        lesson_id=rid,
        group_id=ensemble.id,
        group_name=ensemble.name,
        school_name=ensemble.venue or "",
        day=day,
        start_time=(rehearsal.start_time if rehearsal else None)
        or ensemble.start_time
        or datetime.min.time(),
        length_minutes=ensemble.length_minutes or 60,
        kind_label=f"{KIND_LABELS.get(ensemble.kind, 'Ensemble')} rehearsal",  # type: ignore[call-overload]
        instrument=f"{len(rows)} members",
        tutor_name=leader.name if leader else "",
        delivered_by=delivered.name if delivered else None,
        status=status,
        status_label=LessonStatus(status).label,
        note=rehearsal.note if rehearsal else "",
        rows=tuple(rows),
        codes=tuple(
            CodeInfo(c.code, c.meaning, c.comment_required, c.tutor_paid, c.billable, c.makeup_owed)
            for c in ensemble_codes(session)
        ),
        in_future=day > clock.today(),
    )


def open_rehearsal(db: Database, ensemble_id: str, day: date) -> Register:
    """One rehearsal's register as the leader sees it now."""
    with db.reading() as session:
        in_season(ensemble_or_explain(session, ensemble_id), day)
        return register_in(session, ensemble_id, day)


def _code(session: Session, typed: str) -> AttendanceCode:
    code = session.get(AttendanceCode, (typed or "").strip().upper())
    if code is None or not code.active or not code.ensemble:
        known = ", ".join(c.code for c in ensemble_codes(session))
        raise UnknownCode(
            f"'{(typed or '').strip()[:10]}' is not a rehearsal code. Use one of: {known}."
        )
    return code


def _ensure(session: Session, ensemble: Ensemble, day: date, me: str | None) -> Rehearsal:
    in_season(ensemble, day)
    rid = rehearsal_id(ensemble.id, day)
    rehearsal = session.get(Rehearsal, rid)
    if rehearsal is None:
        rehearsal = Rehearsal(
            id=rid,
            ensemble_id=ensemble.id,
            date=day,
            start_time=ensemble.start_time,
            delivered_by_id=me,
            status=LessonStatus.SCHEDULED.value,
            note="",
        )
        session.add(rehearsal)
    return rehearsal


def _not_ahead(day: date) -> None:
    if day > clock.today():
        raise FutureLesson(
            f"The rehearsal on {day:%A %-d %B} has not happened yet, so it cannot be marked."
        )


def _write(session, rehearsal: Rehearsal, pupil_id: str, code: str, comment: str, me) -> None:
    mid = rehearsal_mark_id(rehearsal.id, pupil_id)
    mark = session.get(RehearsalMark, mid)
    if mark is None:
        session.add(
            RehearsalMark(
                id=mid,
                rehearsal_id=rehearsal.id,
                pupil_id=pupil_id,
                code=code,
                comment=comment,
                marked_at=utcnow(),
                marked_by_id=me,
            )
        )
    elif (mark.code, mark.comment, mark.deleted_at) != (code, comment, None):
        mark.code, mark.comment, mark.deleted_at = code, comment, None
        mark.marked_at, mark.marked_by_id = utcnow(), me


def _clear(session: Session, rid: str, pupil_id: str, me) -> None:
    mark = session.get(RehearsalMark, rehearsal_mark_id(rid, pupil_id))
    if mark is not None and mark.deleted_at is None:
        mark.deleted_at = utcnow()
        mark.marked_at, mark.marked_by_id = utcnow(), me


def _state(session: Session, rid: str, pupil_id: str) -> MarkState:
    mark = session.get(RehearsalMark, rehearsal_mark_id(rid, pupil_id))
    if mark is None or mark.deleted_at is not None:
        return MarkState(pupil_id, None, "")
    return MarkState(pupil_id, mark.code, mark.comment)


def _settle_status(session: Session, rehearsal: Rehearsal) -> None:
    session.flush()
    live = session.scalar(
        select(func.count())
        .select_from(RehearsalMark)
        .where(RehearsalMark.rehearsal_id == rehearsal.id, RehearsalMark.deleted_at.is_(None))
    )
    if rehearsal.status == LessonStatus.SCHEDULED.value and live:
        rehearsal.status = LessonStatus.DELIVERED.value
    elif rehearsal.status == LessonStatus.DELIVERED.value and not live:
        rehearsal.status = LessonStatus.SCHEDULED.value


def record_rehearsal_mark(
    db: Database, ensemble_id: str, day: date, pupil_id: str, code: str, comment: str | None
) -> MarkChange:
    """Save one member's rehearsal mark now; ``comment`` None keeps the comment on the mark."""
    with db.transaction() as session:
        ensemble = ensemble_or_explain(session, ensemble_id)
        attendance_code = _code(session, code)
        in_season(ensemble, day)
        if pupil_id not in _on_roster(session, ensemble.id, day):
            raise PupilNotInGroup(
                "That pupil is not on the ensemble's roster on this day, so no mark was saved."
            )
        _not_ahead(day)
        rid = rehearsal_id(ensemble.id, day)
        before = _state(session, rid, pupil_id)
        text = clean_text(before.comment if comment is None else comment, COMMENT_LIMIT)
        if len(text) > COMMENT_LIMIT:
            raise InvalidMark(f"The comment is too long: keep it under {COMMENT_LIMIT} characters.")
        me = get_setting(session, TUTOR_ID)
        rehearsal = _ensure(session, ensemble, day, me)
        _write(session, rehearsal, pupil_id, attendance_code.code, text, me)
        _settle_status(session, rehearsal)
        session.flush()
        return MarkChange(register_in(session, ensemble.id, day).row(pupil_id), before)


def clear_rehearsal_mark(db: Database, ensemble_id: str, day: date, pupil_id: str) -> MarkChange:
    with db.transaction() as session:
        ensemble = ensemble_or_explain(session, ensemble_id)
        rid = rehearsal_id(ensemble.id, day)
        before = _state(session, rid, pupil_id)
        if before.code is not None:
            _clear(session, rid, pupil_id, get_setting(session, TUTOR_ID))
            rehearsal = session.get(Rehearsal, rid)
            if rehearsal is not None:
                _settle_status(session, rehearsal)
            session.flush()
        return MarkChange(register_in(session, ensemble.id, day).row(pupil_id), before)


def mark_rest_present(
    db: Database, ensemble_id: str, day: date, status: LessonStatus, replace: bool = False
) -> StatusChange:
    """'All present' (F8): every member not yet marked becomes P; marks already made stay. A
    rehearsal has no other whole-register status (cancellations are the office's to record)."""
    if LessonStatus(status) is not LessonStatus.DELIVERED:
        raise MarksWouldBeReplaced("A rehearsal can only be marked all present.", 0)
    with db.transaction() as session:
        ensemble = ensemble_or_explain(session, ensemble_id)
        _not_ahead(day)
        rid = rehearsal_id(ensemble.id, day)
        members = _on_roster(session, ensemble.id, day)
        states = tuple(_state(session, rid, pid) for pid in sorted(members))
        rehearsal = session.get(Rehearsal, rid)
        before = LessonSnapshot(
            rehearsal.status if rehearsal else LessonStatus.SCHEDULED.value, states
        )
        me = get_setting(session, TUTOR_ID)
        rehearsal = _ensure(session, ensemble, day, me)
        for state in states:
            if state.code is None:
                _write(session, rehearsal, state.pupil_id, "P", "", me)
        rehearsal.status = LessonStatus.DELIVERED.value
        session.flush()
        return StatusChange(register_in(session, ensemble.id, day), before)


def restore_rehearsal_marks(
    db: Database,
    ensemble_id: str,
    day: date,
    marks: tuple[MarkState, ...],
    status: str | None = None,
) -> Register:
    """Put marks back as they were (undo, redo): each a new recorded change that syncs."""
    with db.transaction() as session:
        ensemble = ensemble_or_explain(session, ensemble_id)
        me = get_setting(session, TUTOR_ID)
        rehearsal = _ensure(session, ensemble, day, me)
        members = _on_roster(session, ensemble.id, day)
        for state in marks:
            if state.code is None:
                _clear(session, rehearsal.id, state.pupil_id, me)
            elif state.pupil_id in members:
                code = _code(session, state.code)
                _write(session, rehearsal, state.pupil_id, code.code, state.comment, me)
        session.flush()
        if status is not None:
            rehearsal.status = LessonStatus(status).value
        else:
            _settle_status(session, rehearsal)
        session.flush()
        return register_in(session, ensemble.id, day)


def save_rehearsal_note(db: Database, ensemble_id: str, day: date, note: str) -> str:
    text = clean_text(note or "", NOTE_LIMIT)
    if len(text) > NOTE_LIMIT:
        raise InvalidMark(f"The note is too long: keep it under {NOTE_LIMIT} characters.")
    with db.transaction() as session:
        ensemble = ensemble_or_explain(session, ensemble_id)
        rehearsal = session.get(Rehearsal, rehearsal_id(ensemble.id, day))
        if rehearsal is None and not text:
            return text
        rehearsal = rehearsal or _ensure(session, ensemble, day, get_setting(session, TUTOR_ID))
        if rehearsal.note != text:
            rehearsal.note = text
    return text
