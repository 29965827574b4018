"""Undo and redo of register writes (Qt's undo framework). A write is made first; the command
pushed afterwards puts the earlier state back on undo and the later one on redo — each itself a
new recorded change that syncs like any other."""

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from hms_desktop.domain.errors import HmsError
from hms_desktop.services.views import MarkState, Register

from .backend import RegisterBackend


class RestoreCommand(QUndoCommand):
    def __init__(
        self,
        text: str,
        backend: RegisterBackend,
        before: tuple[MarkState, ...],
        after: tuple[MarkState, ...],
        status_before: str | None,
        status_after: str | None,
        done: Callable[[RegisterBackend, Register | None, str | None], None],
    ) -> None:
        super().__init__(text)
        self._backend = backend
        self._states = {"undo": (before, status_before), "redo": (after, status_after)}
        self._done = done
        self._made = True  # the write itself already happened: the first redo does nothing

    def _apply(self, which: str) -> None:
        marks, status = self._states[which]
        try:
            register = self._backend.restore(marks, status)
        except HmsError as err:
            self.setObsolete(True)  # cannot be put back: drop it rather than pretend
            self._done(self._backend, None, f"Could not {which} “{self.text()}”: {err}")
            return
        self._done(self._backend, register, None)

    def redo(self) -> None:
        if self._made:
            self._made = False
            return
        self._apply("redo")

    def undo(self) -> None:
        self._apply("undo")
