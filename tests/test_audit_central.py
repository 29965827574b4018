"""The audit trail goes to central with the changes, append-only and for the office only
(issue 11, item 4)."""

import shutil

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_central.store import Row, make_engine
from hms_desktop.data.engine import open_database
from hms_desktop.data.models import AuditEntry, OutboxEntry
from hms_desktop.data.sync_store import set_aside_rows
from hms_desktop.services.register import mark_attendance, open_register
from hms_desktop.services.store import changes_waiting

from .conftest import MONDAY, whole_class
from .test_central_pull import laptop


def central_trail(server) -> list[Row]:
    engine = make_engine(server.db_url)
    with Session(engine) as s:
        rows = list(s.scalars(select(Row).where(Row.entity == "audit_entry")))
        s.expunge_all()
    engine.dispose()
    return rows


def test_each_change_reaches_central_with_its_audit_entry(db, central, demo_path, tmp_path):
    second_path = tmp_path / "second.sqlite3"  # the same tutor's other laptop, before any mark
    shutil.copyfile(demo_path, second_path)
    engine = laptop(db, central)
    engine.sync()
    lesson = whole_class(db)
    pupil = open_register(db, lesson.group_id, MONDAY).rows[0].pupil_id
    before = changes_waiting(db)
    mark_attendance(db, lesson.group_id, MONDAY, pupil, "L")
    mark_attendance(db, lesson.group_id, MONDAY, pupil, "AN", "phoned")
    assert changes_waiting(db) == before + 3  # the tutor's changes; the trail rides along
    report = engine.sync()
    assert report.rejected == 0 and report.waiting == 0
    trail = [r for r in central_trail(central) if r.fields["pupil_id"] == pupil]
    assert {r.fields["action"] for r in trail} >= {"create", "change"}
    changed = next(r for r in trail if r.fields["action"] == "change")
    assert changed.fields["changes"]["code"] == ["L", "AN"]
    assert all(r.scope == "office" for r in trail)  # kept for the office, never pulled back
    with db.reading() as s:
        local = {e.uid for e in s.scalars(select(AuditEntry).where(AuditEntry.pupil_id == pupil))}
    assert {r.id for r in trail} == local

    second = open_database(second_path)
    try:
        laptop(second, central).sync()
        with second.reading() as s:
            assert set_aside_rows(s) == [] or all(r[0] != "audit_entry" for r in set_aside_rows(s))
            theirs = {e.uid for e in s.scalars(select(AuditEntry))}
        assert not (theirs & {r.id for r in trail})  # the first laptop's trail never arrives
    finally:
        second.close()


def test_an_audit_entry_in_another_tutors_name_is_refused(db, central):
    engine = laptop(db, central)
    engine.sync()
    lesson = whole_class(db)
    pupil = open_register(db, lesson.group_id, MONDAY).rows[1].pupil_id
    mark_attendance(db, lesson.group_id, MONDAY, pupil, "P")
    with db.transaction() as s:
        forged = s.scalars(
            select(OutboxEntry).where(
                OutboxEntry.entity == "audit_entry", OutboxEntry.state == "pending"
            )
        ).first()
        forged.fields = {**forged.fields, "tutor_id": "00000000-0000-4000-8000-000000000999"}
    report = engine.sync()
    assert report.rejected == 1
    assert all(
        r.fields["tutor_id"] != "00000000-0000-4000-8000-000000000999"
        for r in central_trail(central)
    )
