"""The Ensembles page under a tutor's hands: the roster by section, drag and drop and its
keyboard equivalents (undoable), the rehearsal register through the register core, rehearsals
on Today, and the seating plan printed with every name on it."""

import subprocess
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from hms_desktop.services import ensembles
from hms_desktop.services.ensembles import SeatRule
from hms_desktop.ui.common.events import DataEvents
from hms_desktop.ui.ensembles.dialogs import AddMemberDialog
from hms_desktop.ui.ensembles.models import MEMBER_MIME, PUPIL
from hms_desktop.ui.shell.window import MainWindow

from .conftest import MONDAY

SATURDAY = MONDAY - timedelta(days=2)


@pytest.fixture
def window(qtbot, db):
    win = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    return win


def choose(window, name: str):
    page = window.ensembles
    summary = next(e for e in ensembles.my_ensembles(window.context.db) if e.name == name)
    assert page.select(summary.ensemble_id)
    return page


def row_of(panel, section: str, seat: int) -> int:
    return next(
        i
        for i in range(panel.model.rowCount())
        if (r := panel.model.row_at(i)).section == section and r.seat == seat
    )


def drag(viewport, at: QPoint, data: QMimeData) -> None:
    """What the window system delivers as a row is dragged over the roster and let go."""
    move, buttons, mods = (
        Qt.DropAction.MoveAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier(0),
    )
    for event in (
        QDragEnterEvent(at.toPointF(), move, data, buttons, mods),
        QDragMoveEvent(at.toPointF(), move, data, buttons, mods),
        QDropEvent(at.toPointF(), move, data, buttons, mods),
    ):
        QApplication.sendEvent(viewport, event)


def extracted(pdf: Path, *options: str) -> str:
    text = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return nfc(text.translate(dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e"))))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def placed(panel, member_id: str) -> tuple[str, int]:
    row = panel.roster.row(member_id)
    return row.section, row.seat


def test_the_page_lists_my_ensembles_and_the_roster_by_section(qtbot, window, qtmodeltester):
    page = window.ensembles
    assert window.pages.currentWidget() is page
    assert page.list_model.rowCount() == 5  # four led, one the office asked them to help with
    shown = {
        page.list_model.index(i, 0).data(): page.list_model.index(i, 1).data() for i in range(5)
    }
    assert shown["Hackney Schools Wind Band"] == "Band\nhelping"
    assert shown["Hackney Youth Orchestra"] == "Orchestra"
    choose(window, "Hackney Youth Orchestra")
    panel = page.roster
    assert panel.title.text() == "Hackney Youth Orchestra"
    assert "missed the last three rehearsals" in panel.subtitle.text()
    first = panel.model.row_at(0)
    assert (first.section, first.seat, first.role) == ("Violin 1", 1, "leader")
    flagged = [panel.model.row_at(i) for i in range(panel.model.rowCount())]
    flagged = [r for r in flagged if r.missed_in_a_row >= 3]
    at = panel.model.row_of(flagged[0].member_id)
    assert "⚠" in panel.model.index(at, PUPIL).data()
    assert panel.model.index(at, PUPIL).data(Qt.ItemDataRole.BackgroundRole) is not None
    qtmodeltester.check(page.list_model)
    qtmodeltester.check(panel.model)


def test_dragging_a_member_onto_another_seat_swaps_them_and_ctrl_z_undoes_it(qtbot, window):
    page = choose(window, "Hackney Youth Orchestra")
    panel = page.roster
    source = panel.model.row_at(row_of(panel, "Violin 2", 1))
    target = panel.model.row_at(row_of(panel, "Violin 1", 4))
    data = QMimeData()
    data.setData(MEMBER_MIME, source.member_id.encode())
    rect = panel.table.visualRect(panel.model.index(row_of(panel, "Violin 1", 4), PUPIL))
    drag(panel.table.viewport(), rect.center(), data)
    qtbot.waitUntil(lambda: placed(panel, source.member_id) == ("Violin 1", 4))
    assert placed(panel, target.member_id) == ("Violin 2", 1)
    assert "moved to Violin 1, seat 4" in window.statusBar().currentMessage()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: placed(panel, source.member_id) == ("Violin 2", 1))
    assert placed(panel, target.member_id) == ("Violin 1", 4)


def test_the_keyboard_moves_members_too_ctrl_arrows_and_f2(qtbot, window):
    page = choose(window, "Hackney Youth Orchestra")
    panel = page.roster
    panel.table.setFocus()
    panel.table.selectRow(row_of(panel, "Viola", 1))
    mover = panel.current()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert placed(panel, mover.member_id) == ("Viola", 2)
    assert panel.current().member_id == mover.member_id  # the selection follows the member
    cello = next(s for s in panel.roster.sections if s.name == "Cello")
    asked = []
    panel.ask_move = lambda row: asked.append(row.name) or (cello.section_id, 1, SeatRule.SHIFT)
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    assert asked == [mover.name]
    assert placed(panel, mover.member_id) == ("Cello", 1)
    cellos = [r for r in panel.roster.rows if r.section == "Cello"]
    assert [r.seat for r in cellos] == list(range(1, len(cellos) + 1))
    panel.ask_left = lambda row: MONDAY
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert mover.member_id in {r.member_id for r in panel.roster.former}
    for _ in range(3):
        qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: placed(panel, mover.member_id) == ("Viola", 1))


