"""A line of text as its writers expect to see it, drawn on a reportlab canvas.

- Order: the Unicode bidi algorithm (python-bidi, the Rust unicode-bidi crate) gives every
  character its level; runs are laid out in visual order, so an Arabic or Hebrew name reads
  right to left, word by word.
- Shape: each run is shaped by HarfBuzz (reportlab's shaping) in its script's font, with the
  optional ligatures off (``dlig`` would draw Hebrew יו as the Yiddish ligature ױ): a name keeps
  every letter it was typed with; the ligatures a script needs (Arabic lam-alef, Bengali and
  Tamil conjuncts) are required features and stay.
- Text: each drawn word is marked content with ``/ActualText``, so copying, searching and screen
  readers get the text as typed, not glyph order and private-use codes. A right-to-left word's
  ActualText is given in visual order, as PDF text of right-to-left scripts is stored: the
  extractors (poppler, PDFium) turn it back, and both then give the name as typed.

Lines are measured before drawing, and wrapped so that the lines come out even (no word left
alone on the last line).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from bidi import get_display
from reportlab.lib.abag import ABag
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import shapeFragWord
from reportlab.pdfgen.canvas import Canvas

from hms_desktop.domain.names import written_unspaced

from .fonts import Run, font_runs

# Standard, discretionary and historical ligatures are optional: off for text that is a name.
FEATURES = {"kern": True, "liga": False, "dlig": False, "hlig": False}
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


@dataclass(frozen=True)
class Piece:
    """One shaped run, in visual order, ready to draw."""

    text: str  # glyph string (a reportlab ShapedStr when shaping moved anything)
    font: str
    width: float
    actual: str  # the characters these glyphs stand for, in visual order


@dataclass(frozen=True)
class Line:
    text: str  # as typed
    pieces: tuple[Piece, ...]  # left to right
    size: float
    width: float
    descent: float  # how far below the baseline its fonts may draw (negative)


def bidi_levels(text: str) -> list[int]:
    """The embedding level of every character (odd: right to left), from python-bidi."""
    if text.isascii():
        return [0] * len(text)
    report = get_display(text, debug=True)
    block = report.split("levels:", 1)[1].split("paragraphs:", 1)[0]
    per_byte = [int(n) for n in _LEVEL.findall(block)]
    levels, offset = [], 0
    for ch in text:
        levels.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    if offset != len(per_byte):
        raise RuntimeError("python-bidi reported levels for a different text")
    return levels


def _word_ends(text: str, i: int, level: int) -> bool:
    """Words are drawn (and marked) one by one; a left-to-right word keeps its trailing space,
    which PDFium otherwise drops after a word ending in stacked marks."""
    if level % 2:
        return " " in text[i - 1 : i + 1]
    return text[i - 1] == " " and text[i] != " "


def _visual_runs(text: str, bold: bool) -> list[tuple[Run, int]]:
    """Words and spaces of each font run, split where the bidi level changes too, in the order
    they appear on the page (rule L2 of the bidi algorithm)."""
    levels = bidi_levels(text)
    runs: list[tuple[Run, int]] = []
    start = 0
    for run in font_runs(text, bold):
        end = start + len(run.text)
        piece_start = start
        for i in range(start + 1, end + 1):
            if i == end or levels[i] != levels[piece_start] or _word_ends(text, i, levels[i - 1]):
                runs.append((Run(text[piece_start:i], run.font, run.rtl), levels[piece_start]))
                piece_start = i
        start = end
    if not runs:
        return runs
    top = max(level for _run, level in runs)
    lowest_odd = min((level for _run, level in runs if level % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(runs):
            if runs[i][1] >= level:
                j = i
                while j < len(runs) and runs[j][1] >= level:
                    j += 1
                runs[i:j] = runs[i:j][::-1]
                i = j
            else:
                i += 1
    return runs


def _shape(text: str, font: str, size: float, rtl: bool = False) -> Piece:
    word = [stringWidth(text, font, size), (ABag(fontName=font, fontSize=size), text)]
    shaped = shapeFragWord(word, features=FEATURES, force=True)
    glyphs = shaped[1][1]
    for part in shaped[2:]:  # ShapedStr + ShapedStr keeps both pieces' shaping data
        glyphs = glyphs + part[1]
    return Piece(glyphs, font, float(shaped[0]), text[::-1] if rtl else text)


@lru_cache(maxsize=4096)
def shape_line(text: str, size: float, bold: bool = False) -> Line:
    pieces = tuple(
        _shape(run.text, run.font, size, level % 2 == 1) for run, level in _visual_runs(text, bold)
    )
    descent = min((getFont(p.font).face.descent * size / 1000 for p in pieces), default=0.0)
    return Line(text, pieces, size, sum(p.width for p in pieces), descent)


def _actual_text(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def draw_line(canvas: Canvas, line: Line, x: float, y: float) -> None:
    """Draw ``line`` with its left end at ``x`` and its baseline at ``y``, as one text object
    (extractors read one line), each word in a marked-content span with its /ActualText."""
    text = canvas.beginText()
    for piece in line.pieces:
        # Marked content inside a text object is allowed (PDF 32000 14.6); reportlab's text
        # object has no call for it, so the operators go into its code list directly.
        marked = not piece.actual.isspace()  # a space is a space glyph already
        if marked:
            text._code.append(f"/Span <</ActualText {_actual_text(piece.actual)}>> BDC")
        text.setFont(piece.font, line.size)
        text.setTextOrigin(x, y)
        text._code.append(text._formatText(piece.text))
        if marked:
            text._code.append("EMC")
        x += piece.width
    canvas.drawText(text)


def draw_centred(canvas: Canvas, line: Line, centre: float, y: float) -> None:
    draw_line(canvas, line, centre - line.width / 2, y)


def _greedy(widths: list[float], space: float, limit: float) -> list[int]:
    """Where greedy wrapping at ``limit`` starts each line (indexes into the words)."""
    starts, used = [0], widths[0]
    for i in range(1, len(widths)):
        if used + space + widths[i] > limit:
            starts.append(i)
            used = widths[i]
        else:
            used += space + widths[i]
    return starts


@lru_cache(maxsize=1024)
def wrap(text: str, size: float, width: float, bold: bool = False) -> tuple[Line, ...]:
    """``text`` in as few lines as fit ``width``, broken so the lines are as even as can be."""
    words, joiner = text.split(" "), " "
    if len(words) == 1 and written_unspaced(text):  # a long Chinese name breaks between letters
        words, joiner = list(text), ""
    widths = [shape_line(w, size, bold).width if w else 0.0 for w in words]
    space = shape_line(" ", size, bold).width if joiner else 0.0
    lines = len(_greedy(widths, space, width))
    low, high = max(widths), width
    for _ in range(12):  # the narrowest measure that still needs no more lines
        middle = (low + high) / 2
        if len(_greedy(widths, space, middle)) <= lines:
            high = middle
        else:
            low = middle
    starts = [*_greedy(widths, space, high), len(words)]
    return tuple(shape_line(joiner.join(words[a:b]), size, bold) for a, b in pairwise(starts))
