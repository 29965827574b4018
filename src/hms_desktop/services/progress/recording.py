"""Recording progress: assessments and exam results (append-only: an undo withdraws one, a
correction is a new one), progress notes (an edit is a new revision) and targets. Each function
is one unit of work; each error tells the tutor what to change and that nothing was saved."""

from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data import clock
from hms_desktop.data.clock import utcnow
from hms_desktop.data.engine import Database
from hms_desktop.data.models import (
    Assessment,
    Framework,
    FrameworkLevel,
    Instrument,
    ProgressNote,
    Pupil,
    Target,
)
from hms_desktop.domain.errors import HmsError, NotFound
from hms_desktop.domain.ids import new_id
from hms_desktop.domain.names import clean_text
from hms_desktop.domain.types import AssessmentKind, AssessmentResult

from ..profile import TUTOR_ID, get_setting
from .views import FrameworkInfo

COMMENT_LIMIT = 1000
NOTE_LIMIT = 4000
TARGET_LIMIT = 500
MARK_LIMIT = 150  # ABRSM marks out of 150; Trinity and RSL out of 100
# Which kind of framework each kind of assessment belongs to.
KIND_FRAMEWORKS = {
    AssessmentKind.TEACHER: ("grades", "stages", "medals"),
    AssessmentKind.EXAM: ("grades",),
    AssessmentKind.MEDAL: ("medals",),
}
NOT_SAVED = "Nothing was saved."


class InvalidProgress(HmsError):
    """An assessment, note or target that cannot be saved as entered; nothing was changed."""


def frameworks(db: Database) -> tuple[FrameworkInfo, ...]:
    with db.reading() as session:
        result = []
        for fw in session.scalars(select(Framework).order_by(Framework.name)):
            levels = session.execute(
                select(FrameworkLevel.id, FrameworkLevel.name)
                .where(FrameworkLevel.framework_id == fw.id)
                .order_by(FrameworkLevel.ordinal)
            ).all()
            result.append(FrameworkInfo(fw.id, fw.name, fw.kind, tuple(map(tuple, levels))))
        return tuple(result)


def _pupil(session: Session, pupil_id: str) -> Pupil:
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise NotFound(f"That pupil is no longer on this laptop. {NOT_SAVED}")
    return pupil


def _day(on: date, what: str) -> date:
    if on > clock.today():
        raise InvalidProgress(
            f"{on:%-d %B %Y} is in the future: {what} only once it has happened. {NOT_SAVED}"
        )
    if on.year < 2000:
        raise InvalidProgress(f"{on:%-d %B %Y} is too long ago for a date here. {NOT_SAVED}")
    return on


def _checked_kind(kind: str) -> AssessmentKind:
    try:
        return AssessmentKind(kind)
    except ValueError:
        raise InvalidProgress(f"Choose teacher assessment, exam or medal. {NOT_SAVED}") from None


def _checked_result(kind: AssessmentKind, result: str | None) -> str | None:
    result = (result or "").strip().lower() or None
    if result is None:
        if kind is AssessmentKind.EXAM:
            raise InvalidProgress(
                f"An exam needs its result: pass, merit or distinction. {NOT_SAVED}"
            )
        return None
    if kind is AssessmentKind.TEACHER:
        raise InvalidProgress(
            "A teacher assessment has no pass, merit or distinction — record an exam or a "
            f"medal for that. {NOT_SAVED}"
        )
    if result not in {r.value for r in AssessmentResult}:
        raise InvalidProgress(f"The result is pass, merit or distinction. {NOT_SAVED}")
    return result


def _checked_mark(kind: AssessmentKind, mark: int | None) -> int | None:
    if mark is None:
        return None
    if kind is not AssessmentKind.EXAM:
        raise InvalidProgress(f"Only an exam has a mark. {NOT_SAVED}")
    if not 0 <= mark <= MARK_LIMIT:
        raise InvalidProgress(f"An exam mark is between 0 and {MARK_LIMIT}. {NOT_SAVED}")
    return mark


def _checked_level(
    session: Session, framework_id: str, level_id: str, kind: AssessmentKind
) -> FrameworkLevel:
    framework = session.get(Framework, framework_id)
    level = session.get(FrameworkLevel, level_id)
    if framework is None or level is None:
        raise InvalidProgress(f"Choose a framework and one of its levels. {NOT_SAVED}")
    if level.framework_id != framework.id:
        raise InvalidProgress(f"{level.name} is not a level of {framework.name}. {NOT_SAVED}")
    if framework.kind not in KIND_FRAMEWORKS[kind]:
        wanted = " or ".join(KIND_FRAMEWORKS[kind])
        raise InvalidProgress(
            f"{framework.name} is not a framework for this kind of assessment (use {wanted}). "
            f"{NOT_SAVED}"
        )
    return level


