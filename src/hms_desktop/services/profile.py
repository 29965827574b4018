"""Who this laptop's tutor is: stored in the profile's settings."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data.models import Setting, Tutor

TUTOR_ID = "tutor_id"


def get_setting(session: Session, key: str) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == key))


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def current_tutor(session: Session) -> Tutor | None:
    tutor_id = get_setting(session, TUTOR_ID)
    return session.get(Tutor, tutor_id) if tutor_id else None
