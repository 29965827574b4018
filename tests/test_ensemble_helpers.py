"""Tutors who help with an ensemble (issue #9): the office asks a tutor to help; their laptop
receives the ensemble on the next sync and keeps its roster, sections and registers as the
leader's does; when the help ends, central refuses their changes and the ensemble leaves their
laptop. Sections are the office's to add, name and remove; a leader or helper reorders them.
Against the real central on SQLite and PostgreSQL, and a real demo laptop."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from hms_central.office import HelperRequest, OfficeRefused, add_helper, remove_helper
from hms_central.store import Row, make_engine
from hms_desktop.services import ensembles
from hms_desktop.services.sync import needs_attention
from hms_protocol.entities import ENSEMBLE_ONLY_PUPIL_FIELDS
from hms_protocol.ids import rehearsal_id, rehearsal_mark_id

from .central import TutorClient, op
from .conftest import MONDAY
from .test_central_security import ME, World
from .test_ensembles_sync import laptop

THURSDAY = MONDAY - timedelta(days=4)  # the wind band's rehearsal day


@pytest.fixture
def me(any_central):
    client = TutorClient(any_central, ME)
    yield client
    client.close()


def office(server, action, ensemble_id: str, tutor_id: str) -> str:
    engine = make_engine(server.db_url)
    try:
        with Session(engine) as s, s.begin():
            return action(s, HelperRequest(ensemble_id=ensemble_id, tutor_id=tutor_id))
    finally:
        engine.dispose()


def pull_since(client: TutorClient, cursor: int) -> tuple[list[dict], int]:
    changes = []
    while True:
        page = client.http.get("/v1/sync/pull", params={"cursor": cursor}).json()
        changes += page["changes"]
        cursor = page["next_cursor"]
        if not page["more"]:
            return changes, cursor


def named(world: World, name: str) -> dict:
    return next(e for e in world.of("ensemble") if e["name"] == name)


def rehearsal_ops(ensemble: dict, pupil_id: str, day) -> list[dict]:
    rid = rehearsal_id(ensemble["id"], day)
    rehearsal = {
        "id": rid,
        "ensemble_id": ensemble["id"],
        "date": day.isoformat(),
        "status": "delivered",
    }
    mark = {
        "id": rehearsal_mark_id(rid, pupil_id),
        "rehearsal_id": rid,
        "pupil_id": pupil_id,
        "code": "P",
        "marked_at": f"{day.isoformat()}T17:05:00",
    }
    return [op("rehearsal", rid, rehearsal), op("rehearsal_mark", mark["id"], mark)]


def test_a_tutor_the_office_asks_to_help_receives_the_ensemble_and_keeps_its_registers(
    any_central, me
):
    world = World(any_central)
    jazz = named(world, "Hackney Jazz Band")
    assert jazz["leader_id"] != world.me
    members = [m for m in world.of("ensemble_member") if m["ensemble_id"] == jazz["id"]]
    sections = [s for s in world.of("ensemble_section") if s["ensemble_id"] == jazz["id"]]
    everything, cursor = pull_since(me, 0)
    assert not {c["entity_id"] for c in everything} & {m["id"] for m in members + sections}
    day = MONDAY - timedelta(days=6)  # a Tuesday: the jazz band's day
    refused = me.push(rehearsal_ops(jazz, members[0]["pupil_id"], day))
    assert [r["result"] for r in refused] == ["rejected", "rejected"]
    assert "not one you lead or help with" in refused[0]["reason"]

    office(any_central, add_helper, jazz["id"], world.me)
    arrived, cursor = pull_since(me, cursor)
    got = {(c["entity"], c["entity_id"]): c for c in arrived}
    (helper,) = [c for (e, _), c in got.items() if e == "ensemble_helper"]
    assert helper["fields"]["tutor_id"] == world.me and not helper["deleted"]
    assert {m["id"] for m in members} <= {i for e, i in got if e == "ensemble_member"}
    assert {s["id"] for s in sections} <= {i for e, i in got if e == "ensemble_section"}
    taught = world.pupils_of(world.me)
    stranger = next(m["pupil_id"] for m in members if m["pupil_id"] not in taught)
    assert set(got[("pupil", stranger)]["fields"]) <= set(ENSEMBLE_ONLY_PUPIL_FIELDS)

    section = sections[-1]
    reorder = op("ensemble_section", section["id"], {**section, "ordinal": 0}, base=1)
    applied = me.push([*rehearsal_ops(jazz, members[0]["pupil_id"], day), reorder])
    assert [r["result"] for r in applied] == ["applied"] * 3

    office(any_central, remove_helper, jazz["id"], world.me)
    ended, cursor = pull_since(me, cursor)
    assert [c["deleted"] for c in ended if c["entity"] == "ensemble_helper"] == [True]
    later = me.push(rehearsal_ops(jazz, members[1]["pupil_id"], day - timedelta(days=7)))
    assert {r["result"] for r in later} == {"rejected"}


def test_sections_are_the_offices_to_add_name_and_remove_a_tutor_only_reorders(any_central, me):
    world = World(any_central)
    choir = named(world, "Hackney Youth Choir")  # the demo tutor leads it
    jazz = named(world, "Hackney Jazz Band")  # another tutor's
    alto = next(
        s
        for s in world.of("ensemble_section")
        if s["ensemble_id"] == choir["id"] and s["name"] == "Alto"
    )
    jazz_section = next(s for s in world.of("ensemble_section") if s["ensemble_id"] == jazz["id"])
    new_id = "00000000-0000-4000-8000-000000000777"
    results = me.push(
        [
            op("ensemble_section", new_id, {**alto, "id": new_id, "name": "Descant"}),
            op("ensemble_section", alto["id"], {**alto, "name": "Altos"}, base=1),
            op("ensemble_section", alto["id"], {}, kind="delete", base=1),
            op("ensemble_section", jazz_section["id"], {**jazz_section, "ordinal": 9}, base=1),
            op("ensemble_section", alto["id"], {**alto, "ordinal": 3}, base=1),
        ]
    )
    assert [r["result"] for r in results] == ["rejected"] * 4 + ["applied"]
    for refused in results[:3]:
        assert "added, named and removed by the music service office" in refused["reason"]
    assert "not one you lead or help with" in results[3]["reason"]
    # Need to know: a tutor receives the sections of their own ensembles only.
    pulled = {c["entity_id"] for c in me.pull_all() if c["entity"] == "ensemble_section"}
    assert alto["id"] in pulled and jazz_section["id"] not in pulled


def test_the_office_is_told_what_it_cannot_do_with_helpers(central):
    from hms_central.cli import main

    world = World(central)
    jazz = named(world, "Hackney Jazz Band")
    with pytest.raises(OfficeRefused, match="leads this ensemble"):
        office(central, add_helper, jazz["id"], jazz["leader_id"])
    with pytest.raises(OfficeRefused, match="does not help"):
        office(central, remove_helper, jazz["id"], world.me)
    first = office(central, add_helper, jazz["id"], world.me)
    assert office(central, add_helper, jazz["id"], world.me) == first  # asked twice: one helper
    args = ["--db", central.db_url, "--ensemble", jazz["id"], "--tutor", world.me]
    assert main(["remove-helper", *args]) == 0
    assert main(["remove-helper", *args]) == 2  # no longer a helper: said, nothing changed
    assert main(["add-helper", *args]) == 0


def test_the_demo_tutor_keeps_the_wind_bands_roster_and_register_as_its_helper(db, central):
    engine = laptop(db, central)
    band = next(e for e in ensembles.my_ensembles(db) if e.name == "Hackney Schools Wind Band")
    assert band.helping
    assert "Hackney Schools Wind Band rehearsal" in {
        e.group_name for e in ensembles.rehearsals_on(db, THURSDAY)
    }
    register = ensembles.open_rehearsal(db, band.ensemble_id, THURSDAY)
    pupil = register.rows[0].pupil_id
    ensembles.record_rehearsal_mark(db, band.ensemble_id, THURSDAY, pupil, "LE", "Dentist")
    roster = ensembles.roster_of(db, band.ensemble_id)
    ensembles.move_section(db, band.ensemble_id, roster.sections[-1].section_id, -1)
    report = engine.sync()
    assert report.rejected == 0 and report.conflicts == 0, needs_attention(db)
    with Session(make_engine(central.db_url)) as s:
        mark = s.get(Row, ("rehearsal_mark", rehearsal_mark_id(register.lesson_id, pupil)))
        assert (mark.fields["code"], mark.fields["comment"]) == ("LE", "Dentist")

    world = World(central)
    office(central, remove_helper, band.ensemble_id, world.me)
    ensembles.record_rehearsal_mark(db, band.ensemble_id, THURSDAY, pupil, "P", "")
    report = engine.sync()
    assert report.rejected == 1  # the help ended before this mark reached central
    (item,) = needs_attention(db)
    assert "not one you lead or help with" in item.explanation
    assert band.ensemble_id not in {e.ensemble_id for e in ensembles.my_ensembles(db)}
    assert "Hackney Schools Wind Band rehearsal" not in {
        e.group_name for e in ensembles.rehearsals_on(db, THURSDAY)
    }


def test_sections_made_public_before_travel_only_to_the_ensembles_tutors_after_upgrade(tmp_path):
    from alembic import command
    from alembic.config import Config

    from hms_central.store import MIGRATIONS

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "c0001")  # the store as the previous version left it
    with Session(engine) as s, s.begin():
        s.add(
            Row(
                entity="ensemble_section",
                id="00000000-0000-4000-8000-000000000001",
                version=1,
                seq=1,
                fields={"ensemble_id": "00000000-0000-4000-8000-0000000000e1", "name": "Alto"},
                deleted=False,
                scope="public",
                scope_id=None,
                updated_at=datetime(2026, 11, 23, 9, 0),
            )
        )
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with Session(engine) as s:
        row = s.get(Row, ("ensemble_section", "00000000-0000-4000-8000-000000000001"))
        assert (row.scope, row.scope_id) == ("ensemble", "00000000-0000-4000-8000-0000000000e1")
    engine.dispose()


def test_when_the_help_ends_the_ensembles_pupils_leave_the_laptop_at_the_next_purge(db, central):
    from sqlalchemy import text

    from hms_desktop.data.models import Pupil
    from hms_desktop.data.sync_store import pulling
    from hms_desktop.services.purge import purge_leavers

    engine = laptop(db, central)
    engine.sync()
    band = next(e for e in ensembles.my_ensembles(db) if e.name == "Hackney Schools Wind Band")
    elsewhere = {
        r.pupil_id
        for e in ensembles.my_ensembles(db)
        if e.ensemble_id != band.ensemble_id
        for r in ensembles.roster_of(db, e.ensemble_id).rows
    }
    pupil = next(
        r.pupil_id
        for r in ensembles.roster_of(db, band.ensemble_id).rows
        if r.pupil_id not in elsewhere
    )
    with db.transaction() as s:  # as on a real laptop: the pupil is in none of its groups
        pulling(s)
        s.execute(text("DELETE FROM enrolment WHERE pupil_id = :p"), {"p": pupil})
    purge_leavers(db, MONDAY)
    with db.reading() as s:
        assert s.get(Pupil, pupil) is not None  # a member of an ensemble the tutor helps with
    office(central, remove_helper, band.ensemble_id, World(central).me)
    engine.sync()
    report = purge_leavers(db, MONDAY)
    assert report.purged >= 1
    with db.reading() as s:
        assert s.get(Pupil, pupil) is None


def test_a_new_helpers_laptop_pulling_small_pages_gets_the_whole_roster_and_sets_nothing_aside(
    central, tmp_path
):
    """Rows sent again to a new helper come parents first (pupils before their places, sections
    before members), so a laptop that pulls a few rows at a time never holds an orphan."""
    from hms_desktop.data.engine import open_database
    from hms_desktop.services.sync import enrol_device
    from hms_desktop.sync.client import CentralClient
    from hms_desktop.sync.engine import SyncEngine

    world = World(central)
    jazz = named(world, "Hackney Jazz Band")
    tutor = next(t for t in sorted(world.emails) if t not in (world.me, jazz["leader_id"]))
    fresh = open_database(tmp_path / "new-laptop.sqlite3", create=True)
    client = CentralClient(central.url)
    try:
        enrol_device(fresh, client, world.emails[tutor], password="hms-demo")
        SyncEngine(fresh, client, sleep=lambda _s: None).sync()
        assert jazz["id"] not in {e.ensemble_id for e in ensembles.my_ensembles(fresh)}
        office(central, add_helper, jazz["id"], tutor)
        SyncEngine(fresh, client, sleep=lambda _s: None, page_size=7).sync()
        (band,) = [e for e in ensembles.my_ensembles(fresh) if e.ensemble_id == jazz["id"]]
        members = [m for m in world.of("ensemble_member") if m["ensemble_id"] == jazz["id"]]
        assert len(members) >= 10 and band.helping and band.members == len(members)
        roster = ensembles.roster_of(fresh, jazz["id"])
        assert {r.pupil_id for r in roster.rows} == {m["pupil_id"] for m in members}
        assert all(r.section for r in roster.rows)
        assert needs_attention(fresh) == []
    finally:
        client.close()
        fresh.close()


def test_a_rehearsal_register_shows_the_offices_rehearsal_note_where_the_medical_note_is_not_sent(
    db,
):
    from sqlalchemy import text

    from hms_desktop.data.sync_store import pulling

    band = next(e for e in ensembles.my_ensembles(db) if e.name == "Hackney Schools Wind Band")
    pupil = ensembles.open_rehearsal(db, band.ensemble_id, THURSDAY).rows[0].pupil_id
    with db.transaction() as s:  # as central sends a pupil the tutor has only in an ensemble
        pulling(s)
        s.execute(
            text("UPDATE pupil SET medical_note = NULL, rehearsal_note = :n WHERE id = :p"),
            {"n": "Asthma: brings an inhaler to rehearsal", "p": pupil},
        )
    row = ensembles.open_rehearsal(db, band.ensemble_id, THURSDAY).rows[0]
    assert row.pupil_id == pupil and row.needs_care == "Medical"
    assert row.care_detail == "At rehearsal: Asthma: brings an inhaler to rehearsal"
