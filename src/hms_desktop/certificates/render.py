"""Drawing certificates with reportlab: A4 landscape, one page each, one PDF per batch.

Names are shaped (HarfBuzz via reportlab's shaping support) so Bengali vowel signs sit right and
Arabic and Hebrew join and run right to left. The file appears only when the batch is complete:
a cancelled or failed batch leaves nothing half-written on disk.
"""

import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from hms_desktop.domain.errors import HmsError
from hms_desktop.paths import resource, shred

from .content import SERVICE_NAME, BadCertificate, CertificateContent, check_batch
from .fonts import font_runs

PAGE = landscape(A4)
NAVY = HexColor("#1f4e8c")
GOLD = HexColor("#c99700")
INK = HexColor("#222222")
NAME_SIZES = tuple(range(44, 13, -2))  # 14 pt only for the longest names
TEXT_WIDTH = PAGE[0] - 2 * 110


class Cancelled(HmsError):
    pass


def markup(text: str, bold: bool = False) -> tuple[str, bool]:
    """Paragraph markup giving each script run its own font; True if the text is right-to-left."""
    runs = font_runs(text, bold=bold)
    rtl_chars = sum(len(r.text) for r in runs if r.rtl)
    parts = [f'<font name="{r.font}">{escape(r.text)}</font>' for r in runs]
    return "".join(parts), rtl_chars > len(text) / 2


def _paragraph(text: str, size: float, bold: bool = False, color=INK) -> Paragraph:
    body, rtl = markup(text, bold)
    style = ParagraphStyle(
        "cert",
        fontName=font_runs(text[:1] or " ", bold)[0].font,
        fontSize=size,
        leading=size * 1.25,
        alignment=TA_CENTER,
        textColor=color,
        shaping=1,
        wordWrap="RTL" if rtl else None,
    )
    return Paragraph(body, style)


def _draw_centered(canvas: Canvas, para: Paragraph, top: float) -> float:
    _w, h = para.wrap(TEXT_WIDTH, PAGE[1])
    para.drawOn(canvas, (PAGE[0] - TEXT_WIDTH) / 2, top - h)
    return top - h


