"""Small dialogs of the roster: move a member (the keyboard way to what dragging does), add a
member, mark one as left. They collect plain values; the roster panel calls the services."""

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
)

from hms_desktop.services.ensembles import RosterRow, SeatRule
from hms_desktop.services.ensembles.views import PupilChoice, SectionInfo

from ..common.table_model import Index, RowsTableModel


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _sections(sections: tuple[SectionInfo, ...], chosen: str | None) -> QComboBox:
    combo = QComboBox()
    for s in sections:
        combo.addItem(s.name, s.section_id)
    at = combo.findData(chosen)
    combo.setCurrentIndex(max(at, 0))
    return combo


class MoveDialog(QDialog):
    """Where to: section, seat, and what happens to whoever sits there."""

    def __init__(
        self, row: RosterRow, sections: tuple[SectionInfo, ...], rule: SeatRule, parent=None
    ):
        super().__init__(parent)
        self.setWindowTitle(f"Move {row.name}")
        self.section = _sections(sections, row.section_id)
        self.seat = QSpinBox()
        self.seat.setRange(0, 999)  # 0 reaches the service, which says why it will not do
        self.seat.setValue(row.seat or 1)
        self.swap = QRadioButton("&Swap places with them")
        self.shift = QRadioButton("S&hift them and those behind one seat back")
        (self.swap if rule is SeatRule.SWAP else self.shift).setChecked(True)
        form = QFormLayout()
        form.addRow("S&ection:", self.section)
        form.addRow("Se&at:", self.seat)
        form.addRow(QLabel("If someone sits there:"))
        form.addRow(self.swap)
        form.addRow(self.shift)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self))
        self.section.setFocus()

    def chosen(self) -> tuple[str, int, SeatRule]:
        rule = SeatRule.SWAP if self.swap.isChecked() else SeatRule.SHIFT
        return self.section.currentData(), self.seat.value(), rule


class PupilChoiceModel(RowsTableModel[PupilChoice]):
    HEADERS = ("Pupil", "School", "Year")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index) or role != Qt.ItemDataRole.DisplayRole:
            return None
        p = self._rows[index.row()]
        year = "" if p.year_group is None else str(p.year_group)
        return (p.name, p.school, year)[index.column()]


class AddMemberDialog(QDialog):
    """Find a pupil by name, choose their section and seat (0: at the end)."""

    def __init__(
        self, find, sections: tuple[SectionInfo, ...], section_id: str | None, parent=None
    ):
        super().__init__(parent)
        self.setWindowTitle("Add a member")
        self._find = find
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type part of a pupil's name")
        self.model = PupilChoiceModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.section = _sections(sections, section_id)
        self.seat = QSpinBox()
        self.seat.setRange(0, 999)
        self.seat.setSpecialValueText("at the end")
        self.search.textChanged.connect(self._refresh)
        self.search.returnPressed.connect(self.table.setFocus)
        form = QFormLayout()
        form.addRow("&Find:", self.search)
        form.addRow(self.table)
        form.addRow("S&ection:", self.section)
        form.addRow("Se&at:", self.seat)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self))
        self.resize(520, 420)
        self._refresh("")

    def _refresh(self, text: str) -> None:
        self.model.set_rows(self._find(text))
        if self.model.rowCount():
            self.table.selectRow(0)

    def chosen(self) -> tuple[str, str, int | None] | None:
        row = self.model.row_at(self.table.currentIndex().row())
        if row is None:
            return None
        return row.pupil_id, self.section.currentData(), self.seat.value() or None


class LeftDialog(QDialog):
    def __init__(self, row: RosterRow, today: date, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"{row.name} has left")
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        form = QFormLayout()
        form.addRow(QLabel(f"{row.name} stays in the roster's history; their seat is freed."))
        form.addRow("&Left on:", self.day)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self))

    def chosen(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())
