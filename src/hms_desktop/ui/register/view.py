"""Taking one register, keyboard first. Every mark is saved the moment it is made, and every
write can be undone. The rules (codes, comments, what a whole-lesson status replaces, lessons in
the future) live in the services; this view asks them and shows what they say."""

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QMenu,
    QPushButton,
    QWidget,
)

from hms_desktop.domain.codes import match_typed_code
from hms_desktop.domain.errors import CommentRequired, HmsError, MarksWouldBeReplaced
from hms_desktop.domain.types import LessonStatus
from hms_desktop.services.views import MarkState, Register, RegisterRow

from ..common.context import PageContext
from ..common.events import ChangeKind
from .backend import LESSON_WORDS, RegisterBackend, Wording
from .model import PUPIL
from .panel import RegisterPanel
from .undo import RestoreCommand, Restored

NOTE_SAVE_MS = 800
ALL_PRESENT_KEY = Qt.Key.Key_F8
_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


class RegisterView(RegisterPanel):
    """The register of one lesson or rehearsal. Holds plain data only."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._backend: RegisterBackend | None = None
        self._register: Register | None = None
        self._typed = ""
        self._just_marked: int | None = None  # the row a code was just typed on
        # How the view asks the tutor; replaced only where no person is at the keyboard.
        self.ask_comment: Callable[[str, str], str | None] = self._ask_comment_dialog
        self.confirm: Callable[[str, str], bool] = self._confirm_dialog
        self.show_menu: Callable[[QMenu, QPoint], object] = QMenu.popup
        self.show_care: Callable[[str, str], object] = self._show_care_dialog
        self.all_present.clicked.connect(lambda: self.set_status(LessonStatus.DELIVERED))
        self.certificates.clicked.connect(lambda: self.certificates_requested.emit(None))
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda _index: self.edit_comment())
        self.table.customContextMenuRequested.connect(self._context_menu)
        # Choosing another pupil (mouse, arrows) ends "Enter comments the pupil just marked".
        self.table.selectionModel().currentRowChanged.connect(self._forget_just_marked)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_MS)
        self._note_timer.timeout.connect(self.save_note)
        self.note.textChanged.connect(self._note_timer.start)
        self.note.installEventFilter(self)
        QShortcut(
            QKeySequence(ALL_PRESENT_KEY),
            self,
            activated=lambda: self.set_status(LessonStatus.DELIVERED),
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    # --- loading ---------------------------------------------------------------------------

    @property
    def register(self) -> Register | None:
        return self._register

    @property
    def backend(self) -> RegisterBackend | None:
        return self._backend

    @property
    def _words(self) -> Wording:
        return self._backend.words if self._backend is not None else LESSON_WORDS

    def open(self, backend: RegisterBackend) -> None:
        """Show this register, the first unmarked pupil selected. Focus stays where it is."""
        self.save_note()
        register = backend.open()
        if self._backend is None or backend.statuses != self._backend.statuses:
            self._build_status_buttons(backend)
        self._use_words(backend.words)
        self._backend = backend
        self._clear_typed()
        self._show(register)
        if self.model.rowCount():
            self.table.selectRow(self.first_unmarked())

    def _build_status_buttons(self, backend: RegisterBackend) -> None:
        for button in self.status_buttons.values():
            self.buttons.removeWidget(button)
            button.deleteLater()
        self.buttons.removeWidget(self.certificates)
        self.status_buttons = {}
        for spec in backend.statuses:
            button = QPushButton(spec.text)
            button.setToolTip(spec.tip)
            button.clicked.connect(lambda _=False, s=spec.status: self.set_status(s))
            self.buttons.addWidget(button)
            self.status_buttons[spec.status] = button
        self.buttons.addWidget(self.certificates)
        self.buttons.addStretch(1)

    def reload(self, keep_row: bool = True) -> None:
        if self._backend is None:
            return
        try:
            register = self._backend.open()
        except HmsError as err:
            self._warn(str(err))
            return
        self._show(register, keep_row=keep_row)

    def reload_if_idle(self) -> None:
        """Show central's latest for this register unless the tutor is mid-typing."""
        if self._register is None or self._typed or self.note.hasFocus():
            return
        self.reload()

    def _show(self, register: Register, keep_row: bool = False) -> None:
        row = self.table.currentIndex().row()
        self._register = register
        self.model.set_register(register.rows, register.codes)
        cover = f"  ·  cover for {register.tutor_name}" if register.is_cover else ""
        self.title.setText(register.group_name)
        self.subtitle.setText(
            f"{register.school_name}  ·  {register.day:%A %-d %B %Y}  ·  "
            f"{register.start_time:%H:%M} ({register.length_minutes} min)  ·  "
            f"{register.kind_label}  ·  {register.instrument}{cover}"
        )
        self._show_status()
        self.legend.setText(
            "Codes: "
            + " ".join(f"<b>{c.code}</b>" for c in register.codes)
            + "  ·  <b>Enter</b> comment  ·  <b>Del</b> clear  ·  <b>Ctrl+Z</b> undo"
            + "  ·  <b>F1</b> all keys"
        )
        self.legend.setToolTip("\n".join(f"{c.code}  {c.meaning}" for c in register.codes))
        if self.note.toPlainText() != register.note:
            self.note.blockSignals(True)
            self.note.setPlainText(register.note)
            self.note.blockSignals(False)
        self.message.clear()
        if not register.accepts_marks:
            self.message.setText(
                f"This {self._words.noun} is on {register.day:%A %-d %B}: it has not happened "
                f"yet. {self._words.ahead}"
            )
        if keep_row and 0 <= row < self.model.rowCount():
            self.table.selectRow(row)

    def _forget_just_marked(self, *_args) -> None:
        self._just_marked = None

    def _set_status_label(self, status: str) -> None:
        if self._register is not None and status:
            label = LessonStatus(status).label
            self._register = replace(self._register, status=status, status_label=label)
            self._show_status()

    def _show_status(self) -> None:
        if self._register is None:
            return
        marked, total = self.model.marked_count(), self.model.rowCount()
        status = LessonStatus(self._register.status).label
        self.lesson_status.setText(f"{status}  ·  {marked} of {total} marked")

    def first_unmarked(self) -> int:
        for i in range(self.model.rowCount()):
            row = self.model.row_at(i)
            if row is not None and not row.code:
                return i
        return 0

    # --- keyboard --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note and event.type() == QEvent.Type.FocusOut:
            self.save_note()
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            return self._table_key(event)  # type: ignore[arg-type]
        return super().eventFilter(watched, event)

    def _table_key(self, event: QKeyEvent) -> bool:
        key, text = event.key(), event.text()
        if event.modifiers() & _MODIFIERS:
            return False  # shortcuts (Ctrl+Z, Alt+mnemonics) belong to the window
        if key == ALL_PRESENT_KEY:
            self.set_status(LessonStatus.DELIVERED)
            return True
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._exact():
            # A code that a longer one starts with (L before LE): Space or Enter sets it.
            code = self._typed
            self._clear_typed()
            self.mark_current(code)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Straight after a code, Enter comments on the pupil just marked, not the next one.
            self.edit_comment(self._just_marked)
            return True
        self._just_marked = None
        if (
            self._typed
            and not (text and text.isalpha())
            and key
            not in (
                Qt.Key.Key_Escape,
                Qt.Key.Key_Backspace,
            )
        ):
            self._clear_typed()  # moving away drops a half-typed code
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and self.model.rowCount():
            self.table.selectRow(0 if key == Qt.Key.Key_Home else self.model.rowCount() - 1)
            return True
        if key == Qt.Key.Key_Escape:
            if self._typed:
                self._clear_typed()
                self.message.setText("Cancelled.")
            return bool(self._typed)
        if key == Qt.Key.Key_Backspace and self._typed:
            self._typed = self._typed[:-1]
            self._show_typed()
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_current()
            return True
        if key in (Qt.Key.Key_Menu,) or (
            key == Qt.Key.Key_F10 and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self._context_menu(None)
            return True
        if text and text.isalpha():
            self._type(text)
            return True
        return False

    def _type(self, text: str) -> None:
        if self._register is None:
            return
        self._typed += text.upper()
        code, more = match_typed_code(self._typed, [c.code for c in self._register.codes])
        if code:
            self._clear_typed()
            self.mark_current(code)
        elif more:
            self._show_typed()  # waits for the next letter as long as it takes
        else:
            typed = self._typed
            self._clear_typed()
            self._warn(
                f"'{typed}' is not an attendance code. "
                + ", ".join(c.code for c in self._register.codes)
                + "."
            )

    def _show_typed(self) -> None:
        if not self._typed or self._register is None:
            self._clear_typed()
            return
        rest = [c.code[len(self._typed) :] for c in self._register.codes]
        options = " or ".join(
            r
            for r, c in zip(rest, self._register.codes, strict=True)
            if c.code.startswith(self._typed) and r
        )
        if self._exact():
            options += f", or Space for {self._typed}"
        self.message.setText(f"Typed {self._typed}… then {options}   (Esc cancels)")

    def _exact(self) -> bool:
        return bool(self._typed) and any(
            c.code == self._typed for c in (self._register.codes if self._register else ())
        )

    @property
    def typed(self) -> str:
        return self._typed

    def _clear_typed(self) -> None:
        self._typed = ""
        if self.message.text().startswith("Typed "):
            self.message.clear()

    # --- writes ----------------------------------------------------------------------------

    def current_row(self) -> tuple[int, RegisterRow] | None:
        row = self.table.currentIndex().row()
        item = self.model.row_at(row)
        return (row, item) if item else None

    def current_pupil(self) -> tuple[int, str] | None:
        current = self.current_row()
        return (current[0], current[1].pupil_id) if current else None

    def mark_current(self, code: str, comment: str | None = None, advance: bool = True) -> bool:
        """Set the selected pupil's code (keeping its comment unless one is given), asking for a
        comment when the service says the code needs one; then move to the next pupil."""
        current = self.current_row()
        if current is None or self._backend is None:
            return False
        row, pupil = current
        try:
            change = self._backend.mark(pupil.pupil_id, code, comment)
        except CommentRequired:
            meaning = next((c.meaning for c in self._register.codes if c.code == code), code)
            asked = self.ask_comment(
                f"{code}: a comment is needed",
                f"Why is {pupil.name} marked {code} ({meaning})?",
            )
            if asked is None or not asked.strip():
                self._warn(f"{code} needs a comment, so the mark was not saved.")
                return False
            return self.mark_current(code, asked, advance)
        except HmsError as err:
            self._warn(str(err))
            return False
        after = MarkState(pupil.pupil_id, change.row.code, change.row.comment)
        if after != change.before:
            what = "Comment" if after.code == change.before.code else f"Mark {code}"
            self._push(f"{what} for {pupil.name}", (change.before,), (after,), None, None)
        self.model.replace_row(change.row)
        self._set_status_label(change.status)
        self.message.clear()
        self._after_write(ChangeKind.ATTENDANCE)
        if change.before.comment and after.code != change.before.code and comment is None:
            self.message.setText(f"{pupil.name}: comment kept — “{change.row.comment}”")
        if advance and row + 1 < self.model.rowCount():
            self.table.selectRow(row + 1)
        self._just_marked = row if advance else None
        return True

    def clear_current(self) -> bool:
        current = self.current_row()
        if current is None or self._backend is None or not current[1].code:
            return False
        _row, pupil = current
        try:
            change = self._backend.clear(pupil.pupil_id)
        except HmsError as err:
            self._warn(str(err))
            return False
        after = MarkState(pupil.pupil_id, None, "")
        self._push(f"Clear mark for {pupil.name}", (change.before,), (after,), None, None)
        self.model.replace_row(change.row)
        self._set_status_label(change.status)
        self._after_write(ChangeKind.ATTENDANCE)
        self.message.setText(f"{pupil.name}'s mark was cleared (Ctrl+Z puts it back).")
        return True

    def edit_comment(self, row: int | None = None) -> None:
        """Comment on the selected pupil's mark (or on ``row``, the pupil just marked)."""
        if row is not None and self.model.row_at(row) is not None:
            self.table.selectRow(row)
        self._just_marked = None
        current = self.current_row()
        if current is None:
            return
        _row, pupil = current
        if not pupil.code:
            self._warn("Give a code first, then a comment.")
            return
        text = self.ask_comment(
            f"Comment for {pupil.name}",
            f"Comment on {pupil.name}'s mark {pupil.code}:",
            pupil.comment,
        )
        if text is None:
            return
        self.mark_current(pupil.code, text)  # moves on, exactly as after a code

    def set_status(self, status: LessonStatus, comment: str = "", replace: bool = False) -> bool:
        if self._backend is None or self._register is None:
            return False
        try:
            change = self._backend.set_status(status, comment, replace)
        except MarksWouldBeReplaced as err:
            if not self.confirm(status.label, f"{err}\n\nReplace them? (Ctrl+Z undoes it.)"):
                self.message.setText("Nothing was changed.")
                return False
            return self.set_status(status, comment, True)
        except CommentRequired:
            asked = self.ask_comment(status.label, "What happened? (saved with every pupil's mark)")
            if asked is None or not asked.strip():
                self._warn(f"{status.label} needs a comment, so nothing was changed.")
                return False
            return self.set_status(status, asked, replace)
        except HmsError as err:
            self._warn(str(err))
            return False
        after = tuple(
            MarkState(m.pupil_id, *self._state_in(change.register, m.pupil_id))
            for m in change.before.marks
        )
        if (change.before.status, change.before.marks) != (change.register.status, after):
            self._push(
                f"{status.label} for the {self._words.noun}",
                change.before.marks,
                after,
                change.before.status,
                change.register.status,
            )
        self._show(change.register, keep_row=True)
        self._after_write(ChangeKind.LESSON)
        return True

    @staticmethod
    def _state_in(register: Register, pupil_id: str) -> tuple[str | None, str]:
        row = next((r for r in register.rows if r.pupil_id == pupil_id), None)
        return (row.code, row.comment) if row else (None, "")

    def save_note(self) -> None:
        self._note_timer.stop()
        if self._register is None or self._backend is None:
            return
        text = self.note.toPlainText()
        if text.strip() == self._register.note.strip():
            return
        try:
            saved = self._backend.save_note(text)
        except HmsError as err:
            self._warn(str(err))
            return
        self._register = replace(self._register, note=saved)
        self._after_write(ChangeKind.LESSON)

    # --- undo --------------------------------------------------------------------------------

    def _push(self, text, before, after, status_before, status_after) -> None:
        assert self._backend is not None
        self._ctx.undo.push(
            RestoreCommand(
                text, self._backend, before, after, status_before, status_after, self._restored
            )
        )

    def _restored(self, done: Restored) -> None:
        """After an undo or redo: show the pupil it changed, or say where it changed."""
        if done.error or done.register is None:
            self._warn(done.error or "Nothing was changed.")
            return
        register = done.register
        if self._backend is not None and done.backend.key == self._backend.key:
            self._show(register, keep_row=True)
            rows = [i for i, r in enumerate(register.rows) if r.pupil_id in done.pupils]
            if rows:
                self.table.selectRow(rows[0])
                self.table.scrollTo(self.model.index(rows[0], 0))
            self.message.setText(done.said)
        else:
            where = f"{register.group_name}, {register.day:%a %-d %b}"
            self.message.setText(f"{done.said} — in the register of {where}.")
            self._ctx.say(f"{done.said} — in the register of {where}.")
        self._after_write(ChangeKind.ATTENDANCE, register.lesson_id)

    # --- menus and messages ------------------------------------------------------------------

    def _context_menu(self, _pos: QPoint | None) -> None:
        """For the selected pupil: a right-click selects the row first; the menu key uses it."""
        current = self.current_row()
        if current is None:
            return
        index, row = current
        menu = QMenu(self)
        menu.addAction("Comment…", self.edit_comment)
        if row.care_detail:
            menu.addAction(
                f"What to know about {row.name}…",
                lambda: self.show_care(f"About {row.name}", row.care_detail),
            )
        menu.addAction("Clear mark", self.clear_current).setEnabled(bool(row.code))
        menu.addSeparator()
        menu.addAction(
            f"Certificate for {row.name}…", lambda: self.certificates_requested.emit(row.pupil_id)
        )
        menu.addAction(
            f"Certificates for the {self._words.who}…",
            lambda: self.certificates_requested.emit(None),
        )
        rect = self.table.visualRect(self.model.index(index, PUPIL))
        self.show_menu(menu, self.table.viewport().mapToGlobal(rect.center()))

    def _after_write(self, kind: ChangeKind, lesson_id: str | None = None) -> None:
        self._show_status()
        lid = lesson_id or (self._register.lesson_id if self._register else None)
        if lid:
            self._ctx.events.changed(kind, [lid])
