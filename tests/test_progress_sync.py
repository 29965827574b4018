"""Progress syncs: assessments, notes and targets recorded on a laptop reach central; the same
pupil assessed on two laptops keeps both (append-only, nothing conflicts); an undone assessment
is withdrawn on central too, never edited."""

from sqlalchemy import select

from hms_central.store import Row
from hms_desktop.services.progress import (
    Recorded,
    group_pupils,
    pupil_page,
    record_assessment,
    set_target,
    withdraw,
    write_note,
)
from hms_desktop.services.sync import needs_attention, sync_status
from hms_protocol.reference import framework_id, framework_level_id

from .conftest import MONDAY, whole_class
from .test_sync import another_laptop, central_session, close_clients, laptop

__all__ = ["close_clients"]  # the fixture that closes each laptop's client


def stage(db, pupil: str, n: int, comment: str = "") -> str:
    fw = "HMS Stages"
    return record_assessment(db, pupil, framework_id(fw), framework_level_id(fw, f"Stage {n}"),
                             "teacher_assessment", MONDAY, comment=comment)  # fmt: skip


def central_rows(server, entity: str, pupil: str) -> list[Row]:
    with central_session(server) as s:
        rows = s.scalars(select(Row).where(Row.entity == entity)).all()
        return [r for r in rows if r.fields.get("pupil_id") == pupil]


def a_pupil(db) -> str:
    return group_pupils(db, whole_class(db).group_id, MONDAY)[0].pupil_id


def test_progress_recorded_on_a_laptop_is_on_central(db, central):
    engine, _ = laptop(db, central)
    pupil = a_pupil(db)
    before = len(central_rows(central, "assessment", pupil))
    aid = stage(db, pupil, 3, "Confident bowing")
    write_note(db, pupil, "Ready for Stage 4 pieces next term.")
    set_target(db, pupil, "Learn the Stage 4 scales", MONDAY)
    report = engine.sync()
    assert report.rejected == report.conflicts == 0 and report.applied >= 3
    assessments = central_rows(central, "assessment", pupil)
    assert len(assessments) == before + 1
    mine = next(r for r in assessments if r.id == aid)
    assert mine.fields["comment"] == "Confident bowing"
    assert mine.fields["level_id"] == framework_level_id("HMS Stages", "Stage 3")
    assert [r.fields["text"] for r in central_rows(central, "progress_note", pupil)] == [
        "Ready for Stage 4 pieces next term."
    ]
    assert len(central_rows(central, "target", pupil)) == 1
    assert sync_status(db).waiting == 0


def test_the_same_pupil_assessed_on_two_laptops_keeps_both(db, demo_path, central, tmp_path):
    second = another_laptop(demo_path, tmp_path)
    first_engine, _ = laptop(db, central)
    second_engine, _ = laptop(second, central)
    pupil = a_pupil(db)
    before = len(central_rows(central, "assessment", pupil))
    one = stage(db, pupil, 2, "from the first laptop")
    two = stage(second, pupil, 3, "from the second laptop")
    write_note(db, pupil, "Note one")
    write_note(second, pupil, "Note two")
    first_engine.sync()
    report = second_engine.sync()
    assert report.conflicts == report.rejected == 0
    ids = {r.id for r in central_rows(central, "assessment", pupil)}
    assert {one, two} <= ids and len(ids) == before + 2
    notes = sorted(r.fields["text"] for r in central_rows(central, "progress_note", pupil))
    assert notes == ["Note one", "Note two"]
    assert needs_attention(db) == [] and needs_attention(second) == []
    first_engine.sync()  # each laptop then has both
    second_engine.sync()
    for laptop_db in (db, second):
        shown = {a.assessment_id for a in pupil_page(laptop_db, pupil, MONDAY).assessments}
        assert {one, two} <= shown
    second.close()


def test_an_undone_assessment_is_withdrawn_on_central_not_edited(db, central):
    engine, _ = laptop(db, central)
    pupil = a_pupil(db)
    aid = stage(db, pupil, 4)
    engine.sync()
    withdraw(db, Recorded.ASSESSMENT, [aid], [])
    report = engine.sync()
    assert report.rejected == report.conflicts == 0
    (row,) = [r for r in central_rows(central, "assessment", pupil) if r.id == aid]
    assert row.fields["deleted_at"] is not None
    withdraw(db, Recorded.ASSESSMENT, [], [aid])  # redo
    assert engine.sync().rejected == 0
    (row,) = [r for r in central_rows(central, "assessment", pupil) if r.id == aid]
    assert row.fields["deleted_at"] is None and row.fields["level_id"] == framework_level_id(
        "HMS Stages", "Stage 4"
    )
