"""Ensembles: rosters by section and seat, moves, rehearsal registers. Public functions take the
Database and run one transaction each; frozen dataclasses (views.py) come out."""

from .rehearsals import (
    clear_rehearsal_mark,
    mark_rest_present,
    open_rehearsal,
    record_rehearsal_mark,
    rehearsals_on,
    restore_rehearsal_marks,
    save_rehearsal_note,
)
from .roster import (
    RosterProblem,
    add_member,
    mark_left,
    move_member,
    my_ensembles,
    pupils_to_add,
    restore_members,
    roster_of,
)
from .views import EnsembleSummary, MemberState, Roster, RosterChange, RosterRow, SeatRule

__all__ = [
    "EnsembleSummary",
    "MemberState",
    "Roster",
    "RosterChange",
    "RosterProblem",
    "RosterRow",
    "SeatRule",
    "add_member",
    "clear_rehearsal_mark",
    "mark_left",
    "mark_rest_present",
    "move_member",
    "my_ensembles",
    "open_rehearsal",
    "pupils_to_add",
    "record_rehearsal_mark",
    "rehearsals_on",
    "restore_members",
    "restore_rehearsal_marks",
    "roster_of",
    "save_rehearsal_note",
]
