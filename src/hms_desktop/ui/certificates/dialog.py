"""Printing certificates for a group: choose template and pupils, preview, save or print.

The batch runs on the thread pool with a progress bar and a Cancel button; pupils who cannot
have the chosen certificate (no level recorded, a name no font can print…) are listed first.
"""

import tempfile
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPageLayout, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hms_desktop.certificates.content import CertificateContent, Template
from hms_desktop.certificates.preview import page_count, pdf_page_png, preview_png
from hms_desktop.data.engine import Database
from hms_desktop.domain.errors import HmsError
from hms_desktop.services.certificates import CertificatePlan, PrintedFrom, plan_certificates
from hms_desktop.services.certificates import print_certificates as issue_and_render

from ..common.batch import BatchProgress
from ..common.events import ChangeKind, DataEvents
from ..common.runner import Job

PREVIEW_WIDTH = 520
MISSING_SHOWN = 10


class CertificatesDialog(QDialog):
    finished_batch = Signal(str)  # the saved PDF's path, or "" when nothing was saved

    def __init__(
        self,
        db: Database,
        events: DataEvents,
        pupil_ids: list[str],
        title: str,
        on: date,
        parent: QWidget | None = None,
        source: PrintedFrom | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Certificates: {title}")
        self.resize(1000, 560)
        self._db = db
        self._events = events
        self._pupil_ids = pupil_ids
        self._on = on
        self._source = source  # the ensemble or performance printed from: its certificates say so
        self._plan: CertificatePlan | None = None
        self._print_after = False
        self.saved_path: Path | None = None

        self.template = QComboBox()
        for template in Template:
            self.template.addItem(template.label, template.value)
        self.template.currentIndexChanged.connect(self.refresh)
        self.pupils = QListWidget()
        self.pupils.itemChanged.connect(lambda _item: self._schedule_preview())
        self.pupils.currentRowChanged.connect(lambda _row: self._schedule_preview())
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setObjectName("missing")
        self.preview = QLabel("Preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(PREVIEW_WIDTH, int(PREVIEW_WIDTH * 0.71))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.batch = BatchProgress(
            "certificate", "certificates", self.status, "Cancel printing", self._update_buttons
        )
        self.progress, self.cancel_button = self.batch.progress, self.batch.cancel_button
        self.save_button = QPushButton("Save PDF…")
        self.print_button = QPushButton("Print…")
        self.close_button = QPushButton("Close")
        self.save_button.clicked.connect(self.choose_file_and_save)
        self.print_button.clicked.connect(self.print_batch)
        self.close_button.clicked.connect(self.reject)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(150)
        self._preview_timer.timeout.connect(self.update_preview)

        left = QVBoxLayout()
        form = QFormLayout()
        form.addRow("Certificate", self.template)
        left.addLayout(form)
        left.addWidget(QLabel("Pupils (untick any who should not have one)"))
        left.addWidget(self.pupils, 1)
        left.addWidget(self.missing)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(0)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.refresh()

    # --- choosing --------------------------------------------------------------------------

    def selected_template(self) -> Template:
        return Template(self.template.currentData())

    def set_template(self, template: Template | str) -> None:
        self.template.setCurrentIndex(self.template.findData(Template(template).value))

    def refresh(self) -> None:
        try:
            self._plan = plan_certificates(
                self._db, self.selected_template(), self._pupil_ids, self._on, self._source
            )
        except HmsError as err:
            self._plan = None
            self.status.setText(str(err))
            return
        self.pupils.blockSignals(True)
        self.pupils.clear()
        for planned in self._plan.ready:
            item = QListWidgetItem(f"{planned.pupil_name}  —  {planned.wording}")
            item.setData(Qt.ItemDataRole.UserRole, planned.pupil_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.pupils.addItem(item)
        self.pupils.blockSignals(False)
        if self._plan.missing:
            shown = self._plan.missing[:MISSING_SHOWN]
            lines = "".join(f"<br>• {escape(line)}" for line in shown)
            if len(self._plan.missing) > MISSING_SHOWN:
                lines += f"<br>… and {len(self._plan.missing) - MISSING_SHOWN} more"
            self.missing.setText(
                f"<b>{len(self._plan.missing)} cannot have this certificate yet:</b>{lines}"
            )
        else:
            self.missing.setText("Every pupil can have this certificate.")
        if self.pupils.count():
            self.pupils.setCurrentRow(0)
        self._update_buttons()
        self._schedule_preview()

    def chosen_plan(self) -> CertificatePlan | None:
        if self._plan is None:
            return None
        ticked = {
            self.pupils.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.pupils.count())
            if self.pupils.item(i).checkState() == Qt.CheckState.Checked
        }
        ready = tuple(p for p in self._plan.ready if p.pupil_id in ticked)
        return CertificatePlan(self._plan.template, ready, self._plan.missing)

    def _update_buttons(self) -> None:
        plan = self.chosen_plan()
        can = bool(plan and plan.ready) and not self.batch.running
        self.save_button.setEnabled(can)
        self.print_button.setEnabled(can)
        count = len(plan.ready) if plan else 0
        self.save_button.setText(f"Save {count} as PDF…" if count else "Save PDF…")

    def _schedule_preview(self) -> None:
        self._update_buttons()
        self._preview_timer.start()

    def update_preview(self) -> None:
        plan = self._plan
        row = max(self.pupils.currentRow(), 0)
        if plan is None or not plan.ready or row >= len(plan.ready):
            self.preview.setPixmap(QPixmap())
            self.preview.setText("No certificate to preview.")
            return
        planned = plan.ready[row]
        sample = CertificateContent(
            planned.pupil_name,
            plan.template,
            planned.wording,
            self._on,
            self._tutor_name(),
            "HMS-PREVIEW",
            "------",
        )
        try:
            png = preview_png(sample, PREVIEW_WIDTH)
        except HmsError as err:
            self.preview.setText(str(err))
            return
        self.preview.setPixmap(QPixmap.fromImage(QImage.fromData(png)))

    def _tutor_name(self) -> str:
        from hms_desktop.services.profile import current_tutor

        with self._db.reading() as session:
            tutor = current_tutor(session)
            return tutor.name if tutor else ""

    # --- printing --------------------------------------------------------------------------

    def choose_file_and_save(self) -> None:
        default = str(Path.home() / f"certificates-{self._on:%Y-%m-%d}.pdf")
        path, _filter = QFileDialog.getSaveFileName(
            self, "Save certificates", default, "PDF files (*.pdf)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> Job | None:
        """Issue and render the ticked certificates into ``path`` in the background."""
        plan = self.chosen_plan()
        if plan is None or not plan.ready or self.batch.running:
            return None
        db, on = self._db, self._on

        def work(progress, cancelled) -> Path:
            issue_and_render(db, plan, path, on, progress=progress, cancelled=cancelled)
            return path

        return self.batch.run(work, len(plan.ready), self._done, self._failed)

    def print_batch(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        self._printer = printer
        tmp = Path(tempfile.mkdtemp(prefix="hms-print-")) / "certificates.pdf"
        self._print_after = True
        self.save_to(tmp)

    def cancel(self) -> None:
        self.batch.cancel()

    def _done(self, path: Path) -> None:
        self._events.changed(ChangeKind.CERTIFICATE)
        if self._print_after:
            self._print_after = False
            send_to_printer(path, self._printer)
            path.unlink(missing_ok=True)
            self.status.setText("Sent to the printer. The certificates are recorded.")
            self.finished_batch.emit("")
            return
        self.saved_path = path
        self.status.setText(f"Saved {page_count(path)} certificates to {path}.")
        self.finished_batch.emit(str(path))

    def _failed(self, message: str) -> None:
        self._print_after = False
        self.status.setText(f"<span style='color:#a40000'>{message}</span>")
        self.finished_batch.emit("")

    def reject(self) -> None:
        if self.batch.running:
            self.cancel()
            return  # close once the batch has stopped
        super().reject()


def send_to_printer(pdf: Path, printer: QPrinter) -> None:
    """Paint each PDF page, rasterised at the printer's resolution, onto the printer."""
    painter = QPainter()
    if not painter.begin(printer):
        raise HmsError(
            "The printer could not be started. The certificates are saved as "
            "records; print them again from the group."
        )
    try:
        target = printer.pageLayout().paintRectPixels(printer.resolution())
        for index in range(page_count(pdf)):
            if index:
                printer.newPage()
            image = QImage.fromData(pdf_page_png(pdf, index, target.width()))
            scaled = image.scaled(
                target.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            painter.drawImage(0, 0, scaled)
    finally:
        painter.end()