def fitted_name(name: str) -> Paragraph:
    """The largest size at which the name fits on one line; long names go down to 14 pt and,
    at the very last, onto two lines at 14 pt; never past the border."""
    # Start from the unshaped width (close for every script), then confirm with the shaped text.
    width = sum(stringWidth(r.text, r.font, NAME_SIZES[0]) for r in font_runs(name, True))
    start = min(NAME_SIZES[0], int(NAME_SIZES[0] * TEXT_WIDTH / max(width, 1)) // 2 * 2 + 2)
    para = None
    for size in (s for s in NAME_SIZES if s <= start):
        para = _paragraph(name, size, bold=True, color=NAVY)
        para.wrap(TEXT_WIDTH, PAGE[1])
        if len(para.blPara.lines) == 1:
            return para
    return para or _paragraph(name, NAME_SIZES[-1], bold=True, color=NAVY)


@cache
def _artwork_file(name: str) -> str:
    return str(resource("certificates", name))


def _artwork(canvas: Canvas) -> None:
    width, height = PAGE
    canvas.setFillColor(HexColor("#fffdf6"))
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(2)
    canvas.rect(22, 22, width - 44, height - 44)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    canvas.rect(30, 30, width - 60, height - 60)
    corner = _artwork_file("corner.png")
    size, inset = 90, 14
    # The corner artwork curls at its top-left; mirror it into the other three corners.
    for x, y, sx, sy in (
        (inset, height - inset, 1, 1),
        (width - inset, height - inset, -1, 1),
        (inset, inset, 1, -1),
        (width - inset, inset, -1, -1),
    ):
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(sx, sy)
        canvas.drawImage(corner, 0, -size, size, size, mask="auto")
        canvas.restoreState()
    emblem = _artwork_file("emblem.png")
    canvas.drawImage(emblem, width / 2 - 36, height - 128, 72, 72, mask="auto")


QR_SIZE = 62


def draw_qr(canvas: Canvas, data: str, x: float, y: float) -> None:
    """A QR code drawn as one path. Mask pattern 0 is fixed rather than searched for: the code
    stays valid for every reader, and the search was two thirds of a certificate's drawing time."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(data)
    code.version = code.calculate_version()
    code.makeImpl(False, 0)
    count = code.getModuleCount()
    module = QR_SIZE / (count + 2)  # one module of quiet zone around the code
    path = canvas.beginPath()
    for row in range(count):
        col = 0
        while col < count:  # one rectangle per run of dark modules: a tenth of the drawing
            if not code.isDark(row, col):
                col += 1
                continue
            start = col
            while col < count and code.isDark(row, col):
                col += 1
            path.rect(
                x + (start + 1) * module,
                y + QR_SIZE - (row + 2) * module,
                (col - start) * module,
                module,
            )
    canvas.saveState()
    canvas.setFillColor(HexColor("#000000"))
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def draw_certificate(canvas: Canvas, item: CertificateContent) -> None:
    width, height = PAGE
    _artwork(canvas)
    top = height - 136
    top = _draw_centered(canvas, _paragraph(SERVICE_NAME.upper(), 13, color=GOLD), top)
    top = _draw_centered(canvas, _paragraph(item.template.title, 34, bold=True), top - 6)
    top = _draw_centered(canvas, _paragraph("is presented to", 15), top - 14)
    top = _draw_centered(canvas, fitted_name(item.pupil_name), top - 10)
    canvas.setStrokeColor(GOLD)
    canvas.line(width / 2 - 180, top - 6, width / 2 + 180, top - 6)
    _draw_centered(canvas, _paragraph(item.wording, 18), top - 22)

    # Signature, date and verification along the foot.
    foot = 92
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.8)
    canvas.line(110, foot + 34, 330, foot + 34)
    canvas.line(width - 330, foot + 34, width - 110, foot + 34)
    for x, label in ((220, item.tutor_name), (width - 220, f"{item.issued_on:%-d %B %Y}")):
        para = _paragraph(label, 12)
        _w, h = para.wrap(220, 60)
        para.drawOn(canvas, x - 110, foot + 30 - h)
    for x, label in ((220, "Tutor"), (width - 220, "Date")):
        para = _paragraph(label, 9, color=HexColor("#666666"))
        _w, h = para.wrap(220, 40)
        para.drawOn(canvas, x - 110, foot + 12 - h)

    draw_qr(
        canvas,
        f"HMS-CERT {item.serial} {item.verification_code}",
        width / 2 - QR_SIZE / 2,
        foot - 8,
    )
    verify = _paragraph(
        f"Serial {item.serial}  ·  Verification code {item.verification_code}",
        8,
        color=HexColor("#666666"),
    )
    _w, h = verify.wrap(400, 30)
    verify.drawOn(canvas, width / 2 - 200, foot - 14 - h)


def render_batch(
    items: list[CertificateContent],
    out: Path | str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    before_publish: Callable[[], None] | None = None,
) -> Path:
    """Render every certificate into one PDF at ``out``. Checks the whole batch first; writes to
    a temporary file beside ``out`` and moves it into place only when complete. A failure in
    ``before_publish`` (e.g. storing the records) leaves no file either."""
    out = Path(out).expanduser()
    if not items:
        raise BadCertificate("No certificates to print: choose at least one pupil.")
    problems = check_batch(items)
    if problems:
        raise BadCertificate("Nothing was printed:\n" + "\n".join(problems))
    if not out.parent.is_dir():
        raise BadCertificate(f"The folder {out.parent} does not exist. Nothing was printed.")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".certificates-", suffix=".pdf", dir=out.parent)
    except OSError as err:
        raise BadCertificate(
            f"Can't save in {out.parent}: {err.strerror}. Nothing was printed."
        ) from err
    os.close(fd)
    try:
        canvas = Canvas(tmp, pagesize=PAGE, invariant=1)
        canvas.setTitle(f"{SERVICE_NAME} certificates")
        canvas.setAuthor(SERVICE_NAME)
        for n, item in enumerate(items, start=1):
            if cancelled is not None and cancelled():
                raise Cancelled(
                    f"Printing was cancelled after {n - 1} of {len(items)}; no file was saved."
                )
            draw_certificate(canvas, item)
            canvas.showPage()
            if progress is not None:
                progress(n, len(items))
        canvas.save()
        if before_publish is not None:
            before_publish()
        os.replace(tmp, out)
    except BaseException:
        shred(Path(tmp))  # a cancelled batch's pages hold names: overwrite, then unlink
        raise
    return out
