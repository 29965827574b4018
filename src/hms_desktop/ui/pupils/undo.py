"""Undo and redo of progress writes: a recorded row is withdrawn on undo and put back on redo
(what it says never changes); a correction withdraws the row it replaces. Each is itself a
recorded change that syncs."""

from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QUndoCommand

from hms_desktop.data.engine import Database
from hms_desktop.domain.errors import HmsError
from hms_desktop.services.progress import Recorded, mark_target_achieved, withdraw

# Told after every undo or redo: (error message or None).
Done = Callable[[str | None], None]


class WithdrawCommand(QUndoCommand):
    """Pushed after the write: ``made`` rows were recorded, ``replaced`` rows withdrawn."""

    def __init__(
        self,
        text: str,
        db: Database,
        kind: Recorded,
        made: list[str],
        replaced: list[str],
        done: Done,
    ) -> None:
        super().__init__(text)
        self._db, self._kind = db, kind
        self.made, self.replaced = list(made), list(replaced)
        self._done = done
        self._first = True  # the write itself already happened

    def _apply(self, gone: list[str], back: list[str], which: str) -> None:
        try:
            withdraw(self._db, self._kind, gone, back)
        except HmsError as err:
            self.setObsolete(True)
            self._done(f"Could not {which} “{self.text()}”: {err}")
            return
        self._done(None)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply(self.replaced, self.made, "redo")

    def undo(self) -> None:
        self._apply(self.made, self.replaced, "undo")


class AchievedCommand(QUndoCommand):
    def __init__(
        self, text: str, db: Database, target_id: str, before: date | None, after: date | None,
        done: Done,
    ) -> None:  # fmt: skip
        super().__init__(text)
        self._db, self._target = db, target_id
        self._states = {"undo": before, "redo": after}
        self._done = done
        self._first = True

    def _apply(self, which: str) -> None:
        try:
            mark_target_achieved(self._db, self._target, self._states[which])
        except HmsError as err:
            self.setObsolete(True)
            self._done(f"Could not {which} “{self.text()}”: {err}")
            return
        self._done(None)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply("redo")

    def undo(self) -> None:
        self._apply("undo")
