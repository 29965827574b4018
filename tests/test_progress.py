"""Pupil progress in the store: forgiving search, the pupil page's figures agreeing with the
registers, and recording that refuses bad input and saves nothing."""

from datetime import date, time, timedelta

import pytest
from anyascii import anyascii
from sqlalchemy import func, select

from hms_desktop.data import clock
from hms_desktop.data.models import (
    Assessment,
    AttendanceMark,
    Enrolment,
    Lesson,
    OutboxEntry,
    ProgressNote,
    Pupil,
    Target,
    TeachingGroup,
)
from hms_desktop.data.outbox import FROM_SERVER
from hms_desktop.domain.ids import lesson_id, mark_id, new_id
from hms_desktop.services.certificates import plan_certificates
from hms_desktop.services.profile import TUTOR_ID, get_setting
from hms_desktop.services.progress import (
    InvalidProgress,
    find_pupils,
    frameworks,
    mark_target_achieved,
    pupil_page,
    record_assessment,
    set_target,
    withdraw_assessments,
    write_note,
)
from hms_protocol.reference import framework_id, framework_level_id

from .conftest import MONDAY

PAST = MONDAY - timedelta(days=7)


def add_pupil(db, given: str, family: str, preferred: str | None = None) -> str:
    """A pupil central sends, enrolled in a group of the tutor's own (no lessons yet)."""
    with db.transaction() as s:
        s.info[FROM_SERVER] = True
        me = get_setting(s, TUTOR_ID)
        group = s.scalars(select(TeachingGroup).where(TeachingGroup.tutor_id == me)).first()
        pupil = Pupil(
            id=new_id(),
            given_name=given,
            family_name=family,
            preferred_name=preferred,
            school_id=group.school_id,
            year_group=5,
        )
        s.add(pupil)
        s.flush()
        s.add(
            Enrolment(
                id=new_id(),
                group_id=group.id,
                pupil_id=pupil.id,
                start_date=MONDAY + timedelta(days=1),  # after every lesson so far
            )
        )
        return pupil.id


def names_found(db, typed: str) -> list[str]:
    return [r.name for r in find_pupils(db, typed, MONDAY).rows]


def test_every_pupil_is_found_by_their_name_typed_plainly_in_any_case(db):
    everyone = find_pupils(db, "", MONDAY).rows
    assert len(everyone) > 100
    scripts_seen = set()
    for row in everyone:
        family = row.name.split()[-1] if " " in row.name else row.name
        scripts_seen.add(family.isascii())
        plain = anyascii(family).lower()  # no accents, no capitals, Latin letters
        assert row.name in names_found(db, plain), plain
        assert row.name in names_found(db, family.upper())
    assert scripts_seen == {True, False}


@pytest.mark.parametrize(
    ("given", "family", "typed"),
    [
        ("Emre", "Öztürk", "ozturk"),
        ("Nguyễn", "Thị Lan", "nguyen"),
        ("Łucja", "Nowak", "lucja"),
        ("Γιώργος", "Παπαδόπουλος", "giorgos papadop"),
        ("Γιώργος", "Παπαδόπουλος", "γιωργος"),
        ("Дмитрий", "Иванов", "ivanov"),
        ("Дмитрий", "Иванов", "Дмитрии"),
        ("Olúwaṣeun", "Adébáyọ̀", "oluwaseun adebayo"),
    ],
)
def test_search_ignores_case_accents_and_script(db, given, family, typed):
    pupil = add_pupil(db, given, family)
    assert pupil in [r.pupil_id for r in find_pupils(db, typed, MONDAY).rows]


def test_a_preferred_name_finds_the_pupil_and_a_pulled_rename_is_searchable(db):
    pupil = add_pupil(db, "Mohammed", "Rahman", preferred="Mo")
    assert names_found(db, "mo rahman") == ["Mo Rahman"]
    with db.transaction() as s:  # central renames the pupil; the pull applies it
        s.info[FROM_SERVER] = True
        s.get(Pupil, pupil).family_name = "Rahmān-Öz"
    assert pupil in [r.pupil_id for r in find_pupils(db, "rahman-oz", MONDAY).rows]
    assert names_found(db, "rahman%") == []  # a wildcard typed is just a character


