"""Frozen dataclasses the progress services return: what the Pupils page, the group assessment
and the parents' report show."""

from dataclasses import dataclass
from datetime import date, datetime

from hms_desktop.domain.progress import LevelPoint, LevelSeries

__all__ = ["LevelPoint", "LevelSeries"]


@dataclass(frozen=True)
class PupilListRow:
    pupil_id: str
    name: str
    preferred_name: str
    school: str
    year_group: int | None
    group: str
    instrument: str
    level: str  # the latest level recorded, "" if none
    attendance_rate: float | None  # this term, None before any lesson counted


@dataclass(frozen=True)
class PupilList:
    rows: tuple[PupilListRow, ...]
    total: int  # how many matched, counted up to one more than the rows given

    @property
    def more(self) -> bool:
        """More pupils match than the list holds."""
        return self.total > len(self.rows)


@dataclass(frozen=True)
class CodeCount:
    code: str
    meaning: str
    count: int


@dataclass(frozen=True)
class AttendanceFigures:
    label: str  # "This term", "This year"
    first_day: date
    last_day: date
    attended: int
    missed: int
    not_held: int  # lessons that did not happen for the pupil (school or tutor cancelled)
    counts: tuple[CodeCount, ...]
    makeups_owed: int
    makeups_given: int

    @property
    def rate(self) -> float | None:
        counted = self.attended + self.missed
        return self.attended / counted if counted else None

    @property
    def makeups_outstanding(self) -> int:
        return max(0, self.makeups_owed - self.makeups_given)


@dataclass(frozen=True)
class EnrolmentLine:
    group_id: str
    group: str
    school: str
    kind: str
    instrument: str
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class AssessmentLine:
    assessment_id: str
    assessed_on: date
    framework: str
    level_id: str
    level: str
    ordinal: int
    kind: str  # an AssessmentKind value
    kind_label: str
    result: str | None
    mark: int | None
    comment: str
    instrument: str


@dataclass(frozen=True)
class NoteLine:
    note_id: str  # the latest revision
    text: str
    written_at: datetime
    earlier: tuple[tuple[datetime, str], ...]  # older revisions, newest first


@dataclass(frozen=True)
class TargetLine:
    target_id: str
    text: str
    set_on: date
    achieved_on: date | None


@dataclass(frozen=True)
class PupilDetails:
    pupil_id: str
    name: str
    given_name: str
    family_name: str
    preferred_name: str
    school: str
    year_group: int | None
    gender: str
    status: str
    flags: tuple[str, ...]  # "Pupil premium", "SEN support", …
    photo_consent: bool
    care_note: str  # the medical / safeguarding note, shown on this page only


@dataclass(frozen=True)
class PupilPage:
    details: PupilDetails
    enrolments: tuple[EnrolmentLine, ...]
    term: AttendanceFigures
    year: AttendanceFigures
    assessments: tuple[AssessmentLine, ...]  # newest first
    chart: tuple[LevelSeries, ...]
    notes: tuple[NoteLine, ...]
    targets: tuple[TargetLine, ...]


@dataclass(frozen=True)
class FrameworkInfo:
    framework_id: str
    name: str
    kind: str  # grades, medals, stages
    levels: tuple[tuple[str, str], ...]  # (level id, name) in order


@dataclass(frozen=True)
class GroupChoice:
    group_id: str
    name: str
    school: str
    pupils: int


@dataclass(frozen=True)
class GroupPupil:
    pupil_id: str
    name: str
    instrument_id: str | None
    instrument: str
    level: str  # latest recorded, for reference while entering
