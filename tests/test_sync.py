"""Sync against the real central service on 127.0.0.1, through a fault-injecting transport:
nothing lost, nothing applied twice, conflicts flagged, other tutors' pupils refused."""

import os
import shutil
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hms_central.cli import main as central_main
from hms_central.store import AccessGrant, AppliedOp, Row, make_engine
from hms_desktop.data.engine import open_database
from hms_desktop.data.models import AttendanceMark, OutboxEntry
from hms_desktop.data.sync_store import counts
from hms_desktop.services.register import mark_attendance, open_register, set_lesson_status
from hms_desktop.services.sync import enrol_device, needs_attention, resolve, sync_status
from hms_desktop.services.timetable import lessons_on
from hms_desktop.services.unlock import unlock
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.engine import SyncEngine
from hms_desktop.sync.errors import Offline, SignInNeeded
from hms_protocol import Op, PushRequest

from .central import CentralServer, Faults
from .conftest import MONDAY, TEST_PIN, whole_class

PASSWORD = "hms-demo"
ROOT = Path(__file__).resolve().parents[1]


def central_session(server: CentralServer) -> Session:
    return Session(make_engine(server.db_url))


CLIENTS: list[CentralClient] = []


@pytest.fixture(autouse=True)
def close_clients():
    yield
    while CLIENTS:
        CLIENTS.pop().close()


def laptop(db, server: CentralServer, faults: Faults | None = None, **options):
    faults = faults or Faults(server)
    client = CentralClient(server.url, transport=faults)
    CLIENTS.append(client)
    if not sync_status(db).signed_in:
        enrol_device(db, client, "samira.okaforreid@hms.invalid", password=PASSWORD)
    return SyncEngine(db, client, sleep=lambda _s: None, **options), faults


def another_laptop(demo_path: Path, tmp_path: Path):
    """A second laptop of the same tutor, with the same demo data."""
    path = tmp_path / "second-laptop.sqlite3"
    shutil.copyfile(demo_path, path)
    return open_database(path)


def applied_ops(server: CentralServer) -> int:
    with central_session(server) as s:
        return s.scalar(select(func.count()).select_from(AppliedOp))


def central_mark(server: CentralServer, mark_id: str) -> Row | None:
    with central_session(server) as s:
        return s.get(Row, ("attendance_mark", mark_id))


def take_register(db) -> tuple[str, list[str]]:
    lesson = whole_class(db)
    register = set_lesson_status(db, lesson.group_id, MONDAY, "delivered")
    mark_attendance(db, lesson.group_id, MONDAY, register.rows[0].pupil_id, "AN")
    return lesson.group_id, [r.pupil_id for r in register.rows]


def mark_ids(db, group_id: str) -> list[str]:
    with db.reading() as s:
        lid = open_register(db, group_id, MONDAY).lesson_id
        return list(s.scalars(select(AttendanceMark.id).where(AttendanceMark.lesson_id == lid)))


def assert_all_sent_once(db, server: CentralServer) -> None:
    with db.reading() as s:
        states = counts(s)
        sent = s.scalar(select(func.count()).select_from(OutboxEntry))
    assert states.get("pending", 0) == states.get("batched", 0) == 0
    assert applied_ops(server) == sent  # every op recorded once, none twice


def assert_central_matches(db, server: CentralServer, group_id: str) -> None:
    """Central holds each mark as the laptop does, at one version per change sent."""
    with db.reading() as s:
        lid = open_register(db, group_id, MONDAY).lesson_id
        for mark in s.scalars(select(AttendanceMark).where(AttendanceMark.lesson_id == lid)):
            changes = s.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.entity_id == mark.id)
            )
            row = central_mark(server, mark.id)
            assert row is not None and row.fields["code"] == mark.code
            assert row.version == changes == mark.server_version


def test_a_register_reaches_central_and_the_outbox_drains(db, central):
    engine, _ = laptop(db, central)
    group_id, _pupils = take_register(db)
    report = engine.sync()
    assert report.applied == report.pushed >= 31 and report.conflicts == report.rejected == 0
    assert_all_sent_once(db, central)
    assert_central_matches(db, central, group_id)
    again = engine.sync()
    assert again.pushed == 0
    assert sync_status(db).waiting == 0 and sync_status(db).last_synced_at is not None


