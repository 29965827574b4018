"""The Pupils page: each pupil's progress. Not built yet: the page says so."""

from ..common.context import PageContext
from ..common.not_yet import NotYetPage


def pupils_page(_context: PageContext) -> NotYetPage:
    return NotYetPage(
        "Pupils",
        "Not yet: pupil progress (levels, assessments, exam results, targets and attendance "
        "for each pupil) comes in a later version of HMS Tutor.\n\nMeanwhile, pupils are in "
        "each lesson's register on the Today page (Ctrl+1); hover over “Needs care” there "
        "for what you should know before the lesson.",
    )
