"""Printing certificates from a register: missing data listed first, progress off the GUI
thread, cancel leaves nothing behind, and the saved PDF has one page per ticked pupil."""

import threading

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from hms_desktop.services.store import changes_waiting
from hms_desktop.ui.common.events import DataEvents
from hms_desktop.ui.shell.window import MainWindow

from .conftest import MONDAY


@pytest.fixture
def dialog(qtbot, db):
    window = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(window)
    dlg = window.certificates_dialog(window.register_view.register)
    qtbot.addWidget(dlg)
    return dlg


def test_pupils_without_a_level_are_listed_before_printing(dialog):
    dialog.set_template("achievement")
    assert "cannot have this certificate yet" in dialog.missing.text()
    assert "no level has been recorded yet" in dialog.missing.text()
    assert dialog.pupils.count() + dialog.missing.text().count("• ") == 30
    dialog.set_template("recognition")
    assert dialog.pupils.count() == 30
    assert dialog.missing.text() == "Every pupil can have this certificate."


def test_a_batch_is_drawn_off_the_gui_thread_with_progress_and_saved(qtbot, dialog, db, tmp_path):
    dialog.set_template("recognition")
    dialog.pupils.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.save_button.text() == "Save 29 as PDF…"
    before = changes_waiting(db)
    seen = []
    out = tmp_path / "wcet.pdf"
    with qtbot.waitSignal(dialog.finished_batch, timeout=30000) as done:
        job = dialog.save_to(out)
        job.signals.progress.connect(lambda n, total: seen.append((n, total)))
        assert not dialog.save_button.isEnabled()  # one batch at a time
    assert done.args == [str(out)]
    assert job.thread_name != threading.current_thread().name
    assert seen and seen[-1] == (29, 29)
    assert len(PdfReader(out).pages) == 29
    assert changes_waiting(db) == before + 29
    assert "Saved 29 certificates" in dialog.status.text()


def test_cancelling_a_batch_saves_no_file_and_no_records(qtbot, dialog, db, tmp_path):
    dialog.set_template("recognition")
    before = changes_waiting(db)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "cancelled.pdf"
    with qtbot.waitSignal(dialog.finished_batch, timeout=30000) as done:
        dialog.save_to(out)
        dialog.cancel()
    assert done.args == [""]
    assert "cancelled" in dialog.status.text()
    assert list(folder.iterdir()) == []
    assert changes_waiting(db) == before
    assert dialog.save_button.isEnabled()


def test_the_preview_shows_the_selected_pupils_certificate(qtbot, dialog):
    dialog.set_template("recognition")
    dialog.update_preview()
    pixmap = dialog.preview.pixmap()
    assert not pixmap.isNull()
    assert pixmap.width() == 520 and 350 < pixmap.height() < 380  # A4 landscape


def test_printing_sends_every_page_to_the_printer(qapp, tmp_path):
    from datetime import date

    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrinter

    from hms_desktop.certificates.content import CertificateContent, Template
    from hms_desktop.certificates.render import render_batch
    from hms_desktop.ui.certificates.dialog import send_to_printer

    items = [
        CertificateContent(
            name,
            Template.RECOGNITION,
            "for effort",
            date(2026, 12, 18),
            "Samira Okafor-Reid",
            f"HMS-26-PRNT-{n}",
            "Q7RM4P",
        )
        for n, name in enumerate(["Zeynep Öztürk", "مريم الحسن", "নুসরাত রহমান"])
    ]
    pdf = render_batch(items, tmp_path / "batch.pdf")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)  # a PDF "printer" stands in here
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    send_to_printer(pdf, printer)
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 3


def test_a_certificate_for_one_pupil_from_the_register(qtbot, db):
    window = MainWindow(db, DataEvents(), day=MONDAY)
    qtbot.addWidget(window)
    view = window.register_view
    pupil = view.register.rows[4]
    dlg = window.certificates_dialog(view.register, pupil.pupil_id)
    qtbot.addWidget(dlg)
    dlg.set_template("recognition")
    assert dlg.pupils.count() == 1
    assert dlg.windowTitle() == f"Certificates: {pupil.name}"
