"""Sync in the window: signing in, background sync with its status, and 'Needs attention'."""

import shutil
import threading

from PySide6.QtCore import Qt

from hms_desktop.data.engine import open_database
from hms_desktop.services.register import mark_attendance, open_register
from hms_desktop.services.sync import enrol_device, needs_attention, sync_status
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.engine import SyncEngine
from hms_desktop.ui.common.events import DataEvents
from hms_desktop.ui.shell.window import MainWindow
from hms_desktop.ui.sync.attention_dialog import AttentionDialog
from hms_desktop.ui.sync.sign_in_dialog import SignInDialog

from .conftest import CENTRAL_PASSWORD, MONDAY, whole_class

EMAIL = "samira.okaforreid@hms.invalid"


def sign_in(db, central) -> None:
    client = CentralClient(central.url)
    try:
        enrol_device(db, client, EMAIL, password=CENTRAL_PASSWORD)
    finally:
        client.close()


def test_signing_in_from_the_window(qtbot, db, central):
    dialog = SignInDialog(db)
    qtbot.addWidget(dialog)
    dialog.server.setText(central.url)
    dialog.email.setText(EMAIL)
    dialog.password.setText("not my password")
    assert not dialog.sign_in()
    assert "not recognised" in dialog.message.text()
    assert not sync_status(db).signed_in
    dialog.password.setText(CENTRAL_PASSWORD)
    assert dialog.sign_in()
    assert dialog.tutor_name == "Samira Okafor-Reid"
    assert sync_status(db).signed_in
    assert dialog.password.text() == ""  # never kept


def test_background_sync_sends_the_register_and_says_so(qtbot, db, central):
    window = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert "Not signed in" in window.pending_label.text()
    sign_in(db, central)
    view = window.register_view
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F8)
    assert window.sync.soon.isActive()  # a sync follows soon after changes
    with qtbot.waitSignal(window.sync.finished, timeout=60000) as done:
        job = window.sync.sync_now()
        assert window.pending_label.text().startswith("Syncing")
    assert job.thread_name != threading.current_thread().name
    assert done.args[0].pushed >= 30
    assert "Synced at" in window.pending_label.text()
    assert "everything sent" in window.pending_label.text()


def test_offline_is_shown_and_the_work_is_kept(qtbot, db, central):
    window = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(window)
    sign_in(db, central)
    central.stop()
    group = whole_class(db).group_id
    mark_attendance(db, group, MONDAY, open_register(db, group, MONDAY).rows[0].pupil_id, "P")
    window.sync.soon.stop()
    with qtbot.waitSignal(window.sync.finished, timeout=120000) as done:
        window.sync.sync_now()
    assert "can't be reached" in done.args[0]
    text = window.pending_label.text()
    assert text.startswith("Offline") and "not yet sent" in text
    central.start()


def test_a_conflict_is_explained_and_settled_in_needs_attention(
    qtbot, qtmodeltester, db, demo_path, central, tmp_path
):
    other_path = tmp_path / "second.sqlite3"
    shutil.copyfile(demo_path, other_path)
    second = open_database(other_path)
    for laptop in (db, second):
        sign_in(laptop, central)
    group = whole_class(db).group_id
    pupil = open_register(db, group, MONDAY).rows[1]
    mark_attendance(db, group, MONDAY, pupil.pupil_id, "L")
    mark_attendance(second, group, MONDAY, pupil.pupil_id, "AN")
    for laptop in (db, second):
        client = CentralClient(central.url)
        SyncEngine(laptop, client).sync()
        client.close()
    assert open_register(second, group, MONDAY).row(pupil.pupil_id).code == "AN"  # kept
    dialog = AttentionDialog(second, DataEvents())
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 1
    assert pupil.name in dialog.model.index(0, 0).data()
    assert dialog.model.index(0, 1).data() == "AN"
    assert dialog.model.index(0, 2).data() == "L"
    assert not dialog.dismiss.isEnabled()
    qtbot.mouseClick(dialog.keep_mine, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0
    client = CentralClient(central.url)
    report = SyncEngine(second, client).sync()  # sent again, on top of central's version
    client.close()
    assert report.applied >= 1 and needs_attention(second) == []
    client = CentralClient(central.url)
    SyncEngine(db, client).sync()
    client.close()
    assert open_register(db, group, MONDAY).row(pupil.pupil_id).code == "AN"
    second.close()
