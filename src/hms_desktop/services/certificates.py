"""Issuing certificates: who gets one and what it says, the stored record, and reprints.

A certificate is a record (serial number, verification code) that syncs like any other change;
a reprint draws the same certificate from the record.
"""

import base64
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from hms_desktop.certificates.content import CertificateContent, Template, problems_with_name
from hms_desktop.certificates.render import render_batch
from hms_desktop.data.engine import Database
from hms_desktop.data.models import (
    Assessment,
    Certificate,
    Enrolment,
    Ensemble,
    EnsembleMember,
    FrameworkLevel,
    Instrument,
    Performance,
    PerformanceMember,
    Pupil,
    Tutor,
)
from hms_desktop.domain.errors import HmsError, NotFound
from hms_desktop.domain.names import display_name, sort_key

from .profile import SettingKey, current_tutor, get_setting
from .schedule import enrolled_on

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread


@dataclass(frozen=True)
class PlannedCertificate:
    pupil_id: str
    pupil_name: str
    wording: str
    level_id: str | None
    level_text: str | None


@dataclass(frozen=True)
class PrintedFrom:
    """Where a batch was printed from, when that decides what it says: an ensemble's roster, or
    one of its performances. None: the pupils' own (a lesson's group, a pupil)."""

    ensemble_id: str
    performance_id: str | None = None


@dataclass(frozen=True)
class CertificatePlan:
    template: Template
    ready: tuple[PlannedCertificate, ...]
    missing: tuple[str, ...]  # one line per pupil who cannot have this certificate, and why


def academic_year(on: date) -> str:
    start = on.year if on.month >= 9 else on.year - 1
    return f"{start}–{str(start + 1)[-2:]}"


def term_name(on: date) -> str:
    term = "Autumn" if on.month >= 9 else "Spring" if on.month <= 3 else "Summer"
    return f"{term} term {on.year}"


def _instrument(session: Session, pupil_id: str) -> str | None:
    return session.scalar(
        select(Instrument.name)
        .join(Enrolment, Enrolment.instrument_id == Instrument.id)
        .where(Enrolment.pupil_id == pupil_id)
        .order_by(Enrolment.start_date.desc())
        .limit(1)
    )


def _latest(session: Session, pupil_id: str, kinds: tuple[str, ...]):
    return session.execute(
        select(Assessment, FrameworkLevel.name, Instrument.name)
        .join(FrameworkLevel, FrameworkLevel.id == Assessment.level_id)
        .outerjoin(Instrument, Instrument.id == Assessment.instrument_id)
        .where(
            Assessment.pupil_id == pupil_id,
            Assessment.kind.in_(kinds),
            Assessment.deleted_at.is_(None),
        )
        .order_by(Assessment.assessed_on.desc())
        .limit(1)
    ).first()


def _taking_part(ensemble: Ensemble) -> str:
    """A choir sings; every other ensemble plays."""
    return "singing" if ensemble.kind == "choir" else "playing"


def _ensemble_wording(
    session: Session, pupil_id: str, on: date, source: PrintedFrom | None
) -> tuple[str, None, None] | str:
    """For playing (singing, in a choir) in the ensemble printed from, or performing in its
    performance; printed from elsewhere, the pupil's own ensemble."""
    member = (
        select(Ensemble)
        .join(EnsembleMember, EnsembleMember.ensemble_id == Ensemble.id)
        .where(
            EnsembleMember.pupil_id == pupil_id,
            EnsembleMember.left_on.is_(None),
            EnsembleMember.deleted_at.is_(None),
        )
        .order_by(Ensemble.name)
        .limit(1)
    )
    if source is None:
        ensemble = session.scalar(member)
        if ensemble is None:
            return "is not a member of an ensemble"
        return f"for {_taking_part(ensemble)} in {ensemble.name}, {academic_year(on)}", None, None
    chosen = session.get(Ensemble, source.ensemble_id)
    if chosen is None:
        raise NotFound("That ensemble is not on this laptop; nothing printed.")
    if source.performance_id is None:
        if session.scalar(member.where(Ensemble.id == chosen.id)) is None:
            return f"is not a member of {chosen.name}"
        return f"for {_taking_part(chosen)} in {chosen.name}, {academic_year(on)}", None, None
    performance = session.get(Performance, source.performance_id)
    if performance is None or performance.ensemble_id != chosen.id:
        raise NotFound(f"That performance of {chosen.name} is not on this laptop; nothing printed.")
    performed = session.scalar(
        select(PerformanceMember.id).where(
            PerformanceMember.performance_id == performance.id,
            PerformanceMember.pupil_id == pupil_id,
            PerformanceMember.deleted_at.is_(None),
        )
    )
    if performed is None:
        return f"did not perform in {performance.title}"
    return (
        f"for performing in {performance.title} with {chosen.name}, "
        f"{academic_year(performance.performed_on)}",
        None,
        None,
    )


def _wording(
    session: Session, template: Template, pupil_id: str, on: date, source: PrintedFrom | None
) -> tuple[str, str | None, str | None] | str:
    """(wording, level id, level text), or the reason this pupil cannot have it."""
    if template is Template.ACHIEVEMENT:
        found = _latest(session, pupil_id, ("teacher_assessment", "medal"))
        if found is None:
            return "no level has been recorded yet"
        assessment, level, instrument = found
        return (
            f"has reached {level} on {instrument}" if instrument else f"has reached {level}",
            assessment.level_id,
            level,
        )
    if template is Template.EXAM:
        found = _latest(session, pupil_id, ("exam",))
        if found is None:
            return "no exam result has been recorded"
        assessment, level, instrument = found
        result = f" with {assessment.result.capitalize()}" if assessment.result else ""
        return (
            f"has passed {level} {instrument or ''}".rstrip() + result,
            assessment.level_id,
            level,
        )
    if template is Template.ENSEMBLE:
        return _ensemble_wording(session, pupil_id, on, source)
    instrument = _instrument(session, pupil_id)
    subject = f"{instrument} lessons" if instrument else "music lessons"
    return f"for outstanding effort and commitment in {subject}, {term_name(on)}", None, None


