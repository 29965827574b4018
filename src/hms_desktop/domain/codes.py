"""Attendance codes: what each one means for the tutor's pay, the family's bill and make-ups."""

from dataclasses import dataclass
from enum import StrEnum


class CodeScope(StrEnum):
    TUITION = "tuition"
    ENSEMBLE = "ensemble"


@dataclass(frozen=True)
class CodeSpec:
    code: str
    meaning: str
    tutor_paid: bool
    billable: bool
    makeup_owed: bool
    comment_required: bool = False
    clears_makeup: bool = False
    tuition: bool = True
    ensemble: bool = False
    sort_order: int = 0

    def as_row(self) -> dict[str, object]:
        """The attendance_code row for this code, as the store and the wire hold it."""
        return {
            "code": self.code,
            "meaning": self.meaning,
            "tutor_paid": self.tutor_paid,
            "billable": self.billable,
            "makeup_owed": self.makeup_owed,
            "clears_makeup": self.clears_makeup,
            "comment_required": self.comment_required,
            "tuition": self.tuition,
            "ensemble": self.ensemble,
            "sort_order": self.sort_order,
            "active": True,
        }


# The music service's default set (DESIGN §2). Central may add or change codes; this set lets a
# brand-new laptop take a register before it has ever synced.
DEFAULT_CODES: tuple[CodeSpec, ...] = (
    CodeSpec("P", "Present", True, True, False, ensemble=True, sort_order=10),
    CodeSpec("L", "Late", True, True, False, ensemble=True, sort_order=20),
    CodeSpec("AN", "Absent, notified", True, True, False, ensemble=True, sort_order=30),
    CodeSpec("AU", "Absent, no notice", True, True, False, ensemble=True, sort_order=40),
    CodeSpec(
        "SE",
        "On school business (trip, exams, INSET)",
        True,
        True,
        True,
        comment_required=True,
        sort_order=50,
    ),
    CodeSpec("SN", "School cancelled with notice", False, False, True, sort_order=60),
    CodeSpec(
        "SX",
        "School cancelled without notice (tutor turned away)",
        True,
        False,
        True,
        comment_required=True,
        sort_order=70,
    ),
    CodeSpec("TA", "Tutor absent", False, False, True, sort_order=80),
    CodeSpec("MU", "Make-up lesson given", True, False, False, clears_makeup=True, sort_order=90),
    CodeSpec("WD", "Pupil withdrawn", False, False, False, comment_required=True, sort_order=100),
    CodeSpec("LE", "Left early", True, True, False, tuition=False, ensemble=True, sort_order=25),
)


def match_typed_code(typed: str, codes: list[str]) -> tuple[str | None, bool]:
    """Resolve what a tutor has typed so far on a register row.

    Returns ``(code, more_possible)``: ``code`` is the code to set now (an exact match that no
    longer code extends, or a prefix only one code starts with), ``more_possible`` says whether
    typing on could still reach a code. ``P`` sets Present at once; ``A`` waits for ``N``/``U``.
    """
    typed = typed.upper()
    starting = [c for c in codes if c.startswith(typed)]
    if not starting:
        return None, False
    if len(starting) == 1:
        return starting[0], False
    if typed in starting and all(c == typed for c in starting):
        return typed, False
    return None, True
