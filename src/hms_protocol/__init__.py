"""The HMS sync protocol (/v1): wire schemas shared by the desktop app and the central service.

Defined once here with pydantic; the central service's OpenAPI document (docs/openapi.json) is
generated from them and is the contract.
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
MAX_BATCH = 500
MAX_PULL_PAGE = 1000

# Entities a tutor's laptop writes and pushes.
PUSHED_ENTITIES = (
    "lesson",
    "attendance_mark",
    "assessment",
    "progress_note",
    "target",
    "ensemble_member",
    "rehearsal",
    "rehearsal_mark",
    "performance",
    "certificate",
)
# Entities central owns and the laptop pulls (plus the pushed ones, from the tutor's other
# devices).
PULLED_ENTITIES = (
    "tutor",
    "school",
    "pupil",
    "instrument",
    "teaching_group",
    "enrolment",
    "holiday",
    "attendance_code",
    "framework",
    "framework_level",
    "ensemble",
    "ensemble_section",
    *PUSHED_ENTITIES,
)

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


class Op(Wire):
    op_id: str = Field(min_length=1, max_length=36)
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


class Health(Wire):
    status: Literal["ok"]
    protocol: int
    epoch: str


class Problem(Wire):
    detail: str
