"""Putting an ensemble's sections in another order: a dialog listing them (Alt+U / Alt+D or
Ctrl+↑ / Ctrl+↓ move the chosen one, or drag it), and the undo command. From the roster,
Ctrl+Shift+↑ / Ctrl+Shift+↓ move the selected member's section without the dialog."""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from hms_desktop.data.engine import Database
from hms_desktop.services.ensembles import SectionOrder, reorder_sections
from hms_desktop.services.ensembles.views import SectionInfo

from ..common.undo import AfterTheChange

ID_ROLE = Qt.ItemDataRole.UserRole


class SectionOrderDialog(QDialog):
    """The sections first to last; the tutor moves one up or down, then OK."""

    def __init__(
        self, ensemble: str, sections: tuple[SectionInfo, ...], chosen: str | None, parent=None
    ):
        super().__init__(parent)
        self.setWindowTitle(f"Order of sections — {ensemble}")
        self.list = QListWidget()
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        for s in sections:
            item = QListWidgetItem(s.name)
            item.setData(ID_ROLE, s.section_id)
            self.list.addItem(item)
        at = next((i for i, s in enumerate(sections) if s.section_id == chosen), 0)
        self.list.setCurrentRow(at)
        self.list.installEventFilter(self)
        self.moved: str | None = None  # the section moved last: what the change is said to be
        self.up = QPushButton("Move &up")
        self.up.setToolTip("Move the chosen section one place earlier (Ctrl+↑)")
        self.down = QPushButton("Move &down")
        self.down.setToolTip("Move the chosen section one place later (Ctrl+↓)")
        self.up.clicked.connect(lambda: self.move(-1))
        self.down.clicked.connect(lambda: self.move(1))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addWidget(self.up)
        side.addWidget(self.down)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        hint = QLabel("The roster, the seating plan and the printouts follow this order.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.list.setFocus()

    def move(self, step: int) -> None:
        at = self.list.currentRow()
        to = at + step
        if at < 0 or not 0 <= to < self.list.count():
            return
        item = self.list.takeItem(at)
        self.moved = item.data(ID_ROLE)
        self.list.insertItem(to, item)
        self.list.setCurrentRow(to)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            ctrl = key_event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if ctrl and key_event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.move(-1 if key_event.key() == Qt.Key.Key_Up else 1)
                return True
        return super().eventFilter(watched, event)

    def chosen(self) -> list[str]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]


class SectionOrderCommand(AfterTheChange):
    """Undo puts the sections back in the order they were in (a new change that syncs); redo
    puts them in the new order again."""

    def __init__(
        self,
        text: str,
        db: Database,
        change: SectionOrder,
        done: Callable[[SectionOrder | None, str], None],
    ) -> None:
        super().__init__(text)
        self._db, self._ensemble = db, change.roster.ensemble.ensemble_id
        self._orders = {"undo": change.before, "redo": change.after}
        self._done = done
        self._change: SectionOrder | None = None

    def put(self, which: str) -> None:
        self._change = reorder_sections(self._db, self._ensemble, self._orders[which])

    def finished(self, which: str, error: str | None) -> None:
        self._done(None if error else self._change, error or self.said(which))
