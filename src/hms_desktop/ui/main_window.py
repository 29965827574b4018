"""The main window: the day's timetable on the left, the open register on the right."""

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, QItemSelection, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from hms_desktop import APP_NAME
from hms_desktop.data.engine import Database
from hms_desktop.domain.errors import HmsError
from hms_desktop.services.timetable import lessons_on
from hms_desktop.sync.client import CentralClient

from .attention_dialog import AttentionDialog
from .events import DataEvents
from .find_group import FindGroupDialog
from .register_view import RegisterView
from .sign_in_dialog import SignInDialog
from .sync_controller import SyncController
from .timetable_model import GROUP, PUPILS, REGISTER, TIME, TimetableModel


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        events: DataEvents,
        day: date | None = None,
        client_factory: Callable[[str], CentralClient] = CentralClient,
    ) -> None:
        super().__init__()
        self._client_factory = client_factory
        self._db = db
        self._events = events
        self._day = day or date.today()
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 780)

        toolbar = QToolBar("Day")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.prev_action = QAction("◀  Previous day", self, shortcut=QKeySequence("Alt+Left"))
        self.next_action = QAction("Next day  ▶", self, shortcut=QKeySequence("Alt+Right"))
        self.today_action = QAction("Today", self, shortcut=QKeySequence("Alt+Home"))
        self.prev_action.triggered.connect(lambda: self.show_day(self._day - timedelta(days=1)))
        self.next_action.triggered.connect(lambda: self.show_day(self._day + timedelta(days=1)))
        self.today_action.triggered.connect(lambda: self.show_day(date.today()))
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dddd d MMMM yyyy")
        self.date_edit.dateChanged.connect(self._date_picked)
        toolbar.addAction(self.prev_action)
        toolbar.addWidget(self.date_edit)
        toolbar.addAction(self.next_action)
        toolbar.addAction(self.today_action)
        spacer = QWidget()
        spacer.setSizePolicy(
            spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy()
        )
        toolbar.addWidget(spacer)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a group to cover…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.search.returnPressed.connect(self.find_group)
        toolbar.addWidget(self.search)
        self.sync_action = QAction("⟳ Sync now", self, shortcut=QKeySequence("Ctrl+R"))
        self.sign_in_action = QAction("Sign in…", self)
        self.attention_action = QAction("Needs attention…", self)
        toolbar.addSeparator()
        for action in (self.sync_action, self.attention_action, self.sign_in_action):
            toolbar.addAction(action)
        find = QAction("Find", self, shortcut=QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: self.search.setFocus())
        self.addAction(find)

        self.timetable_model = TimetableModel(self)
        self.timetable = QTableView()
        self.timetable.setObjectName("timetable")
        self.timetable.setModel(self.timetable_model)
        self.timetable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timetable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.timetable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timetable.verticalHeader().hide()
        self.timetable.verticalHeader().setDefaultSectionSize(30)
        self.timetable.setShowGrid(False)
        header = self.timetable.horizontalHeader()
        header.setSectionResizeMode(GROUP, QHeaderView.ResizeMode.Stretch)
        for col, width in ((TIME, 100), (PUPILS, 55), (REGISTER, 130)):
            header.resizeSection(col, width)
        self.timetable.selectionModel().selectionChanged.connect(self._lesson_selected)
        self.timetable.activated.connect(lambda _i: self.register_view.table.setFocus())
        self.empty_day = QLabel()
        self.empty_day.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_day.setWordWrap(True)
        self.left = QStackedWidget()
        self.left.addWidget(self.timetable)
        self.left.addWidget(self.empty_day)

        self.register_view = RegisterView(db, events)
        self.register_view.status_message.connect(
            lambda text: self.statusBar().showMessage(text, 8000)
        )
        self.placeholder = QLabel("Choose a lesson on the left to take its register.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.placeholder)
        self.right.addWidget(self.register_view)

        splitter = QSplitter()
        splitter.addWidget(self.left)
        splitter.addWidget(self.right)
        splitter.setSizes([470, 810])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)
        self.setCentralWidget(central)

        self.pending_label = QLabel()
        self.statusBar().addPermanentWidget(self.pending_label)
        self.sync = SyncController(db, events, client_factory, self)
        self.sync.status_changed.connect(self._sync_status)
        self.sync.finished.connect(self._sync_finished)
        self.sync_action.triggered.connect(self.sync_now)
        self.sign_in_action.triggered.connect(self.sign_in)
        self.attention_action.triggered.connect(self.show_attention)
        events.data_changed.connect(self._data_changed)
        self.show_day(self._day)
        self.sync.refresh_status()

    @property
    def day(self) -> date:
        return self._day

    def show_day(self, day: date) -> None:
        self._day = day
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)
        self._load_timetable()
        self.register_view.save_note()
        self.right.setCurrentWidget(self.placeholder)
        rows = [
            r
            for r in range(self.timetable_model.rowCount())
            if self.timetable_model.entry(r) is not None
        ]
        if rows:
            self.timetable.selectRow(rows[0])
            self.timetable.setFocus()

    def _date_picked(self, qdate: QDate) -> None:
        self.show_day(date(qdate.year(), qdate.month(), qdate.day()))

    def _load_timetable(self, keep_group: str | None = None) -> None:
        try:
            entries = lessons_on(self._db, self._day)
        except HmsError as err:
            self.statusBar().showMessage(str(err))
            entries = []
        self.timetable.selectionModel().blockSignals(True)
        self.timetable_model.set_entries(entries)
        self.timetable.clearSpans()
        for row in self.timetable_model.header_rows():
            self.timetable.setSpan(row, 0, 1, self.timetable_model.columnCount())
        if keep_group is not None:
            row = self.timetable_model.row_of(keep_group)
            if row is not None:
                self.timetable.selectRow(row)
        self.timetable.selectionModel().blockSignals(False)
        if entries:
            self.left.setCurrentWidget(self.timetable)
        else:
            self.empty_day.setText(
                f"No lessons on {self._day:%A %-d %B}.\n\nUse ◀ ▶ to move "
                "between days, or find a group to cover."
            )
            self.left.setCurrentWidget(self.empty_day)

    def _lesson_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        entry = self.timetable_model.entry(indexes[0].row()) if indexes else None
        if entry is not None:
            self.open_register(entry.group_id, entry.day)

    def open_register(self, group_id: str, day: date) -> None:
        try:
            self.register_view.open_lesson(group_id, day)
        except HmsError as err:
            self.statusBar().showMessage(str(err))
            return
        self.right.setCurrentWidget(self.register_view)

    def find_group(self) -> None:
        dialog = FindGroupDialog(self._db, self.search.text(), self)
        if dialog.exec() and (group := dialog.chosen()) is not None:
            self.open_register(group.group_id, self._day)
            self.register_view.table.setFocus()

    def _data_changed(self, kind: str, _ids: list) -> None:
        current = self.register_view.register
        self._load_timetable(keep_group=current.group_id if current else None)
        if kind == "sync" and current is not None:
            # Pulled changes may touch the open register; never while the tutor is typing.
            self.register_view.reload_if_idle()

    def _sync_status(self, text: str) -> None:
        self.pending_label.setText(text)
        self.attention_action.setEnabled("attention" in text)

    def _sync_finished(self, outcome: object) -> None:
        if isinstance(outcome, str):
            self.statusBar().showMessage(
                f"Sync stopped: {outcome} Your work is kept on this laptop.", 10000
            )

    def sync_now(self) -> None:
        if self.sync.sync_now() is None and not self.sync.running:
            self.sign_in()

    def sign_in(self) -> None:
        dialog = SignInDialog(self._db, self, self._client_factory)
        if dialog.exec():
            self.statusBar().showMessage(f"Signed in as {dialog.tutor_name}.", 8000)
            self.sync.sync_now()

    def show_attention(self) -> None:
        AttentionDialog(self._db, self._events, self).exec()
        self.sync.refresh_status()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.register_view.save_note()
        super().closeEvent(event)
