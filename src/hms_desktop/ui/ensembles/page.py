"""The Ensembles page: rosters, seating and rehearsal registers. Not built yet: the page says so."""

from ..common.context import PageContext
from ..common.not_yet import NotYetPage


def ensembles_page(_context: PageContext) -> NotYetPage:
    return NotYetPage(
        "Ensembles",
        "Not yet: ensemble rosters by section and seat, rehearsal registers, performances and "
        "seating plans come in a later version of HMS Tutor.\n\nMeanwhile, ensemble "
        "participation certificates can be printed from a lesson's register (Certificates…).",
    )
