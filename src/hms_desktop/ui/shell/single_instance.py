"""One app per profile: the first start holds a lock beside the database and listens on a
local socket; a second start asks the first to come forward and exits, never opening the
database a second time."""

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

WAKE = b"show\n"


def _names(db_path: Path) -> tuple[str, str]:
    resolved = db_path.resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:16]
    return str(resolved) + ".app-lock", f"hms-tutor-{digest}"


class SingleInstance(QObject):
    """Holds the profile for this process; ``woken`` fires when another start asks for us."""

    woken = Signal()

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        lock_path, self._name = _names(db_path)
        self._lock = QLockFile(lock_path)
        self._lock.setStaleLockTime(0)  # a crashed holder's lock is detected by its pid
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True if this process now holds the profile; False if another copy is running (it
        has been asked to come to the front)."""
        if self._lock.tryLock(100):
            QLocalServer.removeServer(self._name)  # left behind by a crash
            self._server = QLocalServer(self)
            self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
            self._server.newConnection.connect(self._wake)
            self._server.listen(self._name)
            return True
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if socket.waitForConnected(1000):
            socket.write(WAKE)
            socket.waitForBytesWritten(1000)
            socket.disconnectFromServer()
        return False

    def _wake(self) -> None:
        assert self._server is not None
        while (connection := self._server.nextPendingConnection()) is not None:
            connection.disconnected.connect(connection.deleteLater)
            connection.disconnectFromServer()
            self.woken.emit()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
        self._lock.unlock()
