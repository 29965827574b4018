"""Who this laptop's tutor is (stored in the profile's settings), and which ensembles are theirs."""

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from hms_desktop.data.models import Ensemble, EnsembleHelper, Tutor
from hms_desktop.data.sync_store import SettingKey
from hms_desktop.data.sync_store import get as get_setting
from hms_desktop.data.sync_store import put as set_setting

TUTOR_ID = SettingKey.TUTOR_ID

__all__ = ["TUTOR_ID", "current_tutor", "get_setting", "leads_or_helps", "set_setting"]


def current_tutor(session: Session) -> Tutor | None:
    tutor_id = get_setting(session, TUTOR_ID)
    return session.get(Tutor, tutor_id) if tutor_id else None


def leads_or_helps(tutor_id: str | None) -> ColumnElement[bool]:
    """Whether an ensemble is the tutor's: they lead it, or the office asked them to help with
    it. Helpers keep its roster and registers as the leader does; central checks the same."""
    helps = select(EnsembleHelper.id).where(
        EnsembleHelper.ensemble_id == Ensemble.id, EnsembleHelper.tutor_id == tutor_id
    )
    return or_(Ensemble.leader_id == tutor_id, helps.exists())