def level(framework: str, name: str) -> tuple[str, str]:
    return framework_id(framework), framework_level_id(framework, name)


def outbox_size(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry))


@pytest.mark.parametrize(
    ("kind", "framework", "level_of", "result", "mark", "on", "says"),
    [
        ("teacher_assessment", "HMS Stages", "Stage 2", None, None, "tomorrow", "future"),
        ("teacher_assessment", "HMS Stages", ("ABRSM", "Grade 3"), None, None, PAST,
         "not a level of HMS Stages"),
        ("exam", "ABRSM", "Grade 3", "merit", 151, PAST, "between 0 and 150"),
        ("exam", "ABRSM", "Grade 3", "merit", -1, PAST, "between 0 and 150"),
        ("teacher_assessment", "HMS Stages", "Stage 2", "merit", None, PAST, "has no pass"),
        ("teacher_assessment", "HMS Stages", "Stage 2", None, 120, PAST, "Only an exam"),
        ("exam", "ABRSM", "Grade 3", None, 120, PAST, "needs its result"),
        ("exam", "HMS Stages", "Stage 2", "pass", None, PAST, "not a framework for this"),
        ("medal", "ABRSM", "Grade 1", "pass", None, PAST, "not a framework for this"),
        ("exam", "ABRSM", "Grade 3", "excellent", None, PAST, "pass, merit or distinction"),
    ],
)  # fmt: skip
def test_a_wrong_assessment_is_explained_and_saves_nothing(
    db, kind, framework, level_of, result, mark, on, says
):
    pupil = add_pupil(db, "Ada", "Lovelace")
    before = outbox_size(db)
    source = level_of if isinstance(level_of, tuple) else (framework, level_of)
    day = clock.today() + timedelta(days=1) if on == "tomorrow" else on
    with pytest.raises(InvalidProgress, match=says) as err:
        record_assessment(
            db,
            pupil,
            framework_id(framework),
            framework_level_id(*source),
            kind,
            day,
            result=result,
            mark=mark,
        )
    assert "Nothing was saved" in str(err.value)
    assert outbox_size(db) == before
    assert pupil_page(db, pupil, MONDAY).assessments == ()


def test_an_empty_target_or_note_is_explained_and_saves_nothing(db):
    pupil = add_pupil(db, "Ada", "Lovelace")
    before = outbox_size(db)
    with pytest.raises(InvalidProgress, match="Write what the target is"):
        set_target(db, pupil, "   \n ", PAST)
    with pytest.raises(InvalidProgress, match="The note is empty"):
        write_note(db, pupil, "")
    with pytest.raises(InvalidProgress, match="future"):
        set_target(db, pupil, "Play a G major scale", clock.today() + timedelta(days=3))
    assert outbox_size(db) == before
    page = pupil_page(db, pupil, MONDAY)
    assert page.targets == () and page.notes == ()


def test_a_recorded_exam_shows_on_the_page_and_on_the_certificate(db):
    pupil = add_pupil(db, "Zeynep", "Öztürk")
    fw, lv = level("ABRSM", "Grade 2")
    record_assessment(db, pupil, fw, lv, "exam", PAST, result="Merit", mark=125, comment="Lovely")
    page = pupil_page(db, pupil, MONDAY)
    (line,) = page.assessments
    assert (line.framework, line.level, line.result, line.mark) == (
        "ABRSM",
        "Grade 2",
        "merit",
        125,
    )
    assert page.chart[0].framework == "ABRSM" and page.chart[0].points[0].level == "Grade 2"
    plan = plan_certificates(db, "exam", [pupil], MONDAY)
    assert plan.ready[0].wording == "has passed Grade 2 with Merit"
    assert plan.ready[0].level_id == lv
    assert find_pupils(db, "ozturk", MONDAY).rows[0].level == "Grade 2 (ABRSM)"


