"""Background sync for the window: periodically and soon after changes, never on the GUI
thread, one at a time; says in the status bar what it is doing."""

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from hms_desktop.data.engine import Database
from hms_desktop.domain.errors import HmsError
from hms_desktop.services.sync import SyncStatus, server_of, sync_status
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.engine import SyncEngine, SyncReport

from .events import DataEvents
from .runner import Job, start

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
        self.last_error = ""
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
        if kind != "sync":
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
        self.status_changed.emit("Syncing…")
        return self._job

    def _progress(self, done: int, total: int) -> None:
        if total:
            self.status_changed.emit(f"Syncing {done} of {total}")

    def _done(self, report: SyncReport) -> None:
        self._job, self._offline, self.last_error = None, False, ""
        self._events.data_changed.emit("sync", [])
        self.refresh_status()
        self.finished.emit(report)

    def _failed(self, message: str) -> None:
        self._job, self._offline, self.last_error = None, True, message
        self.refresh_status()
        self.finished.emit(message)

    def refresh_status(self) -> SyncStatus | None:
        try:
            status = sync_status(self._db)
        except HmsError:
            return None
        self.status_changed.emit(
            describe(
                status.signed_in,
                self._offline,
                status.waiting,
                status.needs_attention,
                status.last_synced_at,
            )
        )
        return status


def describe(
    signed_in: bool, offline: bool, waiting: int, attention: int, last: datetime | None
) -> str:
    parts = []
    if not signed_in:
        parts.append("Not signed in")
    elif offline or last is None:
        parts.append("Offline")
    else:
        local = last.replace(tzinfo=UTC).astimezone()
        parts.append(f"Synced at {local:%H:%M}")
    if waiting:
        parts.append(f"{waiting} change{'s' if waiting != 1 else ''} waiting to be sent")
    elif signed_in and not offline and last is not None:
        parts.append("all changes sent")
    if attention:
        parts.append(f"{attention} need{'s' if attention == 1 else ''} attention")
    return "  ·  ".join(parts)
