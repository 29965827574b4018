"""The sync engine: push the outbox, then pull central's changes; lose nothing, apply nothing
twice. One sync at a time per database.

Push: entries are frozen into a batch (state ``batched``) before sending; an unanswered batch is
resent identically, under the same Idempotency-Key, until central answers; the answers are
stored in one transaction. Pull: each page and its cursor are applied in one transaction; a new
epoch (central restored from a backup) starts the pull again from the beginning.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from filelock import FileLock, Timeout

from hms_desktop.data.clock import utcnow
from hms_desktop.data.engine import Database
from hms_desktop.data.outbox import NEEDS_ATTENTION, WAITING, OutboxState
from hms_desktop.data.sync_store import (
    SettingKey,
    apply_page,
    counts,
    get,
    next_batch,
    pulling,
    put,
    record_results,
    requeue_for_cover,
    set_aside_rows,
    unsent_rows,
)
from hms_protocol import MAX_BATCH, MAX_PULL_PAGE, Op, PushRequest

from .client import CentralClient
from .credentials import load_refresh_token, save_refresh_token
from .errors import Offline, SignInNeeded, SyncBusy

SERVER, DEVICE, CURSOR, EPOCH, LAST_SYNC = (
    SettingKey.SERVER,
    SettingKey.DEVICE,
    SettingKey.CURSOR,
    SettingKey.EPOCH,
    SettingKey.LAST_SYNC,
)
ATTEMPTS = 5


def sync_lock(db: Database) -> FileLock:
    """One sync at a time per database, across threads and processes (two app windows, the
    command line): a lock file beside the database."""
    return FileLock(f"{db.path}.sync-lock", timeout=0, thread_local=False)


@dataclass
class SyncReport:
    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    skipped_unsent: int = 0
    set_aside: int = 0
    resent_for_cover: int = 0
    full_repull: bool = False
    waiting: int = 0
    needs_attention: int = 0
    finished_at: datetime | None = None
    notes: list[str] = field(default_factory=list)


Progress = Callable[[str, int, int], None]


class SyncEngine:
    def __init__(
        self,
        db: Database,
        client: CentralClient,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        batch_size: int = MAX_BATCH,
        page_size: int = MAX_PULL_PAGE,
        cancelled: Callable[[], bool] = lambda: False,
    ):
        self.db = db
        self.client = client
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._access: str | None = None
        self.batch_size = batch_size
        self.page_size = page_size
        self._cancelled = cancelled

    # --- credentials -------------------------------------------------------------------

    def _device(self) -> tuple[str, str]:
        with self.db.reading() as session:
            server, device = get(session, SERVER), get(session, DEVICE)
        if not server or not device:
            raise SignInNeeded("This laptop is not signed in to the music service yet.")
        return server, device

    def _refresh(self) -> str:
        server, device = self._device()
        refresh = load_refresh_token(server, device)
        if not refresh:
            raise SignInNeeded("Sign in again to sync (the sign-in is not on this computer).")
        answer = self.client.refresh(device, refresh)
        if answer.refresh_token:  # central rotates refresh tokens: keep the next one
            save_refresh_token(server, device, answer.refresh_token)
        self._access = answer.access_token
        return self._access

    def _with_retries(self, call: Callable[[str], object]) -> object:
        """Run a request, refreshing the access token on 401 and retrying on time-outs, 5xx and
        garbled replies with exponential backoff and jitter. The same request is resent."""
        refreshed = False
        for attempt in range(ATTEMPTS):
            try:
                return call(self._access or self._refresh())
            except SignInNeeded:
                if refreshed:
                    raise
                refreshed = True
                self._refresh()
            except Offline:
                if attempt == ATTEMPTS - 1:
                    raise
                self._sleep(min(30.0, 0.5 * 2**attempt) * (0.5 + self._rng.random()))
        raise Offline("The server did not answer.")

    # --- the sync ----------------------------------------------------------------------

    def sync(self, progress: Progress | None = None) -> SyncReport:
        lock = sync_lock(self.db)
        try:
            lock.acquire()
        except Timeout:
            raise SyncBusy("A sync is already running.") from None
        try:
            report = SyncReport()
            self.push(report, progress)
            self.pull(report, progress)
            if report.resent_for_cover:
                self.push(report, progress)  # marks refused before the cover reached central
            with self.db.transaction() as session:
                put(session, LAST_SYNC, utcnow().isoformat(timespec="seconds"))
                states = counts(session)
                aside = len(set_aside_rows(session))
            report.waiting = sum(states.get(s, 0) for s in WAITING)
            report.needs_attention = sum(states.get(s, 0) for s in NEEDS_ATTENTION) + aside
            report.finished_at = utcnow()
            return report
        finally:
            lock.release()

    def push(self, report: SyncReport, progress: Progress | None = None) -> None:
        with self.db.reading() as session:
            states = counts(session)
        total = sum(states.get(s, 0) for s in WAITING)
        while not self._cancelled():
            with self.db.transaction() as session:
                batch_id, entries = next_batch(session, self.batch_size)
                ops = [
                    Op(
                        op_id=e.op_id,
                        entity=e.entity,
                        entity_id=e.entity_id,
                        op=e.op,
                        base_version=e.base_version,
                        fields=e.fields,
                        client_ts=e.client_ts,
                    )
                    for e in entries
                ]
            if not batch_id:
                return
            request = PushRequest(ops=ops)
            response = self._with_retries(
                lambda access, b=batch_id, r=request: self.client.push(access, b, r)
            )
            answers = [o.model_dump() for o in response.results]  # type: ignore[attr-defined]
            with self.db.transaction() as session:
                record_results(session, batch_id, answers)
            for a in answers:
                report.pushed += 1
                key = {
                    OutboxState.APPLIED: "applied",
                    OutboxState.DUPLICATE: "duplicates",
                    OutboxState.CONFLICT: "conflicts",
                    OutboxState.REJECTED: "rejected",
                }[OutboxState(a["result"])]
                setattr(report, key, getattr(report, key) + 1)
            if progress:
                progress("push", report.pushed, total)

    def pull(self, report: SyncReport, progress: Progress | None = None) -> None:
        while not self._cancelled():
            with self.db.reading() as session:
                cursor = int(get(session, CURSOR) or 0)
                known_epoch = get(session, EPOCH)
            page = self._with_retries(
                lambda access, c=cursor: self.client.pull(access, c, self.page_size)
            )
            if known_epoch and page.epoch != known_epoch:  # type: ignore[attr-defined]
                # Central was restored: start again from the beginning; the outbox is kept.
                with self.db.transaction() as session:
                    put(session, CURSOR, "0")
                    put(session, EPOCH, page.epoch)  # type: ignore[attr-defined]
                report.full_repull = True
                continue
            with self.db.transaction() as session:
                pulling(session)
                unsent = unsent_rows(session)
                changes = page.changes  # type: ignore[attr-defined]
                applied, skipped, aside = apply_page(session, changes, unsent)
                report.pulled += applied
                report.skipped_unsent += skipped
                report.set_aside += aside
                if any(c.entity == "cover" and not c.deleted for c in changes):
                    report.resent_for_cover += requeue_for_cover(session)
                put(session, CURSOR, str(page.next_cursor))  # type: ignore[attr-defined]
                put(session, EPOCH, page.epoch)  # type: ignore[attr-defined]
            if progress:
                progress("pull", report.pulled, report.pulled)
            if not page.more:  # type: ignore[attr-defined]
                return
