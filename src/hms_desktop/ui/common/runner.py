"""The one way to run slow work: on the thread pool, reporting back by signal on the GUI thread."""

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from hms_desktop import logs
from hms_desktop.domain.errors import HmsError


class JobSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)


class Job(QRunnable):
    """Runs ``work(progress, cancelled)`` off the GUI thread; cancel() asks it to stop."""

    def __init__(self, work: Callable[[Callable[[int, int], None], Callable[[], bool]], Any]):
        super().__init__()
        self.signals = JobSignals()
        self._work = work
        self._cancel = threading.Event()
        self.thread_name = ""

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        self.thread_name = threading.current_thread().name
        try:
            result = self._work(self.signals.progress.emit, self._cancel.is_set)
        except HmsError as err:
            self.signals.failed.emit(str(err))
        except Exception as err:
            logs.log_unexpected(type(err), err, err.__traceback__)
            self.signals.failed.emit(
                "Something went wrong, so nothing was saved. Please try again."
            )
        else:
            self.signals.finished.emit(result)


def start(job: Job) -> Job:
    job.setAutoDelete(False)
    QThreadPool.globalInstance().start(job)
    return job
