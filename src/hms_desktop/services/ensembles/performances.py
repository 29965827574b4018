"""Performances: a concert or event (title, date, venue) and who performed — taken from the
roster when it is recorded, then adjusted. The basis for participation certificates and for
the music service's count of performance opportunities. Every change can be taken back and put
back again (undo, redo), each a new change that syncs: a performance or performer taken back is
a tombstone."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data.clock import utcnow
from hms_desktop.data.engine import Database
from hms_desktop.data.models import Performance, PerformanceMember
from hms_desktop.domain.ids import new_id, performer_id
from hms_desktop.domain.names import clean_text

from .roster import UNCHANGED, RosterProblem, ensemble_or_explain, roster_in

TITLE_LIMIT = 200


@dataclass(frozen=True)
class PerformanceSummary:
    performance_id: str
    title: str
    performed_on: date
    venue: str
    performers: int


@dataclass(frozen=True)
class PerformanceEdit:
    """A performance's details before and after a change: what an undo puts back."""

    before: PerformanceSummary
    after: PerformanceSummary


@dataclass(frozen=True)
class PerformanceState:
    """A performance as it was when taken back (an undone add): what a redo puts back."""

    performance_id: str
    title: str
    performed_on: date
    venue: str
    performers: frozenset[str]


@dataclass(frozen=True)
class Performer:
    pupil_id: str
    name: str
    section: str
    instrument: str
    performed: bool


def _summary(session: Session, p: Performance) -> PerformanceSummary:
    count = sum(1 for m in _performers(session, p.id).values() if m.deleted_at is None)
    return PerformanceSummary(p.id, p.title, p.performed_on, p.venue or "", count)


def _performers(session: Session, performance_id: str) -> dict[str, PerformanceMember]:
    return {
        m.pupil_id: m
        for m in session.scalars(
            select(PerformanceMember).where(PerformanceMember.performance_id == performance_id)
        )
    }


def performances_of(db: Database, ensemble_id: str) -> list[PerformanceSummary]:
    """The ensemble's performances, latest first."""
    with db.reading() as session:
        rows = session.scalars(
            select(Performance)
            .where(Performance.ensemble_id == ensemble_id, Performance.deleted_at.is_(None))
            .order_by(Performance.performed_on.desc(), Performance.title)
        ).all()
        return [_summary(session, p) for p in rows]


def _title(title: str) -> str:
    name = clean_text(title or "", TITLE_LIMIT)
    if not name:
        raise RosterProblem(f"Give the performance a title. {UNCHANGED}")
    if len(name) > TITLE_LIMIT:
        raise RosterProblem(f"Keep the title under {TITLE_LIMIT} characters. {UNCHANGED}")
    return name


def _performance(session: Session, performance_id: str) -> Performance:
    """A performance still recorded (not taken back), or why nothing can be changed."""
    performance = session.get(Performance, performance_id)
    if performance is None or performance.deleted_at is not None:
        raise RosterProblem(f"That performance is no longer on this laptop. {UNCHANGED}")
    return performance


def add_performance(
    db: Database, ensemble_id: str, title: str, performed_on: date, venue: str = ""
) -> PerformanceSummary:
    """Record a performance; everyone on the roster that day performed until told otherwise."""
    name = _title(title)
    with db.transaction() as session:
        ensemble = ensemble_or_explain(session, ensemble_id)
        performance = Performance(
            id=new_id(),
            ensemble_id=ensemble.id,
            title=name,
            performed_on=performed_on,
            venue=clean_text(venue or "", TITLE_LIMIT) or None,
        )
        session.add(performance)
        for row in roster_in(session, ensemble.id).rows:
            if row.joined_on <= performed_on:
                session.add(
                    PerformanceMember(
                        id=performer_id(performance.id, row.pupil_id),
                        performance_id=performance.id,
                        pupil_id=row.pupil_id,
                        instrument_id=None,
                    )
                )
        session.flush()
        return _summary(session, performance)


