"""Pupil progress: finding a pupil, their page, recording assessments, notes and targets, the
group assessment, and the figures a parents' report prints."""

from .group import group_pupils, my_groups
from .pupil import assessments_by_id, pupil_page
from .recording import (
    InvalidProgress,
    Recorded,
    frameworks,
    mark_target_achieved,
    record_assessment,
    set_target,
    withdraw,
    withdraw_assessments,
    write_note,
)
from .search import find_pupils

__all__ = [
    "InvalidProgress",
    "Recorded",
    "assessments_by_id",
    "find_pupils",
    "frameworks",
    "group_pupils",
    "mark_target_achieved",
    "my_groups",
    "pupil_page",
    "record_assessment",
    "set_target",
    "withdraw",
    "withdraw_assessments",
    "write_note",
]
