"""Change capture: every write to a syncable row adds an outbox entry in the same transaction.

The hook runs in ``before_flush``, so the row and its outbox entry are flushed and committed
together: a crash keeps both or neither. Sessions flagged ``info["from_server"]`` (the pull)
write rows without outbox entries.
"""

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from hms_desktop.domain.ids import new_id
from hms_desktop.domain.types import OutboxOp

from .clock import utcnow
from .models import OutboxEntry, Syncable

FROM_SERVER = "from_server"


class OutboxState(StrEnum):
    """Where one outbox entry is: pending → batched → applied | duplicate | conflict |
    rejected; a conflict or refusal the tutor settled is resolved; one sent again under a new
    op id (after the office assigned cover) is superseded."""

    PENDING = "pending"
    BATCHED = "batched"
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    RESOLVED = "resolved"
    SUPERSEDED = "superseded"


WAITING = (OutboxState.PENDING, OutboxState.BATCHED)
NEEDS_ATTENTION = (OutboxState.CONFLICT, OutboxState.REJECTED)
ACKNOWLEDGED = (OutboxState.APPLIED, OutboxState.DUPLICATE)
# Bookkeeping columns that describe the local copy, not the thing itself.
_LOCAL_ONLY = {"server_version", "updated_at"}


def _wire_value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def row_fields(obj: Syncable) -> dict[str, Any]:
    """The row's columns as JSON-ready values, with column defaults filled in for new rows."""
    fields: dict[str, Any] = {}
    for column in obj.__table__.columns:  # type: ignore[attr-defined]
        if column.key in _LOCAL_ONLY:
            continue
        value = getattr(obj, column.key)
        if value is None and column.default is not None and column.default.is_scalar:
            value = column.default.arg
            setattr(obj, column.key, value)
        fields[column.key] = _wire_value(value)
    return fields


def _entry(obj: Syncable, op: OutboxOp, now: datetime) -> OutboxEntry:
    return OutboxEntry(
        op_id=new_id(),
        entity=obj.__sync_entity__,
        entity_id=obj.id,  # type: ignore[attr-defined]
        op=op.value,
        base_version=obj.server_version,
        fields=row_fields(obj) if op is OutboxOp.UPSERT else {},
        client_ts=now,
        state=OutboxState.PENDING,
    )


def _capture(session: Session, _flush_context: Any, _instances: Any) -> None:
    if session.info.get(FROM_SERVER):
        return
    now = utcnow()
    entries: list[OutboxEntry] = []
    for obj in session.new:
        if isinstance(obj, Syncable):
            obj.updated_at = now
            entries.append(_entry(obj, OutboxOp.UPSERT, now))
    for obj in session.dirty:
        if isinstance(obj, Syncable) and session.is_modified(obj, include_collections=False):
            obj.updated_at = now
            entries.append(_entry(obj, OutboxOp.UPSERT, now))
    for obj in session.deleted:
        if isinstance(obj, Syncable):
            entries.append(_entry(obj, OutboxOp.DELETE, now))
    session.add_all(entries)


def install_change_capture(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _capture)


def pending_count(session: Session) -> int:
    """Changes made on this laptop that central has not yet acknowledged (the audit trail's
    own entries, which travel with them, are not counted)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.state.in_(WAITING), OutboxEntry.entity != "audit_entry")
        )
        or 0
    )
