"""The one clock of the store: naive UTC, as every timestamp column holds, and today's date."""

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """The tutor's calendar day (local time): what 'a lesson in the future' is measured from."""
    return date.today()