@pytest.mark.parametrize(
    "fault", ["drop_request", "drop_response", "duplicate", "5xx", "truncate", "garble"]
)
def test_a_push_fault_is_retried_and_nothing_is_lost_or_doubled(db, central, fault):
    engine, faults = laptop(db, central)
    group_id, _ = take_register(db)
    faults.fail("/v1/sync/push", fault)
    report = engine.sync()
    assert ("/v1/sync/push", fault) in faults.log
    assert report.pushed >= 31
    assert_all_sent_once(db, central)
    assert_central_matches(db, central, group_id)


def test_a_401_mid_sync_refreshes_the_token_and_carries_on(db, central):
    engine, _ = laptop(db, central)
    engine.sync()
    take_register(db)
    with central_session(central) as s, s.begin():
        s.execute(delete(AccessGrant))  # every access token is now unknown: 401
    report = engine.sync()
    assert report.applied >= 31
    assert_all_sent_once(db, central)


def test_the_server_restarting_mid_sync_loses_nothing(db, central):
    engine, faults = laptop(db, central)
    take_register(db)
    faults.fail("/v1/sync/push", "restart")
    faults.fail("/v1/sync/pull", "drop_request")
    engine.sync()
    assert_all_sent_once(db, central)


CHILD = r"""
import os, signal, sys
from hms_desktop.data import sync_store
from hms_desktop.data.engine import open_database
from hms_desktop.sync import engine as engine_module
from hms_desktop.sync.client import CentralClient
from tests.central import use_memory_keyring
kc = use_memory_keyring()
kc.set_password(*sys.argv[3:6])
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # central has answered; nothing saved here yet
engine_module.record_results = die
db = open_database(sys.argv[1])
engine_module.SyncEngine(db, CentralClient(sys.argv[2])).sync()
"""


def test_a_laptop_killed_after_central_answered_resends_and_nothing_doubles(
    db, central, demo_path, keychain
):
    engine, _ = laptop(db, central)
    take_register(db)
    (service, account), secret = next(iter(keychain.secrets.items()))
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(demo_path), central.url, service, account, secret],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    with db.reading() as s:
        assert counts(s).get("batched", 0) >= 31  # frozen, answered by central, not recorded
    applied_before = applied_ops(central)
    report = engine.sync()
    assert report.pushed >= 31  # the identical batch, answered from central's stored reply
    assert applied_ops(central) == applied_before  # … and nothing applied a second time
    assert_all_sent_once(db, central)


def test_the_same_lesson_marked_on_two_laptops_is_flagged_not_overwritten(
    db, demo_path, central, tmp_path
):
    second = another_laptop(demo_path, tmp_path)
    first_engine, _ = laptop(db, central)
    second_engine, _ = laptop(second, central)
    group = whole_class(db).group_id
    pupil = open_register(db, group, MONDAY).rows[2].pupil_id
    mark_attendance(db, group, MONDAY, pupil, "P")
    mark_attendance(second, group, MONDAY, pupil, "AU")
    first_engine.sync()
    report = second_engine.sync()
    assert report.conflicts == 1
    mid = open_register(db, group, MONDAY).lesson_id
    with central_session(central) as s:
        rows = [
            r
            for r in s.scalars(select(Row).where(Row.entity == "attendance_mark"))
            if r.fields["lesson_id"] == mid and r.fields["pupil_id"] == pupil
        ]
    assert [r.fields["code"] for r in rows] == ["P"]  # one row; the first arrival kept
    items = needs_attention(second)
    assert len(items) == 1 and items[0].kind == "conflict"
    assert items[0].yours == "AU" and items[0].theirs == "P"
    assert "Another laptop recorded something different" in items[0].explanation
    resolve(second, items[0].op_id, "theirs")
    assert open_register(second, group, MONDAY).row(pupil).code == "P"
    assert needs_attention(second) == []
    second.close()