def test_adding_a_member_through_the_dialog_puts_them_at_the_end_of_the_section(qtbot, window):
    page = choose(window, "Hackney Steel Pans")
    panel = page.roster
    dialog = AddMemberDialog(
        lambda text: ensembles.pupils_to_add(
            window.context.db, page.roster.roster.ensemble.ensemble_id, text
        ),
        panel.roster.sections,
        panel.roster.sections[0].section_id,
    )
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "a")
    chosen = dialog.chosen()
    assert chosen is not None and chosen[2] is None
    panel.ask_add = lambda: chosen
    before = len(panel.roster.rows)
    assert panel.add_member()
    assert len(panel.roster.rows) == before + 1
    added = next(r for r in panel.roster.rows if r.pupil_id == chosen[0])
    assert added.seat == max(r.seat for r in panel.roster.rows if r.section == added.section)
    assert panel.current().pupil_id == chosen[0]
    panel.ask_add = lambda: chosen  # the same pupil again: refused, said why
    assert not panel.add_member()
    assert "already in Hackney Steel Pans" in window.statusBar().currentMessage()


def test_a_rehearsal_register_is_taken_with_the_same_keys_and_undo_as_a_lesson(qtbot, window):
    page = choose(window, "Hackney Schools String Orchestra")
    page.day.setDate(SATURDAY)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentIndex() == 1
    view = page.register_view
    assert view.register is not None and view.register.day == SATURDAY
    assert [c.code for c in view.register.codes] == ["P", "L", "LE", "AN", "AU"]
    view.table.setFocus()
    view.table.selectRow(0)
    for keys in ("P", "L ", "LE", "AU"):
        for key in keys:
            qtbot.keyClick(
                view.table, Qt.Key.Key_Space if key == " " else getattr(Qt.Key, f"Key_{key}")
            )
    codes = [view.model.row_at(i).code for i in range(4)]
    assert codes == ["P", "L", "LE", "AU"]
    qtbot.keyClick(view.table, Qt.Key.Key_F8)
    assert view.register.marked == len(view.register.rows)
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.register.marked == 4)
    stored = ensembles.open_rehearsal(window.context.db, view.register.group_id, SATURDAY)
    assert [r.code for r in stored.rows[:4]] == ["P", "L", "LE", "AU"]


