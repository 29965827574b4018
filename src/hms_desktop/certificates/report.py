"""The progress report for parents: one A4 page per pupil — level now and over the year (the
chart), attendance, exams and medals, targets and the tutor's comment. Every line goes through
the certificates' text drawing (bidi order, shaping, /ActualText), so every name prints right;
the chart is drawn with reportlab graphics from the same series the screen's chart draws."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from hms_desktop.domain.progress import LevelSeries

from .content import SERVICE_NAME, BadCertificate, problems_with_name
from .publish import publish_pdf
from .render import Cancelled
from .text import draw_line, shape_line, wrap

PAGE = A4
MARGIN = 56
WIDTH = PAGE[0] - 2 * MARGIN
NAVY = HexColor("#1f4e8c")
INK = HexColor("#222222")
GREY = HexColor("#666666")
SERIES_COLOURS = (HexColor("#1f4e8c"), HexColor("#b5541c"))
CHART_HEIGHT = 170
COMMENT_LINES = 12


@dataclass(frozen=True)
class ReportContent:
    pupil_name: str
    school: str
    year_group: int | None
    instrument: str
    period: str  # "Autumn term 2026"
    level_now: str  # a sentence: "Stage 3 (teacher assessment, 2 Nov 2026)" or why none
    chart: tuple[LevelSeries, ...]
    attendance: str  # a sentence
    results: tuple[str, ...]  # exams and medals, one line each, newest first
    targets: tuple[str, ...]  # one line each, "✓ …" when achieved
    comment: str  # the tutor's latest progress note, "" if none
    tutor_name: str
    written_on: date


def _text(canvas: Canvas, text: str, x: float, y: float, size: float, bold=False, colour=INK):
    canvas.setFillColor(colour)
    draw_line(canvas, shape_line(text, size, bold), x, y)


def _paragraph(canvas: Canvas, text: str, y: float, size: float, limit: int) -> float:
    """Wrapped lines from ``y`` down; returns the y below the last one."""
    lines = []
    for para in text.splitlines() or [""]:
        lines.extend(wrap(para, size, WIDTH) if para.strip() else ())
    canvas.setFillColor(INK)
    for line in lines[:limit]:
        draw_line(canvas, line, MARGIN, y)
        y -= size * 1.35
    if len(lines) > limit:
        _text(canvas, "(continued in the app)", MARGIN, y, size - 2, colour=GREY)
        y -= size * 1.35
    return y


def _heading(canvas: Canvas, text: str, y: float) -> float:
    _text(canvas, text, MARGIN, y, 12.5, bold=True, colour=NAVY)
    return y - 17


def chart_drawing(series: tuple[LevelSeries, ...], width: float, height: float) -> Drawing:
    """One band per framework (at most two), levels up the side, each assessment a dot, the
    level held until the next one."""
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=HexColor("#fbfbfb"), strokeColor=None))
    shown = series[:2]
    if not shown:
        drawing.add(
            String(width / 2, height / 2, "No level recorded yet.", textAnchor="middle",
                   fontName="Helvetica", fontSize=10, fillColor=GREY)
        )  # fmt: skip
        return drawing
    days = [p.on for s in shown for p in s.points]
    first, last = min(days), max(days)
    if (last - first).days < 60:
        first = date.fromordinal(last.toordinal() - 60)
    span = max(1, (last - first).days)
    left, right, bottom = 70.0, width - 12, 18.0
    band_h = (height - bottom) / len(shown)
    for i, s in enumerate(shown):
        band_bottom = bottom + (len(shown) - 1 - i) * band_h + 8
        band_top = band_bottom + band_h - 24
        levels = s.shown_levels()
        step = (band_top - band_bottom) / max(1, len(levels) - 1)
        drawing.add(String(2, band_top + 8, s.framework, fontName="Helvetica-Bold",
                           fontSize=8.5, fillColor=INK))  # fmt: skip
        reached = {p.ordinal for p in s.points}
        every = max(1, int(9 // max(step, 1)) + 1)  # labels at least ~9 pt apart
        for ordinal in levels:
            y = band_bottom + ordinal * step
            drawing.add(Line(left, y, right, y, strokeColor=HexColor("#dddddd"), strokeWidth=0.5))
            if ordinal % every and ordinal not in reached:
                continue
            drawing.add(String(left - 4, y - 3, s.levels[ordinal], textAnchor="end",
                               fontName="Helvetica", fontSize=7.5, fillColor=GREY))  # fmt: skip
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        points = [
            (left + (right - left) * (p.on - first).days / span, band_bottom + p.ordinal * step)
            for p in s.points
        ]
        steps: list[float] = []
        for (x1, y1), (x2, y2) in pairwise(points):
            steps.extend((x1, y1, x2, y1, x2, y2))
        if steps:
            drawing.add(PolyLine(steps, strokeColor=colour, strokeWidth=2))
        for x, y in points:
            drawing.add(Circle(x, y, 3.2, fillColor=colour, strokeColor=colour))
    for year in range(first.year, last.year + 1):
        x = left + (right - left) * (date(year, 9, 1) - first).days / span
        if left + 50 < x < right - 50:
            drawing.add(Line(x, bottom - 4, x, height - 4, strokeColor=HexColor("#eeeeee")))
            drawing.add(String(x, 4, f"Sep {year}", textAnchor="middle", fontName="Helvetica",
                               fontSize=7.5, fillColor=GREY))  # fmt: skip
    for label, x in ((f"{first:%b %Y}", left), (f"{last:%b %Y}", right)):
        anchor = "start" if x == left else "end"
        drawing.add(String(x, 4, label, textAnchor=anchor, fontName="Helvetica", fontSize=7.5,
                           fillColor=GREY))  # fmt: skip
    return drawing


def draw_report(canvas: Canvas, item: ReportContent) -> None:
    width, height = PAGE
    canvas.setFillColor(NAVY)
    canvas.rect(0, height - 64, width, 64, stroke=0, fill=1)
    _text(canvas, SERVICE_NAME, MARGIN, height - 30, 15, bold=True, colour=HexColor("#ffffff"))
    _text(canvas, f"Progress report · {item.period}", MARGIN, height - 50, 11,
          colour=HexColor("#ffffff"))  # fmt: skip
    y = height - 106
    canvas.setFillColor(INK)
    name_lines = wrap(item.pupil_name, 24, WIDTH, True)
    for line in name_lines:
        draw_line(canvas, line, MARGIN, y)
        y -= 30
    year = f"Year {item.year_group}" if item.year_group is not None else ""
    facts = " · ".join(p for p in (item.school, year, item.instrument) if p)
    _text(canvas, facts, MARGIN, y + 6, 10.5, colour=GREY)
    y -= 22
    y = _heading(canvas, "Level now", y)
    y = _paragraph(canvas, item.level_now, y, 11, 2) - 6
    y = _heading(canvas, "Progress over time", y)
    chart_height = CHART_HEIGHT if len(item.chart) < 2 else CHART_HEIGHT + 70
    drawing = chart_drawing(item.chart, WIDTH, chart_height)
    renderPDF.draw(drawing, canvas, MARGIN, y - chart_height + 8)
    y -= chart_height + 14
    y = _heading(canvas, "Attendance", y)
    y = _paragraph(canvas, item.attendance, y, 11, 3) - 6
    if item.results:
        y = _heading(canvas, "Exams and medals", y)
        y = _paragraph(canvas, "\n".join(item.results[:4]), y, 11, 4) - 6
    y = _heading(canvas, "Targets", y)
    y = _paragraph(canvas, "\n".join(item.targets[:5]) or "No targets set yet.", y, 11, 5) - 6
    y = _heading(canvas, "From your child's tutor", y)
    room = max(2, int((y - 84) // (11 * 1.35)) - 1)  # never into the footer
    _paragraph(canvas, item.comment or "No comment written yet.", y, 11, min(COMMENT_LINES, room))
    canvas.setStrokeColor(HexColor("#cccccc"))
    canvas.line(MARGIN, 64, width - MARGIN, 64)
    _text(canvas, f"{item.tutor_name} · {item.written_on:%-d %B %Y}", MARGIN, 48, 9,
          colour=GREY)  # fmt: skip


def render_reports(
    items: list[ReportContent],
    out: Path | str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Every report into one PDF at ``out``, which appears only when the batch is complete."""
    out = Path(out).expanduser()
    if not items:
        raise BadCertificate("No reports to print: choose at least one pupil.")
    problems = [f"{i.pupil_name}: {p}" for i in items if (p := problems_with_name(i.pupil_name))]
    if problems:
        raise BadCertificate("Nothing was printed:\n" + "\n".join(problems))

    def draw(canvas) -> None:
        for n, item in enumerate(items, start=1):
            if cancelled is not None and cancelled():
                raise Cancelled(
                    f"Printing was cancelled after {n - 1} of {len(items)}; no file was saved."
                )
            draw_report(canvas, item)
            canvas.showPage()
            if progress is not None:
                progress(n, len(items))

    return publish_pdf(
        out,
        f"{SERVICE_NAME} progress reports",
        draw,
        pagesize=PAGE,
        error=BadCertificate,
        nothing="Nothing was printed.",
    )
