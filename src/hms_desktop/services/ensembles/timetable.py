"""Rehearsals on Today's timetable: the ensembles a tutor leads or helps with, at their slot,
in their season, except on borough-wide holidays."""

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data.engine import Database
from hms_desktop.data.models import Ensemble, Holiday

from ..profile import TUTOR_ID, get_setting, leads_or_helps
from ..views import TimetableEntry
from .rehearsals import register_in


def borough_holidays(session: Session) -> list[tuple[date, date]]:
    """Holidays for every school: ensembles draw on all schools, so one school's closure does
    not stop a rehearsal, and only these do."""
    return [
        (first, last)
        for first, last in session.execute(
            select(Holiday.first_day, Holiday.last_day).where(Holiday.school_id.is_(None))
        )
    ]


def rehearsals_on(db: Database, day: date) -> list[TimetableEntry]:
    """The rehearsals on ``day`` of ensembles the tutor leads or helps with, as Today shows."""
    with db.reading() as session:
        me = get_setting(session, TUTOR_ID)
        ensembles = session.scalars(
            select(Ensemble).where(leads_or_helps(me), Ensemble.weekday == day.weekday())
        ).all()
        if any(first <= day <= last for first, last in borough_holidays(session)):
            return []
        entries = []
        for e in ensembles:
            if e.start_time is None or (e.season_start and day < e.season_start):
                continue
            if e.season_end and day > e.season_end:
                continue
            register = register_in(session, e.id, day)
            start = datetime.combine(day, register.start_time)
            entries.append(
                TimetableEntry(
                    group_id=e.id,
                    lesson_id=register.lesson_id,
                    day=day,
                    start_time=register.start_time,
                    end_time=(start + timedelta(minutes=register.length_minutes)).time(),
                    school_id=f"venue:{e.venue or ''}",
                    school_name=e.venue or "Rehearsal",
                    group_name=f"{e.name} rehearsal",
                    kind_label=register.kind_label,
                    instrument="",
                    tutor_name=register.tutor_name,
                    pupils=len(register.rows),
                    marked=register.marked,
                    status=register.status,
                    status_label=register.status_label,
                    is_cover=False,
                    is_rehearsal=True,
                )
            )
        return entries
