"""An ensemble's seating plan drawn as a picture, A4 landscape: an orchestra in arcs round the
conductor (strings by desk in wedges, winds, brass and percussion behind), a choir in rows by
part, a band's, a jazz band's and a steel pan group's sections in rows. Each seat is a box with
the member's name in it, drawn through .text (every script shaped, in order, with ActualText).
Only names, sections and seat numbers are printed."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from .publish import PrintProblem, publish_pdf
from .text import Line, draw_centred, draw_line, shape_line, wrap

PAGE = landscape(A4)
INK = HexColor("#222222")
GREY = HexColor("#666666")
PALETTE = tuple(
    HexColor(c)
    for c in (
        "#dbe8f7", "#fbe3c9", "#dcefd8", "#f4d9e7", "#e6e0f5", "#fff3bf", "#d7f0ef", "#f2dcd2",
        "#e3ecc4", "#f0e0ff", "#d9e2ec", "#fde2e2", "#e2f0cb", "#ffe8cc",
    )
)  # fmt: skip
STRINGS = ("violin", "viola", "cello", "double bass")
NAME_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0)


@dataclass(frozen=True)
class Seat:
    name: str
    seat: int | None


@dataclass(frozen=True)
class Section:
    name: str
    seats: tuple[Seat, ...]


@dataclass(frozen=True)
class Plan:
    title: str
    subtitle: str
    kind: str  # orchestra, choir, band, jazz, steel_pan, other
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Box:
    x: float  # centre
    y: float
    section: int
    seat: Seat


def publish(out: Path | str, title: str, draw: Callable[[Canvas], None]) -> Path:
    """Draw into a temporary file beside ``out``; move it into place only when complete."""
    return publish_pdf(out, title, draw, pagesize=PAGE)


def fitted(name: str, width: float) -> tuple[Line, ...]:
    """The name in a seat box: one line at 7 pt or more, else two lines as large as fit, else
    one line smaller, never below 5 pt."""
    for size in NAME_SIZES[:3]:
        line = shape_line(name, size)
        if line.width <= width:
            return (line,)
    for size in NAME_SIZES:
        lines = wrap(name, size, width)
        if len(lines) <= 2 and all(line.width <= width for line in lines):
            return lines
    return wrap(name, NAME_SIZES[-1], width)


# --- layouts ---------------------------------------------------------------------------------


def _is_string(section: Section) -> bool:
    return section.name.casefold().startswith(STRINGS)


def _arc_slots(
    cx: float, cy: float, w: float, h: float, rings: int
) -> list[tuple[int, float, float, float]]:
    """Seat places on arcs round the conductor, ring by ring from the front: walking each arc
    from the conductor's left to right, a place is taken wherever a box fits without touching
    any other. (ring, angle, x, y) for each."""
    width, height = PAGE
    gap = 4
    slots: list[tuple[int, float, float, float]] = []
    previous: list[tuple[float, float]] = []
    for ring in range(rings):
        ry = 95 + ring * (h + gap)
        rx = 1.75 * ry
        this: list[tuple[float, float]] = []
        for step in range(0, 860):
            a = math.radians(176 - step * 0.2)
            x, y = cx + rx * math.cos(a), cy + ry * math.sin(a)
            if not (40 + w / 2 <= x <= width - 40 - w / 2 and y <= height - 84 - h / 2):
                continue
            if this and abs(x - this[-1][0]) < w + gap and abs(y - this[-1][1]) < h + gap:
                continue
            if any(abs(x - px) < w + gap and abs(y - py) < h + gap for px, py in previous):
                continue
            this.append((x, y))
            slots.append((ring, a, x, y))
        previous = this
    return slots


def _arcs(plan: Plan, cx: float, cy: float, w: float, h: float) -> list[Box] | None:
    """Strings in wedges (first violins on the conductor's left), the front desks nearest; the
    other sections on the arcs behind them. None when the page has too few places."""
    slots = _arc_slots(cx, cy, w, h, 22)
    strings = [(i, s) for i, s in enumerate(plan.sections) if _is_string(s) and s.seats]
    others = [(i, s) for i, s in enumerate(plan.sections) if not _is_string(s) and s.seats]
    total = sum(len(s.seats) for _i, s in strings) or 1
    first, last = math.radians(176), math.radians(4)
    boxes: list[Box] = []
    used: set[int] = set()
    start = first
    for i, section in strings:
        span = (first - last) * len(section.seats) / total
        mine = [n for n, slot in enumerate(slots) if start - span <= slot[1] <= start]
        mine.sort(key=lambda n: (slots[n][0], -slots[n][1]))
        if len(mine) < len(section.seats):
            return None
        for n, seat in zip(mine, section.seats, strict=False):
            used.add(n)
            boxes.append(Box(slots[n][2], slots[n][3], i, seat))
        start -= span
    behind = max((slots[n][0] for n in used), default=-1)
    rest = [n for n, slot in enumerate(slots) if slot[0] > behind]
    queue = [(i, seat) for i, s in others for seat in s.seats]
    if len(rest) < len(queue):
        return None
    for n, (i, seat) in zip(rest, queue, strict=False):
        boxes.append(Box(slots[n][2], slots[n][3], i, seat))
    return boxes


def _rows(plan: Plan, cx: float, cy: float, box_w: float, step: float, width: float) -> list[Box]:
    """Each section in its own row (or rows), front to back, centred on the director."""
    boxes: list[Box] = []
    y = cy + 70
    fit = max(1, int(width / (box_w + 6)))
    for i, section in enumerate(plan.sections):
        seats = list(section.seats)
        while seats:
            row, seats = seats[:fit], seats[fit:]
            left = cx - (len(row) - 1) * (box_w + 6) / 2
            for k, seat in enumerate(row):
                boxes.append(Box(left + k * (box_w + 6), y, i, seat))
            y += step
    return boxes


SCALES = (1.0, 0.9, 0.8, 0.7, 0.62, 0.55, 0.48, 0.42)


def layout(plan: Plan) -> tuple[list[Box], float, float]:
    """Every seat's box centre and the box size: the largest boxes that fit the page."""
    width, height = PAGE
    cx, cy = width / 2, 62
    for scale in SCALES:
        if plan.kind == "orchestra":
            box_w, box_h = 64 * scale, 24 * scale
            boxes = _arcs(plan, cx, cy, box_w, box_h)
        else:  # fewer seats: larger boxes
            box_w, box_h, step = 84 * scale, 28 * scale, 36 * scale
            boxes = _rows(plan, cx, cy, box_w, step, width - 80)
        if boxes is not None and all(
            b.y + box_h / 2 <= height - 80 and 40 <= b.x - box_w / 2 <= width - 40 - box_w
            for b in boxes
        ):
            return boxes, box_w, box_h
    raise PrintProblem(
        "The ensemble has too many members to draw on one page; print the roster instead."
    )


# --- drawing ---------------------------------------------------------------------------------


def _colour(i: int) -> Color:
    return PALETTE[i % len(PALETTE)]


def draw_plan(canvas: Canvas, plan: Plan) -> None:
    width, height = PAGE
    boxes, box_w, box_h = layout(plan)
    canvas.setFillColor(INK)
    draw_line(canvas, shape_line(plan.title, 18, True), 40, height - 48)
    canvas.setFillColor(GREY)
    draw_line(canvas, shape_line(plan.subtitle, 10), 40, height - 64)
    # The conductor or director, facing the ensemble.
    canvas.setStrokeColor(GREY)
    canvas.setFillColor(HexColor("#ffffff"))
    canvas.circle(width / 2, 42, 14, stroke=1, fill=1)
    canvas.setFillColor(GREY)
    draw_centred(
        canvas, shape_line("Conductor" if plan.kind != "choir" else "Director", 7), width / 2, 22
    )
    for box in boxes:
        canvas.setFillColor(_colour(box.section))
        canvas.setStrokeColor(HexColor("#8a8a8a"))
        canvas.roundRect(box.x - box_w / 2, box.y - box_h / 2, box_w, box_h, 3, stroke=1, fill=1)
        lines = fitted(box.seat.name, box_w - 6)
        canvas.setFillColor(INK)
        total = sum(line.size + 1 for line in lines)
        y = box.y + total / 2 - lines[0].size + 1
        for line in lines:
            draw_centred(canvas, line, box.x, y)
            y -= line.size + 1
        if box.seat.seat:
            canvas.setFillColor(GREY)
            canvas.setFont("Helvetica", 4.5)
            canvas.drawRightString(box.x + box_w / 2 - 2, box.y - box_h / 2 + 2, str(box.seat.seat))
    # The legend: each section's colour and name.
    x, y = 40, 40
    for i, section in enumerate(plan.sections):
        if not section.seats:
            continue
        label = shape_line(f"{section.name} ({len(section.seats)})", 7)
        if x + label.width + 20 > width / 2 - 30 and x > 40:
            x, y = 40, y - 11
        canvas.setFillColor(_colour(i))
        canvas.rect(x, y - 1, 8, 7, stroke=0, fill=1)
        canvas.setFillColor(INK)
        draw_line(canvas, label, x + 11, y)
        x += label.width + 22


def render_seating_plan(plan: Plan, out: Path | str) -> Path:
    """The seating plan as a one-page PDF at ``out``."""
    if not any(s.seats for s in plan.sections):
        raise PrintProblem("The ensemble has no members yet, so there is no seating plan to print.")
    return publish(out, f"{plan.title}: seating plan", lambda canvas: draw_plan(canvas, plan))