def test_a_rehearsal_register_says_rehearsal_not_lesson(qtbot, window, monkeypatch):
    from hms_desktop.data import clock

    monkeypatch.setattr(clock, "today", lambda: MONDAY)
    page = choose(window, "Hackney Schools String Orchestra")
    page.tabs.setCurrentIndex(1)
    page.day.setDate(SATURDAY + timedelta(days=7))  # next Saturday: not happened yet
    view = page.register_view
    assert view.register is not None and view.register.in_future
    shown = [view.message.text()]
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_P)
    assert view.model.row_at(0).code is None  # refused
    shown += [view.message.text(), window.statusBar().currentMessage()]
    for text in shown:
        assert "rehearsal" in text and "lesson" not in text.lower(), text
    words = [view.note_label.text(), view.note.placeholderText()]
    assert "Rehearsal" in words[0]
    assert not [w for w in words if "lesson" in w.lower()]
    # On the day: F8 marks everyone present, and what Ctrl+Z would undo says rehearsal too.
    page.day.setDate(SATURDAY)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F8)
    assert view.register.marked == len(view.register.rows)
    undo = window.context.undo.undoText()
    assert "rehearsal" in undo and "lesson" not in undo.lower(), undo


def test_a_rehearsal_outside_the_season_says_so_instead_of_a_register(qtbot, window):
    page = choose(window, "Hackney Youth Choir")
    page.tabs.setCurrentIndex(1)
    page.day.setDate(page.roster.roster.ensemble.season_end + timedelta(days=7))
    assert "outside Hackney Youth Choir's season" in page.rehearsal_message.text()
    assert page.register_view.isHidden()


def test_rehearsals_appear_on_today_at_their_slot_and_open_their_register(qtbot, window):
    window.today.show_day(SATURDAY)
    model = window.today.timetable_model
    rows = [r for r in range(model.rowCount()) if (e := model.entry(r)) and e.is_rehearsal]
    assert len(rows) == 2
    window.today.timetable.selectRow(rows[-1])
    register = window.today.register_view.register
    assert register.group_name == model.entry(rows[-1]).group_name.removesuffix(" rehearsal")
    assert register.kind_label == "Orchestra rehearsal"


def test_a_rehearsal_not_taken_is_listed_by_name_and_venue_and_enter_opens_its_register(
    qtbot, db, monkeypatch
):
    from hms_desktop.data import clock
    from hms_desktop.ui.register.rehearsal import RehearsalRegister
    from hms_desktop.ui.today.untaken_dialog import UntakenDialog

    monkeypatch.setattr(clock, "today", lambda: MONDAY)
    choir = next(e for e in ensembles.my_ensembles(db) if e.name == "Hackney Youth Choir")
    wednesday = MONDAY - timedelta(days=5)
    taken = ensembles.open_rehearsal(db, choir.ensemble_id, wednesday)
    forgotten = taken.rows[3]  # one member's mark lost: the register is not complete
    ensembles.clear_rehearsal_mark(db, choir.ensemble_id, wednesday, forgotten.pupil_id)
    win = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    seen = []

    def take_the_choirs(dialog: UntakenDialog) -> None:
        table = dialog.table
        try:
            qtbot.keyClick(table, Qt.Key.Key_Home)
            for _ in range(dialog.model.rowCount()):
                row = dialog.model.row_at(table.currentIndex().row())
                if row.group_id == choir.ensemble_id:
                    break
                qtbot.keyClick(table, Qt.Key.Key_Down)
            else:
                return  # not listed: the dialog is closed below
            at = table.currentIndex().row()
            seen.append([dialog.model.index(at, c).data() for c in range(5)])
            qtbot.keyClick(table, Qt.Key.Key_Return)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, lambda: _when_modal(UntakenDialog, take_the_choirs))
    qtbot.keyClick(win, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    ((day, _time, name, venue, register),) = seen
    assert (day, name, venue) == (
        "Wed 18 Nov",
        "Hackney Youth Choir rehearsal",
        "St John-at-Hackney Church Hall",
    )
    assert register == f"{len(taken.rows) - 1} of {len(taken.rows)} marked"
    view = win.register_view
    assert win.today.day == wednesday
    assert isinstance(view.backend, RehearsalRegister)
    assert (view.register.group_id, view.register.day) == (choir.ensemble_id, wednesday)
    assert view.register.kind_label == "Choir rehearsal"
    qtbot.waitUntil(view.table.hasFocus)
    assert view.model.row_at(view.table.currentIndex().row()).pupil_id == forgotten.pupil_id
    qtbot.keyClick(view.table, Qt.Key.Key_P)
    assert not [u for u in win.today.untaken if u.group_id == choir.ensemble_id]


def _when_modal(kind, act) -> None:
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, kind):
        QTimer.singleShot(20, lambda: _when_modal(kind, act))
        return
    act(dialog)


