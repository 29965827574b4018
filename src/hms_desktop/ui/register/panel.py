"""The register's widgets and their layout: title, status buttons, the table of pupils, the
legend, messages and the lesson note. What they do is in view.py."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.domain.types import LessonStatus

from .backend import LESSON_WORDS, Wording
from .model import CARE, CODE, COMMENT, PUPIL, YEAR, RegisterModel


class RegisterPanel(QWidget):
    status_message = Signal(str)
    # Certificates for the group (None) or one pupil: the page that hosts the view opens them.
    certificates_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        self.title = QLabel()
        self.title.setObjectName("registerTitle")
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("registerSubtitle")
        self.subtitle.setWordWrap(True)
        self.lesson_status = QLabel()
        self.lesson_status.setObjectName("lessonStatus")

        self.all_present = QPushButton("&All present  (F8)")
        self.all_present.setToolTip(
            "Mark every pupil not yet marked as present (P); then type the exceptions"
        )
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.all_present)
        self.status_buttons: dict[LessonStatus, QPushButton] = {}
        self.certificates = QPushButton("&Certificates…")

        self.model = RegisterModel(self)
        self.table = QTableView()
        self.table.setObjectName("registerTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the register for the lesson note
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PUPIL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COMMENT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((YEAR, 46), (CODE, 54), (CARE, 104)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        self.legend = QLabel()
        self.legend.setObjectName("legend")
        self.message = QLabel()
        self.message.setObjectName("registerMessage")
        self.message.setWordWrap(True)

        self.note_label = QLabel()  # "Lesson note", "Rehearsal note": the register says which
        self.note = QPlainTextEdit()
        self.note_label.setBuddy(self.note)
        self.note.setMaximumHeight(50)
        self.note.setTabChangesFocus(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(self.buttons)
        layout.addWidget(self.lesson_status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.legend)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_label, 0, Qt.AlignmentFlag.AlignTop)
        note_row.addWidget(self.note, 1)
        layout.addLayout(note_row)
        self.setTabOrder(self.table, self.note)  # Tab from the register goes to the note
        self._use_words(LESSON_WORDS)

    def _use_words(self, words: Wording) -> None:
        self.note_label.setText(words.note_label)
        self.note.setPlaceholderText(words.note_hint)
        self.certificates.setToolTip(f"Print certificates for the pupils in this {words.who}")

    def _warn(self, text: str) -> None:
        self.message.setText(f"<span style='color:#a40000'>{text}</span>")
        self.status_message.emit(text)

    def _ask_comment_dialog(self, title: str, label: str, text: str = "") -> str | None:
        answer, ok = QInputDialog.getText(self, title, label, text=text)
        return answer if ok else None

    def _confirm_dialog(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_care_dialog(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)
