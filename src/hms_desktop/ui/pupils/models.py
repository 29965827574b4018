"""The Pupils page's grids: the pupil list (sorted by its own sort(), never a proxy), a pupil's
assessments and targets."""

from PySide6.QtCore import Qt

from hms_desktop.domain.names import sort_key
from hms_desktop.services.progress.views import AssessmentLine, PupilListRow, TargetLine

from ..common.table_model import Index, RowsTableModel

NAME, PREFERRED, SCHOOL, YEAR, GROUP, INSTRUMENT, LEVEL, ATTENDANCE = range(8)
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)}%"


class PupilListModel(RowsTableModel[PupilListRow]):
    HEADERS = (
        "Name",
        "Preferred",
        "School",
        "Year",
        "Group",
        "Instrument",
        "Level now",
        "Attendance (term)",
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.name,
                row.preferred_name,
                row.school,
                "" if row.year_group is None else str(row.year_group),
                row.group,
                row.instrument,
                row.level or "not yet assessed",
                percent(row.attendance_rate),
            )[col]
        if role == ID_ROLE:
            return row.pupil_id
        if role == Qt.ItemDataRole.ForegroundRole and col == LEVEL and not row.level:
            return Qt.GlobalColor.darkGray
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        keys = {
            NAME: lambda r: sort_key(r.name),
            PREFERRED: lambda r: sort_key(r.preferred_name),
            SCHOOL: lambda r: sort_key(r.school),
            YEAR: lambda r: r.year_group if r.year_group is not None else -99,
            GROUP: lambda r: sort_key(r.group),
            INSTRUMENT: lambda r: sort_key(r.instrument),
            LEVEL: lambda r: sort_key(r.level),
            ATTENDANCE: lambda r: -1.0 if r.attendance_rate is None else r.attendance_rate,
        }
        key = keys.get(column)
        if key is None:
            return
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


def _result(line: AssessmentLine) -> str:
    parts = [line.result.capitalize() if line.result else "", str(line.mark or "")]
    return ", ".join(p for p in parts if p)


class AssessmentsModel(RowsTableModel[AssessmentLine]):
    HEADERS = ("Date", "Kind", "Framework", "Level", "Result", "Instrument", "Comment")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        a = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{a.assessed_on:%-d %b %Y}",
                a.kind_label,
                a.framework,
                a.level,
                _result(a),
                a.instrument,
                a.comment,
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and a.comment:
            return a.comment
        return None


class TargetsModel(RowsTableModel[TargetLine]):
    HEADERS = ("Target", "Set", "Achieved")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        t = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            achieved = f"{t.achieved_on:%-d %b %Y}" if t.achieved_on else "not yet"
            return (t.text, f"{t.set_on:%-d %b %Y}", achieved)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return t.text
        return None
