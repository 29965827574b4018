"""Rehearsals not yet taken: past rehearsals this season of the ensembles the tutor leads whose
register is not complete. Listed with the lessons not taken (services/register/untaken.py)."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data.models import (
    Ensemble,
    EnsembleMember,
    Pupil,
    Rehearsal,
    RehearsalMark,
)
from hms_desktop.domain.ids import rehearsal_id
from hms_desktop.domain.types import LessonStatus

from ..views import UntakenRegister
from .rehearsals import member_on
from .timetable import borough_holidays

# A rehearsal still to be taken; any other status (a cancellation from the office) is settled.
_OPEN = (LessonStatus.SCHEDULED.value, LessonStatus.DELIVERED.value)


def _rehearsal_days(ensemble: Ensemble, today: date, closed: list[tuple[date, date]]):
    """The ensemble's slot each week of its season up to yesterday, outside borough-wide
    holidays (ensembles draw on every school, so one school's closure does not stop them)."""
    assert ensemble.season_start and ensemble.season_end and ensemble.weekday is not None
    day = ensemble.season_start + timedelta(
        days=(ensemble.weekday - ensemble.season_start.weekday()) % 7
    )
    while day < today and day <= ensemble.season_end:
        if not any(first <= day <= last for first, last in closed):
            yield day
        day += timedelta(days=7)


def untaken_rehearsals_in(session: Session, me: str | None, today: date) -> list[UntakenRegister]:
    """Past rehearsals of the ensembles the tutor leads this season whose register is not
    complete: not cancelled, and some member on the roster that day without a mark. (A helper
    is not asked: taking the register is the leader's job, though a helper may.) Ensembles with
    no season or no rehearsal slot set by the office have no days to check."""
    ensembles = session.scalars(
        select(Ensemble).where(
            Ensemble.leader_id == me,
            Ensemble.weekday.is_not(None),
            Ensemble.start_time.is_not(None),
            Ensemble.season_start < today,
            Ensemble.season_end >= today - timedelta(days=183),
        )
    ).all()
    closed = borough_holidays(session)
    wanted = {
        rehearsal_id(e.id, day): (e, day)
        for e in ensembles
        for day in _rehearsal_days(e, today, closed)
    }
    members = defaultdict(list)
    for member, pupil in session.execute(
        select(EnsembleMember, Pupil)
        .join(Pupil, Pupil.id == EnsembleMember.pupil_id)
        .where(
            EnsembleMember.ensemble_id.in_([e.id for e in ensembles]),
            EnsembleMember.deleted_at.is_(None),
        )
    ):
        members[member.ensemble_id].append((member, pupil))
    statuses = dict(
        session.execute(
            select(Rehearsal.id, Rehearsal.status).where(Rehearsal.id.in_(wanted))
        ).all()
    )
    marked = defaultdict(set)
    for rid, pupil_id in session.execute(
        select(RehearsalMark.rehearsal_id, RehearsalMark.pupil_id).where(
            RehearsalMark.rehearsal_id.in_(wanted), RehearsalMark.deleted_at.is_(None)
        )
    ):
        marked[rid].add(pupil_id)
    found = []
    for rid, (ensemble, day) in wanted.items():
        on_roster = {p.id for m, p in members[ensemble.id] if member_on(m, p, day)}
        done = len(on_roster & marked[rid])
        status = statuses.get(rid, LessonStatus.SCHEDULED.value)
        if not on_roster or status not in _OPEN or done >= len(on_roster):
            continue
        found.append(
            UntakenRegister(
                group_id=ensemble.id,
                day=day,
                start_time=ensemble.start_time or datetime.min.time(),
                group_name=f"{ensemble.name} rehearsal",
                school_name=ensemble.venue or "",
                pupils=len(on_roster),
                marked=done,
                is_rehearsal=True,
            )
        )
    return found
