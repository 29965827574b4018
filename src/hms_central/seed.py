"""Central's side of the demo world: the same borough the desktop's demo builds, with accounts."""

from datetime import date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from hms_demo import demo_world
from hms_protocol.reference import (
    DEFAULT_CODES,
    FRAMEWORKS,
    INSTRUMENTS,
    framework_id,
    framework_level_id,
    instrument_id,
)

from .store import Account, Meta, Row, hash_password, next_seq, now

LOCAL_ONLY = {"server_version", "updated_at", "secondary"}


def wire(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v.isoformat() if isinstance(v, date | time | datetime) else v
        for k, v in fields.items()
        if k not in LOCAL_ONLY
    }


def scope_for(
    entity: str, fields: dict[str, Any], lesson_groups: dict[str, str]
) -> tuple[str, str | None]:
    if entity == "pupil":
        return "pupil", fields["id"]
    if entity in ("enrolment", "lesson"):
        return "group", fields["group_id"]
    if entity == "attendance_mark":
        return "group", lesson_groups[fields["lesson_id"]]
    if entity in ("assessment", "certificate", "progress_note", "target"):
        return "pupil", fields["pupil_id"]
    if entity in ("ensemble_section", "ensemble_member", "rehearsal", "performance"):
        return "ensemble", fields["ensemble_id"]
    if entity == "rehearsal_mark":
        return "ensemble", lesson_groups[fields["rehearsal_id"]]
    return "public", None


def add_rows(
    session: Session, entity: str, rows: list[dict], lesson_groups: dict[str, str], key: str = "id"
) -> None:
    stamp = now()
    seq = next_seq(session)
    for n, fields in enumerate(rows):
        data = wire(fields)
        scope, scope_id = scope_for(entity, data, lesson_groups)
        session.add(
            Row(
                entity=entity,
                id=str(data[key]),
                version=1,
                seq=seq + n,
                fields=data,
                deleted=False,
                scope=scope,
                scope_id=scope_id,
                updated_at=stamp,
            )
        )
    session.get(Meta, "seq").value = str(seq + len(rows))  # type: ignore[union-attr]


def reference_rows(session: Session) -> None:
    add_rows(
        session,
        "attendance_code",
        [c.as_row() for c in DEFAULT_CODES],
        {},
        key="code",
    )
    add_rows(
        session,
        "instrument",
        [{"id": instrument_id(n), "name": n, "family": f} for n, f in INSTRUMENTS],
        {},
    )
    add_rows(
        session,
        "framework",
        [{"id": framework_id(n), "name": n, "kind": k} for n, k, _ in FRAMEWORKS],
        {},
    )
    add_rows(
        session,
        "framework_level",
        [
            {
                "id": framework_level_id(n, level),
                "framework_id": framework_id(n),
                "ordinal": i,
                "name": level,
            }
            for n, _, levels in FRAMEWORKS
            for i, level in enumerate(levels)
        ],
        {},
    )


def seed_central(
    session: Session, pupils: int, seed: int, today: date, password: str
) -> dict[str, Any]:
    world, me, tutors, _groups = demo_world(pupils, seed, today)
    reference_rows(session)
    # Each lesson's group and each rehearsal's ensemble: who receives their marks.
    lesson_groups = {lesson["id"]: lesson["group_id"] for lesson in world.lessons}
    lesson_groups |= {r["id"]: r["ensemble_id"] for r in world.rehearsals}
    public_tutors = [{"id": t["id"], "name": t["name"], "email": None} for t in tutors]
    for entity, rows in (
        ("tutor", public_tutors),
        ("school", world.schools),
        ("pupil", world.pupils),
        ("teaching_group", world.groups),
        ("enrolment", world.enrolments),
        ("holiday", world.holidays),
        ("lesson", world.lessons),
        ("attendance_mark", world.marks),
        ("assessment", world.assessments),
        ("ensemble", world.ensembles),
        ("ensemble_helper", world.helpers),
        ("ensemble_section", world.sections),
        ("ensemble_member", world.members),
        ("rehearsal", world.rehearsals),
        ("rehearsal_mark", world.rehearsal_marks),
    ):
        add_rows(session, entity, rows, lesson_groups)
    hashed = hash_password(password)
    for tutor in tutors:
        session.add(Account(tutor_id=tutor["id"], email=tutor["email"], password_hash=hashed))
    return {
        "tutor_email": tutors[0]["email"],
        "tutor_id": me,
        "pupils": len(world.pupils),
        "tutors": len(tutors),
    }
