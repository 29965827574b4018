"""The local store: safe SQLite, owner-only files, migrations, and clear refusals."""

import hashlib
import os
import stat
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlite
from sqlalchemy import func, select, text

from hms_desktop.data import engine as engine_module
from hms_desktop.data.engine import MIN_SQLITE, open_database, sqlite_version
from hms_desktop.data.migrate import current_revision, head_revision, upgrade
from hms_desktop.data.models import AttendanceCode, AttendanceMark, Framework, Pupil
from hms_desktop.domain.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
)
from hms_desktop.services.register import mark_attendance, open_register

from .conftest import MONDAY, whole_class


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_store_uses_a_sqlite_free_of_the_wal_reset_bug(tmp_path):
    assert sqlite_version() >= MIN_SQLITE
    db = open_database(tmp_path / "new.sqlite3", create=True)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("select sqlite_version()").scalar() == ".".join(
            map(str, sqlite_version())
        )
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.close()


def test_a_new_database_and_its_wal_files_are_readable_by_their_owner_only(tmp_path):
    old_umask = os.umask(0o022)
    try:
        path = tmp_path / "tutor.sqlite3"
        db = open_database(path, create=True)
        holder = sqlite.connect(str(path))  # keeps -wal and -shm on disk while we look
        holder.execute("select count(*) from pupil").fetchall()
        with db.transaction() as s:
            s.execute(text("insert into setting(key, value) values ('x', 'y')"))
        for suffix in ("", "-wal", "-shm"):
            companion = Path(f"{path}{suffix}")
            assert companion.exists(), suffix
            assert mode(companion) == 0o600, suffix
        holder.close()
        db.close()
    finally:
        os.umask(old_umask)


def test_a_new_database_has_the_default_codes_and_frameworks(tmp_path):
    db = open_database(tmp_path / "new.sqlite3", create=True)
    with db.reading() as s:
        codes = set(s.scalars(select(AttendanceCode.code)))
        frameworks = set(s.scalars(select(Framework.name)))
    assert {"P", "L", "AN", "AU", "SE", "SN", "SX", "TA", "MU", "WD", "LE"} == codes
    assert {"ABRSM", "Trinity", "RSL", "ABRSM Music Medals", "HMS Stages"} == frameworks
    assert current_revision(db) == head_revision()
    db.close()


def test_upgrading_a_first_revision_database_keeps_its_data_and_backs_it_up(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = open_database(path, create=True, migrate=False)
    upgrade(db, "0001")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("insert into school(id, name) values ('s1', 'Lea Marshes Primary')")
        conn.exec_driver_sql(
            "insert into pupil(id, given_name, family_name, family_name_first, school_id, "
            "pupil_premium, free_school_meals, sen_support, ehcp, photo_consent, status) "
            "values ('p1', 'Łucja', 'Wiśniewska', 0, 's1', 0, 0, 0, 0, 1, 'active')"
        )
    db.close()

    db = open_database(path)
    assert current_revision(db) == head_revision()
    with db.reading() as s:
        pupil = s.get(Pupil, "p1")
        assert (pupil.given_name, pupil.family_name) == ("Łucja", "Wiśniewska")
        assert s.scalar(select(func.count()).select_from(AttendanceCode)) == 11
    db.close()
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1 and f"before-{head_revision()}" in backups[0].name
    assert mode(backups[0]) == 0o600
    backup = sqlite.connect(str(backups[0]))
    assert backup.execute("select given_name from pupil").fetchall() == [("Łucja",)]
    assert backup.execute("select version_num from alembic_version").fetchall() == [("0001",)]
    backup.close()


def test_a_database_from_a_newer_version_is_refused_untouched(demo_path):
    con = sqlite.connect(str(demo_path))
    con.execute("update alembic_version set version_num = '0999'")
    con.commit()
    con.close()
    before = digest(demo_path)
    with pytest.raises(DatabaseTooNew, match=r"newer version of HMS Tutor.*Nothing was changed"):
        open_database(demo_path)
    assert digest(demo_path) == before
    assert not (demo_path.parent / "backups").exists()


def test_a_path_that_does_not_exist_is_refused_and_not_created(tmp_path):
    missing = tmp_path / "nowhere" / "tutor.sqlite3"
    with pytest.raises(DatabaseMissing, match="There is no HMS Tutor database at"):
        open_database(missing)
    assert not missing.exists()


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "registers.sqlite3"
    path.write_bytes(b"Dear office, please find attached...\n" * 100)
    before = digest(path)
    with pytest.raises(DatabaseCorrupt, match="not an HMS Tutor database"):
        open_database(path)
    assert digest(path) == before


def test_a_damaged_database_is_refused_with_a_clear_message(demo_path):
    data = bytearray(demo_path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 40), page):  # trash inner pages
        data[offset : offset + 200] = b"\xde\xad\xbe\xef" * 50
    demo_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt, match="damaged"):
        open_database(demo_path)


def test_a_locked_database_gives_a_clear_message_and_loses_nothing(db, demo_path, monkeypatch):
    lesson = whole_class(db)
    pupils = [r.pupil_id for r in open_register(db, lesson.group_id, MONDAY).rows]
    mark_attendance(db, lesson.group_id, MONDAY, pupils[0], "P")
    db.close()
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    db = open_database(demo_path)
    other = sqlite.connect(str(demo_path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked, match=r"busy.*Nothing was changed"):
            mark_attendance(db, lesson.group_id, MONDAY, pupils[1], "P")
    finally:
        other.execute("ROLLBACK")
        other.close()
    register = open_register(db, lesson.group_id, MONDAY)
    assert register.row(pupils[0]).code == "P"
    assert register.row(pupils[1]).code is None
    mark_attendance(db, lesson.group_id, MONDAY, pupils[1], "L")  # works once it is free
    db.close()


def test_a_read_only_database_gives_a_clear_message_and_changes_nothing(db, demo_path):
    lesson = whole_class(db)
    pupil = open_register(db, lesson.group_id, MONDAY).rows[0].pupil_id
    db.close()
    read_only = open_database(demo_path, read_only=True)
    with pytest.raises(DatabaseReadOnly, match="can't be written to"):
        mark_attendance(read_only, lesson.group_id, MONDAY, pupil, "P")
    with read_only.reading() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AttendanceMark)
                .where(
                    AttendanceMark.pupil_id == pupil, AttendanceMark.lesson_id == lesson.lesson_id
                )
            )
            == 0
        )
    read_only.close()


def test_pythons_own_older_sqlite_is_never_loaded(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from hms_desktop.data.engine import open_database;"
        "from hms_desktop.services import register, timetable, store, export;"
        f"db = open_database({str(tmp_path / 'x.sqlite3')!r}, create=True);"
        "store.store_status(db);"
        "print('sqlite3' in sys.modules, '_sqlite3' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]


def test_folders_made_for_a_new_database_are_owner_only(tmp_path):
    path = tmp_path / "a" / "b" / "tutor.sqlite3"
    open_database(path, create=True).close()
    assert mode(tmp_path / "a") == 0o700
    assert mode(tmp_path / "a" / "b") == 0o700
