"""A batch of pages drawn in the background, as a dialog shows it: a progress bar, a cancel
button and a line saying what is happening ("Drawing report 3 of 30…"); one batch at a time.
Certificates and progress reports both print through it."""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from .runner import Job, start


class BatchProgress(QObject):
    def __init__(
        self, noun: str, nouns: str, status: QLabel, cancel_text: str, changed: Callable[[], None]
    ) -> None:
        super().__init__(status)
        self._noun, self._nouns, self._status = noun, nouns, status
        self._changed = changed  # told when a batch starts or stops (buttons follow)
        self._finished: Callable[[Any], None] = lambda _result: None
        self._failed: Callable[[str], None] = lambda _message: None
        self.job: Job | None = None
        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_button = QPushButton(cancel_text)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)

    @property
    def running(self) -> bool:
        return self.job is not None

    def run(
        self,
        work: Callable,
        total: int,
        finished: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> Job:
        """Start ``work(progress, cancelled)``; ``finished``/``failed`` follow once it stops."""
        self._finished, self._failed = finished, failed
        self.job = start(Job(work))
        # Bound methods of this QObject: the signals arrive on the GUI thread.
        self.job.signals.progress.connect(self._progress)
        self.job.signals.finished.connect(self._done)
        self.job.signals.failed.connect(self._stopped_with)
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self._status.setText(f"Preparing {total} {self._nouns}…")
        self._changed()
        return self.job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self._status.setText("Cancelling…")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        self._status.setText(f"Drawing {self._noun} {done} of {total}…")

    def _stop(self) -> None:
        self.job = None
        self.progress.hide()
        self.cancel_button.hide()
        self._changed()

    def _done(self, result: Any) -> None:
        self._stop()
        self._finished(result)

    def _stopped_with(self, message: str) -> None:
        self._stop()
        self._failed(message)
