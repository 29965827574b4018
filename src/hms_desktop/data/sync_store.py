"""The store's side of sync: freezing outbox entries into batches, recording central's answers,
and applying pulled rows without creating outbox entries."""

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Date, DateTime, Time, bindparam, func, select, update
from sqlalchemy.orm import Session

from . import models
from .clock import utcnow
from .models import OutboxEntry, Setting, Syncable
from .outbox import FROM_SERVER

ENTITY_MODELS: dict[str, type[models.Base]] = {
    "tutor": models.Tutor,
    "school": models.School,
    "pupil": models.Pupil,
    "instrument": models.Instrument,
    "teaching_group": models.TeachingGroup,
    "enrolment": models.Enrolment,
    "holiday": models.Holiday,
    "attendance_code": models.AttendanceCode,
    "framework": models.Framework,
    "framework_level": models.FrameworkLevel,
    "ensemble": models.Ensemble,
    "ensemble_section": models.EnsembleSection,
    "lesson": models.Lesson,
    "attendance_mark": models.AttendanceMark,
    "assessment": models.Assessment,
    "progress_note": models.ProgressNote,
    "target": models.Target,
    "ensemble_member": models.EnsembleMember,
    "rehearsal": models.Rehearsal,
    "rehearsal_mark": models.RehearsalMark,
    "performance": models.Performance,
    "certificate": models.Certificate,
}
NEEDS_ATTENTION = ("conflict", "rejected")


def get(session: Session, key: str) -> str | None:
    """A profile setting (who the tutor is, the sync cursor…)."""
    return session.scalar(select(Setting.value).where(Setting.key == key))


def put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def next_batch(session: Session, limit: int) -> tuple[str | None, list[OutboxEntry]]:
    """The batch to send: an unanswered one again, identical, or else newly frozen entries."""
    waiting = list(
        session.scalars(
            select(OutboxEntry).where(OutboxEntry.state == "batched").order_by(OutboxEntry.seq)
        )
    )
    if waiting:
        batch_id = waiting[0].batch_id
        return batch_id, [e for e in waiting if e.batch_id == batch_id]
    pending = list(
        session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.state == "pending")
            .order_by(OutboxEntry.seq)
            .limit(limit)
        )
    )
    if not pending:
        return None, []
    batch_id = str(uuid.uuid4())
    for entry in pending:
        entry.state, entry.batch_id = "batched", batch_id
    return batch_id, pending


def record_results(session: Session, batch_id: str, results: list[dict[str, Any]]) -> None:
    """Store central's answer for every op of a batch (op_id, result, version, reason,
    current), all in the caller's one transaction."""
    entries = {
        e.op_id: e
        for e in session.scalars(select(OutboxEntry).where(OutboxEntry.batch_id == batch_id))
    }
    acknowledged: dict[type, dict[str, int]] = {}
    for answer in results:
        entry = entries.get(answer["op_id"])
        if entry is None:
            continue
        result, version = answer["result"], answer.get("version")
        entry.state, entry.result_reason = result, answer.get("reason")
        entry.result_version, entry.result_fields = version, answer.get("current")
        model = ENTITY_MODELS.get(entry.entity)
        if result in ("applied", "duplicate") and version is not None and model is not None:
            versions = acknowledged.setdefault(model, {})
            versions[entry.entity_id] = max(version, versions.get(entry.entity_id, 0))
    for model, versions in acknowledged.items():
        if not issubclass(model, Syncable):
            continue
        table = model.__table__  # type: ignore[attr-defined]
        # One statement per kind of row (Core, so no outbox entries: this is central's news).
        session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(server_version=bindparam("version")),
            [{"row_id": row_id, "version": v} for row_id, v in versions.items()],
        )


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state))
    return dict(rows.all())  # type: ignore[arg-type]


def python_value(column: Any, value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    kind = column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Time):
        return time.fromisoformat(value)
    return value


def apply_change(
    session: Session,
    entity: str,
    entity_id: str,
    version: int,
    deleted: bool,
    fields: dict[str, Any],
    unsent: set[tuple[str, str]],
) -> bool:
    """Apply one pulled row; False when it was skipped (unknown entity, or unsent local edits:
    a pulled row never overwrites a row with unsent local changes)."""
    model = ENTITY_MODELS.get(entity)
    if model is None:
        return False
    if (entity, entity_id) in unsent:
        # Keep the laptop's row, but let a conflict awaiting the tutor compare against what
        # central holds now, not what it held when the conflict arose.
        for entry in session.scalars(
            select(OutboxEntry).where(
                OutboxEntry.entity == entity,
                OutboxEntry.entity_id == entity_id,
                OutboxEntry.state == "conflict",
            )
        ):
            if not deleted and version > (entry.result_version or 0):
                entry.result_version, entry.result_fields = version, dict(fields)
        return False
    table = model.__table__  # type: ignore[attr-defined]
    key = table.primary_key.columns.values()[0].key
    row = session.get(model, entity_id)
    if deleted:
        if row is not None:
            session.delete(row)
        return True
    values = {c.key: python_value(c, fields[c.key]) for c in table.columns if c.key in fields}
    values[key] = entity_id
    if issubclass(model, Syncable):
        values["server_version"] = version
        values.setdefault("updated_at", utcnow())
    if row is None:
        session.add(model(**values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    return True


def unsent_rows(session: Session) -> set[tuple[str, str]]:
    """Rows with local changes central has not taken: waiting to be sent, or in conflict or
    refused until the tutor settles them. A pull never overwrites these."""
    rows = session.execute(
        select(OutboxEntry.entity, OutboxEntry.entity_id).where(
            OutboxEntry.state.in_(("pending", "batched", *NEEDS_ATTENTION))
        )
    )
    return {(entity, entity_id) for entity, entity_id in rows}


def pulling(session: Session) -> None:
    """Mark a session as applying central's rows: no outbox entries, FKs checked at commit."""
    session.info[FROM_SERVER] = True
    session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