def test_the_seating_plan_prints_every_member_by_name(qtbot, window, tmp_path):
    page = choose(window, "Hackney Youth Orchestra")
    out = tmp_path / "plan.pdf"
    page.ask_save_path = lambda _name: out
    job = page.print_seating_plan()
    with qtbot.waitSignal(job.signals.finished, timeout=20000):
        pass
    # Content order (a name wrapped in its seat box stays together) and poppler's reading
    # order (right-to-left names read as typed); poppler's bidi marks dropped.
    flat = " ".join(extracted(out, "-raw").split()) + " | " + " ".join(extracted(out).split())
    names = [r.name for r in page.roster.roster.rows]
    assert len(names) >= 60
    missing = [n for n in names if nfc(" ".join(n.split())) not in flat]
    assert not missing
    assert "Hackney Youth Orchestra" in flat and "Violin 1 (16)" in flat
    png = tmp_path / "plan"
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-singlefile", str(out), str(png)], check=True)
    assert Path(f"{png}.png").stat().st_size > 10_000


def test_a_performance_is_recorded_and_space_says_who_did_not_perform(qtbot, window, qtmodeltester):
    page = choose(window, "Hackney Youth Choir")
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    panel = page.performances
    assert page.tabs.currentWidget() is panel
    panel.ask_new = lambda: ("Carol Service", MONDAY, "St John-at-Hackney")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.list_model.rowCount() == 1)  # a mnemonic clicks after 100 ms
    everyone = panel.model.rowCount()
    assert everyone == page.roster.roster.ensemble.members
    panel.performers.setFocus()
    panel.performers.selectRow(2)
    qtbot.keyClick(panel.performers, Qt.Key.Key_Space)
    assert not panel.model.row_at(2).performed and panel.model.row_at(1).performed
    assert panel.list_model.row_at(0).performers == everyone - 1
    qtmodeltester.check(panel.list_model)
    qtmodeltester.check(panel.model)


def performance_outbox(db, entity_id: str) -> list[bool]:
    """Each outbox entry for one row, oldest first: True where it takes the row back (a
    tombstone), False where it puts it there."""
    from sqlalchemy import select

    from hms_desktop.data.models import OutboxEntry

    with db.reading() as s:
        return [
            e.op == "delete" or bool(e.fields.get("deleted_at"))
            for e in s.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.entity_id == entity_id)
                .order_by(OutboxEntry.seq)
            )
        ]


