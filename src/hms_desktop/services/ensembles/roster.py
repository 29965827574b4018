"""An ensemble's roster: who plays what and where they sit. Adding a member, moving one to
another section or seat (swapping with, or shifting along, whoever sits there), marking one as
left (kept in history, the seat freed) and putting any of it back (undo).

A seat holds one current member: the rule lives here. Every change is written in two steps —
the members who move leave their seats first, then take their new ones — so the outbox (and
central, which applies ops in order) never sees two pupils in one seat, even halfway through
a swap."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data import clock
from hms_desktop.data.clock import utcnow
from hms_desktop.data.engine import Database
from hms_desktop.data.models import (
    Enrolment,
    Ensemble,
    EnsembleMember,
    EnsembleSection,
    Instrument,
    Pupil,
    Rehearsal,
    RehearsalMark,
    School,
    TeachingGroup,
)
from hms_desktop.domain.errors import HmsError, NotFound
from hms_desktop.domain.ids import new_id
from hms_desktop.domain.names import display_name, sort_key
from hms_desktop.domain.types import EnsembleKind

from ..profile import TUTOR_ID, get_setting
from .views import (
    EnsembleSummary,
    MemberState,
    PupilChoice,
    Roster,
    RosterChange,
    RosterRow,
    SeatRule,
    SectionInfo,
)

ATTENDED = ("P", "L", "LE")
MISSED = ("AN", "AU")
KIND_LABELS = {
    EnsembleKind.ORCHESTRA: "Orchestra",
    EnsembleKind.CHOIR: "Choir",
    EnsembleKind.BAND: "Band",
    EnsembleKind.JAZZ: "Jazz band",
    EnsembleKind.STEEL_PAN: "Steel pans",
    EnsembleKind.OTHER: "Ensemble",
}
UNCHANGED = "Nothing was changed."


class RosterProblem(HmsError):
    """A roster change that cannot be made as asked; nothing was changed."""


# --- reading ---------------------------------------------------------------------------------


def pupil_name(pupil: Pupil) -> str:
    return display_name(
        pupil.given_name, pupil.family_name, pupil.preferred_name, pupil.family_name_first
    )


def ensemble_or_explain(session: Session, ensemble_id: str) -> Ensemble:
    ensemble = session.get(Ensemble, ensemble_id)
    if ensemble is None:
        raise NotFound("That ensemble is no longer on this laptop. Sync to bring it up to date.")
    return ensemble


def current(member: EnsembleMember) -> bool:
    return member.left_on is None and member.deleted_at is None


def _summary(session: Session, ensemble: Ensemble, members: int | None = None) -> EnsembleSummary:
    if members is None:
        members = sum(
            1
            for m in session.scalars(
                select(EnsembleMember).where(EnsembleMember.ensemble_id == ensemble.id)
            )
            if current(m)
        )
    return EnsembleSummary(
        ensemble_id=ensemble.id,
        name=ensemble.name,
        kind=ensemble.kind,
        kind_label=KIND_LABELS.get(EnsembleKind(ensemble.kind), "Ensemble"),
        level=ensemble.level or "",
        venue=ensemble.venue or "",
        weekday=ensemble.weekday,
        start_time=ensemble.start_time,
        length_minutes=ensemble.length_minutes,
        season_start=ensemble.season_start,
        season_end=ensemble.season_end,
        members=members,
    )


def my_ensembles(db: Database) -> list[EnsembleSummary]:
    """The ensembles this laptop's tutor leads, by name."""
    with db.reading() as session:
        me = get_setting(session, TUTOR_ID)
        ensembles = session.scalars(
            select(Ensemble).where(Ensemble.leader_id == me).order_by(Ensemble.name)
        ).all()
        return [_summary(session, e) for e in ensembles]


def _attendance(session: Session, ensemble_id: str) -> dict[str, tuple[int, int, int]]:
    """pupil → (attended, taken, missed in a row at the end), over the season's rehearsals."""
    marks = session.execute(
        select(RehearsalMark.pupil_id, RehearsalMark.code)
        .join(Rehearsal, Rehearsal.id == RehearsalMark.rehearsal_id)
        .where(
            Rehearsal.ensemble_id == ensemble_id,
            Rehearsal.deleted_at.is_(None),
            RehearsalMark.deleted_at.is_(None),
        )
        .order_by(Rehearsal.date)
    ).all()
    stats: dict[str, list[int]] = {}
    for pupil_id, code in marks:
        s = stats.setdefault(pupil_id, [0, 0, 0])
        s[1] += 1
        if code in ATTENDED:
            s[0] += 1
        s[2] = s[2] + 1 if code in MISSED else 0
    return {p: (a, t, m) for p, (a, t, m) in stats.items()}


