"""Whoever copies the profile folder off a lost laptop reads no child's name, school or note."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from hms_desktop.data.engine import backup_to, integrity_check, open_database
from hms_desktop.data.migrate import backups_dir
from hms_desktop.data.models import Pupil, School
from hms_desktop.services.certificates import group_pupils, plan_certificates, print_certificates
from hms_desktop.services.register import mark_attendance, open_register, save_lesson_note
from hms_desktop.services.sync import enrol_device, sync_now
from hms_desktop.services.unlock import set_up_profile, unlock
from hms_desktop.sync.client import CentralClient

from .conftest import CENTRAL_PASSWORD, MONDAY, TEST_PIN, whole_class

NOTE = "Zubaida brought her own bow today"


def needles(path: Path) -> list[bytes]:
    """What a thief would look for: names, schools, medical notes (as SQLite stores them)."""
    db = open_database(path)
    try:
        with db.reading() as s:
            pupils = s.scalars(select(Pupil).order_by(Pupil.id).limit(40)).all()
            # adjacent columns sit side by side in SQLite's records: a name as a thief finds it
            words = [f"{p.given_name}{p.family_name}" for p in pupils]
            words += [p.family_name for p in pupils if len(p.family_name) >= 6]
            words += [p.medical_note for p in pupils if p.medical_note][:5]
            words += [school.name for school in s.scalars(select(School))]
    finally:
        db.close()
    return sorted({w.encode("utf-8") for w in words} | {NOTE.encode()})


def every_file(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def assert_nothing_readable(folder: Path, secrets: list[bytes]) -> None:
    files = every_file(folder)
    assert files
    for file in files:
        data = file.read_bytes()
        assert not data.startswith(b"SQLite format 3"), f"{file.name} is a plain database"
        found = [s.decode() for s in secrets if s in data]
        assert not found, f"{file.name} holds personal data in the clear"


@pytest.fixture
def secrets_and_profile(demo_path):
    laptop = demo_path.parent / "laptop"  # its own folder: central's files sit in tmp_path
    laptop.mkdir(mode=0o700)
    demo_path = demo_path.rename(laptop / demo_path.name)
    secrets = needles(demo_path)
    before = demo_path.read_bytes()
    missing = [s for s in secrets if s not in before and s != NOTE.encode()]
    assert not missing  # the plain store does give every one of them away
    # An earlier version's backup (plain) sits in backups/: it must be moved over too.
    plain = open_database(demo_path)
    backup_to(plain, backups_dir(plain) / "demo-20261001-before-0003.sqlite3")
    plain.close()
    db, _ = set_up_profile(demo_path, TEST_PIN)
    db.close()
    return secrets, demo_path


def test_names_are_absent_from_every_file_after_the_move(secrets_and_profile):
    secrets, path = secrets_and_profile
    assert len(secrets) > 30
    assert len(list((path.parent / "backups").iterdir())) == 2
    assert_nothing_readable(path.parent, secrets)


def test_names_are_absent_while_marking_printing_and_syncing(
    secrets_and_profile, central, tmp_path_factory
):
    secrets, path = secrets_and_profile
    db = unlock(path, TEST_PIN)
    # The window holds the store open while the tutor works: its -wal and -shm stay on disk.
    holder = db.engine.raw_connection()
    entry = whole_class(db)
    for row in open_register(db, entry.group_id, MONDAY).rows[:10]:
        mark_attendance(db, entry.group_id, MONDAY, row.pupil_id, "P")
    save_lesson_note(db, entry.group_id, MONDAY, NOTE)
    # the database is open and its -wal holds the new pages: still nothing readable
    assert Path(f"{path}-wal").stat().st_size > 0
    assert_nothing_readable(path.parent, secrets)

    out = tmp_path_factory.mktemp("printed") / "certificates.pdf"
    plan = plan_certificates(db, "recognition", group_pupils(db, entry.group_id, MONDAY), MONDAY)
    print_certificates(db, plan, out, MONDAY)
    assert out.exists()  # the printout is the tutor's to keep: it is outside the profile
    assert_nothing_readable(path.parent, secrets)

    client = CentralClient(central.url)
    try:
        enrol_device(db, client, "samira.okaforreid@hms.invalid", password=CENTRAL_PASSWORD)
        report = sync_now(db, client)
    finally:
        client.close()
    assert report.waiting == 0
    assert_nothing_readable(path.parent, secrets)
    holder.close()
    db.close()
    assert_nothing_readable(path.parent, secrets)


CHILD = r"""
import itertools, sys
from datetime import date
from hms_desktop.services.register import mark_attendance, open_register, save_lesson_note
from hms_desktop.services.unlock import unlock
db = unlock(sys.argv[1], sys.stdin.readline().strip())
keep = db.engine.raw_connection()  # as a long read would: the -wal stays on disk when killed
group, day = sys.argv[2], date.fromisoformat(sys.argv[3])
pupils = [r.pupil_id for r in open_register(db, group, day).rows]
print("ready", flush=True)
for n in itertools.count():
    mark_attendance(db, group, day, pupils[n % len(pupils)], ["P", "L", "AN"][n % 3])
    save_lesson_note(db, group, day, f"{sys.argv[4]} {n}")
"""


@pytest.mark.slow
def test_names_are_absent_after_a_sigkill_mid_write(secrets_and_profile):
    secrets, path = secrets_and_profile
    db = unlock(path, TEST_PIN)
    group_id = whole_class(db).group_id
    db.close()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), group_id, MONDAY.isoformat(), NOTE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    child.stdin.write(f"{TEST_PIN}\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=30)
    assert Path(f"{path}-wal").exists()  # left behind by the killed writer
    assert_nothing_readable(path.parent, secrets)
    db = unlock(path, TEST_PIN)
    try:
        assert integrity_check(db) == "ok"
    finally:
        db.close()


def test_a_shredded_file_is_overwritten_before_it_is_unlinked(tmp_path):
    from hms_desktop.paths import shred

    plain = tmp_path / "old.sqlite3"
    plain.write_bytes(b"SQLite format 3\x00" + NOTE.encode() * 1000)
    second_name = tmp_path / "same-blocks"
    second_name.hardlink_to(plain)  # sees the very blocks the file had
    shred(plain)
    assert not plain.exists()
    assert set(second_name.read_bytes()) == {0}


def test_a_certificate_preview_leaves_no_readable_file_behind(tmp_path, monkeypatch):
    """The preview is drawn through a temporary PDF: it is overwritten before it goes."""
    import tempfile
    from datetime import date

    from hms_desktop.certificates import publish
    from hms_desktop.certificates.content import CertificateContent, Template
    from hms_desktop.certificates.preview import preview_png

    kept = []
    real_replace = publish.os.replace

    def keep_a_second_name(src, dst):
        real_replace(src, dst)
        kept.append(tmp_path / f"link-{len(kept)}")
        kept[-1].hardlink_to(dst)

    monkeypatch.setattr(publish.os, "replace", keep_a_second_name)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    item = CertificateContent(
        "Zubaida Rahman",
        Template.RECOGNITION,
        "for effort",
        date(2026, 12, 18),
        "Tutor",
        "HMS-26-TEST-0001",
        "Q7RM4P",
    )
    assert preview_png(item, 300).startswith(b"\x89PNG")
    assert kept and set(kept[0].read_bytes()) == {0}