def test_ctrl_z_takes_back_performers_then_the_performance_and_ctrl_shift_z_puts_it_back(
    qtbot, window
):
    from hms_desktop.domain.ids import performer_id

    page = choose(window, "Hackney Youth Choir")
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    panel = page.performances
    panel.ask_new = lambda: ("Carol Service", MONDAY, "St John-at-Hackney")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.list_model.rowCount() == 1)  # a mnemonic clicks after 100 ms
    concert = panel.current_performance()
    everyone = concert.performers
    assert window.undo_action.text() == "&Undo New performance “Carol Service”"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.performers.setFocus()
    toggled = []
    for row in (1, 3):
        panel.performers.selectRow(row)
        toggled.append(panel.model.row_at(row))
        qtbot.keyClick(panel.performers, Qt.Key.Key_Space)
        assert not panel.model.row_at(row).performed
    assert panel.list_model.row_at(0).performers == everyone - 2
    assert window.undo_action.text() == f"&Undo {toggled[1].name} did not perform"

    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(panel.performers, Qt.Key.Key_Z, ctrl)
    qtbot.waitUntil(lambda: panel.list_model.row_at(0).performers == everyone - 1)
    qtbot.keyClick(panel.performers, Qt.Key.Key_Z, ctrl)
    qtbot.waitUntil(lambda: panel.list_model.row_at(0).performers == everyone)
    assert all(panel.model.row_at(i).performed for i in range(panel.model.rowCount()))
    assert window.undo_action.text() == "&Undo New performance “Carol Service”"
    qtbot.keyClick(panel.performers, Qt.Key.Key_Z, ctrl)
    qtbot.waitUntil(lambda: panel.list_model.rowCount() == 0)
    assert panel.model.rowCount() == 0
    assert window.redo_action.text() == "&Redo New performance “Carol Service”"
    qtbot.keyClick(panel.performers, Qt.Key.Key_Z, ctrl | shift)
    qtbot.waitUntil(lambda: panel.list_model.rowCount() == 1)
    back = panel.current_performance()
    assert (back.performance_id, back.title, back.performers) == (
        concert.performance_id,
        "Carol Service",
        everyone,
    )

    # Each undo and redo is a recorded change that syncs: the performance was put there, taken
    # back (a tombstone) and put back; so was each performer the tutor toggled, in between.
    db = window.context.db
    assert performance_outbox(db, concert.performance_id) == [False, True, False]
    for member in toggled:
        assert performance_outbox(db, performer_id(concert.performance_id, member.pupil_id)) == [
            False,  # performing, as the performance was recorded
            True,  # Space: did not perform
            False,  # Ctrl+Z: performed after all
            True,  # Ctrl+Z: the performance taken back, with its performers
            False,  # Ctrl+Shift+Z: all back
        ]


def test_f2_changes_a_performances_details_and_ctrl_z_puts_them_back(qtbot, window):
    page = choose(window, "Hackney Youth Choir")
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    panel = page.performances
    panel.ask_new = lambda: ("Carol Service", MONDAY, "St John-at-Hackney")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.list_model.rowCount() == 1)
    concert = panel.current_performance()
    moved = MONDAY + timedelta(days=5)
    panel.ask_edit = lambda p: ("Carols by Candlelight", moved, "Hackney Empire")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_F2)
    shown = panel.current_performance()
    assert (shown.title, shown.performed_on, shown.venue) == (
        "Carols by Candlelight",
        moved,
        "Hackney Empire",
    )
    assert shown.performers == concert.performers  # who performed stays as recorded
    assert window.undo_action.text() == "&Undo Change “Carols by Candlelight”"
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, ctrl)
    qtbot.waitUntil(lambda: panel.current_performance().title == "Carol Service")
    assert panel.current_performance() == concert
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: panel.current_performance().title == "Carols by Candlelight")
    assert panel.current_performance().venue == "Hackney Empire"
    db = window.context.db
    assert performance_outbox(db, concert.performance_id) == [False, False, False, False]


def test_ensemble_certificates_open_the_certificates_flow_for_every_member(qtbot, window):
    from hms_desktop.ui.certificates.dialog import CertificatesDialog

    page = choose(window, "Hackney Steel Pans")
    seen = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CertificatesDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append((dialog.windowTitle(), dialog.selected_template().value, dialog.chosen_plan()))
        dialog.reject()

    QTimer.singleShot(0, answer)
    page.ensemble_certificates()  # the shell opens the certificates flow, modal
    ((title, template, plan),) = seen
    assert title.endswith("Hackney Steel Pans") and template == "ensemble"
    assert len(plan.ready) == page.roster.roster.ensemble.members
    # Members of other ensembles too: the certificate names the one it was printed from.
    assert {c.wording for c in plan.ready} == {"for playing in Hackney Steel Pans, 2026–27"}


