"""One ensemble's roster: by section in seat order, with each member's attendance; members who
missed three rehearsals in a row stand out. Drag a member onto another's row to move them there
(or Ctrl+↑ / Ctrl+↓ to change places with the seat in front or behind, F2 for any section and
seat); Insert adds a member, Delete marks one as left; Ctrl+Shift+↑ / Ctrl+Shift+↓ move the
selected member's whole section earlier or later (Section order… for the list). Every change can
be undone."""

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.domain.errors import HmsError
from hms_desktop.services import ensembles
from hms_desktop.services.ensembles import Roster, RosterChange, RosterRow, SeatRule

from ..common.context import PageContext
from ..common.events import ChangeKind
from .dialogs import AddMemberDialog, LeftDialog, MoveDialog
from .models import (
    ATTENDANCE,
    INSTRUMENT,
    JOINED,
    PUPIL,
    ROLE,
    SCHOOL,
    SEAT,
    SECTION,
    RosterModel,
)
from .sections import SectionOrderCommand, SectionOrderDialog
from .undo import RosterCommand


class RosterPanel(QWidget):
    status_message = Signal(str)

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._roster: Roster | None = None
        # How the panel asks the tutor; tests answer these without a person at the keyboard.
        self.ask_move: Callable[[RosterRow], tuple[str, int, SeatRule] | None] = self._move_dialog
        self.ask_add: Callable[[], tuple[str, str, int | None] | None] = self._add_dialog
        self.ask_left: Callable[[RosterRow], date | None] = self._left_dialog
        # (the new order, the section the tutor moved last) or None when cancelled
        self.ask_section_order: Callable[[], tuple[list[str], str | None] | None] = (
            self._section_order_dialog
        )

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)  # a long heading wraps rather than widen the page
        self.add = QPushButton("&Add member…")
        self.add.setToolTip("Add a pupil to a section (Insert)")
        self.move = QPushButton("&Move…")
        self.move.setToolTip("Move the selected member to another section or seat (F2)")
        self.left = QPushButton("Mark as &left…")
        self.left.setToolTip("The member has left: kept in the history, their seat freed (Delete)")
        self.sections = QPushButton("Sect&ion order…")
        self.sections.setToolTip(
            "Put the sections in another order (Ctrl+Shift+↑ / Ctrl+Shift+↓ move the selected "
            "member's section)"
        )
        self.rule = QComboBox()
        self.rule.addItem("Drop: swap", SeatRule.SWAP)
        self.rule.addItem("Drop: shift back", SeatRule.SHIFT)
        self.rule.setToolTip(
            "When you drop a member on a taken seat: swap places with the member there, or "
            "shift them and those behind one seat back"
        )
        self.former = QCheckBox("F&ormer members")
        self.former.setToolTip("Show members who have left, with the day they left")
        self.add.clicked.connect(self.add_member)
        self.move.clicked.connect(self.move_current)
        self.left.clicked.connect(self.mark_current_left)
        self.sections.clicked.connect(self.reorder_sections)
        self.former.toggled.connect(lambda _on: self._show_rows())

        self.model = RosterModel(self)
        self.model.dropped.connect(self._dropped, Qt.ConnectionType.QueuedConnection)
        self.table = QTableView()
        self.table.setObjectName("roster")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropOverwriteMode(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PUPIL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SCHOOL, QHeaderView.ResizeMode.Stretch)
        # The short columns as narrow as their contents, so names keep the room (at 1024 too).
        for col, width in (
            (SECTION, 92),
            (SEAT, 44),
            (INSTRUMENT, 92),
            (ROLE, 86),
            (JOINED, 88),
            (ATTENDANCE, 84),
        ):
            header.resizeSection(col, width)
        self.table.installEventFilter(self)

        bar = QHBoxLayout()
        for w in (self.add, self.move, self.left, self.sections, self.rule, self.former):
            bar.addWidget(w)
        bar.addStretch(1)
        self.tools = bar
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        for keys, slot in (("F2", self.move_current), ("Ins", self.add_member)):
            QShortcut(
                QKeySequence(keys),
                self,
                activated=slot,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )

    # --- showing -------------------------------------------------------------------------

    @property
    def roster(self) -> Roster | None:
        return self._roster

    def show_roster(self, roster: Roster | None, keep: str | None = None) -> None:
        self._roster = roster
        if roster is None:
            self.title.setText("")
            self.subtitle.setText("Choose an ensemble on the left.")
            self.model.set_rows([])
            return
        e = roster.ensemble
        self.title.setText(e.name)
        season = (
            f"  ·  season {e.season_start:%-d %b %Y} – {e.season_end:%-d %b %Y}"
            if e.season_start and e.season_end
            else ""
        )
        alerts = sum(1 for r in roster.rows if r.missed_in_a_row >= 3)
        missed = f"  ·  ⚠ {alerts} missed the last three rehearsals" if alerts else ""
        helping = f"{e.role}  ·  " if e.helping else ""
        self.subtitle.setText(
            f"{helping}{e.kind_label} · {e.level}  ·  {e.venue}, {e.slot}  ·  {e.members} members"
            f"{season}{missed}"
        )
        self._show_rows(keep)

    def _show_rows(self, keep: str | None = None) -> None:
        if self._roster is None:
            return
        current = self.current()
        keep = keep or (current.member_id if current else None)
        rows = list(self._roster.rows)
        if self.former.isChecked():
            rows += list(self._roster.former)
        self.model.set_rows(rows)
        at = self.model.row_of(keep) if keep else None
        if at is None and self.model.rowCount():
            at = 0
        if at is not None:
            self.table.selectRow(at)

    def reload(self, keep: str | None = None) -> None:
        if self._roster is None:
            return
        try:
            roster = ensembles.roster_of(self._ctx.db, self._roster.ensemble.ensemble_id)
        except HmsError as err:
            self.status_message.emit(str(err))
            return
        self.show_roster(roster, keep)

    def current(self) -> RosterRow | None:
        return self.model.row_at(self.table.currentIndex().row())

    # --- keyboard --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            key, mods = key_event.key(), key_event.modifiers()
            if mods & Qt.KeyboardModifier.ControlModifier and key in (
                Qt.Key.Key_Up,
                Qt.Key.Key_Down,
            ):
                step = -1 if key == Qt.Key.Key_Up else 1
                if mods & Qt.KeyboardModifier.ShiftModifier:
                    self.move_current_section(step)
                else:
                    self.nudge(step)
                return True
            if key == Qt.Key.Key_Delete and not mods:
                self.mark_current_left()
                return True
        return super().eventFilter(watched, event)

    # --- changes ---------------------------------------------------------------------------

    def nudge(self, step: int) -> bool:
        """Change places with the member one seat in front (-1) or behind (+1)."""
        row = self.current()
        if row is None or row.left_on or row.seat is None or row.section_id is None:
            return False
        if row.seat + step < 1:
            self.status_message.emit(f"{row.name} is already in the first seat of {row.section}.")
            return False
        return self.move_member(row, row.section_id, row.seat + step, SeatRule.SWAP)

    def move_current(self) -> bool:
        row = self.current()
        if row is None or self._roster is None or row.left_on:
            return False
        answer = self.ask_move(row)
        if answer is None:
            return False
        section_id, seat, rule = answer
        return self.move_member(row, section_id, seat, rule)

    def _dropped(self, member_id: str, target_row: int) -> None:
        target = self.model.row_at(target_row)
        if self._roster is None or target is None or target.left_on or not target.section_id:
            return
        row = self._roster.row(member_id)
        if row.member_id == target.member_id:
            return
        self.move_member(row, target.section_id, target.seat or 1, self.rule.currentData())

    def move_member(self, row: RosterRow, section_id: str, seat: int, rule: SeatRule) -> bool:
        return self._apply(
            lambda: ensembles.move_member(self._ctx.db, row.member_id, section_id, seat, rule),
            f"Move {row.name}",
            row.member_id,
        )

    def add_member(self) -> bool:
        if self._roster is None:
            return False
        answer = self.ask_add()
        if answer is None:
            return False
        pupil_id, section_id, seat = answer
        ensemble_id = self._roster.ensemble.ensemble_id
        change = self._apply(
            lambda: ensembles.add_member(self._ctx.db, ensemble_id, pupil_id, section_id, seat),
            "Add member",
            None,
        )
        if change and self._roster is not None:
            added = next((r for r in self._roster.rows if r.pupil_id == pupil_id), None)
            if added is not None:
                self.table.selectRow(self.model.row_of(added.member_id) or 0)
        return change

    def mark_current_left(self) -> bool:
        row = self.current()
        if row is None or row.left_on:
            return False
        day = self.ask_left(row)
        if day is None:
            return False
        return self._apply(
            lambda: ensembles.mark_left(self._ctx.db, row.member_id, day),
            f"{row.name} left",
            None,
        )

    def move_current_section(self, step: int) -> bool:
        """Move the selected member's section one place earlier (-1) or later (+1)."""
        row = self.current()
        if row is None or row.left_on or row.section_id is None or self._roster is None:
            return False
        ensemble_id, section_id = self._roster.ensemble.ensemble_id, row.section_id
        return self._apply_order(
            lambda: ensembles.move_section(self._ctx.db, ensemble_id, section_id, step),
            f"Move section {row.section}",
        )

    def reorder_sections(self) -> bool:
        if self._roster is None or not self._roster.sections:
            return False
        answer = self.ask_section_order()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)  # back on the roster, either way
        if answer is None:
            return False
        order, moved = answer
        ensemble_id = self._roster.ensemble.ensemble_id
        return self._apply_order(
            lambda: ensembles.reorder_sections(self._ctx.db, ensemble_id, order, moved),
            "Reorder sections",
        )

    def _apply_order(self, write: Callable[[], ensembles.SectionOrder], text: str) -> bool:
        return self._made(
            write, lambda c: SectionOrderCommand(text, self._ctx.db, c, self._reordered), None
        )

    def _reordered(self, change: ensembles.SectionOrder | None, message: str) -> None:
        self._restored(change.roster if change else None, message)

    def _apply(self, write: Callable[[], RosterChange], text: str, keep: str | None) -> bool:
        def command(c: RosterChange) -> RosterCommand:
            eid = c.roster.ensemble.ensemble_id
            return RosterCommand(text, self._ctx.db, eid, c.before, c.after, self._restored)

        return self._made(write, command, keep)

    def _made(self, write: Callable, command: Callable, keep: str | None) -> bool:
        """Make a roster change through its service; if anything changed, push its undo."""
        try:
            change = write()
        except HmsError as err:
            self.status_message.emit(str(err))
            return False
        if change.before != change.after:
            self._ctx.undo.push(command(change))
        self.show_roster(change.roster, keep)
        self.status_message.emit(change.message)
        self._ctx.events.changed(ChangeKind.ROSTER, [change.roster.ensemble.ensemble_id])
        return True

    def _restored(self, roster: Roster | None, message: str) -> None:
        """After an undo or redo: say what was done (or why not) and show the roster."""
        self.status_message.emit(message)
        if roster is None:
            return
        if (
            self._roster is not None
            and roster.ensemble.ensemble_id == self._roster.ensemble.ensemble_id
        ):
            # After the undo stack has finished: a redraw inside it could select mid-change.
            QTimer.singleShot(0, lambda: self.show_roster(roster))
        self._ctx.events.changed(ChangeKind.ROSTER, [roster.ensemble.ensemble_id])

    # --- dialogs ---------------------------------------------------------------------------

    def _move_dialog(self, row: RosterRow):
        assert self._roster is not None
        dialog = MoveDialog(row, self._roster.sections, self.rule.currentData(), self)
        return dialog.chosen() if dialog.exec() else None

    def _add_dialog(self):
        assert self._roster is not None
        ensemble_id = self._roster.ensemble.ensemble_id
        current = self.current()
        dialog = AddMemberDialog(
            lambda text: ensembles.pupils_to_add(self._ctx.db, ensemble_id, text),
            self._roster.sections,
            current.section_id if current else None,
            self,
        )
        return dialog.chosen() if dialog.exec() else None

    def _section_order_dialog(self) -> tuple[list[str], str | None] | None:
        assert self._roster is not None
        current = self.current()
        dialog = SectionOrderDialog(
            self._roster.ensemble.name,
            self._roster.sections,
            current.section_id if current else None,
            self,
        )
        return (dialog.chosen(), dialog.moved) if dialog.exec() else None

    def _left_dialog(self, row: RosterRow):
        dialog = LeftDialog(row, self._ctx.today(), self)
        return dialog.chosen() if dialog.exec() else None
