"""HTTP client for the central service (/v1), on httpx. Every failure becomes a SyncError."""

import ipaddress
import json
from typing import Any

import httpx
from pydantic import ValidationError

from hms_protocol import (
    AccessToken,
    EnrolRequest,
    EnrolResponse,
    Health,
    PullResponse,
    PushRequest,
    PushResponse,
    RefreshRequest,
)

from .errors import Offline, SignInNeeded, SyncRefused

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class CentralClient:
    def __init__(
        self,
        base_url: str,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout | float = TIMEOUT,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise SyncRefused(
                f"'{base_url}' is not a server address (it should start with https://)."
            )
        if base_url.startswith("http://") and not _loopback(base_url):
            raise SyncRefused(
                "The server address must start with https:// (plain http:// would send your "
                "password unprotected); only this computer itself may use http://."
            )
        # verify=True: TLS certificates are always checked.
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), transport=transport, timeout=timeout, verify=True
        )
        self.base_url = base_url.rstrip("/")

    def close(self) -> None:
        self._http.close()

    def _call(
        self,
        method: str,
        path: str,
        model: type,
        *,
        access: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        sent = dict(headers or {})
        if access:
            sent["Authorization"] = f"Bearer {access}"
        content = None
        if body is not None:
            sent["Content-Type"] = "application/json"
            content = body.model_dump_json()
        try:
            response = self._http.request(
                method, path, headers=sent, params=params, content=content
            )
        except httpx.TimeoutException as err:
            raise Offline("The server did not answer in time.") from err
        except httpx.HTTPError as err:
            raise Offline("The server can't be reached from here.") from err
        if response.status_code == 401:
            raise SignInNeeded(_detail(response) or "Sign-in needed.")
        if response.status_code == 429:
            raise SignInNeeded(_detail(response) or "Too many attempts: try again later.")
        if response.status_code >= 500 or response.status_code == 408:
            raise Offline(f"The server is having trouble (HTTP {response.status_code}).")
        if response.status_code >= 400:
            raise SyncRefused(f"The server refused the request: {_detail(response)}")
        try:
            return model.model_validate_json(response.content)
        except (ValidationError, ValueError) as err:
            raise Offline("The server's answer was incomplete or garbled.") from err

    def health(self) -> Health:
        return self._call("GET", "/v1/health", Health)

    def enrol(self, request: EnrolRequest) -> EnrolResponse:
        return self._call("POST", "/v1/auth/enrol", EnrolResponse, body=request)

    def refresh(self, device_id: str, refresh_token: str) -> AccessToken:
        return self._call(
            "POST",
            "/v1/auth/refresh",
            AccessToken,
            body=RefreshRequest(device_id=device_id, refresh_token=refresh_token),
        )

    def push(self, access: str, batch_id: str, request: PushRequest) -> PushResponse:
        return self._call(
            "POST",
            "/v1/sync/push",
            PushResponse,
            access=access,
            body=request,
            headers={"Idempotency-Key": batch_id},
        )

    def pull(self, access: str, cursor: int, limit: int) -> PullResponse:
        return self._call(
            "GET",
            "/v1/sync/pull",
            PullResponse,
            access=access,
            params={"cursor": cursor, "limit": limit},
        )


def _loopback(url: str) -> bool:
    host = httpx.URL(url).host
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (json.JSONDecodeError, AttributeError, UnicodeDecodeError):
        return ""
    return detail if isinstance(detail, str) else "the request was not valid"
