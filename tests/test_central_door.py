"""At central's door: body and cursor limits, idempotency keys, sign-in guessing, token rotation,
owner-only files, plain http refused by the laptop (issue #12, findings 5 and 6)."""

import os
import stat

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_central.cli import main as central_main
from hms_central.store import EnrolCode, make_engine
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.errors import SyncRefused
from hms_protocol import MAX_BODY_BYTES

from .central import TutorClient, op

ME = "samira.okaforreid@hms.invalid"


def test_a_huge_body_is_refused_before_it_is_read_even_without_sign_in(central):
    with httpx.Client(base_url=central.url, timeout=30) as http:
        declared = http.post(
            "/v1/sync/push",
            content=b"x" * (MAX_BODY_BYTES + 1),
            headers={"content-type": "application/json"},
        )
        assert declared.status_code == 413

        def chunks():  # no Content-Length: the server stops reading at the limit
            for _ in range(50):
                yield b"y" * (1024 * 1024)

        streamed = http.post("/v1/auth/enrol", content=chunks())
        assert streamed.status_code == 413
        assert "larger than" in streamed.json()["detail"]


def test_a_cursor_beyond_any_sequence_number_is_a_clear_422_not_a_500(central):
    me = TutorClient(central, ME)
    try:
        answer = me.http.get("/v1/sync/pull", params={"cursor": 2**63})
        assert answer.status_code == 422
        assert me.http.get("/v1/sync/pull", params={"cursor": -1}).status_code == 422
    finally:
        me.close()


def test_a_batch_id_reused_for_different_changes_is_refused(central):
    me = TutorClient(central, ME)
    try:
        first = me.http.post(
            "/v1/sync/push", json={"ops": []}, headers={"Idempotency-Key": "batch-0001"}
        )
        assert first.status_code == 200
        ops = [op("target", "00000000-0000-4000-8000-00000000b001", {})]
        reused = me.http.post(
            "/v1/sync/push", json={"ops": ops}, headers={"Idempotency-Key": "batch-0001"}
        )
        assert reused.status_code == 409
        assert "already used for different changes" in reused.json()["detail"]
        same = me.http.post(
            "/v1/sync/push", json={"ops": []}, headers={"Idempotency-Key": "batch-0001"}
        )
        assert same.status_code == 200
    finally:
        me.close()


def enrol(http: httpx.Client, password: str = "", code: str = "", email: str = ME):
    body = {"email": email, "device_name": "t"}
    body.update({"password": password} if password else {"code": code})
    return http.post("/v1/auth/enrol", json=body)


def test_guessing_passwords_locks_the_account_with_a_clear_429(central):
    with httpx.Client(base_url=central.url, timeout=30) as http:
        answers = [enrol(http, f"guess-{n}").status_code for n in range(12)]
        assert answers[:10] == [401] * 10
        assert answers[10:] == [429, 429]
        locked = enrol(http, "hms-demo")
        assert locked.status_code == 429  # even the right password, until the lockout passes
        assert int(locked.headers["Retry-After"]) > 0
        assert "too many" in locked.json()["detail"]


def test_one_time_codes_are_long_salted_and_unguessable_in_bulk(central, capsys):
    assert central_main(["enrol-code", ME, "--db", central.db_url]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 12
    engine = make_engine(central.db_url)
    with Session(engine) as s:
        stored = s.scalars(select(EnrolCode)).all()
    engine.dispose()
    assert len(stored) == 1 and stored[0].code_hash.startswith("scrypt$")
    assert code not in stored[0].code_hash
    with httpx.Client(base_url=central.url, timeout=30) as http:
        wrong = [enrol(http, code=f"{n:012d}").status_code for n in range(11)]
        assert wrong[-1] == 429
        assert enrol(http, code=code).status_code == 429  # the account is locked for now


def test_a_refresh_token_rotates_on_use_and_the_old_one_stops_working(central):
    with httpx.Client(base_url=central.url, timeout=30) as http:
        first = enrol(http, "hms-demo").json()
        device, token = first["device_id"], first["refresh_token"]
        one = http.post("/v1/auth/refresh", json={"device_id": device, "refresh_token": token})
        assert one.status_code == 200
        following = one.json()["refresh_token"]
        assert following and following != token
        # The answer may have been lost: the replaced token works once more, then never.
        again = http.post("/v1/auth/refresh", json={"device_id": device, "refresh_token": token})
        assert again.status_code == 200
        latest = again.json()["refresh_token"]
        stale = http.post("/v1/auth/refresh", json={"device_id": device, "refresh_token": token})
        assert stale.status_code == 401
        assert (
            http.post(
                "/v1/auth/refresh", json={"device_id": device, "refresh_token": latest}
            ).status_code
            == 200
        )


def test_the_laptop_keeps_the_rotated_refresh_token_and_syncs_on(db, central, keychain):
    from hms_desktop.services.sync import enrol_device
    from hms_desktop.sync.engine import SyncEngine

    client = CentralClient(central.url)
    try:
        enrol_device(db, client, ME, password="hms-demo")
        before = dict(keychain.secrets)
        engine = SyncEngine(db, client, sleep=lambda _s: None)
        engine.sync()
        assert keychain.secrets != before  # the next token replaced the used one
        engine._access = None
        engine.sync()  # …and it works
    finally:
        client.close()


def test_centrals_database_is_owner_only(tmp_path):
    path = tmp_path / "fresh-central.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    engine.dispose()
    for file in tmp_path.glob("fresh-central.sqlite3*"):
        assert stat.S_IMODE(os.stat(file).st_mode) == 0o600, file.name


@pytest.mark.parametrize(
    "url", ["http://central.example.org", "http://10.0.0.5:8765", "http://[::ffff:8.8.8.8]"]
)
def test_the_laptop_refuses_plain_http_except_to_itself(url):
    with pytest.raises(SyncRefused, match="https://"):
        CentralClient(url)
    for local in ("http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765"):
        CentralClient(local).close()


def test_a_malformed_request_is_explained_without_echoing_what_was_sent(central):
    me = TutorClient(central, ME)
    try:
        answer = me.http.post(
            "/v1/sync/push",
            json={"ops": [{"op_id": "Zeynep Öztürk, Year 4", "entity": "x"}]},
            headers={"Idempotency-Key": "batch-bad-0001"},
        )
    finally:
        me.close()
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("the request is not valid: ops.0.op_id")
    assert "Zeynep" not in answer.text


def test_a_known_and_an_unknown_email_cost_the_same_work(central, monkeypatch):
    from hms_central import auth

    calls: list[str] = []
    real = auth.check_password

    def counted(secret, stored):
        calls.append("scrypt")
        return real(secret, stored)

    monkeypatch.setattr(auth, "check_password", counted)
    with httpx.Client(base_url=central.url, timeout=30) as http:
        for email in (ME, "nobody@hms.invalid"):
            for kind in ("password", "code"):
                calls.clear()
                answer = http.post("/v1/auth/enrol", json={"email": email, kind: "WRONGWRONG12"})
                assert answer.status_code == 401
                assert answer.json()["detail"] == "email, password or code not recognised"
                assert calls == ["scrypt"], (email, kind)
