"""Drawing certificates with reportlab: A4 landscape, one page each, one PDF per batch.

Every line of text goes through .text (bidi order, HarfBuzz shaping without optional ligatures,
/ActualText); what a template's pages share is drawn once per PDF as a form. The file appears
only when the batch is complete: a cancelled or failed batch leaves nothing half-written on disk.
"""

from collections.abc import Callable
from functools import cache
from pathlib import Path

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from hms_desktop.domain.errors import HmsError
from hms_desktop.paths import resource

from .content import SERVICE_NAME, BadCertificate, CertificateContent, Template, check_batch
from .publish import publish_pdf
from .text import Line, draw_centred, shape_line, wrap

PAGE = landscape(A4)
NAVY = HexColor("#1f4e8c")
GOLD = HexColor("#c99700")
INK = HexColor("#222222")
GREY = HexColor("#666666")
BODY_SIZE = 18  # the wording; a name is never printed smaller
NAME_SIZES = tuple(range(44, BODY_SIZE - 1, -2))
ONE_LINE_SMALLEST = 28  # below this a long name reads better on two lines at a larger size
TEXT_WIDTH = PAGE[0] - 2 * 110
NAME_WIDTH = PAGE[0] - 2 * 56  # mid-page, between the borders (the corners are higher up)
NAME_TOP = PAGE[1] - 232  # where the name's first line starts: below "is presented to"
FOOT = 92


class Cancelled(HmsError):
    pass


def fitted_name(name: str) -> tuple[Line, ...]:
    """The name at the largest size that fits: one line down to 28 pt, then two lines, never
    below the body text; only a name with no space to break at goes smaller to stay inside."""
    for size in NAME_SIZES:
        lines = wrap(name, size, NAME_WIDTH, True)
        if len(lines) == 1 and lines[0].width <= NAME_WIDTH:
            if size >= ONE_LINE_SMALLEST:
                return lines
            break
    for size in NAME_SIZES:
        lines = wrap(name, size, NAME_WIDTH, True)
        if len(lines) <= 2 and all(line.width <= NAME_WIDTH for line in lines):
            return lines
    size = NAME_SIZES[-1]
    while size > 6:
        lines = wrap(name, size, NAME_WIDTH, True)
        if all(line.width <= NAME_WIDTH for line in lines):
            return lines
        size -= 1
    return lines


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
    corner, note = _artwork_file("corner.png"), _artwork_file("note.png")
    # The corner curls at its top-left, inside the gold border; it is mirrored into the other
    # three corners, while its note is drawn the right way up in each.
    size, inset = 80, 34
    note_box = (50 / 200 * size, 40 / 200 * size, 44 / 200 * size)  # x, y from the corner; side
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
        nx, ny, side = note_box
        left = x + nx if sx > 0 else x - nx - side
        bottom = y - ny - side if sy > 0 else y + ny
        canvas.drawImage(note, left, bottom, side, side, mask="auto")
    emblem = _artwork_file("emblem.png")
    canvas.drawImage(emblem, width / 2 - 36, height - 128, 72, 72, mask="auto")


def _centred(canvas: Canvas, text: str, size: float, y: float, color, bold=False) -> None:
    canvas.setFillColor(color)
    draw_centred(canvas, shape_line(text, size, bold), PAGE[0] / 2, y)


def _shared_page(canvas: Canvas, template: Template, drawn: set[str]) -> None:
    """Everything a template's pages share, drawn once per PDF as a form and placed on each;
    ``drawn`` holds the forms this PDF already has."""
    name = f"hms-{template.value}"
    if name not in drawn:
        width, height = PAGE
        canvas.beginForm(name)
        _artwork(canvas)
        _centred(canvas, SERVICE_NAME.upper(), 13, height - 149, GOLD)
        _centred(canvas, template.title, 34, height - 194, INK, bold=True)
        _centred(canvas, "is presented to", 15, height - 224, INK)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8)
        canvas.line(110, FOOT + 34, 330, FOOT + 34)
        canvas.line(width - 330, FOOT + 34, width - 110, FOOT + 34)
        for x, label in ((220, "Tutor"), (width - 220, "Date")):
            canvas.setFillColor(GREY)
            draw_centred(canvas, shape_line(label, 9), x, FOOT + 3)
        canvas.endForm()
        drawn.add(name)
    canvas.doForm(name)


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


def draw_certificate(canvas: Canvas, item: CertificateContent, forms: set[str]) -> None:
    width, _height = PAGE
    _shared_page(canvas, item.template, forms)
    lines = fitted_name(item.pupil_name)
    canvas.setFillColor(NAVY)
    y = NAME_TOP
    for line in lines:
        y -= line.size * 1.02
        draw_centred(canvas, line, width / 2, y)
        y += min(line.descent, -line.size * 0.25)  # the rule clears Tamil and Arabic descenders
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    canvas.line(width / 2 - 180, y - 6, width / 2 + 180, y - 6)
    y -= 12
    canvas.setFillColor(INK)
    for line in wrap(item.wording, BODY_SIZE, TEXT_WIDTH):
        y -= BODY_SIZE * 1.3
        draw_centred(canvas, line, width / 2, y)

    # Signature, date and verification along the foot.
    for x, label in ((220, item.tutor_name), (width - 220, f"{item.issued_on:%-d %B %Y}")):
        draw_centred(canvas, shape_line(label, 12), x, FOOT + 18)
    draw_qr(
        canvas,
        item.qr_text,
        width / 2 - QR_SIZE / 2,
        FOOT - 8,
    )
    canvas.setFillColor(GREY)
    verify = f"Serial {item.serial}  ·  Verification code {item.verification_code}"
    draw_centred(canvas, shape_line(verify, 8), width / 2, FOOT - 22)


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
    forms: set[str] = set()

    def draw(canvas) -> None:
        for n, item in enumerate(items, start=1):
            if cancelled is not None and cancelled():
                raise Cancelled(
                    f"Printing was cancelled after {n - 1} of {len(items)}; no file was saved."
                )
            draw_certificate(canvas, item, forms)
            canvas.showPage()
            if progress is not None:
                progress(n, len(items))

    return publish_pdf(
        out,
        f"{SERVICE_NAME} certificates",
        draw,
        pagesize=PAGE,
        error=BadCertificate,
        nothing="Nothing was printed.",
        before_publish=before_publish,
    )
