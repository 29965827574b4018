"""The Ensembles page's grids: the tutor's ensembles, and one ensemble's roster (which takes a
member dragged onto another member's row as "move there")."""

from PySide6.QtCore import QByteArray, QMimeData, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from hms_desktop.services.ensembles import EnsembleSummary, RosterRow

from ..common.table_model import Index, RowsTableModel

NAME, KIND, SLOT, MEMBERS = range(4)
SECTION, SEAT, PUPIL, SCHOOL, INSTRUMENT, ROLE, JOINED, ATTENDANCE = range(8)
MEMBER_MIME = "application/x-hms-ensemble-member"
MISSED_ALERT = 3  # rehearsals missed one after another before a member is highlighted
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class EnsemblesModel(RowsTableModel[EnsembleSummary]):
    HEADERS = ("Ensemble", "Kind", "Rehearses", "Members")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        e = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            kind = f"{e.kind_label}\nhelping" if e.helping else e.kind_label
            return (e.name, kind, e.short_slot, str(e.members))[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            season = (
                f"\nSeason {e.season_start:%-d %b %Y} – {e.season_end:%-d %b %Y}"
                if e.season_start and e.season_end
                else ""
            )
            return (
                f"{e.name} · {e.level} · {e.members} members\n{e.role}\n{e.venue}, {e.slot}{season}"
            )
        if role == SORT_ROLE:
            return (e.name, e.kind_label, (e.weekday or 0, str(e.start_time)), e.members)[col]
        return None


class RosterModel(RowsTableModel[RosterRow]):
    HEADERS = ("Section", "Seat", "Pupil", "School", "Instrument", "Role", "Joined", "Attended")
    # (member id, row it was dropped on): the page asks the service, then reloads.
    dropped = Signal(str, int)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{r.name}, {r.school}"
            if r.desk and col == SEAT:
                tip += f"\nDesk {r.desk}"
            if r.missed_in_a_row >= MISSED_ALERT:
                tip += f"\nMissed the last {r.missed_in_a_row} rehearsals"
            return tip
        if role == Qt.ItemDataRole.BackgroundRole and r.missed_in_a_row >= MISSED_ALERT:
            return QBrush(QColor("#fde2c8"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (SEAT, ATTENDANCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(r: RosterRow, col: int) -> str:
        if col == SECTION:
            return r.section
        if col == SEAT:
            return str(r.seat) if r.seat else ""
        if col == PUPIL:
            warn = "  ⚠" if r.missed_in_a_row >= MISSED_ALERT else ""
            return f"{r.name}{warn}"
        if col == SCHOOL:
            return r.school
        if col == INSTRUMENT:
            return r.instrument
        if col == ROLE:
            return r.role.capitalize()
        if col == JOINED:
            return f"{r.joined_on:%-d %b %Y}"
        if r.left_on:
            return f"left {r.left_on:%-d %b %Y}"
        return f"{r.attendance} of {r.taken}" if r.taken else "–"

    def row_of(self, member_id: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.member_id == member_id), None)

    # --- drag and drop: a member onto another's row ------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not self.valid(index):
            return base | Qt.ItemFlag.ItemIsDropEnabled
        row = self._rows[index.row()]
        if row.left_on:
            return base  # a former member stays where history left them
        return base | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MEMBER_MIME]

    def mimeData(self, indexes) -> QMimeData:
        data = QMimeData()
        rows = {i.row() for i in indexes if self.valid(i)}
        if rows:
            data.setData(MEMBER_MIME, QByteArray(self._rows[min(rows)].member_id.encode()))
        return data

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return data.hasFormat(MEMBER_MIME) and (self.valid(parent) or 0 <= row < len(self._rows))

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = parent.row() if self.valid(parent) else row
        member = bytes(data.data(MEMBER_MIME).data()).decode()
        self.dropped.emit(member, target)
        return False  # the roster is redrawn from the service; the view removes nothing
