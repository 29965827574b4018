"""Reading the audit trail on the laptop (per pupil, per lesson), and the one place where a
pupil's medical or safeguarding note is shown, so that every viewing is recorded."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select

from hms_desktop.data import audit
from hms_desktop.data.engine import Database
from hms_desktop.data.models import AuditEntry, Pupil, Tutor
from hms_desktop.domain.errors import NotFound
from hms_desktop.domain.ids import lesson_id
from hms_desktop.domain.names import display_name

ENTITY_WORDS = {
    "attendance_mark": "mark",
    "lesson": "lesson",
    "assessment": "assessment",
    "progress_note": "progress note",
    "target": "target",
    "ensemble_member": "roster place",
    "ensemble_section": "section order",
    "rehearsal": "rehearsal",
    "rehearsal_mark": "rehearsal mark",
    "performance": "performance",
    "certificate": "certificate",
    "pupil": "pupil",
    "medical_note": "medical note",
}


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    who: str
    action: str  # create | change | delete | view | purge
    what: str  # "mark", "lesson", "medical note"…
    entity_id: str
    changes: dict  # {field: [before, after]}


@dataclass(frozen=True)
class PupilNote:
    pupil_id: str
    name: str
    note: str


def _lines(session, rows) -> list[AuditLine]:
    names = {t.id: t.name for t in session.scalars(select(Tutor))}
    return [
        AuditLine(
            at=row.at,
            who=names.get(row.tutor_id or "", "this laptop"),
            action=row.action,
            what=ENTITY_WORDS.get(row.entity, row.entity.replace("_", " ")),
            entity_id=row.entity_id,
            changes=row.changes,
        )
        for row in rows
    ]


def pupil_history(db: Database, pupil_id: str) -> list[AuditLine]:
    with db.reading() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(or_(AuditEntry.pupil_id == pupil_id, AuditEntry.entity_id == pupil_id))
            .order_by(AuditEntry.seq)
        ).all()
        return _lines(session, rows)


def lesson_history(db: Database, group_id: str, day: date) -> list[AuditLine]:
    with db.reading() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.lesson_id == lesson_id(group_id, day))
            .order_by(AuditEntry.seq)
        ).all()
        return _lines(session, rows)


def view_pupil_note(db: Database, pupil_id: str) -> PupilNote:
    """Show a pupil's medical/safeguarding note; the viewing is recorded in the same step."""
    with db.transaction() as session:
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("That pupil is not on this laptop.")
        audit.entry(session, "view", "medical_note", pupil.id, {}, pupil_id=pupil.id)
        name = display_name(
            pupil.given_name, pupil.family_name, pupil.preferred_name, pupil.family_name_first
        )
        return PupilNote(pupil.id, name, pupil.medical_note or "")
