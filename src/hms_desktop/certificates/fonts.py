"""Choosing a font for every character of a name, from the font's own cmap table.

Bundled Noto fonts cover Latin (with Vietnamese, Yoruba, Polish, Turkish…), Bengali, Arabic and
Hebrew; text is split into runs by script and each run gets the font made for it. A character
no bundled font has is looked for in the system's fonts; if none has it the name is refused
before anything is printed: a certificate never shows a box.
"""

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from hms_desktop.domain.errors import HmsError
from hms_desktop.paths import resource

# script → (regular, bold) bundled font files
BUNDLED: dict[str, tuple[str, str]] = {
    "latin": ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"),
    "bengali": ("NotoSerifBengali-Regular.ttf", "NotoSerifBengali-Bold.ttf"),
    "arabic": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    "hebrew": ("NotoSerifHebrew-Regular.ttf", "NotoSerifHebrew-Bold.ttf"),
}
RTL_SCRIPTS = {"arabic", "hebrew"}
# Joiners and direction marks shape text but are never drawn.
INVISIBLE = {"\u200c", "\u200d", "\u200e", "\u200f", "\u2066", "\u2067", "\u2068", "\u2069"}


class UnprintableText(HmsError):
    """Text with a character no available font can draw."""


@dataclass(frozen=True)
class Run:
    text: str
    font: str  # registered reportlab font name
    rtl: bool


def script_of(ch: str) -> str | None:
    """The script a character belongs to, or None for spaces, marks and punctuation."""
    cp = ord(ch)
    if 0x0980 <= cp <= 0x09FF:
        return "bengali"
    if (
        0x0600 <= cp <= 0x06FF
        or 0x0750 <= cp <= 0x077F
        or 0x08A0 <= cp <= 0x08FF
        or 0xFB50 <= cp <= 0xFDFF
        or 0xFE70 <= cp <= 0xFEFF
    ):
        return "arabic"
    if 0x0590 <= cp <= 0x05FF or 0xFB1D <= cp <= 0xFB4F:
        return "hebrew"
    category = unicodedata.category(ch)
    if category[0] in "LN":
        return "latin"
    return None  # spaces, combining marks, punctuation: follow their neighbours


def _font_path(filename: str) -> Path:
    return resource("fonts", filename)


@cache
def _load(path: str, name: str) -> TTFont:
    font = TTFont(name, path)
    pdfmetrics.registerFont(font)
    return font


def bundled_font(script: str, bold: bool) -> TTFont:
    filename = BUNDLED[script][1 if bold else 0]
    name = f"HMS-{filename.removesuffix('.ttf')}"
    return _load(str(_font_path(filename)), name)


def covers(font: TTFont, text: str) -> bool:
    cmap = font.face.charToGlyph
    return all(ord(ch) in cmap for ch in text if ch not in INVISIBLE and not ch.isspace())


def missing_from(font: TTFont, text: str) -> set[str]:
    cmap = font.face.charToGlyph
    return {ch for ch in text if ch not in INVISIBLE and not ch.isspace() and ord(ch) not in cmap}


@cache
def _system_fonts_with(ch: str) -> tuple[str, ...]:
    """TrueType files on this computer whose cmap has ``ch`` (fontconfig where available)."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            out = subprocess.run(
                [fc_list, f":charset={ord(ch):x}", "file"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        files = sorted({line.split(":")[0].strip() for line in out.splitlines()})
        return tuple(f for f in files if f.lower().endswith(".ttf"))
    found = []
    for folder in (
        Path("C:/Windows/Fonts"),
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        Path.home() / ".fonts",
    ):
        for path in folder.glob("*.ttf") if folder.is_dir() else ():
            try:
                if ord(ch) in TTFont(f"probe-{path.stem}", str(path)).face.charToGlyph:
                    found.append(str(path))
            except Exception:
                continue
    return tuple(found)


def system_font_for(text: str) -> TTFont | None:
    needed = [ch for ch in text if ch not in INVISIBLE and not ch.isspace()]
    if not needed:
        return None
    for path in _system_fonts_with(needed[0]):
        try:
            font = _load(path, f"SYS-{Path(path).stem}")
        except Exception:
            continue
        if covers(font, text):
            return font
    return None


def split_runs(text: str) -> list[tuple[str, str]]:
    """Split text into (script, run) pieces; neutral characters join the run before them."""
    runs: list[list[str]] = []
    leading = ""
    for ch in text:
        script = script_of(ch)
        if script is None:
            if runs:
                runs[-1][1] += ch
            else:
                leading += ch
        elif runs and runs[-1][0] == script:
            runs[-1][1] += ch
        else:
            runs.append([script, leading + ch])
            leading = ""
    if leading:
        runs.append(["latin", leading])
    return [(script, run) for script, run in runs]


def _font_for(script: str, run: str, bold: bool) -> TTFont | None:
    preferred = bundled_font(script, bold)
    if covers(preferred, run):
        return preferred
    for other in BUNDLED:
        if covers(bundled_font(other, bold), run):
            return bundled_font(other, bold)
    return system_font_for(run)


def font_runs(text: str, bold: bool = False) -> list[Run]:
    """Runs of text, each with a font that has every one of its characters."""
    out: list[Run] = []
    for script, run in split_runs(text):
        font = _font_for(script, run, bold)
        if font is None:
            missing = sorted(missing_from(bundled_font(script, bold), run))
            shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:5])
            raise UnprintableText(
                f"No font on this computer can print {shown}. Nothing was printed: correct the "
                "name, or install a font that has these letters."
            )
        out.append(Run(run, font.fontName, script in RTL_SCRIPTS))
    return out
