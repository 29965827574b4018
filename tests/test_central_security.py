"""Central as an attacker would test it, against the real server on SQLite and on PostgreSQL:
each of issue #12's findings 1-4 as a test that failed before the fix."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_central.store import Account, Row, make_engine
from hms_protocol.entities import ENSEMBLE_ONLY_PUPIL_FIELDS
from hms_protocol.ids import lesson_id, mark_id

from .central import TutorClient, op
from .conftest import MONDAY

ME = "samira.okaforreid@hms.invalid"


class World:
    """Facts about the seeded demo world, read from central's own store."""

    def __init__(self, server) -> None:
        engine = make_engine(server.db_url)
        with Session(engine) as s:
            self.emails = {a.tutor_id: a.email for a in s.scalars(select(Account))}
            self.rows = {(r.entity, r.id): (r.version, r.fields) for r in s.scalars(select(Row))}
        engine.dispose()
        self.me = next(t for t, e in self.emails.items() if e == ME)

    def of(self, entity: str) -> list[dict]:
        return [f for (e, _), (_v, f) in self.rows.items() if e == entity]

    def groups_of(self, tutor: str) -> list[dict]:
        return [g for g in self.of("teaching_group") if g["tutor_id"] == tutor]

    def pupils_of(self, tutor: str) -> set[str]:
        groups = {g["id"] for g in self.groups_of(tutor)}
        return {e["pupil_id"] for e in self.of("enrolment") if e["group_id"] in groups}

    def other_tutor(self) -> str:
        return next(t for t in sorted(self.emails) if t != self.me and self.groups_of(t))


def lesson_fields(group: dict, day: date, **extra) -> dict:
    lid = lesson_id(group["id"], day)
    return {
        "id": lid,
        "group_id": group["id"],
        "date": day.isoformat(),
        "start_time": group["start_time"],
        "status": "delivered",
        **extra,
    }


def central_row(server, entity: str, row_id: str) -> tuple[int, dict] | None:
    engine = make_engine(server.db_url)
    with Session(engine) as s:
        row = s.get(Row, (entity, row_id))
        found = (row.version, dict(row.fields), row.deleted) if row else None
    engine.dispose()
    return found


@pytest.fixture
def me(any_central):
    client = TutorClient(any_central, ME)
    yield client
    client.close()


def test_a_leader_cannot_add_pupils_they_do_not_teach_nor_read_them(any_central, me):
    world = World(any_central)
    ensemble = next(e for e in world.of("ensemble") if e["leader_id"] == world.me)
    # Pupils already in one of the ensembles the tutor leads or helps with may join another of
    # them: not strangers.
    led = {e["id"] for e in world.of("ensemble") if e["leader_id"] == world.me} | {
        h["ensemble_id"] for h in world.of("ensemble_helper") if h["tutor_id"] == world.me
    }
    known = world.pupils_of(world.me) | {
        m["pupil_id"] for m in world.of("ensemble_member") if m["ensemble_id"] in led
    }
    strangers = [p["id"] for p in world.of("pupil") if p["id"] not in known]
    ops = [
        op(
            "ensemble_member",
            member,
            {
                "id": member,
                "ensemble_id": ensemble["id"],
                "pupil_id": pupil,
                "joined_on": "2026-09-07",
            },
        )
        for member, pupil in (
            (f"00000000-0000-4000-8000-{n:012d}", p) for n, p in enumerate(strangers[:50])
        )
    ]
    results = me.push(ops)
    assert {r["result"] for r in results} == {"rejected"}
    assert "added to an ensemble by the music service office" in results[0]["reason"]
    pulled = {c["entity_id"] for c in me.pull_all() if c["entity"] == "pupil"}
    assert not pulled & set(strangers[:50])


def test_a_pupil_the_office_adds_to_an_ensemble_reaches_the_leader_with_only_what_rehearsal_needs(
    any_central, me
):
    from hms_central.office import MemberRequest, add_member

    world = World(any_central)
    ensemble = next(e for e in world.of("ensemble") if e["leader_id"] == world.me)
    stranger = next(
        p
        for p in world.of("pupil")
        if p["id"] not in world.pupils_of(world.me) and p["medical_note"]
    )
    cursor_before = me.http.get("/v1/sync/pull", params={"cursor": 0}).json()
    engine = make_engine(any_central.db_url)
    with Session(engine) as s, s.begin():
        add_member(
            s,
            MemberRequest(
                ensemble_id=ensemble["id"], pupil_id=stranger["id"], joined_on=date(2026, 11, 1)
            ),
        )
    engine.dispose()
    assert cursor_before["changes"]
    pupils = {c["entity_id"]: c["fields"] for c in me.pull_all() if c["entity"] == "pupil"}
    seen = pupils[stranger["id"]]
    assert set(seen) <= set(ENSEMBLE_ONLY_PUPIL_FIELDS)
    assert seen["given_name"] == stranger["given_name"]
    assert "sen_support" not in seen and "medical_note" not in seen
    # …but what a rehearsal must know of their health, as the office wrote it for leaders.
    assert seen["rehearsal_note"] == stranger["rehearsal_note"] and seen["rehearsal_note"]
    assert "pupil_premium" not in seen
    # The leader's own pupils still come in full.
    own = next(iter(world.pupils_of(world.me)))
    assert "sen_support" in pupils[own]