def test_certificates_for_a_performance_name_the_performance_and_the_ensemble(qtbot, window):
    from hms_desktop.ui.certificates.dialog import CertificatesDialog

    page = choose(window, "Hackney Youth Choir")
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    panel = page.performances
    panel.ask_new = lambda: ("Carol Service", MONDAY, "St John-at-Hackney")
    assert panel.new_performance()
    seen = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CertificatesDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.chosen_plan())
        dialog.reject()

    QTimer.singleShot(0, answer)
    panel.certificates.click()
    (plan,) = seen
    assert len(plan.ready) == panel.list_model.row_at(0).performers
    assert {c.wording for c in plan.ready} == {
        "for performing in Carol Service with Hackney Youth Choir, 2026–27"
    }


def open_strings_rehearsal_on_today(window):
    """Saturday on Today, the string orchestra's rehearsal chosen: its register opens."""
    window.today.show_day(SATURDAY)
    model = window.today.timetable_model
    row = next(
        r
        for r in range(model.rowCount())
        if (e := model.entry(r)) and e.group_name == "Hackney Schools String Orchestra rehearsal"
    )
    window.today.timetable.selectRow(row)
    return model, row


def test_certificates_from_a_rehearsal_register_on_today_name_its_ensemble(qtbot, window):
    from hms_desktop.ui.certificates.dialog import CertificatesDialog

    model, row = open_strings_rehearsal_on_today(window)
    seen = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CertificatesDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append((dialog.selected_template().value, dialog.chosen_plan()))
        dialog.reject()

    QTimer.singleShot(0, answer)
    window.today.register_view.certificates.click()
    ((template, plan),) = seen
    assert template == "ensemble" and len(plan.ready) == model.entry(row).pupils
    assert {c.wording for c in plan.ready} == {
        "for playing in Hackney Schools String Orchestra, 2026–27"
    }


def test_the_page_takes_the_keyboard_and_a_narrow_window_keeps_name_and_kind_in_view(qtbot, window):
    from hms_desktop.ui.ensembles.models import KIND, MEMBERS, SLOT

    page = window.ensembles
    assert page.list.hasFocus()  # Ctrl+3 (the fixture) lands on the list: arrows choose
    window.resize(1024, 600)
    qtbot.waitUntil(lambda: page.list.isColumnHidden(SLOT) and page.list.isColumnHidden(MEMBERS))
    assert not page.list.isColumnHidden(KIND)
    band = next(
        i for i in range(page.list_model.rowCount()) if "Wind" in page.list_model.index(i, 0).data()
    )
    assert page.list_model.index(band, KIND).data() == "Band\nhelping"
    assert "36 members" in page.list_model.index(band, 0).data(Qt.ItemDataRole.ToolTipRole)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: not page.list.isColumnHidden(SLOT))


def test_after_a_new_performance_space_reaches_the_performers(qtbot, window):
    page = choose(window, "Hackney Youth Choir")
    page.tabs.setCurrentIndex(2)
    panel = page.performances
    assert panel.empty.isVisibleTo(panel) and "New performance" in panel.empty.text()
    assert not panel.edit.isEnabled() and not panel.certificates.isEnabled()
    panel.ask_new = lambda: ("Spring Concert", MONDAY, "Hackney Empire")
    assert panel.new_performance()
    assert panel.performers.hasFocus()
    assert not panel.empty.isVisibleTo(panel) and panel.edit.isEnabled()
    before = panel.current_performance().performers
    qtbot.keyClick(panel.performers, Qt.Key.Key_Space)
    assert panel.current_performance().performers == before - 1


def test_group_assessment_from_a_rehearsal_register_says_what_it_is_for(qtbot, window):
    from PySide6.QtGui import QAction

    open_strings_rehearsal_on_today(window)
    assert window.register_view.register.group_name.startswith("Hackney Schools String")
    opened = []
    QTimer.singleShot(0, lambda: opened.append(QApplication.activeModalWidget()))
    action = next(a for a in window.findChildren(QAction) if a.text() == "&Group assessment…")
    action.trigger()
    assert "a rehearsal's members are assessed" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: bool(opened))
    assert opened == [None]  # no dialog: nothing to assess here
