"""The window a tutor spends the day in: it fits the screen, shows every name, tells pupils apart,
signs in on any laptop, says what sync is doing in words, has menus and help, opens once per
profile and flags registers not yet taken (issue 7, findings 6–11)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from hms_desktop.data import clock
from hms_desktop.data.models import Enrolment, Pupil
from hms_desktop.data.outbox import FROM_SERVER
from hms_desktop.data.sync_store import put
from hms_desktop.domain.ids import new_id
from hms_desktop.services.account import account, waiting_in_words
from hms_desktop.services.register import mark_attendance, open_register, save_lesson_note
from hms_desktop.services.sync import sync_status
from hms_desktop.services.timetable import lessons_on
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.credentials import save_refresh_token
from hms_desktop.sync.engine import DEVICE, SERVER
from hms_desktop.ui.common.events import ChangeKind, DataEvents
from hms_desktop.ui.register.model import CARE, COMMENT
from hms_desktop.ui.shell.window import MainWindow
from hms_desktop.ui.sync.sign_in_dialog import SignInDialog
from hms_desktop.ui.today.timetable_model import GROUP
from hms_desktop.ui.today.untaken_dialog import UntakenDialog

from .conftest import CENTRAL_PASSWORD, MONDAY, whole_class

EMAIL = "samira.okaforreid@hms.invalid"
SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def window(qtbot, db):
    win = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.today.focus_start()
    return win


def when_modal(kind, act) -> None:
    """Answer the next modal dialog of ``kind`` the app shows, as a tutor would."""

    def respond() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, respond)
            return
        act(dialog)

    QTimer.singleShot(0, respond)


# --- 6: the window fits the screen; nothing is cut off ---------------------------------------


def test_the_window_opens_inside_the_screen_with_its_status_bar_showing(window):
    room = window.screen().availableGeometry()
    assert window.frameGeometry().height() <= room.height()
    assert window.frameGeometry().width() <= max(room.width(), 1024)
    status = window.pending_label
    corner = status.mapTo(window, status.rect().bottomRight())
    assert window.rect().contains(corner)


def test_at_1024_by_600_lesson_names_read_in_full_and_sign_in_is_in_a_menu(qtbot, window, db):
    window.resize(1024, 600)
    qtbot.wait(50)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 600
    table = window.timetable
    width = table.columnWidth(GROUP)
    metrics = QFontMetrics(table.font())
    for entry in lessons_on(db, MONDAY):
        needed = metrics.boundingRect(
            QRect(0, 0, width - 8, 1000), Qt.TextFlag.TextWordWrap, entry.group_name
        )
        assert needed.height() <= table.verticalHeader().defaultSectionSize(), entry.group_name
    file_menu = window.menuBar().actions()[0].menu()
    assert "Sign &in…" in [a.text() for a in file_menu.actions()]


def test_full_comments_and_care_details_show_on_hover(qtbot, window, db):
    view = window.register_view
    long_comment = "Dentist appointment; mum phoned the office at 8:40 and will bring a note " * 3
    row = next(i for i in range(view.model.rowCount()) if view.model.row_at(i).needs_care)
    view.table.selectRow(0)
    view.ask_comment = lambda *_a: long_comment.strip()
    qtbot.keyClicks(view.table, "SE")
    tip = view.model.index(0, COMMENT).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == long_comment.strip()
    care = view.model.row_at(row)
    detail = view.model.index(row, CARE).data(Qt.ItemDataRole.ToolTipRole)
    with db.reading() as s:
        pupil = s.get(Pupil, care.pupil_id)
        expected = pupil.medical_note or ("EHCP" if pupil.ehcp else "SEN support")
    assert expected in detail
    assert view.model.index(row, CARE).data() in (
        "SEN",
        "EHCP",
        "Medical",
        "SEN, Medical",
        "EHCP, Medical",
    )


def test_the_window_size_and_split_are_remembered(qtbot, db):
    first = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(first)
    first.show()
    first.resize(1100, 650)
    first.move(40, 30)
    first.today.splitter.setSizes([200, 380])
    sizes = first.today.splitter.sizes()
    first.close()
    again = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (1100, 650)
    assert again.today.splitter.sizes() == sizes


# --- 7: names in scripts the computer lacks ---------------------------------------------------

GLYPH_CHECK = """
import os, sys, unicodedata
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication
app = QApplication([])
if sys.argv[1] == "bundled":
    from hms_desktop.ui.common.fonts import register_bundled_fonts
    register_bundled_fonts()
