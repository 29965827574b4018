"""An ensemble's performances: record a concert or event (title, date, venue), everyone on the
roster taken as performing; then Space on a member says whether they did, F2 changes the
details. Every change can be undone (Ctrl+Z) and redone (Ctrl+Shift+Z)."""

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.domain.errors import HmsError
from hms_desktop.services import ensembles
from hms_desktop.services.ensembles import PerformanceSummary, Performer

from ..common.context import PageContext
from ..common.events import ChangeKind
from ..common.table_model import Index, RowsTableModel
from .undo import EditPerformanceCommand, NewPerformanceCommand, PerformedCommand


class PerformancesModel(RowsTableModel[PerformanceSummary]):
    HEADERS = ("Date", "Performance", "Venue", "Performers")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index) or role != Qt.ItemDataRole.DisplayRole:
            return None
        p = self._rows[index.row()]
        return (f"{p.performed_on:%-d %b %Y}", p.title, p.venue, str(p.performers))[index.column()]


class PerformersModel(RowsTableModel[Performer]):
    HEADERS = ("Pupil", "Section", "Performed")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index) or role != Qt.ItemDataRole.DisplayRole:
            return None
        p = self._rows[index.row()]
        return (p.name, p.section, "✓ performed" if p.performed else "did not perform")[
            index.column()
        ]


