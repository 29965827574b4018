"""The demo world as plain data: an invented borough, one tutor's week inside it, one term of
registers. Deterministic for (pupils, seed, today), so the laptop's demo (hms_desktop.demo) and
central's (hms_central.seed) are the same world with the same ids. No Qt, no database."""

import random
import uuid
from datetime import date, datetime, time, timedelta

from hms_protocol.ids import lesson_id, mark_id
from hms_protocol.reference import instrument_id

from .ensembles import add_ensembles
from .names import COMMUNITIES, NOTES, PLACES, SCHOOL_SUFFIXES, TUTORS, WEIGHTS
from .progress import add_progress, add_progress_history

MIN_PUPILS = 200
MAX_PUPILS = 200_000

# The demo tutor's week: (weekday, school slot, start, [(kind, instrument, size, minutes)]).
WEEK = (
    (
        0,
        0,
        "09:00",
        [
            ("whole_class", "Violin", 31, 60),
            ("small_group", "Violin", 4, 30),
            ("small_group", "Cello", 3, 30),
        ],
    ),
    (0, 1, "13:30", [("individual", "Violin", 1, 20), ("individual", "Viola", 1, 20)]),
    (
        1,
        2,
        "09:15",
        [
            ("large_group", "Trumpet", 8, 40),
            ("small_group", "Trumpet", 3, 30),
            ("small_group", "Trombone", 3, 30),
        ],
    ),
    (1, 4, "13:00", [("individual", "Cornet", 1, 30), ("individual", "Trumpet", 1, 30)]),
    (2, 3, "09:00", [("whole_class", "Violin", 29, 45), ("large_group", "Violin", 7, 40)]),
    (
        2,
        5,
        "13:15",
        [
            ("small_group", "Violin", 4, 30),
            ("individual", "Violin", 1, 20),
            ("individual", "Cello", 1, 20),
        ],
    ),
    (3, 0, "09:00", [("large_group", "Violin", 9, 40), ("small_group", "Violin", 3, 30)]),
    (
        3,
        2,
        "13:00",
        [
            ("small_group", "Trumpet", 2, 30),
            ("individual", "Trumpet", 1, 20),
            ("individual", "Trombone", 1, 20),
        ],
    ),
    (
        4,
        1,
        "09:00",
        [
            ("large_group", "Violin", 6, 40),
            ("small_group", "Viola", 2, 30),
            ("small_group", "Violin", 4, 30),
        ],
    ),
    (4, 4, "13:30", [("individual", "Trumpet", 1, 30), ("small_group", "Cornet", 3, 30)]),
)
OTHER_INSTRUMENTS = (
    "Flute",
    "Clarinet",
    "Saxophone",
    "Guitar",
    "Piano",
    "Drum kit",
    "Voice",
    "Cello",
    "Trombone",
    "Steel pan",
    "Ukulele",
    "Bağlama",
)
CODE_WEIGHTS = (("P", 86), ("L", 4), ("AN", 5), ("AU", 3), ("SE", 2))
MEDICAL = ("Asthma: inhaler in school bag", "Nut allergy", "Epilepsy: see care plan")
# What the office tells ensemble leaders of each (the medical note itself stays with the
# pupil's own tutors).
REHEARSAL_NOTES = {
    "Asthma: inhaler in school bag": "Asthma: brings an inhaler to rehearsal",
    "Nut allergy": "Nut allergy: no shared snacks at the break",
    "Epilepsy: see care plan": "Epilepsy: the office has the care plan; call 999 if a seizure "
    "lasts over 5 minutes",
}