def test_another_tutors_lesson_cannot_be_taken_over_deleted_or_read(any_central, me):
    world = World(any_central)
    other = world.other_tutor()
    theirs = lesson_fields(world.groups_of(other)[0], MONDAY, note="Adebayo upset: told DSL")
    them = TutorClient(any_central, world.emails[other])
    try:
        assert them.push([op("lesson", theirs["id"], theirs)])[0]["result"] == "applied"
    finally:
        them.close()
    my_group = world.groups_of(world.me)[0]
    before = central_row(any_central, "lesson", theirs["id"])
    results = me.push(
        [
            # as the attacker sent them: their own group, no date to check the id against
            op("lesson", theirs["id"], {"id": theirs["id"], "group_id": my_group["id"]}),
            op("lesson", theirs["id"], {"group_id": my_group["id"]}, kind="delete"),
            op("lesson", theirs["id"], dict(theirs, status="tutor_absent"), base=0),
        ]
    )
    assert [r["result"] for r in results] == ["rejected"] * 3
    for r in results:  # a refusal leaks nothing of the row
        assert r.get("current") is None and r.get("version") is None
        assert "Adebayo" not in r["reason"]
    assert central_row(any_central, "lesson", theirs["id"]) == before
    pulled = {c["entity_id"] for c in me.pull_all() if c["entity"] == "lesson"}
    assert theirs["id"] not in pulled


def test_another_tutors_target_cannot_be_overwritten(any_central, me):
    world = World(any_central)
    other = world.other_tutor()
    shared = world.pupils_of(world.me) & world.pupils_of(other) or world.pupils_of(other)
    pupil = sorted(shared)[0]
    target_id = "00000000-0000-4000-8000-00000000a001"
    target = {
        "id": target_id,
        "pupil_id": pupil,
        "text": "Two octave scales",
        "set_on": "2026-11-01",
        "set_by_id": other,
    }
    them = TutorClient(any_central, world.emails[other])
    try:
        assert them.push([op("target", target_id, target)])[0]["result"] == "applied"
    finally:
        them.close()
    results = me.push([op("target", target_id, dict(target, text="overwritten", set_by_id=None))])
    assert results[0]["result"] == "rejected"
    assert central_row(any_central, "target", target_id)[1]["text"] == "Two octave scales"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"code": "ZZ"}, "not an attendance code"),
        ({"code": 7}, "code"),
        ({"marked_at": "2026-13-45T10:00:00"}, "marked_at"),
        ({"marked_at": "9999-12-31T10:00:00"}, "marked_at"),
        ({"pupil_id": "not-a-uuid"}, "pupil_id"),
        ({"comment": "x" * 50_000}, "comment"),
        ({"surprise": "field"}, "surprise"),
    ],
)
def test_central_stores_nothing_it_could_not_serve_back(any_central, me, change, why):
    world = World(any_central)
    group = next(g for g in world.groups_of(world.me) if g["weekday"] == MONDAY.weekday())
    pupil = next(e["pupil_id"] for e in world.of("enrolment") if e["group_id"] == group["id"])
    lid = lesson_id(group["id"], MONDAY)
    lesson = {
        "id": lid,
        "group_id": group["id"],
        "date": MONDAY.isoformat(),
        "start_time": group["start_time"],
        "status": "delivered",
    }
    mark = {
        "id": mark_id(lid, pupil),
        "lesson_id": lid,
        "pupil_id": pupil,
        "code": "P",
        "marked_at": "2026-11-23T10:00:00",
        **change,
    }
    results = me.push([op("lesson", lid, lesson), op("attendance_mark", mark["id"], mark)])
    assert results[0]["result"] == "applied"
    assert results[1]["result"] == "rejected"
    assert why in results[1]["reason"]
    assert central_row(any_central, "attendance_mark", mark_id(lid, pupil)) is None
    assert "x" * 100 not in results[1]["reason"]  # the value itself is never echoed
