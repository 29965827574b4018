"""The HMS sync protocol (/v1): wire schemas shared by the desktop app and the central service.

Defined once here with pydantic; the central service's OpenAPI document (docs/openapi.json) is
generated from them and is the contract.
"""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .entities import ENTITIES, PULLED_ENTITIES, PUSHED_ENTITIES, Uuid

__all__ = [
    "ENTITIES",
    "PULLED_ENTITIES",
    "PUSHED_ENTITIES",
]

PROTOCOL_VERSION = 1
MAX_BATCH = 500
MAX_PULL_PAGE = 1000

MAX_CURSOR = 2**62  # cursors are sequence numbers; anything larger is not one
MAX_BODY_BYTES = 4 * 1024 * 1024  # a full batch of 500 ops with long notes fits easily
ENROL_CODE_LENGTH = 12

OpResult = Literal["applied", "duplicate", "conflict", "rejected"]


class Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EnrolRequest(Wire):
    email: str = Field(max_length=320)
    password: str | None = Field(default=None, max_length=200)
    code: str | None = Field(default=None, max_length=40)
    device_name: str = Field(default="laptop", max_length=100)


class EnrolResponse(Wire):
    device_id: str
    tutor_id: str
    tutor_name: str
    refresh_token: str
    access_token: str
    access_expires_in: int


class RefreshRequest(Wire):
    device_id: str
    refresh_token: str


class AccessToken(Wire):
    access_token: str
    access_expires_in: int
    # Refresh tokens rotate: each refresh answers with the next one, which the laptop keeps.
    refresh_token: str | None = None


class Op(Wire):
    op_id: Uuid
    entity: str = Field(max_length=40)
    entity_id: str = Field(min_length=1, max_length=36)
    op: Literal["upsert", "delete"]
    base_version: int | None = None
    fields: dict[str, Any] = Field(default_factory=dict)
    client_ts: datetime


class PushRequest(Wire):
    ops: list[Op] = Field(max_length=MAX_BATCH)


class OpOutcome(Wire):
    op_id: str
    result: OpResult
    version: int | None = None
    reason: str | None = None
    # On a conflict, what central kept, so the tutor can compare and choose.
    current: dict[str, Any] | None = None


class PushResponse(Wire):
    batch_id: str
    results: list[OpOutcome]


class Change(Wire):
    entity: str
    entity_id: str
    version: int
    deleted: bool = False
    fields: dict[str, Any]


class PullResponse(Wire):
    epoch: str
    changes: list[Change]
    next_cursor: int
    more: bool


class CoverAssignment(Wire):
    group_id: Uuid
    tutor_id: Uuid
    first_day: date
    last_day: date


class Verification(Wire):
    serial: str
    valid: bool
    kind: str | None = None
    level: str | None = None
    issued_on: date | None = None
    initials: str | None = None


class Health(Wire):
    status: Literal["ok"]
    protocol: int
    epoch: str


class Problem(Wire):
    detail: str