def roster_in(session: Session, ensemble_id: str) -> Roster:
    ensemble = ensemble_or_explain(session, ensemble_id)
    sections = session.scalars(
        select(EnsembleSection)
        .where(EnsembleSection.ensemble_id == ensemble_id)
        .order_by(EnsembleSection.ordinal, EnsembleSection.name)
    ).all()
    order = {s.id: (s.ordinal, s.name) for s in sections}
    stats = _attendance(session, ensemble_id)
    rows = session.execute(
        select(EnsembleMember, Pupil, School.name, Instrument.name)
        .join(Pupil, Pupil.id == EnsembleMember.pupil_id)
        .outerjoin(School, School.id == Pupil.school_id)
        .outerjoin(Instrument, Instrument.id == EnsembleMember.instrument_id)
        .where(EnsembleMember.ensemble_id == ensemble_id, EnsembleMember.deleted_at.is_(None))
    ).all()
    made = []
    for member, pupil, school, instrument in rows:
        attended, taken, missed = stats.get(pupil.id, (0, 0, 0))
        made.append(
            RosterRow(
                member_id=member.id,
                pupil_id=pupil.id,
                section_id=member.section_id,
                section=order.get(member.section_id or "", (0, ""))[1],
                seat=member.seat,
                name=pupil_name(pupil),
                school=school or "",
                instrument=instrument or "",
                role=member.role or "",
                joined_on=member.joined_on,
                left_on=member.left_on,
                year_group=pupil.year_group,
                attended=attended,
                taken=taken,
                missed_in_a_row=missed,
            )
        )
    place = {sid: n for n, sid in enumerate(order)}
    made.sort(
        key=lambda r: (
            place.get(r.section_id or "", len(place)),
            r.seat or 10_000,
            sort_key(r.name),
        )
    )
    live = tuple(r for r in made if r.left_on is None)
    former = tuple(sorted((r for r in made if r.left_on), key=lambda r: r.left_on or date.min))
    return Roster(
        ensemble=_summary(session, ensemble, len(live)),
        sections=tuple(SectionInfo(s.id, s.name, s.ordinal) for s in sections),
        rows=live,
        former=former,
    )


def roster_of(db: Database, ensemble_id: str) -> Roster:
    """One ensemble's roster by section in seat order, with each member's attendance."""
    with db.reading() as session:
        return roster_in(session, ensemble_id)


def pupils_to_add(db: Database, ensemble_id: str, text: str, limit: int = 40) -> list[PupilChoice]:
    """Active pupils the tutor teaches or has in one of their ensembles, not already in this
    one, whose name matches ``text``. (Other pupils join through the music service office.)"""
    words = [w.casefold() for w in text.split()][:4]
    with db.reading() as session:
        me = get_setting(session, TUTOR_ID)
        mine = set(
            session.scalars(
                select(Enrolment.pupil_id)
                .join(TeachingGroup, TeachingGroup.id == Enrolment.group_id)
                .where(TeachingGroup.tutor_id == me)
            )
        ) | set(
            session.scalars(
                select(EnsembleMember.pupil_id)
                .join(Ensemble, Ensemble.id == EnsembleMember.ensemble_id)
                .where(Ensemble.leader_id == me, EnsembleMember.deleted_at.is_(None))
            )
        )
        taken = {
            m.pupil_id
            for m in session.scalars(
                select(EnsembleMember).where(EnsembleMember.ensemble_id == ensemble_id)
            )
            if current(m)
        }
        found = []
        for pupil, school in session.execute(
            select(Pupil, School.name)
            .outerjoin(School, School.id == Pupil.school_id)
            .where(Pupil.status == "active")
        ):
            name = pupil_name(pupil)
            if (
                pupil.id in taken
                or pupil.id not in mine
                or not all(w in name.casefold() for w in words)
            ):
                continue
            found.append(PupilChoice(pupil.id, name, school or "", pupil.year_group))
        found.sort(key=lambda c: sort_key(c.name))
        return found[:limit]


# --- writing ---------------------------------------------------------------------------------


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
