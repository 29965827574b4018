"""Build the bundled fonts in resources/fonts from Debian's Noto packages, subset to keep the
bundle small.

Run after changing the list below (needs fonts-noto-core and fonts-noto-cjk installed):
    python scripts/make_fonts.py

- Tamil and Ethiopic: the whole Noto Serif font minus hinting (names use the whole syllabary).
- Chinese: Noto Serif CJK SC Bold, cut to the characters of the GB 2312 and Big5 (level 1)
  character sets, the ones nearly every Chinese name is written with, and converted from CFF to
  TrueType outlines, because reportlab can embed only TrueType outlines. Names are printed bold,
  so one weight serves. The character sets come from Python's own codecs, not a hand list.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from hms_desktop.certificates.truetype import to_truetype

NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc")
OUT = Path(__file__).resolve().parents[1] / "resources" / "fonts"
WHOLE = (
    "NotoSerifTamil-Regular.ttf",
    "NotoSerifTamil-Bold.ttf",
    "NotoSerifEthiopic-Regular.ttf",
    "NotoSerifEthiopic-Bold.ttf",
)
CJK_OUT = "NotoSerifCJKsc-Bold-Names.ttf"


def _charset(codec: str, lead: range, trail: range) -> set[int]:
    found = set()
    for hi in lead:
        for lo in trail:
            try:
                found.add(ord(bytes((hi, lo)).decode(codec)))
            except (UnicodeDecodeError, TypeError):
                continue
    return found


def cjk_characters() -> set[int]:
    gb2312 = _charset("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))  # all 6,763 hanzi
    big5 = _charset("big5", range(0xA4, 0xC7), range(0x40, 0xFF))  # level 1: frequent hanzi
    punctuation = set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFF60))
    kana = set(range(0x3041, 0x3100))  # Japanese names in kana
    return gb2312 | big5 | punctuation | kana | {0x20, 0xB7, 0x30FB}


def _options() -> subset.Options:
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    return options


def make_cjk() -> Path:
    collection = TTCollection(str(NOTO_CJK))
    font = next(f for f in collection.fonts if "SC" in f["name"].getDebugName(1))
    subsetter = subset.Subsetter(_options())
    subsetter.populate(unicodes=cjk_characters())
    subsetter.subset(font)
    to_truetype(font)
    out = OUT / CJK_OUT
    font.save(str(out))
    return out


def main() -> None:
    for name in WHOLE:
        font = TTFont(str(NOTO / name))
        subsetter = subset.Subsetter(_options())
        subsetter.populate(unicodes=font.getBestCmap().keys())
        subsetter.subset(font)
        font.save(str(OUT / name))
        print(f"{name}: {(OUT / name).stat().st_size / 1e6:.2f} MB")
    if "--no-cjk" not in sys.argv:
        out = make_cjk()
        print(f"{out.name}: {out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
