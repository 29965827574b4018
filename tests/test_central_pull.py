"""What laptops receive: a bad row never stops a pull, cover reaches the covering tutor and
their marks go through, certificates verify (issue #12, findings 4, 8 and item 9)."""

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_central.cli import main as central_main
from hms_central.store import Row, make_engine, put_row
from hms_desktop.data.models import Holiday, School
from hms_desktop.services.register import set_lesson_status
from hms_desktop.services.sync import enrol_device, needs_attention, resolve, sync_status
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.engine import SyncEngine

from .conftest import MONDAY
from .test_sync import run_cli

ME = "samira.okaforreid@hms.invalid"


CLIENTS: list[CentralClient] = []


@pytest.fixture(autouse=True)
def close_clients():
    yield
    while CLIENTS:
        CLIENTS.pop().close()


def laptop(db, server) -> SyncEngine:
    client = CentralClient(server.url)
    CLIENTS.append(client)
    if not sync_status(db).signed_in:
        enrol_device(db, client, ME, password="hms-demo")
    return SyncEngine(db, client, sleep=lambda _s: None)


def write_central(server, rows: list[tuple[str, str, dict, str, str | None]]) -> None:
    engine = make_engine(server.db_url)
    with Session(engine) as s, s.begin():
        for entity, row_id, fields, scope, scope_id in rows:
            put_row(s, entity, row_id, fields, scope, scope_id)
    engine.dispose()


BAD_HOLIDAY = "00000000-0000-4000-8000-0000000000b1"
ORPHAN = "00000000-0000-4000-8000-0000000000b2"
GOOD_HOLIDAY = "00000000-0000-4000-8000-0000000000b3"


def test_a_bad_row_from_central_is_set_aside_and_the_rest_of_the_pull_goes_on(db, central):
    engine = laptop(db, central)
    engine.sync()
    with db.reading() as s:
        school = s.scalars(select(School)).first()
    write_central(
        central,
        [
            # A date that does not exist, as old central stored it: every laptop sees holidays.
            (
                "holiday",
                BAD_HOLIDAY,
                {"id": BAD_HOLIDAY, "name": "Oops", "first_day": "2026-13-45", "last_day": "x"},
                "public",
                None,
            ),
            # A row that points at a school no laptop has.
            (
                "holiday",
                ORPHAN,
                {
                    "id": ORPHAN,
                    "name": "Closure",
                    "first_day": "2026-12-01",
                    "last_day": "2026-12-01",
                    "school_id": "00000000-0000-4000-8000-00000000dead",
                },
                "public",
                None,
            ),
            (
                "holiday",
                GOOD_HOLIDAY,
                {
                    "id": GOOD_HOLIDAY,
                    "name": "Inset day",
                    "first_day": "2026-12-04",
                    "last_day": "2026-12-04",
                    "school_id": school.id,
                },
                "public",
                None,
            ),
        ],
    )
    report = engine.sync()
    assert report.set_aside == 2
    with db.reading() as s:
        assert s.get(Holiday, GOOD_HOLIDAY) is not None
        assert s.get(Holiday, BAD_HOLIDAY) is None and s.get(Holiday, ORPHAN) is None
    items = [i for i in needs_attention(db) if i.kind == "set_aside"]
    assert len(items) == 2
    assert any("first_day" in i.explanation for i in items)
    assert any("has not received" in i.explanation for i in items)
    assert sync_status(db).needs_attention == 2
    # A later sync does not stop either; the tutor can dismiss the items once told.
    assert engine.sync().set_aside == 0
    for item in items:
        resolve(db, item.op_id, "dismiss")
    assert sync_status(db).needs_attention == 0


