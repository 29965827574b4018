"""Every pupil's name printed as the family writes it: the PDF's text gives the name back (two
extractors), right-to-left names read right to left on the page (checked against Qt's own
HarfBuzz drawing), no optional ligature changes a letter, and the fonts a laptop may lack are
bundled — a name in a script nothing covers is refused with the script named."""

import os
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from hms_demo.names import COMMUNITIES
from hms_desktop.certificates.content import CertificateContent, Template, problems_with_name
from hms_desktop.certificates.fonts import coverage, font_runs
from hms_desktop.certificates.render import fitted_name, render_batch
from hms_desktop.domain.names import display_name
from hms_desktop.paths import resource

# (script, name as typed); the demo's communities are added below.
NAMES = [
    ("Arabic", "مريم الحسن"),
    ("Arabic", "عبد الله محمود"),
    ("Hebrew", "יוסף כהן"),
    ("Hebrew", "חיה פרידמן"),
    ("Bengali", "নুসরাত রহমান"),
    ("Tamil", "முருகன் செல்வராஜ்"),
    ("Ethiopic (Amharic)", "ሰላም ተስፋዬ"),
    ("Ethiopic (Tigrinya)", "ሄለን ገብረሚካኤል"),
    ("Chinese", display_name("小明", "王", None, True)),
    ("Chinese (traditional)", display_name("嘉欣", "陳", None, True)),
    ("Greek", "Ελένη Παπαδοπούλου"),
    ("Cyrillic", "Анастасия Ковальчук"),
    ("Vietnamese", display_name("Thị Hằng", "Nguyễn", None, True)),
    ("Yoruba, stacked marks", "Adébáyọ̀ Ọlátúnjí"),
    ("Stored decomposed", unicodedata.normalize("NFD", "Ọlámidé Nguyễn Öztürk")),
    ("Polish", "Łucja Wiśniewska"),
] + [
    (community, display_name(given[0], family[0], None, first))
    for community, (given, family, first) in COMMUNITIES.items()
]
RIGHT_TO_LEFT = [("مريم", "الحسن"), ("יוסף", "כהן"), ("חיה", "פרידמן")]
NOBODY_HAS = "\U00011f04\U00011f05\U00011f12"  # Kawi (Unicode 15): no font here or bundled has it


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def content(name: str, n: int = 1) -> CertificateContent:
    return CertificateContent(
        name,
        list(Template)[n % 4],
        "has reached Stage 2 on Violin",
        date(2026, 12, 18),
        "Samira Okafor-Reid",
        f"HMS-26-TEST-{n:04d}",
        "Q7RM4P",
    )


@pytest.fixture(scope="module")
def names_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("names") / "names.pdf"
    return render_batch([content(name, n) for n, (_s, name) in enumerate(NAMES)], out)


def pdftotext_pages(pdf: Path) -> list[list[str]]:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    strip = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e"))  # poppler's bidi marks
    return [
        [nfc(line.translate(strip).strip()) for line in page.splitlines()]
        for page in out.split("\f")
    ]


def pdfium_pages(pdf: Path) -> list[list[str]]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [
            [nfc(line.strip()) for line in page.get_textpage().get_text_range().splitlines()]
            for page in doc
        ]
    finally:
        doc.close()


def test_every_name_copies_out_of_the_pdf_as_typed_with_two_extractors(names_pdf):
    """Seen: Arabic, Hebrew, Bengali and Tamil gave glyph order and private-use characters."""
    poppler, pdfium_text = pdftotext_pages(names_pdf), pdfium_pages(names_pdf)
    for n, (script, name) in enumerate(NAMES):
        assert nfc(name) in poppler[n], (script, name, poppler[n])
        assert nfc(name) in pdfium_text[n], (script, name, pdfium_text[n])


@pytest.mark.parametrize(("first", "second"), RIGHT_TO_LEFT)
def test_right_to_left_names_put_the_first_word_on_the_right(tmp_path, first, second):
    """Seen: an Arabic or Hebrew given + family name read family-first on the page."""
    pdf = render_batch([content(f"{first} {second}")], tmp_path / "rtl.pdf")
    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0].get_textpage()
        text = page.get_text_range()
        left_of = {w: page.get_charbox(text.index(w))[0] for w in (first, second)}
    finally:
        doc.close()
    assert left_of[first] > left_of[second]


def _ink(image: Image.Image) -> Image.Image:
    """Dark pixels of an image, cropped to them, as a one-row profile of 300 columns."""
    grey = ImageChops.invert(image.convert("L"))
    mask = grey.point(lambda v: 255 if v > 150 else 0)  # the navy name, not the gold rule
    box = mask.getbbox()
    assert box is not None, "nothing was drawn"
    return mask.crop(box).resize((300, 1), Image.Resampling.BOX)


def _similarity(a: Image.Image, b: Image.Image) -> float:
    xs, ys = list(a.tobytes()), list(b.tobytes())
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var = (sum((x - mean_x) ** 2 for x in xs) * sum((y - mean_y) ** 2 for y in ys)) ** 0.5
    return cov / var


