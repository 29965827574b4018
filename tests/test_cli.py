"""The command line, run as a tutor or the office would run it: a real process each time."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hms_desktop import __version__
from hms_desktop.data.engine import open_database
from hms_desktop.services.register import mark_attendance, open_register

from .conftest import MONDAY, whole_class


def run(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "hms_desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"HMS Tutor {__version__}"


def test_seed_demo_then_status_reports_the_world(tmp_path):
    path = tmp_path / "demo.sqlite3"
    seeded = run(
        "seed-demo", "--db", str(path), "--pupils", "500", "--seed", "3", "--today", "2026-11-23"
    )
    assert seeded.returncode == 0, seeded.stderr
    assert "500 pupils" in seeded.stdout
    result = run("status", "--db", str(path), "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["integrity"] == "ok"
    assert status["schema_revision"] == status["schema_head"]
    assert status["pupils"] == 500
    assert status["marks"] > 1000
    assert status["pending_changes"] == 0
    text = run("status", "--db", str(path))
    assert "Integrity check:  ok" in text.stdout


def test_seed_demo_refuses_to_overwrite_a_database(demo_path):
    before = demo_path.read_bytes()
    result = run("seed-demo", "--db", str(demo_path))
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert demo_path.read_bytes() == before
    assert_no_traceback(result)


@pytest.mark.parametrize("command", [["status"], ["export-registers", "--out", "x.csv"], []])
def test_a_db_path_that_does_not_exist_gets_a_clear_message(tmp_path, command):
    missing = tmp_path / "typo.sqlite3"
    args = [*command, "--db", str(missing)] if command else ["--db", str(missing)]
    result = run(*args)
    assert result.returncode == 2
    assert f"There is no HMS Tutor database at {missing}" in result.stderr
    assert not missing.exists()
    assert_no_traceback(result)


def test_status_of_a_corrupt_file_is_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"\x00garbage" * 1000)
    result = run("status", "--db", str(path))
    assert result.returncode == 2
    assert "not an HMS Tutor database" in result.stderr
    assert_no_traceback(result)


def test_bad_arguments_are_explained(tmp_path):
    result = run("seed-demo", "--db", str(tmp_path / "x.sqlite3"), "--pupils", "lots")
    assert result.returncode == 2
    assert "'lots' is not a whole number" in result.stderr
    result = run("export-registers", "--db", "x", "--out", "y", "--from", "23/11/2026")
    assert "is not a date like 2026-11-23" in result.stderr


def test_export_registers_writes_the_marks_the_office_needs(db, demo_path, tmp_path):
    lesson = whole_class(db)
    rows = open_register(db, lesson.group_id, MONDAY).rows
    mark_attendance(db, lesson.group_id, MONDAY, rows[0].pupil_id, "SE", "=HYPERLINK(trip)")
    db.close()
    out = tmp_path / "registers.csv"
    result = run(
        "export-registers",
        "--db",
        str(demo_path),
        "--out",
        str(out),
        "--from",
        "2026-11-23",
        "--to",
        "2026-11-23",
    )
    assert result.returncode == 0, result.stderr
    assert "Wrote 1 marks" in result.stdout
    assert (out.stat().st_mode & 0o777) == 0o600
    with out.open(encoding="utf-8-sig", newline="") as fh:
        exported = list(csv.DictReader(fh))
    assert len(exported) == 1
    row = exported[0]
    assert (row["date"], row["code"], row["tutor_paid"], row["billable"], row["makeup_owed"]) == (
        "2026-11-23",
        "SE",
        "yes",
        "yes",
        "yes",
    )
    assert row["pupil"] == rows[0].name
    assert row["comment"] == "'=HYPERLINK(trip)"  # a spreadsheet must not run it


def test_export_of_the_whole_term_has_every_mark(demo_path, tmp_path):
    out = tmp_path / "term.csv"
    result = run("export-registers", "--db", str(demo_path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    db = open_database(demo_path, read_only=True)
    from hms_desktop.services.store import store_status

    marks = store_status(db).marks
    db.close()
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == marks


def test_export_to_a_folder_that_does_not_exist_writes_nothing(demo_path, tmp_path):
    result = run(
        "export-registers", "--db", str(demo_path), "--out", str(tmp_path / "no" / "such" / "r.csv")
    )
    assert result.returncode == 2
    assert "does not exist: nothing was exported" in result.stderr


def test_selftest_passes(tmp_path):
    result = run("--selftest", env_extra={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "selftest ok: 30 pupils marked and kept" in result.stdout


def test_the_gui_refuses_a_missing_db_without_creating_it(tmp_path):
    missing = Path(tmp_path) / "missing.sqlite3"
    result = run("--db", str(missing), env_extra={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 2
    assert not missing.exists()


def test_certificates_for_a_group_from_the_command_line(db, demo_path, tmp_path):
    group = whole_class(db).group_id
    db.close()
    out = tmp_path / "wcet.pdf"
    refused = run(
        "certificates",
        "--db",
        str(demo_path),
        "--group",
        group,
        "--template",
        "achievement",
        "--out",
        str(out),
        "--date",
        "2026-11-23",
    )
    assert refused.returncode == 2
    assert "no level has been recorded yet" in refused.stderr
    assert "Nothing was printed" in refused.stderr and not out.exists()
    printed = run(
        "certificates",
        "--db",
        str(demo_path),
        "--group",
        group,
        "--template",
        "recognition",
        "--out",
        str(out),
        "--date",
        "2026-11-23",
    )
    assert printed.returncode == 0, printed.stderr
    assert "Printed 30 certificates" in printed.stdout
    from pypdf import PdfReader

    assert len(PdfReader(out).pages) == 30
