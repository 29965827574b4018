"""The Today page: the day's lessons on the left, the chosen lesson's register on the right, the
registers not yet taken one key away. F6 / Shift+F6 move between lesson list, register and
lesson note."""

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.domain.errors import HmsError
from hms_desktop.services.ensembles import rehearsals_on
from hms_desktop.services.register import untaken_registers
from hms_desktop.services.timetable import lessons_on
from hms_desktop.services.views import UntakenRegister

from ..common.context import PageContext
from ..common.events import ChangeKind
from ..register.backend import LessonRegister
from ..register.rehearsal import RehearsalRegister
from ..register.view import RegisterView
from .find_group import FindGroupDialog
from .timetable_model import GROUP, PUPILS, REGISTER, TIME, TimetableModel
from .untaken_dialog import UntakenDialog


class TodayPage(QWidget):
    certificates_requested = Signal(object, object)  # (RegisterView, pupil id or None)

    def __init__(self, context: PageContext, day: date | None = None) -> None:
        super().__init__()
        self._ctx = context
        self._day = day or context.today()
        self._untaken: list[UntakenRegister] = []

        self.prev_day = QToolButton(text="◀", toolTip="Previous day (Alt+←)")
        self.next_day = QToolButton(text="▶", toolTip="Next day (Alt+→)")
        self.back_to_today = QPushButton("&Today")
        self.back_to_today.setToolTip("Back to today (Alt+Home)")
        self.prev_day.clicked.connect(lambda: self.show_day(self._day - timedelta(days=1)))
        self.next_day.clicked.connect(lambda: self.show_day(self._day + timedelta(days=1)))
        self.back_to_today.clicked.connect(lambda: self.show_day(self._ctx.today()))
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.dateChanged.connect(self._date_picked)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a group to cover (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_group)
        self.untaken_button = QPushButton()
        self.untaken_button.setObjectName("untaken")
        self.untaken_button.setToolTip(
            "Lessons and rehearsals on earlier days of this term whose register is not "
            "complete (Ctrl+U)"
        )
        self.untaken_button.clicked.connect(self.show_untaken)

        bar = QHBoxLayout()
        for widget in (self.prev_day, self.date_edit, self.next_day, self.back_to_today):
            bar.addWidget(widget)
        bar.addWidget(self.untaken_button)
        bar.addStretch(1)
        bar.addWidget(self.search, 1)

        self.timetable_model = TimetableModel(self)
        self.timetable = QTableView()
        self.timetable.setObjectName("timetable")
        self.timetable.setModel(self.timetable_model)
        self.timetable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timetable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.timetable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timetable.setTabKeyNavigation(False)
        self.timetable.setWordWrap(True)
        self.timetable.verticalHeader().hide()
        self.timetable.verticalHeader().setDefaultSectionSize(44)
        self.timetable.setShowGrid(False)
        header = self.timetable.horizontalHeader()
        header.setSectionResizeMode(GROUP, QHeaderView.ResizeMode.Stretch)
        for col, width in ((TIME, 84), (PUPILS, 40), (REGISTER, 92)):
            header.resizeSection(col, width)
        self.timetable.selectionModel().selectionChanged.connect(self._lesson_selected)
        # Enter (or a double click) on a lesson goes into its register; arrows only browse.
        self.timetable.activated.connect(lambda _i: self.focus_register())
        self.empty_day = QLabel()
        self.empty_day.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_day.setWordWrap(True)
        self.left = QStackedWidget()
        # Room for two lines of a lesson's name beside its time and register state.
        self.left.setMinimumWidth(340)
        self.left.addWidget(self.timetable)
        self.left.addWidget(self.empty_day)

        self.register_view = RegisterView(context)
        self.register_view.status_message.connect(context.say)
        self.register_view.certificates_requested.connect(
            lambda pupil: self.certificates_requested.emit(self.register_view, pupil)
        )
        self.placeholder = QLabel("Choose a lesson on the left to take its register.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.right = QStackedWidget()
        self.right.addWidget(self.placeholder)
        self.right.addWidget(self.register_view)

        self.splitter = QSplitter()
        self.splitter.setObjectName("todaySplitter")
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([340, 660])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        def shortcut(keys: str, slot) -> None:
            QShortcut(
                QKeySequence(keys),
                self,
                activated=slot,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )

        shortcut("F6", lambda: self.cycle_focus(1))
        shortcut("Shift+F6", lambda: self.cycle_focus(-1))
        shortcut("Ctrl+Tab", lambda: self.cycle_focus(1))
        shortcut("Ctrl+Shift+Tab", lambda: self.cycle_focus(-1))
        # After a write, recount the registers not yet taken once typing pauses, not per key.
        self._untaken_timer = QTimer(self)
        self._untaken_timer.setSingleShot(True)
        self._untaken_timer.setInterval(400)
        self._untaken_timer.timeout.connect(self._refresh_untaken)
        context.events.data_changed.connect(self._data_changed)
        self.show_day(self._day)

    # --- the day -----------------------------------------------------------------------------

    @property
    def day(self) -> date:
        return self._day

    def step_day(self, days: int) -> None:
        self.show_day(self._day + timedelta(days=days))

    def show_day(self, day: date) -> None:
        self._day = day
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)
        self.register_view.save_note()
        self._load_timetable()
        self.right.setCurrentWidget(self.placeholder)
        row = self._starting_row()
        if row is not None:
            self.timetable.selectRow(row)
        self._refresh_untaken()

    def _starting_row(self) -> int | None:
        """Today: the lesson on now, or the next one (the last if the day is over); another
        day: its first lesson."""
        rows = [
            (r, e)
            for r in range(self.timetable_model.rowCount())
            if (e := self.timetable_model.entry(r)) is not None
        ]
        if not rows:
            return None
        if self._day != self._ctx.today():
            return min(rows, key=lambda re: re[1].start_time)[0]
        now = datetime.now().time()
        current = [(r, e) for r, e in rows if e.end_time > now]
        chosen = min(current or rows, key=lambda re: re[1].start_time)
        if not current:
            chosen = max(rows, key=lambda re: re[1].start_time)
        return chosen[0]

    def _date_picked(self, qdate: QDate) -> None:
        self.show_day(date(qdate.year(), qdate.month(), qdate.day()))

    def _load_timetable(self, keep_group: str | None = None) -> None:
        try:
            # The ensembles' rehearsals at their slots, after the day's lessons.
            entries = lessons_on(self._ctx.db, self._day) + rehearsals_on(self._ctx.db, self._day)
        except HmsError as err:
            self._ctx.say(str(err))
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
                f"No lessons on {self._day:%A %-d %B}.\n\nUse ◀ ▶ (Alt+← Alt+→) to move "
                "between days, or find a group to cover (Ctrl+F)."
            )
            self.left.setCurrentWidget(self.empty_day)

    def _lesson_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        entry = self.timetable_model.entry(indexes[0].row()) if indexes else None
        if entry is not None:
            self.open_register(entry.group_id, entry.day, entry.is_rehearsal)

    def open_register(self, group_id: str, day: date, rehearsal: bool = False) -> bool:
        backend = RehearsalRegister if rehearsal else LessonRegister
        try:
            self.register_view.open(backend(self._ctx.db, group_id, day))
        except HmsError as err:
            self._ctx.say(str(err))
            return False
        self.right.setCurrentWidget(self.register_view)
        return True

    # --- focus -------------------------------------------------------------------------------

    def focus_register(self) -> None:
        self.activateWindow()  # back from a dialog: the keys go to the register again
        if self.right.currentWidget() is self.register_view:
            self.register_view.table.setFocus()
            if not self.register_view.table.currentIndex().isValid():
                self.register_view.table.selectRow(self.register_view.first_unmarked())

    def focus_start(self) -> None:
        """On start: straight into the open register, on its first unmarked pupil."""
        if self.right.currentWidget() is self.register_view:
            self.register_view.table.selectRow(self.register_view.first_unmarked())
            self.register_view.table.setFocus()
        elif self.left.currentWidget() is self.timetable:
            self.timetable.setFocus()
        else:  # a day without lessons: the date, to move to another day
            self.date_edit.setFocus()

    def cycle_focus(self, step: int) -> None:
        stops = [self.timetable, self.register_view.table, self.register_view.note]
        if self.right.currentWidget() is not self.register_view:
            stops = stops[:1]
        focused = self.focusWidget()
        at = next((i for i, w in enumerate(stops) if w is focused), -1)
        stops[(at + step) % len(stops)].setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- finding and catching up -------------------------------------------------------------

    def find_group(self) -> None:
        dialog = FindGroupDialog(self._ctx.db, self.search.text(), self)
        chosen = dialog.chosen() if dialog.exec() else None
        if chosen is None:
            return
        # Cover is taken on the group's own day: this week's, or last week's if still ahead.
        day = self._day + timedelta(days=chosen.weekday - self._day.weekday())
        if day > self._ctx.today():
            day -= timedelta(days=7)
        if day != self._day:
            self.show_day(day)
        if self.open_register(chosen.group_id, day):
            self.focus_register()

    def _refresh_untaken(self) -> None:
        try:
            self._untaken = untaken_registers(self._ctx.db, self._ctx.today())
        except HmsError:
            self._untaken = []
        n = len(self._untaken)
        self.untaken_button.setText(
            f"⚠ {n} register{'s' if n != 1 else ''} not taken" if n else "All registers taken"
        )
        self.untaken_button.setEnabled(bool(n))

    @property
    def untaken(self) -> list[UntakenRegister]:
        if self._untaken_timer.isActive():
            self._untaken_timer.stop()
            self._refresh_untaken()
        return list(self._untaken)

    def show_untaken(self) -> UntakenDialog | None:
        self._refresh_untaken()
        dialog = UntakenDialog(self._untaken, self)
        self.untaken_dialog = dialog  # tests answer it
        if dialog.exec() and (chosen := dialog.chosen()) is not None:
            self.show_day(chosen.day)
            row = self.timetable_model.row_of(chosen.group_id)
            if row is not None:
                self.timetable.selectRow(row)  # opens its register, a rehearsal's too
            else:
                self.open_register(chosen.group_id, chosen.day, chosen.is_rehearsal)
            self.focus_register()
        return dialog

    def stop_timers(self) -> None:
        """Before the store closes (idle lock): nothing on this page reads it until reopened."""
        self._untaken_timer.stop()
        self.register_view.save_note()

    def _data_changed(self, kind: str, _ids: list) -> None:
        current = self.register_view.register
        self._load_timetable(keep_group=current.group_id if current else None)
        if kind in (ChangeKind.ATTENDANCE, ChangeKind.LESSON, ChangeKind.SYNC):
            self._untaken_timer.start()
        if kind == ChangeKind.SYNC and current is not None:
            # Pulled changes may touch the open register; never while the tutor is typing.
            self.register_view.reload_if_idle()
