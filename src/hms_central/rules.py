"""Applying a pushed batch: validation, who may write what (by the row as central holds it and by
the new values), versions, conflicts, append-only rows.

A refusal says why in general terms and never carries anything of the row it refers to.
"""

from datetime import date

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_protocol import ENTITIES, Op, OpOutcome
from hms_protocol.entities import problem
from hms_protocol.ids import lesson_id, mark_id, performer_id, rehearsal_id, rehearsal_mark_id

from .scope import Scope
from .store import AppliedOp, Conflict, Row, find_row, now, prefetch_rows, put_row

APPEND_ONLY = {"assessment", "progress_note"}
# Fields that make two versions of a mark or lesson "different" for a conflict.
COMPARED = {
    "attendance_mark": ("code", "comment"),
    "lesson": ("status", "note"),
    "rehearsal_mark": ("code", "comment"),
}
# Who wrote a row, by entity: another tutor's target is not yours to change.
AUTHOR = {"target": "set_by_id"}
PUPIL_ROWS = ("assessment", "progress_note", "target", "certificate")
ENSEMBLE_ROWS = ("ensemble_member", "rehearsal", "rehearsal_mark", "performance")
# Rows about one member under an ensemble's rehearsal or performance: (parent entity, its key).
MEMBER_ROWS = {
    "rehearsal_mark": ("rehearsal", "rehearsal_id"),
    "performance_member": ("performance", "performance_id"),
}
NOT_YOURS = "this is not in one of your groups or ensembles"
COVER_NEEDED = "cover for this lesson has not been assigned to you by the office (yet)"


class Refused(Exception):
    """An op the tutor may not make; the message is safe to send back."""


def _lesson_group(session: Session, scope: Scope, lesson_id_: str | None) -> str:
    lesson = find_row(session, "lesson", lesson_id_ or "")
    if lesson is None or lesson.deleted:
        raise Refused("this mark's lesson is not known to the music service yet")
    group = lesson.fields.get("group_id")
    if group not in scope.groups and not scope.covers(group, lesson.fields.get("date")):
        raise Refused(COVER_NEEDED if group not in scope.groups else NOT_YOURS)
    return group  # type: ignore[return-value]


def _row_place(session: Session, scope: Scope, entity: str, f: dict) -> tuple[str, str | None]:
    """Check one version of a row (as central holds it, or as pushed) against the tutor's
    scope; return the (scope, scope id) that decides who receives it on pull."""
    if entity == "lesson":
        group = f.get("group_id")
        if group not in scope.groups and not scope.covers(group, f.get("date")):
            raise Refused(COVER_NEEDED)
        return "group", group
    if entity == "attendance_mark":
        group = _lesson_group(session, scope, f.get("lesson_id"))
        if (group, f.get("pupil_id")) not in scope.enrolled:
            raise Refused("this pupil is not in the group")
        return "group", group
    if entity in PUPIL_ROWS:
        pupil = f.get("pupil_id")
        allowed = scope.taught | (scope.ensemble_pupils if entity == "certificate" else set())
        if pupil not in allowed:
            raise Refused("this pupil is not one of yours")
        author = AUTHOR.get(entity)
        if author and f.get(author) not in (None, scope.tutor_id):
            raise Refused("this was written by another tutor")
        return "pupil", pupil
    if entity in MEMBER_ROWS:  # a member's row under a rehearsal or performance
        parent_entity, parent_key = MEMBER_ROWS[entity]
        parent = find_row(session, parent_entity, f.get(parent_key) or "")
        ensemble = parent.fields.get("ensemble_id") if parent else None
        if ensemble not in scope.ensembles:
            raise Refused("this ensemble is not one you lead or help with")
        if (ensemble, f.get("pupil_id")) not in scope.members:
            raise Refused("this pupil is not a member of the ensemble")
        return "ensemble", ensemble
    if entity in ENSEMBLE_ROWS or entity == "ensemble_section":
        ensemble = f.get("ensemble_id")
        if ensemble not in scope.ensembles:
            raise Refused("this ensemble is not one you lead or help with")
        return "ensemble", ensemble
    if entity == "audit_entry":
        if f.get("tutor_id") != scope.tutor_id:
            raise Refused("an audit entry is sent only by the tutor who made the change")
        return "office", None  # for the office; never pulled back by laptops
    raise Refused(f"{entity} is kept by the music service office and cannot be changed here")


