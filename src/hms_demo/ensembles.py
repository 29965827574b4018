"""The demo borough's ensembles: a youth orchestra in desks, a choir in voice parts, a wind band, a
jazz band and a steel pan group, each with a weekly rehearsal slot and a season, and this season's
rehearsal registers for the ones the demo tutor leads. Plain data, deterministic with the world."""

from datetime import date, datetime, time, timedelta

from hms_protocol.ids import rehearsal_id, rehearsal_mark_id
from hms_protocol.reference import instrument_id

# (name, kind, level, leader: 0 the demo tutor / n another tutor, venue, weekday, start, minutes,
#  [(section, instrument, members)])
ENSEMBLES = (
    (
        "Hackney Youth Orchestra",
        "orchestra",
        "Advanced",
        0,
        "Hackney Music Centre",
        5,
        "13:30",
        150,
        [
            ("Violin 1", "Violin", 16),
            ("Violin 2", "Violin", 14),
            ("Viola", "Viola", 8),
            ("Cello", "Cello", 8),
            ("Double bass", "Double bass", 4),
            ("Flute", "Flute", 4),
            ("Oboe", "Oboe", 2),
            ("Clarinet", "Clarinet", 4),
            ("Bassoon", "Bassoon", 2),
            ("Horn", "French horn", 4),
            ("Trumpet", "Trumpet", 4),
            ("Trombone", "Trombone", 3),
            ("Tuba", "Tuba", 1),
            ("Percussion", "Percussion", 3),
        ],
    ),
    (
        "Hackney Youth Choir",
        "choir",
        "All levels",
        0,
        "St John-at-Hackney Church Hall",
        2,
        "16:15",
        75,
        [
            ("Soprano", "Voice", 12),
            ("Alto", "Voice", 10),
            ("Tenor", "Voice", 6),
            ("Bass", "Voice", 6),
        ],
    ),
    (
        "Hackney Schools Wind Band",
        "band",
        "Intermediate",
        1,
        "Hackney Music Centre",
        3,
        "16:30",
        90,
        [
            ("Flute", "Flute", 6),
            ("Clarinet", "Clarinet", 8),
            ("Saxophone", "Saxophone", 4),
            ("Horn", "French horn", 3),
            ("Trumpet", "Trumpet", 6),
            ("Trombone", "Trombone", 4),
            ("Tuba", "Tuba", 2),
            ("Percussion", "Percussion", 3),
        ],
    ),
    (
        "Hackney Jazz Band",
        "jazz",
        "Advanced",
        2,
        "Hackney Music Centre",
        1,
        "17:00",
        90,
        [
            ("Saxophones", "Saxophone", 5),
            ("Trumpets", "Trumpet", 4),
            ("Trombones", "Trombone", 4),
            ("Rhythm", "Piano", 1),
            ("Guitar", "Guitar", 1),
            ("Bass", "Bass guitar", 1),
            ("Drums", "Drum kit", 1),
        ],
    ),
    (
        "Hackney Steel Pans",
        "steel_pan",
        "Beginners and improvers",
        0,
        "Clapton Community Centre",
        4,
        "15:45",
        60,
        [
            ("Tenor pans", "Steel pan", 6),
            ("Double seconds", "Steel pan", 4),
            ("Cello pans", "Steel pan", 3),
            ("Bass pans", "Steel pan", 2),
            ("Engine room", "Percussion", 3),
        ],
    ),
)
# Ensembles the demo tutor helps with (another tutor leads them), and helpers of the demo
# tutor's own ensembles: ensemble name → index of the helping tutor.
HELPED_BY_ME = ("Hackney Schools Wind Band",)
HELPED_BY_OTHERS = {"Hackney Youth Orchestra": 2}
WEIGHTS = (("P", 85), ("L", 5), ("LE", 3), ("AN", 4), ("AU", 3))


def season_of(term_start: date) -> tuple[date, date]:
    """An ensemble's season: the school year, from the first week of the autumn term."""
    return term_start, term_start + timedelta(weeks=45)


