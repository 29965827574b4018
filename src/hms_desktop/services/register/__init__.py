"""Taking a register: open it, mark a pupil, clear a mark, set the lesson's status, undo, and
the registers not yet taken. Public functions take the Database and run one transaction each."""

from .reading import register_of
from .untaken import untaken_registers
from .writing import (
    COMMENT_LIMIT,
    NOTE_LIMIT,
    change_lesson_status,
    clear_mark,
    mark_attendance,
    mark_unmarked_present,
    record_mark,
    restore_marks,
    save_lesson_note,
    set_lesson_status,
)

__all__ = [
    "COMMENT_LIMIT",
    "NOTE_LIMIT",
    "change_lesson_status",
    "clear_mark",
    "mark_attendance",
    "mark_unmarked_present",
    "open_register",
    "record_mark",
    "restore_marks",
    "save_lesson_note",
    "set_lesson_status",
    "untaken_registers",
]


def open_register(db, group_id, day):
    """One lesson's register as the tutor sees it now."""
    with db.reading() as session:
        return register_of(session, group_id, day)
