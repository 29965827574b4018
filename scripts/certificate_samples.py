"""A sample sheet of certificates with names in every supported script, rendered to PNG, and the
same pages at full size in OUT_DIR/pages/ (not committed) to look at closely.

Usage: python scripts/certificate_samples.py OUT_DIR   (needs pdftoppm, from poppler-utils)
"""

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from PIL import Image

from hms_desktop.certificates.content import CertificateContent, Template
from hms_desktop.certificates.render import render_batch

SAMPLES = (
    ("Zeynep Öztürk", Template.ACHIEVEMENT, "has reached Stage 2 on Violin"),
    ("Adébáyọ̀ Ọlátúnjí", Template.EXAM, "has passed Grade 3 Trumpet with Merit"),
    (
        "Nguyễn Thị Hằng",
        Template.RECOGNITION,
        "for outstanding effort and commitment in Cello lessons, Autumn term 2026",
    ),
    (
        "Łucja Wiśniewska",
        Template.ENSEMBLE,
        "for playing in the Hackney Schools Jazz Band, 2026–27",
    ),
    ("নুসরাত রহমান", Template.ACHIEVEMENT, "has reached Stage 1 on Flute"),
    ("مريم الحسن", Template.ACHIEVEMENT, "has reached Stage 3 on Clarinet"),
    ("יוסף כהן", Template.EXAM, "has passed Initial Piano with Distinction"),
    ("முருகன் செல்வராஜ்", Template.ENSEMBLE, "for playing in the Hackney Youth Orchestra, 2026–27"),
    (
        "ሰላም ተስፋዬ",
        Template.RECOGNITION,
        "for outstanding effort and commitment in Voice lessons, Autumn term 2026",
    ),
    ("王小明", Template.ACHIEVEMENT, "has reached Stage 4 on Violin"),
    ("Ελένη Παπαδοπούλου", Template.EXAM, "has passed Grade 5 Flute with Merit"),
    (
        "Chukwuemeka Ọnwụbụ-Nwachukwu Babátúndé Akínwùmí Ifeanyichukwu Oluwaseun Adéwálé Okonkwo-"
        "Ọ̀ṣúntókìí Babajide Chinedu",
        Template.RECOGNITION,
        "for outstanding effort and commitment in Trombone lessons, Autumn term 2026",
    ),
)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    items = [
        CertificateContent(
            name,
            template,
            wording,
            date(2026, 12, 18),
            "Samira Okafor-Reid",
            f"HMS-26-SAMP-{n:04d}",
            "Q7RM4P",
        )
        for n, (name, template, wording) in enumerate(SAMPLES, start=1)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        pdf = render_batch(items, Path(tmp) / "certificate-samples.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), f"{tmp}/page"], check=True)
        if "--pages" in sys.argv:
            (out / "pages").mkdir(exist_ok=True)
            subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), f"{out}/pages/p"], check=True)
        pages = [Image.open(p) for p in sorted(Path(tmp).glob("page-*.png"))]
        w, h = pages[0].size
        sheet = Image.new("RGB", (w * 2 + 30, (h + 10) * ((len(pages) + 1) // 2) + 10), "white")
        for n, page in enumerate(pages):
            sheet.paste(page, (10 + (n % 2) * (w + 10), 10 + (n // 2) * (h + 10)))
        sheet.save(out / "certificate-samples.png", optimize=True)
    print(f"sample sheet of {len(items)} certificates: {out / 'certificate-samples.png'}")


if __name__ == "__main__":
    folders = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(Path(folders[0] if folders else "docs/certificates"))
