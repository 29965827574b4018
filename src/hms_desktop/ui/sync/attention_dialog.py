"""'Needs attention': conflicts and refused changes, explained in a tutor's words, settled
one by one."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.data.engine import Database
from hms_desktop.domain.errors import HmsError
from hms_desktop.services.sync import AttentionItem, needs_attention, resolve

from ..common.events import ChangeKind, DataEvents
from ..common.table_model import Index, RowsTableModel


class AttentionModel(RowsTableModel[AttentionItem]):
    HEADERS = ("What", "Yours", "Kept by the music service", "Why")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        item = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (item.title, item.yours, item.theirs or "—", item.explanation)[index.column()]
        return None


class AttentionDialog(QDialog):
    def __init__(self, db: Database, events: DataEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Needs attention")
        self.resize(980, 420)
        self._db = db
        self._events = events
        self.model = AttentionModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().resizeSection(0, 300)
        self.table.horizontalHeader().resizeSection(1, 120)
        self.table.horizontalHeader().resizeSection(2, 200)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.keep_theirs = QPushButton("Use the music service's")
        self.keep_mine = QPushButton("Send mine again")
        self.dismiss = QPushButton("Dismiss")
        self.keep_theirs.clicked.connect(lambda: self.settle("theirs"))
        self.keep_mine.clicked.connect(lambda: self.settle("mine"))
        self.dismiss.clicked.connect(lambda: self.settle("dismiss"))
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.keep_theirs, self.keep_mine, self.dismiss):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._buttons())
        self.reload()

    def reload(self) -> None:
        items = needs_attention(self._db)
        self.model.set_rows(items)
        self.intro.setText(
            "Nothing needs your attention."
            if not items
            else f"{len(items)} change{'s' if len(items) != 1 else ''} could not be sent as they "
            "were. Choose what is right for each one; nothing is lost until you do."
        )
        if items:
            self.table.selectRow(0)
        self.table.resizeRowsToContents()
        self._buttons()

    def _buttons(self) -> None:
        item = self.model.row_at(self.table.currentIndex().row())
        conflict = item is not None and item.kind == "conflict"
        self.keep_theirs.setEnabled(conflict)
        self.keep_mine.setEnabled(conflict)
        self.dismiss.setEnabled(item is not None and not conflict)

    def settle(self, keep: str) -> None:
        item = self.model.row_at(self.table.currentIndex().row())
        if item is None:
            return
        try:
            resolve(self._db, item.op_id, keep)
        except HmsError as err:
            self.intro.setText(str(err))
            return
        self._events.changed(ChangeKind.ATTENTION, [item.op_id])
        self.reload()
