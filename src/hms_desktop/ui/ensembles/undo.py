"""Undo and redo of roster changes: the change is made first; the command pushed afterwards puts
the members back where they were on undo (and where they went on redo), each a new recorded
change that syncs."""

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from hms_desktop.data.engine import Database
from hms_desktop.domain.errors import HmsError
from hms_desktop.services.ensembles import MemberState, Roster, restore_members


class RosterCommand(QUndoCommand):
    def __init__(
        self,
        text: str,
        db: Database,
        ensemble_id: str,
        before: tuple[MemberState, ...],
        after: tuple[MemberState, ...],
        done: Callable[[Roster | None, str | None], None],
    ) -> None:
        super().__init__(text)
        self._db, self._ensemble = db, ensemble_id
        self._states = {"undo": before, "redo": after}
        self._done = done
        self._made = True  # the change already happened: the first redo does nothing

    def _apply(self, which: str) -> None:
        try:
            roster = restore_members(self._db, self._ensemble, self._states[which])
        except HmsError as err:
            self.setObsolete(True)
            self._done(None, f"Could not {which} “{self.text()}”: {err}")
            return
        self._done(roster, None)

    def redo(self) -> None:
        if self._made:
            self._made = False
            return
        self._apply("redo")

    def undo(self) -> None:
        self._apply("undo")
