"""Background sync for the window: periodically and soon after changes, never on the GUI
thread, one at a time; says in the status bar what it is doing."""

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from hms_desktop.data.engine import Database
from hms_desktop.domain.errors import HmsError
from hms_desktop.services.account import waiting_in_words
from hms_desktop.services.sync import SyncStatus, server_of, sync_status
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.engine import SyncEngine, SyncReport

from ..common.events import ChangeKind, DataEvents
from ..common.runner import Job, start

PERIOD_MS = 5 * 60 * 1000
AFTER_CHANGE_MS = 20 * 1000


class SyncController(QObject):
    status_changed = Signal(str)
    finished = Signal(object)  # SyncReport, or the error message

    def __init__(
        self,
        db: Database,
        events: DataEvents,
        client_factory: Callable[[str], CentralClient] = CentralClient,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._events = events
        self._client_factory = client_factory
        self._job: Job | None = None
        self._offline = False
        self._progress_text = ""
        self.last_error = ""
        self.text = ""
        self.periodic = QTimer(self)
        self.periodic.setInterval(PERIOD_MS)
        self.periodic.timeout.connect(self.sync_now)
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.setInterval(AFTER_CHANGE_MS)
        self.soon.timeout.connect(self.sync_now)
        events.data_changed.connect(self._changed)

    def start(self) -> None:
        self.periodic.start()
        self.refresh_status()
        if server_of(self._db):
            QTimer.singleShot(1000, self.sync_now)

    @property
    def running(self) -> bool:
        return self._job is not None

    def _changed(self, kind: str, _ids: list) -> None:
        if kind != ChangeKind.SYNC:
            status = self.refresh_status()  # one read per change, on the GUI thread
            if status is not None and status.signed_in:
                self.soon.start()

    def sync_now(self) -> Job | None:
        if self._job is not None or not server_of(self._db):
            self.refresh_status()
            return None
        db, factory = self._db, self._client_factory
        server = server_of(db) or ""

        def work(progress, cancelled) -> SyncReport:
            client = factory(server)
            try:
                return SyncEngine(db, client, cancelled=cancelled).sync(
                    lambda _kind, done, total: progress(done, total)
                )
            finally:
                client.close()

        self._job = start(Job(work))
        self._job.signals.progress.connect(self._progress)
        self._job.signals.finished.connect(self._done)
        self._job.signals.failed.connect(self._failed)
        self._progress_text = "Syncing…"
        self.refresh_status()
        return self._job

    def _progress(self, done: int, total: int) -> None:
        if total:
            self._progress_text = f"Syncing {done} of {total}"
            self.refresh_status()

    def _done(self, report: SyncReport) -> None:
        self._job, self._offline, self.last_error = None, False, ""
        self._progress_text = ""
        self._events.changed(ChangeKind.SYNC)
        self.refresh_status()
        self.finished.emit(report)

    def _failed(self, message: str) -> None:
        self._job, self._offline, self.last_error = None, True, message
        self._progress_text = ""
        self.refresh_status()
        self.finished.emit(message)

    def refresh_status(self) -> SyncStatus | None:
        """Say what sync is doing and what waits, in words; while a sync runs it says so, never
        an earlier 'synced at'."""
        try:
            status = sync_status(self._db)
            waiting = waiting_in_words(self._db) if status.waiting else ""
        except HmsError:
            return None
        self.text = describe(
            status.signed_in,
            self._offline,
            waiting,
            status.needs_attention,
            status.last_synced_at,
            self._progress_text if self._job is not None else "",
        )
        self.status_changed.emit(self.text)
        return status


def describe(
    signed_in: bool,
    offline: bool,
    waiting: str,
    attention: int,
    last: datetime | None,
    syncing: str = "",
) -> str:
    parts = []
    if syncing:
        parts.append(syncing)
    elif not signed_in:
        parts.append("Not signed in")
    elif offline or last is None:
        parts.append("Offline")
    else:
        local = last.replace(tzinfo=UTC).astimezone()
        parts.append(f"Synced at {local:%H:%M}")
    if waiting:
        parts.append(waiting)
    elif signed_in and not offline and last is not None and not syncing:
        parts.append("everything sent")
    if attention:
        parts.append(f"{attention} need{'s' if attention == 1 else ''} attention")
    return "  ·  ".join(parts)
