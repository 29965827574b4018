"""Group assessment: a teaching group's pupils in rows; type each one's level (and result, mark
for an exam or medal), Enter moves on; a row is saved the moment it is complete and each save is
one undo step (Ctrl+Z)."""

import shiboken6
from PySide6.QtCore import QDate, QModelIndex
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
)

from hms_desktop.domain.errors import HmsError
from hms_desktop.domain.types import AssessmentKind
from hms_desktop.services.progress import (
    Recorded,
    assessments_by_id,
    group_pupils,
    record_assessment,
    withdraw,
)
from hms_desktop.services.progress.views import FrameworkInfo

from ..common.context import PageContext
from ..common.events import ChangeKind
from .dialogs import KINDS
from .group_model import (
    COMMENT,
    LEVEL,
    MARK,
    NOW,
    PUPIL,
    RESULT,
    SAVED,
    Entry,
    GroupAssessmentModel,
)
from .undo import WithdrawCommand


class GroupTable(QTableView):
    """Enter after a cell moves to the next thing to type: result and mark when the kind has
    them, else the next pupil's level. Tab moves cell by cell."""

    def closeEditor(self, editor, hint) -> None:
        index = self.currentIndex()
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache and index.isValid():
            self.setCurrentIndex(self._next(index))

    def _next(self, index: QModelIndex) -> QModelIndex:
        model: GroupAssessmentModel = self.model()  # type: ignore[assignment]
        order = [c for c in (LEVEL, RESULT, MARK) if model.usable(c)]
        col = index.column()
        if col in order and order.index(col) + 1 < len(order):
            return model.index(index.row(), order[order.index(col) + 1])
        row = min(index.row() + 1, model.rowCount() - 1)
        return model.index(row, LEVEL)


