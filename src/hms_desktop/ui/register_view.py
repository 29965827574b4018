"""Taking one lesson's register, keyboard first. Every mark is saved the moment it is made."""

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.data.engine import Database
from hms_desktop.domain.codes import match_typed_code
from hms_desktop.domain.errors import HmsError
from hms_desktop.domain.types import STATUS_CODE, LessonStatus
from hms_desktop.services import register as registers
from hms_desktop.services.views import Register

from .events import DataEvents
from .register_model import CARE, CODE, COMMENT, PUPIL, YEAR, RegisterModel

TYPE_AHEAD_MS = 1200
NOTE_SAVE_MS = 800
ALL_PRESENT_KEY = Qt.Key.Key_F8


class RegisterView(QWidget):
    """The register of one lesson. Holds plain data only; every write goes through a service."""

    status_message = Signal(str)

    def __init__(self, db: Database, events: DataEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._events = events
        self._register: Register | None = None
        self._typed = ""
        # Asks the tutor for a comment; replaced only where no person is at the keyboard.
        self.ask_comment: Callable[[str, str], str | None] = self._ask_comment_dialog

        self.title = QLabel()
        self.title.setObjectName("registerTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("registerSubtitle")
        self.lesson_status = QLabel()
        self.lesson_status.setObjectName("lessonStatus")

        self.all_present = QPushButton("All present  (F8)")
        self.all_present.setToolTip(
            "Mark every pupil not yet marked as present (P); then type the exceptions"
        )
        self.tutor_absent = QPushButton("Tutor absent")
        self.school_closed = QPushButton("School closed")
        self.turned_away = QPushButton("Turned away")
        for button, status in (
            (self.all_present, LessonStatus.DELIVERED),
            (self.tutor_absent, LessonStatus.TUTOR_ABSENT),
            (self.school_closed, LessonStatus.SCHOOL_CLOSED),
            (self.turned_away, LessonStatus.TURNED_AWAY),
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, s=status: self.set_status(s))
        buttons = QHBoxLayout()
        for button in (self.all_present, self.tutor_absent, self.school_closed, self.turned_away):
            buttons.addWidget(button)
        self.certificates = QPushButton("Certificates…")
        self.certificates.setToolTip("Print certificates for the pupils in this group")
        self.certificates.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.certificates.clicked.connect(lambda: self.open_certificates())
        buttons.addWidget(self.certificates)
        buttons.addStretch(1)
        buttons.addWidget(self.lesson_status)

        self.model = RegisterModel(self)
        self.table = QTableView()
        self.table.setObjectName("registerTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PUPIL, QHeaderView.ResizeMode.Stretch)
        for col, width in ((YEAR, 50), (CODE, 60), (COMMENT, 220), (CARE, 150)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda _index: self.edit_comment())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setObjectName("legend")
        self.message = QLabel()
        self.message.setObjectName("registerMessage")
        self.message.setWordWrap(True)

        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(
            "Lesson note: what you covered, anything for next week (saved as you type)"
        )
        self.note.setMaximumHeight(90)
        self.note.setTabChangesFocus(True)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_MS)
        self._note_timer.timeout.connect(self.save_note)
        self.note.textChanged.connect(self._note_timer.start)
        self.note.installEventFilter(self)

        self._type_timer = QTimer(self)
        self._type_timer.setSingleShot(True)
        self._type_timer.setInterval(TYPE_AHEAD_MS)
        self._type_timer.timeout.connect(self._clear_typed)
        QShortcut(
            QKeySequence(ALL_PRESENT_KEY),
            self,
            activated=lambda: self.set_status(LessonStatus.DELIVERED),
        )

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.legend)
        layout.addWidget(QLabel("Lesson note"))
        layout.addWidget(self.note)

    # --- loading ---------------------------------------------------------------------------

    @property
    def register(self) -> Register | None:
        return self._register

    def open_lesson(self, group_id: str, day: date) -> None:
        self.save_note()
        register = registers.open_register(self._db, group_id, day)
        self._show(register)
        self.table.setFocus()
        if self.model.rowCount():
            self.table.selectRow(self._first_unmarked())

    def reload_if_idle(self) -> None:
        """Show central's latest for this lesson unless the tutor is mid-typing."""
        if self._register is None or self._typed or self.note.hasFocus():
            return
        try:
            register = registers.open_register(
                self._db, self._register.group_id, self._register.day
            )
        except HmsError:
            return
        self._show(register, keep_row=True)

    def _show(self, register: Register, keep_row: bool = False) -> None:
        row = self.table.currentIndex().row()
        self._register = register
        self.model.set_register(register.rows, register.codes)
        cover = (
            f"  ·  cover for {register.tutor_name}"
            if register.delivered_by and register.delivered_by != register.tutor_name
            else ""
        )
        self.title.setText(register.group_name)
        self.subtitle.setText(
            f"{register.school_name}  ·  {register.day:%A %-d %B %Y}  ·  "
            f"{register.start_time:%H:%M} ({register.length_minutes} min)  ·  "
            f"{register.kind_label}  ·  {register.instrument}{cover}"
        )
        self._show_status()
        self.legend.setText(
            "Type a code:  "
            + "   ".join(
                f"<b>{c.code}</b> {c.meaning.split(' (')[0].lower()}" for c in register.codes
            )
            + "   ·   <b>Enter</b> comment"
        )
        self.note.blockSignals(True)
        self.note.setPlainText(register.note)
        self.note.blockSignals(False)
        self.message.clear()
        if keep_row and 0 <= row < self.model.rowCount():
            self.table.selectRow(row)

    def _show_status(self) -> None:
        if self._register is None:
            return
        marked, total = self.model.marked_count(), self.model.rowCount()
        status = LessonStatus(self._register.status).label
        self.lesson_status.setText(f"{status}  ·  {marked} of {total} marked")

    def _first_unmarked(self) -> int:
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
        if key == ALL_PRESENT_KEY:  # also when the window is not the active one
            self.set_status(LessonStatus.DELIVERED)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_comment()
            return True
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and self.model.rowCount():
            self.table.selectRow(0 if key == Qt.Key.Key_Home else self.model.rowCount() - 1)
            return True
        if key == Qt.Key.Key_Escape:
            self._clear_typed()
            return True
        if (
            text
            and text.isalpha()
            and not (
                event.modifiers()
                & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
            )
        ):
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
            self._type_timer.start()
            self.message.setText(f"Typed {self._typed}…")
        else:
            typed = self._typed
            self._clear_typed()
            self._warn(
                f"'{typed}' is not an attendance code. "
                + ", ".join(c.code for c in self._register.codes)
                + "."
            )

    def _clear_typed(self) -> None:
        self._typed = ""
        self._type_timer.stop()
        if self.message.text().startswith("Typed "):
            self.message.clear()

    # --- writes ----------------------------------------------------------------------------

    def current_pupil(self) -> tuple[int, str] | None:
        row = self.table.currentIndex().row()
        item = self.model.row_at(row)
        return (row, item.pupil_id) if item else None

    def mark_current(self, code: str, comment: str | None = None) -> bool:
        """Set the selected pupil's code, asking for a comment where the code needs one."""
        current = self.current_pupil()
        if current is None or self._register is None:
            return False
        row, pupil_id = current
        info = next((c for c in self._register.codes if c.code == code), None)
        existing = self.model.row_at(row)
        if comment is None:
            comment = existing.comment if existing and existing.code == code else ""
        if info is not None and info.comment_required and not comment.strip():
            name = existing.name if existing else "this pupil"
            asked = self.ask_comment(f"{code}: {info.meaning}", f"Why is {name} marked {code}?")
            if asked is None or not asked.strip():
                self._warn(f"{code} needs a comment, so the mark was not saved.")
                return False
            comment = asked
        try:
            saved = registers.mark_attendance(
                self._db, self._register.group_id, self._register.day, pupil_id, code, comment
            )
        except HmsError as err:
            self._warn(str(err))
            return False
        self.model.replace_row(saved)
        if self._register.status == LessonStatus.SCHEDULED:
            delivered = LessonStatus.DELIVERED
            self._register = replace(
                self._register, status=delivered.value, status_label=delivered.label
            )
        self._after_write("attendance")
        if row + 1 < self.model.rowCount():
            self.table.selectRow(row + 1)
        return True

    def edit_comment(self) -> None:
        current = self.current_pupil()
        if current is None:
            return
        row = self.model.row_at(current[0])
        if row is None:
            return
        if not row.code:
            self._warn("Give a code first, then a comment.")
            return
        text = self.ask_comment(f"Comment for {row.name}", f"Comment on {row.code}:")
        if text is None:
            return
        self.mark_current(row.code, text)
        self.table.selectRow(current[0])

    def set_status(self, status: LessonStatus) -> bool:
        if self._register is None:
            return False
        comment = ""
        code = STATUS_CODE.get(status)
        info = next((c for c in self._register.codes if c.code == code), None)
        if info is not None and info.comment_required:
            asked = self.ask_comment(status.label, "What happened? (saved with every pupil's mark)")
            if asked is None or not asked.strip():
                self._warn(f"{status.label} needs a comment, so nothing was changed.")
                return False
            comment = asked
        try:
            register = registers.set_lesson_status(
                self._db, self._register.group_id, self._register.day, status, comment
            )
        except HmsError as err:
            self._warn(str(err))
            return False
        self._show(register, keep_row=True)
        self._after_write("lesson")
        return True

    def save_note(self) -> None:
        self._note_timer.stop()
        if self._register is None:
            return
        text = self.note.toPlainText()
        if text.strip() == self._register.note.strip():
            return
        try:
            saved = registers.save_lesson_note(
                self._db, self._register.group_id, self._register.day, text
            )
        except HmsError as err:
            self._warn(str(err))
            return
        self._register = replace(self._register, note=saved)
        self._after_write("lesson")

    def certificates_dialog(self, pupil_id: str | None = None):
        """Certificates for the whole group, or for one pupil of it."""
        # Imported here: reportlab and PDFium load only when certificates are wanted.
        from .certificates_dialog import CertificatesDialog

        if self._register is None:
            return None
        rows = [r for r in self._register.rows if pupil_id in (None, r.pupil_id)]
        title = rows[0].name if pupil_id and rows else self._register.group_name
        return CertificatesDialog(
            self._db, self._events, [r.pupil_id for r in rows], title, self._register.day, self
        )

    def open_certificates(self, pupil_id: str | None = None) -> None:
        dialog = self.certificates_dialog(pupil_id)
        if dialog is not None:
            dialog.exec()

    def _context_menu(self, pos) -> None:
        row = self.model.row_at(self.table.indexAt(pos).row())
        if row is None:
            return
        menu = QMenu(self)
        menu.addAction(f"Certificate for {row.name}…", lambda: self.open_certificates(row.pupil_id))
        menu.addAction("Certificates for the group…", lambda: self.open_certificates())
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _after_write(self, kind: str) -> None:
        self._show_status()
        if self._register is not None:
            self._events.data_changed.emit(kind, [self._register.lesson_id])

    def _warn(self, text: str) -> None:
        self.message.setText(f"<span style='color:#a40000'>{text}</span>")
        self.status_message.emit(text)

    def _ask_comment_dialog(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None
