"""The central service in a background thread on 127.0.0.1, for tests, benchmarks and demos."""

import threading
import time
from pathlib import Path

import uvicorn

from .app import create_app


class BackgroundServer:
    """uvicorn serving the central app from a SQLite file, in a thread; can be restarted on the
    same port."""

    def __init__(self, db: Path | str, **app_options) -> None:
        """``db``: a SQLite file's path, or any SQLAlchemy URL (PostgreSQL)."""
        self.db_url = db if isinstance(db, str) else f"sqlite:///{db}"
        self.app_options = app_options
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "BackgroundServer":
        self.app = create_app(self.db_url, **self.app_options)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="error",
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the central service did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            if self._thread is not None:
                self._thread.join(timeout=10)
            self._server = None

    def dispose(self) -> None:
        """Close the app's database connections (after stop)."""
        self.app.state.engine.dispose()

    def restart(self) -> None:
        self.stop()
        self.start()
