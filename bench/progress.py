"""Pupil progress benchmarks (issue 8) on a 20,000-pupil demo database: search as you type,
opening a pupil with three years of history, saving one group-assessment row, a 30-pupil
report batch. Run with `make bench` (or `python bench/progress.py`); BENCH_PUPILS sets the size.
"""

import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).parent))

from hms_desktop.data.engine import open_database
from hms_desktop.data.models import (
    AttendanceMark,
    Enrolment,
    Lesson,
    ProgressNote,
    Pupil,
)
from hms_desktop.data.outbox import FROM_SERVER
from hms_desktop.demo import seed_demo
from hms_desktop.domain.ids import lesson_id, mark_id, new_id
from hms_desktop.services.progress import (
    find_pupils,
    group_pupils,
    pupil_page,
    record_assessment,
)
from hms_desktop.services.progress.report import save_reports
from hms_desktop.services.timetable import lessons_on
from hms_protocol.reference import framework_id, framework_level_id
from run import line, timed

PUPILS = int(os.environ.get("BENCH_PUPILS", "20000"))
# What a tutor types, a letter at a time, for names from several of Hackney's communities.
TYPED = ("ozturk", "nguyen", "lucja", "adebayo", "friedman", "okafor", "giorgos")


def keystrokes(db, on: date) -> list[float]:
    times = []
    for word in TYPED:
        for n in range(1, len(word) + 1):
            start = time.perf_counter()
            find_pupils(db, word[:n], on)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        find_pupils(db, "", on)  # cleared: everyone again
        times.append(time.perf_counter() - start)
    return times


def three_years_of_history(db, pupil: str, group_id: str, on: date) -> None:
    """Weekly lessons with marks for three years, levels and notes along the way."""
    with db.transaction() as s:
        s.info[FROM_SERVER] = True
        start = on - timedelta(days=3 * 365)
        day = start - timedelta(days=start.weekday()) + timedelta(days=6)  # Sundays: free
        while day < on - timedelta(days=90):
            lid = lesson_id(group_id, day)
            s.add(Lesson(id=lid, group_id=group_id, date=day, start_time=datetime.min.time(),
                         status="delivered", note="", updated_at=datetime.now()))  # fmt: skip
            s.flush()  # the lesson before its mark (no ORM relationship orders them)
            s.add(AttendanceMark(id=mark_id(lid, pupil), lesson_id=lid, pupil_id=pupil,
                                 code="P" if day.day % 7 else "AN", comment="",
                                 marked_at=datetime.now(), updated_at=datetime.now()))  # fmt: skip
            day += timedelta(days=7)
        for n in range(20):
            s.add(ProgressNote(id=new_id(), pupil_id=pupil, text=f"Term note {n}",
                               written_at=datetime.now() - timedelta(days=60 * n),
                               updated_at=datetime.now()))  # fmt: skip
    for n in range(1, 7):
        fw = "HMS Stages"
        record_assessment(db, pupil, framework_id(fw), framework_level_id(fw, f"Stage {n}"),
                          "teacher_assessment", on - timedelta(days=180 * (6 - n)))  # fmt: skip


def main() -> None:
    monday = date.today() - timedelta(days=date.today().weekday())
    with tempfile.TemporaryDirectory(prefix="hms-bench-progress-") as tmp:
        path = Path(tmp) / "bench.sqlite3"
        summary = seed_demo(path, pupils=PUPILS, seed=1, today=monday)
        db = open_database(path)
        line("search keystroke (demo tutor)", keystrokes(db, monday), "ms", "p95 <= 30 ms")
        wcet = next(e for e in lessons_on(db, monday) if "whole class" in e.group_name)
        pupils = group_pupils(db, wcet.group_id, monday)
        pupil = pupils[0].pupil_id
        three_years_of_history(db, pupil, wcet.group_id, monday)
        page = pupil_page(db, pupil, monday)
        assert len(page.chart[0].points) >= 6
        line("open a pupil (3 years)", timed(lambda: pupil_page(db, pupil, monday), 50), "ms",
             "<= 100 ms")  # fmt: skip
        counter = iter(range(10**9))
        fw = "HMS Stages"

        def one_row() -> None:
            n = next(counter)
            record_assessment(db, pupils[n % len(pupils)].pupil_id, framework_id(fw),
                              framework_level_id(fw, f"Stage {1 + n % 6}"),
                              "teacher_assessment", monday)  # fmt: skip

        line("save one group-assessment row", timed(one_row, 200), "ms", "p95 <= 15 ms")
        ids = [p.pupil_id for p in pupils]
        out = Path(tmp) / "reports.pdf"
        line("30-pupil report batch", timed(lambda: save_reports(db, ids, monday, out), 3), "s",
             "<= 1 s")  # fmt: skip
        # The worst case: every one of the 20,000 pupils is this tutor's (an old enrolment each).
        with db.transaction() as s:
            s.info[FROM_SERVER] = True
            ids = s.scalars(select(Pupil.id)).all()
            old = monday - timedelta(days=800)
            s.execute(insert(Enrolment), [
                {"id": new_id(), "group_id": wcet.group_id, "pupil_id": p,
                 "start_date": old, "end_date": old + timedelta(days=30)} for p in ids
            ])  # fmt: skip
        line(f"search keystroke ({len(ids):,} own)", keystrokes(db, monday), "ms", "p95 <= 30 ms")
        db.close()
        print(f"{'pupils in the database':<28} {summary.pupils:,}")


if __name__ == "__main__":
    main()
