"""What the shell hands each page: the database, the app-wide events, the undo stack and how to
reach central — never the whole window."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtGui import QUndoStack

from hms_desktop.data import clock
from hms_desktop.data.engine import Database
from hms_desktop.sync.client import CentralClient

from .events import DataEvents


@dataclass
class PageContext:
    db: Database
    events: DataEvents
    undo: QUndoStack
    client_factory: Callable[[str], CentralClient] = CentralClient
    today: Callable[[], date] = field(default=lambda: clock.today())
    # Where a page shows a passing message (the window's status bar).
    say: Callable[[str], None] = lambda _text: None
