"""Moving a plain profile from an earlier version to the encrypted store survives a crash at
any moment: killed again and again, it ends encrypted with every committed mark."""

import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from hms_desktop.data.encrypt import plain_store_left
from hms_desktop.data.engine import integrity_check, is_plain_sqlite, open_database
from hms_desktop.data.models import AttendanceMark, OutboxEntry
from hms_desktop.services.register import mark_attendance, open_register
from hms_desktop.services.unlock import ProfileState, open_with_pin, profile_info

from .conftest import MONDAY, TEST_PIN, whole_class

# First start after the upgrade: set the PIN and move; a re-run (PIN already set) unlocks,
# which finishes whatever move was under way.
CHILD = r"""
import sys
from hms_desktop.services.unlock import ProfileState, profile_info, set_up_profile, unlock
path, pin = sys.argv[1], sys.argv[2]
print("ready", flush=True)
if profile_info(path).state is ProfileState.PLAIN:
    db, _ = set_up_profile(path, pin)
else:
    db = unlock(path, pin)
db.close()
print("done", flush=True)
"""


def snapshot(db) -> tuple[dict[str, str], int]:
    with db.reading() as s:
        marks = {m.id: m.code for m in s.scalars(select(AttendanceMark))}
        entries = len(s.scalars(select(OutboxEntry.op_id)).all())
    return marks, entries


@pytest.mark.slow
def test_a_move_killed_at_random_moments_ends_encrypted_with_every_mark(demo_path):
    db = open_database(demo_path)
    entry = whole_class(db)
    for n, row in enumerate(open_register(db, entry.group_id, MONDAY).rows):
        mark_attendance(db, entry.group_id, MONDAY, row.pupil_id, ["P", "L", "AN"][n % 3])
    expected = snapshot(db)
    db.close()
    assert len(expected[0]) > 1000 and expected[1] >= 30

    rng = random.Random(11)
    killed_mid_move = 0
    for trial in range(8):
        # Each trial starts again from the plain store of the earlier version …
        folder = demo_path.parent / f"trial-{trial}"
        folder.mkdir()
        path = folder / demo_path.name
        shutil.copyfile(demo_path, path)
        # … and is killed twice at random moments, the second run picking up the first's work.
        for _ in range(2):
            child = subprocess.Popen(
                [sys.executable, "-c", CHILD, str(path), TEST_PIN],
                stdout=subprocess.PIPE,
                text=True,
            )
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.6))
            child.send_signal(signal.SIGKILL)
            out, _ = child.communicate(timeout=60)
            # Whatever moment it died at, the profile is one a re-run can open.
            assert profile_info(path).state in (ProfileState.PLAIN, ProfileState.LOCKED)
            killed_mid_move += "done" not in out and plain_store_left(path)

        db = open_with_pin(path, TEST_PIN)  # the next start picks up wherever it stopped
        try:
            assert integrity_check(db) == "ok"
            assert snapshot(db) == expected
        finally:
            db.close()
        assert not is_plain_sqlite(path)
        assert not plain_store_left(path)
        moving = (".plain", ".encrypting", ".encrypted")
        assert [p.name for p in folder.rglob("*") if p.suffix in moving] == []
    assert killed_mid_move >= 3  # the kills really did land in the middle of moves
