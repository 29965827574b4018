"""The laptop's demo database, seeded from the shared demo world (hms_demo).

Everything central would own is written as if pulled (no outbox entries); past registers are
written as already acknowledged by central, so a fresh demo has nothing waiting to be sent.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import insert

from hms_demo import MAX_PUPILS, MIN_PUPILS, World, demo_world
from hms_desktop.data.engine import open_database
from hms_desktop.data.models import (
    Assessment,
    AttendanceMark,
    Enrolment,
    Ensemble,
    EnsembleHelper,
    EnsembleMember,
    EnsembleSection,
    Holiday,
    Lesson,
    Pupil,
    Rehearsal,
    RehearsalMark,
    School,
    Setting,
    TeachingGroup,
    Tutor,
)
from hms_desktop.data.outbox import FROM_SERVER
from hms_desktop.domain.errors import HmsError
from hms_desktop.services.profile import TUTOR_ID

__all__ = ["DemoSummary", "demo_rows", "seed_demo"]


@dataclass(frozen=True)
class DemoSummary:
    path: str
    tutor: str
    schools: int
    pupils: int
    groups: int
    tutor_groups: int
    tutor_pupils: int
    lessons: int
    marks: int
    term_start: date
    term_end: date


def demo_rows(world: World, tutors: list[dict]) -> list[tuple[type, list[dict]]]:
    """(model, rows) in the order foreign keys need."""
    return [
        (Tutor, tutors),
        (School, [{k: v for k, v in s.items() if k != "secondary"} for s in world.schools]),
        (Pupil, world.pupils),
        (TeachingGroup, world.groups),
        (Enrolment, world.enrolments),
        (Holiday, world.holidays),
        (Lesson, world.lessons),
        (AttendanceMark, world.marks),
        (Assessment, world.assessments),
        (Ensemble, world.ensembles),
        (EnsembleHelper, world.helpers),
        (EnsembleSection, world.sections),
        (EnsembleMember, world.members),
        (Rehearsal, world.rehearsals),
        (RehearsalMark, world.rehearsal_marks),
    ]


def seed_demo(
    path: Path | str, pupils: int = 2000, seed: int = 1, today: date | None = None
) -> DemoSummary:
    """Create a new demo database at ``path``. Refuses to touch an existing file."""
    path = Path(path).expanduser()
    if not MIN_PUPILS <= pupils <= MAX_PUPILS:
        raise HmsError(f"--pupils must be between {MIN_PUPILS} and {MAX_PUPILS:,}.")
    if path.exists():
        raise HmsError(
            f"{path} already exists. Choose a new file for the demo database; nothing was changed."
        )
    world, me, tutors, my_groups = demo_world(pupils, seed, today or date.today())
    db = open_database(path, create=True)
    try:
        with db.transaction() as session:
            session.info[FROM_SERVER] = True
            for model, rows in demo_rows(world, tutors):
                session.execute(insert(model), rows)
            session.add(Setting(key=TUTOR_ID, value=me))
    finally:
        db.close()
    my_pupils = {e["pupil_id"] for e in world.enrolments if e["group_id"] in my_groups}
    return DemoSummary(
        path=str(path),
        tutor=tutors[0]["name"],
        schools=len(world.schools),
        pupils=len(world.pupils),
        groups=len(world.groups),
        tutor_groups=len(my_groups),
        tutor_pupils=len(my_pupils),
        lessons=len(world.lessons),
        marks=len(world.marks),
        term_start=world.term_start,
        term_end=world.term_end,
    )
