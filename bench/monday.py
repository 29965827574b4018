"""A Monday morning (issue #12, item 8): 150 laptops, each with 30-300 changes waiting, sync at
once against central on loopback — on SQLite, and on PostgreSQL when it is installed.

Each laptop speaks the protocol as HMS Tutor does (one push of its frozen batch under an
Idempotency-Key, then a pull from its cursor: it synced last week, before the clock starts)
from its own thread; central runs as `hms-central serve` in
its own process. Reports wall time, ops/s, p50/p95 round trips, errors, and checks that central
holds every op exactly once. Bounded: stops by itself (a 10-minute cap), loopback only.

    python bench/monday.py [--laptops 150] [--backend sqlite|postgresql|both]
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hms_central.seed import seed_central
from hms_central.store import Account, AppliedOp, Row, hash_password, make_engine, put_row
from hms_protocol.ids import lesson_id, mark_id

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "monday"
MONDAY = date(2026, 11, 23)
CAP_SECONDS = 600


def seed(url: str, laptops: int) -> list[tuple[str, str, list[str]]]:
    """The demo borough plus one tutor, one group of 30 pupils per laptop."""
    engine = make_engine(url)
    rng = random.Random(7)
    made = []
    with Session(engine) as s, s.begin():
        seed_central(s, 2000, 1, MONDAY, PASSWORD)
        pupils = [r.id for r in s.scalars(select(Row).where(Row.entity == "pupil"))]
        school = s.scalars(select(Row).where(Row.entity == "school")).first()
        hashed = hash_password(PASSWORD)
        for n in range(laptops):
            tutor, group = str(uuid.uuid4()), str(uuid.uuid4())
            put_row(s, "tutor", tutor, {"id": tutor, "name": f"Tutor {n}"}, "public", None)
            s.add(Account(tutor_id=tutor, email=f"tutor{n}@hms.invalid", password_hash=hashed))
            put_row(
                s,
                "teaching_group",
                group,
                {
                    "id": group,
                    "name": f"Whole class {n}",
                    "school_id": school.id,
                    "tutor_id": tutor,
                    "kind": "whole_class",
                    "weekday": 0,
                    "start_time": "09:00:00",
                    "length_minutes": 45,
                    "term_start": "2026-09-07",
                    "term_end": "2026-12-18",
                },
                "public",
                None,
            )
            mine = rng.sample(pupils, 30)
            for pupil in mine:
                enrolment = str(uuid.uuid4())
                put_row(
                    s,
                    "enrolment",
                    enrolment,
                    {
                        "id": enrolment,
                        "group_id": group,
                        "pupil_id": pupil,
                        "start_date": "2026-09-07",
                    },
                    "group",
                    group,
                )
            made.append((f"tutor{n}@hms.invalid", group, mine))
    engine.dispose()
    return made


def waiting_ops(group: str, pupils: list[str], n: int) -> list[dict]:
    """n changes as a laptop's outbox holds them: past Mondays' lessons and their marks."""
    ops: list[dict] = []
    week = 0
    while len(ops) < n:
        day = MONDAY - timedelta(weeks=week)
        lid = lesson_id(group, day)
        stamp = f"{day.isoformat()}T09:07:00"
        lesson = {
            "id": lid,
            "group_id": group,
            "date": day.isoformat(),
            "start_time": "09:00:00",
            "status": "delivered",
            "note": "",
        }
        ops.append(_op("lesson", lid, lesson, stamp))
        for pupil in pupils:
            mid = mark_id(lid, pupil)
            mark = {
                "id": mid,
                "lesson_id": lid,
                "pupil_id": pupil,
                "code": "P",
                "comment": "",
                "marked_at": stamp,
            }
            ops.append(_op("attendance_mark", mid, mark, stamp))
        week += 1
    return ops[:n]


def _op(entity: str, entity_id: str, fields: dict, stamp: str) -> dict:
    return {
        "op_id": str(uuid.uuid4()),
        "entity": entity,
        "entity_id": entity_id,
        "op": "upsert",
        "base_version": None,
        "fields": fields,
        "client_ts": stamp,
    }


def _pull_from(http: httpx.Client, cursor: int) -> int:
    more = True
    while more:
        body = http.get("/v1/sync/pull", params={"cursor": cursor}).json()
        cursor, more = body["next_cursor"], body["more"]
    return cursor


def serve(url: str, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "hms_central", "serve", "--db", url, "--port", str(port)],
        env={**os.environ},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).raise_for_status()
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("central did not start")


def run(url: str, laptops: int, label: str) -> None:
    from tests.central import _free_port

    tutors = seed(url, laptops)
    port = _free_port()
    server = serve(url, port)
    base = f"http://127.0.0.1:{port}"
    rng = random.Random(11)
    try:
        clients = []
        for email, group, pupils in tutors:
            http = httpx.Client(base_url=base, timeout=60)
            body = http.post("/v1/auth/enrol", json={"email": email, "password": PASSWORD}).json()
            http.headers["Authorization"] = f"Bearer {body['access_token']}"
            cursor = _pull_from(http, 0)  # last week's syncs: the laptop is up to date
            clients.append((http, cursor, waiting_ops(group, pupils, rng.randint(30, 300))))
        trips: dict[str, list[float]] = {"push": [], "pull": []}
        errors: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(len(clients))

        def laptop(http: httpx.Client, cursor: int, ops: list[dict]) -> None:
            barrier.wait()
            try:
                start = time.perf_counter()
                answer = http.post(
                    "/v1/sync/push",
                    json={"ops": ops},
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                )
                took = time.perf_counter() - start
                results = answer.json()["results"] if answer.status_code == 200 else []
                bad = [r for r in results if r["result"] != "applied"]
                with lock:
                    trips["push"].append(took)
                    if answer.status_code != 200 or bad:
                        errors.append(f"push {answer.status_code} {bad[:1]}")
                more = True
                while more:
                    start = time.perf_counter()
                    page = http.get("/v1/sync/pull", params={"cursor": cursor})
                    with lock:
                        trips["pull"].append(time.perf_counter() - start)
                    body = page.json()
                    cursor, more = body["next_cursor"], body["more"]
            except Exception as err:  # counted, never hidden
                with lock:
                    errors.append(repr(err))

        threads = [threading.Thread(target=laptop, args=c, daemon=True) for c in clients]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=CAP_SECONDS)
        wall = time.perf_counter() - started
        total = sum(len(ops) for _http, _cursor, ops in clients)
        for http, _cursor, _ops in clients:
            http.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    engine = make_engine(url)
    with Session(engine) as s:
        recorded = s.scalar(select(func.count()).select_from(AppliedOp))
        marks = s.scalar(
            select(func.count()).select_from(Row).where(Row.entity == "attendance_mark")
        )
    engine.dispose()
    every = sorted(trips["push"] + trips["pull"])
    p95 = every[int(len(every) * 0.95) - 1] if every else float("nan")
    print(
        f"{label:<11} {len(clients)} laptops, {total:,} ops in {wall:5.1f} s "
        f"({total / wall:6.0f} ops/s); round trip p50 {statistics.median(every) * 1000:6.0f} ms "
        f"p95 {p95 * 1000:6.0f} ms (push p95 "
        f"{sorted(trips['push'])[int(len(trips['push']) * 0.95) - 1] * 1000:6.0f} ms); "
        f"errors {len(errors)}; central recorded {recorded:,} ops "
        f"({'exactly once' if recorded == total else 'MISMATCH'}), {marks:,} marks"
    )
    for e in errors[:5]:
        print("   ", e)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--laptops", type=int, default=150)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hms-monday-") as tmp:
        if args.backend in ("sqlite", "both"):
            run(f"sqlite:///{Path(tmp) / 'central.sqlite3'}", args.laptops, "SQLite")
        if args.backend in ("postgresql", "both"):
            from tests.central import PostgresCluster

            root = Path(tempfile.mkdtemp(prefix="hms-monday-pg-"))
            try:
                cluster = PostgresCluster(root).start()
            except FileNotFoundError:
                print("PostgreSQL      not installed here: skipped")
                return
            try:
                run(cluster.create("monday"), args.laptops, "PostgreSQL")
            finally:
                cluster.stop()


if __name__ == "__main__":
    main()
