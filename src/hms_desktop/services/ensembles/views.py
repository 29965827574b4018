"""Frozen dataclasses the ensemble services return: what the Ensembles page and printouts show."""

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class SeatRule(StrEnum):
    """What happens to the member already in the seat a member is moved into."""

    SWAP = "swap"  # they change places
    SHIFT = "shift"  # everyone from that seat on moves one seat back


class Role(StrEnum):
    LEADER = "leader"
    PRINCIPAL = "principal"
    SUB_PRINCIPAL = "sub-principal"


@dataclass(frozen=True)
class EnsembleSummary:
    ensemble_id: str
    name: str
    kind: str
    kind_label: str
    level: str
    venue: str
    weekday: int | None
    start_time: time | None
    length_minutes: int | None
    season_start: date | None
    season_end: date | None
    members: int
    leader_name: str = ""
    helping: bool = False  # the office asked this tutor to help; another tutor leads it

    @property
    def role(self) -> str:
        if not self.helping:
            return "You lead it"
        return f"You help; {self.leader_name} leads it" if self.leader_name else "You help"

    @property
    def slot(self) -> str:
        if self.weekday is None or self.start_time is None:
            return "no rehearsal slot"
        return f"{WEEKDAYS[self.weekday]}s {self.start_time:%H:%M}"

    @property
    def short_slot(self) -> str:
        if self.weekday is None or self.start_time is None:
            return "no slot"
        return f"{WEEKDAYS[self.weekday][:3]} {self.start_time:%H:%M}"


@dataclass(frozen=True)
class SectionInfo:
    section_id: str
    name: str
    ordinal: int


@dataclass(frozen=True)
class RosterRow:
    member_id: str
    pupil_id: str
    section_id: str | None
    section: str
    seat: int | None
    name: str
    school: str
    instrument: str
    role: str
    joined_on: date
    left_on: date | None
    year_group: int | None
    attended: int = 0  # rehearsals present, late or left early
    taken: int = 0  # rehearsals with a mark for this member
    missed_in_a_row: int = 0  # the latest rehearsals missed, one after another

    @property
    def desk(self) -> int | None:
        """Strings sit two to a desk: seats 1–2 are desk 1."""
        return (self.seat + 1) // 2 if self.seat else None

    @property
    def attendance(self) -> str:
        return f"{round(100 * self.attended / self.taken)}%" if self.taken else "–"


@dataclass(frozen=True)
class Roster:
    ensemble: EnsembleSummary
    sections: tuple[SectionInfo, ...]
    rows: tuple[RosterRow, ...]  # current members, by section then seat
    former: tuple[RosterRow, ...]  # members who left, kept in history

    def row(self, member_id: str) -> RosterRow:
        return next(r for r in (*self.rows, *self.former) if r.member_id == member_id)


@dataclass(frozen=True)
class MemberState:
    """Where a member sat and whether they had left: what an undo puts back."""

    member_id: str
    section_id: str | None
    seat: int | None
    role: str | None
    left_on: date | None


@dataclass(frozen=True)
class RosterChange:
    roster: Roster
    before: tuple[MemberState, ...]
    after: tuple[MemberState, ...]
    message: str


@dataclass(frozen=True)
class PupilChoice:
    """A pupil who could join: for the Add member dialog."""

    pupil_id: str
    name: str
    school: str
    year_group: int | None
