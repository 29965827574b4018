"""Property: random tutors with their own tokens push random ops at random ids (other tutors'
rows, invented ones); no row changes that its writer did not own, and no pull carries a pupil or
a field outside the puller's need to know."""

import uuid
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_central.scope import Scope
from hms_central.store import Row, make_engine
from hms_protocol.entities import ENSEMBLE_ONLY_PUPIL_FIELDS
from hms_protocol.ids import lesson_id, mark_id

from .central import TutorClient, op
from .conftest import MONDAY
from .test_central_security import World


def snapshot(server) -> tuple[dict, dict[str, Scope]]:
    engine = make_engine(server.db_url)
    with Session(engine) as s:
        rows = {(r.entity, r.id): (r.version, r.scope, r.scope_id) for r in s.scalars(select(Row))}
        tutors = [r.id for r in s.scalars(select(Row).where(Row.entity == "tutor"))]
        scopes = {t: Scope.of(s, t) for t in tutors}
    engine.dispose()
    return rows, scopes


def entitled(scope: Scope, place: str, place_id: str | None) -> bool:
    return {
        "group": place_id in scope.groups or place_id in scope.cover,
        "ensemble": place_id in scope.ensembles,
        "pupil": place_id in scope.taught or place_id in scope.ensemble_pupils,
    }.get(place, False)


def random_op(data, world: World, writer: str) -> dict:
    groups = world.of("teaching_group")
    pupils = [p["id"] for p in world.of("pupil")]
    ensembles = [e["id"] for e in world.of("ensemble")]
    group = data.draw(st.sampled_from(groups))
    day = MONDAY + timedelta(days=data.draw(st.integers(0, 6)))
    pupil = data.draw(st.sampled_from(pupils))
    lid = lesson_id(group["id"], day)
    invented = str(uuid.UUID(int=data.draw(st.integers(0, 2**64)), version=4))
    kind = data.draw(st.sampled_from(["lesson", "attendance_mark", "target", "ensemble_member"]))
    fields = {
        "lesson": {
            "id": lid,
            "group_id": group["id"],
            "date": day.isoformat(),
            "start_time": group["start_time"],
            "status": "delivered",
            "note": "n",
        },
        "attendance_mark": {
            "id": mark_id(lid, pupil),
            "lesson_id": lid,
            "pupil_id": pupil,
            "code": data.draw(st.sampled_from(["P", "AN", "ZZ"])),
            "marked_at": "2026-11-23T10:00:00",
        },
        "target": {
            "id": invented,
            "pupil_id": pupil,
            "text": "t",
            "set_on": date(2026, 11, 1).isoformat(),
            "set_by_id": data.draw(st.sampled_from([writer, None, *world.emails])),
        },
        "ensemble_member": {
            "id": invented,
            "ensemble_id": data.draw(st.sampled_from(ensembles)),
            "pupil_id": pupil,
            "joined_on": "2026-09-01",
        },
    }[kind]
    # Aim at an existing row of any tutor half the time.
    existing = [i for (e, i) in world.rows if e == kind]
    target_id = fields["id"]
    if existing and data.draw(st.booleans()):
        target_id = data.draw(st.sampled_from(existing))
    return op(kind, target_id, fields, kind=data.draw(st.sampled_from(["upsert", "delete"])))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_nobody_writes_or_reads_beyond_their_rows(central, data):
    world = World(central)
    writers = [t for t in sorted(world.emails) if world.groups_of(t)][:3]
    for _round in range(3):
        writer = data.draw(st.sampled_from(writers))
        before, scopes = snapshot(central)
        client = TutorClient(central, world.emails[writer])
        try:
            client.push([random_op(data, world, writer) for _ in range(8)])
        finally:
            client.close()
        after, _ = snapshot(central)
        for key, (version, place, place_id) in after.items():
            old = before.get(key)
            if old is not None and old[0] == version:
                continue
            assert entitled(scopes[writer], place, place_id), key
            if old is not None:
                assert entitled(scopes[writer], old[1], old[2]), key
    reader = data.draw(st.sampled_from(writers))
    _, scopes = snapshot(central)
    scope = scopes[reader]
    client = TutorClient(central, world.emails[reader])
    try:
        changes = client.pull_all()
    finally:
        client.close()
    for change in changes:
        if change["entity"] == "pupil":
            assert change["entity_id"] in scope.visible
            if change["entity_id"] not in scope.taught:
                assert set(change["fields"]) <= set(ENSEMBLE_ONLY_PUPIL_FIELDS)
        elif "pupil_id" in change["fields"] and change["entity"] in (
            "assessment",
            "progress_note",
            "target",
            "certificate",
        ):
            assert change["fields"]["pupil_id"] in scope.taught
