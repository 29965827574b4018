"""Ensembles: rosters by section and seat, moves, rehearsal registers. Public functions take the
Database and run one transaction each; frozen dataclasses (views.py) come out."""

from .moves import add_member, mark_left, move_member, restore_members
from .performances import (
    PerformanceEdit,
    PerformanceState,
    PerformanceSummary,
    Performer,
    add_performance,
    edit_performance,
    performances_of,
    performers_of,
    restore_performance,
    set_performed,
    withdraw_performance,
)
from .rehearsals import (
    clear_rehearsal_mark,
    mark_rest_present,
    open_rehearsal,
    record_rehearsal_mark,
    restore_rehearsal_marks,
    save_rehearsal_note,
)
from .roster import RosterProblem, my_ensembles, pupils_to_add, roster_of
from .sections import SectionOrder, move_section, reorder_sections
from .timetable import rehearsals_on
from .untaken import untaken_rehearsals_in
from .views import EnsembleSummary, MemberState, Roster, RosterChange, RosterRow, SeatRule

__all__ = [
    "EnsembleSummary",
    "MemberState",
    "PerformanceEdit",
    "PerformanceState",
    "PerformanceSummary",
    "Performer",
    "Roster",
    "RosterChange",
    "RosterProblem",
    "RosterRow",
    "SeatRule",
    "SectionOrder",
    "add_member",
    "add_performance",
    "clear_rehearsal_mark",
    "edit_performance",
    "mark_left",
    "mark_rest_present",
    "move_member",
    "move_section",
    "my_ensembles",
    "open_rehearsal",
    "performances_of",
    "performers_of",
    "pupils_to_add",
    "record_rehearsal_mark",
    "rehearsals_on",
    "reorder_sections",
    "restore_members",
    "restore_performance",
    "restore_rehearsal_marks",
    "roster_of",
    "save_rehearsal_note",
    "set_performed",
    "untaken_rehearsals_in",
    "withdraw_performance",
]
