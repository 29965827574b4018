"""Roster changes, rehearsal registers and seat conflicts through the real central service:
two laptops moving members of one ensemble offline converge, never two pupils in one seat."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_central.store import Row, make_engine
from hms_desktop.services import ensembles
from hms_desktop.services.ensembles import SeatRule
from hms_desktop.services.sync import enrol_device, needs_attention, sync_status
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.engine import SyncEngine

from .central import Faults
from .conftest import MONDAY
from .test_ensembles import SATURDAY, assert_one_per_seat, in_section, orchestra

CLIENTS: list[CentralClient] = []


@pytest.fixture(autouse=True)
def close_clients():
    yield
    while CLIENTS:
        CLIENTS.pop().close()


def laptop(db, server) -> SyncEngine:
    client = CentralClient(server.url, transport=Faults(server))
    CLIENTS.append(client)
    if not sync_status(db).signed_in:
        enrol_device(db, client, "samira.okaforreid@hms.invalid", password="hms-demo")
    return SyncEngine(db, client, sleep=lambda _s: None)


def central_seats(server, ensemble_id: str) -> list[tuple[str, int]]:
    with Session(make_engine(server.db_url)) as s:
        rows = s.scalars(
            select(Row).where(Row.entity == "ensemble_member", Row.scope_id == ensemble_id)
        ).all()
        return [
            (r.fields["section_id"], r.fields["seat"])
            for r in rows
            if not r.deleted and not r.fields.get("left_on") and r.fields.get("seat")
        ]


@pytest.fixture
def second(demo_path, tmp_path):
    import shutil

    from hms_desktop.data.engine import open_database

    path = tmp_path / "second-laptop.sqlite3"
    shutil.copyfile(demo_path, path)
    database = open_database(path)
    yield database
    database.close()


def test_two_laptops_moving_members_into_one_seat_converge_with_one_pupil_in_it(
    db, second, central
):
    first_engine, second_engine = laptop(db, central), laptop(second, central)
    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    violins = in_section(roster, "Violin 1")
    free = len(violins) + 1
    mine, theirs = in_section(roster, "Viola")[-1], in_section(roster, "Cello")[-1]
    # Both laptops offline: each moves a different member into the same free seat, and the
    # first also swaps two first violins.
    ensembles.move_member(db, mine.member_id, violins[0].section_id, free, SeatRule.SWAP)
    ensembles.move_member(db, violins[0].member_id, violins[0].section_id, 2, SeatRule.SWAP)
    ensembles.move_member(second, theirs.member_id, violins[0].section_id, free, SeatRule.SWAP)

    first = first_engine.sync()
    assert first.conflicts == 0 and first.rejected == 0
    report = second_engine.sync()
    assert report.conflicts == 1  # server order: the first move to arrive keeps the seat
    first_engine.sync()

    on_first, on_second = orchestra(db), orchestra(second)
    for r in (on_first, on_second):
        assert_one_per_seat(r)
        assert (r.row(mine.member_id).section, r.row(mine.member_id).seat) == ("Violin 1", free)
        assert (r.row(theirs.member_id).section, r.row(theirs.member_id).seat) == (
            "Cello",
            theirs.seat,
        )
        assert r.row(violins[0].member_id).seat == 2 and r.row(violins[1].member_id).seat == 1
    assert [(x.section, x.seat) for x in on_first.rows] == [
        (x.section, x.seat) for x in on_second.rows
    ]
    seats = central_seats(central, eid)
    assert len(seats) == len(set(seats)) == len(roster.rows)
    items = needs_attention(second)
    assert len(items) == 1 and items[0].kind == "conflict"
    assert items[0].title.startswith("Seat for ")
    assert items[0].yours == f"Violin 1, seat {free}"
    assert items[0].theirs == f"Cello, seat {theirs.seat}"


def test_a_leaver_a_joiner_and_a_rehearsal_register_reach_central_and_the_other_laptop(
    db, second, central
):
    first_engine, second_engine = laptop(db, central), laptop(second, central)
    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    leaving = in_section(roster, "Oboe")[0]
    ensembles.mark_left(db, leaving.member_id, MONDAY)
    joiner = ensembles.pupils_to_add(db, eid, "")[0]
    ensembles.add_member(db, eid, joiner.pupil_id, leaving.section_id, leaving.seat)
    strings = next(e for e in ensembles.my_ensembles(db) if "String" in e.name)
    register = ensembles.open_rehearsal(db, strings.ensemble_id, SATURDAY)
    ensembles.record_rehearsal_mark(
        db, strings.ensemble_id, SATURDAY, register.rows[0].pupil_id, "LE", "Orthodontist"
    )
    ensembles.mark_rest_present(db, strings.ensemble_id, SATURDAY, "delivered")
    concert = ensembles.add_performance(db, eid, "Winter Concert", MONDAY, "Hackney Empire")
    ensembles.set_performed(
        db, concert.performance_id, in_section(roster, "Tuba")[0].pupil_id, False
    )
    report = first_engine.sync()
    assert report.rejected == 0 and report.conflicts == 0, needs_attention(db)
    second_engine.sync()
    there = orchestra(second)
    assert there.row(leaving.member_id).left_on == MONDAY
    oboes = [r for r in there.rows if r.section == "Oboe"]
    assert oboes[0].pupil_id == joiner.pupil_id and oboes[0].seat == leaving.seat
    taken = ensembles.open_rehearsal(second, strings.ensemble_id, SATURDAY)
    assert taken.marked == len(taken.rows) and taken.rows[0].code == "LE"
    assert taken.rows[0].comment == "Orthodontist"
    (arrived,) = ensembles.performances_of(second, eid)
    assert (arrived.title, arrived.performers) == ("Winter Concert", concert.performers - 1)


def taught_by_me(db) -> set[str]:
    """Pupils in the tutor's own teaching groups (whom they may add to an ensemble)."""
    from hms_desktop.data.models import Enrolment, TeachingGroup
    from hms_desktop.services.profile import TUTOR_ID, get_setting

    with db.reading() as s:
        me = get_setting(s, TUTOR_ID)
        return set(
            s.scalars(
                select(Enrolment.pupil_id)
                .join(TeachingGroup, TeachingGroup.id == Enrolment.group_id)
                .where(TeachingGroup.tutor_id == me)
            )
        )


