"""Logging without personal data: events and error types go to a file, never names or notes."""

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from hms_desktop.paths import make_private_dirs

log = logging.getLogger("hms_desktop")


def setup(directory: Path) -> Path | None:
    try:
        make_private_dirs(directory)
        path = directory / "hms-desktop.log"
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        path.chmod(0o600)
    except OSError:
        return None  # logging is a convenience; never stop a tutor working over it
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


def safe_traceback(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """Where it failed and what kind of error, without the message: database errors quote the
    row they were writing, which may hold a child's name."""
    frames = traceback.format_tb(tb)
    return "".join(frames) + f"{exc_type.__module__}.{exc_type.__qualname__} (message withheld)"


def log_unexpected(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    log.error("unexpected error:\n%s", safe_traceback(exc_type, tb))
    del exc


def install_excepthook(log_path: Path | None = None) -> None:
    previous = sys.excepthook

    def hook(exc_type, exc, tb):
        log_unexpected(exc_type, exc, tb)
        if previous is not sys.__excepthook__:
            previous(exc_type, exc, tb)

    sys.excepthook = hook
