"""Ensemble figures (issue #9) on a demo world whose youth orchestra is filled to 120 members:
open its roster, move a member (a swap), draw its seating plan PDF. One line per figure.

Run with `make bench` (after bench/run.py), or on its own: `python bench/ensembles.py`.
"""

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from hms_desktop.data.engine import open_database
from hms_desktop.demo import seed_demo
from hms_desktop.services import ensembles
from hms_desktop.services.ensembles import SeatRule
from hms_desktop.services.ensembles.printouts import seating_plan_pdf

sys.path.insert(0, str(Path(__file__).parent))
from run import line, timed

MEMBERS = 120


def orchestra_of(db, size: int) -> str:
    """The demo youth orchestra, filled to ``size`` members across its sections."""
    youth = next(e for e in ensembles.my_ensembles(db) if e.name == "Hackney Youth Orchestra")
    roster = ensembles.roster_of(db, youth.ensemble_id)
    with db.reading() as session:
        from sqlalchemy import select

        from hms_desktop.data.models import Pupil

        pupils = session.scalars(
            select(Pupil.id).where(Pupil.status == "active", Pupil.year_group >= 5)
        ).all()
    inside = {r.pupil_id for r in roster.rows}
    spare = iter(p for p in pupils if p not in inside)
    sections = [s.section_id for s in roster.sections][:5]  # strings grow
    for n in range(size - len(roster.rows)):
        ensembles.add_member(db, youth.ensemble_id, next(spare), sections[n % len(sections)])
    assert len(ensembles.roster_of(db, youth.ensemble_id).rows) == size
    return youth.ensemble_id


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        seed_demo(path, pupils=2000, seed=3, today=date.today())
        db = open_database(path)
        try:
            eid = orchestra_of(db, MEMBERS)
            line(
                "ensemble roster (120)",
                timed(lambda: ensembles.roster_of(db, eid), 30),
                "ms",
                "≤ 100 ms",
            )
            rows = ensembles.roster_of(db, eid).rows
            seats = [(rows[3].section_id, rows[3].seat), (rows[9].section_id, rows[9].seat)]
            flips = iter(range(1000))

            def move() -> None:  # the same member between two seats, swapping each time
                section, seat = seats[next(flips) % 2 - 1]
                ensembles.move_member(db, rows[3].member_id, section, seat, SeatRule.SWAP)

            line("ensemble move (swap)", timed(move, 30), "ms", "≤ 20 ms")
            first = ensembles.roster_of(db, eid).sections[0].section_id
            steps = iter(range(1000))

            def reorder() -> None:  # the first section down one place and back, by turns
                ensembles.move_section(db, eid, first, 1 if next(steps) % 2 == 0 else -1)

            line("reorder sections (120)", timed(reorder, 30), "ms", "≤ 20 ms (as a move)")
            out = Path(tmp) / "plan.pdf"
            line(
                "seating plan PDF (120)",
                timed(lambda: seating_plan_pdf(db, eid, out), 10),
                "s",
                "≤ 0.5 s",
            )
        finally:
            db.close()


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"(ensembles bench took {statistics.fmean([time.perf_counter() - started]):.1f} s)")