def test_a_wrong_laptop_clock_does_not_decide_which_mark_wins(db, demo_path, central, tmp_path):
    fast = another_laptop(demo_path, tmp_path)
    fast_engine, _ = laptop(fast, central)
    first_engine, _ = laptop(db, central)
    group = whole_class(db).group_id
    pupil = open_register(db, group, MONDAY).rows[3].pupil_id
    mark_attendance(fast, group, MONDAY, pupil, "L")
    with fast.transaction() as s:  # its clock is five days ahead
        for entry in s.scalars(select(OutboxEntry)):
            entry.client_ts += timedelta(days=5)
    mark_attendance(db, group, MONDAY, pupil, "AN")
    first_engine.sync()  # arrives first with the older timestamp
    fast_engine.sync()
    mid = [m for m in mark_ids(db, group) if central_mark(central, m).fields["pupil_id"] == pupil]
    assert central_mark(central, mid[0]).fields["code"] == "AN"
    assert needs_attention(fast)[0].kind == "conflict"
    fast.close()


def test_another_tutors_pupils_cannot_be_written(db, central):
    engine, _ = laptop(db, central)
    engine.sync()
    with central_session(central) as s:
        others = [
            r
            for r in s.scalars(select(Row).where(Row.entity == "teaching_group"))
            if r.fields["tutor_id"] != sync_status_tutor(db)
        ]
        group = others[0]
        enrolment = next(
            r
            for r in s.scalars(
                select(Row).where(Row.entity == "enrolment", Row.scope_id == group.id)
            )
        )
        before = s.scalar(select(func.count()).select_from(Row))
    from hms_desktop.domain.ids import lesson_id, mark_id

    lid = lesson_id(group.id, MONDAY)
    ops = [
        Op(
            op_id="11111111-1111-4111-8111-111111111111",
            entity="lesson",
            entity_id=lid,
            op="upsert",
            fields={
                "id": lid,
                "group_id": group.id,
                "date": MONDAY.isoformat(),
                "start_time": "16:00:00",
                "status": "delivered",
                "note": "",
            },
            client_ts="2026-11-23T10:00",
        ),
        Op(
            op_id="22222222-2222-4222-8222-222222222222",
            entity="attendance_mark",
            entity_id=mark_id(lid, enrolment.fields["pupil_id"]),
            op="upsert",
            fields={
                "id": mark_id(lid, enrolment.fields["pupil_id"]),
                "lesson_id": lid,
                "pupil_id": enrolment.fields["pupil_id"],
                "code": "P",
                "marked_at": "2026-11-23T10:00:00",
            },
            client_ts="2026-11-23T10:00",
        ),
        Op(
            op_id="33333333-3333-4333-8333-333333333333",
            entity="pupil",
            entity_id=enrolment.fields["pupil_id"],
            op="upsert",
            fields={"given_name": "X"},
            client_ts="2026-11-23T10:00",
        ),
    ]
    engine._refresh()
    answer = engine.client.push(engine._access, "batch-of-another-tutor", PushRequest(ops=ops))
    assert [r.result for r in answer.results] == ["rejected"] * 3
    assert "not been assigned to you" in answer.results[0].reason
    assert "kept by the music service office" in answer.results[2].reason
    with central_session(central) as s:
        assert s.scalar(select(func.count()).select_from(Row)) == before


def sync_status_tutor(db) -> str:
    from hms_desktop.services.profile import TUTOR_ID, get_setting

    with db.reading() as s:
        return get_setting(s, TUTOR_ID)


def test_a_revoked_laptop_is_refused_and_keeps_its_outbox(db, central):
    engine, _ = laptop(db, central)
    engine.sync()
    take_register(db)
    waiting = sync_status(db).waiting
    from hms_desktop.data.sync_store import get
    from hms_desktop.sync.engine import DEVICE

    with db.reading() as s:
        device = get(s, DEVICE)
    assert central_main(["revoke-device", device, "--db", central.db_url]) == 0
    with pytest.raises(SignInNeeded, match="signed out by the office"):
        engine.sync()
    assert sync_status(db).waiting == waiting
    client = CentralClient(central.url)
    CLIENTS.append(client)
    enrol_device(db, client, "samira.okaforreid@hms.invalid", password=PASSWORD)
    SyncEngine(db, client).sync()
    assert sync_status(db).waiting == 0
    assert_all_sent_once(db, central)