def test_a_pupil_added_and_marked_at_a_rehearsal_before_syncing_reaches_central_in_one_sync(
    db, any_central
):
    """Central judges a batch in order: the membership added earlier in the batch lets the
    rehearsal mark after it through, instead of refusing it until the next sync."""
    from hms_protocol.ids import rehearsal_id, rehearsal_mark_id

    engine = laptop(db, any_central)
    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    mine = taught_by_me(db)
    joiner = next(p for p in ensembles.pupils_to_add(db, eid, "") if p.pupil_id in mine)
    violas = in_section(roster, "Viola")
    joined = ensembles.add_member(
        db, eid, joiner.pupil_id, violas[0].section_id, None, joined_on=SATURDAY
    )
    member = next(r for r in joined.roster.rows if r.pupil_id == joiner.pupil_id)
    ensembles.open_rehearsal(db, eid, SATURDAY)
    ensembles.record_rehearsal_mark(db, eid, SATURDAY, joiner.pupil_id, "L", "Bus was late")

    report = engine.sync()

    assert report.rejected == 0 and report.conflicts == 0, needs_attention(db)
    assert needs_attention(db) == []
    assert sync_status(db).waiting == 0
    mark_id = rehearsal_mark_id(rehearsal_id(eid, SATURDAY), joiner.pupil_id)
    store = make_engine(any_central.db_url)
    try:
        with Session(store) as s:
            held = s.get(Row, ("ensemble_member", member.member_id))
            mark = s.get(Row, ("rehearsal_mark", mark_id))
            assert held is not None and not held.deleted
            assert held.fields["pupil_id"] == joiner.pupil_id
            assert mark is not None and not mark.deleted
            assert (mark.fields["code"], mark.fields["comment"]) == ("L", "Bus was late")
    finally:
        store.dispose()
    register = ensembles.open_rehearsal(db, eid, SATURDAY)
    assert register.row(joiner.pupil_id).code == "L"


def test_an_undone_performance_and_its_redo_reach_central_and_the_other_laptop(db, second, central):
    first_engine, second_engine = laptop(db, central), laptop(second, central)
    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    concert = ensembles.add_performance(db, eid, "Spring Concert", MONDAY, "Hackney Empire")
    tuba = in_section(roster, "Tuba")[0].pupil_id
    ensembles.set_performed(db, concert.performance_id, tuba, False)
    ensembles.set_performed(db, concert.performance_id, tuba, True)  # undone
    taken_back = ensembles.withdraw_performance(db, concert.performance_id)  # undone too
    report = first_engine.sync()
    assert report.rejected == 0 and report.conflicts == 0, needs_attention(db)
    second_engine.sync()
    assert ensembles.performances_of(second, eid) == []

    ensembles.restore_performance(db, taken_back)  # redone
    report = first_engine.sync()
    assert report.rejected == 0 and report.conflicts == 0, needs_attention(db)
    second_engine.sync()
    (arrived,) = ensembles.performances_of(second, eid)
    assert (arrived.title, arrived.venue, arrived.performers) == (
        "Spring Concert",
        "Hackney Empire",
        concert.performers,
    )
