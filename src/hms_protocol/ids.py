"""Deterministic ids for natural keys, so two laptops (and central) never make two copies of one
thing. Shared by the desktop app and the central service."""

import uuid
from datetime import date

# A fixed namespace for HMS Tutor's derived ids; changing it would fork every device's ids.
HMS_NAMESPACE = uuid.UUID("5b0f3f8e-6c1d-4c53-9a52-3e1a4d6f8b21")


def lesson_id(group_id: str, on: date) -> str:
    return str(uuid.uuid5(HMS_NAMESPACE, f"lesson|{group_id}|{on.isoformat()}"))


def mark_id(lesson_id_: str, pupil_id: str) -> str:
    return str(uuid.uuid5(HMS_NAMESPACE, f"mark|{lesson_id_}|{pupil_id}"))


def rehearsal_id(ensemble_id: str, on: date) -> str:
    return str(uuid.uuid5(HMS_NAMESPACE, f"rehearsal|{ensemble_id}|{on.isoformat()}"))


def rehearsal_mark_id(rehearsal_id_: str, pupil_id: str) -> str:
    return str(uuid.uuid5(HMS_NAMESPACE, f"rehearsal-mark|{rehearsal_id_}|{pupil_id}"))


def performer_id(performance_id: str, pupil_id: str) -> str:
    return str(uuid.uuid5(HMS_NAMESPACE, f"performer|{performance_id}|{pupil_id}"))
