"""The one shape of every undoable change in the app: the change is made first (through its
service, in one transaction); the command pushed afterwards does nothing on Qt's first redo, and
each later undo or redo is ``put(which)`` — one service call that is itself a recorded change
that syncs. A change that can no longer be put back is dropped from the stack (obsolete), and
the tutor is told why."""

from PySide6.QtGui import QUndoCommand

from hms_desktop.domain.errors import HmsError


class AfterTheChange(QUndoCommand):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._first = True  # the change already happened: the first redo does nothing

    def put(self, which: str) -> None:
        """Put things as they were ("undo") or as they became ("redo"); HmsError if not."""
        raise NotImplementedError

    def finished(self, which: str, error: str | None) -> None:
        """Tell the view: ``error`` says why it could not be put back, else None."""
        raise NotImplementedError

    def said(self, which: str) -> str:
        return f"{'Undone' if which == 'undo' else 'Redone'}: {self.text()}"

    def _apply(self, which: str) -> None:
        try:
            self.put(which)
        except HmsError as err:
            self.setObsolete(True)  # cannot be put back: drop it rather than pretend
            self.finished(which, f"Could not {which} “{self.text()}”: {err}")
            return
        self.finished(which, None)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply("redo")

    def undo(self) -> None:
        self._apply("undo")
