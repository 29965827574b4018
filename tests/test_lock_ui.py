"""The PIN prompt and the idle lock as a tutor meets them: names leave the screen, the store
closes, a sync in flight loses nothing, and the PIN opens everything again in place."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar
from sqlalchemy import func, select

from hms_central.store import AppliedOp
from hms_desktop.data.engine import Database
from hms_desktop.domain.errors import HmsError
from hms_desktop.services.register import mark_attendance, open_register
from hms_desktop.services.store import changes_waiting
from hms_desktop.services.sync import enrol_device
from hms_desktop.services.unlock import ProfileState, profile_info, unlock
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.engine import SyncEngine
from hms_desktop.ui.common.runner import Job, start
from hms_desktop.ui.lock import UnlockDialog, install_idle_lock
from hms_desktop.ui.lock.pin_prompt import CHOOSE, ENTER

from .conftest import CENTRAL_PASSWORD, MONDAY, TEST_PIN, whole_class
from .test_sync import central_session


def type_and_enter(qtbot, field, text: str) -> None:
    field.setFocus()
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_the_start_prompt_explains_slips_and_opens_with_the_right_pin(qtbot, profile_path):
    dialog = UnlockDialog(profile_path)
    qtbot.addWidget(dialog)
    prompt = dialog.prompt
    assert prompt.pages.currentIndex() == ENTER

    type_and_enter(qtbot, prompt.pin, "48291S")
    assert "digits only" in prompt.message.text()
    type_and_enter(qtbot, prompt.pin, "111999")
    assert "9 tries left" in prompt.message.text()
    assert prompt.pin.text() == ""  # a wrong PIN is not left in the field
    type_and_enter(qtbot, prompt.pin, TEST_PIN)
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    dialog.database.close()


def test_a_plain_profile_asks_for_a_new_pin_then_is_encrypted(qtbot, demo_path):
    dialog = UnlockDialog(demo_path)
    qtbot.addWidget(dialog)
    prompt = dialog.prompt
    assert prompt.pages.currentIndex() == CHOOSE
    assert "encrypted" in prompt.message.text()
    prompt.new_pin.setText("1234")
    type_and_enter(qtbot, prompt.new_confirm, "1234")
    assert "at least 6 digits" in prompt.message.text()
    prompt.new_pin.setText("903172")
    type_and_enter(qtbot, prompt.new_confirm, "903172")
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert len(dialog.recovery_codes) == 10
    dialog.database.close()
    assert profile_info(demo_path).state is ProfileState.LOCKED


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def window_on_profile(qtbot, profile_path):
    """A window showing a pupil's name, over an unlocked profile, with a test clock."""
    db = unlock(profile_path, TEST_PIN)
    entry = whole_class(db)
    name = open_register(db, entry.group_id, MONDAY).rows[0].name
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QLabel(name))
    window.addToolBar(QToolBar("Register"))
    window.show()
    yield window, db, name, entry
    db.close()


def names_on_screen(window: QMainWindow) -> list[str]:
    return [w.text() for w in window.findChildren(QLabel) if w.isVisible() and w.text()]


def test_idle_time_locks_hides_names_closes_the_store_and_the_pin_reopens_it(
    qtbot, window_on_profile
):
    window, db, name, entry = window_on_profile
    clock = Clock()
    calls = []
    lock = install_idle_lock(
        window, db, lambda: calls.append("lock"), lambda: calls.append("unlock"), clock=clock
    )
    clock.now += 200
    qtbot.keyClick(window, Qt.Key.Key_Shift)  # the tutor is still working
    clock.now += 200
    lock.check()
    assert not lock.is_locked
    assert name in names_on_screen(window)

    clock.now += 301
    lock.check()
    assert lock.is_locked and calls == ["lock"]
    assert name not in " ".join(names_on_screen(window))
    assert not any(bar.isVisible() for bar in window.findChildren(QToolBar))
    assert db.key.forgotten
    with pytest.raises(HmsError, match="locked"):
        open_register(db, entry.group_id, MONDAY)

    type_and_enter(qtbot, lock.cover.pin, "111999")
    assert lock.is_locked and "9 tries left" in lock.cover.message.text()
    type_and_enter(qtbot, lock.cover.pin, TEST_PIN)
    assert not lock.is_locked and calls == ["lock", "unlock"]
    assert name in names_on_screen(window)
    assert open_register(db, entry.group_id, MONDAY).rows[0].name == name  # same handle


def ops_waiting(db) -> int:
    """Outbox entries not yet at central: the tutor's changes and their audit-trail entries."""
    from hms_desktop.data.sync_store import WAITING, counts

    with db.reading() as s:
        return sum(n for state, n in counts(s).items() if state in WAITING)


