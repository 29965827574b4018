"""Undo and redo of roster and performance changes: the change is made first; the command
pushed afterwards puts things back as they were on undo (and as they became on redo), each a new
recorded change that syncs."""

from collections.abc import Callable

from hms_desktop.data.engine import Database
from hms_desktop.services.ensembles import (
    MemberState,
    PerformanceEdit,
    PerformanceState,
    Roster,
    edit_performance,
    restore_members,
    restore_performance,
    set_performed,
    withdraw_performance,
)

from ..common.undo import AfterTheChange


class RosterCommand(AfterTheChange):
    """Members back where they were (undo) or went (redo)."""

    def __init__(
        self,
        text: str,
        db: Database,
        ensemble_id: str,
        before: tuple[MemberState, ...],
        after: tuple[MemberState, ...],
        done: Callable[[Roster | None, str], None],
    ) -> None:
        super().__init__(text)
        self._db, self._ensemble = db, ensemble_id
        self._states = {"undo": before, "redo": after}
        self._done = done
        self._roster: Roster | None = None

    def put(self, which: str) -> None:
        self._roster = restore_members(self._db, self._ensemble, self._states[which])

    def finished(self, which: str, error: str | None) -> None:
        self._done(None if error else self._roster, error or self.said(which))


# Told after every performance undo or redo: (the performance, what to tell the tutor).
PerformanceDone = Callable[[str, str], None]


class _PerformanceCommand(AfterTheChange):
    """A performance change already made; ``put(which)`` is one service call."""

    def __init__(self, text: str, db: Database, performance_id: str, done: PerformanceDone):
        super().__init__(text)
        self._db, self._performance = db, performance_id
        self._done = done

    def finished(self, which: str, error: str | None) -> None:
        self._done(self._performance, error or self.said(which))


class NewPerformanceCommand(_PerformanceCommand):
    """Undo takes the new performance back (with its performers); redo puts it back as it was."""

    _state: PerformanceState | None = None

    def put(self, which: str) -> None:
        if which == "undo":
            self._state = withdraw_performance(self._db, self._performance)
        elif self._state is not None:
            restore_performance(self._db, self._state)


class EditPerformanceCommand(_PerformanceCommand):
    def __init__(
        self, text: str, db: Database, edit: PerformanceEdit, done: PerformanceDone
    ) -> None:
        super().__init__(text, db, edit.after.performance_id, done)
        self._states = {"undo": edit.before, "redo": edit.after}

    def put(self, which: str) -> None:
        s = self._states[which]
        edit_performance(self._db, s.performance_id, s.title, s.performed_on, s.venue)


class PerformedCommand(_PerformanceCommand):
    def __init__(
        self,
        text: str,
        db: Database,
        performance_id: str,
        pupil_id: str,
        performed: bool,
        done: PerformanceDone,
    ) -> None:
        super().__init__(text, db, performance_id, done)
        self._pupil = pupil_id
        self._states = {"undo": not performed, "redo": performed}

    def put(self, which: str) -> None:
        set_performed(self._db, self._performance, self._pupil, self._states[which])