def test_an_undone_assessment_stops_counting_and_a_redo_brings_it_back(db):
    pupil = add_pupil(db, "Ada", "Lovelace")
    stage2 = record_assessment(
        db, pupil, *level("HMS Stages", "Stage 2"), "teacher_assessment", PAST
    )
    assert plan_certificates(db, "achievement", [pupil], MONDAY).ready[0].level_text == "Stage 2"
    withdraw_assessments(db, [stage2], [])
    assert pupil_page(db, pupil, MONDAY).assessments == ()
    assert plan_certificates(db, "achievement", [pupil], MONDAY).ready == ()
    withdraw_assessments(db, [], [stage2])
    assert [a.level for a in pupil_page(db, pupil, MONDAY).assessments] == ["Stage 2"]


def test_a_note_edit_is_a_new_revision_and_the_old_text_stays_readable(db):
    pupil = add_pupil(db, "Ada", "Lovelace")
    first = write_note(db, pupil, "Bow hold improving.")
    second = write_note(db, pupil, "Bow hold much better; work on string crossings.", first)
    (note,) = pupil_page(db, pupil, MONDAY).notes
    assert note.note_id == second and note.text.startswith("Bow hold much better")
    assert [text for _at, text in note.earlier] == ["Bow hold improving."]
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ProgressNote)) >= 2


def test_a_target_is_set_then_achieved(db):
    pupil = add_pupil(db, "Ada", "Lovelace")
    target = set_target(db, pupil, "Play D major, two octaves", PAST)
    with pytest.raises(InvalidProgress, match="after it was set"):
        mark_target_achieved(db, target, PAST - timedelta(days=1))
    mark_target_achieved(db, target, MONDAY)
    (line,) = pupil_page(db, pupil, MONDAY).targets
    assert line.achieved_on == MONDAY
    with db.reading() as s:
        assert s.get(Target, target).achieved_on == MONDAY


def test_frameworks_come_in_order(db):
    found = {f.name: [name for _id, name in f.levels] for f in frameworks(db)}
    assert found["ABRSM"] == ["Initial", *(f"Grade {n}" for n in range(1, 9))]
    assert found["Trinity"] == ["Initial", *(f"Grade {n}" for n in range(1, 9))]
    assert found["RSL"] == ["Debut", *(f"Grade {n}" for n in range(1, 9))]
    assert found["ABRSM Music Medals"] == ["Copper", "Bronze", "Silver", "Gold", "Platinum"]
    assert found["HMS Stages"] == [f"Stage {n}" for n in range(1, 7)]


# Hand-built registers: one lesson per code, each on its own Sunday of the term.
CODES = ["P", "P", "L", "AN", "AU", "SE", "SN", "SX", "TA", "MU"]


def test_attendance_on_the_pupil_page_agrees_with_the_registers(db):
    pupil = add_pupil(db, "Ada", "Lovelace")
    with db.transaction() as s:
        s.info[FROM_SERVER] = True
        me = get_setting(s, TUTOR_ID)
        s.execute(Enrolment.__table__.update().where(Enrolment.pupil_id == pupil).values(
            start_date=date(2026, 9, 1)))  # fmt: skip
        group = s.scalars(select(TeachingGroup).where(TeachingGroup.tutor_id == me)).first()
        for n, code in enumerate(CODES):
            day = date(2026, 9, 13) + timedelta(weeks=n)  # Sundays: never a demo lesson
            lid = lesson_id(group.id, day)
            s.add(Lesson(id=lid, group_id=group.id, date=day, start_time=time(9),
                         status="delivered", note="", updated_at=clock.utcnow()))  # fmt: skip
            s.flush()
            s.add(AttendanceMark(id=mark_id(lid, pupil), lesson_id=lid, pupil_id=pupil,
                                 code=code, comment="", marked_at=clock.utcnow(),
                                 updated_at=clock.utcnow()))  # fmt: skip
    page = pupil_page(db, pupil, MONDAY)
    for figures in (page.term, page.year):
        assert {c.code: c.count for c in figures.counts} == {
            "P": 2, "L": 1, "AN": 1, "AU": 1, "SE": 1, "SN": 1, "SX": 1, "TA": 1, "MU": 1
        }  # fmt: skip
        assert (figures.attended, figures.missed, figures.not_held) == (4, 3, 3)
        assert figures.rate == pytest.approx(4 / 7)
        # SE, SN, SX and TA each owe a make-up; MU gave one back.
        assert (figures.makeups_owed, figures.makeups_given) == (4, 1)
        assert figures.makeups_outstanding == 3
    row = find_pupils(db, "lovelace", MONDAY).rows[0]
    assert row.attendance_rate == pytest.approx(4 / 7)


