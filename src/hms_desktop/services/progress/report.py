"""The parents' progress report: what each pupil's page says, in sentences, for the printing
layer (certificates/report.py) to draw — one page per pupil, a batch for a group."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select

from hms_desktop.certificates.report import ReportContent, render_reports
from hms_desktop.data.engine import Database
from hms_desktop.data.models import Enrolment, Pupil
from hms_desktop.domain.errors import HmsError
from hms_desktop.domain.names import sort_key
from hms_desktop.domain.types import AssessmentKind

from ..certificates import term_name
from ..profile import current_tutor
from ..schedule import enrolled_on
from .pupil import pupil_page
from .views import AttendanceFigures, PupilPage


def _attendance(f: AttendanceFigures) -> str:
    if f.rate is None:
        return "No lessons have been recorded for this term yet."
    held = f.attended + f.missed
    text = f"Came to {f.attended} of {held} lessons this term ({round(f.rate * 100)}%)."
    if f.makeups_outstanding:
        lessons = "lesson is" if f.makeups_outstanding == 1 else "lessons are"
        text += f" {f.makeups_outstanding} make-up {lessons} still owed."
    return text


def _level_now(page: PupilPage) -> str:
    if not page.assessments:
        return "No level has been recorded yet."
    a = page.assessments[0]
    framework = "" if a.framework == "HMS Stages" else f" ({a.framework})"
    return f"{a.level}{framework} — {a.kind_label.lower()}, {a.assessed_on:%-d %B %Y}."


def report_content(page: PupilPage, tutor: str, on: date) -> ReportContent:
    d = page.details
    results = tuple(
        f"{a.assessed_on:%-d %b %Y}: {a.framework} {a.level}"
        + (f" — {a.result.capitalize()}" if a.result else "")
        + (f" ({a.mark} marks)" if a.mark is not None else "")
        for a in page.assessments
        if a.kind != AssessmentKind.TEACHER
    )
    targets = tuple(
        (f"Achieved {t.achieved_on:%-d %b}: {t.text}" if t.achieved_on else f"Working on: {t.text}")
        for t in page.targets
    )
    instruments = sorted({e.instrument for e in page.enrolments if e.instrument and not e.end_date})
    return ReportContent(
        pupil_name=d.name,
        school=d.school,
        year_group=d.year_group,
        instrument=", ".join(instruments),
        period=term_name(on),
        level_now=_level_now(page),
        chart=page.chart,
        attendance=_attendance(page.term),
        results=results,
        targets=targets,
        comment=page.notes[0].text if page.notes else "",
        tutor_name=tutor,
        written_on=on,
    )


def report_pupils(db: Database, group_id: str, on: date) -> list[str]:
    """A group's pupils on ``on``, in name order."""
    with db.reading() as session:
        pupils = session.scalars(
            select(Pupil)
            .join(Enrolment, Enrolment.pupil_id == Pupil.id)
            .where(Enrolment.group_id == group_id, enrolled_on(on))
        ).all()
        return [p.id for p in sorted(pupils, key=lambda p: sort_key(p.family_name + p.given_name))]


def save_reports(
    db: Database,
    pupil_ids: list[str],
    on: date,
    out: Path | str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """One PDF with a report page per pupil; nothing on disk unless the batch completes."""
    if not pupil_ids:
        raise HmsError("No pupils to report on: choose a group with pupils.")
    with db.reading() as session:
        tutor = current_tutor(session)
        tutor_name = tutor.name if tutor else ""
    items = [report_content(pupil_page(db, p, on), tutor_name, on) for p in pupil_ids]
    return render_reports(items, out, progress, cancelled)
