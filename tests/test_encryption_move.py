"""Moving a plain profile from an earlier version to the encrypted store survives a crash at
any moment: killed again and again, it ends encrypted with every committed mark."""

import random
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
    finished = killed = 0
    seen = set()
    for _ in range(15):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(demo_path), TEST_PIN],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 1.2))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=60)
        finished += "done" in out
        killed += "done" not in out
        # Whatever moment it died at, the profile is one a re-run can open.
        state = profile_info(demo_path).state
        assert state in (ProfileState.PLAIN, ProfileState.LOCKED)
        seen.add(state)
    assert killed >= 5  # the child really was killed mid-way, many times
    assert ProfileState.LOCKED in seen  # and runs got past choosing the PIN into the move

    db = open_with_pin(demo_path, TEST_PIN)  # the next start picks up wherever it stopped
    try:
        assert integrity_check(db) == "ok"
        assert snapshot(db) == expected
    finally:
        db.close()
    assert not is_plain_sqlite(demo_path)
    assert not plain_store_left(demo_path)
    leftovers = sorted(
        p.name
        for p in demo_path.parent.iterdir()
        if p.suffix in (".plain", ".encrypting", ".encrypted")
    )
    assert leftovers == []
