"""HMS Tutor benchmarks on a 20,000-pupil demo database: one line per figure.

Run with `make bench`. Figures are wall-clock on this machine; the targets come from issue #2
(certificates: issue #10). `python bench/run.py certificates` gives only the certificate figures,
on a small demo world, in a few seconds.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from hms_desktop.certificates.content import CertificateContent, Template
from hms_desktop.certificates.render import render_batch
from hms_desktop.data.engine import open_database
from hms_desktop.demo import seed_demo
from hms_desktop.services.certificates import group_pupils, plan_certificates, print_certificates
from hms_desktop.services.register import mark_attendance, open_register
from hms_desktop.services.timetable import lessons_on

PUPILS = int(os.environ.get("BENCH_PUPILS", "20000"))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def line(name: str, values: list[float], unit: str, target: str) -> None:
    scale = 1000 if unit == "ms" else 1
    print(
        f"{name:<28} median={statistics.median(values) * scale:8.2f} {unit}   "
        f"p95={p95(values) * scale:8.2f} {unit}   n={len(values):<4} target {target}"
    )


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def cold_start(path: Path, runs: int = 5, probe: str = "startup_s", pin: str = "") -> list[float]:
    """Process start to the window (with HMS_PIN) or to the PIN prompt (without)."""
    times = []
    for _ in range(runs):
        env = {
            **{k: v for k, v in os.environ.items() if k != "HMS_PIN"},
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "HMS_STARTUP_PROBE": repr(time.time()),
        }
        if pin:
            env["HMS_PIN"] = pin
        result = subprocess.run(
            [sys.executable, "-m", "hms_desktop", "--db", str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        found = [ln for ln in result.stdout.splitlines() if ln.startswith(f"{probe}=")]
        assert found, result.stderr
        seconds, *focus = found[0].split()
        if focus and focus[0] != "focus=registerTable":  # a day with no lessons: the list
            print(f"  (start-up ended with {focus[0]}: no lesson today?)")
        times.append(float(seconds.split("=")[1]))
    return times


def encrypted_figures(plain: Path, group_id: str, day: date, tmp: Path) -> None:
    """The same figures on an encrypted copy, with the real argon2id cost (issue #11)."""
    import shutil

    from hms_desktop.services.unlock import set_up_profile, unlock

    path = tmp / "encrypted" / "bench.sqlite3"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(plain, path)
    start = time.perf_counter()
    db, _ = set_up_profile(path, BENCH_PIN)
    db.close()
    moved = time.perf_counter() - start
    print(f"{'move plain → encrypted':<28} {moved:8.2f} s (backup, export, check, shred)")
    line("unlock (argon2id + open)", timed(lambda: unlock(path, BENCH_PIN).close(), 5), "s", "")
    line("cold start to PIN prompt", cold_start(path, probe="pin_prompt_s"), "s", "<= 1.5 s")
    line(
        "PIN to focused register", cold_start(path, probe="pin_to_window_s", pin=BENCH_PIN), "s", ""
    )
    line(
        "cold start (HMS_PIN) to a focused register",
        cold_start(path, pin=BENCH_PIN),
        "s",
        "<= 1.5 s",
    )
    # Plain and encrypted interleaved, so that the machine's noise falls on both alike.
    dbs = {"plain": open_database(plain), "enc": unlock(path, BENCH_PIN)}
    pupils = [r.pupil_id for r in open_register(dbs["plain"], group_id, day).rows]
    register: dict[str, list[float]] = {k: [] for k in dbs}
    mark: dict[str, list[float]] = {k: [] for k in dbs}
    for n in range(300):
        for name, db in dbs.items():
            register[name] += timed(lambda db=db: open_register(db, group_id, day), 1)
            pupil, code = pupils[n % 30], ["P", "L", "AN", "AU"][(n // 30) % 4]
            mark[name] += timed(
                lambda db=db, p=pupil, c=code: mark_attendance(db, group_id, day, p, c), 1
            )
    for label, figures in (("open 30-pupil register", register), ("one mark saved", mark)):
        for name in dbs:
            line(f"{label} [{name}]", figures[name], "ms", "")
        ratio = statistics.median(figures["enc"]) / statistics.median(figures["plain"])
        print(f"{label + ' enc/plain':<28} {ratio:8.2f} ×   target <= 1.5 ×")
    for db in dbs.values():
        db.close()


BENCH_PIN = "582046"


def certificates(db, group_id: str, day: date, tmp: Path) -> None:
    names = [r.name for r in open_register(db, group_id, day).rows]
    plan = plan_certificates(db, "recognition", group_pupils(db, group_id, day), day)
    render_batch([_content(names[0], 0)], tmp / "warm.pdf")  # fonts load once per process
    line(
        "30-pupil certificate batch",
        timed(lambda: print_certificates(db, plan, tmp / "batch.pdf", day), 5),
        "s",
        "<= 0.5 s",
    )
    items = [_content(names[n % len(names)], n) for n in range(500)]
    line(
        "500 certificates, one PDF",
        timed(lambda: render_batch(items, tmp / "500.pdf"), 5),
        "s",
        "<= 1 s",
    )
    mixed = [_content(MIXED_SCRIPTS[n % len(MIXED_SCRIPTS)], n) for n in range(500)]
    line(
        "500 in eleven scripts",
        timed(lambda: render_batch(mixed, tmp / "mixed.pdf"), 5),
        "s",
        "<= 1 s",
    )


MIXED_SCRIPTS = (
    "Zeynep Öztürk",
    "Adébáyọ̀ Ọlátúnjí",
    "مريم الحسن",
    "חיה פרידמן",
    "নুসরাত রহমান",
    "முருகன் செல்வராஜ்",
    "ሰላም ተስፋዬ",
    "王小明",
    "Ελένη Παπαδοπούλου",
    "Анастасия Ковальчук",
    "Nguyễn Thị Hằng",
)


def _content(name: str, n: int) -> CertificateContent:
    return CertificateContent(
        name,
        Template.ACHIEVEMENT,
        "has reached Stage 2 on Violin",
        date(2026, 12, 18),
        "Samira Okafor-Reid",
        f"HMS-26-BNCH-{n:04d}",
        "Q7RM4P",
    )


def certificates_only() -> None:
    monday = date.today() - timedelta(days=date.today().weekday())
    with tempfile.TemporaryDirectory(prefix="hms-bench-") as tmp:
        path = Path(tmp) / "bench.sqlite3"
        seed_demo(path, pupils=200, seed=1, today=monday)
        db = open_database(path)
        wcet = next(e for e in lessons_on(db, monday) if "whole class" in e.group_name)
        certificates(db, wcet.group_id, monday, Path(tmp))
        db.close()


def main() -> None:
    if sys.argv[1:] == ["certificates"]:
        certificates_only()
        return
    monday = date.today() - timedelta(days=date.today().weekday())
    with tempfile.TemporaryDirectory(prefix="hms-bench-") as tmp:
        path = Path(tmp) / "bench.sqlite3"
        start = time.perf_counter()
        summary = seed_demo(path, pupils=PUPILS, seed=1, today=monday)
        seeded = time.perf_counter() - start
        print(
            f"{'seed-demo':<28} {seeded:8.2f} s for {summary.pupils:,} pupils, "
            f"{summary.marks:,} past marks"
        )

        db = open_database(path)
        lessons = lessons_on(db, monday)
        wcet = next(e for e in lessons if "whole class" in e.group_name)
        line(
            "today's timetable query", timed(lambda: lessons_on(db, monday), 100), "ms", "<= 30 ms"
        )
        register = open_register(db, wcet.group_id, monday)
        assert len(register.rows) == 30
        line(
            "open 30-pupil register",
            timed(lambda: open_register(db, wcet.group_id, monday), 100),
            "ms",
            "<= 50 ms",
        )

        pupils = [r.pupil_id for r in register.rows]
        codes = ["P", "L", "AN", "AU"]
        counter = iter(range(10**9))

        def one_mark() -> None:
            n = next(counter)
            mark_attendance(db, wcet.group_id, monday, pupils[n % 30], codes[(n // 30) % 4])

        line("one mark saved durably", timed(one_mark, 300), "ms", "p95 <= 15 ms")
        certificates(db, wcet.group_id, monday, Path(tmp))
        db.close()
        encrypted_figures(path, wcet.group_id, monday, Path(tmp))
        size = path.stat().st_size / 1024 / 1024
        print(f"{'database size':<28} {size:8.2f} MB for {summary.pupils:,} pupils")


if __name__ == "__main__":
    main()