class World:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        monday = today - timedelta(days=today.weekday())
        self.term_start = monday - timedelta(weeks=11)
        self.term_end = self.term_start + timedelta(weeks=16, days=-3)
        self.half_term = (
            self.term_start + timedelta(weeks=7),
            self.term_start + timedelta(weeks=7, days=4),
        )
        self.schools: list[dict] = []
        self.pupils: list[dict] = []
        self.groups: list[dict] = []
        self.enrolments: list[dict] = []
        self.lessons: list[dict] = []
        self.marks: list[dict] = []
        self.assessments: list[dict] = []
        self.ensembles: list[dict] = []
        self.sections: list[dict] = []
        self.helpers: list[dict] = []
        self.members: list[dict] = []
        self.rehearsals: list[dict] = []
        self.rehearsal_marks: list[dict] = []
        self.holidays: list[dict] = []

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def school(self, index: int) -> dict:
        secondary = index % 5 == 4
        place = PLACES[index % len(PLACES)]
        suffix = SCHOOL_SUFFIXES[4] if secondary else SCHOOL_SUFFIXES[(index // len(PLACES)) % 4]
        name = f"{place} {suffix}"
        if index >= len(PLACES) * 4:
            name = f"{name} ({index // (len(PLACES) * 4) + 1})"
        return {
            "id": self.uid(),
            "urn": f"9{index:05d}",
            "name": name,
            "address": f"{place}, London E{self.rng.choice((2, 5, 8, 9))}",
            "secondary": secondary,
        }

    def pupil(self, school: dict, year: int | None = None) -> dict:
        rng = self.rng
        community = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        given, family, family_first = COMMUNITIES[community]
        if year is None:
            year = rng.randint(7, 11) if school["secondary"] else rng.randint(1, 6)
        sen = rng.random() < 0.14
        row = {
            "id": self.uid(),
            "given_name": rng.choice(given),
            "family_name": rng.choice(family),
            "preferred_name": None,
            "family_name_first": family_first,
            "school_id": school["id"],
            "year_group": year,
            "gender": rng.choice(("female", "male")),
            "pupil_premium": rng.random() < 0.3,
            "free_school_meals": rng.random() < 0.25,
            "sen_support": sen,
            "ehcp": sen and rng.random() < 0.2,
            "photo_consent": rng.random() < 0.85,
            "medical_note": rng.choice(MEDICAL) if rng.random() < 0.05 else None,
            "status": "active",
            "withdrawn_on": None,
        }
        row["rehearsal_note"] = REHEARSAL_NOTES.get(row["medical_note"] or "")
        self.pupils.append(row)
        return row

    def group(
        self,
        name: str,
        school: dict,
        tutor_id: str,
        kind: str,
        instrument: str,
        weekday: int,
        start: time,
        minutes: int,
    ) -> dict:
        row = {
            "id": self.uid(),
            "name": name,
            "school_id": school["id"],
            "tutor_id": tutor_id,
            "kind": kind,
            "instrument_id": instrument_id(instrument),
            "weekday": weekday,
            "start_time": start,
            "length_minutes": minutes,
            "term_start": self.term_start,
            "term_end": self.term_end,
        }
        self.groups.append(row)
        return row

    def enrol(
        self,
        group: dict,
        pupil: dict,
        instrument: str,
        start: date | None = None,
        end: date | None = None,
    ) -> dict:
        row = {
            "id": self.uid(),
            "group_id": group["id"],
            "pupil_id": pupil["id"],
            "instrument_id": instrument_id(instrument),
            "start_date": start or self.term_start,
            "end_date": end,
        }
        self.enrolments.append(row)
        return row


def _add_minutes(t: time, minutes: int) -> time:
    return (datetime.combine(date(2000, 1, 3), t) + timedelta(minutes=minutes)).time()


def _group_name(kind: str, instrument: str, year: int) -> str:
    if kind == "whole_class":
        return f"Year {year} {instrument} (whole class)"
    if kind == "individual":
        return f"{instrument} individual"
    return f"{instrument} {'small' if kind == 'small_group' else 'large'} group, Year {year}"


def _build(world: World, n_pupils: int) -> tuple[str, list[dict], dict[str, dict]]:
    rng = world.rng
    tutors = [
        {
            "id": world.uid(),
            "name": name,
            "email": name.lower().replace(" ", ".").replace("-", "") + "@hms.invalid",
        }
        for name in TUTORS
    ]
    me = tutors[0]["id"]
    n_schools = max(8, round(n_pupils / 300))
    world.schools = [world.school(i) for i in range(n_schools)]
    my_groups: dict[str, dict] = {}
    joiners = withdrawn = 0
    for weekday, slot, start_at, lessons in WEEK:
        school = world.schools[slot]
        start = time.fromisoformat(start_at)
        for kind, instrument, size, minutes in lessons:
            year = (
                rng.randint(7, 10)
                if school["secondary"]
                else 4
                if kind == "whole_class"
                else rng.randint(3, 6)
            )
            group = world.group(
                _group_name(kind, instrument, year),
                school,
                me,
                kind,
                instrument,
                weekday,
                start,
                minutes,
            )
            my_groups[group["id"]] = group
            for i in range(size):
                pupil = world.pupil(school, year)
                enrol_start = enrol_end = None
                if kind == "small_group" and i == size - 1 and joiners < 3:
                    enrol_start = world.term_start + timedelta(weeks=5)  # joined mid-term
                    joiners += 1
                elif kind in ("whole_class", "large_group") and i == 0 and withdrawn < 2:
                    pupil["status"] = "withdrawn"
                    pupil["withdrawn_on"] = world.today - timedelta(days=10)
                    enrol_end = pupil["withdrawn_on"] - timedelta(days=1)
                    withdrawn += 1
                world.enrol(group, pupil, instrument, enrol_start, enrol_end)
            start = _add_minutes(
                start, minutes + (20 if start_at == "09:00" and kind == "whole_class" else 5)
            )
    # The rest of the borough: other schools' and other tutors' pupils and groups.
    pools: dict[str, list[dict]] = {s["id"]: [] for s in world.schools}
    while len(world.pupils) < n_pupils:
        school = world.schools[len(world.pupils) % n_schools]
        pools[school["id"]].append(world.pupil(school))
    for _ in range(max(10, n_pupils // 40)):
        school = rng.choice(world.schools)
        pool = pools[school["id"]]
        if not pool:
            continue
        kind = rng.choice(("individual", "small_group", "small_group", "large_group"))
        instrument = rng.choice(OTHER_INSTRUMENTS)
        size = {
            "individual": 1,
            "small_group": rng.randint(2, 4),
            "large_group": rng.randint(5, 10),
        }[kind]
        members = rng.sample(pool, min(size, len(pool)))
        group = world.group(
            _group_name(kind, instrument, members[0]["year_group"]),
            school,
            rng.choice(tutors[1:])["id"],
            kind,
            instrument,
            rng.randint(0, 4),
            time(rng.randint(9, 14), rng.choice((0, 15, 30, 45))),
            rng.choice((20, 30, 40)),
        )
        for pupil in members:
            world.enrol(group, pupil, instrument)
    return me, tutors, my_groups


def _past_registers(world: World, me: str, my_groups: dict[str, dict]) -> None:
    rng = world.rng
    pupils = {p["id"]: p for p in world.pupils}
    by_group: dict[str, list[dict]] = {}
    for e in world.enrolments:
        if e["group_id"] in my_groups:
            by_group.setdefault(e["group_id"], []).append(e)
    sick_day = world.term_start + timedelta(weeks=3, days=2)  # the tutor was ill one Wednesday
    strike_day = world.term_start + timedelta(weeks=5)  # one school closed with notice
    codes, weights = zip(*CODE_WEIGHTS, strict=True)
    day = world.term_start
    while day < world.today:
        if not (world.half_term[0] <= day <= world.half_term[1]):
            for group in my_groups.values():
                if group["weekday"] != day.weekday():
                    continue
                status, forced = "delivered", None
                if day == sick_day:
                    status, forced = "tutor_absent", "TA"
                elif day == strike_day and group["school_id"] == world.schools[0]["id"]:
                    status, forced = "school_closed", "SN"
                lid = lesson_id(group["id"], day)
                marked_at = datetime.combine(day, group["start_time"]) + timedelta(minutes=7)
                world.lessons.append(
                    {
                        "id": lid,
                        "group_id": group["id"],
                        "date": day,
                        "start_time": group["start_time"],
                        "delivered_by_id": me,
                        "status": status,
                        "note": "" if forced else rng.choice(NOTES),
                        "server_version": 1,
                        "updated_at": marked_at,
                        "deleted_at": None,
                    }
                )
                for e in by_group[group["id"]]:
                    pupil = pupils[e["pupil_id"]]
                    if e["start_date"] > day or (e["end_date"] and e["end_date"] < day):
                        continue
                    if pupil["withdrawn_on"] and pupil["withdrawn_on"] <= day:
                        continue
                    code = forced or rng.choices(codes, weights=weights)[0]
                    world.marks.append(
                        {
                            "id": mark_id(lid, pupil["id"]),
                            "lesson_id": lid,
                            "pupil_id": pupil["id"],
                            "code": code,
                            "comment": "Year group trip" if code == "SE" else "",
                            "marked_at": marked_at,
                            "marked_by_id": me,
                            "server_version": 1,
                            "updated_at": marked_at,
                            "deleted_at": None,
                        }
                    )
        day += timedelta(days=1)


def demo_world(pupils: int, seed: int, today: date) -> tuple[World, str, list[dict], dict]:
    """The whole demo borough, deterministic for (pupils, seed, today). The central service's
    demo is built from the same world, so a demo laptop and a demo server agree on every id."""
    world = World(seed, today)
    me, tutors, my_groups = _build(world, pupils)
    _past_registers(world, me, my_groups)
    add_progress(world, me, my_groups)
    world.holidays = [
        {
            "id": world.uid(),
            "name": "Half term",
            "first_day": world.half_term[0],
            "last_day": world.half_term[1],
            "school_id": None,
        }
    ]
    add_progress_history(world, seed)
    taught = {e["pupil_id"] for e in world.enrolments if e["group_id"] in my_groups}
    add_ensembles(world, me, tutors, taught)
    return world, me, tutors, my_groups
