"""A picture of a certificate for the screen: render to PDF, rasterise with PDFium."""

import tempfile
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium

from hms_desktop.paths import shred

from .content import CertificateContent
from .render import render_batch


def preview_png(item: CertificateContent, width_px: int = 900) -> bytes:
    with tempfile.TemporaryDirectory(prefix="hms-preview-") as tmp:
        pdf_path = render_batch([item], Path(tmp) / "preview.pdf")
        try:
            return pdf_page_png(pdf_path, 0, width_px)
        finally:
            shred(pdf_path)  # a pupil's name: overwritten before the folder goes


def pdf_page_png(pdf_path: Path, index: int, width_px: int) -> bytes:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[index]
        scale = width_px / page.get_width()
        image = page.render(scale=scale).to_pil()
        buffer = BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()
    finally:
        pdf.close()


def page_count(pdf_path: Path) -> int:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return len(pdf)
    finally:
        pdf.close()
