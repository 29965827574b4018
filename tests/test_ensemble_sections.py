"""Putting an ensemble's sections in another order (issue #9): the service on a real demo
database, the roster's keys and dialog under qtbot (undoable), the printout following the
order, and the order reaching central and a second laptop (two laptops converge)."""

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_central.store import Row, make_engine
from hms_desktop.data.models import OutboxEntry
from hms_desktop.services import ensembles
from hms_desktop.services.account import waiting_in_words
from hms_desktop.services.ensembles import RosterProblem, printouts
from hms_desktop.ui.ensembles.sections import SectionOrderDialog

from .test_ensembles import orchestra
from .test_ensembles_sync import laptop
from .test_ensembles_sync import second as second_laptop
from .test_ensembles_ui import choose, extracted, row_of
from .test_ensembles_ui import window as ensembles_window

second, window = second_laptop, ensembles_window  # the fixtures, under their own names


def names(roster) -> list[str]:
    return [s.name for s in roster.sections]


def section_id(roster, name: str) -> str:
    return next(s.section_id for s in roster.sections if s.name == name)


def queued_sections(db) -> list[dict]:
    with db.reading() as s:
        return [
            e.fields
            for e in s.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.entity == "ensemble_section")
                .order_by(OutboxEntry.seq)
            )
        ]


def test_moving_a_section_reorders_the_roster_and_queues_each_section_that_moved(db):
    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    assert names(roster)[:4] == ["Violin 1", "Violin 2", "Viola", "Cello"]
    change = ensembles.move_section(db, eid, section_id(roster, "Viola"), -1)
    assert change.message == "Viola now comes after Violin 1."
    again = orchestra(db)  # kept: read back from the store
    assert names(again)[:4] == ["Violin 1", "Viola", "Violin 2", "Cello"]
    sections_in_row_order = list(dict.fromkeys(r.section for r in again.rows))
    assert sections_in_row_order[:3] == ["Violin 1", "Viola", "Violin 2"]
    queued = queued_sections(db)
    assert {(f["name"], f["ordinal"]) for f in queued} == {("Viola", 1), ("Violin 2", 2)}
    assert waiting_in_words(db) == "2 changes to the order of sections not yet sent"
    assert change.before == tuple(s.section_id for s in roster.sections)
    # Undo is the old order again, as a new change that syncs.
    ensembles.reorder_sections(db, eid, change.before)
    assert names(orchestra(db)) == names(roster)
    assert len(queued_sections(db)) == 4


def test_a_reordered_roster_prints_its_sections_in_the_new_order(db, tmp_path):
    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    ensembles.move_section(db, eid, section_id(roster, "Percussion"), -len(roster.sections) + 1)
    text = extracted(printouts.roster_pdf(db, eid, tmp_path / "roster.pdf"))
    assert text.index("Percussion") < text.index("Violin 1")


def test_section_orders_that_make_no_sense_are_refused_and_change_nothing(db):
    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    ids = [s.section_id for s in roster.sections]
    for order, says in (
        (ids[:-1], "sections have changed"),  # one left out
        ([ids[0], *ids[:-1]], "sections have changed"),  # one twice
        ([*ids[:-1], ensembles.my_ensembles(db)[0].ensemble_id], "sections have changed"),
    ):
        with pytest.raises(RosterProblem, match=says):
            ensembles.reorder_sections(db, eid, order)
    with pytest.raises(RosterProblem, match="Violin 1 is already the first section"):
        ensembles.move_section(db, eid, ids[0], -1)
    with pytest.raises(RosterProblem, match="already the last section"):
        ensembles.move_section(db, eid, ids[-1], 1)
    with pytest.raises(RosterProblem, match="one of this ensemble's sections"):
        ensembles.move_section(db, eid, "not-a-section", 1)
    assert names(orchestra(db)) == names(roster)
    assert queued_sections(db) == []


