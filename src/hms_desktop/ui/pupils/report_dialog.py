"""Progress reports for parents: one pupil's, or a whole group's in one PDF, drawn in the
background with progress and cancel; nothing is left on disk unless the batch completes."""

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from hms_desktop.services.progress.report import report_pupils, save_reports

from ..common.batch import BatchProgress
from ..common.context import PageContext
from ..common.runner import Job


class ReportDialog(QDialog):
    finished_batch = Signal(str)  # the saved path, or "" when it failed or was cancelled

    def __init__(
        self,
        context: PageContext,
        group_id: str | None,
        pupil_ids: list[str] | None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._ctx = context
        self._on = context.today()
        self.pupil_ids = pupil_ids or (
            report_pupils(context.db, group_id, self._on) if group_id else []
        )
        self.saved_path: Path | None = None
        self.setWindowTitle("Progress reports for parents")
        n = len(self.pupil_ids)
        self.status = QLabel(
            f"One page for each of {n} pupils, in one PDF." if n != 1 else "One page, as a PDF."
        )
        self.status.setWordWrap(True)
        self.batch = BatchProgress(
            "report", "reports", self.status, "&Cancel printing", self._batch_changed
        )
        self.progress, self.cancel_button = self.batch.progress, self.batch.cancel_button
        self.save_button = QPushButton("&Save PDF…")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(n > 0)
        self.save_button.clicked.connect(self.choose_file_and_save)
        close = QPushButton("C&lose")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.save_button, self.cancel_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.resize(460, 150)

    def choose_file_and_save(self) -> None:
        default = str(Path.home() / f"progress-reports-{self._on:%Y-%m-%d}.pdf")
        path, _filter = QFileDialog.getSaveFileName(
            self, "Save reports", default, "PDF files (*.pdf)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> Job | None:
        if self.batch.running or not self.pupil_ids:
            return None
        db, on, pupils = self._ctx.db, self._on, list(self.pupil_ids)
        return self.batch.run(
            lambda progress, cancelled: save_reports(db, pupils, on, path, progress, cancelled),
            len(pupils),
            self._done,
            self._failed,
        )

    def cancel(self) -> None:
        self.batch.cancel()

    def _batch_changed(self) -> None:
        self.save_button.setEnabled(not self.batch.running)

    def _done(self, path: Path) -> None:
        self.saved_path = Path(path)
        self.status.setText(f"Saved {len(self.pupil_ids)} report(s) to {path}.")
        self.finished_batch.emit(str(path))

    def _failed(self, message: str) -> None:
        self.status.setText(f"<span style='color:#a40000'>{message}</span>")
        self.finished_batch.emit("")

    def reject(self) -> None:
        if self.batch.running:
            self.cancel()
            return  # closes once the batch has stopped
        super().reject()