for name in sys.argv[2:]:
    layout = QTextLayout(name, QFont())
    layout.beginLayout(); layout.createLine(); layout.endLayout()
    fonts = [run.rawFont() for run in layout.glyphRuns()]
    shown = all(
        any(f.isValid() and f.familyName() and f.supportsCharacter(ord(ch)) for f in fonts)
        for ch in name if not ch.isspace() and not unicodedata.combining(ch)
    )
    print("ok" if shown else "box")
"""


@pytest.mark.parametrize(
    "name",
    ["অর্পিতা দাস", "Zeynep Öztürk", "ليلى حسن", "אביגיל כהן", "கயல்விழி முருகன்", "ሰላም ተስፋዬ", "王小明"],
)
def test_names_show_in_every_script_on_a_laptop_with_only_the_bundled_fonts(tmp_path, name):
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{empty}</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "QT_QPA_PLATFORM": "offscreen"}

    def run(mode: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", GLYPH_CHECK, mode, name],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run("system") == "box"  # what a bare laptop showed before
    assert run("bundled") == "ok"


# --- 8: pupils who share a name, and what a tutor must know -----------------------------------


def test_two_pupils_with_the_same_name_are_told_apart(db):
    lesson = whole_class(db)
    register = open_register(db, lesson.group_id, MONDAY)
    original = register.rows[0]
    with db.transaction() as s:
        s.info[FROM_SERVER] = True  # pupils come from central
        first = s.get(Pupil, original.pupil_id)
        twin = Pupil(
            id=new_id(),
            given_name=first.given_name,
            family_name=first.family_name,
            preferred_name=first.preferred_name,
            family_name_first=first.family_name_first,
            school_id=first.school_id,
            year_group=(first.year_group or 4) + 1,
        )
        s.add(twin)
        s.flush()
        s.add(
            Enrolment(
                id=new_id(),
                group_id=lesson.group_id,
                pupil_id=twin.id,
                start_date=MONDAY.replace(month=9, day=1),
            )
        )
    rows = open_register(db, lesson.group_id, MONDAY).rows
    shown = [r.name for r in rows if r.pupil_id in (original.pupil_id, twin.id)]
    assert len(shown) == 2 and shown[0] != shown[1]
    assert all(original.name in n for n in shown)  # the name itself is never changed


# --- 9: signing in without a keychain; signed in as; sign out ---------------------------------


class NoKeychain(KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        raise KeyringError("no keychain here")

    def set_password(self, service, username, password):
        raise KeyringError("no keychain here")

    def delete_password(self, service, username):
        raise KeyringError("no keychain here")


def test_a_laptop_without_a_keychain_signs_in_for_this_run_and_syncs(qtbot, window, db, central):
    keyring.set_keyring(NoKeychain())
    page = window.sync_page

    def answer(dialog) -> None:
        dialog.server.setText(central.url)
        dialog.email.setText(EMAIL)
        dialog.password.setText(CENTRAL_PASSWORD)
        dialog.ask_this_run_only = lambda _text: True
        dialog.sign_in()

    when_modal(SignInDialog, answer)
    window.sync.soon.stop()
    with qtbot.waitSignal(window.sync.finished, timeout=60000):
        assert page.sign_in()
    assert account(db).signed_in and account(db).this_run_only
    assert "Signed in as <b>Samira Okafor-Reid</b>" in page.who.text()
    assert "this run only" in page.who.text()
    assert sync_status(db).last_synced_at is not None  # the token in memory was used


def test_signing_out_keeps_every_waiting_change_and_says_how_many(qtbot, window, db, central):
    client = CentralClient(central.url)
    from hms_desktop.services.sync import enrol_device

    enrol_device(db, client, EMAIL, password=CENTRAL_PASSWORD)
    client.close()
    window.context.events.changed(ChangeKind.ACCOUNT)
    assert window.sync_page.sign_out_button.isVisibleTo(window.sync_page)
    qtbot.keyClicks(window.register_view.table, "PP")
    waiting = window.sync_page.sign_out(confirm=False)
    assert waiting == 3  # two marks and their lesson
    assert not account(db).signed_in
    assert "3 changes wait on this laptop" in window.statusBar().currentMessage()
    assert window.sync_page.sign_in_button.isVisibleTo(window.sync_page)
    assert len(open_register(db, *window.register_view.backend.key).rows) > 0


# --- 10: sync status that is never stale, in words -------------------------------------------


class HungServer:
    """Accepts connections on loopback and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.held: list[socket.socket] = []
        self.open = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.open:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.held.append(conn)

    def close(self) -> None:
        self.open = False
        self.thread.join()
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_marking_while_a_sync_hangs_keeps_saying_syncing(qtbot, db):
    hung = HungServer()
    with db.transaction() as s:
        put(s, SERVER, hung.url)
        put(s, DEVICE, "device-1")
    save_refresh_token(hung.url, "device-1", "token")
    win = MainWindow(
        db, DataEvents(), day=MONDAY, client_factory=lambda u: CentralClient(u, timeout=0.5)
    )
    qtbot.addWidget(win)
    win.show()
    job = win.sync.sync_now()
    assert job is not None
    win.register_view.table.setFocus()
    qtbot.keyClicks(win.register_view.table, "P")
    text = win.pending_label.text()
    assert text.startswith("Syncing") and "Synced at" not in text and "everything sent" not in text
    assert "1 register not yet sent" in text
    job.cancel()
    hung.close()
    qtbot.waitUntil(lambda: not win.sync.running, timeout=60000)