class GroupAssessmentDialog(QDialog):
    def __init__(
        self,
        context: PageContext,
        group_id: str,
        group_name: str,
        frameworks: tuple[FrameworkInfo, ...],
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._ctx = context
        self._frameworks = frameworks
        self._made: dict[str, list[str]] = {}  # pupil → assessments recorded here, in order
        self.setWindowTitle(f"Group assessment — {group_name}")
        self.framework = QComboBox()
        for fw in frameworks:
            self.framework.addItem(fw.name, fw.framework_id)
        self.framework.setCurrentIndex(max(0, self.framework.findText("HMS Stages")))
        self.kind = QComboBox()
        for kind, label in KINDS:
            self.kind.addItem(label, kind.value)
        today = context.today()
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("d MMM yyyy")
        bar = QHBoxLayout()
        for text, widget in (
            ("&Framework", self.framework),
            ("&Kind", self.kind),
            ("&Date", self.day),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addStretch(1)

        self.model = GroupAssessmentModel(self)
        self.model.set_pupils(group_pupils(context.db, group_id, today))
        self.table = GroupTable()
        self.table.setObjectName("groupAssessment")
        self.table.setModel(self.model)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PUPIL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COMMENT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((NOW, 110), (LEVEL, 100), (RESULT, 90), (MARK, 60), (SAVED, 90)):
            header.resizeSection(col, width)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #a00000")
        self.problem.setWordWrap(True)
        self.count = QLabel()
        buttons = QDialogButtonBox()
        buttons.addButton("&Close", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(900, 620)

        QShortcut(QKeySequence.StandardKey.Undo, self, activated=context.undo.undo)
        QShortcut(QKeySequence.StandardKey.Redo, self, activated=context.undo.redo)
        self.framework.currentIndexChanged.connect(self._settings_changed)
        self.kind.currentIndexChanged.connect(self._settings_changed)
        self.model.problem.connect(self._show_problem)
        self.model.edited.connect(self._save_row)
        self._settings_changed()
        self.table.setCurrentIndex(self.model.index(0, LEVEL))
        self.table.setFocus()

    # --- settings -------------------------------------------------------------------------

    def chosen_framework(self) -> FrameworkInfo | None:
        i = self.framework.currentIndex()
        return self._frameworks[i] if 0 <= i < len(self._frameworks) else None

    def _settings_changed(self) -> None:
        self.model.framework = self.chosen_framework()
        self.model.kind = AssessmentKind(self.kind.currentData())
        self.model.layoutChanged.emit()  # which cells can be typed in changed
        fw = self.model.framework
        levels = ", ".join(n for _i, n in fw.levels) if fw else ""
        extra = " Then the result (P, M or D)" if self.model.needs_result() else ""
        extra += " and the mark" if self.model.kind is AssessmentKind.EXAM else ""
        extra += "." if extra else ""
        self.hint.setText(
            f"Type each pupil's level — its number or name ({levels}) — and press Enter.{extra} "
            "Tab reaches the comment. A row is saved as soon as it is complete; Ctrl+Z undoes."
        )
        self._update_count()

    def _update_count(self) -> None:
        saved = sum(1 for i in range(self.model.rowCount()) if self.model.entry(i).saved_id)
        self.count.setText(f"{saved} of {self.model.rowCount()} pupils saved")

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self._ctx.say(text)

    # --- saving ---------------------------------------------------------------------------

    def _save_row(self, row: int) -> None:
        entry = self.model.entry(row)
        if entry is None:
            return
        self.problem.clear()
        if not self.model.complete(entry):
            if entry.saved_id and entry.level_id is None:  # the level was cleared: withdraw
                self._withdraw(row, entry)
            return
        fw = self.chosen_framework()
        try:
            new_id = record_assessment(
                self._ctx.db,
                entry.pupil.pupil_id,
                fw.framework_id if fw else "",
                entry.level_id or "",
                self.model.kind.value,
                self.day.date().toPython(),
                result=entry.result,
                mark=entry.mark,
                comment=entry.comment,
                instrument_id=entry.pupil.instrument_id,
                replaces=entry.saved_id,
            )
        except HmsError as err:
            self.model.replace_entry(row, Entry(**{**entry.__dict__, "note": "not saved"}))
            self._show_problem(str(err))
            return
        old = entry.saved_id
        self._made.setdefault(entry.pupil.pupil_id, []).append(new_id)
        self.model.replace_entry(row, Entry(**{**entry.__dict__, "saved_id": new_id, "note": ""}))
        verb = "Correct" if old else "Record"
        self._push(f"{verb} {entry.pupil.name}'s assessment", [new_id], [old] if old else [])
        self._changed(entry.pupil.pupil_id)

    def _withdraw(self, row: int, entry: Entry) -> None:
        try:
            withdraw(self._ctx.db, Recorded.ASSESSMENT, [entry.saved_id or ""], [])
        except HmsError as err:
            self._show_problem(str(err))
            return
        self.model.replace_entry(
            row, Entry(**{**entry.__dict__, "saved_id": None, "note": "removed"})
        )
        self._push(f"Remove {entry.pupil.name}'s assessment", [], [entry.saved_id or ""])
        self._changed(entry.pupil.pupil_id)

    def _push(self, text: str, made: list[str], replaced: list[str]) -> None:
        command = WithdrawCommand(
            text, self._ctx.db, Recorded.ASSESSMENT, made, replaced, self._after_undo
        )
        self._ctx.undo.push(command)

    def _changed(self, pupil_id: str) -> None:
        self._update_count()
        self._ctx.events.changed(ChangeKind.PROGRESS, [pupil_id])

    def _after_undo(self, error: str | None) -> None:
        """An undo or redo changed which assessments count: show each row as the store has it."""
        if not shiboken6.isValid(self):
            return
        if error:
            self._show_problem(error)
        ids = [i for made in self._made.values() for i in made]
        active = assessments_by_id(self._ctx.db, ids)
        for pupil_id, made in self._made.items():
            row = self.model.row_of(pupil_id)
            entry = self.model.entry(row) if row is not None else None
            if entry is None:
                continue
            current = next((active[i] for i in reversed(made) if i in active), None)
            if current is None:
                fresh = Entry(entry.pupil, note="undone")
            else:
                fresh = Entry(
                    entry.pupil,
                    level_id=current.level_id,
                    level=current.level,
                    result=current.result,
                    mark=current.mark,
                    comment=current.comment,
                    saved_id=current.assessment_id,
                )
            self.model.replace_entry(row, fresh)
        self._update_count()
        self._ctx.events.changed(ChangeKind.PROGRESS, list(self._made))