def _check_ids(entity: str, entity_id: str, f: dict) -> None:
    expected = {
        "lesson": lambda: lesson_id(f["group_id"], date.fromisoformat(f["date"])),
        "attendance_mark": lambda: mark_id(f["lesson_id"], f["pupil_id"]),
        "rehearsal": lambda: rehearsal_id(f["ensemble_id"], date.fromisoformat(f["date"])),
        "rehearsal_mark": lambda: rehearsal_mark_id(f["rehearsal_id"], f["pupil_id"]),
        "performance_member": lambda: performer_id(f["performance_id"], f["pupil_id"]),
    }.get(entity)
    if f.get("id") != entity_id or (expected is not None and entity_id != expected()):
        raise Refused("the id does not match what it is for")


def _check_references(session: Session, entity: str, f: dict) -> None:
    """What the row points at must exist centrally: codes, levels."""
    if entity in ("attendance_mark", "rehearsal_mark"):
        code = find_row(session, "attendance_code", f["code"])
        usable = code is not None and code.fields.get(
            "ensemble" if entity == "rehearsal_mark" else "tuition"
        )
        if not usable:
            raise Refused(f"'{f['code']}' is not an attendance code the music service uses here")
    if f.get("level_id") and find_row(session, "framework_level", f["level_id"]) is None:
        raise Refused("that progress level is not one the music service knows")


def authorise(session: Session, scope: Scope, op: Op, current: Row | None) -> tuple[str, ...]:
    """Check the op against the row as central holds it and against its new values; return
    the canonical fields to store and the (scope, scope id) of the row. Raises Refused."""
    spec = ENTITIES.get(op.entity)
    if spec is None or not spec.pushed:
        raise Refused(f"{op.entity[:40]} is kept by the music service office")
    if op.entity == "audit_entry" and (op.op == "delete" or current is not None):
        raise Refused("the audit trail is append-only: an entry is never changed or removed")
    if current is not None:
        place = _row_place(session, scope, op.entity, current.fields)
        moved = op.fields.get("pupil_id") != current.fields.get("pupil_id")
        if op.entity == "ensemble_member" and op.op == "upsert" and moved:
            raise Refused("a membership cannot move to another pupil")
    if op.op == "delete":
        if current is None:
            raise Refused("there is nothing to delete")
        if op.entity == "ensemble_section":
            raise Refused(SECTIONS_NAMED_BY_OFFICE)
        return place
    if op.entity == "ensemble_section":
        _only_reordered(op, current)
    if op.entity == "ensemble_member" and current is None:
        pupil = op.fields.get("pupil_id")
        if pupil not in scope.taught and pupil not in scope.ensemble_pupils:
            raise Refused(
                "pupils you do not teach are added to an ensemble by the music service office"
            )
    return _row_place(session, scope, op.entity, op.fields)


SECTIONS_NAMED_BY_OFFICE = (
    "sections are added, named and removed by the music service office; "
    "here they can only be put in another order"
)


def _only_reordered(op: Op, current: Row | None) -> None:
    """A section's leader or helpers change its place in the order, nothing else."""
    if current is None or current.deleted:
        raise Refused(SECTIONS_NAMED_BY_OFFICE)
    renamed = any(op.fields.get(k) != current.fields.get(k) for k in ("ensemble_id", "name"))
    if renamed or op.fields.get("deleted_at"):
        raise Refused(SECTIONS_NAMED_BY_OFFICE)


