"""The store's side of sync: freezing outbox entries into batches, recording central's answers,
and applying pulled rows without creating outbox entries."""

import uuid
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Date, DateTime, Time, bindparam, delete, func, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from hms_protocol import ENTITIES
from hms_protocol.entities import problem

from . import models
from .audit import AUDIT_ENTITY
from .clock import utcnow
from .models import OutboxEntry, PulledSetAside, Setting, Syncable
from .outbox import ACKNOWLEDGED, FROM_SERVER, NEEDS_ATTENTION, WAITING, OutboxState

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
    "ensemble_helper": models.EnsembleHelper,
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
    "performance_member": models.PerformanceMember,
    "certificate": models.Certificate,
}
__all__ = ["NEEDS_ATTENTION", "WAITING", "OutboxState", "SettingKey"]


class SettingKey(StrEnum):
    """Every profile setting, named once (the settings table holds them as text)."""

    TUTOR_ID = "tutor_id"
    SERVER = "sync.server"
    DEVICE = "sync.device_id"
    CURSOR = "sync.cursor"
    EPOCH = "sync.epoch"
    LAST_SYNC = "sync.last_synced_at"


def get(session: Session, key: SettingKey) -> str | None:
    """A profile setting (who the tutor is, the sync cursor…)."""
    return session.scalar(select(Setting.value).where(Setting.key == key))


def put(session: Session, key: SettingKey, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def next_batch(session: Session, limit: int) -> tuple[str | None, list[OutboxEntry]]:
    """The batch to send: an unanswered one again, identical, or else newly frozen entries."""
    waiting = list(
        session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.state == OutboxState.BATCHED)
            .order_by(OutboxEntry.seq)
        )
    )
    if waiting:
        batch_id = waiting[0].batch_id
        return batch_id, [e for e in waiting if e.batch_id == batch_id]
    pending = list(
        session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.state == OutboxState.PENDING)
            .order_by(OutboxEntry.seq)
            .limit(limit)
        )
    )
    if not pending:
        return None, []
    batch_id = str(uuid.uuid4())
    for entry in pending:
        entry.state, entry.batch_id = OutboxState.BATCHED, batch_id
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
        result, version = OutboxState(answer["result"]), answer.get("version")
        entry.state, entry.result_reason = result, answer.get("reason")
        entry.result_version, entry.result_fields = version, answer.get("current")
        model = ENTITY_MODELS.get(entry.entity)
        if result == OutboxState.CONFLICT and entry.entity == "ensemble_member":
            _take_central_seat(session, entry.entity_id, version, answer.get("current"))
        if result in ACKNOWLEDGED and version is not None and model is not None:
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


def _take_central_seat(
    session: Session, member_id: str, version: int | None, kept: dict[str, Any] | None
) -> None:
    """A seat conflict: central gave the seat to the move that arrived first. The member goes
    back to where central keeps them (no outbox entry), so this laptop never shows two pupils in
    one seat; the refused move waits under Needs attention."""
    if not kept:
        return
    table = models.EnsembleMember.__table__
    values = {
        c.key: python_value(c, kept[c.key])
        for c in table.columns
        if c.key in kept and c.key != "id"
    }
    session.execute(
        update(table).where(table.c.id == member_id).values(**values, server_version=version)
    )


def counts(session: Session, with_trail: bool = True) -> dict[str, int]:
    """Outbox entries by state; ``with_trail=False`` leaves out the audit trail's entries,
    which ride along with the tutor's changes but are not changes a tutor made."""
    query = select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)
    if not with_trail:
        query = query.where(OutboxEntry.entity != AUDIT_ENTITY)
    return dict(session.execute(query).all())  # type: ignore[arg-type]


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
                OutboxEntry.state == OutboxState.CONFLICT,
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
            OutboxEntry.state.in_((*WAITING, *NEEDS_ATTENTION))
        )
    )
    return {(entity, entity_id) for entity, entity_id in rows}


def pulling(session: Session) -> None:
    """Mark a session as applying central's rows: no outbox entries, FKs checked at commit."""
    session.info[FROM_SERVER] = True
    session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")


def set_aside(
    session: Session, entity: str, entity_id: str, version: int, fields: dict, reason: str
) -> None:
    """Keep a pulled row this laptop could not apply, with its reason, for the tutor to see."""
    session.merge(
        PulledSetAside(
            entity=entity[:40],
            entity_id=entity_id[:36],
            version=version,
            reason=reason[:500],
            fields=fields,
            set_aside_at=utcnow(),
        )
    )


