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


class _AfterWrite(QUndoCommand):
    """Pushed after the write was made: the first redo does nothing; each later undo or redo
    calls ``_put(which)``; one that cannot be put back is dropped, and the tutor told why."""

    def __init__(self, text: str, done: Done) -> None:
        super().__init__(text)
        self._done = done
        self._first = True

    def _put(self, which: str) -> None:
        raise NotImplementedError

    def _apply(self, which: str) -> None:
        try:
            self._put(which)
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


class WithdrawCommand(_AfterWrite):
    """``made`` rows were recorded and ``replaced`` rows withdrawn by the write."""

    def __init__(
        self,
        text: str,
        db: Database,
        kind: Recorded,
        made: list[str],
        replaced: list[str],
        done: Done,
    ) -> None:
        super().__init__(text, done)
        self._db, self._kind = db, kind
        self.made, self.replaced = list(made), list(replaced)

    def _put(self, which: str) -> None:
        if which == "undo":
            withdraw(self._db, self._kind, self.made, self.replaced)
        else:
            withdraw(self._db, self._kind, self.replaced, self.made)


class AchievedCommand(_AfterWrite):
    def __init__(
        self, text: str, db: Database, target_id: str, before: date | None, after: date | None,
        done: Done,
    ) -> None:  # fmt: skip
        super().__init__(text, done)
        self._db, self._target = db, target_id
        self._states = {"undo": before, "redo": after}

    def _put(self, which: str) -> None:
        mark_target_achieved(self._db, self._target, self._states[which])
