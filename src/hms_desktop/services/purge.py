"""Keeping only what the tutor needs: pupils who have left are purged from the laptop once
central has every change about them — never before — and the purge is in the audit trail.

Left = withdrawn, or no enrolment in any of the laptop's groups and no place in an ensemble the
tutor leads or helps with for longer than the music service's retention (default one term); a
place in an ensemble the tutor no longer helps with is no reason to keep a pupil. Deleted rows
are overwritten in the file (``secure_delete``), the file is rebuilt (``VACUUM``: older updates
leave row copies in free space) and the write-ahead log emptied; backups taken before the purge
still hold the leaver, so they are shredded.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, or_, select, update

from hms_desktop.data import audit
from hms_desktop.data.engine import Database
from hms_desktop.data.migrate import backups_dir
from hms_desktop.data.models import (
    AttendanceMark,
    AuditEntry,
    Enrolment,
    Ensemble,
    EnsembleMember,
    OutboxEntry,
    Pupil,
)
from hms_desktop.data.sync_store import get, pulling, unsent_rows
from hms_desktop.paths import shred

from .profile import TUTOR_ID, leads_or_helps

RETENTION_SETTING = "retention_days"  # set by the music service (central) when it sends it
DEFAULT_RETENTION_DAYS = 120  # one term


@dataclass(frozen=True)
class PurgeReport:
    purged: int  # pupils removed from the laptop
    waiting: int  # leavers kept because central does not yet have every change about them
    backups_removed: int


def _pupil_tables():
    from hms_desktop.data.models import (
        Assessment,
        Certificate,
        ProgressNote,
        RehearsalMark,
        Target,
    )

    return (AttendanceMark, Assessment, ProgressNote, Target, EnsembleMember, RehearsalMark,
            Certificate)  # fmt: skip


def _leavers(session, today: date, retention: int) -> set[str]:
    cutoff = today - timedelta(days=retention)
    current_enrolment = select(Enrolment.pupil_id).where(
        or_(Enrolment.end_date.is_(None), Enrolment.end_date >= cutoff)
    )
    current_place = (
        select(EnsembleMember.pupil_id)
        .join(Ensemble, Ensemble.id == EnsembleMember.ensemble_id)
        .where(
            or_(EnsembleMember.left_on.is_(None), EnsembleMember.left_on >= cutoff),
            leads_or_helps(get(session, TUTOR_ID)),
        )
    )
    withdrawn = set(session.scalars(select(Pupil.id).where(Pupil.status == "withdrawn")))
    gone = set(
        session.scalars(
            select(Pupil.id).where(
                Pupil.id.not_in(current_enrolment), Pupil.id.not_in(current_place)
            )
        )
    )
    return withdrawn | gone


def _unsent_pupils(session) -> set[str]:
    waiting = unsent_rows(session)
    pupils: set[str] = set()
    for model in _pupil_tables():
        ids = {i for entity, i in waiting if entity == model.__sync_entity__}
        if ids:
            pupils |= set(session.scalars(select(model.pupil_id).where(model.id.in_(ids))))
    return pupils


ACKNOWLEDGED = ("applied", "duplicate")


def prune_sent_changes(db: Database) -> int:
    """Outbox entries central has acknowledged are copies of what it holds: drop them. (The
    audit trail, not the outbox, is the record of who changed what.)"""
    with db.transaction() as session:
        result = session.execute(delete(OutboxEntry).where(OutboxEntry.state.in_(ACKNOWLEDGED)))
    return result.rowcount or 0


def purge_leavers(db: Database, today: date, retention_days: int | None = None) -> PurgeReport:
    """One transaction: remove leavers whose every change central has acknowledged."""
    with db.transaction() as session:
        retention = retention_days or int(get(session, RETENTION_SETTING) or DEFAULT_RETENTION_DAYS)
        leavers = _leavers(session, today, retention)
        waiting = leavers & _unsent_pupils(session)
        purge = sorted(leavers - waiting)
        if purge:
            session.connection().exec_driver_sql("PRAGMA secure_delete = ON")
            for pupil_id in purge:
                audit.entry(session, "purge", "pupil", pupil_id, {}, pupil_id=pupil_id)
            pulling(session)  # no outbox entries: a purge is the laptop's, not a deletion
            row_ids: set[str] = set()
            for model in _pupil_tables():
                row_ids |= set(session.scalars(select(model.id).where(model.pupil_id.in_(purge))))
                session.execute(delete(model).where(model.pupil_id.in_(purge)))
            session.execute(delete(Enrolment).where(Enrolment.pupil_id.in_(purge)))
            session.execute(delete(Pupil).where(Pupil.id.in_(purge)))
            # Sent outbox entries are only copies of what central has: prune them with the rows.
            session.execute(delete(OutboxEntry).where(OutboxEntry.entity_id.in_(row_ids)))
            # The trail keeps who did what and when; the values (comments…) go with the pupil.
            session.execute(
                update(AuditEntry)
                .where(AuditEntry.pupil_id.in_(purge), AuditEntry.action != "purge")
                .values(changes={})
            )
    removed = 0
    if purge:
        # Earlier updates (a pull, a status change) left old copies of the rows in free space
        # inside pages: VACUUM rewrites the file without them, then the WAL is emptied.
        raw = db.engine.raw_connection()  # outside a transaction, as both need
        try:
            conn = raw.driver_connection
            conn.execute("VACUUM")  # type: ignore[union-attr]
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
        finally:
            raw.close()
        folder = backups_dir(db)
        if folder.is_dir():
            for backup in folder.iterdir():
                if backup.is_file():
                    shred(backup)
                    removed += 1
    return PurgeReport(len(purge), len(waiting), removed)
