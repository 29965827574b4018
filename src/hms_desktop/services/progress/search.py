"""Finding a pupil: the tutor's pupils whose names (in any script, with or without accents, or
in their usual Latin spelling) hold every word typed, ordered in the database."""

from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from hms_desktop.data.engine import Database
from hms_desktop.data.models import Enrolment, Instrument, Pupil, School, TeachingGroup
from hms_desktop.domain.names import display_name
from hms_desktop.domain.search import search_terms

from .attendance import rates
from .common import latest_levels, mine, term_bounds
from .views import PupilList, PupilListRow

LIMIT = 200  # ten screenfuls; more of a name narrows the list


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _current_enrolments(session: Session, ids: list[str], on: date) -> dict[str, tuple[str, str]]:
    """(group, instrument) of each pupil's latest running enrolment."""
    found: dict[str, tuple[str, str]] = {}
    rows = session.execute(
        select(Enrolment.pupil_id, TeachingGroup.name, Instrument.name)
        .join(TeachingGroup, TeachingGroup.id == Enrolment.group_id)
        .outerjoin(Instrument, Instrument.id == Enrolment.instrument_id)
        .where(
            Enrolment.pupil_id.in_(ids),
            Enrolment.start_date <= on,
            (Enrolment.end_date.is_(None)) | (Enrolment.end_date >= on),
        )
        .order_by(Enrolment.start_date)
    )
    for pupil_id, group, instrument in rows:
        found[pupil_id] = (group, instrument or "")
    return found


def find_pupils(db: Database, typed: str, on: date, limit: int = LIMIT) -> PupilList:
    """The tutor's pupils matching what was typed (everyone for an empty search), by name."""
    with db.reading() as session:
        terms = search_terms(typed)
        where = and_(*(Pupil.search_key.like(_like(t), escape="\\") for t in terms), mine(session))
        pupils = session.execute(
            select(
                Pupil.id,
                Pupil.given_name,
                Pupil.family_name,
                Pupil.preferred_name,
                Pupil.family_name_first,
                Pupil.year_group,
                School.name,
            )
            .join(School, School.id == Pupil.school_id)
            .where(where)
            .order_by(Pupil.search_key, Pupil.id)
            .limit(limit + 1)  # one more than a page says whether there are more
        ).all()
        total, pupils = len(pupils), pupils[:limit]
        ids = [p.id for p in pupils]
        enrolled = _current_enrolments(session, ids, on)
        levels = latest_levels(session, ids)
        first, last = term_bounds(session, on)
        attendance = rates(session, ids, first, min(last, on))
        rows = tuple(
            PupilListRow(
                pupil_id=p.id,
                name=display_name(
                    p.given_name, p.family_name, p.preferred_name, p.family_name_first
                ),
                preferred_name=p.preferred_name or "",
                school=p.name,
                year_group=p.year_group,
                group=enrolled.get(p.id, ("", ""))[0],
                instrument=enrolled.get(p.id, ("", ""))[1],
                level=levels.get(p.id, ""),
                attendance_rate=attendance.get(p.id),
            )
            for p in pupils
        )
    return PupilList(rows=rows, total=total)