def test_a_new_pupil_has_an_empty_page_not_an_error(db):
    pupil = add_pupil(db, "Ada", "Lovelace")
    page = pupil_page(db, pupil, MONDAY)
    assert page.assessments == () and page.chart == () and page.notes == ()
    assert page.term.rate is None and page.term.counts == ()
    assert len(page.enrolments) == 1


def test_recorded_progress_goes_through_the_outbox(db):
    pupil = add_pupil(db, "Ada", "Lovelace")
    aid = record_assessment(
        db, pupil, *level("ABRSM Music Medals", "Bronze"), "medal", PAST, result="pass"
    )
    write_note(db, pupil, "A good term.")
    set_target(db, pupil, "Learn the Bronze pieces by heart", PAST)
    with db.reading() as s:
        entities = [
            e
            for (e,) in s.execute(select(OutboxEntry.entity).order_by(OutboxEntry.seq))
            if e != "audit_entry"  # the trail of each change travels too
        ]
        assert s.get(Assessment, aid).assessed_by_id == get_setting(s, TUTOR_ID)
    assert entities[-3:] == ["assessment", "progress_note", "target"]


def test_upgrading_an_older_database_makes_its_pupils_searchable(tmp_path):
    from hms_desktop.data.engine import open_database
    from hms_desktop.data.migrate import upgrade
    from hms_desktop.domain.search import search_key

    path = tmp_path / "old.sqlite3"
    db = open_database(path, create=True, migrate=False)
    upgrade(db, "0004_pulled_set_aside")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("insert into school(id, name) values ('s1', 'Lea Marshes Primary')")
        conn.exec_driver_sql(
            "insert into pupil(id, given_name, family_name, family_name_first, school_id, "
            "pupil_premium, free_school_meals, sen_support, ehcp, photo_consent, status) "
            "values ('p1', 'Γιώργος', 'Öztürk', 0, 's1', 0, 0, 0, 0, 1, 'active')"
        )
    db.close()
    db = open_database(path)
    with db.reading() as s:
        key = s.get(Pupil, "p1").search_key
    assert key == search_key("Γιώργος", "Öztürk") and "giorgos" in key and "ozturk" in key
    db.close()


def test_a_framework_central_adds_arrives_by_pull_and_can_be_recorded(db):
    from hms_desktop.data.sync_store import apply_page, pulling
    from hms_protocol import Change

    fw, levels = new_id(), ["Foundation", "Intermediate", "Advanced"]
    level_ids = [new_id() for _ in levels]
    changes = [Change(entity="framework", entity_id=fw, version=1,
                      fields={"id": fw, "name": "LCM Ukulele", "kind": "grades"})]  # fmt: skip
    changes += [
        Change(
            entity="framework_level",
            entity_id=i,
            version=1,
            fields={"id": i, "framework_id": fw, "ordinal": n, "name": name},
        )
        for n, (i, name) in enumerate(zip(level_ids, levels, strict=True))
    ]
    with db.transaction() as s:
        pulling(s)
        assert apply_page(s, changes, set())[0] == 4
    found = {f.name: [n for _i, n in f.levels] for f in frameworks(db)}
    assert found["LCM Ukulele"] == levels
    pupil = add_pupil(db, "Ada", "Lovelace")
    record_assessment(db, pupil, fw, level_ids[1], "exam", PAST, result="merit")
    assert pupil_page(db, pupil, MONDAY).assessments[0].level == "Intermediate"
