"""Property: two laptops marking, syncing and failing at random converge with central, and
every change is applied exactly once."""

import contextlib
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_central.store import AppliedOp, Row, make_engine
from hms_desktop.data.engine import open_database
from hms_desktop.data.models import OutboxEntry
from hms_desktop.data.sync_store import counts
from hms_desktop.services.register import mark_attendance, open_register
from hms_desktop.services.sync import enrol_device, needs_attention, resolve
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.engine import SyncEngine
from hms_desktop.sync.errors import Offline

from .central import CentralServer, Faults, use_memory_keyring
from .conftest import CENTRAL_PASSWORD, MONDAY, whole_class

FAULTS = [None, "drop_request", "drop_response", "duplicate", "5xx", "truncate", "garble"]
CODES = ["P", "L", "AN", "AU"]


class TwoLaptops(RuleBasedStateMachine):
    templates: tuple[Path, Path] | None = None

    def __init__(self) -> None:
        super().__init__()
        use_memory_keyring()
        self.dir = Path(tempfile.mkdtemp(prefix="hms-prop-"))
        laptop_template, central_template = self.templates  # type: ignore[misc]
        shutil.copyfile(central_template, self.dir / "central.sqlite3")
        self.server = CentralServer(self.dir / "central.sqlite3").start()
        self.laptops, self.engines, self.faults = [], [], []
        for n in range(2):
            path = self.dir / f"laptop{n}.sqlite3"
            shutil.copyfile(laptop_template, path)
            db = open_database(path)
            faults = Faults(self.server)
            client = CentralClient(self.server.url, transport=faults)
            enrol_device(db, client, "samira.okaforreid@hms.invalid", password=CENTRAL_PASSWORD)
            self.laptops.append(db)
            self.faults.append(faults)
            self.engines.append(SyncEngine(db, client, sleep=lambda _s: None))
        self.group = whole_class(self.laptops[0]).group_id
        register = open_register(self.laptops[0], self.group, MONDAY)
        self.lesson = register.lesson_id
        self.pupils = [r.pupil_id for r in register.rows[:5]]

    def central(self) -> Session:
        return Session(make_engine(self.server.db_url))

    @rule(device=st.integers(0, 1), pupil=st.integers(0, 4), code=st.sampled_from(CODES))
    def mark(self, device: int, pupil: int, code: str) -> None:
        mark_attendance(self.laptops[device], self.group, MONDAY, self.pupils[pupil], code)

    @rule(
        device=st.integers(0, 1),
        fault=st.sampled_from(FAULTS),
        path=st.sampled_from(["/v1/sync/push", "/v1/sync/pull"]),
    )
    def sync(self, device: int, fault: str | None, path: str) -> None:
        if fault:
            self.faults[device].fail(path, fault)
        with contextlib.suppress(Offline):  # a fault outlasting the retries: the next sync
            self.engines[device].sync()  # carries on
        self.faults[device].plan.clear()

    @precondition(lambda self: any(needs_attention(db) for db in self.laptops))
    @rule(device=st.integers(0, 1), keep=st.sampled_from(["theirs", "mine"]))
    def settle(self, device: int, keep: str) -> None:
        for item in needs_attention(self.laptops[device]):
            resolve(
                self.laptops[device], item.op_id, keep if item.kind == "conflict" else "dismiss"
            )

    @invariant()
    def every_answered_op_was_applied_once_on_central(self) -> None:
        answered = set()
        for db in self.laptops:
            with db.reading() as s:
                answered |= set(
                    s.scalars(
                        select(OutboxEntry.op_id).where(
                            OutboxEntry.state.not_in(("pending", "batched"))
                        )
                    )
                )
        with self.central() as s:
            on_central = set(s.scalars(select(AppliedOp.op_id)))
        assert answered <= on_central  # nothing answered was lost on the way
        # … and central knows of no op that a laptop did not send (nothing invented or doubled)
        sent = set()
        for db in self.laptops:
            with db.reading() as s:
                sent |= set(s.scalars(select(OutboxEntry.op_id)))
        assert on_central <= sent

    def teardown(self) -> None:
        try:
            for _ in range(3):  # settle what needs it, then let everything drain
                for n, db in enumerate(self.laptops):
                    for item in needs_attention(db):
                        resolve(db, item.op_id, "theirs" if item.kind == "conflict" else "dismiss")
                    self.engines[n].sync()
            with self.central() as s:
                central_codes = {
                    r.fields["pupil_id"]: r.fields["code"]
                    for r in s.scalars(select(Row).where(Row.entity == "attendance_mark"))
                    if r.fields["lesson_id"] == self.lesson
                }
            for db in self.laptops:
                with db.reading() as s:
                    states = counts(s)
                assert not any(
                    states.get(k) for k in ("pending", "batched", "conflict", "rejected")
                ), states
                local = {
                    r.pupil_id: r.code for r in open_register(db, self.group, MONDAY).rows if r.code
                }
                assert local == central_codes  # server and laptops agree
        finally:
            for db in self.laptops:
                db.close()
            for engine in self.engines:
                engine.client.close()
            self.server.stop()
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.mark.slow
def test_two_laptops_converge_whatever_happens(demo_template, central_template):
    TwoLaptops.templates = (demo_template, central_template)
    run = TwoLaptops.TestCase()
    run.settings = settings(
        max_examples=12,
        stateful_step_count=14,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    run.runTest()
