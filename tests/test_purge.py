"""A pupil who has left is purged from the laptop only once central has every change about
them; afterwards their name is in no file the app keeps."""

from pathlib import Path

from sqlalchemy import select, text

from hms_desktop.data.engine import backup_to
from hms_desktop.data.migrate import backups_dir
from hms_desktop.data.models import AttendanceMark, AuditEntry, Pupil
from hms_desktop.data.sync_store import pulling
from hms_desktop.services.purge import purge_leavers
from hms_desktop.services.register import mark_attendance, open_register
from hms_desktop.services.sync import enrol_device, sync_now
from hms_desktop.sync.client import CentralClient

from .conftest import CENTRAL_PASSWORD, MONDAY, whole_class


def raw_files(path: Path) -> bytes:
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), *path.parent.rglob("backups/*")]
    return b"".join(f.read_bytes() for f in files if f.is_file())


def withdraw(db, pupil_id: str) -> None:
    """As central's pull would: the pupil is withdrawn (no outbox entry)."""
    with db.transaction() as s:
        pulling(s)
        s.execute(text("UPDATE pupil SET status = 'withdrawn' WHERE id = :p"), {"p": pupil_id})


def test_a_leaver_with_unsent_marks_stays_until_central_has_them_then_is_gone(
    db, demo_path, central
):
    client = CentralClient(central.url)
    try:
        _leaver_story(db, demo_path, client)
    finally:
        client.close()


def _leaver_story(db, demo_path, client):
    enrol_device(db, client, "samira.okaforreid@hms.invalid", password=CENTRAL_PASSWORD)
    sync_now(db, client)
    entry = whole_class(db)
    with db.reading() as s:
        # a pupil whose family name no other pupil has
        counts = {}
        for p in s.scalars(select(Pupil)):
            counts[p.family_name] = counts.get(p.family_name, 0) + 1
        rows = open_register(db, entry.group_id, MONDAY).rows
        row = next(r for r in rows if counts[s.get(Pupil, r.pupil_id).family_name] == 1)
        pupil = s.get(Pupil, row.pupil_id)
        # adjacent columns sit side by side in SQLite's record: the name as a thief finds it
        name = f"{pupil.given_name}{pupil.family_name}".encode()
    mark_attendance(db, entry.group_id, MONDAY, row.pupil_id, "AN", "")
    withdraw(db, row.pupil_id)
    kept = purge_leavers(db, MONDAY)
    assert kept.waiting >= 1
    with db.reading() as s:
        assert s.get(Pupil, row.pupil_id) is not None  # the unsent mark keeps them
    backup_to(db, backups_dir(db) / "before-purge.sqlite3")
    assert name in raw_files(demo_path)

    report = sync_now(db, client)
    assert report.waiting == 0
    done = purge_leavers(db, MONDAY)
    assert done.purged == 1 and done.waiting == 0 and done.backups_removed == 1
    with db.reading() as s:
        assert s.get(Pupil, row.pupil_id) is None
        assert not s.scalars(
            select(AttendanceMark).where(AttendanceMark.pupil_id == row.pupil_id)
        ).all()
        purged = s.scalars(
            select(AuditEntry).where(
                AuditEntry.pupil_id == row.pupil_id, AuditEntry.action == "purge"
            )
        ).all()
    assert len(purged) == 1
    assert name not in raw_files(demo_path)


def test_current_pupils_are_never_purged(db):
    entry = whole_class(db)
    before = [r.pupil_id for r in open_register(db, entry.group_id, MONDAY).rows]
    purge_leavers(db, MONDAY)
    assert [r.pupil_id for r in open_register(db, entry.group_id, MONDAY).rows] == before


def test_sent_changes_leave_the_outbox_but_stay_in_the_audit_trail(db, central):
    from hms_desktop.data.models import OutboxEntry
    from hms_desktop.services.audit import pupil_history
    from hms_desktop.services.purge import prune_sent_changes

    entry = whole_class(db)
    pupil = open_register(db, entry.group_id, MONDAY).rows[0].pupil_id
    mark_attendance(db, entry.group_id, MONDAY, pupil, "L")
    client = CentralClient(central.url)
    try:
        enrol_device(db, client, "samira.okaforreid@hms.invalid", password=CENTRAL_PASSWORD)
        assert sync_now(db, client).waiting == 0
    finally:
        client.close()
    mark_attendance(db, entry.group_id, MONDAY, pupil, "AN")  # not yet sent
    assert prune_sent_changes(db) >= 1
    with db.reading() as s:
        states = set(s.scalars(select(OutboxEntry.state)))
    assert states == {"pending"}
    codes = [line.changes.get("code") for line in pupil_history(db, pupil) if line.what == "mark"]
    assert [after for _before, after in codes[-2:]] == ["L", "AN"]  # the record is whole