def plan_certificates(
    db: Database,
    template: Template | str,
    pupil_ids: list[str],
    on: date,
    source: PrintedFrom | None = None,
) -> CertificatePlan:
    """What each chosen pupil's certificate would say, and who cannot have one yet (and why).
    ``source``: the ensemble (or performance) printed from, which ensemble certificates name."""
    template = Template(template)
    ready, missing = [], []
    with db.reading() as session:
        pupils = {p.id: p for p in session.scalars(select(Pupil).where(Pupil.id.in_(pupil_ids)))}
        for pupil_id in dict.fromkeys(pupil_ids):
            pupil = pupils.get(pupil_id)
            if pupil is None:
                missing.append(f"{pupil_id}: no such pupil on this laptop")
                continue
            name = display_name(
                pupil.given_name, pupil.family_name, pupil.preferred_name, pupil.family_name_first
            )
            name_problem = problems_with_name(name)
            wording = _wording(session, template, pupil_id, on, source)
            if name_problem or isinstance(wording, str):
                missing.append(f"{name[:60]}: {name_problem or wording}")
                continue
            ready.append(PlannedCertificate(pupil_id, name, *wording))
    ready.sort(key=lambda p: sort_key(p.pupil_name))
    return CertificatePlan(template, tuple(ready), tuple(missing))


def group_pupils(db: Database, group_id: str, on: date) -> list[str]:
    with db.reading() as session:
        return list(
            session.scalars(
                select(Enrolment.pupil_id)
                .join(Pupil, Pupil.id == Enrolment.pupil_id)
                .where(Enrolment.group_id == group_id, enrolled_on(on))
            )
        )


def _serial(issued_on: date) -> str:
    raw = base64.b32encode(uuid.uuid4().bytes[:5]).decode()
    return f"HMS-{issued_on:%y}-{raw[:4]}-{raw[4:8]}"


def _verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def print_certificates(
    db: Database,
    plan: CertificatePlan,
    out: Path | str,
    issued_on: date,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[str]:
    """Render the plan into one PDF and store a record of each certificate, all or nothing.

    The records are committed only when the whole PDF has been drawn; the PDF appears only when
    the records are stored. Returns the new certificates' ids."""
    if not plan.ready:
        raise HmsError("No pupil in the selection can have this certificate; nothing printed.")
    with db.reading() as session:
        tutor = current_tutor(session)
        server = get_setting(session, SettingKey.SERVER)
    tutor_name = tutor.name if tutor else ""
    records = [
        Certificate(
            id=str(uuid.uuid4()),
            pupil_id=p.pupil_id,
            template=plan.template.value,
            wording=p.wording,
            level_id=p.level_id,
            level_text=p.level_text,
            issued_on=issued_on,
            issued_by_id=tutor.id if tutor else None,
            serial=_serial(issued_on),
            verification_code=_verification_code(),
        )
        for p in plan.ready
    ]
    contents = [
        CertificateContent(
            p.pupil_name,
            plan.template,
            p.wording,
            issued_on,
            tutor_name,
            r.serial,
            r.verification_code,
            verify_url(server, r.serial, r.verification_code),
        )
        for p, r in zip(plan.ready, records, strict=True)
    ]

    def store() -> None:
        with db.transaction() as session:
            session.add_all(records)

    render_batch(contents, out, progress=progress, cancelled=cancelled, before_publish=store)
    return [r.id for r in records]


def verify_url(server: str | None, serial: str, code: str) -> str:
    """Central's public verification page for a certificate (what its QR opens)."""
    if not server:
        return ""
    return f"{server.rstrip('/')}/verify/{quote(serial, safe='')}?code={quote(code, safe='')}"


def reprint(db: Database, certificate_ids: list[str], out: Path | str) -> Path:
    """Draw stored certificates again, exactly as issued."""
    with db.reading() as session:
        server = get_setting(session, SettingKey.SERVER)
        rows = session.execute(
            select(Certificate, Pupil, Tutor.name)
            .join(Pupil, Pupil.id == Certificate.pupil_id)
            .outerjoin(Tutor, Tutor.id == Certificate.issued_by_id)
            .where(Certificate.id.in_(certificate_ids))
        ).all()
    by_id = {c.id: (c, p, t) for c, p, t in rows}
    if len(by_id) != len(set(certificate_ids)):
        raise NotFound("Some of those certificates are not on this laptop; nothing printed.")
    contents = []
    for cid in certificate_ids:
        cert, pupil, tutor_name = by_id[cid]
        contents.append(
            CertificateContent(
                display_name(
                    pupil.given_name,
                    pupil.family_name,
                    pupil.preferred_name,
                    pupil.family_name_first,
                ),
                Template(cert.template),
                cert.wording,
                cert.issued_on,
                tutor_name or "",
                cert.serial,
                cert.verification_code,
                verify_url(server, cert.serial, cert.verification_code),
            )
        )
    return render_batch(contents, out)
