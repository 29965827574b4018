"""Certificates: every name printed right, in a font that has it, subset-embedded; bad input
refused before anything is written; records that reprint the same certificate."""

import os
import stat
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont

from hms_desktop.certificates.content import (
    MAX_NAME,
    BadCertificate,
    CertificateContent,
    Template,
)
from hms_desktop.certificates.fonts import font_runs
from hms_desktop.certificates.render import Cancelled, render_batch
from hms_desktop.paths import resource
from hms_desktop.services import ensembles
from hms_desktop.services.certificates import (
    PrintedFrom,
    group_pupils,
    plan_certificates,
    print_certificates,
    reprint,
)
from hms_desktop.services.store import changes_waiting

from .conftest import MONDAY, whole_class

LATIN = [
    "Zeynep Öztürk",
    "Adébáyọ̀ Ọlátúnjí",
    "Nguyễn Thị Hằng",
    "Łucja Wiśniewska",
    "Şêrko Xelîl",
    "Chinọnso Ezeọkọli",
]
OTHER_SCRIPTS = ["নুসরাত রহমান", "مريم الحسن", "חיה פרידמן"]


def content(name: str, n: int = 1) -> CertificateContent:
    return CertificateContent(
        name,
        Template.ACHIEVEMENT,
        "has reached Stage 2 on Violin",
        date(2026, 12, 18),
        "Samira Okafor-Reid",
        f"HMS-26-TEST-{n:04d}",
        "Q7RM4P",
    )


def embedded_fonts(pdf: Path) -> dict[str, dict]:
    fonts = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def test_latin_names_come_out_of_the_pdf_exactly_as_stored(tmp_path):
    out = render_batch([content(n, i) for i, n in enumerate(LATIN)], tmp_path / "c.pdf")
    pages = PdfReader(out).pages
    assert len(pages) == len(LATIN)
    import unicodedata

    for page, name in zip(pages, LATIN, strict=True):
        text = unicodedata.normalize("NFC", page.extract_text())
        assert unicodedata.normalize("NFC", name) in text


def test_every_name_is_covered_by_the_font_chosen_for_it_and_fonts_are_subsets(tmp_path):
    names = LATIN + OTHER_SCRIPTS
    out = render_batch([content(n, i) for i, n in enumerate(names)], tmp_path / "c.pdf")
    for name in names:
        for run in font_runs(name, bold=True):
            font_file = next(
                f
                for f in os.listdir(resource("fonts"))
                if f"HMS-{f.removesuffix('.ttf')}" == run.font
            )
            cmap = TTFont("check", str(resource("fonts", font_file))).face.charToGlyph
            assert all(ord(ch) in cmap for ch in run.text if not ch.isspace()), name
    fonts = embedded_fonts(out)
    used = {f.split("+", 1)[1] for f in fonts if "+" in f}
    assert {
        "NotoSerif-Bold",
        "NotoSerifBengali-Bold",
        "NotoNaskhArabic-Bold",
        "NotoSerifHebrew-Bold",
    } <= used
    # Subset fonts carry a six-letter tag; no full font is embedded.
    for base in fonts:
        if base.lstrip("/") != "Helvetica":
            tag = base.lstrip("/").split("+")[0]
            assert len(tag) == 6 and tag.isupper(), base


def test_scripts_get_their_own_fonts_and_right_to_left_where_due():
    assert [(r.font, r.rtl) for r in font_runs("مريم الحسن", True)] == [
        ("HMS-NotoNaskhArabic-Bold", True)
    ]
    assert [(r.font, r.rtl) for r in font_runs("חיה פרידמן", True)] == [
        ("HMS-NotoSerifHebrew-Bold", True)
    ]
    runs = font_runs("Ayaan নুসরাত", True)
    assert [r.font for r in runs] == ["HMS-NotoSerif-Bold", "HMS-NotoSerifBengali-Bold"]


def test_a_letter_no_bundled_font_has_comes_from_a_system_font(tmp_path):
    name = "Անի Պետրոսյան"  # Armenian: not in the bundled Noto fonts
    runs = font_runs(name, True)
    if not runs[0].font.startswith("SYS-"):
        pytest.skip("the bundled fonts cover Armenian here")
    out = render_batch([content(name)], tmp_path / "a.pdf")
    assert any(not f.split("+")[-1].startswith("Noto") for f in embedded_fonts(out))


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "the name is empty"),
        ("   ", "the name is empty"),
        ("A" * 1000, f"1,000 characters long; a certificate holds {MAX_NAME}"),
        ("Zeynep\x00Öztürk", "control characters"),
        ("Ana \u0378", "No font on this computer can print"),
    ],
)
def test_bad_names_are_refused_and_nothing_is_written(tmp_path, name, reason):
    out = tmp_path / "c.pdf"
    with pytest.raises(BadCertificate, match="Nothing was printed") as err:
        render_batch([content("Zeynep Öztürk"), content(name, 2)], out)
    assert reason in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_an_output_folder_that_cannot_be_written_is_explained(tmp_path):
    with pytest.raises(BadCertificate, match=r"does not exist\. Nothing was printed"):
        render_batch([content("Zeynep Öztürk")], tmp_path / "missing" / "c.pdf")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    with pytest.raises(BadCertificate):
        render_batch([content("Zeynep Öztürk")], blocked / "c.pdf")


