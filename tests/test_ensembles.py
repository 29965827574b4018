"""Ensemble rosters and rehearsal registers on a real demo database: one pupil per seat, moves
that swap or shift as the tutor chose, leavers kept in history, bad input refused with a reason
and nothing changed, rehearsal registers with the ensemble codes."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from hms_desktop.data.models import Holiday, OutboxEntry, Pupil, Rehearsal, School
from hms_desktop.domain.errors import HmsError, UnknownCode
from hms_desktop.domain.ids import new_id, rehearsal_id
from hms_desktop.services import ensembles
from hms_desktop.services.ensembles import SeatRule, printouts
from hms_desktop.services.register import untaken_registers

from .conftest import MONDAY

SATURDAY = MONDAY - timedelta(days=2)


def ensemble(db, name: str):
    return next(e for e in ensembles.my_ensembles(db) if e.name == name)


def orchestra(db):
    return ensembles.roster_of(db, ensemble(db, "Hackney Youth Orchestra").ensemble_id)


def seats(roster) -> list[tuple[str, int]]:
    return [(r.section, r.seat) for r in roster.rows]


def in_section(roster, name: str):
    return [r for r in roster.rows if r.section == name]


def outbox_size(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry))


def assert_one_per_seat(roster) -> None:
    assert len(set(seats(roster))) == len(roster.rows), "two members share a seat"


def test_the_tutor_sees_the_ensembles_they_lead_or_help_with_slot_season_and_size(db):
    found = {e.name: e for e in ensembles.my_ensembles(db)}
    assert set(found) == {
        "Hackney Schools String Orchestra",
        "Hackney Schools Wind Band",
        "Hackney Steel Pans",
        "Hackney Youth Choir",
        "Hackney Youth Orchestra",
    }  # the jazz band is another tutor's, and the demo tutor does not help with it
    helping = {name for name, e in found.items() if e.helping}
    assert helping == {"Hackney Schools Wind Band"}
    band = found["Hackney Schools Wind Band"]
    assert band.role.startswith("You help;") and band.leader_name in band.role
    assert found["Hackney Youth Choir"].role == "You lead it"
    youth = found["Hackney Youth Orchestra"]
    assert 60 <= youth.members <= 120
    assert youth.slot == "Saturdays 13:30"
    assert youth.season_start <= MONDAY <= youth.season_end


def test_the_roster_lists_each_section_in_seat_order_with_its_leader_and_principals(db):
    roster = orchestra(db)
    names = [s.name for s in roster.sections]
    assert names[:5] == ["Violin 1", "Violin 2", "Viola", "Cello", "Double bass"]
    assert [r.section for r in roster.rows] == sorted(
        (r.section for r in roster.rows), key=names.index
    )
    violins = in_section(roster, "Violin 1")
    assert [r.seat for r in violins] == list(range(1, len(violins) + 1))
    assert violins[0].role == "leader" and violins[1].role == "sub-principal"
    assert in_section(roster, "Cello")[0].role == "principal"
    assert {r.desk for r in violins[:2]} == {1}  # strings sit two to a desk
    assert all(r.school and r.instrument for r in roster.rows)
    assert_one_per_seat(roster)


def test_a_member_who_missed_the_last_three_rehearsals_stands_out(db):
    roster = orchestra(db)
    flagged = [r for r in roster.rows if r.missed_in_a_row >= 3]
    assert len(flagged) == 1
    assert flagged[0].taken >= 8 and flagged[0].attendance.endswith("%")


def test_moving_into_a_taken_seat_with_swap_changes_places(db):
    roster = orchestra(db)
    first, fourth = in_section(roster, "Violin 2")[0], in_section(roster, "Violin 1")[3]
    change = ensembles.move_member(db, first.member_id, fourth.section_id, 4, SeatRule.SWAP)
    after = change.roster
    assert (after.row(first.member_id).section, after.row(first.member_id).seat) == ("Violin 1", 4)
    assert (after.row(fourth.member_id).section, after.row(fourth.member_id).seat) == (
        "Violin 2",
        1,
    )
    assert_one_per_seat(after)
    assert len(after.rows) == len(roster.rows)


def test_moving_into_a_taken_seat_with_shift_moves_the_rest_back_one_seat(db):
    roster = orchestra(db)
    violas = in_section(roster, "Viola")
    last = violas[-1]
    change = ensembles.move_member(db, last.member_id, last.section_id, 2, SeatRule.SHIFT)
    after = in_section(change.roster, "Viola")
    assert [r.member_id for r in after] == [
        violas[0].member_id,
        last.member_id,
        *[r.member_id for r in violas[1:-1]],
    ]
    assert [r.seat for r in after] == list(range(1, len(violas) + 1))
    assert_one_per_seat(change.roster)


def test_no_moment_in_the_outbox_has_two_pupils_in_one_seat(db):
    """Central applies ops in order: replaying the outbox must never seat two in one place."""
    roster = orchestra(db)
    a, b = in_section(roster, "Cello")[:2]
    start = outbox_size(db)
    ensembles.move_member(db, b.member_id, a.section_id, 1, SeatRule.SWAP)
    ensembles.move_member(db, a.member_id, a.section_id, 1, SeatRule.SHIFT)
    state = {r.member_id: (r.section_id, r.seat) for r in roster.rows}
    with db.reading() as s:
        entries = s.scalars(
            select(OutboxEntry).where(
                OutboxEntry.seq > start, OutboxEntry.entity == "ensemble_member"
            )
        ).all()
        for entry in entries:
            state[entry.entity_id] = (entry.fields["section_id"], entry.fields["seat"])
            placed = [p for p in state.values() if p[1] is not None]
            assert len(placed) == len(set(placed)), entry.fields


def test_a_member_who_left_keeps_their_history_and_frees_the_seat(db):
    roster = orchestra(db)
    leaving = in_section(roster, "Flute")[1]
    change = ensembles.mark_left(db, leaving.member_id, MONDAY)
    assert leaving.member_id not in [r.member_id for r in change.roster.rows]
    kept = change.roster.row(leaving.member_id)
    assert kept.left_on == MONDAY and kept.seat == leaving.seat and kept.taken == leaving.taken
    newcomer = next(p for p in ensembles.pupils_to_add(db, roster.ensemble.ensemble_id, ""))
    joined = ensembles.add_member(
        db, roster.ensemble.ensemble_id, newcomer.pupil_id, leaving.section_id, leaving.seat
    )
    flutes = in_section(joined.roster, "Flute")
    assert flutes[1].pupil_id == newcomer.pupil_id and flutes[1].seat == leaving.seat
    assert [r.seat for r in flutes] == list(range(1, len(flutes) + 1))  # nobody shifted
    assert_one_per_seat(joined.roster)


def test_undo_puts_members_back_and_an_undone_add_leaves_no_member(db):
    roster = orchestra(db)
    a = in_section(roster, "Trumpet")[0]
    change = ensembles.move_member(db, a.member_id, a.section_id, 3, SeatRule.SWAP)
    back = ensembles.restore_members(db, roster.ensemble.ensemble_id, change.before)
    assert seats(back) == seats(roster) and [r.member_id for r in back.rows] == [
        r.member_id for r in roster.rows
    ]
    pupil = ensembles.pupils_to_add(db, roster.ensemble.ensemble_id, "")[0]
    added = ensembles.add_member(db, roster.ensemble.ensemble_id, pupil.pupil_id, a.section_id, 1)
    assert in_section(added.roster, "Trumpet")[0].pupil_id == pupil.pupil_id
    undone = ensembles.restore_members(db, roster.ensemble.ensemble_id, added.before)
    assert seats(undone) == seats(roster)
    assert pupil.pupil_id not in {r.pupil_id for r in (*undone.rows, *undone.former)}
    redone = ensembles.restore_members(db, roster.ensemble.ensemble_id, added.after)
    assert in_section(redone, "Trumpet")[0].pupil_id == pupil.pupil_id


@pytest.mark.parametrize("case", ["twice", "seat zero", "withdrawn", "left before joining"])
def test_bad_roster_input_is_refused_with_a_reason_and_changes_nothing(db, case):
    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    member = roster.rows[5]
    before = outbox_size(db)
    with pytest.raises(HmsError) as refused:
        if case == "twice":
            ensembles.add_member(db, eid, member.pupil_id, member.section_id)
        elif case == "seat zero":
            ensembles.move_member(db, member.member_id, member.section_id, 0, SeatRule.SWAP)
        elif case == "withdrawn":
            with db.reading() as s:
                gone = s.scalars(select(Pupil).where(Pupil.status == "withdrawn")).first()
            ensembles.add_member(db, eid, gone.id, member.section_id)
        else:
            ensembles.mark_left(db, member.member_id, member.joined_on - timedelta(days=1))
    message = str(refused.value)
    assert "Nothing was changed" in message
    assert {
        "twice": "already in Hackney Youth Orchestra",
        "seat zero": "numbered from 1",
        "withdrawn": "withdrawn",
        "left before joining": "cannot leave before",
    }[case] in message
    assert outbox_size(db) == before
    assert seats(orchestra(db)) == seats(roster)


# --- rehearsal registers -----------------------------------------------------------------


def test_a_rehearsal_register_lists_the_members_by_section_with_the_ensemble_codes(db):
    strings = ensemble(db, "Hackney Schools String Orchestra")
    register = ensembles.open_rehearsal(db, strings.ensemble_id, SATURDAY)
    assert [c.code for c in register.codes] == ["P", "L", "LE", "AN", "AU"]
    assert len(register.rows) == strings.members and register.marked == 0
    assert register.rows[0].instrument == "Violin 1 · 1"
    change = ensembles.record_rehearsal_mark(
        db, strings.ensemble_id, SATURDAY, register.rows[0].pupil_id, "LE", "Dentist at 11"
    )
    assert (change.row.code, change.row.comment, change.before.code) == (
        "LE",
        "Dentist at 11",
        None,
    )
    with pytest.raises(UnknownCode, match="not a rehearsal code"):
        ensembles.record_rehearsal_mark(
            db, strings.ensemble_id, SATURDAY, register.rows[1].pupil_id, "SE", None
        )
    status = ensembles.mark_rest_present(db, strings.ensemble_id, SATURDAY, "delivered")
    assert status.register.marked == len(register.rows) and status.register.status == "delivered"
    assert status.register.rows[0].code == "LE"  # marks already made stay
    back = ensembles.restore_rehearsal_marks(
        db, strings.ensemble_id, SATURDAY, status.before.marks, status.before.status
    )
    assert back.marked == 1


def test_a_rehearsal_outside_the_season_is_refused_and_nothing_is_saved(db):
    strings = ensemble(db, "Hackney Schools String Orchestra")
    before = outbox_size(db)
    early = strings.season_start - timedelta(days=2)
    register = ensembles.open_rehearsal(db, strings.ensemble_id, SATURDAY)
    with pytest.raises(HmsError, match="outside Hackney Schools String Orchestra's season"):
        ensembles.record_rehearsal_mark(
            db, strings.ensemble_id, early, register.rows[0].pupil_id, "P", None
        )
    with pytest.raises(HmsError, match="season"):
        ensembles.open_rehearsal(db, strings.ensemble_id, strings.season_end + timedelta(days=1))
    assert outbox_size(db) == before


def test_rehearsals_appear_on_their_day_with_how_far_the_register_got(db):
    entries = ensembles.rehearsals_on(db, SATURDAY)
    names = {e.group_name: e for e in entries}
    assert set(names) == {
        "Hackney Schools String Orchestra rehearsal",
        "Hackney Youth Orchestra rehearsal",
    }
    youth = names["Hackney Youth Orchestra rehearsal"]
    assert youth.is_rehearsal and youth.register_complete and youth.start_time.hour == 13
    assert not names["Hackney Schools String Orchestra rehearsal"].marked
    assert ensembles.rehearsals_on(db, MONDAY) == []


def untaken_rehearsals(db, today):
    return {(u.group_name, u.day): u for u in untaken_registers(db, today) if u.is_rehearsal}


def test_past_rehearsals_without_a_complete_register_are_among_the_registers_not_taken(db):
    strings = ensemble(db, "Hackney Schools String Orchestra")
    choir = ensemble(db, "Hackney Youth Choir")
    wednesday = MONDAY - timedelta(days=5)
    # One choir member's mark cleared: that rehearsal's register is no longer complete.
    register = ensembles.open_rehearsal(db, choir.ensemble_id, wednesday)
    ensembles.clear_rehearsal_mark(db, choir.ensemble_id, wednesday, register.rows[0].pupil_id)
    # A closure at one school does not stop a borough-wide ensemble rehearsing.
    with db.transaction() as session:
        school = session.scalar(select(School.id).limit(1))
        session.add(
            Holiday(
                id=new_id(),
                name="INSET",
                first_day=SATURDAY - timedelta(days=7),
                last_day=SATURDAY - timedelta(days=7),
                school_id=school,
            )
        )

    found = untaken_rehearsals(db, SATURDAY)

    # The string orchestra's rehearsals were never taken: every Saturday of the season so far,
    # named as a rehearsal at its venue; the one today is not yet due.
    strings_days = sorted(d for n, d in found if n == "Hackney Schools String Orchestra rehearsal")
    assert strings_days[0] == strings.season_start + timedelta(days=5)
    assert strings_days[-1] == SATURDAY - timedelta(days=7)
    assert len(strings_days) == 10
    first = found[("Hackney Schools String Orchestra rehearsal", strings_days[0])]
    assert first.school_name == "Hackney Music Centre"
    assert (first.group_id, first.pupils, first.marked) == (strings.ensemble_id, strings.members, 0)
    # The choir's incomplete rehearsal, with how far it got; its complete ones are not listed.
    choir_rows = [u for (n, _d), u in found.items() if n == "Hackney Youth Choir rehearsal"]
    assert [(u.day, u.marked) for u in choir_rows] == [(wednesday, register.marked - 1)]
    assert choir_rows[0].school_name == "St John-at-Hackney Church Hall"
    # Half term (borough-wide) has no rehearsals; other tutors' ensembles are not listed.
    assert not [d for _n, d in found if date(2026, 10, 26) <= d <= date(2026, 10, 30)]
    assert {n for n, _d in found} == {
        "Hackney Schools String Orchestra rehearsal",
        "Hackney Youth Choir rehearsal",
    }
    # Taking the register (all present) takes it off the list.
    ensembles.mark_rest_present(db, strings.ensemble_id, strings_days[-1], "delivered")
    after = untaken_rehearsals(db, SATURDAY)
    assert ("Hackney Schools String Orchestra rehearsal", strings_days[-1]) not in after
    assert len(after) == len(found) - 1
    # A rehearsal the office cancelled has no register to take.
    with db.transaction() as session:
        session.add(
            Rehearsal(
                id=rehearsal_id(strings.ensemble_id, strings_days[0]),
                ensemble_id=strings.ensemble_id,
                date=strings_days[0],
                status="tutor_absent",
                note="",
            )
        )
    assert ("Hackney Schools String Orchestra rehearsal", strings_days[0]) not in (
        untaken_rehearsals(db, SATURDAY)
    )


def test_a_member_moved_keeps_their_rehearsal_history(db):
    roster = orchestra(db)
    member = in_section(roster, "Horn")[0]
    change = ensembles.move_member(db, member.member_id, member.section_id, 4, SeatRule.SWAP)
    moved = change.roster.row(member.member_id)
    assert (moved.attended, moved.taken) == (member.attended, member.taken)


# --- printouts -----------------------------------------------------------------------------


def test_the_roster_and_the_paper_register_print_every_member_by_section(db, tmp_path):
    from .test_ensembles_ui import extracted, nfc

    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    listed = printouts.roster_pdf(db, eid, tmp_path / "roster.pdf")
    paper = printouts.paper_register_pdf(db, eid, SATURDAY, tmp_path / "register.pdf")
    for pdf in (listed, paper):
        flat = " ".join(extracted(pdf, "-raw").split()) + " " + " ".join(extracted(pdf).split())
        assert not [r.name for r in roster.rows if nfc(r.name) not in flat]
        assert "Violin 1" in flat and "Percussion" in flat
    assert all(nfc(r.school) in extracted(listed) for r in roster.rows)
    assert "Saturday 21 November 2026" in extracted(paper)
    with pytest.raises(HmsError, match="season"):
        printouts.paper_register_pdf(
            db, eid, roster.ensemble.season_end + timedelta(days=1), tmp_path / "late.pdf"
        )
    assert not (tmp_path / "late.pdf").exists()


# --- performances ---------------------------------------------------------------------------


def test_a_performance_takes_the_roster_and_who_performed_can_be_adjusted(db):
    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    before = outbox_size(db)
    with pytest.raises(HmsError, match="title"):
        ensembles.add_performance(db, eid, "  ", MONDAY)
    assert outbox_size(db) == before
    made = ensembles.add_performance(db, eid, "Winter Concert", MONDAY, "Hackney Empire")
    assert made.performers == len(roster.rows) - sum(r.joined_on > MONDAY for r in roster.rows)
    absent = roster.rows[4]
    assert ensembles.set_performed(db, made.performance_id, absent.pupil_id, False) is True
    listed = {p.pupil_id: p for p in ensembles.performers_of(db, made.performance_id)}
    assert not listed[absent.pupil_id].performed and listed[roster.rows[0].pupil_id].performed
    (shown,) = ensembles.performances_of(db, eid)
    assert (shown.title, shown.venue, shown.performers) == (
        "Winter Concert",
        "Hackney Empire",
        made.performers - 1,
    )
    outsider = next(p for p in ensembles.pupils_to_add(db, eid, "") if p.pupil_id not in listed)
    with pytest.raises(HmsError, match="Only the ensemble's members"):
        ensembles.set_performed(db, made.performance_id, outsider.pupil_id, True)


def test_no_rehearsal_appears_on_a_borough_wide_holiday(db):
    half_term_wednesday, wednesday = date(2026, 10, 28), date(2026, 11, 18)
    assert [e.group_name for e in ensembles.rehearsals_on(db, wednesday)] == [
        "Hackney Youth Choir rehearsal"
    ]
    assert ensembles.rehearsals_on(db, half_term_wednesday) == []
