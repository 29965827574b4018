"""The day's lessons as a table: a header row per school, then its lessons in time order."""

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from hms_desktop.services.views import TimetableEntry

from ..common.table_model import Index, RowsTableModel

TIME, GROUP, PUPILS, REGISTER = range(4)
HEADERS = ("Time", "Lesson", "Pupils", "Register")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class SchoolHeader:
    school_name: str


class TimetableModel(RowsTableModel[SchoolHeader | TimetableEntry]):
    HEADERS = HEADERS

    def set_entries(self, entries: list[TimetableEntry]) -> None:
        rows: list[SchoolHeader | TimetableEntry] = []
        for entry in entries:
            if not rows or rows[-1].school_name != entry.school_name:
                rows.append(SchoolHeader(entry.school_name))
            rows.append(entry)
        self.set_rows(rows)

    def entry(self, row: int) -> TimetableEntry | None:
        item = self.row_at(row)
        return item if isinstance(item, TimetableEntry) else None

    def header_rows(self) -> list[int]:
        return [i for i, r in enumerate(self._rows) if isinstance(r, SchoolHeader)]

    def row_of(self, group_id: str) -> int | None:
        for i, r in enumerate(self._rows):
            if isinstance(r, TimetableEntry) and r.group_id == group_id:
                return i
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], SchoolHeader):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        item, col = self._rows[index.row()], index.column()
        if isinstance(item, SchoolHeader):
            if role == Qt.ItemDataRole.DisplayRole and col == 0:
                return item.school_name
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor("#e8eef6"))
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, col)
        if role == ENTRY_ROLE:
            return item.group_id
        if role == Qt.ItemDataRole.ToolTipRole:
            cover = f" (cover for {item.tutor_name})" if item.is_cover else ""
            return f"{item.group_name}{cover}\n{item.kind_label} · {item.instrument}"
        if role == Qt.ItemDataRole.ForegroundRole and col == REGISTER:
            if item.register_complete:
                return QBrush(QColor("#1b6e20"))
            if item.marked:
                return QBrush(QColor("#8a5a00"))
        return None

    @staticmethod
    def _display(item: TimetableEntry, col: int) -> str:
        if col == TIME:
            return f"{item.start_time:%H:%M}–{item.end_time:%H:%M}"
        if col == GROUP:
            cover = "  [cover]" if item.is_cover else ""
            return f"{item.group_name}{cover}"
        if col == PUPILS:
            return str(item.pupils)
        if item.status not in ("scheduled", "delivered"):
            return item.status_label
        if item.register_complete:
            return "✓ Complete"
        if item.marked:
            return f"{item.marked} of {item.pupils} marked"
        return "Not taken"
