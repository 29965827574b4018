"""The real reference central service on 127.0.0.1 (an ephemeral port), and a fault-injecting
httpx transport that sits between the laptop and it."""

import uuid
from collections import deque
from pathlib import Path

import httpx
import keyring

from hms_central.background import BackgroundServer
from hms_desktop.sync.memory_keyring import MemoryKeyring


class FileKeyring(MemoryKeyring):
    """For command-line tests across processes only: a JSON file named by HMS_TEST_KEYRING.
    Selected with PYTHON_KEYRING_BACKEND=tests.central.FileKeyring; never used by the app."""

    def _load(self) -> dict:
        import json
        import os

        path = Path(os.environ["HMS_TEST_KEYRING"])
        return json.loads(path.read_text()) if path.exists() else {}

    def _save(self, data: dict) -> None:
        import json
        import os

        Path(os.environ["HMS_TEST_KEYRING"]).write_text(json.dumps(data))

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}|{username}"] = password
        self._save(data)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}|{username}")

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}|{username}", None)
        self._save(data)


def use_memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


class CentralServer(BackgroundServer):
    """The real central service on an ephemeral loopback port."""


class Faults(httpx.BaseTransport):
    """Real HTTP to the server, with planned faults for the next matching requests.

    Each planned fault is (path fragment, kind): ``drop_request`` (never sent),
    ``drop_response`` (sent and committed, the answer lost), ``duplicate`` (sent twice),
    ``5xx`` (a 503 from a proxy, never sent), ``truncate`` / ``garble`` (sent, the answer cut
    or mangled), ``restart`` (the server restarts before the request arrives)."""

    def __init__(self, server: CentralServer | None = None) -> None:
        self._real = httpx.HTTPTransport()
        self.plan: deque[tuple[str, str]] = deque()
        self.server = server
        self.log: list[tuple[str, str]] = []

    def close(self) -> None:
        self._real.close()

    def fail(self, path: str, kind: str, times: int = 1) -> None:
        self.plan.extend([(path, kind)] * times)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        kind = None
        if self.plan and self.plan[0][0] in request.url.path:
            kind = self.plan.popleft()[1]
        self.log.append((request.url.path, kind or "ok"))
        if kind == "drop_request":
            raise httpx.ConnectError("connection lost (planned)", request=request)
        if kind == "5xx":
            return httpx.Response(503, json={"detail": "proxy busy"}, request=request)
        if kind == "restart" and self.server is not None:
            self.server.restart()
            request.url = request.url.copy_with(port=self.server.port)
        response = self._real.handle_request(request)
        response.read()
        if kind == "duplicate":
            response = self._real.handle_request(request)
            response.read()
        if kind == "drop_response":
            raise httpx.ReadTimeout("answer lost (planned)", request=request)
        if kind == "truncate":
            return httpx.Response(
                200,
                content=response.content[: len(response.content) // 2],
                headers={"content-type": "application/json"},
                request=request,
            )
        if kind == "garble":
            return httpx.Response(
                200,
                content=b'{"batch_id": 12, "results": "\xff\xfe',
                headers={"content-type": "application/json"},
                request=request,
            )
        return response


# --- speaking the protocol directly, as a tutor (or an attacker with a tutor's sign-in) -----

DEMO_PASSWORD = "hms-demo"


class TutorClient:
    """One tutor signed in over real HTTP: push raw ops, pull everything their sign-in sees."""

    def __init__(self, server: BackgroundServer, email: str, password: str = DEMO_PASSWORD):
        self.http = httpx.Client(base_url=server.url, timeout=30)
        answer = self.http.post(
            "/v1/auth/enrol", json={"email": email, "password": password, "device_name": "t"}
        )
        answer.raise_for_status()
        body = answer.json()
        self.tutor_id = body["tutor_id"]
        self.http.headers["Authorization"] = f"Bearer {body['access_token']}"
        self.batches = 0

    def close(self) -> None:
        self.http.close()

    def push(self, ops: list[dict], key: str | None = None) -> list[dict]:
        self.batches += 1
        answer = self.http.post(
            "/v1/sync/push",
            json={"ops": ops},
            headers={"Idempotency-Key": key or f"batch-{uuid.uuid4()}"},
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["results"]

    def pull_all(self, cursor: int = 0) -> list[dict]:
        changes = []
        while True:
            page = self.http.get("/v1/sync/pull", params={"cursor": cursor}).json()
            changes += page["changes"]
            cursor = page["next_cursor"]
            if not page["more"]:
                return changes


def op(entity: str, entity_id: str, fields: dict, kind: str = "upsert", base: int | None = None):
    import uuid

    return {
        "op_id": str(uuid.uuid4()),
        "entity": entity,
        "entity_id": entity_id,
        "op": kind,
        "base_version": base,
        "fields": fields,
        "client_ts": "2026-11-23T10:00:00",
    }


# --- a throwaway PostgreSQL cluster on 127.0.0.1 -------------------------------------------


class PostgresCluster:
    """initdb + pg_ctl in a temp dir on an ephemeral loopback port (as the postgres user when
    running as root); databases are cloned from a seeded template in milliseconds."""

    def __init__(self, root: Path) -> None:
        import glob

        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise FileNotFoundError("PostgreSQL is not installed")
        self.bin = Path(found[-1]).parent
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        self._count = 0

    def _run(self, *args: str) -> None:
        import os
        import subprocess

        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip()[-500:]}")

    def start(self) -> "PostgresCluster":
        import os
        import shutil

        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "hms", "--auth=trust", "-E", "UTF8")
        options = f"-k {self.root} -h 127.0.0.1 -p {self.port} -c fsync=off -c max_connections=300"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.root / "log"),
            "start",
        )
        return self

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://hms@127.0.0.1:{self.port}/{database}"

    def create(self, name: str | None = None, template: str | None = None) -> str:
        import psycopg

        self._count += 1
        name = name or f"central_{self._count}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=hms dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(
                f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
            )
        return self.url(name)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