def test_sync_from_the_command_line_always_says_why(central, tmp_path, demo_path):
    keys = tmp_path / "keys.json"
    enrolled = run_cli(
        "enrol",
        "--db",
        str(demo_path),
        "--server",
        central.url,
        "--email",
        ME,
        "--password-stdin",
        keyring_file=keys,
        stdin="hms-demo\n",
    )
    assert enrolled.returncode == 0, enrolled.stderr
    done = run_cli("sync", "--db", str(demo_path), keyring_file=keys)
    assert done.returncode == 0 and "everything is sent" in done.stderr
    write_central(
        central,
        [
            (
                "holiday",
                BAD_HOLIDAY,
                {"id": BAD_HOLIDAY, "name": "x", "first_day": "9999-12-31", "last_day": "x"},
                "public",
                None,
            )
        ],
    )
    flagged = run_cli("sync", "--db", str(demo_path), keyring_file=keys)
    assert flagged.returncode == 1
    assert "need your attention" in flagged.stderr
    central.stop()
    offline = run_cli("sync", "--db", str(demo_path), keyring_file=keys)
    assert offline.returncode == 3 and offline.stderr.strip()
    assert "Traceback" not in offline.stderr


def test_cover_marks_wait_then_go_through_once_the_office_assigns_cover(db, central, capsys):
    engine = laptop(db, central)
    engine.sync()
    engine_ = make_engine(central.db_url)
    with Session(engine_) as s:
        groups = list(s.scalars(select(Row).where(Row.entity == "teaching_group")))
    engine_.dispose()
    from hms_desktop.services.profile import TUTOR_ID, get_setting

    with db.reading() as s:
        my_id = get_setting(s, TUTOR_ID)
    theirs = next(g for g in groups if g.fields["tutor_id"] != my_id)
    day = MONDAY - timedelta(days=7 - theirs.fields["weekday"])  # a past day: never "ahead"
    set_lesson_status(db, theirs.id, day, "delivered")
    first = engine.sync()
    assert first.rejected > 0
    assert any("cover" in i.explanation for i in needs_attention(db))
    assert (
        central_main(
            [
                "assign-cover",
                "--db",
                central.db_url,
                "--group",
                theirs.id,
                "--tutor",
                my_id,
                "--from",
                day.isoformat(),
                "--to",
                day.isoformat(),
            ]
        )
        == 0
    )
    second = engine.sync()
    assert second.resent_for_cover == first.rejected
    assert second.rejected == 0 and second.needs_attention == 0
    engine_ = make_engine(central.db_url)
    with Session(engine_) as s:
        marks = [
            r
            for r in s.scalars(select(Row).where(Row.entity == "attendance_mark"))
            if r.scope_id == theirs.id
        ]
    engine_.dispose()
    assert marks and all(m.fields["marked_by_id"] == my_id for m in marks)


def test_a_certificates_qr_opens_a_page_that_confirms_it_with_initials_only(central):
    engine = make_engine(central.db_url)
    with Session(engine) as s, s.begin():
        pupil = s.scalars(select(Row).where(Row.entity == "pupil")).first()
        cert = "00000000-0000-4000-8000-0000000000c1"
        put_row(
            s,
            "certificate",
            cert,
            {
                "id": cert,
                "pupil_id": pupil.id,
                "template": "achievement",
                "wording": "…",
                "level_text": "Grade 3",
                "issued_on": "2026-11-20",
                "serial": "HMS-2026-000123",
                "verification_code": "K7QX9M",
            },
            "pupil",
            pupil.id,
        )
        given, family = pupil.fields["given_name"], pupil.fields["family_name"]
    engine.dispose()
    with httpx.Client(base_url=central.url) as http:
        page = http.get("/verify/HMS-2026-000123", params={"code": "k7qx9m"})
        assert page.status_code == 200
        assert "Grade 3" in page.text and "2026-11-20" in page.text
        assert f"{given[0]}." in page.text
        assert given not in page.text.replace(f"{given[0]}.", "")
        assert family not in page.text
        wrong = http.get("/verify/HMS-2026-000123", params={"code": "AAAAAA"})
        assert wrong.status_code == 404 and "Grade 3" not in wrong.text
