"""An ensemble rehearsal's register for the register core: the ensemble codes, the members on
the roster that day, the same keyboard flow and undo as a lesson."""

from datetime import date

from hms_desktop.data.engine import Database
from hms_desktop.domain.types import LessonStatus
from hms_desktop.services import ensembles
from hms_desktop.services.views import MarkChange, MarkState, Register, StatusChange

from .backend import REHEARSAL_WORDS, StatusButton


class RehearsalRegister:
    """One ensemble's rehearsal on one day. A rehearsal has no whole-register cancellations
    (the office records those); F8 marks everyone not yet marked present."""

    statuses: tuple[StatusButton, ...] = ()
    words = REHEARSAL_WORDS

    def __init__(self, db: Database, ensemble_id: str, day: date) -> None:
        self._db = db
        self.key = (ensemble_id, day)

    def open(self) -> Register:
        return ensembles.open_rehearsal(self._db, *self.key)

    def mark(self, pupil_id: str, code: str, comment: str | None) -> MarkChange:
        return ensembles.record_rehearsal_mark(self._db, *self.key, pupil_id, code, comment)

    def clear(self, pupil_id: str) -> MarkChange:
        return ensembles.clear_rehearsal_mark(self._db, *self.key, pupil_id)

    def set_status(self, status: LessonStatus, comment: str, replace: bool) -> StatusChange:
        return ensembles.mark_rest_present(self._db, *self.key, status, replace)

    def restore(self, marks: tuple[MarkState, ...], status: str | None) -> Register:
        return ensembles.restore_rehearsal_marks(self._db, *self.key, marks, status)

    def save_note(self, text: str) -> str:
        return ensembles.save_rehearsal_note(self._db, *self.key, text)
