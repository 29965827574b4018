"""A laptop that dies mid-register keeps every mark it had committed, with its outbox entry."""

import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from hms_desktop.data.engine import integrity_check, open_database
from hms_desktop.data.models import AttendanceMark, OutboxEntry
from hms_desktop.domain.ids import lesson_id, mark_id

from .conftest import MONDAY, whole_class

# The child marks pupils round and round with changing codes, and prints a line only after the
# service has returned, i.e. after the transaction committed.
CHILD = r"""
import itertools, sys
from datetime import date
from hms_desktop.data.engine import open_database
from hms_desktop.services.register import mark_attendance, open_register
db = open_database(sys.argv[1])
group, day = sys.argv[2], date.fromisoformat(sys.argv[3])
pupils = [r.pupil_id for r in open_register(db, group, day).rows]
codes = itertools.cycle(["P", "L", "AN", "AU", "P", "TA"])
print("ready", flush=True)
for n in itertools.count():
    pupil, code = pupils[n % len(pupils)], next(codes)
    mark_attendance(db, group, day, pupil, code)
    print(f"committed {pupil} {code}", flush=True)
"""


@pytest.mark.slow
def test_marks_survive_sigkill_at_random_moments(db, demo_path):
    group_id = whole_class(db).group_id
    db.close()
    rng = random.Random(2026)
    lid = lesson_id(group_id, MONDAY)
    committed_total = 0
    for _ in range(12):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(demo_path), group_id, MONDAY.isoformat()],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        lines = [line.split() for line in out.splitlines() if line.count(" ") == 2]
        committed = [(pupil, code) for word, pupil, code in lines if word == "committed"]
        committed_total += len(committed)

        check = open_database(demo_path)
        try:
            assert integrity_check(check) == "ok"
            with check.reading() as s:
                marks = {
                    m.pupil_id: m.code
                    for m in s.scalars(
                        select(AttendanceMark).where(AttendanceMark.lesson_id == lid)
                    )
                }
                entries = s.scalars(
                    select(OutboxEntry)
                    .where(OutboxEntry.entity == "attendance_mark")
                    .order_by(OutboxEntry.seq)
                ).all()
        finally:
            check.close()
        sent = {}
        for entry in entries:
            sent.setdefault(entry.entity_id, []).append(entry.fields["code"])
        for pupil, code in committed:
            # every committed change has its own outbox entry …
            assert code in sent[mark_id(lid, pupil)]
            assert pupil in marks
        # … and each mark row agrees with the newest entry for it: nothing half-written.
        for pupil, code in marks.items():
            assert sent[mark_id(lid, pupil)][-1] == code
    assert committed_total > 12  # the child really was writing when it was killed