def test_a_pull_interrupted_half_way_resumes_where_it_stopped(db, central, tmp_path):
    fresh = open_database(tmp_path / "fresh.sqlite3", create=True)
    engine, faults = laptop(fresh, central, page_size=100)
    # Let two pages through, then the network goes for good.
    calls = {"n": 0}
    original = faults.handle_request

    def flaky(request):
        if "/v1/sync/pull" in request.url.path:
            calls["n"] += 1
            if calls["n"] > 2:
                raise httpx.ConnectError("network gone", request=request)
        return original(request)

    faults.handle_request = flaky
    with pytest.raises(Offline):
        engine.sync()
    from hms_desktop.data.sync_store import get

    with fresh.reading() as s:
        cursor = int(get(s, "sync.cursor"))
    assert cursor > 0
    faults.handle_request = original
    report = engine.sync()
    assert report.pulled > 0 and not report.full_repull
    assert [e.group_name for e in lessons_on(fresh, MONDAY)] == [
        e.group_name for e in lessons_on(db, MONDAY)
    ]
    fresh.close()


def test_a_server_restored_from_backup_makes_laptops_pull_everything_again(db, central, tmp_path):
    engine, _ = laptop(db, central)
    engine.sync()
    take_register(db)
    assert central_main(["restored", "--db", central.db_url]) == 0
    from hms_desktop.data.sync_store import WAITING, counts

    with db.reading() as s:  # the tutor's changes and their audit-trail entries
        waiting = sum(n for state, n in counts(s).items() if state in WAITING)
    report = engine.sync()
    assert report.full_repull and report.pulled > 400
    assert report.pushed == waiting  # the outbox was kept and sent
    assert_all_sent_once(db, central)


