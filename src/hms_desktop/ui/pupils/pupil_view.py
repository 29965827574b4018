"""One pupil's page: details (with any care note shown plainly, here only), attendance, the
chart of level over time, and tabs of assessments, notes, targets and enrolments."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.services.progress.views import AttendanceFigures, PupilPage

from .chart import LevelChart
from .models import AssessmentsModel, TargetsModel, percent


def attendance_text(f: AttendanceFigures) -> str:
    if not f.counts:
        return f"<b>{f.label}</b>: no lessons recorded yet."
    counts = ", ".join(f"{c.code} {c.count}" for c in f.counts)
    held = f.attended + f.missed
    rate = percent(f.rate)
    makeups = (
        f"Make-up lessons owed {f.makeups_owed}, given {f.makeups_given}"
        f"{f', still owed {f.makeups_outstanding}' if f.makeups_outstanding else ''}."
    )
    return (
        f"<b>{f.label}</b>: came to {f.attended} of {held} lessons ({rate}); "
        f"{f.not_held} not held. <span style='color:#555'>{counts}.</span> {makeups}"
    )


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


class PupilView(QWidget):
    back = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.page: PupilPage | None = None
        self.back_button = QPushButton("◀ &Back to pupils")
        self.back_button.setToolTip("Back to the list (Esc)")
        self.back_button.clicked.connect(self.back)
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.care = QLabel()
        self.care.setObjectName("careNote")
        self.care.setWordWrap(True)
        self.care.setStyleSheet(
            "background: #fff3e0; border: 1px solid #e0a040; padding: 6px; color: #5a3300"
        )
        self.attendance = QLabel()
        self.attendance.setObjectName("attendance")
        self.attendance.setWordWrap(True)
        self.attendance.setTextFormat(Qt.TextFormat.RichText)
        self.chart = LevelChart()

        self.record_button = QPushButton("Record &assessment…")
        self.note_button = QPushButton("Add &note…")
        self.revise_button = QPushButton("Re&vise note…")
        self.target_button = QPushButton("Set &target…")
        self.achieved_button = QPushButton("Target a&chieved")
        self.report_button = QPushButton("&Progress report…")
        actions = QHBoxLayout()
        for b in (
            self.record_button,
            self.note_button,
            self.revise_button,
            self.target_button,
            self.achieved_button,
            self.report_button,
        ):
            actions.addWidget(b)
        actions.addStretch(1)

        self.assessments_model = AssessmentsModel(self)
        self.assessments = _table(self.assessments_model)
        for col, width in ((0, 96), (1, 150), (2, 150), (3, 90), (4, 110), (5, 100)):
            self.assessments.horizontalHeader().resizeSection(col, width)
        self.notes = QTextBrowser()
        self.notes.setObjectName("notes")
        self.targets_model = TargetsModel(self)
        self.targets = _table(self.targets_model)
        self.enrolments = QTextBrowser()
        self.tabs = QTabWidget()
        self.tabs.addTab(
            _or_sentence(self.assessments, "No assessments or exam results recorded yet. "
                         "Record one with Record assessment (Alt+A)."),
            "Assessments && exams",
        )  # fmt: skip
        self.tabs.addTab(self.notes, "Progress notes")
        self.tabs.addTab(
            _or_sentence(self.targets, "No targets set yet. Set one with Set target (Alt+T)."),
            "Targets",
        )
        self.tabs.addTab(self.enrolments, "Enrolments")
        header = self.targets.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.heading, 1)
        left = QVBoxLayout()
        left.addWidget(self.details)
        left.addWidget(self.care)
        left.addWidget(self.attendance)
        left.addStretch(1)
        upper = QHBoxLayout()
        upper.addLayout(left, 2)
        upper.addWidget(self.chart, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(upper)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)

    def show_page(self, page: PupilPage) -> None:
        self.page = page
        d = page.details
        self.heading.setText(d.name)
        year = f"Year {d.year_group}" if d.year_group is not None else "Year not known"
        facts = [d.school, year]
        if d.preferred_name:
            facts.append(f"known as {d.preferred_name} (registered as {d.given_name})")
        if d.status != "active":
            facts.append("withdrawn")
        facts.extend(d.flags)
        facts.append("photos allowed" if d.photo_consent else "no photos")
        self.details.setText(" · ".join(facts))
        self.care.setText(f"Care note: {d.care_note}" if d.care_note else "")
        self.care.setVisible(bool(d.care_note))
        self.attendance.setText(attendance_text(page.term) + "<br>" + attendance_text(page.year))
        self.chart.set_series(page.chart)
        self.chart.setToolTip(self.chart.describe())
        self.assessments_model.set_rows(list(page.assessments))
        self.targets_model.set_rows(list(page.targets))
        for view, rows in ((self.assessments, page.assessments), (self.targets, page.targets)):
            stack = view.parentWidget()
            if isinstance(stack, QStackedWidget):
                stack.setCurrentIndex(1 if rows else 0)
        self.notes.setHtml(self._notes_html())
        self.enrolments.setHtml(self._enrolments_html())
        self.tabs.setTabText(
            0,
            f"Assessments && exams ({len(page.assessments)})"
            if page.assessments
            else "Assessments && exams",
        )
        self.revise_button.setEnabled(bool(page.notes))
        self.achieved_button.setEnabled(any(t.achieved_on is None for t in page.targets))

    def _notes_html(self) -> str:
        page = self.page
        if page is None or not page.notes:
            return "<p>No progress notes yet. Add one with Add note (Alt+N).</p>"
        parts = []
        for n in page.notes:
            parts.append(f"<p><b>{n.written_at:%-d %b %Y}</b> — {_esc(n.text)}</p>")
            for at, text in n.earlier:
                parts.append(
                    f"<p style='color:#777; margin-left:18px'>earlier ({at:%-d %b %Y}): "
                    f"{_esc(text)}</p>"
                )
        return "".join(parts)

    def _enrolments_html(self) -> str:
        page = self.page
        if page is None or not page.enrolments:
            return "<p>Not enrolled in any group at the moment.</p>"
        rows = []
        for e in page.enrolments:
            until = f"to {e.end_date:%-d %b %Y}" if e.end_date else "continuing"
            rows.append(
                f"<p><b>{_esc(e.group)}</b> — {_esc(e.instrument or 'no instrument')}, "
                f"{_esc(e.kind)}, {_esc(e.school)}; from {e.start_date:%-d %b %Y}, {until}</p>"
            )
        return "".join(rows)


def _or_sentence(view: QTableView, sentence: str) -> QStackedWidget:
    """The table, or a sentence saying it is empty and what to do."""
    label = QLabel(sentence)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    stack = QStackedWidget()
    stack.addWidget(label)
    stack.addWidget(view)
    return stack


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
    )
