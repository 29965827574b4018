"""Ids: new ones made on this laptop, and deterministic ones for natural keys (defined once in
hms_protocol, which central uses too)."""

import uuid

from hms_protocol.ids import (
    HMS_NAMESPACE,
    lesson_id,
    mark_id,
    performer_id,
    rehearsal_id,
    rehearsal_mark_id,
)

__all__ = [
    "HMS_NAMESPACE",
    "lesson_id",
    "mark_id",
    "new_id",
    "performer_id",
    "rehearsal_id",
    "rehearsal_mark_id",
]


def new_id() -> str:
    return str(uuid.uuid4())
