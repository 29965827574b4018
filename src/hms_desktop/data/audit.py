"""The audit trail: every local change to a syncable row (a mark, a lesson, an assessment, a
roster place…) appends who/what/when with the fields before and after, in ``before_flush`` —
the same transaction as the change, like the outbox. Pulled rows are central's to record."""

from datetime import datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from hms_desktop.domain.ids import new_id
from hms_desktop.domain.types import OutboxOp

from .clock import utcnow
from .models import AuditEntry, OutboxEntry, Setting, Syncable
from .outbox import FROM_SERVER, OutboxState, _wire_value

AUDIT_ENTITY = "audit_entry"  # pushed to central, never pulled back

TUTOR_SETTING = "tutor_id"  # the same key as services.profile.TUTOR_ID
_SKIP = {"server_version", "updated_at", "id"}


def _who(session: Session) -> str | None:
    if "audit_tutor" not in session.info:
        with session.no_autoflush:
            session.info["audit_tutor"] = session.scalar(
                select(Setting.value).where(Setting.key == TUTOR_SETTING)
            )
    return session.info["audit_tutor"]


def _subject(obj: Any) -> tuple[str | None, str | None]:
    pupil = getattr(obj, "pupil_id", None)
    lesson = obj.id if obj.__sync_entity__ == "lesson" else getattr(obj, "lesson_id", None)
    return pupil, lesson


def _created(obj: Any) -> dict[str, list]:
    return {
        c.key: [None, _wire_value(getattr(obj, c.key))]
        for c in obj.__table__.columns
        if c.key not in _SKIP
    }


def _changed(obj: Any) -> dict[str, list]:
    out: dict[str, list] = {}
    state = inspect(obj)
    for column in obj.__table__.columns:
        if column.key in _SKIP:
            continue
        history = state.attrs[column.key].history
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                out[column.key] = [_wire_value(before), _wire_value(after)]
    return out


def entry(
    session: Session,
    action: str,
    entity: str,
    entity_id: str,
    changes: dict,
    *,
    pupil_id: str | None = None,
    lesson_id: str | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    row = AuditEntry(
        uid=new_id(),
        at=at or utcnow(),
        tutor_id=_who(session),
        action=action,
        entity=entity,
        entity_id=entity_id,
        pupil_id=pupil_id,
        lesson_id=lesson_id,
        changes=changes,
    )
    session.add(row)
    session.add(_to_central(row))
    return row


def _to_central(row: AuditEntry) -> OutboxEntry:
    """The entry queued for central in the same transaction: the trail goes with the changes."""
    return OutboxEntry(
        op_id=new_id(),
        entity=AUDIT_ENTITY,
        entity_id=row.uid,
        op=OutboxOp.UPSERT.value,
        base_version=None,
        fields={
            "id": row.uid,
            "at": _wire_value(row.at),
            "tutor_id": row.tutor_id,
            "action": row.action,
            "entity": row.entity,
            "entity_id": row.entity_id,
            "pupil_id": row.pupil_id,
            "lesson_id": row.lesson_id,
            "changes": row.changes,
        },
        client_ts=row.at,
        state=OutboxState.PENDING.value,
    )


def _capture(session: Session, _flush_context: Any, _instances: Any) -> None:
    if session.info.get(FROM_SERVER):
        return
    now = utcnow()
    found: list[tuple[str, Any, dict]] = []
    for obj in session.new:
        if isinstance(obj, Syncable):
            found.append(("create", obj, _created(obj)))
    for obj in session.dirty:
        if isinstance(obj, Syncable):
            changes = _changed(obj)
            if changes:
                found.append(("change", obj, changes))
    for obj in session.deleted:
        if isinstance(obj, Syncable):
            found.append(("delete", obj, {}))
    for action, obj, changes in found:
        pupil, lesson = _subject(obj)
        entry(
            session,
            action,
            obj.__sync_entity__,
            obj.id,
            changes,
            pupil_id=pupil,
            lesson_id=lesson,
            at=now,
        )


def install_audit_capture(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _capture)
