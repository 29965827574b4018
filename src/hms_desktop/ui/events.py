"""One app-wide signal saying what changed, so each view decides for itself whether to redraw."""

from PySide6.QtCore import QObject, Signal


class DataEvents(QObject):
    # kind ("attendance", "lesson", …) and the ids of the lessons/rows it touched
    data_changed = Signal(str, list)
