"""Applying a pushed batch: who may write what, versions, conflicts, append-only rows."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_protocol import PUSHED_ENTITIES, Op, OpOutcome

from .store import AppliedOp, Conflict, Row, find_row, now, prefetch_rows, put_row

NAMESPACE = uuid.UUID("5b0f3f8e-6c1d-4c53-9a52-3e1a4d6f8b21")  # hms_desktop.domain.ids
APPEND_ONLY = {"assessment", "progress_note"}
# Fields that make two versions of a mark or lesson "different" for a conflict.
COMPARED = {
    "attendance_mark": ("code", "comment"),
    "lesson": ("status", "note"),
    "rehearsal_mark": ("code", "comment"),
}


@dataclass
class Scope:
    """What one tutor may write: their groups, their pupils, the ensembles they lead."""

    tutor_id: str
    groups: set[str]
    pupils: set[str]
    ensembles: set[str]
    enrolled: set[tuple[str, str]]  # (group, pupil) in the tutor's groups

    @classmethod
    def of(cls, session: Session, tutor_id: str) -> "Scope":
        groups = {
            r.id
            for r in session.scalars(
                select(Row).where(Row.entity == "teaching_group", Row.deleted.is_(False))
            )
            if r.fields.get("tutor_id") == tutor_id
        }
        ensembles = {
            r.id
            for r in session.scalars(
                select(Row).where(Row.entity == "ensemble", Row.deleted.is_(False))
            )
            if r.fields.get("leader_id") == tutor_id
        }
        enrolled = {
            (r.scope_id, r.fields["pupil_id"])
            for r in session.scalars(
                select(Row).where(Row.entity == "enrolment", Row.scope_id.in_(groups))
            )
        }
        pupils = {pupil for _group, pupil in enrolled}
        pupils |= {
            r.fields["pupil_id"]
            for r in session.scalars(
                select(Row).where(Row.entity == "ensemble_member", Row.deleted.is_(False))
            )
            if r.fields.get("ensemble_id") in ensembles
        }
        return cls(tutor_id, groups, pupils, ensembles, enrolled)


def _uuid5(text: str) -> str:
    return str(uuid.uuid5(NAMESPACE, text))


def authorise(session: Session, scope: Scope, op: Op) -> tuple[str, str | None] | str:
    """(scope, scope id) for the row, or the reason the tutor may not write it."""
    f = op.fields
    if op.entity not in PUSHED_ENTITIES:
        return f"{op.entity} is kept by the music service office and cannot be changed here"
    if op.entity == "lesson":
        group = f.get("group_id")
        if group not in scope.groups:
            return "this lesson's group is not one of yours (cover must be assigned by the office)"
        if f.get("date") and op.entity_id != _uuid5(f"lesson|{group}|{f['date']}"):
            return "the lesson's id does not match its group and date"
        return "group", group
    if op.entity == "attendance_mark":
        lesson = find_row(session, "lesson", f.get("lesson_id", ""))
        group = lesson.fields.get("group_id") if lesson else None
        if group not in scope.groups:
            return "this mark's lesson is not in one of your groups"
        if (group, f.get("pupil_id", "")) not in scope.enrolled:
            return "this pupil is not in the group"
        if op.entity_id != _uuid5(f"mark|{f['lesson_id']}|{f['pupil_id']}"):
            return "the mark's id does not match its lesson and pupil"
        return "group", group
    if op.entity in ("assessment", "progress_note", "target", "certificate"):
        if f.get("pupil_id") not in scope.pupils:
            return "this pupil is not one of yours"
        return "pupil", f["pupil_id"]
    ensemble = f.get("ensemble_id")
    if op.entity == "rehearsal_mark":
        rehearsal = find_row(session, "rehearsal", f.get("rehearsal_id", ""))
        ensemble = rehearsal.fields.get("ensemble_id") if rehearsal else None
    if ensemble not in scope.ensembles:
        return "this ensemble is not one you lead"
    if op.entity in ("ensemble_member", "rehearsal_mark"):
        return "pupil", f.get("pupil_id")
    return "public", None


def apply_batch(session: Session, scope: Scope, device_id: str, ops: list[Op]) -> list[OpOutcome]:
    """Apply a batch in the caller's transaction, with its rows and op ids looked up once."""
    keys = {(op.entity, op.entity_id) for op in ops}
    keys |= {
        ("lesson", op.fields["lesson_id"])
        for op in ops
        if op.entity == "attendance_mark" and isinstance(op.fields.get("lesson_id"), str)
    }
    prefetch_rows(session, keys)
    done = {
        a.op_id: a
        for a in session.scalars(
            select(AppliedOp).where(AppliedOp.op_id.in_([op.op_id for op in ops]))
        )
    }
    with session.no_autoflush:  # one flush for the whole batch, at commit
        return [apply_op(session, scope, device_id, op, done) for op in ops]


def apply_op(
    session: Session,
    scope: Scope,
    device_id: str,
    op: Op,
    done_ops: dict[str, AppliedOp] | None = None,
) -> OpOutcome:
    done = done_ops.get(op.op_id) if done_ops is not None else session.get(AppliedOp, op.op_id)
    if done is not None:
        return OpOutcome(
            op_id=op.op_id, result="duplicate", version=done.version, reason=done.reason
        )
    outcome = _evaluate(session, scope, device_id, op)
    session.add(
        AppliedOp(
            op_id=op.op_id,
            device_id=device_id,
            result=outcome.result,
            version=outcome.version,
            reason=outcome.reason,
        )
    )
    return outcome


def _evaluate(session: Session, scope: Scope, device_id: str, op: Op) -> OpOutcome:
    allowed = authorise(session, scope, op)
    if isinstance(allowed, str):
        return OpOutcome(op_id=op.op_id, result="rejected", reason=allowed)
    row_scope, scope_id = allowed
    current = find_row(session, op.entity, op.entity_id)
    if current is not None and op.entity in APPEND_ONLY and current.fields != op.fields:
        return OpOutcome(
            op_id=op.op_id,
            result="rejected",
            version=current.version,
            reason="assessments and progress notes are never edited: add a new one",
        )
    stale = (
        current is not None
        and current.version != (op.base_version or 0)
        and current.last_device_id != device_id
    )
    if stale and op.entity in COMPARED:
        keys = COMPARED[op.entity]
        same = all(current.fields.get(k) == op.fields.get(k) for k in keys)
        if not same and not current.deleted:
            session.add(
                Conflict(
                    op_id=op.op_id,
                    entity=op.entity,
                    entity_id=op.entity_id,
                    device_id=device_id,
                    theirs=dict(op.fields),
                    kept=dict(current.fields),
                    at=now(),
                )
            )
            kept = ", ".join(
                f"{k} {current.fields.get(k)!r}" for k in keys if current.fields.get(k)
            )
            return OpOutcome(
                op_id=op.op_id,
                result="conflict",
                version=current.version,
                reason=f"another laptop already recorded {kept}; yours was kept "
                "for review, not applied",
                current=dict(current.fields),
            )
        if same:
            return OpOutcome(op_id=op.op_id, result="applied", version=current.version)
    row = put_row(
        session,
        op.entity,
        op.entity_id,
        dict(op.fields),
        row_scope,
        scope_id,
        device_id=device_id,
        deleted=op.op == "delete",
    )
    return OpOutcome(op_id=op.op_id, result="applied", version=row.version)