class NewPerformanceDialog(QDialog):
    def __init__(
        self,
        today: date,
        venue: str,
        parent=None,
        title: str = "",
        new: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New performance" if new else "Performance details")
        self.setMinimumWidth(440)  # the title bar and a venue's name read whole
        self.title = QLineEdit(title)
        self.title.setPlaceholderText("e.g. Winter Concert")
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.venue = QLineEdit(venue)
        form = QFormLayout(self)
        form.addRow("&Title:", self.title)
        form.addRow("&Date:", self.day)
        form.addRow("&Venue:", self.venue)
        if new:
            form.addRow(QLabel("Everyone on the roster is taken as performing; adjust afterwards."))
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def chosen(self) -> tuple[str, date, str]:
        d = self.day.date()
        return self.title.text(), date(d.year(), d.month(), d.day()), self.venue.text()


class PerformancesPanel(QWidget):
    status_message = Signal(str)
    certificates_requested = Signal(list, str, object)  # performers, title, the day

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._ensemble: tuple[str, str] | None = None  # (id, venue)
        # How the panel asks the tutor; tests answer these without a person at the keyboard.
        self.ask_new = self._new_dialog
        self.ask_edit = self._edit_dialog
        self.add = QPushButton("&New performance…")
        self.add.clicked.connect(self.new_performance)
        self.edit = QPushButton("Change deta&ils…")
        self.edit.setToolTip("Change the performance's title, date or venue (F2)")
        self.edit.clicked.connect(self.edit_current)
        self.toggle = QPushButton("&Performed or not  (Space)")
        self.toggle.clicked.connect(self.toggle_current)
        self.certificates = QPushButton("Certificates for the performers…")
        self.certificates.setToolTip("Participation certificates for everyone who performed")
        self.certificates.clicked.connect(self.performer_certificates)
        self.list_model = PerformancesModel(self)
        self.list = self._table(self.list_model, 1)
        self.list.selectionModel().currentRowChanged.connect(lambda c, _p: self._show(c.row()))
        self.model = PerformersModel(self)
        self.performers = self._table(self.model, 0)
        self.performers.installEventFilter(self)
        self.performers.doubleClicked.connect(lambda _i: self.toggle_current())
        bar = QHBoxLayout()
        bar.addWidget(self.add)
        bar.addWidget(self.edit)
        bar.addWidget(self.toggle)
        bar.addWidget(self.certificates)
        bar.addStretch(1)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(self.performers)
        split.setStretchFactor(0, 1)  # performances' titles keep room beside the performers
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        self.empty = QLabel(
            "No performances yet. New performance… (Alt+N) records a concert or event with "
            "everyone on the roster as performing; then Space on a member who did not."
        )
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        QShortcut(
            QKeySequence("F2"),
            self,
            activated=self.edit_current,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    @staticmethod
    def _table(model, stretch: int) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return table

    def show_ensemble(self, ensemble_id: str | None, venue: str = "") -> None:
        self._ensemble = (ensemble_id, venue) if ensemble_id else None
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        if self._ensemble is None:
            self.list_model.set_rows([])
            self.model.set_rows([])
            self._show_empty(True)
            return
        current = self.current_performance()
        keep = keep or (current.performance_id if current else None)
        try:
            found = ensembles.performances_of(self._ctx.db, self._ensemble[0])
        except HmsError as err:
            self.status_message.emit(str(err))
            return
        self.list_model.set_rows(found)
        self._show_empty(not found)
        at = next((i for i, p in enumerate(found) if p.performance_id == keep), 0)
        if found:
            self.list.selectRow(at)
            self._show(at)
        else:
            self.model.set_rows([])

    def _show_empty(self, empty: bool) -> None:
        """With no performance, say how to record one; what needs a performance waits."""
        self.empty.setVisible(empty)
        for button in (self.edit, self.toggle, self.certificates):
            button.setEnabled(not empty)

    def current_performance(self) -> PerformanceSummary | None:
        return self.list_model.row_at(self.list.currentIndex().row())

    def _show(self, row: int) -> None:
        performance = self.list_model.row_at(row)
        if performance is None:
            return
        at = self.performers.currentIndex().row()
        self.model.set_rows(ensembles.performers_of(self._ctx.db, performance.performance_id))
        if self.model.rowCount():
            self.performers.selectRow(min(max(at, 0), self.model.rowCount() - 1))

    def new_performance(self) -> bool:
        if self._ensemble is None:
            return False
        answer = self.ask_new()
        if answer is None:
            return False
        title, day, venue = answer
        try:
            made = ensembles.add_performance(self._ctx.db, self._ensemble[0], title, day, venue)
        except HmsError as err:
            self.status_message.emit(str(err))
            return False
        self._ctx.undo.push(
            NewPerformanceCommand(
                f"New performance “{made.title}”", self._ctx.db, made.performance_id, self._restored
            )
        )
        self.reload(made.performance_id)
        self.performers.setFocus()  # Space next says who did not perform
        self.status_message.emit(f"{made.title}: {made.performers} performers recorded.")
        self._ctx.events.changed(ChangeKind.PERFORMANCE, [made.performance_id])
        return True

    def edit_current(self) -> bool:
        performance = self.current_performance()
        if performance is None:
            return False
        answer = self.ask_edit(performance)
        if answer is None:
            return False
        title, day, venue = answer
        pid = performance.performance_id
        try:
            edit = ensembles.edit_performance(self._ctx.db, pid, title, day, venue)
        except HmsError as err:
            self.status_message.emit(str(err))
            return False
        if edit.before != edit.after:
            self._ctx.undo.push(
                EditPerformanceCommand(
                    f"Change “{edit.after.title}”", self._ctx.db, edit, self._restored
                )
            )
            self.status_message.emit(f"{edit.after.title}: details changed.")
        self.reload(pid)
        self._ctx.events.changed(ChangeKind.PERFORMANCE, [pid])
        return True

    def toggle_current(self) -> bool:
        performance = self.current_performance()
        performer = self.model.row_at(self.performers.currentIndex().row())
        if performance is None or performer is None:
            return False
        performed = not performer.performed
        try:
            before = ensembles.set_performed(
                self._ctx.db, performance.performance_id, performer.pupil_id, performed
            )
        except HmsError as err:
            self.status_message.emit(str(err))
            return False
        if before != performed:
            said = "performed" if performed else "did not perform"
            self._ctx.undo.push(
                PerformedCommand(
                    f"{performer.name} {said}",
                    self._ctx.db,
                    performance.performance_id,
                    performer.pupil_id,
                    performed,
                    self._restored,
                )
            )
        self.reload(performance.performance_id)
        self._ctx.events.changed(ChangeKind.PERFORMANCE, [performance.performance_id])
        return True

    def _restored(self, performance_id: str, said: str) -> None:
        """After an undo or redo: say what it did, and show the performance as it is now."""
        self.status_message.emit(said)
        # After the undo stack has finished: a redraw inside it could select mid-change.
        QTimer.singleShot(0, lambda: self.reload(performance_id))
        self._ctx.events.changed(ChangeKind.PERFORMANCE, [performance_id])

    def performer_certificates(self) -> None:
        performance = self.current_performance()
        if performance is None:
            return
        performed = [
            p.pupil_id
            for i in range(self.model.rowCount())
            if (p := self.model.row_at(i)) and p.performed
        ]
        self.certificates_requested.emit(performed, performance.title, performance.performed_on)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.performers and event.type() == QEvent.Type.KeyPress:
            key: QKeyEvent = event  # type: ignore[assignment]
            if key.key() == Qt.Key.Key_Space and not key.modifiers():
                self.toggle_current()
                return True
        return super().eventFilter(watched, event)

    def _new_dialog(self):
        venue = self._ensemble[1] if self._ensemble else ""
        dialog = NewPerformanceDialog(self._ctx.today(), venue, self)
        return dialog.chosen() if dialog.exec() else None

    def _edit_dialog(self, performance: PerformanceSummary):
        dialog = NewPerformanceDialog(
            performance.performed_on,
            performance.venue,
            self,
            title=performance.title,
            new=False,
        )
        return dialog.chosen() if dialog.exec() else None
