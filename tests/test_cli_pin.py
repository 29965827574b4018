"""The command line opens an encrypted profile only with its PIN, read from standard input or
HMS_PIN — never from the command line, where other users could see it in the process list."""

import json
import os
import subprocess
import sys

from hms_desktop.services.unlock import ProfileState, profile_info

from .conftest import TEST_PIN


def run(*args: str, stdin: str = "", env_extra: dict | None = None):
    env = {k: v for k, v in os.environ.items() if k != "HMS_PIN"} | (env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "hms_desktop", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_status_of_an_encrypted_profile_needs_its_pin(profile_path):
    without = run("status", "--db", str(profile_path), "--json")
    assert without.returncode == 2
    assert "--pin-stdin" in without.stderr and "Traceback" not in without.stderr

    wrong = run("status", "--db", str(profile_path), "--pin-stdin", stdin="999111\n")
    assert wrong.returncode == 2 and "9 tries left" in wrong.stderr

    right = run("status", "--db", str(profile_path), "--json", "--pin-stdin", stdin=TEST_PIN)
    assert right.returncode == 0, right.stderr
    assert json.loads(right.stdout)["integrity"] == "ok"

    env = run("status", "--db", str(profile_path), env_extra={"HMS_PIN": TEST_PIN})
    assert env.returncode == 0 and "Integrity check:  ok" in env.stdout


def test_there_is_no_way_to_give_the_pin_on_the_command_line(profile_path):
    result = run("status", "--db", str(profile_path), "--pin", TEST_PIN)
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr


def test_export_says_the_file_holds_personal_data_and_is_owner_only(profile_path, tmp_path):
    out = tmp_path / "registers.csv"
    result = run(
        "export-registers",
        "--db",
        str(profile_path),
        "--out",
        str(out),
        "--pin-stdin",
        stdin=TEST_PIN,
    )
    assert result.returncode == 0, result.stderr
    assert "personal data" in result.stderr and "readable by you only" in result.stderr
    assert (out.stat().st_mode & 0o777) == 0o600


def test_a_plain_profile_from_an_earlier_version_still_opens(demo_path):
    assert profile_info(demo_path).state is ProfileState.PLAIN
    result = run("status", "--db", str(demo_path))
    assert result.returncode == 0, result.stderr


def test_the_audit_trail_and_purge_from_the_command_line(profile_path):
    from hms_desktop.services.register import mark_attendance, open_register
    from hms_desktop.services.unlock import unlock

    from .conftest import MONDAY, whole_class

    db = unlock(profile_path, TEST_PIN)
    entry = whole_class(db)
    pupil = open_register(db, entry.group_id, MONDAY).rows[0].pupil_id
    mark_attendance(db, entry.group_id, MONDAY, pupil, "L")
    db.close()
    history = run(
        "audit", "--db", str(profile_path), "--pupil", pupil, "--pin-stdin", stdin=TEST_PIN
    )
    assert history.returncode == 0, history.stderr
    assert "create mark" in history.stdout and "'L'" in history.stdout
    purged = run(
        "purge", "--db", str(profile_path), "--today", "2026-11-23", "--pin-stdin", stdin=TEST_PIN
    )
    assert purged.returncode == 0, purged.stderr
    assert "Removed" in purged.stdout
