"""What a certificate says, as plain data, and the checks made before anything is printed."""

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hms_desktop.domain.errors import HmsError

from .fonts import UnprintableText, font_runs

MAX_NAME = 120  # characters: the most that still prints legibly on one certificate
SERVICE_NAME = "Hackney Music Service"


class Template(StrEnum):
    ACHIEVEMENT = "achievement"
    EXAM = "exam"
    ENSEMBLE = "ensemble"
    RECOGNITION = "recognition"

    @property
    def title(self) -> str:
        return {
            "achievement": "Certificate of Achievement",
            "exam": "Certificate of Examination Success",
            "ensemble": "Certificate of Participation",
            "recognition": "Certificate of Recognition",
        }[self.value]

    @property
    def label(self) -> str:
        return {
            "achievement": "Achievement (level reached)",
            "exam": "Exam result",
            "ensemble": "Ensemble participation",
            "recognition": "End-of-term recognition",
        }[self.value]


@dataclass(frozen=True)
class CertificateContent:
    pupil_name: str
    template: Template
    wording: str  # "has reached Stage 2 on Violin"
    issued_on: date
    tutor_name: str
    serial: str
    verification_code: str
    # Central's public page for this certificate, which the QR opens; without one (a laptop never
    # signed in) the QR holds the serial and code for the office to check by hand.
    verify_url: str = ""

    @property
    def qr_text(self) -> str:
        return self.verify_url or f"HMS-CERT {self.serial} {self.verification_code}"


class BadCertificate(HmsError):
    pass


def problems_with_name(name: str) -> str | None:
    """Why a name cannot be printed as it is, in words; None when it can."""
    if not name or not name.strip():
        return "the name is empty"
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "the name contains control characters (check it in the school's records)"
    if len(name) > MAX_NAME:
        return f"the name is {len(name):,} characters long; a certificate holds {MAX_NAME}"
    try:
        font_runs(name, bold=True)
    except UnprintableText as err:
        return str(err)
    return None


def check_batch(items: list[CertificateContent]) -> list[str]:
    """Every problem in a batch, one line per certificate, before a page is drawn."""
    problems = []
    for n, item in enumerate(items, start=1):
        issue = problems_with_name(item.pupil_name)
        if issue:
            shown = item.pupil_name[:40].strip() or "(no name)"
            shown = "".join(ch if unicodedata.category(ch) != "Cc" else "?" for ch in shown)
            problems.append(f"Certificate {n} ({shown}): {issue}.")
        for field, value in (("wording", item.wording), ("tutor's name", item.tutor_name)):
            try:
                font_runs(value)
            except UnprintableText as err:
                problems.append(f"Certificate {n}: the {field} cannot be printed. {err}")
    return problems
