"""An ensemble's roster by section, and a paper register for a rehearsal (the fallback when the
laptop cannot be used): A4 portrait tables, names drawn through .text (every script shaped, in
order, with ActualText). Only names, schools, instruments, sections and seats are printed."""

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from .seating import GREY, INK, PrintProblem, publish
from .text import Line, draw_line, shape_line

PORTRAIT = A4
MARGIN = 40
ROW = 17
CODES = ("P", "L", "LE", "AN", "AU")


@dataclass(frozen=True)
class SheetRow:
    section: str
    seat: int | None
    name: str
    school: str
    instrument: str


@dataclass(frozen=True)
class Sheet:
    title: str
    subtitle: str
    rows: tuple[SheetRow, ...]


def _clipped(text: str, size: float, width: float) -> Line:
    """A cell's text at ``size``, smaller (to 5.5 pt) rather than cut when it is too wide."""
    line = shape_line(text, size)
    while line.width > width and size > 5.5:
        size -= 0.5
        line = shape_line(text, size)
    return line


class _Pages:
    """Rows down the page under a heading, a new page (heading repeated) when one is full."""

    def __init__(self, canvas: Canvas, sheet: Sheet, columns: tuple[tuple[str, float], ...]):
        self.canvas, self.sheet, self.columns = canvas, sheet, columns
        self.page = 0
        self.y = 0.0
        self._start()

    def _start(self) -> None:
        c, (width, height) = self.canvas, PORTRAIT
        if self.page:
            c.showPage()
        self.page += 1
        c.setFillColor(INK)
        draw_line(c, shape_line(self.sheet.title, 16, True), MARGIN, height - 50)
        c.setFillColor(GREY)
        draw_line(c, shape_line(self.sheet.subtitle, 9), MARGIN, height - 64)
        c.setFont("Helvetica", 7)
        c.drawRightString(width - MARGIN, 24, f"Page {self.page}")
        self.y = height - 90
        self._header()

    def _header(self) -> None:
        c, x = self.canvas, MARGIN
        c.setFillColor(GREY)
        for title, width in self.columns:
            draw_line(c, shape_line(title, 7.5, True), x + 2, self.y)
            x += width
        self.y -= 4
        c.setStrokeColor(GREY)
        c.line(MARGIN, self.y, PORTRAIT[0] - MARGIN, self.y)
        self.y -= ROW - 4

    def need(self, rows: int) -> None:
        if self.y - rows * ROW < 40:
            self._start()

    def heading(self, text: str) -> None:
        self.need(2)
        self.y -= 4
        self.canvas.setFillColor(HexColor("#1f4e8c"))
        draw_line(self.canvas, shape_line(text, 10, True), MARGIN, self.y)
        self.y -= ROW

    def row(self, cells: tuple[str, ...], boxes: int = 0) -> None:
        self.need(1)
        c, x = self.canvas, MARGIN
        c.setFillColor(INK)
        for (_title, width), text in zip(self.columns, cells, strict=False):
            if text:
                draw_line(c, _clipped(text, 9, width - 6), x + 2, self.y)
            x += width
        c.setStrokeColor(HexColor("#9a9a9a"))
        for k in range(boxes):  # tick boxes for the codes, after the text columns
            left = MARGIN + sum(w for _t, w in self.columns[: len(cells) + k])
            c.rect(left + 6, self.y - 3, 11, 11)
        c.setStrokeColor(HexColor("#dddddd"))
        c.line(MARGIN, self.y - 5, PORTRAIT[0] - MARGIN, self.y - 5)
        self.y -= ROW


def _sections(rows: tuple[SheetRow, ...]) -> list[tuple[str, list[SheetRow]]]:
    grouped: list[tuple[str, list[SheetRow]]] = []
    for r in rows:
        if not grouped or grouped[-1][0] != r.section:
            grouped.append((r.section, []))
        grouped[-1][1].append(r)
    return grouped


def render_roster(sheet: Sheet, out: Path | str) -> Path:
    """The roster by section in seat order: seat, name, school, instrument."""
    if not sheet.rows:
        raise PrintProblem("The ensemble has no members yet, so there is no roster to print.")
    columns = (("Seat", 40.0), ("Pupil", 190.0), ("School", 180.0), ("Instrument", 105.0))

    def draw(canvas: Canvas) -> None:
        pages = _Pages(canvas, sheet, columns)
        for section, rows in _sections(sheet.rows):
            pages.heading(f"{section} ({len(rows)})")
            for r in rows:
                pages.row((str(r.seat or ""), r.name, r.school, r.instrument))

    return _publish_portrait(out, f"{sheet.title}: roster", draw)


def render_paper_register(sheet: Sheet, out: Path | str) -> Path:
    """A rehearsal register to fill in by hand: a box per code for every member."""
    if not sheet.rows:
        raise PrintProblem("The ensemble has no members yet, so there is no register to print.")
    columns = (
        ("Seat", 34.0),
        ("Pupil", 170.0),
        ("Instrument", 90.0),
        *((code, 26.0) for code in CODES),
        ("Comment", 95.0),
    )

    def draw(canvas: Canvas) -> None:
        pages = _Pages(canvas, sheet, columns)
        for section, rows in _sections(sheet.rows):
            pages.heading(section)
            for r in rows:
                pages.row((str(r.seat or ""), r.name, r.instrument), boxes=len(CODES))

    return _publish_portrait(out, f"{sheet.title}: rehearsal register", draw)


def _publish_portrait(out: Path | str, title: str, draw) -> Path:
    def on_portrait(canvas: Canvas) -> None:
        canvas.setPageSize(PORTRAIT)
        draw(canvas)

    return publish(out, title, on_portrait)
