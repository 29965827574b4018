"""Who this laptop is signed in as, signing out, and what waits to be sent, in a tutor's words."""

from dataclasses import dataclass

from sqlalchemy import func, select

from hms_desktop.data.engine import Database
from hms_desktop.data.models import AttendanceMark, OutboxEntry
from hms_desktop.data.outbox import pending_count
from hms_desktop.data.sync_store import get, put
from hms_desktop.sync.credentials import forget_refresh_token, kept_for_this_run_only
from hms_desktop.sync.engine import DEVICE, SERVER

from .profile import current_tutor

WAITING = ("pending", "batched")


@dataclass(frozen=True)
class Account:
    signed_in: bool
    tutor_name: str | None
    server: str | None
    this_run_only: bool  # no keychain: the sign-in ends when the app closes


def account(db: Database) -> Account:
    with db.reading() as session:
        server, device = get(session, SERVER), get(session, DEVICE)
        tutor = current_tutor(session)
        name = tutor.name if tutor else None
    signed_in = bool(server and device)
    return Account(
        signed_in=signed_in,
        tutor_name=name,
        server=server or None,
        this_run_only=signed_in and kept_for_this_run_only(server or "", device or ""),
    )


def sign_out(db: Database) -> int:
    """Forget this laptop's sign-in; every change not yet sent stays in the outbox and goes
    after the next sign-in. Returns how many changes wait."""
    with db.transaction() as session:
        server, device = get(session, SERVER), get(session, DEVICE)
        if server and device:
            forget_refresh_token(server, device)
        put(session, SERVER, "")
        put(session, DEVICE, "")
        return pending_count(session)


# What waits, in a tutor's words (other kinds of change: their entity's name).
WAITING_WORDS = {
    "ensemble_member": ("roster place", "roster places"),
    "ensemble_section": ("change to the order of sections", "changes to the order of sections"),
    "performance_member": ("performer", "performers"),
    "progress_note": ("progress note", "progress notes"),
}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def waiting_in_words(db: Database) -> str:
    """'3 registers and 1 lesson note not yet sent' — empty when nothing waits."""
    with db.reading() as session:
        waiting = OutboxEntry.state.in_(WAITING)
        registers = (
            session.scalar(
                select(func.count(func.distinct(AttendanceMark.lesson_id)))
                .select_from(OutboxEntry)
                .join(AttendanceMark, AttendanceMark.id == OutboxEntry.entity_id)
                .where(waiting, OutboxEntry.entity == "attendance_mark")
            )
            or 0
        )
        mark_lessons = (
            select(AttendanceMark.lesson_id)
            .join(OutboxEntry, OutboxEntry.entity_id == AttendanceMark.id)
            .where(waiting, OutboxEntry.entity == "attendance_mark")
        )
        lessons = (
            session.scalar(
                select(func.count(func.distinct(OutboxEntry.entity_id))).where(
                    waiting,
                    OutboxEntry.entity == "lesson",
                    OutboxEntry.entity_id.not_in(mark_lessons),
                )
            )
            or 0
        )
        by_entity = dict(
            session.execute(
                select(OutboxEntry.entity, func.count(func.distinct(OutboxEntry.entity_id)))
                .where(
                    waiting,
                    OutboxEntry.entity.not_in(("attendance_mark", "lesson", "audit_entry")),
                )
                .group_by(OutboxEntry.entity)
            ).all()
        )
    parts = []
    if registers:
        parts.append(_plural(registers, "register", "registers"))
    if lessons:
        parts.append(_plural(lessons, "lesson note or status", "lesson notes or statuses"))
    for entity, n in sorted(by_entity.items()):
        one, many = WAITING_WORDS.get(entity, (entity.replace("_", " "),) * 2)
        parts.append(_plural(n, one, many if entity in WAITING_WORDS else many + "s"))
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{listed} not yet sent"


def changes_waiting(db: Database) -> int:
    with db.reading() as session:
        return pending_count(session)
