"""Render the README's screenshots from a fresh demo database (offscreen), so they stay current.

Usage: python scripts/screenshots.py OUT_DIR
"""

import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hms_desktop.data.engine import open_database
from hms_desktop.services.demo import seed_demo
from hms_desktop.ui.app import application
from hms_desktop.ui.events import DataEvents
from hms_desktop.ui.main_window import MainWindow


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    # A fixed Monday keeps the pictures the same from run to run.
    monday = date(2026, 11, 23)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite3"
        seed_demo(path, pupils=2000, seed=1, today=monday)
        db = open_database(path)
        window = MainWindow(db, DataEvents(), day=monday)
        window.resize(1400, 860)
        window.show()
        app.processEvents()
        table = window.register_view.table
        table.setFocus()
        QTest.keyClick(table, Qt.Key.Key_F8)
        for row, code in ((2, "AN"), (5, "L"), (9, "AU")):
            table.selectRow(row)
            QTest.keyClicks(table, code)
        window.register_view.note.setPlainText("Bow hold and open strings; D major scale.")
        window.register_view.save_note()
        table.selectRow(10)
        app.processEvents()
        window.grab().save(str(out / "register.png"))
        window.show_day(monday + timedelta(days=1))
        app.processEvents()
        window.grab().save(str(out / "timetable-tuesday.png"))
        window.close()
        db.close()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
