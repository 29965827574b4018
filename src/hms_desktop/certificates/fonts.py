"""Which font prints and shows each part of a name: the script of every character from Unicode
data (fontTools), then a bundled Noto font made for that script, then a font on this computer.

Bundled: Noto Serif for Latin (with Vietnamese, Yoruba, Polish, Turkish…), Greek and Cyrillic;
Noto Serif Bengali, Tamil, Ethiopic and Hebrew; Noto Naskh Arabic; and a bold Noto Serif CJK
subset for Chinese (and Japanese kana). A script none of them has is looked for in the system's
fonts (.ttf, .otf or .ttc; PostScript outlines converted in memory for just the letters needed);
if none has it the name is refused, naming
the script and a font to install, before anything is printed: a certificate never shows a box.

``coverage`` is the one rule the screens use too: the UI registers the bundled fonts with Qt and
asks it which families can show a name.
"""

import hashlib
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from fontTools import subset
from fontTools import unicodedata as script_data
from fontTools.ttLib import TTFont as FontToolsFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from hms_desktop.domain.errors import HmsError
from hms_desktop.paths import resource

from .truetype import to_truetype

_SERIF = ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf")
_CJK = ("NotoSerifCJKsc-Bold-Names.ttf", "NotoSerifCJKsc-Bold-Names.ttf")  # names print bold
# ISO 15924 script code → (regular, bold) bundled font files
BUNDLED: dict[str, tuple[str, str]] = {
    "Latn": _SERIF,
    "Grek": _SERIF,
    "Cyrl": _SERIF,
    "Beng": ("NotoSerifBengali-Regular.ttf", "NotoSerifBengali-Bold.ttf"),
    "Arab": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    "Hebr": ("NotoSerifHebrew-Regular.ttf", "NotoSerifHebrew-Bold.ttf"),
    "Taml": ("NotoSerifTamil-Regular.ttf", "NotoSerifTamil-Bold.ttf"),
    "Ethi": ("NotoSerifEthiopic-Regular.ttf", "NotoSerifEthiopic-Bold.ttf"),
    "Hani": _CJK,
    "Hira": _CJK,
    "Kana": _CJK,
}
# Scripts whose letters belong to whatever script surrounds them.
_NEUTRAL_SCRIPTS = {"Zyyy", "Zinh", "Zzzz"}
# Joiners and direction marks shape text but are never drawn.
INVISIBLE = {"\u200c", "\u200d", "\u200e", "\u200f", "\u2066", "\u2067", "\u2068", "\u2069"}


class UnprintableText(HmsError):
    """Text with a character no available font can draw."""


@dataclass(frozen=True)
class Run:
    text: str
    font: str  # registered reportlab font name
    rtl: bool  # the script is written right to left


@dataclass(frozen=True)
class Coverage:
    """What it takes to show a piece of text on this computer."""

    families: tuple[str, ...]  # font families that together have every letter, bundled first
    missing_scripts: tuple[str, ...]  # scripts (by name) no font here has

    @property
    def complete(self) -> bool:
        return not self.missing_scripts


def script_of(ch: str) -> str | None:
    """The ISO 15924 script code of a character, or None for spaces, marks and punctuation."""
    code = script_data.script(ch)
    return None if code in _NEUTRAL_SCRIPTS else code


def script_name(code: str) -> str:
    return script_data.script_name(code, default=code)


def is_rtl(code: str) -> bool:
    return script_data.script_horizontal_direction(code, default="LTR") == "RTL"


def _font_path(filename: str) -> Path:
    return resource("fonts", filename)


@cache
def _load(path: str, name: str, index: int = 0) -> TTFont:
    font = TTFont(name, path, subfontIndex=index)
    pdfmetrics.registerFont(font)
    return font


def bundled_font(script: str, bold: bool) -> TTFont:
    filename = BUNDLED.get(script, _SERIF)[1 if bold else 0]
    name = f"HMS-{filename.removesuffix('.ttf')}"
    return _load(str(_font_path(filename)), name)


def family_of(font: TTFont) -> str:
    family = font.face.familyName
    return family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)


def _needed(text: str) -> list[str]:
    return [ch for ch in text if ch not in INVISIBLE and not ch.isspace()]


def covers(font: TTFont, text: str) -> bool:
    cmap = font.face.charToGlyph
    return all(ord(ch) in cmap for ch in _needed(text))


def missing_from(font: TTFont, text: str) -> set[str]:
    cmap = font.face.charToGlyph
    return {ch for ch in _needed(text) if ord(ch) not in cmap}


