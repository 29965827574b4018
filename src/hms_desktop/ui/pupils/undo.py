"""Undo and redo of progress writes: a recorded row is withdrawn on undo and put back on redo
(what it says never changes); a correction withdraws the row it replaces. Each is itself a
recorded change that syncs."""

from collections.abc import Callable
from datetime import date

from hms_desktop.data.engine import Database
from hms_desktop.services.progress import Recorded, mark_target_achieved, withdraw

from ..common.undo import AfterTheChange

# Told after every undo or redo: (error message or None).
Done = Callable[[str | None], None]


class _AfterWrite(AfterTheChange):
    """Pushed after the write was made; ``put(which)`` withdraws or puts back."""

    def __init__(self, text: str, done: Done) -> None:
        super().__init__(text)
        self._done = done

    def finished(self, which: str, error: str | None) -> None:
        self._done(error)


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

    def put(self, which: str) -> None:
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

    def put(self, which: str) -> None:
        mark_target_achieved(self._db, self._target, self._states[which])
