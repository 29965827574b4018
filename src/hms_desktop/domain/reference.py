"""Reference data every laptop starts with: instruments and progress frameworks.

Ids derive from names so that every device and central agree on them before any sync.
"""

import uuid

from .ids import HMS_NAMESPACE

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
