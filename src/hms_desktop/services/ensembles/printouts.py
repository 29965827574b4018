"""Printouts of an ensemble: the seating plan, the roster by section and a paper register for a
rehearsal. Only names, schools, instruments, sections and seats go on paper."""

from datetime import date
from pathlib import Path

from hms_desktop.certificates import roster_sheets, seating
from hms_desktop.certificates.roster_sheets import Sheet, SheetRow
from hms_desktop.certificates.seating import Plan, Seat, Section
from hms_desktop.data.engine import Database

from .rehearsals import open_rehearsal
from .roster import roster_of
from .views import Roster


def plan_of(roster: Roster) -> Plan:
    e = roster.ensemble
    sections = tuple(
        Section(
            s.name,
            tuple(Seat(r.name, r.seat) for r in roster.rows if r.section_id == s.section_id),
        )
        for s in roster.sections
    )
    return Plan(
        title=e.name,
        subtitle=f"Seating plan · {e.venue} · {e.slot} · {e.members} members",
        kind=e.kind,
        sections=sections,
    )


def seating_plan_pdf(db: Database, ensemble_id: str, out: Path | str) -> Path:
    """Draw the ensemble's seating plan as it stands now into a PDF at ``out``."""
    return seating.render_seating_plan(plan_of(roster_of(db, ensemble_id)), out)


def _sheet(roster: Roster, subtitle: str) -> Sheet:
    return Sheet(
        title=roster.ensemble.name,
        subtitle=subtitle,
        rows=tuple(
            SheetRow(r.section, r.seat, r.name, r.school, r.instrument) for r in roster.rows
        ),
    )


def roster_pdf(db: Database, ensemble_id: str, out: Path | str) -> Path:
    """The roster by section in seat order as a PDF at ``out``."""
    roster = roster_of(db, ensemble_id)
    e = roster.ensemble
    return roster_sheets.render_roster(
        _sheet(roster, f"Roster · {e.venue} · {e.slot} · {e.members} members"), out
    )


def paper_register_pdf(db: Database, ensemble_id: str, day: date, out: Path | str) -> Path:
    """A rehearsal's register on paper, for when the laptop cannot be used; the day must be
    in the season (the register's own rule)."""
    open_rehearsal(db, ensemble_id, day)
    roster = roster_of(db, ensemble_id)
    subtitle = f"Rehearsal register · {day:%A %-d %B %Y} · {roster.ensemble.venue}"
    return roster_sheets.render_paper_register(_sheet(roster, subtitle), out)


def default_name(roster: Roster, what: str, day: date | None = None) -> str:
    stem = "".join(ch if ch.isalnum() else "-" for ch in roster.ensemble.name).strip("-")
    return f"{stem}-{what}{f'-{day.isoformat()}' if day else ''}.pdf"
