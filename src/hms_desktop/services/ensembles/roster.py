"""An ensemble's roster: who plays what and where they sit, by section in seat order, with each
member's rehearsal attendance; the tutor's ensembles; the pupils who could join. (Changing the
roster — joiners, moves, leavers, undo — is in moves.py.)"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    Tutor,
)
from hms_desktop.domain.errors import HmsError, NotFound
from hms_desktop.domain.names import display_name, sort_key
from hms_desktop.domain.types import EnsembleKind

from ..profile import TUTOR_ID, get_setting, leads_or_helps
from .views import (
    EnsembleSummary,
    PupilChoice,
    Roster,
    RosterRow,
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
    me = get_setting(session, TUTOR_ID)
    leader = session.get(Tutor, ensemble.leader_id) if ensemble.leader_id else None
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
        leader_name=leader.name if leader else "",
        helping=ensemble.leader_id != me,
    )


def my_ensembles(db: Database) -> list[EnsembleSummary]:
    """The ensembles this laptop's tutor leads or helps with, by name."""
    with db.reading() as session:
        me = get_setting(session, TUTOR_ID)
        ensembles = session.scalars(
            select(Ensemble).where(leads_or_helps(me)).order_by(Ensemble.name)
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
    """Active pupils the tutor teaches or has in an ensemble they lead or help with, not in this
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
                .where(leads_or_helps(me), EnsembleMember.deleted_at.is_(None))
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