def record_assessment(
    db: Database,
    pupil_id: str,
    framework_id: str,
    level_id: str,
    kind: str,
    on: date,
    result: str | None = None,
    mark: int | None = None,
    comment: str = "",
    instrument_id: str | None = None,
    replaces: str | None = None,
) -> str:
    """Record one assessment, exam result or medal; returns its id. A correction names the
    assessment it ``replaces``, which is withdrawn in the same unit of work."""
    checked = _checked_kind(kind)
    text = clean_text(comment or "", COMMENT_LIMIT)
    if len(text) > COMMENT_LIMIT:
        raise InvalidProgress(f"Keep the comment under {COMMENT_LIMIT} characters. {NOT_SAVED}")
    with db.transaction() as session:
        _pupil(session, pupil_id)
        level = _checked_level(session, framework_id, level_id, checked)
        if instrument_id is not None and session.get(Instrument, instrument_id) is None:
            instrument_id = None
        assessment = Assessment(
            id=new_id(),
            pupil_id=pupil_id,
            instrument_id=instrument_id,
            assessed_on=_day(on, "record an assessment"),
            level_id=level.id,
            kind=checked.value,
            result=_checked_result(checked, result),
            mark=_checked_mark(checked, mark),
            comment=text,
            assessed_by_id=get_setting(session, TUTOR_ID),
        )
        session.add(assessment)
        if replaces is not None:
            earlier = session.get(Assessment, replaces)
            if earlier is None or earlier.pupil_id != pupil_id:
                raise NotFound(f"The assessment being corrected is no longer here. {NOT_SAVED}")
            earlier.deleted_at = utcnow()
        return assessment.id


class Recorded(StrEnum):
    """What the tutor records here; each can be withdrawn (an undo) and put back."""

    ASSESSMENT = "assessment"
    NOTE = "progress_note"
    TARGET = "target"


_RECORDED: dict[Recorded, type[Assessment | ProgressNote | Target]] = {
    Recorded.ASSESSMENT: Assessment,
    Recorded.NOTE: ProgressNote,
    Recorded.TARGET: Target,
}


def withdraw(db: Database, kind: Recorded, withdraw: list[str], restore: list[str]) -> None:
    """Undo and redo: withdrawn rows stop counting (central is told), restored ones count
    again. What an assessment or note says never changes."""
    model = _RECORDED[kind]
    with db.transaction() as session:
        now = utcnow()
        for row_id, gone in [(i, True) for i in withdraw] + [(i, False) for i in restore]:
            row = session.get(model, row_id)
            if row is None:
                raise NotFound(
                    f"That {kind.value.replace('_', ' ')} is no longer on this laptop. {NOT_SAVED}"
                )
            row.deleted_at = now if gone else None


def withdraw_assessments(db: Database, withdraw_ids: list[str], restore_ids: list[str]) -> None:
    withdraw(db, Recorded.ASSESSMENT, withdraw_ids, restore_ids)


def write_note(db: Database, pupil_id: str, text: str, revises_id: str | None = None) -> str:
    """A new progress note, or a new revision of one (the earlier text is kept)."""
    cleaned = clean_text(text or "", NOTE_LIMIT)
    if not cleaned:
        raise InvalidProgress(f"The note is empty. {NOT_SAVED}")
    if len(cleaned) > NOTE_LIMIT:
        raise InvalidProgress(f"Keep a note under {NOTE_LIMIT} characters. {NOT_SAVED}")
    with db.transaction() as session:
        _pupil(session, pupil_id)
        if revises_id is not None:
            earlier = session.get(ProgressNote, revises_id)
            if earlier is None or earlier.pupil_id != pupil_id:
                raise NotFound(f"The note being revised is no longer here. {NOT_SAVED}")
            if earlier.text == cleaned:
                return earlier.id
        note = ProgressNote(
            id=new_id(),
            pupil_id=pupil_id,
            revises_id=revises_id,
            text=cleaned,
            written_by_id=get_setting(session, TUTOR_ID),
            written_at=utcnow(),
        )
        session.add(note)
        return note.id


def set_target(db: Database, pupil_id: str, text: str, on: date) -> str:
    cleaned = clean_text(text or "", TARGET_LIMIT)
    if not cleaned:
        raise InvalidProgress(f"Write what the target is. {NOT_SAVED}")
    if len(cleaned) > TARGET_LIMIT:
        raise InvalidProgress(f"Keep a target under {TARGET_LIMIT} characters. {NOT_SAVED}")
    with db.transaction() as session:
        _pupil(session, pupil_id)
        target = Target(
            id=new_id(),
            pupil_id=pupil_id,
            text=cleaned,
            set_on=_day(on, "set a target"),
            set_by_id=get_setting(session, TUTOR_ID),
        )
        session.add(target)
        return target.id


def mark_target_achieved(db: Database, target_id: str, on: date | None) -> None:
    """Mark a target achieved on ``on``, or (None) not achieved after all."""
    with db.transaction() as session:
        target = session.get(Target, target_id)
        if target is None or target.deleted_at is not None:
            raise NotFound(f"That target is no longer on this laptop. {NOT_SAVED}")
        if on is not None:
            _day(on, "mark a target achieved")
            if on < target.set_on:
                raise InvalidProgress(f"A target is achieved after it was set. {NOT_SAVED}")
        target.achieved_on = on
