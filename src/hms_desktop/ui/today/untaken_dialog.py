"""Registers not yet taken on earlier days of this term (lessons and ensemble rehearsals):
choose one to take it now."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.services.views import UntakenRegister

from ..common.table_model import Index, RowsTableModel


class UntakenModel(RowsTableModel[UntakenRegister]):
    HEADERS = ("Day", "Time", "Lesson or rehearsal", "School or venue", "Register")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        u = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            register = f"{u.marked} of {u.pupils} marked" if u.marked else "Not taken"
            return (
                f"{u.day:%a %-d %b}",
                f"{u.start_time:%H:%M}",
                u.group_name,
                u.school_name,
                register,
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{u.group_name}\n{u.school_name}"
        return None


def _counted(untaken: list[UntakenRegister]) -> str:
    """'3 lessons and 1 rehearsal': what the list holds, in the tutor's words."""
    rehearsals = sum(1 for u in untaken if u.is_rehearsal)
    lessons = len(untaken) - rehearsals
    parts = [
        f"{n} {word}{'s' if n != 1 else ''}"
        for n, word in ((lessons, "lesson"), (rehearsals, "rehearsal"))
        if n
    ]
    return " and ".join(parts)


class UntakenDialog(QDialog):
    def __init__(self, untaken: list[UntakenRegister], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Registers not yet taken")
        self.resize(720, 420)
        self.model = UntakenModel(self)
        self.model.set_rows(untaken)
        n = len(untaken)
        intro = QLabel(
            (
                f"{_counted(untaken)} on earlier days of this term "
                f"{'have' if n != 1 else 'has'} no complete register. Until a register is "
                "taken the lesson is not paid and the family is not billed. Choose one and "
                "press Enter to take it now."
            )
            if n
            else "Every register of this term so far has been taken."
        )
        intro.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self.accept())
        if n:
            self.table.selectRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Close
        )
        buttons.button(QDialogButtonBox.StandardButton.Open).setText("&Take register")
        buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(bool(n))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.setFocus()

    def chosen(self) -> UntakenRegister | None:
        return self.model.row_at(self.table.currentIndex().row())