@pytest.mark.parametrize("stop", ["cancel", "let it finish"])
def test_a_sync_in_flight_when_the_lock_comes_loses_nothing(
    qtbot, window_on_profile, central, stop
):
    window, db, _name, entry = window_on_profile
    client = CentralClient(central.url)
    enrol_device(db, client, "samira.okaforreid@hms.invalid", password=CENTRAL_PASSWORD)
    pupils = [r.pupil_id for r in open_register(db, entry.group_id, MONDAY).rows]
    for n in range(60):
        mark_attendance(db, entry.group_id, MONDAY, pupils[n % 30], ["P", "L", "AN"][n % 3])
    total = ops_waiting(db)
    job = Job(lambda progress, cancelled: SyncEngine(db, client, cancelled=cancelled).sync())
    on_lock = job.cancel if stop == "cancel" else (lambda: None)
    lock = install_idle_lock(window, db, on_lock, lambda: None, clock=Clock())
    start(job)
    lock.lock_now()  # while the sync runs: it finishes its batch or stops between batches
    assert lock.is_locked and db.key.forgotten
    type_and_enter(qtbot, lock.cover.pin, TEST_PIN)
    assert not lock.is_locked
    waiting = ops_waiting(db)
    with central_session(central) as s:
        applied = s.scalar(select(func.count()).select_from(AppliedOp))
    assert applied + waiting == total  # every change either at central or still waiting
    if stop == "let it finish":
        assert waiting == 0
    report = SyncEngine(db, client).sync()
    client.close()
    assert report.waiting == 0


def test_the_demo_prompt_shows_its_documented_pin(qtbot, demo_path):
    from hms_desktop.services.unlock import DEMO_PIN, set_up_profile

    set_up_profile(demo_path, DEMO_PIN)[0].close()
    dialog = UnlockDialog(demo_path, hint=f"Demo profile: the PIN is {DEMO_PIN}")
    qtbot.addWidget(dialog)
    assert DEMO_PIN in dialog.prompt.hint.text()
    type_and_enter(qtbot, dialog.prompt.pin, DEMO_PIN)
    assert isinstance(dialog.database, Database)
    dialog.database.close()


def test_a_certificate_batch_running_when_the_lock_comes_is_cancelled_and_leaves_nothing(
    qtbot, window_on_profile, tmp_path
):
    from hms_desktop.ui.certificates.dialog import CertificatesDialog
    from hms_desktop.ui.common.events import DataEvents

    window, db, _name, entry = window_on_profile
    pupils = [r.pupil_id for r in open_register(db, entry.group_id, MONDAY).rows]
    dialog = CertificatesDialog(db, DataEvents(), pupils, entry.group_name, MONDAY, window)
    qtbot.addWidget(dialog)
    dialog.set_template("recognition")
    dialog.show()
    before = changes_waiting(db)
    folder = tmp_path / "printed"
    folder.mkdir()
    lock = install_idle_lock(window, db, lambda: None, lambda: None, clock=Clock())
    assert dialog.save_to(folder / "batch.pdf") is not None
    lock.lock_now()
    assert not dialog.isVisible()  # the pupils' names went with it
    type_and_enter(qtbot, lock.cover.pin, TEST_PIN)
    assert list(folder.iterdir()) == []
    assert changes_waiting(db) == before


def test_the_real_window_shows_no_pupil_once_locked(qtbot, profile_path):
    from PySide6.QtWidgets import QAbstractItemView, QLineEdit

    from hms_desktop.ui.common.events import DataEvents
    from hms_desktop.ui.shell.window import MainWindow

    db = unlock(profile_path, TEST_PIN)
    try:
        window = MainWindow(db, DataEvents(), day=MONDAY)
        qtbot.addWidget(window)
        window.show()
        names = [r.name for r in window.register_view.register.rows]
        window.statusBar().showMessage(f"Marked {names[0]} present")
        assert any(view.isVisible() for view in window.findChildren(QAbstractItemView))
        lock = install_idle_lock(window, db, lambda: None, lambda: None, clock=Clock())
        lock.lock_now()
        shown = " ".join(
            [*names_on_screen(window), window.statusBar().currentMessage(), window.windowTitle()]
            + [e.text() for e in window.findChildren(QLineEdit) if e.isVisible()]
        )
        assert not any(name in shown for name in names)
        assert not any(view.isVisible() for view in window.findChildren(QAbstractItemView))
        type_and_enter(qtbot, lock.cover.pin, TEST_PIN)
        assert any(view.isVisible() for view in window.findChildren(QAbstractItemView))
        window.close()
    finally:
        db.close()


def test_while_locked_no_shortcut_reaches_the_store_and_every_mark_stays(qtbot, profile_path):
    from PySide6.QtCore import Qt

    from hms_desktop.services.register import open_register
    from hms_desktop.ui.common.events import DataEvents
    from hms_desktop.ui.shell.window import MainWindow

    db = unlock(profile_path, TEST_PIN)
    try:
        window = MainWindow(db, DataEvents(), day=MONDAY)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.today.focus_start()
        qtbot.keyClicks(window.register_view.table, "L")
        key = window.register_view.backend.key
        pupil = window.register_view.register.rows[0].pupil_id
        lock = install_idle_lock(window, db, window.before_lock, window.after_unlock, clock=Clock())
        lock.lock_now()
        assert not window.undo_action.isEnabled() and not window.sync_action.isEnabled()
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        type_and_enter(qtbot, lock.cover.pin, TEST_PIN)
        assert open_register(db, *key).row(pupil).code == "L"  # the undo never ran
        assert window.undo_action.isEnabled()
        window.close()
    finally:
        db.close()
