"""The tutor's day: lessons by school in time order, holidays, and the demo world's shape."""

from datetime import timedelta

from sqlalchemy import func, select

from hms_desktop.data.models import Holiday, Pupil
from hms_desktop.demo import seed_demo
from hms_desktop.services.timetable import find_groups, lessons_on

from .conftest import MONDAY


def test_a_monday_has_the_whole_class_group_first_then_the_afternoon_school(db):
    entries = lessons_on(db, MONDAY)
    assert [e.start_time.strftime("%H:%M") for e in entries] == [
        "09:00",
        "10:20",
        "10:55",
        "13:30",
        "13:55",
    ]
    schools = [e.school_name for e in entries]
    assert schools[0] == schools[1] == schools[2] != schools[3] == schools[4]
    assert entries[0].pupils == 30 and entries[0].marked == 0
    assert not any(e.is_cover for e in entries)


def test_a_week_holds_25_groups_and_about_120_pupils(db):
    week = [e for d in range(5) for e in lessons_on(db, MONDAY + timedelta(days=d))]
    assert len(week) == 25
    assert 110 <= sum(e.pupils for e in week) <= 140
    assert sum(1 for e in week if "whole class" in e.group_name) == 2


def test_no_lessons_in_half_term(db):
    with db.reading() as s:
        half_term = s.scalars(select(Holiday)).one()
    assert lessons_on(db, half_term.first_day) == []
    assert lessons_on(db, half_term.first_day - timedelta(days=7))


def test_past_lessons_show_their_registers_as_taken(db):
    entries = lessons_on(db, MONDAY - timedelta(weeks=1))
    assert all(e.register_complete for e in entries)


def test_find_groups_matches_school_tutor_or_instrument(db):
    assert all("Violin" in g.group_name for g in find_groups(db, "violin"))
    assert find_groups(db, "no such group anywhere") == []
    assert find_groups(db, "%_%") == find_groups(db, "")  # wildcards typed are plain text


def test_the_demo_is_deterministic_and_spells_names_as_families_do(tmp_path):
    a = seed_demo(tmp_path / "a.sqlite3", pupils=300, seed=5, today=MONDAY)
    b = seed_demo(tmp_path / "b.sqlite3", pupils=300, seed=5, today=MONDAY)
    assert a.marks == b.marks and a.tutor_pupils == b.tutor_pupils
    from hms_desktop.data.engine import open_database

    names = []
    for path in (a.path, b.path):
        db = open_database(path)
        with db.reading() as s:
            names.append(s.scalars(select(Pupil.family_name).order_by(Pupil.id)).all())
        db.close()
    assert names[0] == names[1]
    assert {"Öztürk", "Ọlátúnjí", "Nguyễn"} & set(names[0])


def test_a_borough_of_20000_pupils_can_be_seeded(tmp_path):
    summary = seed_demo(tmp_path / "big.sqlite3", pupils=20_000, seed=1, today=MONDAY)
    assert summary.pupils == 20_000 and summary.tutor_groups == 25
    from hms_desktop.data.engine import open_database

    db = open_database(summary.path)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Pupil)) == 20_000
    assert len(lessons_on(db, MONDAY)) == 5
    db.close()
