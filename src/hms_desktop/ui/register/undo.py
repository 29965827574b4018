"""Undo and redo of register writes (Qt's undo framework). A write is made first; the command
pushed afterwards puts the earlier state back on undo and the later one on redo — each itself a
new recorded change that syncs like any other."""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand

from hms_desktop.domain.errors import HmsError
from hms_desktop.services.views import MarkState, Register

from .backend import RegisterBackend


@dataclass(frozen=True)
class Restored:
    """What an undo or redo did, for the view to show where and what."""

    backend: RegisterBackend
    register: Register | None
    error: str | None
    said: str = ""
    pupils: tuple[str, ...] = ()


class RestoreCommand(QUndoCommand):
    def __init__(
        self,
        text: str,
        backend: RegisterBackend,
        before: tuple[MarkState, ...],
        after: tuple[MarkState, ...],
        status_before: str | None,
        status_after: str | None,
        done: Callable[["Restored"], None],
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
            self._done(Restored(self._backend, None, f"Could not {which} “{self.text()}”: {err}"))
            return
        before, _ = self._states["undo"]
        after, _ = self._states["redo"]
        changed = tuple(m.pupil_id for m, n in zip(before, after, strict=True) if m != n)
        said = f"{'Undone' if which == 'undo' else 'Redone'}: {self.text()}"
        self._done(Restored(self._backend, register, None, said, changed))

    def redo(self) -> None:
        if self._made:
            self._made = False
            return
        self._apply("redo")

    def undo(self) -> None:
        self._apply("undo")
