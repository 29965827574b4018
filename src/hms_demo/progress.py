"""The demo's progress: levels reached, exam results and the string orchestra for the demo
tutor's pupils, and up to three years of earlier levels behind them. Plain data, deterministic
with the world (``world`` is hms_demo.World)."""

import random
import uuid
from datetime import datetime, time, timedelta

from hms_protocol.reference import FRAMEWORKS, framework_level_id, instrument_id


def add_progress(world, me: str, my_groups: dict[str, dict]) -> None:
    """Levels reached, exam results and one ensemble, for certificates and progress screens."""
    rng = world.rng
    instruments = {
        instrument_id(name): name
        for name in ("Violin", "Viola", "Cello", "Trumpet", "Cornet", "Trombone")
    }
    stamp = datetime.combine(world.today - timedelta(days=14), time(16, 0))
    strings: list[tuple[dict, str]] = []
    pupils = {p["id"]: p for p in world.pupils}
    for e in world.enrolments:
        if e["group_id"] not in my_groups or pupils[e["pupil_id"]]["status"] != "active":
            continue
        base = {
            "pupil_id": e["pupil_id"],
            "instrument_id": e["instrument_id"],
            "assessed_by_id": me,
            "server_version": 1,
            "updated_at": stamp,
            "deleted_at": None,
            "comment": "",
            "mark": None,
            "result": None,
        }
        if rng.random() < 0.75:  # most pupils have a teacher-assessed stage
            stage = rng.randint(1, 4)
            world.assessments.append(
                {
                    **base,
                    "id": world.uid(),
                    "kind": "teacher_assessment",
                    "assessed_on": world.today - timedelta(days=21),
                    "level_id": framework_level_id("HMS Stages", f"Stage {stage}"),
                }
            )
        if my_groups[e["group_id"]]["kind"] in ("individual", "small_group") and (
            rng.random() < 0.5
        ):
            grade = rng.randint(1, 5)
            mark = rng.randint(100, 145)
            result = "distinction" if mark >= 130 else "merit" if mark >= 120 else "pass"
            world.assessments.append(
                {
                    **base,
                    "id": world.uid(),
                    "kind": "exam",
                    "mark": mark,
                    "result": result,
                    "assessed_on": world.today - timedelta(days=35),
                    "level_id": framework_level_id("ABRSM", f"Grade {grade}"),
                }
            )
        if instruments.get(e["instrument_id"]) in ("Violin", "Viola", "Cello"):
            strings.append((e, instruments[e["instrument_id"]]))
    orchestra = {
        "id": world.uid(),
        "name": "Hackney Schools String Orchestra",
        "kind": "orchestra",
        "level": "Intermediate",
        "leader_id": me,
        "venue": "Hackney Music Centre",
        "weekday": 5,
        "start_time": time(10, 0),
        "length_minutes": 120,
    }
    world.ensembles.append(orchestra)
    sections = {}
    for ordinal, name in enumerate(("Violin 1", "Violin 2", "Viola", "Cello")):
        sections[name] = {
            "id": world.uid(),
            "ensemble_id": orchestra["id"],
            "name": name,
            "ordinal": ordinal,
            "server_version": 1,
            "updated_at": stamp,
            "deleted_at": None,
        }
    world.sections.extend(sections.values())
    seats: dict[str, int] = {}
    for e, instrument in strings:
        if pupils[e["pupil_id"]]["year_group"] < 5 or rng.random() < 0.4:
            continue
        section = (
            ("Violin 1" if rng.random() < 0.5 else "Violin 2")
            if instrument == "Violin"
            else instrument
        )
        seats[section] = seats.get(section, 0) + 1
        world.members.append(
            {
                "id": world.uid(),
                "ensemble_id": orchestra["id"],
                "pupil_id": e["pupil_id"],
                "section_id": sections[section]["id"],
                "instrument_id": e["instrument_id"],
                "seat": seats[section],
                "role": "leader" if seats[section] == 1 else None,
                "joined_on": world.term_start,
                "left_on": None,
                "server_version": 1,
                "updated_at": stamp,
                "deleted_at": None,
            }
        )


def add_progress_history(world, seed: int) -> None:
    """Up to three years of earlier levels behind each recorded one, so a pupil's chart shows a
    path: a stage or grade a year (or so) apart. Drawn from a random stream of its own, so the
    rest of the world is the same with or without it; every earlier level is older than the
    latest, so certificates still read the latest."""
    rng = random.Random(f"progress-history|{seed}")
    history = []
    for latest in world.assessments:
        level_name = next(
            name
            for framework, _kind, levels in FRAMEWORKS
            for name in levels
            if framework_level_id(framework, name) == latest["level_id"]
        )
        framework = "HMS Stages" if latest["kind"] == "teacher_assessment" else "ABRSM"
        levels = next(levels for name, _k, levels in FRAMEWORKS if name == framework)
        reached = levels.index(level_name)
        on = latest["assessed_on"]
        for step in range(1, min(reached, 3) + 1):
            on = on - timedelta(days=rng.randint(250, 380))
            earlier = levels[reached - step]
            row = {
                **latest,
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "assessed_on": on,
                "level_id": framework_level_id(framework, earlier),
            }
            if latest["kind"] == "exam":
                row["mark"] = rng.randint(100, 145)
                row["result"] = (
                    "distinction"
                    if row["mark"] >= 130
                    else "merit"
                    if row["mark"] >= 120
                    else "pass"
                )
            history.append(row)
    world.assessments.extend(history)
