"""A teaching group's pupils for the group assessment: who to assess and where each one is."""

from datetime import date

from sqlalchemy import func, select

from hms_desktop.data.engine import Database
from hms_desktop.data.models import Enrolment, Instrument, Pupil, School, TeachingGroup
from hms_desktop.domain.errors import NotFound
from hms_desktop.domain.names import sort_key

from ..profile import TUTOR_ID, get_setting
from ..schedule import enrolled_on
from .common import latest_levels, pupil_name
from .views import GroupChoice, GroupPupil


def my_groups(db: Database, on: date) -> tuple[GroupChoice, ...]:
    """The tutor's teaching groups running on ``on``, with how many pupils each has."""
    with db.reading() as session:
        me = get_setting(session, TUTOR_ID)
        rows = session.execute(
            select(TeachingGroup.id, TeachingGroup.name, School.name, func.count(Pupil.id))
            .join(School, School.id == TeachingGroup.school_id)
            .join(Enrolment, Enrolment.group_id == TeachingGroup.id)
            .join(Pupil, Pupil.id == Enrolment.pupil_id)
            .where(TeachingGroup.tutor_id == me, enrolled_on(on))
            .group_by(TeachingGroup.id)
            .order_by(School.name, TeachingGroup.name)
        ).all()
        return tuple(GroupChoice(*row) for row in rows)


def group_pupils(db: Database, group_id: str, on: date) -> tuple[GroupPupil, ...]:
    with db.reading() as session:
        if session.get(TeachingGroup, group_id) is None:
            raise NotFound("That group is no longer on this laptop.")
        rows = session.execute(
            select(Pupil, Enrolment.instrument_id, Instrument.name)
            .join(Enrolment, Enrolment.pupil_id == Pupil.id)
            .outerjoin(Instrument, Instrument.id == Enrolment.instrument_id)
            .where(Enrolment.group_id == group_id, enrolled_on(on))
        ).all()
        levels = latest_levels(session, [p.id for p, _i, _n in rows])
        pupils = [
            GroupPupil(p.id, pupil_name(p), instrument_id, name or "", levels.get(p.id, ""))
            for p, instrument_id, name in rows
        ]
        return tuple(sorted(pupils, key=lambda g: sort_key(g.name)))