def test_what_waits_is_said_in_a_tutors_words(db):
    lesson = whole_class(db)
    rows = open_register(db, lesson.group_id, MONDAY).rows
    mark_attendance(db, lesson.group_id, MONDAY, rows[0].pupil_id, "P")
    mark_attendance(db, lesson.group_id, MONDAY, rows[1].pupil_id, "L")
    other = next(e for e in lessons_on(db, MONDAY) if e.group_id != lesson.group_id)
    save_lesson_note(db, other.group_id, MONDAY, "Bring rosin next week")
    assert waiting_in_words(db) == "1 register and 1 lesson note or status not yet sent"


# --- 11: menus, help, one app per profile, registers not yet taken ----------------------------


def test_menu_bar_help_about_and_quit(qtbot, window, db):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Go", "&Register", "&Help"]
    shortcuts = window.show_shortcuts()
    qtbot.addWidget(shortcuts)
    text = shortcuts.text.toPlainText()
    assert "F8" in text and "Ctrl+Z" in text and "F6" in text
    about = window.show_about()
    qtbot.addWidget(about)
    text = about.text.toPlainText()
    assert str(db.path) in text and "0.1.0" in text and "SIL OPEN FONT LICENSE" in text.upper()
    assert "Noto" in text
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_ctrl_number_moves_between_pages_and_unbuilt_pages_say_so(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.pupils
    assert window.pupils.search.hasFocus()  # type a name at once
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.sync_page
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.register_view.table.hasFocus()


def test_a_second_copy_on_the_same_profile_explains_and_leaves_the_database_alone(
    demo_path, tmp_path
):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(SRC)}
    first = subprocess.Popen(
        [sys.executable, "-m", "hms_desktop", "--db", str(demo_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        lock = Path(str(demo_path.resolve()) + ".app-lock")
        deadline = time.monotonic() + 60
        while not lock.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert lock.exists(), "the first copy never started"
        second = subprocess.run(
            [sys.executable, "-m", "hms_desktop", "--db", str(demo_path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        assert "already open on this profile" in second.stderr, second.stderr
        assert first.poll() is None  # the first copy carries on
    finally:
        first.terminate()
        first.wait(timeout=30)


def test_registers_not_yet_taken_are_one_key_away_and_taking_one_clears_it(qtbot, db, monkeypatch):
    tuesday = MONDAY + timedelta(days=1)  # Monday's registers were never taken
    monkeypatch.setattr(clock, "today", lambda: tuesday)
    window = MainWindow(db, DataEvents(), day=tuesday)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    untaken = window.today.untaken
    assert untaken, "the demo term has registers not yet taken"
    assert str(len(untaken)) in window.today.untaken_button.text()
    oldest = untaken[0]  # the string orchestra's first rehearsal: never taken in the demo
    assert oldest.day < MONDAY < tuesday

    def take_first(dialog: UntakenDialog) -> None:
        dialog.table.selectRow(0)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)

    when_modal(UntakenDialog, take_first)
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert window.today.day == oldest.day
    assert window.register_view.register.group_id == oldest.group_id
    qtbot.waitUntil(window.register_view.table.hasFocus)
    qtbot.keyClick(window.register_view.table, Qt.Key.Key_F8)
    assert len(window.today.untaken) == len(untaken) - 1


# --- undo reaches central as the tutor now sees it --------------------------------------------


def test_an_undone_mark_reaches_central_as_the_tutor_now_sees_it(
    qtbot, window, db, demo_path, tmp_path, central
):
    from hms_desktop.data.engine import open_database
    from hms_desktop.services.sync import enrol_device, sync_now

    client = CentralClient(central.url)
    try:
        enrol_device(db, client, EMAIL, password=CENTRAL_PASSWORD)
        other_path = tmp_path / "second.sqlite3"
        shutil.copyfile(demo_path, other_path)
        second = open_database(other_path)
        enrol_device(second, client, EMAIL, password=CENTRAL_PASSWORD)
        view = window.register_view
        key = view.backend.key
        pupil = view.model.row_at(0).pupil_id
        qtbot.keyClicks(view.table, "L")
        sync_now(db, client)
        sync_now(second, client)
        assert open_register(second, *key).row(pupil).code == "L"
        qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        sync_now(db, client)
        sync_now(second, client)
        assert open_register(second, *key).row(pupil).code is None
        window.redo_action.trigger()
        sync_now(db, client)
        sync_now(second, client)
        assert open_register(second, *key).row(pupil).code == "L"
        second.close()
    finally:
        client.close()


# --- a whole register without the mouse --------------------------------------------------------


def test_cold_start_to_a_taken_register_and_the_next_lesson_never_touching_the_mouse(qtbot, db):
    win = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.today.focus_start()  # what the app does on start
    view = win.register_view
    answers = ["Dentist", "Trip to the museum"]
    view.ask_comment = lambda *_a: answers.pop(0) if answers else None
    keys = 0

    def type_(text: str) -> None:
        nonlocal keys
        qtbot.keyClicks(win.focusWidget(), text)
        keys += len(text)

    def key(k, mod=Qt.KeyboardModifier.NoModifier) -> None:
        nonlocal keys
        qtbot.keyClick(win.focusWidget(), k, mod)
        keys += 1

    key(Qt.Key.Key_F8)  # 30 present
    key(Qt.Key.Key_Down)
    key(Qt.Key.Key_Down)
    type_("AN")  # pupil 3 absent, notified
    key(Qt.Key.Key_Up)
    key(Qt.Key.Key_Return)  # comment "Dentist" (typed in the dialog)
    for _ in range(6):
        key(Qt.Key.Key_Down)
    type_("SE")  # pupil 10 on school business: asks "Trip to the museum"
    key(Qt.Key.Key_End)
    type_("L")  # the last pupil late
    key(Qt.Key.Key_F6)  # to the lesson note
    type_("Open strings")
    key(Qt.Key.Key_F6)  # to the lesson list
    key(Qt.Key.Key_Down)  # the next lesson
    key(Qt.Key.Key_Return)  # into its register
    key(Qt.Key.Key_F8)
    group = whole_class(db).group_id
    taken = open_register(db, group, MONDAY)
    codes = [r.code for r in taken.rows]
    assert codes.count("P") == 27, " ".join(str(c) for c in codes)
    assert codes[2] == "AN" and codes[9] == "SE" and codes[-1] == "L"
    assert taken.rows[2].comment == "Dentist" and taken.rows[9].comment == "Trip to the museum"
    win.register_view.save_note()
    assert taken.note == "Open strings" or open_register(db, group, MONDAY).note == "Open strings"
    second = win.register_view.register
    assert second.group_id != group
    assert all(r.code == "P" for r in open_register(db, second.group_id, MONDAY).rows)
    print(f"keystrokes for 30 pupils with three exceptions and two comments: {keys}")
    assert keys < 40


def test_every_new_table_model_passes_the_model_tester(qtmodeltester, window):
    qtmodeltester.check(window.today.timetable_model)
    qtmodeltester.check(window.register_view.model)
    dialog = UntakenDialog(window.today.untaken, window)
    qtmodeltester.check(dialog.model)
    dialog.close()


FIT_CHECK = """
import sys
from datetime import date
from pathlib import Path
from hms_desktop.data.engine import open_database
from hms_desktop.ui.app import application
from hms_desktop.ui.common.events import DataEvents
from hms_desktop.ui.shell.window import MainWindow
app = application()
db = open_database(Path(sys.argv[1]))
window = MainWindow(db, DataEvents(), day=date(2026, 11, 23))
window.show()
app.processEvents()
room = window.screen().availableGeometry()
frame = window.frameGeometry()
label = window.pending_label
corner = label.mapToGlobal(label.rect().bottomRight())
sync = window.sync_action.isEnabled()
print(room.contains(frame), room.contains(corner), label.isVisible(), sync)
window.close()
db.close()
"""


@pytest.mark.parametrize("width,height", [(1366, 768), (1024, 600)])
def test_the_window_fits_a_laptop_screen_with_the_sync_status_in_view(
    demo_path, tmp_path, width, height
):
    config = tmp_path / "screen.json"
    screen = {"name": "s", "x": 0, "y": 0, "width": width, "height": height, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # a first start: no remembered size
    }
    done = subprocess.run(
        [sys.executable, "-c", FIT_CHECK, str(demo_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True", "True"]


def test_finding_a_group_moves_with_arrows_and_opens_on_its_own_day(qtbot, window, db, monkeypatch):
    from hms_desktop.ui.today.find_group import FindGroupDialog

    monkeypatch.setattr(clock, "today", lambda: MONDAY + timedelta(days=4))  # Friday

    def choose_second(dialog: FindGroupDialog) -> None:
        dialog.query.setText("small group")
        qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
        assert dialog.table.currentIndex().row() == 1
        chosen.append(dialog.chosen())
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)

    chosen: list = []
    when_modal(FindGroupDialog, choose_second)
    window.today.find_group()
    group = chosen[0]
    assert window.register_view.register.group_id == group.group_id
    assert window.today.day.weekday() == group.weekday
    assert window.today.day <= MONDAY + timedelta(days=4)


def test_on_start_the_register_has_the_keyboard_once_the_window_is_active(qtbot, db):
    win = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    win.start_in_register()  # as the app does, before the window manager has activated it
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.register_view.table)
    qtbot.keyClicks(win.register_view.table, "P")
    assert open_register(db, *win.register_view.backend.key).rows[0].code == "P"
