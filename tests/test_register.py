"""Taking a register: each mark saved with its outbox entry; bad input refused, nothing changed."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hms_desktop.data.models import AttendanceMark, Lesson, OutboxEntry
from hms_desktop.domain.errors import CommentRequired, PupilNotInGroup, UnknownCode
from hms_desktop.domain.ids import lesson_id, mark_id
from hms_desktop.services.register import (
    mark_attendance,
    mark_unmarked_present,
    open_register,
    save_lesson_note,
    set_lesson_status,
)
from hms_desktop.services.store import changes_waiting
from hms_desktop.services.timetable import lessons_on

from .conftest import MONDAY, whole_class


def counts(db) -> tuple[int, int, int]:
    with db.reading() as s:
        return (
            s.scalar(select(func.count()).select_from(AttendanceMark)),
            s.scalar(select(func.count()).select_from(OutboxEntry)),
            s.scalar(select(func.count()).select_from(Lesson)),
        )


def test_whole_class_register_lists_the_enrolled_pupils_unmarked(db):
    lesson = whole_class(db)
    register = open_register(db, lesson.group_id, MONDAY)
    assert len(register.rows) == lesson.pupils == 30
    assert all(r.code is None for r in register.rows)
    assert register.lesson_id == lesson_id(lesson.group_id, MONDAY)
    assert [c.code for c in register.codes][:4] == ["P", "L", "AN", "AU"]


def test_a_mark_is_saved_with_its_outbox_entry_in_one_go(db):
    lesson = whole_class(db)
    pupil = open_register(db, lesson.group_id, MONDAY).rows[0]
    row = mark_attendance(db, lesson.group_id, MONDAY, pupil.pupil_id, "l")
    assert row.code == "L"
    assert open_register(db, lesson.group_id, MONDAY).row(pupil.pupil_id).code == "L"
    with db.reading() as s:
        entries = s.scalars(
            select(OutboxEntry).where(
                OutboxEntry.entity_id == mark_id(lesson.lesson_id, pupil.pupil_id)
            )
        ).all()
        lesson_entries = s.scalars(select(OutboxEntry).where(OutboxEntry.entity == "lesson")).all()
    assert [(e.op, e.fields["code"], e.fields["pupil_id"]) for e in entries] == [
        ("upsert", "L", pupil.pupil_id)
    ]
    assert [e.entity_id for e in lesson_entries] == [lesson.lesson_id]


def test_changing_a_mark_adds_a_new_entry_and_repeating_it_adds_none(db):
    lesson = whole_class(db)
    pupil = open_register(db, lesson.group_id, MONDAY).rows[3].pupil_id
    mark_attendance(db, lesson.group_id, MONDAY, pupil, "P")
    before = changes_waiting(db)
    mark_attendance(db, lesson.group_id, MONDAY, pupil, "P")
    assert changes_waiting(db) == before
    mark_attendance(db, lesson.group_id, MONDAY, pupil, "AN")
    assert changes_waiting(db) == before + 1
    with db.reading() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AttendanceMark)
                .where(
                    AttendanceMark.pupil_id == pupil, AttendanceMark.lesson_id == lesson.lesson_id
                )
            )
            == 1
        )


@pytest.mark.parametrize("typed", ["Q", "", "  ", "PRESENT", "LE", "'; DROP TABLE pupil;--"])
def test_an_unknown_code_is_refused_and_nothing_changes(db, typed):
    lesson = whole_class(db)
    pupil = open_register(db, lesson.group_id, MONDAY).rows[0].pupil_id
    before = counts(db)
    with pytest.raises(UnknownCode, match=r"is not an attendance code\. Use one of: P, L"):
        mark_attendance(db, lesson.group_id, MONDAY, pupil, typed)
    assert counts(db) == before


def test_a_code_that_needs_a_comment_is_refused_without_one(db):
    lesson = whole_class(db)
    pupil = open_register(db, lesson.group_id, MONDAY).rows[0].pupil_id
    before = counts(db)
    with pytest.raises(CommentRequired, match=r"SE .* needs a comment"):
        mark_attendance(db, lesson.group_id, MONDAY, pupil, "SE", " \n ")
    assert counts(db) == before
    row = mark_attendance(db, lesson.group_id, MONDAY, pupil, "SE", "Year 4 trip\x07")
    assert (row.code, row.comment) == ("SE", "Year 4 trip")


def test_a_mark_for_a_pupil_not_in_the_group_is_refused(db):
    entries = lessons_on(db, MONDAY)
    other = next(e for e in entries if "whole class" not in e.group_name)
    stranger = open_register(db, other.group_id, MONDAY).rows[0].pupil_id
    lesson = whole_class(db)
    before = counts(db)
    with pytest.raises(PupilNotInGroup):
        mark_attendance(db, lesson.group_id, MONDAY, stranger, "P")
    assert counts(db) == before


def test_withdrawn_pupils_are_not_offered_and_cannot_be_marked(db):
    lesson = whole_class(db)
    with db.reading() as s:
        from hms_desktop.data.models import Enrolment, Pupil

        withdrawn = s.execute(
            select(Pupil.id, Pupil.withdrawn_on)
            .join(Enrolment, Enrolment.pupil_id == Pupil.id)
            .where(Enrolment.group_id == lesson.group_id, Pupil.status == "withdrawn")
        ).one()
    today = open_register(db, lesson.group_id, MONDAY)
    assert withdrawn.id not in {r.pupil_id for r in today.rows}
    before_withdrawal = open_register(db, lesson.group_id, MONDAY - timedelta(weeks=2))
    assert withdrawn.id in {r.pupil_id for r in before_withdrawal.rows}
    with pytest.raises(PupilNotInGroup):
        mark_attendance(db, lesson.group_id, MONDAY, withdrawn.id, "P")


def test_a_pupil_who_joined_mid_term_appears_from_their_start_date(db):
    from hms_desktop.data.models import Enrolment, TeachingGroup

    with db.reading() as s:
        joiner = s.execute(
            select(
                Enrolment.group_id, Enrolment.pupil_id, Enrolment.start_date, TeachingGroup.weekday
            )
            .join(TeachingGroup, TeachingGroup.id == Enrolment.group_id)
            .where(Enrolment.start_date > TeachingGroup.term_start)
        ).first()
    assert joiner is not None
    start = joiner.start_date
    lesson_day = start + timedelta(days=(joiner.weekday - start.weekday()) % 7)
    before = open_register(db, joiner.group_id, lesson_day - timedelta(weeks=1))
    after = open_register(db, joiner.group_id, lesson_day)
    assert joiner.pupil_id not in {r.pupil_id for r in before.rows}
    assert joiner.pupil_id in {r.pupil_id for r in after.rows}


def test_all_present_fills_only_the_pupils_not_yet_marked(db):
    lesson = whole_class(db)
    rows = open_register(db, lesson.group_id, MONDAY).rows
    mark_attendance(db, lesson.group_id, MONDAY, rows[0].pupil_id, "AN")
    register = mark_unmarked_present(db, lesson.group_id, MONDAY)
    codes = [r.code for r in register.rows]
    assert register.row(rows[0].pupil_id).code == "AN"
    assert codes.count("P") == 29
    assert register.status == "delivered"


@pytest.mark.parametrize(("status", "code"), [("tutor_absent", "TA"), ("school_closed", "SN")])
def test_a_cancelled_lesson_sets_every_pupils_code(db, status, code):
    lesson = whole_class(db)
    rows = open_register(db, lesson.group_id, MONDAY).rows
    mark_attendance(db, lesson.group_id, MONDAY, rows[0].pupil_id, "P")
    register = set_lesson_status(db, lesson.group_id, MONDAY, status)
    assert {r.code for r in register.rows} == {code}
    assert register.status == status


def test_turned_away_needs_a_comment_and_changes_nothing_without_one(db):
    lesson = whole_class(db)
    before = counts(db)
    with pytest.raises(CommentRequired):
        set_lesson_status(db, lesson.group_id, MONDAY, "turned_away")
    assert counts(db) == before
    register = set_lesson_status(db, lesson.group_id, MONDAY, "turned_away", "Office closed")
    assert {(r.code, r.comment) for r in register.rows} == {("SX", "Office closed")}


def test_the_lesson_note_is_kept(db):
    lesson = whole_class(db)
    save_lesson_note(db, lesson.group_id, MONDAY, "Bow hold.\nD major scale.")
    assert open_register(db, lesson.group_id, MONDAY).note == "Bow hold.\nD major scale."


def test_past_registers_from_the_demo_are_already_sent(db):
    assert changes_waiting(db) == 0
    lesson = whole_class(db)
    last_week = open_register(db, lesson.group_id, MONDAY - timedelta(weeks=1))
    assert all(r.code for r in last_week.rows)
