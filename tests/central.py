"""The real reference central service on 127.0.0.1 (an ephemeral port), and a fault-injecting
httpx transport that sits between the laptop and it."""

from collections import deque
from pathlib import Path

import httpx
import keyring

from hms_central.background import BackgroundServer, MemoryKeyring


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