def apply_page(
    session: Session, changes: list[Any], unsent: set[tuple[str, str]]
) -> tuple[int, int, int]:
    """Apply a pulled page inside the caller's transaction: each row is checked against its
    entity's schema; a row that fails, or that the store refuses, is set aside with its reason
    and the rest go on. The page is tried whole in one savepoint first, and row by row (a
    savepoint each) only when that fails. Returns (applied, skipped, set aside)."""
    waiting_aside = {(r.entity, r.entity_id) for r in set_aside_rows(session)}
    skipped = aside = 0
    ready: list[tuple[Any, dict]] = []
    for change in changes:
        spec = ENTITIES.get(change.entity)
        if spec is None or change.entity not in ENTITY_MODELS:
            skipped += 1
            continue
        fields = change.fields
        if not change.deleted:
            try:
                fields = spec.validate(
                    {k: v for k, v in fields.items() if k in spec.schema.model_fields}
                )
            except (ValidationError, ValueError, TypeError) as err:
                why = problem(err) if isinstance(err, ValidationError) else "it is not valid"
                set_aside(session, change.entity, change.entity_id, change.version, fields, why)
                aside += 1
                continue
        ready.append((change, fields))
    try:
        with session.begin_nested():
            outcomes: list[bool | None] = [_apply(session, c, f, unsent) for c, f in ready]
            session.flush()
    except (ValueError, TypeError, SQLAlchemyError):
        outcomes = []
        for change, fields in ready:
            try:
                with session.begin_nested():
                    outcomes.append(_apply(session, change, fields, unsent))
                    session.flush()
            except (ValueError, TypeError, SQLAlchemyError):
                set_aside(
                    session,
                    change.entity,
                    change.entity_id,
                    change.version,
                    fields,
                    "it could not be stored",
                )
                aside += 1
                outcomes.append(None)
    applied = 0
    placed: dict[tuple[str, str], Any] = {}
    for (change, _fields), done in zip(ready, outcomes, strict=True):
        if done is None:
            continue
        if not done:
            skipped += 1
            continue
        applied += 1
        key = (change.entity, change.entity_id)
        placed[key] = change
        if key in waiting_aside:  # central has sent a version this laptop could use
            session.execute(
                delete(PulledSetAside).where(
                    PulledSetAside.entity == change.entity,
                    PulledSetAside.entity_id == change.entity_id,
                )
            )
    orphans = _set_aside_orphans(session, placed)
    return applied - orphans, skipped, aside + orphans


def _apply(session: Session, change: Any, fields: dict, unsent: set[tuple[str, str]]) -> bool:
    return apply_change(
        session, change.entity, change.entity_id, change.version, change.deleted, fields, unsent
    )


def _set_aside_orphans(session: Session, placed: dict[tuple[str, str], Any]) -> int:
    """Rows of this page that point at something this laptop does not have (foreign keys are
    checked at commit during a pull) are taken out again and set aside, so the page commits."""
    orphans = 0
    by_table = {ENTITY_MODELS[e].__table__.name: e for e, _ in placed}  # type: ignore[attr-defined]
    for table_name, rowid, _parent, _fk in session.execute(text("PRAGMA foreign_key_check")):
        entity = by_table.get(table_name)
        if entity is None:
            continue
        table = ENTITY_MODELS[entity].__table__  # type: ignore[attr-defined]
        key = table.primary_key.columns.values()[0]
        row_id = session.scalar(select(key).where(text(f"{table_name}.rowid = :r")), {"r": rowid})
        change = placed.get((entity, row_id))
        if change is None:
            continue
        session.execute(delete(table).where(key == row_id))
        set_aside(
            session,
            entity,
            row_id,
            change.version,
            change.fields,
            "it refers to something this laptop has not received",
        )
        orphans += 1
    return orphans


def set_aside_rows(session: Session) -> list[PulledSetAside]:
    return list(session.scalars(select(PulledSetAside).order_by(PulledSetAside.set_aside_at)))


def requeue_for_cover(session: Session) -> int:
    """After central tells this laptop of a cover assignment, send refused lessons and marks
    again, as new entries (central remembers every op id's answer), in their original order."""
    entries = list(
        session.scalars(
            select(OutboxEntry)
            .where(
                OutboxEntry.state == OutboxState.REJECTED,
                OutboxEntry.entity.in_(("lesson", "attendance_mark")),
            )
            .order_by(OutboxEntry.seq)
        )
    )
    for entry in entries:
        entry.state = OutboxState.SUPERSEDED
        session.add(
            OutboxEntry(
                op_id=str(uuid.uuid4()),
                entity=entry.entity,
                entity_id=entry.entity_id,
                op=entry.op,
                base_version=entry.base_version,
                fields=entry.fields,
                client_ts=entry.client_ts,
                state=OutboxState.PENDING,
            )
        )
    return len(entries)
