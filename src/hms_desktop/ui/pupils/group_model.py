"""The group assessment grid: one row per pupil of a teaching group; level, result, mark and
comment typed in; each row saved the moment it is complete (the dialog does the saving)."""

import re
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal

from hms_desktop.domain.types import AssessmentKind, AssessmentResult
from hms_desktop.services.progress.views import FrameworkInfo, GroupPupil

from ..common.table_model import Index, RowsTableModel

PUPIL, NOW, LEVEL, RESULT, MARK, COMMENT, SAVED = range(7)
EDITABLE = (LEVEL, RESULT, MARK, COMMENT)
RESULTS = {r.value[0]: r.value for r in AssessmentResult}  # p, m, d


@dataclass(frozen=True)
class Entry:
    pupil: GroupPupil
    level_id: str | None = None
    level: str = ""
    result: str | None = None
    mark: int | None = None
    comment: str = ""
    saved_id: str | None = None  # the assessment recorded from this row, if it counts
    note: str = ""  # why it is not saved, or that it was undone


def parse_level(typed: str, framework: FrameworkInfo) -> tuple[str, str] | None:
    """A level by its name, its number ("3" is Stage 3 or Grade 3; "0" Initial or Debut), or
    the start of its name ("gold")."""
    text = typed.strip().casefold()
    if not text:
        return None
    for level_id, name in framework.levels:
        if name.casefold() == text:
            return level_id, name
    if text.isdigit():
        for level_id, name in framework.levels:
            number = re.search(r"\d+$", name)
            if (number and int(number.group()) == int(text)) or (not number and text == "0"):
                return level_id, name
        return None
    starting = [(i, n) for i, n in framework.levels if n.casefold().startswith(text)]
    return starting[0] if len(starting) == 1 else None


class GroupAssessmentModel(RowsTableModel[Entry]):
    HEADERS = ("Pupil", "Level now", "Level", "Result", "Mark", "Comment", "Saved")
    # A cell the tutor typed could not be used: say why (the cell keeps its old value).
    problem = Signal(str)
    edited = Signal(int)  # row

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.framework: FrameworkInfo | None = None
        self.kind = AssessmentKind.TEACHER

    def set_pupils(self, pupils: tuple[GroupPupil, ...]) -> None:
        self.set_rows([Entry(p) for p in pupils])

    def entry(self, row: int) -> Entry | None:
        return self.row_at(row)

    def replace_entry(self, row: int, entry: Entry) -> None:
        self._rows[row] = entry
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def row_of(self, pupil_id: str) -> int | None:
        for i, e in enumerate(self._rows):
            if e.pupil.pupil_id == pupil_id:
                return i
        return None

    def needs_result(self) -> bool:
        return self.kind is not AssessmentKind.TEACHER

    def complete(self, entry: Entry) -> bool:
        return entry.level_id is not None and (entry.result is not None or not self.needs_result())

    def usable(self, column: int) -> bool:
        if column == RESULT:
            return self.needs_result()
        if column == MARK:
            return self.kind is AssessmentKind.EXAM
        return column in EDITABLE

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.valid(index):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.usable(index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        e, col = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            saved = "✓ saved" if e.saved_id else e.note
            values = (
                e.pupil.name,
                e.pupil.level,
                e.level,
                (e.result or "").capitalize(),
                "" if e.mark is None else str(e.mark),
                e.comment,
                saved,
            )
            return values[col]
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == SAVED and e.saved_id:
                return Qt.GlobalColor.darkGreen
            if not self.usable(col) and col in EDITABLE:
                return Qt.GlobalColor.gray
        if role == Qt.ItemDataRole.ToolTipRole and col == SAVED and e.note:
            return e.note
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.valid(index):
            return False
        col, entry = index.column(), self._rows[index.row()]
        text = str(value or "").strip()
        changed = self._changed(entry, col, text)
        if changed is None:
            return False
        if changed == entry:
            return True
        self.replace_entry(index.row(), changed)
        self.edited.emit(index.row())
        return True

    def _changed(self, entry: Entry, col: int, text: str) -> Entry | None:
        if col == LEVEL:
            if not text:
                return replace(entry, level_id=None, level="")
            found = parse_level(text, self.framework) if self.framework else None
            if found is None:
                fw = self.framework
                names = ", ".join(n for _i, n in fw.levels) if fw else ""
                self.problem.emit(
                    f"“{text[:20]}” is not a level of {fw.name if fw else 'this framework'}: "
                    f"type its number or name ({names})."
                )
                return None
            return replace(entry, level_id=found[0], level=found[1])
        if col == RESULT:
            if not text:
                return replace(entry, result=None)
            result = RESULTS.get(text[0].casefold())
            if result is None or not result.startswith(text.casefold()):
                self.problem.emit(
                    f"“{text[:20]}” is not a result: type P (pass), M (merit) or D (distinction)."
                )
                return None
            return replace(entry, result=result)
        if col == MARK:
            if not text:
                return replace(entry, mark=None)
            if not text.isdigit():
                self.problem.emit(f"“{text[:20]}” is not a mark: type a whole number.")
                return None
            return replace(entry, mark=int(text))
        if col == COMMENT:
            return replace(entry, comment=text)
        return None