def _qt_drawing(text: str, font_file: str, pixels: int) -> Image.Image:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter

    family = QFontDatabase.applicationFontFamilies(
        QFontDatabase.addApplicationFont(str(resource("fonts", font_file)))
    )[0]
    image = QImage(pixels * len(text), pixels * 3, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    font = QFont(family)
    font.setPixelSize(pixels)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    data = image.constBits().tobytes()
    return Image.frombuffer("RGBA", (image.width(), image.height()), data, "raw", "BGRA", 0, 1)


def _one_bundled_font(name: str) -> str | None:
    fonts = {run.font for run in font_runs(name, True)}
    font = fonts.pop() if len(fonts) == 1 else ""
    return f"{font.removeprefix('HMS-')}.ttf" if font.startswith("HMS-") else None


def _swapped(name: str) -> str:
    words = name.split(" ")
    return " ".join(reversed(words)) if len(words) > 1 else name[1:] + name[0]


@pytest.mark.parametrize(
    ("script", "name", "font_file"),
    [(s, n, f) for s, n in NAMES if (f := _one_bundled_font(n))],
)
def test_the_printed_name_looks_like_qts_own_drawing_of_it(qapp, tmp_path, script, name, font_file):
    """Each page, rendered to PNG, against Qt's HarfBuzz drawing of the same name: it matches
    the name in its own order far better than with its words swapped."""
    pdf = render_batch([content(name)], tmp_path / "look.pdf")
    size = fitted_name(name)[0].size
    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        text = page.get_textpage()
        start = text.get_text_range().index(name)
        boxes = [text.get_charbox(i) for i in range(start, start + len(name))]
        left, right = min(b[0] for b in boxes) - size, max(b[2] for b in boxes) + size
        bottom, top = min(b[1] for b in boxes) - size * 0.4, max(b[3] for b in boxes) + size * 0.4
        scale = 3
        image = page.render(scale=scale).to_pil()
        height = page.get_height()
    finally:
        doc.close()
    band = image.crop(
        (
            int(left * scale),
            int((height - top) * scale),
            int(right * scale),
            int((height - bottom) * scale),
        )
    )
    printed = _ink(band)
    same = _ink(_qt_drawing(name, font_file, int(size * scale)))
    swapped = _ink(_qt_drawing(_swapped(name), font_file, int(size * scale)))
    assert _similarity(printed, same) > 0.8, script
    assert _similarity(printed, same) > _similarity(printed, swapped) + 0.1, script


def test_hebrew_keeps_its_letters_no_yiddish_ligature(tmp_path):
    """Seen: יו drawn as ױ, because shaping turned on discretionary ligatures."""
    pdf = render_batch([content("יוסף כהן")], tmp_path / "he.pdf")
    glyphs = PdfReader(pdf).pages[0].extract_text()  # pypdf reads the glyphs, not /ActualText
    assert "\u05f1" not in glyphs
    assert "ס" in glyphs and "ו" in glyphs and "י" in glyphs


@pytest.mark.parametrize(
    "name",
    [
        n
        for s, n in NAMES
        if s.split()[0]
        in {"Hebrew", "Greek", "Cyrillic", "Chinese", "Vietnamese", "Polish", "English", "Turkish"}
    ],
)
def test_no_optional_ligature_replaces_letters(tmp_path, name):
    pdf = render_batch([content(name)], tmp_path / "lig.pdf")
    glyphs = nfc(PdfReader(pdf).pages[0].extract_text())
    private = [ch for ch in glyphs if unicodedata.category(ch) == "Co"]
    assert private == []  # a ligature glyph has no letter of its own
    assert all(word in glyphs for word in nfc(name).split())


def test_a_chinese_name_has_no_space_and_prints_in_the_bundled_serif():
    """Seen: a space between family and given name, and a thin system font."""
    assert display_name("小明", "王", None, True) == "王小明"
    assert display_name("Thị Hằng", "Nguyễn", None, True) == "Nguyễn Thị Hằng"
    assert display_name("Zeynep", "Öztürk", None, False) == "Zeynep Öztürk"
    assert [r.font for r in font_runs("王小明", True)] == ["HMS-NotoSerifCJKsc-Bold-Names"]


def test_the_screen_and_the_page_share_one_coverage_rule():
    assert coverage("王小明").families == ("Noto Serif CJK SC",)
    assert coverage("முருகன்").families == ("Noto Serif Tamil",)
    assert coverage("Ayaan নুসরাত").families == ("Noto Serif", "Noto Serif Bengali")
    missing = coverage(f"Ana {NOBODY_HAS}")
    assert not missing.complete and missing.missing_scripts == ("Kawi",)


def test_a_name_nothing_can_print_is_refused_naming_the_script_and_a_font():
    """Seen: "correct the name" (the name is right) with no script or font named."""
    reason = problems_with_name(f"Ana {NOBODY_HAS}")
    assert reason is not None
    assert "Kawi" in reason and "Noto Sans Kawi" in reason and "The name is right" in reason
    assert "correct the name" not in reason and "Nothing was printed" not in reason


BUNDLED_ONLY = """
import sys
from datetime import date
from pathlib import Path
from hms_desktop.certificates.content import CertificateContent, Template, problems_with_name
from hms_desktop.certificates.render import render_batch
names = sys.argv[2:]
items = [CertificateContent(n, Template.ACHIEVEMENT, "has reached Stage 2 on Violin",
         date(2026, 12, 18), "Samira Okafor-Reid", f"HMS-26-TEST-{i:04d}", "Q7RM4P")
         for i, n in enumerate(names)]
render_batch(items, Path(sys.argv[1]))
print(problems_with_name("Անի Պետրոսյան"))
"""


def test_a_laptop_with_only_the_bundled_fonts_prints_every_name(tmp_path):
    """Seen: Tamil and Ethiopic refused with only the bundled fonts; Chinese on a bare laptop."""
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{empty}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    out = tmp_path / "bare.pdf"
    result = subprocess.run(
        [sys.executable, "-c", BUNDLED_ONLY, str(out), *(n for _s, n in NAMES)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "the Armenian script" in result.stdout  # no bundled font has it: refused, named
    assert len(PdfReader(out).pages) == len(NAMES)
    embedded = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "NotoSerifTamil-Bold" in embedded and "NotoSerifEthiopic-Bold" in embedded
    assert "NotoSerifCJKsc-Bold" in embedded


def test_skip_missing_prints_the_others_and_says_so_honestly(db, demo_path, tmp_path):
    """Seen: under --skip-missing the refusal still said "Nothing was printed" when the others
    were."""
    from sqlalchemy import select

    from hms_desktop.data.models import Enrolment, Pupil

    from .conftest import MONDAY, whole_class

    group = whole_class(db).group_id
    with db.transaction() as session:
        pupil = session.scalars(
            select(Pupil)
            .join(Enrolment, Enrolment.pupil_id == Pupil.id)
            .where(Enrolment.group_id == group)
        ).first()
        pupil.given_name = NOBODY_HAS
    db.close()
    out = tmp_path / "term.pdf"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "hms_desktop", "certificates", "--db", str(demo_path)),
            *("--group", group, "--template", "recognition", "--out", str(out)),
            *("--date", MONDAY.isoformat(), "--skip-missing"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "the Kawi script" in result.stderr and "Noto Sans Kawi" in result.stderr
    assert "Nothing was printed" not in result.stderr + result.stdout
    assert "Printed 29 certificates" in result.stdout and "1 pupil(s) left out" in result.stdout
    assert len(PdfReader(out).pages) == 29


def test_a_system_font_in_a_ttc_with_postscript_outlines_prints_a_script_the_bundle_lacks(
    tmp_path,
):
    """Seen: the fallback read only .ttf, so Noto CJK (.ttc) and macOS .otf fonts were never
    used. Korean is not bundled; Debian's fonts-noto-cjk has it in a .ttc with CFF outlines."""
    if not list(Path("/usr/share/fonts/opentype/noto").glob("NotoSansCJK*.ttc")):
        pytest.skip("fonts-noto-cjk is installed by `make system-deps`")
    name = "김민준"
    assert coverage(name).complete
    pdf = render_batch([content(name)], tmp_path / "ko.pdf")
    assert name in pdfium_pages(pdf)[0] and name in pdftotext_pages(pdf)[0]
    embedded = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in embedded


@pytest.mark.parametrize("name", ["முருகன் செல்வராஜ்", "مريم الحسن", "নুসরাত রহমান"])
def test_the_rule_under_the_name_clears_its_descenders(tmp_path, name):
    pdf = render_batch([content(name)], tmp_path / "rule.pdf")
    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=2).to_pil().convert("RGB")
    finally:
        doc.close()
    width, height = image.size
    pixels = image.load()

    def near(colour, target):
        return all(abs(a - b) < 40 for a, b in zip(colour, target, strict=True))

    navy, gold = (0x1F, 0x4E, 0x8C), (0xC9, 0x97, 0x00)
    centre = range(width // 2 - 150, width // 2 + 150)
    rule = next(
        y
        for y in range(height // 3, height * 2 // 3)
        if sum(near(pixels[x, y], gold) for x in centre) > 250
    )
    navy_rows = [
        y for y in range(height // 4, rule + 20) if any(near(pixels[x, y], navy) for x in centre)
    ]
    assert navy_rows and max(navy_rows) < rule - 1  # the name ends above the rule


def test_without_fontconfig_the_usual_font_folders_are_searched(monkeypatch):
    """Windows, macOS or a Linux without fc-list: font files are found in the usual folders,
    .ttc collections included."""
    import shutil

    from hms_desktop.certificates import fonts

    if not Path("/usr/share/fonts").is_dir():
        pytest.skip("no system font folder here")
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    found = fonts._system_fonts_with.__wrapped__("Ա")  # Armenian: in no bundled font
    assert any(embeddable for _path, _index, embeddable in found)
