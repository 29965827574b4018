"""What a register view asks of the register it shows. Lessons use the register services; an
ensemble rehearsal's register can plug in its own services with the same keyboard flow."""

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from hms_desktop.data.engine import Database
from hms_desktop.domain.types import LessonStatus
from hms_desktop.services import register as registers
from hms_desktop.services.views import MarkChange, MarkState, Register, StatusChange


@dataclass(frozen=True)
class StatusButton:
    status: LessonStatus
    text: str  # with its mnemonic, e.g. "T&utor absent"
    tip: str


@dataclass(frozen=True)
class Wording:
    """What the register calls the occasion it records, in every text the tutor reads."""

    noun: str  # "lesson", "rehearsal"
    who: str  # whose register it is: "group", "ensemble"
    ahead: str  # what can be entered before the day, said after "it has not happened yet"
    note_hint: str  # the note's placeholder

    @property
    def note_label(self) -> str:
        return f"{self.noun.capitalize()} &note"


LESSON_WORDS = Wording(
    "lesson",
    "group",
    "Only a cancellation known ahead (school closed, tutor absent) can be entered now.",
    "What you covered, anything for next week (saved as you type)",
)
REHEARSAL_WORDS = Wording(
    "rehearsal",
    "ensemble",
    "Its register can be taken on the day.",
    "What you rehearsed, anything for next week (saved as you type)",
)


class RegisterBackend(Protocol):
    """One register (a lesson, a rehearsal): every write goes through its services."""

    key: tuple[str, date]
    statuses: tuple[StatusButton, ...]
    words: Wording

    def open(self) -> Register: ...
    def mark(self, pupil_id: str, code: str, comment: str | None) -> MarkChange: ...
    def clear(self, pupil_id: str) -> MarkChange: ...
    def set_status(self, status: LessonStatus, comment: str, replace: bool) -> StatusChange: ...
    def restore(self, marks: tuple[MarkState, ...], status: str | None) -> Register: ...
    def save_note(self, text: str) -> str: ...


LESSON_STATUSES = (
    StatusButton(
        LessonStatus.TUTOR_ABSENT, "T&utor absent", "You could not teach: every pupil gets TA"
    ),
    StatusButton(
        LessonStatus.SCHOOL_CLOSED,
        "&School closed",
        "The school cancelled with notice: every pupil gets SN (may be entered ahead)",
    ),
    StatusButton(
        LessonStatus.TURNED_AWAY,
        "Turned a&way",
        "You arrived and the school turned you away: every pupil gets SX",
    ),
)


class LessonRegister:
    """A teaching group's lesson on one day."""

    statuses = LESSON_STATUSES
    words = LESSON_WORDS

    def __init__(self, db: Database, group_id: str, day: date) -> None:
        self._db = db
        self.key = (group_id, day)

    def open(self) -> Register:
        return registers.open_register(self._db, *self.key)

    def mark(self, pupil_id: str, code: str, comment: str | None) -> MarkChange:
        return registers.record_mark(self._db, *self.key, pupil_id, code, comment)

    def clear(self, pupil_id: str) -> MarkChange:
        return registers.clear_mark(self._db, *self.key, pupil_id)

    def set_status(self, status: LessonStatus, comment: str, replace: bool) -> StatusChange:
        return registers.change_lesson_status(
            self._db, *self.key, status, comment, replace_marks=replace
        )

    def restore(self, marks: tuple[MarkState, ...], status: str | None) -> Register:
        return registers.restore_marks(self._db, *self.key, marks, status)

    def save_note(self, text: str) -> str:
        return registers.save_lesson_note(self._db, *self.key, text)
