"""Frozen dataclasses the services return: what a screen or a command line shows."""

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True)
class CodeInfo:
    code: str
    meaning: str
    comment_required: bool
    tutor_paid: bool
    billable: bool
    makeup_owed: bool


@dataclass(frozen=True)
class TimetableEntry:
    group_id: str
    lesson_id: str
    day: date
    start_time: time
    end_time: time
    school_id: str
    school_name: str
    group_name: str
    kind_label: str
    instrument: str
    tutor_name: str
    pupils: int
    marked: int
    status: str
    status_label: str
    is_cover: bool
    is_rehearsal: bool = False  # an ensemble's rehearsal: group_id is the ensemble's id

    @property
    def register_complete(self) -> bool:
        return self.pupils > 0 and self.marked >= self.pupils


@dataclass(frozen=True)
class GroupSummary:
    group_id: str
    group_name: str
    school_name: str
    tutor_name: str
    weekday: int
    start_time: time
    instrument: str


@dataclass(frozen=True)
class RegisterRow:
    pupil_id: str
    name: str
    year_group: int | None
    instrument: str
    code: str | None
    comment: str
    marked_at: datetime | None
    joined_on: date
    needs_care: str  # "SEN", "EHCP", "Medical" … the tutor should know before the lesson
    care_detail: str = ""  # the words behind needs_care, shown only on demand


@dataclass(frozen=True)
class Register:
    lesson_id: str
    group_id: str
    group_name: str
    school_name: str
    day: date
    start_time: time
    length_minutes: int
    kind_label: str
    instrument: str
    tutor_name: str
    delivered_by: str | None
    status: str
    status_label: str
    note: str
    rows: tuple[RegisterRow, ...]
    codes: tuple[CodeInfo, ...]
    in_future: bool = False  # only a cancellation can be entered ahead
    is_cover: bool = False  # another tutor's group, taken as cover

    @property
    def accepts_marks(self) -> bool:
        return not self.in_future

    @property
    def marked(self) -> int:
        return sum(1 for r in self.rows if r.code)

    def row(self, pupil_id: str) -> RegisterRow:
        return next(r for r in self.rows if r.pupil_id == pupil_id)


@dataclass(frozen=True)
class StoreStatus:
    path: str
    schema_revision: str | None
    schema_head: str
    sqlite_version: str
    integrity: str
    tutor: str | None
    schools: int
    pupils: int
    groups: int
    lessons: int
    marks: int
    pending_changes: int


@dataclass(frozen=True)
class MarkState:
    """One pupil's mark as it stood (``code`` None: not marked) — what an undo puts back."""

    pupil_id: str
    code: str | None
    comment: str


@dataclass(frozen=True)
class MarkChange:
    row: RegisterRow
    before: MarkState
    status: str = ""  # the lesson's status after the change


@dataclass(frozen=True)
class LessonSnapshot:
    """A whole lesson's status and every mark, as they stood before a whole-lesson change."""

    status: str
    marks: tuple[MarkState, ...]


@dataclass(frozen=True)
class StatusChange:
    register: Register
    before: LessonSnapshot


@dataclass(frozen=True)
class UntakenRegister:
    """A past lesson (or ensemble rehearsal) whose register is not complete: an unpaid lesson
    until it is taken. For a rehearsal, ``group_id`` is the ensemble's and ``school_name`` the
    venue."""

    group_id: str
    day: date
    start_time: time
    group_name: str
    school_name: str
    pupils: int
    marked: int
    is_rehearsal: bool = False
