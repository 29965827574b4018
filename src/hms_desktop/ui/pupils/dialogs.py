"""Recording one pupil's progress: an assessment or exam result, a note (or a new revision of
one), a target. The service decides what is valid; the dialog shows what it says and stays open
so nothing typed is lost."""

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from hms_desktop.domain.types import AssessmentKind, AssessmentResult
from hms_desktop.services.progress.views import FrameworkInfo

KINDS = (
    (AssessmentKind.TEACHER, "Teacher assessment"),
    (AssessmentKind.EXAM, "Exam result"),
    (AssessmentKind.MEDAL, "Music Medal"),
)
NO_MARK = -1


class _Form(QDialog):
    """A form with Save (Ctrl+Enter) / Cancel and a line where the service's refusal shows."""

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a00000")
        self.problem.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()


def _date_edit(on: date) -> QDateEdit:
    edit = QDateEdit(QDate(on.year, on.month, on.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit


class AssessmentDialog(_Form):
    def __init__(
        self, pupil_name: str, frameworks: tuple[FrameworkInfo, ...], on: date, parent=None
    ):
        super().__init__(f"Record an assessment — {pupil_name}", parent)
        self._frameworks = frameworks
        self.kind = QComboBox()
        for kind, label in KINDS:
            self.kind.addItem(label, kind.value)
        self.framework = QComboBox()
        for fw in frameworks:
            self.framework.addItem(fw.name, fw.framework_id)
        self.level = QComboBox()
        self.result = QComboBox()
        self.result.addItem("— none —", None)
        for r in AssessmentResult:
            self.result.addItem(r.value.capitalize(), r.value)
        self.mark = QSpinBox()
        self.mark.setRange(NO_MARK, 1000)
        self.mark.setSpecialValueText("— none —")
        self.mark.setValue(NO_MARK)
        self.comment = QLineEdit()
        self.day = _date_edit(on)
        for label, widget in (
            ("&Kind", self.kind),
            ("&Framework", self.framework),
            ("&Level", self.level),
            ("&Result", self.result),
            ("&Mark (exams)", self.mark),
            ("&Date", self.day),
            ("&Comment", self.comment),
        ):
            self.form.addRow(label, widget)
        self.framework.currentIndexChanged.connect(self._fill_levels)
        stages = self.framework.findText("HMS Stages")
        self.framework.setCurrentIndex(max(0, stages))
        self._fill_levels()

    def _fill_levels(self) -> None:
        self.level.clear()
        fw = self.chosen_framework()
        for level_id, name in fw.levels if fw else ():
            self.level.addItem(name, level_id)

    def chosen_framework(self) -> FrameworkInfo | None:
        index = self.framework.currentIndex()
        return self._frameworks[index] if 0 <= index < len(self._frameworks) else None

    def values(self) -> dict:
        mark = self.mark.value()
        return {
            "framework_id": self.framework.currentData(),
            "level_id": self.level.currentData(),
            "kind": self.kind.currentData(),
            "result": self.result.currentData(),
            "mark": None if mark == NO_MARK else mark,
            "comment": self.comment.text(),
            "on": self.day.date().toPython(),
        }


class TextDialog(_Form):
    """A progress note (or its new revision) or a target."""

    def __init__(self, title: str, label: str, text: str = "", on: date | None = None, parent=None):
        super().__init__(title, parent)
        self.text = QPlainTextEdit(text)
        self.text.setTabChangesFocus(True)
        self.text.setMinimumSize(420, 120)
        self.form.addRow(label, self.text)
        self.day = _date_edit(on) if on else None
        if self.day is not None:
            self.form.addRow("&Set on", self.day)
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def typed(self) -> str:
        return self.text.toPlainText()