def performers_of(db: Database, performance_id: str) -> list[Performer]:
    """Everyone who could have performed (the roster, and anyone recorded as performing), with
    whether they did."""
    with db.reading() as session:
        performance = session.get(Performance, performance_id)
        if performance is None:
            raise RosterProblem("That performance is no longer on this laptop.")
        roster = roster_in(session, performance.ensemble_id)
        marked = _performers(session, performance_id)
        rows = [*roster.rows, *(r for r in roster.former if r.pupil_id in marked)]
        return [
            Performer(
                r.pupil_id,
                r.name,
                r.section,
                r.instrument,
                r.pupil_id in marked and marked[r.pupil_id].deleted_at is None,
            )
            for r in rows
        ]


def set_performed(db: Database, performance_id: str, pupil_id: str, performed: bool) -> bool:
    """Say whether a member performed; returns what was recorded before (for undo)."""
    with db.transaction() as session:
        performance = _performance(session, performance_id)
        roster = roster_in(session, performance.ensemble_id)
        if pupil_id not in {r.pupil_id for r in (*roster.rows, *roster.former)}:
            raise RosterProblem(f"Only the ensemble's members can perform with it. {UNCHANGED}")
        mark = session.get(PerformanceMember, performer_id(performance_id, pupil_id))
        before = mark is not None and mark.deleted_at is None
        if performed and mark is None:
            session.add(
                PerformanceMember(
                    id=performer_id(performance_id, pupil_id),
                    performance_id=performance_id,
                    pupil_id=pupil_id,
                )
            )
        elif mark is not None and before != performed:
            mark.deleted_at = None if performed else utcnow()
        return before


def edit_performance(
    db: Database, performance_id: str, title: str, performed_on: date, venue: str = ""
) -> PerformanceEdit:
    """Change a performance's title, date or venue; who performed stays as recorded."""
    name = _title(title)
    with db.transaction() as session:
        performance = _performance(session, performance_id)
        before = _summary(session, performance)
        place = clean_text(venue or "", TITLE_LIMIT) or None
        if (performance.title, performance.performed_on, performance.venue) != (
            name,
            performed_on,
            place,
        ):
            performance.title, performance.performed_on, performance.venue = (
                name,
                performed_on,
                place,
            )
            session.flush()
        return PerformanceEdit(before, _summary(session, performance))


def withdraw_performance(db: Database, performance_id: str) -> PerformanceState:
    """Take a performance back (an undone add), its performers with it: each a tombstone that
    syncs. Returns what it was, for putting it back."""
    with db.transaction() as session:
        performance = _performance(session, performance_id)
        now = utcnow()
        performed = _performers(session, performance_id)
        live = frozenset(pid for pid, m in performed.items() if m.deleted_at is None)
        for pid in live:
            performed[pid].deleted_at = now
        session.flush()  # the performers first, then the performance they belong to
        performance.deleted_at = now
        session.flush()
        return PerformanceState(
            performance.id,
            performance.title,
            performance.performed_on,
            performance.venue or "",
            live,
        )


def restore_performance(db: Database, state: PerformanceState) -> PerformanceSummary:
    """Put a performance back as it was taken back, with the same performers (a redo)."""
    with db.transaction() as session:
        performance = session.get(Performance, state.performance_id)
        if performance is None:
            raise RosterProblem(f"That performance is no longer on this laptop. {UNCHANGED}")
        performance.title, performance.performed_on = state.title, state.performed_on
        performance.venue, performance.deleted_at = state.venue or None, None
        session.flush()  # the performance first, then its performers
        performed = _performers(session, state.performance_id)
        for pid in state.performers:
            mark = performed.get(pid)
            if mark is None:
                session.add(
                    PerformanceMember(
                        id=performer_id(state.performance_id, pid),
                        performance_id=state.performance_id,
                        pupil_id=pid,
                    )
                )
            elif mark.deleted_at is not None:
                mark.deleted_at = None
        session.flush()
        return _summary(session, performance)
