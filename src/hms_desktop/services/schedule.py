"""Queries shared by the timetable and the register: who is in a group on a given day."""

from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from hms_desktop.data.models import Enrolment, Holiday, Pupil, TeachingGroup


def enrolled_on(day: date) -> ColumnElement[bool]:
    """Enrolment current on ``day`` and pupil not withdrawn by then."""
    return and_(
        Enrolment.start_date <= day,
        or_(Enrolment.end_date.is_(None), Enrolment.end_date >= day),
        or_(
            Pupil.status == "active",
            and_(Pupil.withdrawn_on.is_not(None), Pupil.withdrawn_on > day),
        ),
    )


def closed_schools(session: Session, day: date) -> tuple[bool, set[str]]:
    """(borough-wide holiday?, ids of schools closed that day)."""
    rows = (
        session.execute(
            select(Holiday.school_id).where(Holiday.first_day <= day, Holiday.last_day >= day)
        )
        .scalars()
        .all()
    )
    return any(r is None for r in rows), {r for r in rows if r is not None}


def meets_on(group: TeachingGroup, day: date) -> bool:
    return group.weekday == day.weekday() and group.term_start <= day <= group.term_end
