"""The Ensembles page: the ensembles the tutor leads on the left; on the right, the chosen one's
roster (by section and seat, moves, joiners and leavers, printouts) and its rehearsal register
(the register core with the ensemble codes)."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.domain.errors import HmsError
from hms_desktop.services import ensembles
from hms_desktop.services.certificates import PrintedFrom
from hms_desktop.services.ensembles.printouts import (
    default_name,
    paper_register_pdf,
    roster_pdf,
    seating_plan_pdf,
)

from ..common.context import PageContext
from ..common.events import ChangeKind
from ..common.runner import Job, start
from ..register.rehearsal import RehearsalRegister
from ..register.view import RegisterView
from .models import KIND, MEMBERS, NAME, SLOT, EnsemblesModel
from .performances_panel import PerformancesPanel
from .roster_panel import RosterPanel

NARROW_LIST = 340  # pixels: below this the ensembles list shows only name and kind


def ensembles_page(context: PageContext) -> "EnsemblesPage":
    return EnsemblesPage(context)


class EnsemblesPage(QWidget):
    # (pupil ids, title, day, PrintedFrom): the shell opens the certificates flow with the
    # ensemble template, naming the ensemble (and performance) printed from
    certificates_requested = Signal(list, str, object, object)

    def __init__(self, context: PageContext) -> None:
        super().__init__()
        self._ctx = context
        self.jobs: list[Job] = []
        # Where a printout is saved; tests answer it without a dialog.
        self.ask_save_path: Callable[[str], Path | None] = self._save_dialog

        self.list_model = EnsemblesModel(self)
        self.list = QTableView()
        self.list.setObjectName("ensembles")
        self.list.setModel(self.list_model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setTabKeyNavigation(False)
        self.list.verticalHeader().hide()
        header = self.list.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((KIND, 84), (SLOT, 86), (MEMBERS, 66)):
            header.resizeSection(col, width)
        self.list.setWordWrap(True)
        self.list.verticalHeader().setDefaultSectionSize(44)
        self.list.setMinimumWidth(160)
        self.list.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._chosen(cur.row())
        )
        self.list.activated.connect(lambda _i: self.roster.table.setFocus())

        self.roster = RosterPanel(context)
        self.roster.status_message.connect(context.say)
        self.print_button = QToolButton()
        self.print_button.setText("&Print")
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.print_button)
        menu.addAction("&Seating plan (PDF)…", self.print_seating_plan)
        menu.addAction("&Roster by section (PDF)…", self.print_roster)
        menu.addAction("&Paper register for the rehearsal day (PDF)…", self.print_paper_register)
        menu.addSeparator()
        menu.addAction("Ensemble &certificates for every member…", self.ensemble_certificates)
        self.print_button.setMenu(menu)
        self.roster.tools.insertWidget(self.roster.tools.count() - 1, self.print_button)

        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.day.dateChanged.connect(lambda _d: self.open_rehearsal())
        day_label = QLabel("Rehearsal &day:")
        day_label.setBuddy(self.day)
        self.register_view = RegisterView(context)
        self.register_view.status_message.connect(context.say)
        self.register_view.certificates.hide()  # ensemble certificates: not yet from here
        self.rehearsal_message = QLabel()
        self.rehearsal_message.setWordWrap(True)
        rehearsal = QWidget()
        top = QHBoxLayout()
        top.addWidget(day_label)
        top.addWidget(self.day)
        top.addStretch(1)
        box = QVBoxLayout(rehearsal)
        box.addLayout(top)
        box.addWidget(self.rehearsal_message)
        box.addWidget(self.register_view, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.roster, "Ros&ter")
        self.tabs.addTab(rehearsal, "Rehear&sal register")
        self.performances = PerformancesPanel(context)
        self.performances.status_message.connect(context.say)
        self.performances.certificates_requested.connect(self._performer_certificates)
        self.tabs.addTab(self.performances, "Performan&ces")
        self.tabs.currentChanged.connect(lambda i: i == 1 and self.open_rehearsal())

        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([390, 980])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        QShortcut(
            QKeySequence("F6"),
            self,
            activated=self._cycle,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        context.events.data_changed.connect(self._data_changed)
        self.setFocusProxy(self.list)  # Ctrl+3 lands on the list of ensembles
        self.list.installEventFilter(self)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.Resize:
            # A narrow list (a 1024-wide screen) keeps the name and kind ("helping") in view;
            # the slot and size are in each row's tooltip.
            narrow = self.list.width() < NARROW_LIST
            for col in (SLOT, MEMBERS):
                self.list.setColumnHidden(col, narrow)
        return super().eventFilter(watched, event)

    # --- ensembles -------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.roster.roster
        try:
            found = ensembles.my_ensembles(self._ctx.db)
        except HmsError as err:
            self._ctx.say(str(err))
            found = []
        self.list_model.set_rows(found)
        keep = next(
            (
                i
                for i, e in enumerate(found)
                if current and e.ensemble_id == current.ensemble.ensemble_id
            ),
            0,
        )
        if found:
            self.list.selectRow(keep)
            self._chosen(keep)
        else:
            self.roster.show_roster(None)
            self.roster.subtitle.setText(
                "You do not lead an ensemble yet. The music service office assigns ensembles; "
                "sync to bring yours to this laptop."
            )

    def _chosen(self, row: int) -> None:
        summary = self.list_model.row_at(row)
        if summary is None:
            return
        try:
            roster = ensembles.roster_of(self._ctx.db, summary.ensemble_id)
        except HmsError as err:
            self._ctx.say(str(err))
            return
        self.roster.show_roster(roster)
        self.performances.show_ensemble(summary.ensemble_id, summary.venue)
        self._set_rehearsal_day(summary.weekday)
        if self.tabs.currentIndex() == 1:
            self.open_rehearsal()

    def _set_rehearsal_day(self, weekday: int | None) -> None:
        """The latest rehearsal day up to today (the one whose register is due)."""
        today = self._ctx.today()
        back = (today.weekday() - weekday) % 7 if weekday is not None else 0
        day = date.fromordinal(today.toordinal() - back)
        self.day.blockSignals(True)
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.day.blockSignals(False)

    def select(self, ensemble_id: str) -> bool:
        for i in range(self.list_model.rowCount()):
            e = self.list_model.row_at(i)
            if e is not None and e.ensemble_id == ensemble_id:
                self.list.selectRow(i)
                self._chosen(i)
                return True
        return False

    # --- rehearsal register ----------------------------------------------------------------

    @property
    def rehearsal_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def open_rehearsal(self) -> bool:
        roster = self.roster.roster
        if roster is None:
            return False
        backend = RehearsalRegister(self._ctx.db, roster.ensemble.ensemble_id, self.rehearsal_day)
        try:
            self.register_view.open(backend)
        except HmsError as err:
            self.rehearsal_message.setText(str(err))
            self.register_view.hide()
            return False
        self.rehearsal_message.clear()
        self.register_view.show()
        return True

    # --- printing --------------------------------------------------------------------------

    def print_seating_plan(self) -> Job | None:
        return self._print("seating-plan", "Seating plan", seating_plan_pdf)

    def print_roster(self) -> Job | None:
        return self._print("roster", "Roster", roster_pdf)

    def print_paper_register(self) -> Job | None:
        day = self.rehearsal_day
        return self._print(
            "register",
            "Paper register",
            lambda db, eid, out: paper_register_pdf(db, eid, day, out),
            day,
        )

    def _print(self, what: str, label: str, render, day: date | None = None) -> Job | None:
        """Ask where, then draw the PDF through the background runner."""
        roster = self.roster.roster
        if roster is None:
            return None
        out = self.ask_save_path(default_name(roster, what, day))
        if out is None:
            return None
        ensemble_id = roster.ensemble.ensemble_id
        job = Job(lambda _progress, _cancelled: render(self._ctx.db, ensemble_id, out))
        job.signals.finished.connect(lambda path: self._ctx.say(f"{label} saved to {path}."))
        job.signals.failed.connect(self._ctx.say)
        self.jobs.append(job)
        return start(job)

    def ensemble_certificates(self) -> None:
        roster = self.roster.roster
        if roster is not None and roster.rows:
            self.certificates_requested.emit(
                [r.pupil_id for r in roster.rows],
                roster.ensemble.name,
                self._ctx.today(),
                PrintedFrom(roster.ensemble.ensemble_id),
            )

    def _performer_certificates(self, pupil_ids: list, title: str, on: date) -> None:
        roster, performance = self.roster.roster, self.performances.current_performance()
        if roster is None or performance is None:
            return
        source = PrintedFrom(roster.ensemble.ensemble_id, performance.performance_id)
        self.certificates_requested.emit(pupil_ids, title, on, source)

    def _save_dialog(self, name: str) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Save the printout", str(Path.home() / name), "PDF (*.pdf)"
        )
        return Path(path) if path else None

    # --- focus and changes -----------------------------------------------------------------

    def _cycle(self) -> None:
        stops = (
            [self.list, self.roster.table]
            if self.tabs.currentIndex() == 0
            else [
                self.list,
                self.register_view.table,
            ]
        )
        at = next((i for i, w in enumerate(stops) if w.hasFocus()), -1)
        stops[(at + 1) % len(stops)].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _data_changed(self, kind: str, _ids: list) -> None:
        if kind == ChangeKind.SYNC:
            self.refresh()
            self.register_view.reload_if_idle()
        elif kind == ChangeKind.ATTENDANCE and self.roster.roster is not None:
            self.roster.reload()  # attendance rates and missed-in-a-row follow the register