def test_a_backlog_of_10000_changes_goes_in_resumable_batches_while_marking_works(db, central):
    engine, faults = laptop(db, central, batch_size=500)
    with db.transaction() as s:
        marks = list(s.scalars(select(AttendanceMark)))
        for round_ in range(10_000 // len(marks) + 1):
            for mark in marks:
                mark.comment = f"note {round_}"
            s.flush()
    with db.reading() as s:
        backlog = counts(s)["pending"]
    assert backlog >= 10_000
    faults.fail("/v1/sync/push", "drop_response")
    faults.fail("/v1/sync/push", "5xx")
    done = threading.Event()
    errors = []

    def background() -> None:
        try:
            engine.sync()
        except Exception as err:
            errors.append(err)
        finally:
            done.set()

    thread = threading.Thread(target=background)
    thread.start()
    group = whole_class(db).group_id
    pupil = open_register(db, group, MONDAY).rows[5].pupil_id
    marked = 0
    while not done.is_set() and marked < 20:
        mark_attendance(db, group, MONDAY, pupil, ["P", "L"][marked % 2])  # the app is usable
        marked += 1
    thread.join(timeout=300)
    assert not errors
    engine.sync()  # whatever was marked during the first sync
    assert marked > 0
    assert_all_sent_once(db, central)


def run_cli(*args: str, keyring_file=None, stdin: str = "", backend: str | None = None):
    import os

    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": backend or "tests.central.FileKeyring",
        "HMS_TEST_KEYRING": str(keyring_file or "/nonexistent"),
        "HMS_PIN": TEST_PIN,  # a new profile is created encrypted with it
    }
    return subprocess.run(
        [sys.executable, "-m", "hms_desktop", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
        cwd=str(ROOT),
    )


def test_enrol_and_sync_from_the_command_line(central, tmp_path, demo_path):
    keys = tmp_path / "keys.json"
    fresh = tmp_path / "tutor.sqlite3"
    enrolled = run_cli(
        "enrol",
        "--db",
        str(fresh),
        "--server",
        central.url,
        "--email",
        "samira.okaforreid@hms.invalid",
        "--password-stdin",
        keyring_file=keys,
        stdin=PASSWORD + "\n",
    )
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Signed in as Samira Okafor-Reid" in enrolled.stdout
    assert PASSWORD not in keys.read_text()  # only the device's refresh token is kept
    synced = run_cli("sync", "--db", str(fresh), keyring_file=keys)
    assert synced.returncode == 0, synced.stderr
    assert "0 waiting, 0 need attention" in synced.stdout
    db = unlock(fresh, TEST_PIN)
    assert len(lessons_on(db, MONDAY)) == 5
    group = whole_class(db).group_id
    mark_attendance(db, group, MONDAY, open_register(db, group, MONDAY).rows[0].pupil_id, "L")
    db.close()
    assert run_cli("sync", "--db", str(fresh), keyring_file=keys).returncode == 0
    central.stop()
    db = unlock(fresh, TEST_PIN)
    mark_attendance(db, group, MONDAY, open_register(db, group, MONDAY).rows[1].pupil_id, "L")
    db.close()
    offline = run_cli("sync", "--db", str(fresh), keyring_file=keys)
    assert offline.returncode == 3
    assert offline.stderr.strip().splitlines() == [
        "hms-desktop: The server can't be reached from here."
    ]
    central.start()


def test_wrong_password_and_no_keychain_are_explained(central, tmp_path):
    wrong = run_cli(
        "enrol",
        "--db",
        str(tmp_path / "a.sqlite3"),
        "--server",
        central.url,
        "--email",
        "samira.okaforreid@hms.invalid",
        "--password-stdin",
        keyring_file=tmp_path / "k.json",
        stdin="guess\n",
    )
    assert wrong.returncode == 4
    assert "email, password or code not recognised" in wrong.stderr
    no_keychain = run_cli(
        "enrol",
        "--db",
        str(tmp_path / "b.sqlite3"),
        "--server",
        central.url,
        "--email",
        "samira.okaforreid@hms.invalid",
        "--password-stdin",
        stdin=PASSWORD + "\n",
        backend="keyring.backends.fail.Keyring",
    )
    assert no_keychain.returncode == 4
    assert "no keychain" in no_keychain.stderr
    assert "Traceback" not in no_keychain.stderr


def test_a_one_time_code_from_the_office_enrols_once(central, tmp_path, capsys):
    assert (
        central_main(["enrol-code", "samira.okaforreid@hms.invalid", "--db", central.db_url]) == 0
    )
    code = capsys.readouterr().out.strip()
    args = (
        "enrol",
        "--server",
        central.url,
        "--email",
        "samira.okaforreid@hms.invalid",
        "--code",
        code,
    )
    first = run_cli(
        *args[:1], "--db", str(tmp_path / "a.sqlite3"), *args[1:], keyring_file=tmp_path / "k.json"
    )
    assert first.returncode == 0, first.stderr
    again = run_cli(
        *args[:1], "--db", str(tmp_path / "b.sqlite3"), *args[1:], keyring_file=tmp_path / "k.json"
    )
    assert again.returncode == 4


def test_the_committed_openapi_document_is_the_servers_own():
    sys.path.insert(0, str(ROOT / "scripts"))
    from openapi import openapi_text

    committed = ROOT / "docs" / "openapi.json"
    assert committed.read_text(encoding="utf-8") == openapi_text(), "run: python scripts/openapi.py"


def test_a_pulled_row_never_overwrites_an_unsent_local_change(db, demo_path, central, tmp_path):
    second = another_laptop(demo_path, tmp_path)
    first_engine, _ = laptop(db, central)
    second_engine, _ = laptop(second, central)
    group = whole_class(db).group_id
    pupil = open_register(db, group, MONDAY).rows[6].pupil_id
    mark_attendance(db, group, MONDAY, pupil, "P")
    first_engine.sync()
    mark_attendance(second, group, MONDAY, pupil, "AU")
    from hms_desktop.sync.engine import SyncReport

    report = SyncReport()
    second_engine.pull(report)  # central's P arrives while AU waits to be sent
    assert report.skipped_unsent >= 1
    assert open_register(second, group, MONDAY).row(pupil).code == "AU"
    second.close()


def test_a_tutor_never_receives_another_tutors_pupils(central, tmp_path):
    fresh = open_database(tmp_path / "fresh.sqlite3", create=True)
    engine, _ = laptop(fresh, central)
    engine.sync()
    from hms_desktop.data.models import Enrolment, Pupil, TeachingGroup

    with fresh.reading() as s:
        mine = set(
            s.scalars(
                select(TeachingGroup.id).where(TeachingGroup.tutor_id == sync_status_tutor(fresh))
            )
        )
        pupils = set(s.scalars(select(Pupil.id)))
        enrolled = set(s.scalars(select(Enrolment.pupil_id).where(Enrolment.group_id.in_(mine))))
        others = s.scalar(
            select(func.count()).select_from(Enrolment).where(Enrolment.group_id.not_in(mine))
        )
    with central_session(central) as s:
        everyone = s.scalar(select(func.count()).select_from(Row).where(Row.entity == "pupil"))
    assert enrolled and enrolled <= pupils
    assert len(pupils) < everyone / 2  # only the tutor's own pupils (and ensemble members)
    assert others == 0  # no enrolment of another tutor's group
    fresh.close()


def test_only_one_sync_runs_at_a_time(db, central):
    from hms_desktop.sync.engine import sync_lock
    from hms_desktop.sync.errors import SyncBusy

    engine, _ = laptop(db, central)
    with sync_lock(db), pytest.raises(SyncBusy):
        engine.sync()  # another window or the command line is syncing this profile
    engine.sync()  # and once it has finished, this one runs


def test_a_cancelled_backlog_resumes_where_it_stopped(db, central):
    batches = []
    engine, _ = laptop(db, central, batch_size=50, cancelled=lambda: len(batches) >= 3)
    with db.transaction() as s:
        for round_ in range(3):
            for mark in s.scalars(select(AttendanceMark)):
                mark.comment = f"round {round_}"
            s.flush()
    from hms_desktop.sync.engine import SyncReport

    report = SyncReport()
    engine.push(report, progress=lambda *_: batches.append(1))
    assert report.pushed == 150  # three batches, then stopped as asked
    assert sync_status(db).waiting > 0
    engine._cancelled = lambda: False
    engine.sync()
    assert_all_sent_once(db, central)


def test_the_refresh_token_is_only_in_the_keychain(db, demo_path, central, keychain):
    engine, _ = laptop(db, central)
    engine.sync()
    (token,) = keychain.secrets.values()
    db.close()
    for path in demo_path.parent.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
    log_dir = Path(os.environ["XDG_STATE_HOME"])
    for path in log_dir.rglob("*.log"):
        assert token not in path.read_text(encoding="utf-8", errors="replace")


def test_central_accounts_and_exports_from_its_command_line(central, tmp_path, capsys):
    import io

    from hms_central.cli import main as central_cli

    old_stdin = sys.stdin
    sys.stdin = io.StringIO("a long pass phrase\n")
    try:
        assert (
            central_cli(
                [
                    "add-tutor",
                    "--name",
                    "Cover Tutor",
                    "--email",
                    "Cover@HMS.invalid",
                    "--password-stdin",
                    "--db",
                    central.db_url,
                ]
            )
            == 0
        )
    finally:
        sys.stdin = old_stdin
    assert (
        central_cli(
            [
                "add-tutor",
                "--name",
                "Again",
                "--email",
                "cover@hms.invalid",
                "--password-stdin",
                "--db",
                central.db_url,
            ]
        )
        == 2
    )
    assert "already has an account" in capsys.readouterr().err
    client = CentralClient(central.url)
    CLIENTS.append(client)
    fresh = open_database(tmp_path / "cover.sqlite3", create=True)
    assert enrol_device(fresh, client, "cover@hms.invalid", password="a long pass phrase") == (
        "Cover Tutor"
    )
    fresh.close()
    assert central_cli(["seed-demo", "--db", central.db_url]) == 2  # never over real data
    out = tmp_path / "central-registers.csv"
    assert central_cli(["export-registers", "--db", central.db_url, "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("mark_id,lesson_id,pupil_id,code") and len(lines) > 1000


def test_settling_a_conflict_takes_centrals_latest_not_what_it_held_then(
    db, demo_path, central, tmp_path
):
    # Found by the state machine: a conflict, then central moves on, then "use theirs".
    second = another_laptop(demo_path, tmp_path)
    first_engine, _ = laptop(db, central)
    second_engine, _ = laptop(second, central)
    group = whole_class(db).group_id
    pupil = open_register(db, group, MONDAY).rows[3].pupil_id
    mark_attendance(second, group, MONDAY, pupil, "P")
    mark_attendance(db, group, MONDAY, pupil, "L")
    second_engine.sync()
    assert first_engine.sync().conflicts == 1  # the first laptop's L is held back
    mark_attendance(second, group, MONDAY, pupil, "AN")  # central moves on to AN
    second_engine.sync()
    first_engine.sync()
    (item,) = needs_attention(db)
    assert item.theirs == "AN"
    resolve(db, item.op_id, "theirs")
    first_engine.sync()
    assert open_register(db, group, MONDAY).row(pupil).code == "AN"
    second.close()
