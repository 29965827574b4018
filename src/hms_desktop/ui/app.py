"""Starting the GUI: one QApplication, the database opened once, errors shown in words."""

import os
import sys
import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from hms_desktop import APP_NAME, __version__, logs, paths
from hms_desktop.data.engine import Database
from hms_desktop.domain.errors import DatabaseMissing, HmsError

from .common.events import DataEvents
from .common.fonts import register_bundled_fonts
from .lock import ask_to_unlock, install_idle_lock
from .shell.single_instance import SingleInstance
from .shell.window import MainWindow

STYLE = """
QLabel#registerTitle { font-size: 15pt; font-weight: 600; }
QLabel#pageTitle { font-size: 15pt; font-weight: 600; }
QListWidget#sidebar { font-size: 11pt; }
QListWidget#sidebar::item { padding: 8px 6px; }
QLabel#registerSubtitle { color: #444; }
QLabel#lessonStatus { font-weight: 600; }
QTableView#registerTable { font-size: 12pt; }
QLabel#legend { color: #333; font-size: 9pt; }
QTableView:focus, QPlainTextEdit:focus, QListWidget:focus { border: 2px solid #1f5fbf; }
"""


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Hackney Music Service")
    icon = paths.resource("icons", "hms-tutor.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    app.setStyleSheet(STYLE)
    register_bundled_fonts()
    return app  # type: ignore[return-value]


def open_or_explain(path: Path, create: bool, demo: bool = False) -> Database | None:
    """The PIN prompt (or HMS_PIN, for scripts and bench/) before any name is on screen."""
    from hms_desktop.services.unlock import open_with_pin

    try:
        if not create and not path.exists():
            raise DatabaseMissing(
                f"There is no HMS Tutor database at {path}. Check the path, or create a demo "
                f"one with: hms-desktop seed-demo --db {path}"
            )
        if os.environ.get("HMS_PIN"):
            return open_with_pin(path, os.environ["HMS_PIN"])
        return ask_to_unlock(path, demo=demo)
    except HmsError as err:
        logs.log.warning("could not open database: %s", type(err).__name__)
        print(f"hms-desktop: {err}", file=sys.stderr)
        if QApplication.platformName() != "offscreen":  # nobody could answer a dialog there
            QMessageBox.critical(None, APP_NAME, str(err))
        return None


UNEXPECTED = (
    "Something went wrong, so that action was not completed. Every mark already saved is safe. "
    "If it happens again, restart HMS Tutor."
)


def report_unexpected_errors(window: MainWindow) -> None:
    """An error nobody planned for: log where it happened (no personal data) and tell the tutor
    in words, instead of a traceback or silence."""

    def hook(exc_type, exc, tb) -> None:
        logs.log_unexpected(exc_type, exc, tb)
        window.statusBar().showMessage(UNEXPECTED, 15000)
        if QApplication.platformName() != "offscreen":
            QMessageBox.warning(window, APP_NAME, UNEXPECTED)

    sys.excepthook = hook


ALREADY_OPEN = (
    "HMS Tutor is already open on this profile, so that window has been brought to the front. "
    "Only one copy can use a profile at a time."
)


def run_app(path: Path, create: bool, day: date | None = None, demo: bool = False) -> int:
    app = application()
    instance = SingleInstance(path)
    if not instance.acquire():
        print(f"hms-desktop: {ALREADY_OPEN}", file=sys.stderr)
        if QApplication.platformName() != "offscreen":
            QMessageBox.information(None, APP_NAME, ALREADY_OPEN)
        return 0
    asked_at = time.time()  # with HMS_PIN: the PIN "entered" now (bench/)
    db = open_or_explain(path, create, demo)
    if db is None:
        instance.release()
        return 2
    events = DataEvents()
    window = MainWindow(db, events, day=day)
    instance.woken.connect(lambda: bring_forward(window))
    report_unexpected_errors(window)
    window.show()
    window.activateWindow()
    window.start_in_register()
    window.sync.start()
    from hms_desktop.services.purge import prune_sent_changes
    from hms_desktop.services.unlock import idle_lock_minutes

    window.sync.finished.connect(lambda _report: prune_sent_changes(db))

    window.idle_lock = install_idle_lock(
        window,
        db,
        window.before_lock,
        window.after_unlock,
        idle_seconds=idle_lock_minutes(db) * 60,
    )
    if os.environ.get("HMS_STARTUP_PROBE"):
        # bench/: report when the window is on screen, measured from the process's start.
        started = float(os.environ["HMS_STARTUP_PROBE"])

        def report(tries: int = 0) -> None:
            # The start-up is over when the register has the keyboard (the window is active).
            focused = QApplication.focusWidget()
            settled = focused is not None and focused.objectName() == "registerTable"
            if not settled and tries < 200:
                QTimer.singleShot(10, lambda: report(tries + 1))
                return
            name = focused.objectName() if focused is not None else "none"
            print(f"startup_s={time.time() - started:.3f} focus={name}", flush=True)
            print(f"pin_to_window_s={time.time() - asked_at:.3f} focus={name}", flush=True)
            window.close()

        QTimer.singleShot(0, report)
    try:
        return app.exec()
    finally:
        db.close()
        instance.release()


def bring_forward(window: MainWindow) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()
