"""Who this laptop's tutor is: stored in the profile's settings."""

from sqlalchemy.orm import Session

from hms_desktop.data.models import Tutor
from hms_desktop.data.sync_store import SettingKey
from hms_desktop.data.sync_store import get as get_setting
from hms_desktop.data.sync_store import put as set_setting

TUTOR_ID = SettingKey.TUTOR_ID

__all__ = ["TUTOR_ID", "current_tutor", "get_setting", "set_setting"]


def current_tutor(session: Session) -> Tutor | None:
    tutor_id = get_setting(session, TUTOR_ID)
    return session.get(Tutor, tutor_id) if tutor_id else None