def test_a_batch_cancelled_half_way_leaves_nothing_on_disk(tmp_path):
    seen = []
    with pytest.raises(Cancelled, match="cancelled after 3 of 10"):
        render_batch(
            [content(n, i) for i, n in enumerate(LATIN + LATIN[:4])],
            tmp_path / "c.pdf",
            progress=lambda n, total: seen.append(n),
            cancelled=lambda: len(seen) >= 3,
        )
    assert seen == [1, 2, 3]
    assert list(tmp_path.iterdir()) == []


def test_issuing_stores_records_that_sync_and_reprint_the_same_certificate(db, tmp_path):
    lesson = whole_class(db)
    plan = plan_certificates(db, "recognition", group_pupils(db, lesson.group_id, MONDAY), MONDAY)
    assert len(plan.ready) == 30 and plan.missing == ()
    before = changes_waiting(db)
    ids = print_certificates(db, plan, tmp_path / "term.pdf", MONDAY)
    assert len(ids) == 30
    assert changes_waiting(db) == before + 30  # each certificate is a change to send
    assert stat.S_IMODE((tmp_path / "term.pdf").stat().st_mode) & 0o077 == 0
    first = PdfReader(tmp_path / "term.pdf").pages[0].extract_text()
    again = reprint(db, ids[:1], tmp_path / "again.pdf")
    assert PdfReader(again).pages[0].extract_text() == first
    assert (tmp_path / "again.pdf").read_bytes() == reprint(
        db, ids[:1], tmp_path / "again2.pdf"
    ).read_bytes()


def test_pupils_without_a_level_are_listed_before_anything_is_printed(db):
    lesson = whole_class(db)
    plan = plan_certificates(db, "achievement", group_pupils(db, lesson.group_id, MONDAY), MONDAY)
    assert plan.missing and all("no level has been recorded yet" in m for m in plan.missing)
    assert all(p.wording.startswith("has reached Stage") for p in plan.ready)
    assert len(plan.ready) + len(plan.missing) == 30


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_ensemble_certificates_name_the_ensemble_they_were_printed_from(db, tmp_path):
    mine = {e.name: e.ensemble_id for e in ensembles.my_ensembles(db)}
    orchestra = {r.pupil_id for r in ensembles.roster_of(db, mine["Hackney Youth Orchestra"]).rows}
    choir = ensembles.roster_of(db, mine["Hackney Youth Choir"]).rows
    both = [r.pupil_id for r in choir if r.pupil_id in orchestra]
    assert len(both) >= 2, "the demo has pupils in the orchestra and the choir"
    outsider = next(iter(orchestra - {r.pupil_id for r in choir}))

    plan = plan_certificates(
        db, "ensemble", [*both, outsider], MONDAY, PrintedFrom(mine["Hackney Youth Choir"])
    )
    assert {p.pupil_id for p in plan.ready} == set(both)
    assert {p.wording for p in plan.ready} == {"for singing in Hackney Youth Choir, 2026–27"}
    assert len(plan.missing) == 1 and "not a member of Hackney Youth Choir" in plan.missing[0]
    print_certificates(db, plan, tmp_path / "choir.pdf", MONDAY)
    text = " ".join(_pdf_text(tmp_path / "choir.pdf").split())
    assert text.count("for singing in Hackney Youth Choir") == len(both)
    assert "Youth Orchestra" not in text

    # From a performance: the performance and the ensemble, for those who performed.
    carol = ensembles.add_performance(db, mine["Hackney Youth Choir"], "Carol Service", MONDAY)
    ensembles.set_performed(db, carol.performance_id, both[1], False)
    plan = plan_certificates(
        db,
        "ensemble",
        both[:2],
        MONDAY,
        PrintedFrom(mine["Hackney Youth Choir"], carol.performance_id),
    )
    assert [(p.pupil_id, p.wording) for p in plan.ready] == [
        (both[0], "for performing in Carol Service with Hackney Youth Choir, 2026–27")
    ]
    assert "did not perform in Carol Service" in plan.missing[0]


@pytest.mark.parametrize("length", [13, 40, 80, 100, MAX_NAME])
def test_long_names_fit_inside_the_border_never_smaller_than_the_wording(length):
    from hms_desktop.certificates.render import BODY_SIZE, NAME_SIZES, NAME_WIDTH, fitted_name

    name = ("Chukwuemeka Ọnwụbụ-Nwachukwu Babátúndé Akínwùmí " * 4)[:length].strip()
    lines = fitted_name(name)
    assert 1 <= len(lines) <= 2
    assert " ".join(line.text for line in lines) == name
    assert all(line.width <= NAME_WIDTH for line in lines)
    size = lines[0].size
    assert size >= BODY_SIZE  # seen: 120 characters dropped to 14 pt, below the 18 pt wording
    assert size == NAME_SIZES[0] if length <= 13 else BODY_SIZE <= size < NAME_SIZES[0]


def test_the_wording_never_leaves_a_word_alone_on_its_last_line():
    from hms_desktop.certificates.render import BODY_SIZE, TEXT_WIDTH
    from hms_desktop.certificates.text import wrap

    wording = "for outstanding effort and commitment in Trombone lessons, Autumn term 2026"
    lines = wrap(wording, BODY_SIZE, TEXT_WIDTH)
    assert len(lines) == 2  # seen: "…Autumn term" / "2026"
    assert len(lines[-1].text.split()) >= 3
    assert " ".join(line.text for line in lines) == wording


def test_the_qr_code_reads_back_the_serial_and_verification_code(tmp_path):
    import shutil
    import subprocess

    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        pytest.skip("zbar-tools and poppler-utils are installed by `make system-deps`")
    pdf = render_batch([content("مريم الحسن", 7)], tmp_path / "qr.pdf")
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == "HMS-CERT HMS-26-TEST-0007 Q7RM4P"
