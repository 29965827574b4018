"""Reference data both the laptop and central start from: attendance codes (what each one means for
the tutor's pay, the family's bill and make-ups), instruments and progress frameworks."""

import uuid
from dataclasses import dataclass
from enum import StrEnum

from .ids import HMS_NAMESPACE


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


INSTRUMENTS: tuple[tuple[str, str], ...] = (
    ("Violin", "strings"),
    ("Viola", "strings"),
    ("Cello", "strings"),
    ("Double bass", "strings"),
    ("Flute", "woodwind"),
    ("Clarinet", "woodwind"),
    ("Oboe", "woodwind"),
    ("Bassoon", "woodwind"),
    ("Saxophone", "woodwind"),
    ("Recorder", "woodwind"),
    ("Trumpet", "brass"),
    ("Cornet", "brass"),
    ("Trombone", "brass"),
    ("French horn", "brass"),
    ("Baritone", "brass"),
    ("Tuba", "brass"),
    ("Drum kit", "percussion"),
    ("Percussion", "percussion"),
    ("Steel pan", "percussion"),
    ("Djembe", "percussion"),
    ("Piano", "keyboard"),
    ("Keyboard", "keyboard"),
    ("Guitar", "guitar"),
    ("Bass guitar", "guitar"),
    ("Ukulele", "guitar"),
    ("Voice", "voice"),
    ("Bağlama", "strings"),
)

FRAMEWORKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ABRSM", "grades", ("Initial", *(f"Grade {n}" for n in range(1, 9)))),
    ("Trinity", "grades", ("Initial", *(f"Grade {n}" for n in range(1, 9)))),
    ("RSL", "grades", ("Debut", *(f"Grade {n}" for n in range(1, 9)))),
    ("ABRSM Music Medals", "medals", ("Copper", "Bronze", "Silver", "Gold", "Platinum")),
    ("HMS Stages", "stages", tuple(f"Stage {n}" for n in range(1, 7))),
)


def instrument_id(name: str) -> str:
    return str(uuid.uuid5(HMS_NAMESPACE, f"instrument|{name}"))


def framework_id(name: str) -> str:
    return str(uuid.uuid5(HMS_NAMESPACE, f"framework|{name}"))


def framework_level_id(framework: str, level: str) -> str:
    return str(uuid.uuid5(HMS_NAMESPACE, f"framework-level|{framework}|{level}"))
