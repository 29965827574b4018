"""One app-wide signal saying what changed, so each view decides for itself whether to redraw."""

from enum import StrEnum

from PySide6.QtCore import QObject, Signal


class ChangeKind(StrEnum):
    """What a write touched: the views listening decide what to redraw."""

    ATTENDANCE = "attendance"  # one or more marks of a lesson
    LESSON = "lesson"  # a lesson's status or note
    CERTIFICATE = "certificate"
    PROGRESS = "progress"  # a pupil's assessments, notes or targets (ids: pupils)
    ROSTER = "roster"  # an ensemble's members, sections or seats
    PERFORMANCE = "performance"  # a performance and who performed
    SYNC = "sync"  # a sync finished: anything pulled may have changed
    ACCOUNT = "account"  # signed in or out
    ATTENTION = "attention"  # a Needs-attention item settled (ids: op ids)


class DataEvents(QObject):
    # kind (a ChangeKind value) and the ids of the lessons/rows it touched
    data_changed = Signal(str, list)

    def changed(self, kind: ChangeKind, ids: list[str] | None = None) -> None:
        self.data_changed.emit(kind.value, list(ids or []))