def add_ensembles(world, me: str, tutors: list[dict], taught: set[str]) -> None:
    """Append the ensembles, their sections, members and past rehearsals to ``world``. The demo
    tutor's ensembles draw on their own pupils and a few others (so the tutor's pull stays mostly
    their own pupils); the other tutors' draw on the whole borough."""
    rng = world.rng
    start, end = season_of(world.term_start)
    for ensemble in world.ensembles:  # the string orchestra made earlier shares the season
        ensemble.setdefault("season_start", start)
        ensemble.setdefault("season_end", end)
    stamp = datetime.combine(world.today - timedelta(days=7), time(18, 0))
    active = [p for p in world.pupils if p["status"] == "active"]
    older = [p for p in active if (p["year_group"] or 0) >= 5]
    mine = [p for p in active if p["id"] in taught] + [p for p in older if p["id"] not in taught][
        : len(world.pupils) // 10
    ]
    helped: list[tuple[dict, list[dict]]] = []
    for name, kind, level, leader, venue, weekday, at, minutes, sections in ENSEMBLES:
        ensemble = {
            "id": world.uid(),
            "name": name,
            "kind": kind,
            "level": level,
            "leader_id": tutors[leader]["id"] if leader else me,
            "venue": venue,
            "weekday": weekday,
            "start_time": time.fromisoformat(at),
            "length_minutes": minutes,
            "season_start": start,
            "season_end": end,
        }
        world.ensembles.append(ensemble)
        size = sum(n for _s, _i, n in sections)
        pool = mine if ensemble["leader_id"] == me else older
        chosen = iter(rng.sample(pool, min(size, len(pool))))
        members = []
        for ordinal, (section_name, instrument, count) in enumerate(sections):
            section = {
                "id": world.uid(),
                "ensemble_id": ensemble["id"],
                "name": section_name,
                "ordinal": ordinal,
                "server_version": 1,
                "updated_at": stamp,
                "deleted_at": None,
            }
            world.sections.append(section)
            for seat in range(1, count + 1):
                pupil = next(chosen, None)
                if pupil is None:
                    break
                role = None
                if kind == "orchestra" and seat == 1:
                    role = "leader" if section_name == "Violin 1" else "principal"
                elif kind == "orchestra" and seat == 2 and count > 2:
                    role = "sub-principal"
                joined = start + timedelta(weeks=rng.choice((0, 0, 0, 0, 2, 5)))
                member = {
                    "id": world.uid(),
                    "ensemble_id": ensemble["id"],
                    "pupil_id": pupil["id"],
                    "section_id": section["id"],
                    "instrument_id": instrument_id(instrument),
                    "seat": seat,
                    "role": role,
                    "joined_on": joined,
                    "left_on": None,
                    "server_version": 1,
                    "updated_at": stamp,
                    "deleted_at": None,
                }
                world.members.append(member)
                members.append(member)
        if ensemble["leader_id"] == me:
            _past_rehearsals(world, ensemble, members, me)
        else:
            helped.append((ensemble, members))
    # Tutors the office asked to help: the demo tutor helps with the wind band (whose leader
    # took its registers), and another tutor helps with the youth orchestra. Drawn after
    # everything else, so the rest of the world is the same with or without them.
    for ensemble, members in helped:
        if ensemble["name"] in HELPED_BY_ME:
            _add_helper(world, ensemble, me)
            _past_rehearsals(world, ensemble, members, ensemble["leader_id"])
    for ensemble in world.ensembles:
        if ensemble["name"] in HELPED_BY_OTHERS:
            _add_helper(world, ensemble, tutors[HELPED_BY_OTHERS[ensemble["name"]]]["id"])


def _add_helper(world, ensemble: dict, tutor_id: str) -> None:
    world.helpers.append({"id": world.uid(), "ensemble_id": ensemble["id"], "tutor_id": tutor_id})


def _past_rehearsals(world, ensemble: dict, members: list[dict], taken_by: str) -> None:
    rng = world.rng
    day = world.term_start + timedelta(days=ensemble["weekday"])
    codes, weights = zip(*WEIGHTS, strict=True)
    truant = members[len(members) // 3]["pupil_id"] if members else None
    weeks = []
    while day < world.today:
        if not world.half_term[0] <= day <= world.half_term[1]:
            weeks.append(day)
        day += timedelta(weeks=1)
    for n, day in enumerate(weeks):
        rid = rehearsal_id(ensemble["id"], day)
        at = datetime.combine(day, ensemble["start_time"])
        world.rehearsals.append(
            {
                "id": rid,
                "ensemble_id": ensemble["id"],
                "date": day,
                "start_time": ensemble["start_time"],
                "delivered_by_id": taken_by,
                "status": "delivered",
                "note": "",
                "server_version": 1,
                "updated_at": at,
                "deleted_at": None,
            }
        )
        for member in members:
            if member["joined_on"] > day:
                continue
            code = rng.choices(codes, weights=weights)[0]
            if member["pupil_id"] == truant and n >= len(weeks) - 3:
                code = "AU"  # missed the last three: the roster highlights them
            world.rehearsal_marks.append(
                {
                    "id": rehearsal_mark_id(rid, member["pupil_id"]),
                    "rehearsal_id": rid,
                    "pupil_id": member["pupil_id"],
                    "code": code,
                    "comment": "",
                    "marked_at": at,
                    "marked_by_id": taken_by,
                    "server_version": 1,
                    "updated_at": at,
                    "deleted_at": None,
                }
            )
