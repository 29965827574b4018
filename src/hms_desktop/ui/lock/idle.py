"""Locking after idle time: cover every name, stop background work, close the store and drop
the key; the PIN prompt on the cover opens it again in place."""

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QToolBar, QWidget

from hms_desktop import APP_NAME
from hms_desktop.data.engine import Database
from hms_desktop.data.keys import KeyFile, key_file_of
from hms_desktop.services import unlock as svc
from hms_desktop.sync.client import CentralClient

from .pin_prompt import PinPrompt

DEFAULT_IDLE_S = 5 * 60
ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
BACKGROUND_WAIT_MS = 60_000  # a sync batch in flight finishes (it is one transaction)


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        window: QMainWindow,
        db: Database,
        on_lock: Callable[[], None],
        on_unlock: Callable[[], None],
        *,
        idle_seconds: float = DEFAULT_IDLE_S,
        clock: Callable[[], float] = time.monotonic,
        client_factory: Callable[[str], CentralClient] = CentralClient,
    ) -> None:
        super().__init__(window)
        self._window, self._db = window, db
        self._on_lock, self._on_unlock = on_lock, on_unlock
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._client_factory = client_factory
        self._last = clock()
        self._content: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._title = ""
        self.cover: QWidget | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(5000)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        QApplication.instance().installEventFilter(self)

    @property
    def is_locked(self) -> bool:
        return self.cover is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self._last = self._clock()
        return False

    def check(self) -> None:
        if not self.is_locked and self._clock() - self._last >= self.idle_seconds:
            self.lock_now()

    def lock_now(self) -> None:
        if self.is_locked:
            return
        window = self._window
        # 1. Names off the screen first.
        self._title = window.windowTitle()
        window.setWindowTitle(APP_NAME)
        self._content = window.takeCentralWidget()
        status = window.statusBar()
        status.clearMessage()  # "Marked Zeynep Öztürk present"…
        bars = (*window.findChildren(QToolBar), *_dock_widgets(window), status)
        self._hidden = [w for w in bars if w.isVisible()]
        for widget in self._hidden:
            widget.hide()
        dialogs = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
        ]
        for dialog in dialogs:
            cancel = getattr(dialog, "cancel", None)  # a dialog with a batch running
            if callable(cancel):
                cancel()  # a cancelled certificate batch leaves no file and no record
            dialog.hide()
        self.cover = self._make_cover()
        window.setCentralWidget(self.cover)
        # 2. Background work: the shell cancels batches and stops timers; a sync in flight
        # completes its batch or stops between batches, never half-way through one.
        self._on_lock()
        QThreadPool.globalInstance().waitForDone(BACKGROUND_WAIT_MS)
        QApplication.processEvents()  # deliver the jobs' last signals before the store closes
        for dialog in dialogs:
            dialog.reject()
            for timer in dialog.findChildren(QTimer):
                timer.stop()  # e.g. a preview about to read the store that is closing
        # 3. The store closes and the key is overwritten.
        svc.lock_store(self._db)
        self.locked.emit()

    def _make_cover(self) -> PinPrompt:
        kf = KeyFile.load(key_file_of(self._db.path))
        state = svc.ProfileState.LOCKED_OUT if kf.locked_out else svc.ProfileState.LOCKED
        prompt = PinPrompt(
            state,
            choose=lambda _p, _c: None,
            enter=lambda pin: svc.unlock_store(self._db, pin),
            recover=lambda code, pin, again: svc.unlock_store_with_recovery_code(
                self._db, code, pin, again
            ),
            sign_in=lambda client, email, pw: svc.lift_lock_out_by_sign_in(
                self._db.path, client, email, pw
            ),
            server=kf.server or "",
            client_factory=self._client_factory,
        )
        prompt.done.connect(self._reopened)
        return prompt

    def _reopened(self) -> None:
        window = self._window
        cover = window.takeCentralWidget()
        if cover is not None:
            cover.deleteLater()
        self.cover = None
        if self._content is not None:
            window.setCentralWidget(self._content)
            self._content.show()  # taken out of the window, it had been hidden
        self._content = None
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        window.setWindowTitle(self._title)
        self._last = self._clock()
        self._on_unlock()
        self.unlocked.emit()


def _dock_widgets(window: QMainWindow) -> list[QWidget]:
    from PySide6.QtWidgets import QDockWidget

    return list(window.findChildren(QDockWidget))


def install_idle_lock(
    window: QMainWindow,
    db: Database,
    on_lock: Callable[[], None],
    on_unlock: Callable[[], None],
    **options,
) -> IdleLock:
    """Lock ``window`` after ``idle_seconds`` (default 5 minutes) without keyboard or mouse.
    ``on_lock`` must stop the shell's background work (cancel batches, stop sync timers); the
    store is closed after it. ``on_unlock`` runs once the same ``db`` handle is open again:
    restart timers, refresh. Options: ``idle_seconds``, ``clock``, ``client_factory``."""
    return IdleLock(window, db, on_lock, on_unlock, **options)
