"""The Pupils page: type to find a pupil (forgiving of case, accents and script), Enter opens
their progress page; a teaching group's assessment and parents' reports from the bar above."""

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.domain.errors import HmsError
from hms_desktop.services.progress import (
    Recorded,
    find_pupils,
    frameworks,
    mark_target_achieved,
    my_groups,
    pupil_page,
    record_assessment,
    set_target,
    write_note,
)

from ..common.context import PageContext
from ..common.events import ChangeKind
from .dialogs import AssessmentDialog, TextDialog
from .group_dialog import GroupAssessmentDialog
from .models import ID_ROLE, NAME, PupilListModel
from .pupil_view import PupilView
from .report_dialog import ReportDialog
from .undo import AchievedCommand, WithdrawCommand

REFRESHED_BY = {ChangeKind.PROGRESS, ChangeKind.ATTENDANCE, ChangeKind.SYNC, ChangeKind.LESSON}


class PupilsPage(QWidget):
    def __init__(self, context: PageContext) -> None:
        super().__init__()
        self._ctx = context
        self.dialog = None  # the dialog open now, for tests and screenshots
        self._stale = False  # data changed while the page was hidden
        title = QLabel("Pupils")
        title.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setObjectName("pupilSearch")
        self.search.setPlaceholderText("Type a name — any spelling, with or without accents")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh_list)
        self.search.returnPressed.connect(self.open_current)
        self.search.installEventFilter(self)
        self.count = QLabel()
        self.groups = QComboBox()
        self.groups.setObjectName("groups")
        self.groups.setMinimumContentsLength(24)
        group_label = QLabel("Gro&up")
        group_label.setBuddy(self.groups)
        self.group_button = QPushButton("Group &assessment…")
        self.group_button.clicked.connect(lambda: self.open_group_assessment())
        self.reports_button = QPushButton("Progress re&ports…")
        self.reports_button.clicked.connect(self.open_group_reports)

        bar = QHBoxLayout()
        search_label = QLabel("&Search")  # Alt+S; Ctrl+F stays "find a group to cover"
        search_label.setBuddy(self.search)
        bar.addWidget(title)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        bar.addWidget(group_label)
        bar.addWidget(self.groups)
        bar.addWidget(self.group_button)
        bar.addWidget(self.reports_button)

        self.model = PupilListModel(self)
        self.table = QTableView()
        self.table.setObjectName("pupilList")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate((0, 90, 200, 44, 190, 90, 130, 120)):
            if width:
                header.resizeSection(col, width)
        self.table.activated.connect(lambda _i: self.open_current())

        self.list_page = QWidget()
        list_layout = QVBoxLayout(self.list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(bar)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.count)

        self.pupil = PupilView()
        self.pupil.back.connect(self.show_list)
        self.pupil.record_button.clicked.connect(self.record_assessment)
        self.pupil.note_button.clicked.connect(lambda: self.write_note(False))
        self.pupil.revise_button.clicked.connect(lambda: self.write_note(True))
        self.pupil.target_button.clicked.connect(self.set_target)
        self.pupil.achieved_button.clicked.connect(self.target_achieved)
        self.pupil.report_button.clicked.connect(self.open_pupil_report)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.pupil)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.pupil, activated=self.show_list)
        QShortcut(QKeySequence("Alt+Left"), self.pupil, activated=self.show_list)
        context.events.data_changed.connect(self._data_changed)
        self.setFocusProxy(self.search)  # Ctrl+2 lands in the search box
        self._frameworks = frameworks(context.db)
        self.refresh_groups()
        self.refresh_list()

    # --- the list -------------------------------------------------------------------------

    def refresh_list(self) -> None:
        found = find_pupils(self._ctx.db, self.search.text(), self._ctx.today())
        self.model.set_rows(list(found.rows))
        header = self.table.horizontalHeader()
        if (
            header.sortIndicatorSection() != NAME
            or header.sortIndicatorOrder() != Qt.SortOrder.AscendingOrder
        ):
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if found.rows:
            self.table.selectRow(0)
        if found.total == 0:
            self.count.setText(
                "No pupil of yours has a name like that. Try fewer letters, or another spelling."
                if self.search.text().strip()
                else "You have no pupils on this laptop yet: sync (Ctrl+4) to fetch your groups."
            )
        elif found.more:
            self.count.setText(
                f"Showing the first {len(found.rows):,} pupils by name: type more of a name to "
                "narrow the list."
            )
        else:
            self.count.setText(f"{found.total:,} pupil{'s' if found.total != 1 else ''}")

    def refresh_groups(self) -> None:
        chosen = self.groups.currentData()
        self.groups.clear()
        for g in my_groups(self._ctx.db, self._ctx.today()):
            self.groups.addItem(f"{g.name} — {g.school} ({g.pupils})", g.group_id)
        index = self.groups.findData(chosen)
        self.groups.setCurrentIndex(max(0, index))
        has = self.groups.count() > 0
        self.group_button.setEnabled(has)
        self.reports_button.setEnabled(has)

    def focus_search(self) -> None:
        self.show_list()
        self.search.setFocus()
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down in the search box move through the list (focus stays in the box)."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
                row = self.table.currentIndex().row()
                row = row + (1 if key == Qt.Key.Key_Down else -1)
                row = max(0, min(self.model.rowCount() - 1, row))
                self.table.selectRow(row)
                return True
        return super().eventFilter(watched, event)

    def current_pupil_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.data(self.model.index(index.row(), 0), ID_ROLE)

    def open_current(self) -> None:
        pupil_id = self.current_pupil_id()
        if pupil_id:
            self.open_pupil(pupil_id)

    # --- one pupil ------------------------------------------------------------------------

    def open_pupil(self, pupil_id: str) -> None:
        try:
            page = pupil_page(self._ctx.db, pupil_id, self._ctx.today())
        except HmsError as err:
            self._ctx.say(str(err))
            return
        self.pupil.show_page(page)
        self.stack.setCurrentWidget(self.pupil)
        self.setFocusProxy(self.pupil.record_button)
        self.pupil.record_button.setFocus()

    def show_list(self) -> None:
        if self.stack.currentWidget() is self.list_page:
            return
        self.stack.setCurrentWidget(self.list_page)
        self.setFocusProxy(self.search)
        self.table.setFocus()

    def _reload_pupil(self) -> None:
        if self.pupil.page is not None and self.stack.currentWidget() is self.pupil:
            self.open_pupil(self.pupil.page.details.pupil_id)

    def _data_changed(self, kind: str, _ids: list) -> None:
        if kind not in REFRESHED_BY:
            return
        if not self.isVisible():  # a register being marked on Today: catch up when shown
            self._stale = True
            return
        self._refresh_all(kind)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._refresh_all(ChangeKind.SYNC)

    def _refresh_all(self, kind: str) -> None:
        self._stale = False
        if kind == ChangeKind.SYNC:
            self._frameworks = frameworks(self._ctx.db)
            self.refresh_groups()
        current = self.current_pupil_id()
        self.refresh_list()
        if current:
            for row in range(self.model.rowCount()):
                if self.model.row_at(row).pupil_id == current:
                    self.table.selectRow(row)
        self._reload_pupil()

    def _done(self, error: str | None) -> None:
        if error:
            self._ctx.say(error)
        self._ctx.events.changed(ChangeKind.PROGRESS, [])

    def _recorded(self, text: str, kind: Recorded, made: str, replaced: str | None = None):
        self._ctx.undo.push(
            WithdrawCommand(
                text, self._ctx.db, kind, [made], [replaced] if replaced else [], self._done
            )
        )
        self._ctx.say(f"{text}: saved.")
        self._ctx.events.changed(ChangeKind.PROGRESS, [self.pupil.page.details.pupil_id])

    def _run(self, dialog, save) -> None:
        """Show a dialog until what it holds is saved (or it is cancelled)."""
        self.dialog = dialog
        while dialog.exec():
            try:
                save(dialog)
            except HmsError as err:
                dialog.show_problem(str(err))
                continue
            break
        self.dialog = None

    def record_assessment(self) -> None:
        page = self.pupil.page
        if page is None:
            return
        dialog = AssessmentDialog(page.details.name, self._frameworks, self._ctx.today(), self)
        pupil = page.details.pupil_id
        instrument = None

        def save(d: AssessmentDialog) -> None:
            made = record_assessment(self._ctx.db, pupil, instrument_id=instrument, **d.values())
            self._recorded(f"Assessment for {page.details.name}", Recorded.ASSESSMENT, made)

        self._run(dialog, save)

    def write_note(self, revise: bool) -> None:
        page = self.pupil.page
        if page is None:
            return
        earlier = page.notes[0] if revise and page.notes else None
        title = "Revise the latest note" if earlier else "Add a progress note"
        dialog = TextDialog(
            f"{title} — {page.details.name}", "&Note", earlier.text if earlier else "", parent=self
        )

        def save(d: TextDialog) -> None:
            made = write_note(
                self._ctx.db, page.details.pupil_id, d.typed(), earlier.note_id if earlier else None
            )
            self._recorded(f"Note for {page.details.name}", Recorded.NOTE, made)

        self._run(dialog, save)

    def set_target(self) -> None:
        page = self.pupil.page
        if page is None:
            return
        dialog = TextDialog(
            f"Set a target — {page.details.name}", "&Target", on=self._ctx.today(), parent=self
        )

        def save(d: TextDialog) -> None:
            day = d.day.date().toPython() if d.day else self._ctx.today()
            made = set_target(self._ctx.db, page.details.pupil_id, d.typed(), day)
            self._recorded(f"Target for {page.details.name}", Recorded.TARGET, made)

        self._run(dialog, save)

    def target_achieved(self) -> None:
        page = self.pupil.page
        if page is None:
            return
        index = self.pupil.targets.currentIndex()
        chosen = self.pupil.targets_model.row_at(index.row()) if index.isValid() else None
        if chosen is None or chosen.achieved_on is not None:
            chosen = next((t for t in page.targets if t.achieved_on is None), None)
        if chosen is None:
            return
        today = self._ctx.today()
        try:
            mark_target_achieved(self._ctx.db, chosen.target_id, today)
        except HmsError as err:
            self._ctx.say(str(err))
            return
        text = f"Target achieved for {page.details.name}"
        self._ctx.undo.push(
            AchievedCommand(text, self._ctx.db, chosen.target_id, None, today, self._done)
        )
        self._ctx.events.changed(ChangeKind.PROGRESS, [page.details.pupil_id])

    # --- a group --------------------------------------------------------------------------

    def open_group_assessment(
        self, group_id: str | None = None, name: str | None = None
    ) -> GroupAssessmentDialog | None:
        """A teaching group's assessment: the group chosen here, or one a register names."""
        group_id = group_id or self.groups.currentData()
        if not group_id:
            return None
        if name is None:
            name = self.groups.itemText(max(0, self.groups.findData(group_id))).split(" — ")[0]
        dialog = GroupAssessmentDialog(self._ctx, group_id, name, self._frameworks, self)
        self.dialog = dialog
        dialog.exec()
        self.dialog = None
        return dialog

    def open_group_reports(self) -> None:
        group_id = self.groups.currentData()
        if group_id:
            self._open_reports(group_id=group_id, pupil_ids=None)

    def open_pupil_report(self) -> None:
        if self.pupil.page is not None:
            self._open_reports(group_id=None, pupil_ids=[self.pupil.page.details.pupil_id])

    def _open_reports(self, group_id: str | None, pupil_ids: list[str] | None) -> None:
        dialog = ReportDialog(self._ctx, group_id, pupil_ids, self)
        self.dialog = dialog
        dialog.exec()
        self.dialog = None


def pupils_page(context: PageContext) -> PupilsPage:
    return PupilsPage(context)