def apply_batch(session: Session, scope: Scope, device_id: str, ops: list[Op]) -> list[OpOutcome]:
    """Apply a batch in the caller's transaction, with its rows and op ids looked up once."""
    keys = {(op.entity, op.entity_id) for op in ops}
    pointers = {  # what ops point at, looked up once for the whole batch
        "lesson_id": "lesson",
        "rehearsal_id": "rehearsal",
        "code": "attendance_code",
        "level_id": "framework_level",
    }
    keys |= {
        (entity, op.fields[field])
        for op in ops
        for field, entity in pointers.items()
        if isinstance(op.fields.get(field), str)
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
    if done_ops is not None:
        done_ops[op.op_id] = AppliedOp(op_id=op.op_id)  # the same op twice in one batch
    try:
        outcome = _evaluate(session, scope, device_id, op)
    except Refused as refusal:
        outcome = OpOutcome(op_id=op.op_id, result="rejected", reason=str(refusal))
    if op.entity == "ensemble_member" and outcome.result != "rejected":
        # A batch is judged in order: a member added here can be marked later in it.
        scope.admit(find_row(session, op.entity, op.entity_id))
    if done_ops is not None:
        done_ops[op.op_id].version, done_ops[op.op_id].reason = outcome.version, outcome.reason
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


def _validated(op: Op) -> dict:
    spec = ENTITIES.get(op.entity)
    if spec is None or not spec.pushed:
        raise Refused(f"{op.entity[:40]} is kept by the music service office")
    if op.op == "delete":
        return {}
    try:
        return spec.validate(op.fields)
    except ValidationError as err:
        raise Refused(f"the {op.entity} is not valid: {problem(err)}") from None


def _content(fields: dict) -> dict:
    """What an append-only row says: it may be withdrawn (an undo) and put back, never edited."""
    return {k: v for k, v in fields.items() if k != "deleted_at"}


def _evaluate(session: Session, scope: Scope, device_id: str, op: Op) -> OpOutcome:
    fields = _validated(op)
    if op.op == "upsert":
        _check_ids(op.entity, op.entity_id, fields)
        _check_references(session, op.entity, fields)
    op = op.model_copy(update={"fields": fields})
    current = find_row(session, op.entity, op.entity_id)
    row_scope, scope_id = authorise(session, scope, op, current)
    if (
        current is not None
        and op.entity in APPEND_ONLY
        and _content(current.fields) != _content(op.fields)
    ):
        return OpOutcome(
            op_id=op.op_id,
            result="rejected",
            version=current.version,
            reason="assessments and progress notes are never edited, only withdrawn: add one",
        )
    if op.entity == "ensemble_member" and op.op == "upsert" and _seat_taken(session, op):
        return _seat_conflict(session, device_id, op, current, row_scope, scope_id)
    stale = (
        current is not None
        and current.version != (op.base_version or 0)
        and current.last_device_id != device_id
    )
    if stale and op.entity in COMPARED and op.op == "upsert":
        keys = COMPARED[op.entity]
        same = all(current.fields.get(k) == op.fields.get(k) for k in keys)  # type: ignore[union-attr]
        if not same and not current.deleted:  # type: ignore[union-attr]
            session.add(
                Conflict(
                    op_id=op.op_id,
                    entity=op.entity,
                    entity_id=op.entity_id,
                    device_id=device_id,
                    theirs=dict(op.fields),
                    kept=dict(current.fields),  # type: ignore[union-attr]
                    at=now(),
                )
            )
            # Only someone entitled to this row gets here (checked above), so what central
            # kept can be shown to them for comparison.
            return OpOutcome(
                op_id=op.op_id,
                result="conflict",
                version=current.version,  # type: ignore[union-attr]
                reason="another laptop already recorded something different; yours was kept "
                "for review, not applied",
                current=dict(current.fields),  # type: ignore[union-attr]
            )
        if same:
            return OpOutcome(op_id=op.op_id, result="applied", version=current.version)  # type: ignore[union-attr]
    deleted = op.op == "delete"
    row = put_row(
        session,
        op.entity,
        op.entity_id,
        dict(current.fields) if deleted and current is not None else dict(op.fields),
        row_scope,
        scope_id,
        device_id=device_id,
        deleted=deleted,
    )
    return OpOutcome(op_id=op.op_id, result="applied", version=row.version)


SEAT_TAKEN = (
    "another laptop moved someone into that seat first; your move was kept for review, not applied"
)


def _seat_taken(session: Session, op: Op) -> bool:
    """Whether another current member of the ensemble already holds the seat this op puts its
    member in (as central holds the rows now, including earlier ops of this batch)."""
    f = op.fields
    if f.get("seat") is None or f.get("left_on") or f.get("deleted_at"):
        return False
    ensemble = f.get("ensemble_id")
    rows = list(
        session.scalars(
            select(Row).where(Row.entity == "ensemble_member", Row.scope_id == ensemble)
        )
    )
    rows += [
        r
        for (entity, _id), r in session.info.get("added_rows", {}).items()
        if entity == "ensemble_member" and r.scope_id == ensemble and r not in rows
    ]
    return any(
        r.id != op.entity_id
        and not r.deleted
        and not r.fields.get("left_on")
        and not r.fields.get("deleted_at")
        and r.fields.get("section_id") == f.get("section_id")
        and r.fields.get("seat") == f.get("seat")
        for r in rows
    )


def _seat_conflict(session, device_id, op: Op, current, row_scope, scope_id) -> OpOutcome:
    """Server order settles a seat: the first move to arrive keeps it. The later one is not
    applied; a new member still joins, without a seat. The laptop is told what central kept."""
    if current is None:
        kept = put_row(
            session,
            op.entity,
            op.entity_id,
            {**op.fields, "seat": None},
            row_scope,
            scope_id,
            device_id=device_id,
        )
    else:
        kept = current
    session.add(
        Conflict(
            op_id=op.op_id,
            entity=op.entity,
            entity_id=op.entity_id,
            device_id=device_id,
            theirs=dict(op.fields),
            kept=dict(kept.fields),
            at=now(),
        )
    )
    return OpOutcome(
        op_id=op.op_id,
        result="conflict",
        version=kept.version,
        reason=SEAT_TAKEN,
        current=dict(kept.fields),
    )
