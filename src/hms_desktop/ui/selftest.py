"""``hms-desktop --selftest``: open the real window offscreen on a temporary demo, take a
register with the keyboard, and check that every mark was kept. Used by CI on the bundle."""

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hms_desktop.data.engine import open_database
from hms_desktop.services.demo import seed_demo
from hms_desktop.services.register import open_register
from hms_desktop.services.store import changes_waiting

from .app import application
from .events import DataEvents
from .main_window import MainWindow


def run_selftest() -> int:
    app = application()
    monday = date.today() - timedelta(days=date.today().weekday())
    with tempfile.TemporaryDirectory(prefix="hms-selftest-") as tmp:
        path = Path(tmp) / "selftest.sqlite3"
        seed_demo(path, pupils=300, seed=7, today=monday)
        db = open_database(path)
        window = MainWindow(db, DataEvents(), day=monday)
        window.show()
        app.processEvents()
        view = window.register_view
        register = view.register
        if register is None or not register.rows:
            return _fail("no register opened for the first lesson of the day")
        table = view.table
        table.setFocus()
        QTest.keyClick(table, Qt.Key.Key_F8)  # all present
        table.selectRow(1)
        QTest.keyClicks(table, "AN")  # second pupil: absent, notified
        app.processEvents()
        window.close()
        group_id, pupils = register.group_id, len(register.rows)
        second = register.rows[1].pupil_id
        db.close()

        reopened = open_database(path)
        try:
            kept = open_register(reopened, group_id, monday)
            waiting = changes_waiting(reopened)
        finally:
            reopened.close()
        codes = {r.pupil_id: r.code for r in kept.rows}
        if codes.get(second) != "AN":
            return _fail(f"expected AN for the second pupil, found {codes.get(second)}")
        if sum(1 for c in codes.values() if c == "P") != pupils - 1:
            return _fail("not every other pupil was kept as present")
        if waiting < pupils:
            return _fail(f"only {waiting} changes waiting to be sent for {pupils} marks")
    print(f"selftest ok: {pupils} pupils marked and kept, {waiting} changes waiting to be sent")
    return 0


def _fail(reason: str) -> int:
    print(f"selftest FAILED: {reason}", file=sys.stderr)
    return 1
