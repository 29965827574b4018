"""Many writers at once, on SQLite and PostgreSQL (issue #12, finding 7): an incremental puller
receives every committed row exactly once, and identical concurrent pushes answer alike."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from .central import TutorClient, op
from .test_central_security import ME, World


def _targets(pupils: list[str], tutor: str, n: int) -> list[dict]:
    ops = []
    for k in range(n):
        target_id = str(uuid.uuid4())
        fields = {
            "id": target_id,
            "pupil_id": pupils[k % len(pupils)],
            "text": f"target {k}",
            "set_on": "2026-11-23",
            "set_by_id": tutor,
        }
        ops.append(op("target", target_id, fields))
    return ops


def test_a_puller_misses_nothing_while_three_laptops_push(any_central):
    world = World(any_central)
    pupils = sorted(world.pupils_of(world.me))
    pushers = [TutorClient(any_central, ME) for _ in range(3)]
    puller = TutorClient(any_central, ME)
    start = puller.http.get("/v1/sync/pull", params={"cursor": 0, "limit": 1000})
    cursor = 0
    while True:  # catch up with the seeded world first
        page = puller.http.get("/v1/sync/pull", params={"cursor": cursor}).json()
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    assert start.status_code == 200
    done = threading.Event()
    pushed: list[str] = []
    lock = threading.Lock()

    def push_many(client: TutorClient) -> None:
        for _ in range(8):
            ops = _targets(pupils, world.me, 40)
            results = client.push(ops)
            assert {r["result"] for r in results} == {"applied"}
            with lock:
                pushed.extend(o["entity_id"] for o in ops)

    received: list[str] = []

    def pull_meanwhile() -> None:
        nonlocal cursor
        while True:
            finished = done.is_set()
            page = puller.http.get("/v1/sync/pull", params={"cursor": cursor, "limit": 50}).json()
            received.extend(c["entity_id"] for c in page["changes"] if c["entity"] == "target")
            cursor = page["next_cursor"]
            if finished and not page["more"]:
                return

    try:
        with ThreadPoolExecutor(4) as pool:
            reader = pool.submit(pull_meanwhile)
            writers = [pool.submit(push_many, c) for c in pushers]
            try:
                for w in writers:
                    w.result(timeout=300)
            finally:
                done.set()
            reader.result(timeout=300)
    finally:
        for c in [*pushers, puller]:
            c.close()
    assert len(pushed) == 3 * 8 * 40
    assert sorted(received) == sorted(pushed)  # every row, each exactly once


def test_identical_pushes_at_the_same_moment_answer_the_same(any_central):
    world = World(any_central)
    pupils = sorted(world.pupils_of(world.me))
    client = TutorClient(any_central, ME)
    ops = _targets(pupils, world.me, 100)
    try:
        barrier = threading.Barrier(4)

        def send():
            barrier.wait()
            return client.http.post(
                "/v1/sync/push", json={"ops": ops}, headers={"Idempotency-Key": "same-batch-1"}
            )

        with ThreadPoolExecutor(4) as pool:
            answers = [f.result() for f in [pool.submit(send) for _ in range(4)]]
    finally:
        client.close()
    assert [a.status_code for a in answers] == [200] * 4
    assert len({a.text for a in answers}) == 1
