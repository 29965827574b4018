"""The one clock of the store: naive UTC, as every timestamp column holds."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