def _fc_list(ch: str) -> list[tuple[str, int]]:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run(
            [fc_list, "--format", "%{file}\t%{index}\n", f":charset={ord(ch):x}"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        path, _, index = line.partition("\t")
        if path.strip():
            found.append((path.strip(), int(index) if index.strip().isdigit() else 0))
    return sorted(set(found))


def _font_folders() -> list[tuple[str, int]]:
    """Without fontconfig (Windows, macOS, a bare Linux): every font file in the usual folders."""
    found = []
    for folder in (
        Path("C:/Windows/Fonts"),
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path.home() / "Library" / "Fonts",
        Path.home() / ".local" / "share" / "fonts",
        Path.home() / ".fonts",
    ):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.suffix.lower() in (".ttf", ".otf"):
                    found.append((str(path), 0))
                elif path.suffix.lower() == ".ttc":
                    found.extend((str(path), i) for i in range(_fonts_in_collection(path)))
    return found


def _fonts_in_collection(path: Path) -> int:
    try:
        with path.open("rb") as file:
            header = file.read(12)
        return int.from_bytes(header[8:12], "big") if header[:4] == b"ttcf" else 1
    except OSError:
        return 0


@cache
def _system_fonts_with(ch: str) -> tuple[tuple[str, int, bool], ...]:
    """(file, index, embeddable) of fonts on this computer that have ``ch``. reportlab embeds
    only TrueType outlines; a font with PostScript (CFF) outlines is listed as not embeddable
    and is converted for the letters a name needs (``_converted``)."""
    candidates = _fc_list(ch) if shutil.which("fc-list") else _font_folders()
    found = []
    for path, index in candidates:
        try:
            font = _load(path, f"SYS-{Path(path).stem}-{index}", index)
        except Exception:
            found.append((path, index, False))
            continue
        if ord(ch) in font.face.charToGlyph:
            found.append((path, index, True))
    return tuple(found)


def _covers_cmap(cmap: dict[int, str], text: str) -> bool:
    return all(ord(ch) in cmap for ch in _needed(text))


def _converted(path: str, index: int, text: str) -> TTFont | None:
    """A TrueType font, in memory, with just the letters of ``text`` from a CFF font file."""
    try:
        source = FontToolsFont(path, fontNumber=index)
        if "CFF " not in source or not _covers_cmap(source.getBestCmap(), text):
            return None
        options = subset.Options()
        options.hinting = False
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes={ord(ch) for ch in text} | {0x20})
        subsetter.subset(source)
        to_truetype(source)
        data = BytesIO()
        source.save(data)
        data.seek(0)
        name = f"SYS-{Path(path).stem}-{index}-{hashlib.sha256(text.encode()).hexdigest()[:10]}"
        font = TTFont(name, data)
        pdfmetrics.registerFont(font)
        return font
    except Exception:
        return None


@lru_cache(maxsize=256)
def system_font_for(text: str, bold: bool = False) -> TTFont | None:
    needed = _needed(text)
    if not needed:
        return None
    # A bold face first for bold text, a regular one otherwise.
    candidates = sorted(
        _system_fonts_with(needed[0]), key=lambda f: ("bold" in f[0].lower()) != bold
    )
    for path, index, embeddable in candidates:
        if embeddable:
            font = _load(path, f"SYS-{Path(path).stem}-{index}", index)
            if covers(font, text):
                return font
    for path, index, embeddable in candidates:
        if not embeddable:
            font = _converted(path, index, text)
            if font is not None:
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
        runs.append(["Latn", leading])
    return [(script, run) for script, run in runs]


def _font_for(script: str, run: str, bold: bool) -> TTFont | None:
    preferred = bundled_font(script, bold)
    if covers(preferred, run):
        return preferred
    for other in BUNDLED:
        if covers(bundled_font(other, bold), run):
            return bundled_font(other, bold)
    return system_font_for(run, bold)


def _refusal(script: str, run: str, bold: bool) -> str:
    missing = sorted(missing_from(bundled_font(script, bold), run))
    unassigned = [
        ch for ch in missing if unicodedata.category(ch) == "Cn" and script_of(ch) is None
    ]
    if unassigned:
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in unassigned[:5])
        return (
            f"No font on this computer can print {shown}: it is not a letter in Unicode "
            "(check the name in the school's records)"
        )
    name = script_name(script)
    cjk = script in ("Hani", "Hira", "Kana", "Hang")
    suggestion = "Noto Sans CJK" if cjk else f"Noto Sans {name}"
    shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:3])
    return (
        f"No font on this computer can print the {name} script ({shown}). The name is right: "
        f"install a font for {name}, such as {suggestion} (free from fonts.google.com/noto), "
        "then print again"
    )


@lru_cache(maxsize=4096)
def font_runs(text: str, bold: bool = False) -> tuple[Run, ...]:
    """Runs of text, each with a font that has every one of its characters."""
    out: list[Run] = []
    for script, run in split_runs(text):
        font = _font_for(script, run, bold)
        if font is None:
            raise UnprintableText(_refusal(script, run, bold))
        out.append(Run(run, font.fontName, is_rtl(script)))
    return tuple(out)


def coverage(text: str, bold: bool = False) -> Coverage:
    """Which font families can show ``text`` here, or which scripts nothing here can show."""
    families: list[str] = []
    missing: list[str] = []
    for script, run in split_runs(text):
        font = _font_for(script, run, bold)
        if font is None:
            known = any(script_of(ch) for ch in _needed(run))
            missing.append(script_name(script) if known else "Unknown")
        elif family_of(font) not in families:
            families.append(family_of(font))
    return Coverage(tuple(families), tuple(dict.fromkeys(missing)))
