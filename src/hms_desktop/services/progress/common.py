"""What the progress services share: whose pupils these are, terms, latest levels, names."""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from hms_desktop.data.models import (
    Assessment,
    Enrolment,
    Ensemble,
    EnsembleMember,
    Framework,
    FrameworkLevel,
    Pupil,
    TeachingGroup,
)
from hms_desktop.domain.names import display_name
from hms_desktop.domain.types import AssessmentKind

from ..profile import TUTOR_ID, get_setting, leads_or_helps

KIND_LABELS = {
    AssessmentKind.TEACHER: "Teacher assessment",
    AssessmentKind.EXAM: "Exam",
    AssessmentKind.MEDAL: "Medal",
}


def pupil_name(p: Pupil) -> str:
    return display_name(p.given_name, p.family_name, p.preferred_name, p.family_name_first)


def mine(session: Session) -> ColumnElement[bool]:
    """Whether a pupil is the tutor's: enrolled in one of their groups, or in an ensemble they
    lead. Checked per pupil through the indexes, so a search that scans names in order stops
    as soon as it has a page (a list of all the tutor's pupils would be built every time)."""
    me = get_setting(session, TUTOR_ID)
    taught = (
        select(Enrolment.id)
        .join(TeachingGroup, TeachingGroup.id == Enrolment.group_id)
        .where(Enrolment.pupil_id == Pupil.id, TeachingGroup.tutor_id == me)
    )
    led = (
        select(EnsembleMember.id)
        .join(Ensemble, Ensemble.id == EnsembleMember.ensemble_id)
        .where(
            EnsembleMember.pupil_id == Pupil.id,
            leads_or_helps(me),
            EnsembleMember.deleted_at.is_(None),
        )
    )
    return or_(taught.exists(), led.exists())


def term_bounds(session: Session, on: date) -> tuple[date, date]:
    """This term: the span of the tutor's groups running on ``on`` (else the last 4 months)."""
    me = get_setting(session, TUTOR_ID)
    first, last = session.execute(
        select(func.min(TeachingGroup.term_start), func.max(TeachingGroup.term_end)).where(
            TeachingGroup.tutor_id == me,
            TeachingGroup.term_start <= on,
            TeachingGroup.term_end >= on,
        )
    ).one()
    if first is None:
        return date.fromordinal(on.toordinal() - 120), on
    return first, last


def year_bounds(on: date) -> tuple[date, date]:
    """The academic year (1 September to 31 August) holding ``on``."""
    start = on.year if on.month >= 9 else on.year - 1
    return date(start, 9, 1), date(start + 1, 8, 31)


def level_label(framework: str, level: str, framework_kind: str) -> str:
    """ "Stage 3" needs no framework named; a grade says whose ("Grade 3 (ABRSM)")."""
    return level if framework_kind == "stages" else f"{level} ({framework})"


def latest_levels(session: Session, pupil_ids: Iterable[str]) -> dict[str, str]:
    """Each pupil's latest recorded level, as a label."""
    ids = list(pupil_ids)
    latest: dict[str, str] = {}
    for chunk in range(0, len(ids), 500):
        rows = session.execute(
            select(Assessment.pupil_id, FrameworkLevel.name, Framework.name, Framework.kind)
            .join(FrameworkLevel, FrameworkLevel.id == Assessment.level_id)
            .join(Framework, Framework.id == FrameworkLevel.framework_id)
            .where(
                Assessment.pupil_id.in_(ids[chunk : chunk + 500]),
                Assessment.deleted_at.is_(None),
            )
            .order_by(Assessment.assessed_on, Assessment.updated_at)
        )
        for pupil_id, level, framework, kind in rows:
            latest[pupil_id] = level_label(framework, level, kind)
    return latest
