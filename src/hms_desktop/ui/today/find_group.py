"""Find any group by school, tutor, instrument or name, to take its register as cover."""

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.data.engine import Database
from hms_desktop.services.timetable import find_groups
from hms_desktop.services.views import GroupSummary

from ..common.table_model import Index, RowsTableModel

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class GroupSearchModel(RowsTableModel[GroupSummary]):
    HEADERS = ("Group", "School", "Tutor", "Day", "Time")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index) or role != Qt.ItemDataRole.DisplayRole:
            return None
        g = self._rows[index.row()]
        return (
            g.group_name,
            g.school_name,
            g.tutor_name,
            DAYS[g.weekday],
            f"{g.start_time:%H:%M}",
        )[index.column()]


class FindGroupDialog(QDialog):
    def __init__(self, db: Database, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find a group to cover")
        self.resize(760, 420)
        self._db = db
        self.query = QLineEdit(text)
        self.query.setPlaceholderText("School, tutor, instrument or group name")
        self.model = GroupSearchModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        self.count = QLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.query.textChanged.connect(self.search)
        self.query.returnPressed.connect(self._open_chosen)
        self.query.installEventFilter(self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.search(text)

    def eventFilter(self, watched, event) -> bool:
        """Up and Down in the search box move through the results."""
        arrow = (
            watched is self.query
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        )
        if arrow and self.model.rowCount():
            row = self.table.currentIndex().row()
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            self.table.selectRow(max(0, min(self.model.rowCount() - 1, row + step)))
            return True
        return super().eventFilter(watched, event)

    def _open_chosen(self) -> None:
        if self.chosen() is None:
            self.count.setText("No group matches: change the search, or press Esc to close.")
            return
        self.accept()

    def search(self, text: str) -> None:
        groups = find_groups(self._db, text)
        self.model.set_rows(groups)
        self.count.setText(
            "No groups match."
            if not groups
            else f"{len(groups)} group{'s' if len(groups) != 1 else ''}"
            + (" (first 50 shown)" if len(groups) >= 50 else "")
        )
        if groups:
            self.table.selectRow(0)

    def chosen(self) -> GroupSummary | None:
        return self.model.row_at(self.table.currentIndex().row())
