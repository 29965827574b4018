"""The main window: a menu bar, a sidebar of pages (Today, Pupils, Ensembles, Sync), the status
bar saying what sync is doing. Each page gets one small context, never the window itself."""

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from hms_desktop import APP_NAME
from hms_desktop.data.engine import Database
from hms_desktop.domain.types import LessonStatus
from hms_desktop.services.certificates import PrintedFrom
from hms_desktop.services.views import Register
from hms_desktop.sync.client import CentralClient

from ..certificates.dialog import CertificatesDialog
from ..common.context import PageContext
from ..common.events import ChangeKind, DataEvents
from ..common.fonts import register_bundled_fonts
from ..ensembles.page import ensembles_page
from ..pupils.page import pupils_page
from ..register.backend import LESSON_STATUSES
from ..register.rehearsal import RehearsalRegister
from ..sync.controller import SyncController
from ..sync.page import SyncPage
from ..today.page import TodayPage
from .help import about_dialog, shortcuts_dialog

PAGES = ("Today", "Pupils", "Ensembles", "Sync")
DEFAULT_SIZE = QSize(1280, 800)


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        events: DataEvents,
        day: date | None = None,
        client_factory: Callable[[str], CentralClient] = CentralClient,
    ) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self._db = db
        self.undo_stack = QUndoStack(self)
        self.context = PageContext(
            db=db,
            events=events,
            undo=self.undo_stack,
            client_factory=client_factory,
            say=lambda text: self.statusBar().showMessage(text, 10000),
        )
        self.sync = SyncController(db, events, client_factory, self)

        self.today = TodayPage(self.context, day)
        self.today.certificates_requested.connect(
            lambda view, pupil: self.open_certificates(
                view.register, pupil, isinstance(view.backend, RehearsalRegister)
            )
        )
        self.pupils = pupils_page(self.context)
        self.ensembles = ensembles_page(self.context)
        self.ensembles.certificates_requested.connect(self.open_ensemble_certificates)
        self.sync_page = SyncPage(self.context, self.sync)

        self.pages = QStackedWidget()
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        for i, (name, page) in enumerate(
            zip(PAGES, (self.today, self.pupils, self.ensembles, self.sync_page), strict=True)
        ):
            self.pages.addWidget(page)
            item = QListWidgetItem(name)
            item.setToolTip(f"{name} (Ctrl+{i + 1})")
            self.sidebar.addItem(item)
        self.sidebar.setFixedWidth(112)
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sidebar.setCurrentRow(0)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.pending_label = QLabel()
        self.pending_label.setObjectName("syncStatus")
        self.statusBar().addPermanentWidget(self.pending_label)
        self.sync.status_changed.connect(self.pending_label.setText)
        self.sync.finished.connect(self._sync_finished)
        self._build_menus()
        self._restore_geometry()
        self.sync.refresh_status()
        self.context.events.data_changed.connect(self._account_changed)
        self._account_changed(ChangeKind.ACCOUNT, [])

    # --- what tests and the selftest reach ---------------------------------------------------

    @property
    def register_view(self):
        return self.today.register_view

    @property
    def timetable_model(self):
        return self.today.timetable_model

    @property
    def timetable(self):
        return self.today.timetable

    @property
    def day(self) -> date:
        return self.today.day

    def show_day(self, day: date) -> None:
        self.today.show_day(day)

    # --- menus -------------------------------------------------------------------------------

    def _action(self, menu, text: str, slot, keys: str | QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.sync_action = self._action(file, "&Sync now", self.sync_page.sync_now, "Ctrl+R")
        self.sign_in_action = self._action(file, "Sign &in…", self.sync_page.sign_in)
        self.sign_out_action = self._action(file, "Sign &out", self.sync_page.sign_out)
        file.addSeparator()
        self._action(file, "&Quit", self.close, "Ctrl+Q")

        edit = bar.addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)

        go = bar.addMenu("&Go")
        for i, name in enumerate(PAGES):
            self._action(go, f"&{name}", lambda _=False, i=i: self.show_page(i), f"Ctrl+{i + 1}")
        go.addSeparator()
        t = self.today
        self._action(
            go, "&Previous day", lambda: self._on_today(lambda: t.step_day(-1)), "Alt+Left"
        )
        self._action(go, "&Next day", lambda: self._on_today(lambda: t.step_day(1)), "Alt+Right")
        self._action(
            go,
            "Back to to&day",
            lambda: self._on_today(lambda: t.show_day(self.context.today())),
            "Alt+Home",
        )
        self._action(go, "Registers not &yet taken…", self._untaken, "Ctrl+U")
        self._action(go, "&Find a group to cover…", self._find, "Ctrl+F")

        register = bar.addMenu("&Register")
        view = self.register_view
        self._action(
            register,
            "&All present\tF8",
            lambda: self._on_today(lambda: view.set_status(LessonStatus.DELIVERED)),
        )
        for spec in LESSON_STATUSES:
            self._action(
                register,
                spec.text,
                lambda _=False, s=spec.status: self._on_today(lambda: view.set_status(s)),
            )
        register.addSeparator()
        self._action(register, "&Comment…\tEnter", lambda: self._on_today(view.edit_comment))
        self._action(register, "C&lear mark\tDel", lambda: self._on_today(view.clear_current))
        self._action(
            register,
            "Ce&rtificates…",
            lambda: self._on_today(lambda: view.certificates_requested.emit(None)),
        )
        self._action(register, "&Group assessment…", self._group_assessment)

        help_menu = bar.addMenu("&Help")
        self._action(
            help_menu,
            "&Keyboard shortcuts",
            self.show_shortcuts,
            QKeySequence.StandardKey.HelpContents,
        )
        self._action(help_menu, f"&About {APP_NAME}", self.show_about)

    def _account_changed(self, kind: str, _ids: list) -> None:
        """Sign in, or Sign out and Sync now: the File menu offers what applies."""
        if kind not in (ChangeKind.ACCOUNT, ChangeKind.SYNC):
            return
        signed_in = self.sync_page.sign_out_button.isVisibleTo(self.sync_page)
        self.sign_in_action.setEnabled(not signed_in)
        self.sign_out_action.setEnabled(signed_in)

    def before_lock(self) -> None:
        """The idle lock is about to close the store: nothing may read or write it meanwhile."""
        self.set_locked(True)
        self.sync.periodic.stop()
        self.sync.soon.stop()
        self.today.stop_timers()

    def after_unlock(self) -> None:
        self.set_locked(False)
        self.sync.start()
        self.today.show_day(self.today.day)  # redraw from the reopened store
        self.today.focus_start()

    def set_locked(self, locked: bool) -> None:
        """While the idle lock holds the store closed, no menu or shortcut can reach it."""
        self.menuBar().setVisible(not locked)
        for action in self.findChildren(QAction):
            if action in (self.undo_action, self.redo_action):
                continue
            action.setEnabled(not locked)
        self.undo_action.setEnabled(not locked and self.undo_stack.canUndo())
        self.redo_action.setEnabled(not locked and self.undo_stack.canRedo())
        if not locked:
            self._account_changed(ChangeKind.ACCOUNT, [])

    def show_page(self, index: int) -> None:
        self.sidebar.setCurrentRow(index)
        page = self.pages.widget(index)
        if page is self.today:
            self.today.focus_register()
        else:
            page.setFocus()

    def _on_today(self, action: Callable[[], object]) -> None:
        self.show_page(0)
        action()

    def _untaken(self) -> None:
        self.show_page(0)
        self.today.show_untaken()

    def _find(self) -> None:
        self.show_page(0)
        self.today.search.setFocus()

    def show_shortcuts(self):
        dialog = shortcuts_dialog(self)
        dialog.show()
        return dialog

    def show_about(self):
        dialog = about_dialog(str(self._db.path), register_bundled_fonts(), self)
        dialog.show()
        return dialog

    # --- certificates ------------------------------------------------------------------------

    def certificates_dialog(
        self, register: Register | None, pupil_id: str | None = None, rehearsal: bool = False
    ):
        """Certificates for the whole group, or for one pupil of it; from a rehearsal's
        register, participation certificates naming its ensemble."""
        if register is None:
            return None
        rows = [r for r in register.rows if pupil_id in (None, r.pupil_id)]
        title = rows[0].name if pupil_id and rows else register.group_name
        if rehearsal:
            return self.ensemble_certificates_dialog(
                [r.pupil_id for r in rows], title, register.day, PrintedFrom(register.group_id)
            )
        return CertificatesDialog(
            self._db, self.context.events, [r.pupil_id for r in rows], title, register.day, self
        )

    def _group_assessment(self) -> None:
        """Assess the pupils of the register's group (the Pupils page does the work)."""
        register = self.register_view.register
        if isinstance(self.register_view.backend, RehearsalRegister):
            self.statusBar().showMessage(
                "Group assessment is for a teaching group: a rehearsal's members are assessed "
                "by the tutors who teach them. Open one of your lessons first.",
                10000,
            )
            return
        if register is not None:
            self.pupils.open_group_assessment(register.group_id, register.group_name)

    def ensemble_certificates_dialog(
        self, pupil_ids: list, title: str, on: date, source: PrintedFrom | None = None
    ):
        """Participation certificates for an ensemble's members or a performance's performers,
        naming the ensemble (and performance) they were printed from."""
        dialog = CertificatesDialog(
            self._db, self.context.events, pupil_ids, title, on, self, source=source
        )
        dialog.set_template("ensemble")
        return dialog

    def open_ensemble_certificates(
        self, pupil_ids: list, title: str, on: date, source: PrintedFrom | None = None
    ) -> None:
        dialog = self.ensemble_certificates_dialog(pupil_ids, title, on, source)
        dialog.exec()
        dialog.deleteLater()

    def open_certificates(
        self, register: Register | None, pupil_id: str | None = None, rehearsal: bool = False
    ) -> None:
        dialog = self.certificates_dialog(register, pupil_id, rehearsal)
        if dialog is not None:
            dialog.exec()
            dialog.deleteLater()

    # --- sync, size, closing -----------------------------------------------------------------

    def _sync_finished(self, outcome: object) -> None:
        if isinstance(outcome, str):
            self.statusBar().showMessage(
                f"Sync stopped: {outcome} Your work is kept on this laptop.", 10000
            )

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            splitter = settings.value("window/todaySplitter")
            if isinstance(splitter, QByteArray):
                self.today.splitter.restoreState(splitter)
            self._fit_to_screen()
            return
        self._fit_to_screen(DEFAULT_SIZE)

    def _fit_to_screen(self, wanted: QSize | None = None) -> None:
        """Never larger than the screen it opens on (title bar and panel included)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        room = screen.availableGeometry()
        size = wanted or self.size()
        width = min(size.width(), room.width() - 16)
        height = min(size.height(), room.height() - 40)  # the window manager's title bar
        self.resize(width, height)
        if wanted is not None:
            self.move(
                room.x() + (room.width() - width) // 2,
                room.y() + (room.height() - height - 30) // 2,
            )

    def start_in_register(self) -> None:
        """On start: the register has the keyboard once the window is active (activation is
        asynchronous, and Qt would otherwise give the first focusable widget the focus)."""
        self._focus_register_when_active = True
        self.today.focus_start()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if (
            event.type() == QEvent.Type.ActivationChange
            and self.isActiveWindow()
            and getattr(self, "_focus_register_when_active", False)
        ):
            self._focus_register_when_active = False
            QTimer.singleShot(0, self.today.focus_start)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.register_view.save_note()
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/todaySplitter", self.today.splitter.saveState())
        super().closeEvent(event)
