"""Undo and redo of register writes (Qt's undo framework). A write is made first; the command
pushed afterwards puts the earlier state back on undo and the later one on redo — each itself a
new recorded change that syncs like any other."""

from collections.abc import Callable
from dataclasses import dataclass

from hms_desktop.services.views import MarkState, Register

from ..common.undo import AfterTheChange
from .backend import RegisterBackend


@dataclass(frozen=True)
class Restored:
    """What an undo or redo did, for the view to show where and what."""

    backend: RegisterBackend
    register: Register | None
    error: str | None
    said: str = ""
    pupils: tuple[str, ...] = ()


class RestoreCommand(AfterTheChange):
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
        self._register: Register | None = None

    def put(self, which: str) -> None:
        marks, status = self._states[which]
        self._register = self._backend.restore(marks, status)

    def finished(self, which: str, error: str | None) -> None:
        if error:
            self._done(Restored(self._backend, None, error))
            return
        before, _ = self._states["undo"]
        after, _ = self._states["redo"]
        changed = tuple(m.pupil_id for m, n in zip(before, after, strict=True) if m != n)
        self._done(Restored(self._backend, self._register, None, self.said(which), changed))
