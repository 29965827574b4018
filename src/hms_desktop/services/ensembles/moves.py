"""Changing an ensemble's roster: adding a member, moving one to another section or seat
(swapping with, or shifting along, whoever sits there), marking one as left (kept in history,
the seat freed) and putting any of it back (undo).

A seat holds one current member: the rule lives here. Members are written one at a time, each
only once their new seat is free, so the outbox (and central, which applies ops in order) never
sees two pupils in one seat, even halfway through a swap."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data import clock
from hms_desktop.data.clock import utcnow
from hms_desktop.data.engine import Database
from hms_desktop.data.models import EnsembleMember, EnsembleSection, Pupil
from hms_desktop.domain.ids import new_id

from .roster import (
    UNCHANGED,
    RosterProblem,
    current,
    ensemble_or_explain,
    pupil_name,
    roster_in,
)
from .views import MemberState, Roster, RosterChange, SeatRule

# A state's ``left_on`` of ``date.min``: the membership was taken back (an undone add).
NOT_JOINED = date.min


def _state(member: EnsembleMember) -> MemberState:
    left = NOT_JOINED if member.deleted_at is not None else member.left_on
    return MemberState(member.id, member.section_id, member.seat, member.role, left)


def _members(session: Session, ensemble_id: str) -> list[EnsembleMember]:
    return list(
        session.scalars(select(EnsembleMember).where(EnsembleMember.ensemble_id == ensemble_id))
    )


def _section(session: Session, ensemble_id: str, section_id: str | None) -> EnsembleSection:
    section = session.get(EnsembleSection, section_id) if section_id else None
    if section is None or section.ensemble_id != ensemble_id:
        raise RosterProblem(f"Choose one of this ensemble's sections. {UNCHANGED}")
    return section


def _seat_number(seat: int | None) -> None:
    if seat is not None and seat < 1:
        raise RosterProblem(f"Seats are numbered from 1. {UNCHANGED}")


def _seated(members: list[EnsembleMember], section_id: str, but: str | None) -> list:
    return sorted(
        (
            m
            for m in members
            if current(m) and m.section_id == section_id and m.id != but and m.seat is not None
        ),
        key=lambda m: m.seat,
    )


def _settle(session: Session, wanted: dict[str, MemberState]) -> None:
    """Write the wanted states one member at a time, each only once their new seat is free: a
    shift fills the empty seat at the end of the line first; a swap (a ring of moves) first
    lifts one member out of their seat. So no moment — here, in the outbox, on central, which
    applies the ops in order — has two pupils in one seat, and a move into a free seat is one
    change that central takes or refuses whole."""
    members = {
        m.id: m
        for m in session.scalars(select(EnsembleMember).where(EnsembleMember.id.in_(list(wanted))))
    }
    pending = [
        mid for mid, state in wanted.items() if mid in members and _state(members[mid]) != state
    ]
    if not pending:
        return
    ensemble_id = members[pending[0]].ensemble_id
    everyone = _members(session, ensemble_id)
    held = {(m.section_id, m.seat): m.id for m in everyone if current(m) and m.seat is not None}

    def write(m: EnsembleMember, state: MemberState) -> None:
        held.pop((m.section_id, m.seat), None)
        gone = state.left_on == NOT_JOINED
        m.section_id, m.seat, m.role = state.section_id, None if gone else state.seat, state.role
        m.left_on = None if gone else state.left_on
        m.deleted_at = utcnow() if gone else None
        if current(m) and m.seat is not None:
            held[(m.section_id, m.seat)] = m.id
        session.flush()

    while pending:
        ready = next(
            (
                mid
                for mid in pending
                if wanted[mid].seat is None
                or wanted[mid].left_on is not None
                or held.get((wanted[mid].section_id, wanted[mid].seat)) in (None, mid)
            ),
            None,
        )
        if ready is None:  # a ring of moves: lift the first member out of their seat
            m = members[pending[0]]
            write(m, MemberState(m.id, m.section_id, None, m.role, m.left_on))
            continue
        write(members[ready], wanted[ready])
        pending.remove(ready)
    _check_one_per_seat(everyone)


def _check_one_per_seat(everyone: list[EnsembleMember]) -> None:
    """The rule itself, checked on the members as written (a bug here must not save)."""
    seen: set[tuple[str | None, int]] = set()
    for m in everyone:
        if current(m) and m.seat is not None:
            if (m.section_id, m.seat) in seen:
                raise RosterProblem(f"Two members would share a seat. {UNCHANGED}")
            seen.add((m.section_id, m.seat))


def _change(session, ensemble_id, before, wanted, message) -> RosterChange:
    _settle(session, wanted)
    return RosterChange(
        roster_in(session, ensemble_id),
        tuple(before[mid] for mid in wanted),
        tuple(wanted.values()),
        message,
    )


def _placements(
    members: list[EnsembleMember],
    mover: EnsembleMember,
    section_id: str,
    seat: int,
    rule: SeatRule,
) -> dict[str, MemberState]:
    """Where everyone affected sits after ``mover`` goes to (section, seat) under ``rule``."""
    wanted: dict[str, MemberState] = {}

    def put(m: EnsembleMember, section: str | None, at: int | None) -> None:
        wanted[m.id] = MemberState(m.id, section, at, m.role, m.left_on)

    others = _seated(members, section_id, but=mover.id)
    occupant = next((m for m in others if m.seat == seat), None)
    if rule is SeatRule.SWAP or occupant is None:
        if occupant is not None:
            put(occupant, mover.section_id, mover.seat)
        put(mover, section_id, seat)
        return wanted
    # Shift: the mover goes in at that seat; the members from it on move one seat back, as far
    # as the first empty seat.
    put(mover, section_id, seat)
    at = seat
    for m in others:
        if m.seat < seat:
            continue
        if m.seat > at:
            break
        at += 1
        put(m, section_id, at)
    return wanted


def move_member(
    db: Database, member_id: str, section_id: str, seat: int, rule: SeatRule | str
) -> RosterChange:
    """Move a member to a section and seat; whoever sits there swaps or shifts, as asked."""
    rule = SeatRule(rule)
    _seat_number(seat)
    with db.transaction() as session:
        mover = session.get(EnsembleMember, member_id)
        if mover is None or not current(mover):
            raise RosterProblem(f"That member is no longer in the ensemble. {UNCHANGED}")
        section = _section(session, mover.ensemble_id, section_id)
        members = _members(session, mover.ensemble_id)
        before = {m.id: _state(m) for m in members}
        if (mover.section_id, mover.seat) == (section.id, seat):
            return RosterChange(roster_in(session, mover.ensemble_id), (), (), UNCHANGED)
        wanted = _placements(members, mover, section.id, seat, rule)
        name = pupil_name(session.get(Pupil, mover.pupil_id))  # type: ignore[arg-type]
        return _change(
            session,
            mover.ensemble_id,
            before,
            wanted,
            f"{name} moved to {section.name}, seat {seat}.",
        )


def add_member(
    db: Database,
    ensemble_id: str,
    pupil_id: str,
    section_id: str,
    seat: int | None = None,
    role: str | None = None,
    joined_on: date | None = None,
) -> RosterChange:
    """Add a pupil to a section, at the end or at a seat (those from it on shift back)."""
    _seat_number(seat)
    with db.transaction() as session:
        ensemble = ensemble_or_explain(session, ensemble_id)
        section = _section(session, ensemble.id, section_id)
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise RosterProblem(f"That pupil is not on this laptop. {UNCHANGED}")
        name = pupil_name(pupil)
        if pupil.status != "active":
            raise RosterProblem(f"{name} has withdrawn from the music service. {UNCHANGED}")
        members = _members(session, ensemble.id)
        already = next((m for m in members if current(m) and m.pupil_id == pupil_id), None)
        if already is not None:
            where = session.get(EnsembleSection, already.section_id or "")
            raise RosterProblem(
                f"{name} is already in {ensemble.name}"
                + (f" ({where.name}, seat {already.seat})" if where else "")
                + f". {UNCHANGED}"
            )
        seated = _seated(members, section.id, but=None)
        end = (seated[-1].seat + 1) if seated else 1
        member = EnsembleMember(
            id=new_id(),
            ensemble_id=ensemble.id,
            pupil_id=pupil_id,
            section_id=section.id,
            instrument_id=_usual_instrument(members, section.id),
            seat=None,
            role=role,
            joined_on=joined_on or clock.today(),
            left_on=None,
        )
        session.add(member)
        session.flush()
        members.append(member)
        before = {m.id: _state(m) for m in members}
        before[member.id] = MemberState(member.id, section.id, None, role, NOT_JOINED)
        wanted = _placements(members, member, section.id, seat or end, SeatRule.SHIFT)
        return _change(
            session,
            ensemble.id,
            before,
            wanted,
            f"{name} joined {section.name}, seat {seat or end}.",
        )


def _usual_instrument(members: list[EnsembleMember], section_id: str) -> str | None:
    played = [m.instrument_id for m in members if m.section_id == section_id and m.instrument_id]
    return max(set(played), key=played.count) if played else None


def mark_left(db: Database, member_id: str, on: date | None = None) -> RosterChange:
    """The member has left: kept in the roster's history with the day they left; seat freed."""
    with db.transaction() as session:
        member = session.get(EnsembleMember, member_id)
        if member is None or not current(member):
            raise RosterProblem(f"That member has already left. {UNCHANGED}")
        day = on or clock.today()
        if day < member.joined_on:
            raise RosterProblem(
                f"They joined on {member.joined_on:%-d %B %Y}: they cannot leave before. "
                + UNCHANGED
            )
        name = pupil_name(session.get(Pupil, member.pupil_id))  # type: ignore[arg-type]
        before = {member.id: _state(member)}
        wanted = {
            member.id: MemberState(member.id, member.section_id, member.seat, member.role, day)
        }
        return _change(session, member.ensemble_id, before, wanted, f"{name} has left.")


def restore_members(db: Database, ensemble_id: str, states: tuple[MemberState, ...]) -> Roster:
    """Put members back where they were (undo and redo); each is a new change that syncs."""
    with db.transaction() as session:
        wanted = {state.member_id: state for state in states}
        ids = [s.member_id for s in states]
        vacating = {mid: s for mid, s in wanted.items() if s.left_on is not None or s.seat is None}
        _settle(session, vacating)  # members leaving first, so their seats are free
        occupied = {
            (m.section_id, m.seat): m.id
            for m in _members(session, ensemble_id)
            if current(m) and m.seat is not None and m.id not in ids
        }
        for state in wanted.values():
            if state.left_on is None and (state.section_id, state.seat) in occupied:
                raise RosterProblem(
                    f"Someone else now sits in that seat, so this cannot be put back. {UNCHANGED}"
                )
        _settle(session, wanted)
        return roster_in(session, ensemble_id)
