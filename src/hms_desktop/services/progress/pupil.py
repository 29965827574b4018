"""One pupil's page: who they are, where they learn, how often they come, and how far they
have got — all read in one unit of work."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.data.engine import Database
from hms_desktop.data.models import (
    Assessment,
    Enrolment,
    Framework,
    FrameworkLevel,
    Instrument,
    ProgressNote,
    Pupil,
    School,
    Target,
    TeachingGroup,
)
from hms_desktop.domain.errors import NotFound
from hms_desktop.domain.types import AssessmentKind, GroupKind

from .attendance import figures
from .common import KIND_LABELS, pupil_name, term_bounds, year_bounds
from .views import (
    AssessmentLine,
    EnrolmentLine,
    LevelPoint,
    LevelSeries,
    NoteLine,
    PupilDetails,
    PupilPage,
    TargetLine,
)

GROUP_KINDS = {k.value for k in GroupKind}
KIND_VALUES = {k.value for k in AssessmentKind}


def _details(session: Session, pupil: Pupil) -> PupilDetails:
    flags = [
        label
        for label, on in (
            ("Pupil premium", pupil.pupil_premium),
            ("Free school meals", pupil.free_school_meals),
            ("SEN support", pupil.sen_support),
            ("EHCP", pupil.ehcp),
        )
        if on
    ]
    school = session.get(School, pupil.school_id)
    return PupilDetails(
        pupil_id=pupil.id,
        name=pupil_name(pupil),
        given_name=pupil.given_name,
        family_name=pupil.family_name,
        preferred_name=pupil.preferred_name or "",
        school=school.name if school else "",
        year_group=pupil.year_group,
        gender=pupil.gender or "",
        status=pupil.status,
        flags=tuple(flags),
        photo_consent=pupil.photo_consent,
        care_note=pupil.medical_note
        or (f"At rehearsal: {pupil.rehearsal_note}" if pupil.rehearsal_note else ""),
    )


def _enrolments(session: Session, pupil_id: str) -> tuple[EnrolmentLine, ...]:
    rows = session.execute(
        select(Enrolment, TeachingGroup, School.name, Instrument.name)
        .join(TeachingGroup, TeachingGroup.id == Enrolment.group_id)
        .join(School, School.id == TeachingGroup.school_id)
        .outerjoin(Instrument, Instrument.id == Enrolment.instrument_id)
        .where(Enrolment.pupil_id == pupil_id)
        .order_by(Enrolment.start_date.desc())
    ).all()
    return tuple(
        EnrolmentLine(
            group_id=group.id,
            group=group.name,
            school=school,
            kind=GroupKind(group.kind).label if group.kind in GROUP_KINDS else group.kind,
            instrument=instrument or "",
            start_date=e.start_date,
            end_date=e.end_date,
        )
        for e, group, school, instrument in rows
    )


def assessment_lines(
    session: Session, pupil_id: str | None, ids: list[str] | None = None
) -> tuple[AssessmentLine, ...]:
    """A pupil's assessments (or those with the given ids) still counting, newest first."""
    which = Assessment.pupil_id == pupil_id if ids is None else Assessment.id.in_(ids)
    rows = session.execute(
        select(Assessment, FrameworkLevel, Framework.name, Instrument.name)
        .join(FrameworkLevel, FrameworkLevel.id == Assessment.level_id)
        .join(Framework, Framework.id == FrameworkLevel.framework_id)
        .outerjoin(Instrument, Instrument.id == Assessment.instrument_id)
        .where(which, Assessment.deleted_at.is_(None))
        .order_by(Assessment.assessed_on.desc(), Assessment.updated_at.desc())
    ).all()
    return tuple(
        AssessmentLine(
            assessment_id=a.id,
            assessed_on=a.assessed_on,
            framework=framework,
            level_id=level.id,
            level=level.name,
            ordinal=level.ordinal,
            kind=a.kind,
            kind_label=KIND_LABELS.get(AssessmentKind(a.kind), a.kind)
            if a.kind in KIND_VALUES
            else a.kind,
            result=a.result,
            mark=a.mark,
            comment=a.comment,
            instrument=instrument or "",
        )
        for a, level, framework, instrument in rows
    )


def assessments_by_id(db: Database, ids: list[str]) -> dict[str, AssessmentLine]:
    """Which of these assessments still count (not withdrawn by an undo), and what they say."""
    with db.reading() as session:
        return {a.assessment_id: a for a in assessment_lines(session, None, ids)}


def chart_series(session: Session, lines: tuple[AssessmentLine, ...]) -> tuple[LevelSeries, ...]:
    """Each framework the pupil has a level in, oldest point first; the framework assessed
    most recently comes first."""
    order: list[str] = []
    for line in lines:  # newest first
        if line.framework not in order:
            order.append(line.framework)
    series = []
    for name in order:
        levels = tuple(
            session.scalars(
                select(FrameworkLevel.name)
                .join(Framework, Framework.id == FrameworkLevel.framework_id)
                .where(Framework.name == name)
                .order_by(FrameworkLevel.ordinal)
            )
        )
        points = tuple(
            LevelPoint(line.assessed_on, line.ordinal, line.level)
            for line in reversed(lines)
            if line.framework == name
        )
        series.append(LevelSeries(name, levels, points))
    return tuple(series)


def note_lines(session: Session, pupil_id: str) -> tuple[NoteLine, ...]:
    """Each note as its latest revision, with the earlier ones behind it."""
    notes = list(
        session.scalars(
            select(ProgressNote)
            .where(ProgressNote.pupil_id == pupil_id, ProgressNote.deleted_at.is_(None))
            .order_by(ProgressNote.written_at)
        )
    )
    revised = {n.revises_id for n in notes if n.revises_id}
    by_id = {n.id: n for n in notes}
    lines = []
    for note in reversed(notes):
        if note.id in revised:
            continue
        earlier, step = [], by_id.get(note.revises_id or "")
        while step is not None:
            earlier.append((step.written_at, step.text))
            step = by_id.get(step.revises_id or "")
        lines.append(NoteLine(note.id, note.text, note.written_at, tuple(earlier)))
    return tuple(lines)


def target_lines(session: Session, pupil_id: str) -> tuple[TargetLine, ...]:
    targets = session.scalars(
        select(Target)
        .where(Target.pupil_id == pupil_id, Target.deleted_at.is_(None))
        .order_by(Target.achieved_on.is_not(None), Target.set_on.desc())
    )
    return tuple(TargetLine(t.id, t.text, t.set_on, t.achieved_on) for t in targets)


def pupil_page(db: Database, pupil_id: str, on: date) -> PupilPage:
    """Everything the pupil page shows, as of ``on`` (today)."""
    with db.reading() as session:
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("That pupil is no longer on this laptop.")
        term_first, term_last = term_bounds(session, on)
        year_first, year_last = year_bounds(on)
        lines = assessment_lines(session, pupil_id)
        return PupilPage(
            details=_details(session, pupil),
            enrolments=_enrolments(session, pupil_id),
            term=figures(session, pupil_id, "This term", term_first, min(term_last, on)),
            year=figures(session, pupil_id, "This year", year_first, min(year_last, on)),
            assessments=lines,
            chart=chart_series(session, lines),
            notes=note_lines(session, pupil_id),
            targets=target_lines(session, pupil_id),
        )
