"""One lesson's register as a table over RegisterRow dataclasses."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from hms_desktop.services.views import CodeInfo, RegisterRow

from ..common.table_model import Index, RowsTableModel

PUPIL, YEAR, CODE, COMMENT, CARE = range(5)
HEADERS = ("Pupil", "Year", "Code", "Comment", "Needs care")
PUPIL_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_PRESENT = QColor("#d7f0d8")
_ABSENT = QColor("#fde9c8")
_CANCELLED = QColor("#e3e3e3")


class RegisterModel(RowsTableModel[RegisterRow]):
    HEADERS = HEADERS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._codes: dict[str, CodeInfo] = {}

    def set_register(self, rows: tuple[RegisterRow, ...], codes: tuple[CodeInfo, ...]) -> None:
        self._codes = {c.code: c for c in codes}
        self.set_rows(list(rows))

    def replace_row(self, new: RegisterRow) -> None:
        for i, row in enumerate(self._rows):
            if row.pupil_id == new.pupil_id:
                self._rows[i] = new
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(HEADERS) - 1))
                return

    def marked_count(self) -> int:
        return sum(1 for r in self._rows if r.code)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Vertical
            and 0 <= section < len(self._rows)
        ):
            return str(section + 1)  # the register's line numbers
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row, col = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return self._value(row, col, role == SORT_ROLE)
        if role == PUPIL_ID_ROLE:
            return row.pupil_id
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == CODE and row.code in self._codes:
                return self._codes[row.code].meaning
            if col == PUPIL and row.joined_on:
                return f"{row.name}\nIn this group since {row.joined_on:%-d %B %Y}"
            if col == COMMENT and row.comment:
                return row.comment
            if col == CARE and row.care_detail:
                return row.care_detail
        if role == Qt.ItemDataRole.BackgroundRole and col == CODE and row.code:
            return QBrush(self._colour(row.code))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (YEAR, CODE):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _colour(self, code: str) -> QColor:
        info = self._codes.get(code)
        if code in ("P", "L", "MU"):
            return _PRESENT
        if info is not None and not info.billable and not info.tutor_paid:
            return _CANCELLED
        return _ABSENT

    @staticmethod
    def _value(row: RegisterRow, col: int, for_sort: bool):
        if col == PUPIL:
            return row.name
        if col == YEAR:
            if for_sort:
                return row.year_group or 0
            return "" if row.year_group is None else str(row.year_group)
        if col == CODE:
            return row.code or ("" if for_sort else "–")
        if col == COMMENT:
            return row.comment
        return row.needs_care