def test_ctrl_shift_arrows_move_the_selected_members_section_and_ctrl_z_puts_it_back(qtbot, window):
    page = choose(window, "Hackney Youth Orchestra")
    panel = page.roster
    before = names(panel.roster)
    panel.table.setFocus()
    panel.table.selectRow(row_of(panel, "Violin 1", 3))
    member = panel.current()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(panel.table, Qt.Key.Key_Down, ctrl_shift)
    assert names(panel.roster)[:2] == ["Violin 2", "Violin 1"]
    assert panel.current().member_id == member.member_id  # the selection stays on the member
    assert "Violin 1 now comes after Violin 2" in window.statusBar().currentMessage()
    qtbot.keyClick(panel.table, Qt.Key.Key_Up, ctrl_shift)  # and back
    qtbot.keyClick(panel.table, Qt.Key.Key_Up, ctrl_shift)  # already first: said, not done
    assert "already the first section" in window.statusBar().currentMessage()
    assert names(panel.roster) == before
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: names(panel.roster)[:2] == ["Violin 2", "Violin 1"])
    assert window.statusBar().currentMessage() == "Undone: Move section Violin 1"
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: names(panel.roster) == before)
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, ctrl_shift)  # redo
    qtbot.waitUntil(lambda: names(panel.roster)[:2] == ["Violin 2", "Violin 1"])
    assert len(queued_sections(window.context.db)) == 10  # every step (two sections each) syncs


def test_the_section_order_dialog_moves_the_chosen_section_by_keyboard(qtbot, window):
    page = choose(window, "Hackney Youth Choir")
    panel = page.roster
    roster = panel.roster
    assert names(roster) == ["Soprano", "Alto", "Tenor", "Bass"]
    dialog = SectionOrderDialog(roster.ensemble.name, roster.sections, section_id(roster, "Bass"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # mnemonics reach the active window only
    by_id = {s.section_id: s.name for s in roster.sections}

    def order() -> list[str]:
        return [by_id[s] for s in dialog.chosen()]

    qtbot.keyClick(dialog.list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert order() == ["Soprano", "Alto", "Bass", "Tenor"]
    qtbot.keyClick(dialog.list, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # Move up
    qtbot.waitUntil(lambda: order() == ["Soprano", "Bass", "Alto", "Tenor"])  # a button's click
    qtbot.keyClick(dialog.list, Qt.Key.Key_Up)  # choose Soprano
    qtbot.keyClick(dialog.list, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # Move down
    qtbot.waitUntil(lambda: order() == ["Bass", "Soprano", "Alto", "Tenor"])
    chosen = dialog.chosen()
    dialog.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.ask_section_order = lambda: (chosen, dialog.moved)
    qtbot.keyClick(panel.table, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # Section order…
    qtbot.waitUntil(lambda: names(panel.roster) == ["Bass", "Soprano", "Alto", "Tenor"])
    assert window.statusBar().currentMessage() == "Bass now comes first."
    assert panel.table.hasFocus()  # back on the roster after the dialog
    panel.ask_section_order = lambda: None  # cancelled: nothing changes
    assert not panel.reorder_sections()
    assert names(panel.roster) == ["Bass", "Soprano", "Alto", "Tenor"]


def central_order(server, ensemble_id: str) -> list[str]:
    with Session(make_engine(server.db_url)) as s:
        rows = s.scalars(
            select(Row).where(Row.entity == "ensemble_section", Row.scope_id == ensemble_id)
        ).all()
        return [
            r.fields["name"]
            for r in sorted(rows, key=lambda r: (r.fields["ordinal"], r.fields["name"]))
        ]


def test_a_new_order_reaches_central_and_the_other_laptop(db, second, central):
    first_engine, second_engine = laptop(db, central), laptop(second, central)
    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    ensembles.move_section(db, eid, section_id(roster, "Cello"), -3)
    report = first_engine.sync()
    assert report.rejected == 0 and report.conflicts == 0
    assert central_order(central, eid)[:4] == ["Cello", "Violin 1", "Violin 2", "Viola"]
    second_engine.sync()
    assert names(orchestra(second))[:4] == ["Cello", "Violin 1", "Violin 2", "Viola"]


def test_two_laptops_reordering_offline_converge_on_one_order(db, second, central):
    first_engine, second_engine = laptop(db, central), laptop(second, central)
    roster = orchestra(db)
    eid = roster.ensemble.ensemble_id
    ensembles.move_section(db, eid, section_id(roster, "Viola"), -2)
    ensembles.move_section(second, eid, section_id(roster, "Percussion"), -len(roster.sections) + 1)
    for engine in (first_engine, second_engine, first_engine):
        report = engine.sync()
        assert report.rejected == 0 and report.conflicts == 0
    on_central = central_order(central, eid)
    assert names(orchestra(db)) == names(orchestra(second)) == on_central
    assert sorted(on_central) == sorted(names(roster))  # every section, once
