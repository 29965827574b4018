"""The order of an ensemble's sections (Violin 1, Violin 2, Viola… on the roster, the seating
plan and the printouts). The music service office names the sections; the ensemble's leader or
a helper puts them in another order. Each reorder is one transaction: the sections whose place
changed are renumbered 0, 1, 2… and sync, one change per section; undo is another reorder."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data.engine import Database
from hms_desktop.data.models import EnsembleSection

from .roster import UNCHANGED, RosterProblem, ensemble_or_explain, roster_in
from .views import Roster


@dataclass(frozen=True)
class SectionOrder:
    roster: Roster
    before: tuple[str, ...]  # section ids, first to last
    after: tuple[str, ...]
    message: str


def _sections(session: Session, ensemble_id: str) -> list[EnsembleSection]:
    return list(
        session.scalars(
            select(EnsembleSection)
            .where(EnsembleSection.ensemble_id == ensemble_id, EnsembleSection.deleted_at.is_(None))
            .order_by(EnsembleSection.ordinal, EnsembleSection.name)
        )
    )


def _describe(
    sections: dict[str, str], before: Sequence[str], after: Sequence[str], hint: str | None
) -> str:
    """One section moved (the one the tutor moved, if it is that): say where it went;
    otherwise the new order."""
    for moved in ([hint] if hint in after else []) + list(after):
        rest_before = [s for s in before if s != moved]
        rest_after = [s for s in after if s != moved]
        if rest_before == rest_after:
            at = list(after).index(moved)
            if at == 0:
                return f"{sections[moved]} now comes first."
            return f"{sections[moved]} now comes after {sections[after[at - 1]]}."
    return "Sections now in the order " + ", ".join(sections[s] for s in after) + "."


def _reorder(
    session: Session, ensemble_id: str, order: Sequence[str], moved: str | None = None
) -> SectionOrder:
    ensemble_or_explain(session, ensemble_id)
    sections = _sections(session, ensemble_id)
    before = tuple(s.id for s in sections)
    if len(order) != len(before) or set(order) != set(before):
        raise RosterProblem(
            "The ensemble's sections have changed on this laptop (a sync brought the office's "
            f"latest). Look at the roster again and reorder from there. {UNCHANGED}"
        )
    after = tuple(order)
    if after == before:
        return SectionOrder(roster_in(session, ensemble_id), before, after, UNCHANGED)
    by_id = {s.id: s for s in sections}
    for ordinal, section_id in enumerate(after):
        if by_id[section_id].ordinal != ordinal:
            by_id[section_id].ordinal = ordinal
    names = {s.id: s.name for s in sections}
    return SectionOrder(
        roster_in(session, ensemble_id), before, after, _describe(names, before, after, moved)
    )


def reorder_sections(
    db: Database, ensemble_id: str, order: Sequence[str], moved: str | None = None
) -> SectionOrder:
    """Put the ensemble's sections in ``order`` (every section id, first to last); ``moved``:
    the section the tutor moved, which the message names when it can."""
    with db.transaction() as session:
        return _reorder(session, ensemble_id, order, moved)


def move_section(db: Database, ensemble_id: str, section_id: str, step: int) -> SectionOrder:
    """Move one section ``step`` places earlier (negative) or later (positive) in the order."""
    with db.transaction() as session:
        ensemble_or_explain(session, ensemble_id)
        sections = _sections(session, ensemble_id)
        order = [s.id for s in sections]
        if section_id not in order:
            raise RosterProblem(f"Choose one of this ensemble's sections. {UNCHANGED}")
        at = order.index(section_id)
        to = at + step
        name = sections[at].name
        if to < 0:
            raise RosterProblem(f"{name} is already the first section.")
        if to >= len(order):
            raise RosterProblem(f"{name} is already the last section.")
        order.insert(to, order.pop(at))
        return _reorder(session, ensemble_id, order, moved=section_id)
