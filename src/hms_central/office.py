"""What the music-service office does centrally (assign cover, add a pupil to an ensemble, ask
a tutor to help with an ensemble) and
the public page a certificate's QR code opens.

The office endpoints need the office token (``HMS_OFFICE_TOKEN`` when the service starts); with
none set they answer 403. The same actions are ``hms-central`` commands.
"""

import html
import secrets
import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hms_protocol import ENTITIES, CoverAssignment, Wire
from hms_protocol.entities import Day, Uuid, problem

from .store import Cover, Row, lock_writes, next_seq, put_row


class OfficeRefused(Exception):
    pass


class MemberRequest(Wire):
    ensemble_id: Uuid
    pupil_id: Uuid
    section_id: Uuid | None = None
    instrument_id: Uuid | None = None
    joined_on: Day


def _live(session: Session, entity: str, row_id: str) -> Row:
    row = session.get(Row, (entity, row_id))
    if row is None or row.deleted:
        raise OfficeRefused(f"no {entity.replace('_', ' ')} {row_id}")
    return row


def _touch(session: Session, rows: list[Row]) -> None:
    """Send rows again to laptops that now need them (a newly covering tutor, a leader with a
    new member, a new helper): a new sequence number, the same version, parents first."""
    for row in _parents_first(rows):
        row.seq = next_seq(session)


def assign_cover(session: Session, group_id: str, tutor_id: str, first: date, last: date) -> str:
    lock_writes(session)
    _live(session, "teaching_group", group_id)
    _live(session, "tutor", tutor_id)
    if last < first:
        raise OfficeRefused("the last day of cover is before the first")
    cover = Cover(id=str(uuid.uuid4()), group_id=group_id, tutor_id=tutor_id)
    cover.first_day, cover.last_day = first, last
    session.add(cover)
    put_row(
        session,
        "cover",
        cover.id,
        ENTITIES["cover"].validate(
            {
                "id": cover.id,
                "group_id": group_id,
                "tutor_id": tutor_id,
                "first_day": first.isoformat(),
                "last_day": last.isoformat(),
            }
        ),
        "tutor",
        tutor_id,
    )
    enrolments = list(
        session.scalars(
            select(Row).where(
                Row.entity == "enrolment", Row.scope_id == group_id, Row.deleted.is_(False)
            )
        )
    )
    pupils = [session.get(Row, ("pupil", e.fields["pupil_id"])) for e in enrolments]
    _touch(session, [*enrolments, *(p for p in pupils if p is not None)])
    return cover.id


def add_member(session: Session, request: MemberRequest) -> str:
    lock_writes(session)
    _live(session, "ensemble", request.ensemble_id)
    pupil = _live(session, "pupil", request.pupil_id)
    member_id = str(uuid.uuid4())
    fields = ENTITIES["ensemble_member"].validate(
        {"id": member_id, **request.model_dump(mode="json")}
    )
    _touch(session, [pupil])  # the pupil first: a laptop never holds a place without its pupil
    put_row(session, "ensemble_member", member_id, fields, "ensemble", request.ensemble_id, None)
    return member_id


class HelperRequest(Wire):
    ensemble_id: Uuid
    tutor_id: Uuid


# The order rows are sent again in: what a row points at comes first, so a laptop that pulls
# them a page at a time never holds a row whose parent has not arrived yet.
PARENTS_FIRST = (
    "pupil",
    "enrolment",
    "ensemble_section",
    "ensemble_member",
    "rehearsal",
    "rehearsal_mark",
    "performance",
    "performance_member",
)


def _parents_first(rows: list[Row]) -> list[Row]:
    rank = {entity: n for n, entity in enumerate(PARENTS_FIRST)}
    return sorted(rows, key=lambda r: rank.get(r.entity, len(rank)))


def _ensemble_rows(session: Session, ensemble_id: str) -> list[Row]:
    """Everything a tutor of the ensemble receives: the members' pupils, its sections,
    members, rehearsals and their marks, performances and performers."""
    rows = list(
        session.scalars(
            select(Row).where(
                Row.scope == "ensemble", Row.scope_id == ensemble_id, Row.deleted.is_(False)
            )
        )
    )
    pupils = {r.fields["pupil_id"] for r in rows if r.entity == "ensemble_member"}
    return rows + [p for p in (session.get(Row, ("pupil", pid)) for pid in pupils) if p]


def add_helper(session: Session, request: HelperRequest) -> str:
    """Ask a tutor to help with an ensemble: their laptop receives its roster and registers on
    the next sync and may change them as the leader's does."""
    lock_writes(session)
    ensemble = _live(session, "ensemble", request.ensemble_id)
    _live(session, "tutor", request.tutor_id)
    if ensemble.fields.get("leader_id") == request.tutor_id:
        raise OfficeRefused("that tutor leads this ensemble")
    existing = _helper_row(session, request)
    if existing is not None:
        return existing.id
    helper_id = str(uuid.uuid4())
    fields = ENTITIES["ensemble_helper"].validate({"id": helper_id, **request.model_dump()})
    put_row(session, "ensemble_helper", helper_id, fields, "public", None)
    _touch(session, _ensemble_rows(session, request.ensemble_id))
    return helper_id


def remove_helper(session: Session, request: HelperRequest) -> str:
    """The tutor no longer helps: their laptop stops showing the ensemble on the next sync."""
    lock_writes(session)
    existing = _helper_row(session, request)
    if existing is None:
        raise OfficeRefused("that tutor does not help with this ensemble")
    put_row(session, "ensemble_helper", existing.id, existing.fields, "public", None, deleted=True)
    return existing.id


def _helper_row(session: Session, request: HelperRequest) -> Row | None:
    return next(
        (
            r
            for r in session.scalars(
                select(Row).where(Row.entity == "ensemble_helper", Row.deleted.is_(False))
            )
            if r.fields.get("ensemble_id") == request.ensemble_id
            and r.fields.get("tutor_id") == request.tutor_id
        ),
        None,
    )


def verification(session: Session, serial: str, code: str) -> dict | None:
    """What the public page may say about a certificate: kind, level, date, initials."""
    row = session.scalar(
        select(Row).where(
            Row.entity == "certificate",
            Row.deleted.is_(False),
            Row.fields["serial"].as_string() == serial,
        )
    )
    if row is None or not secrets.compare_digest(
        str(row.fields.get("verification_code", "")).upper(), code.strip().upper()
    ):
        return None
    pupil = session.get(Row, ("pupil", row.fields.get("pupil_id")))
    names = (
        (pupil.fields.get("given_name", ""), pupil.fields.get("family_name", "")) if pupil else ()
    )
    return {
        "kind": row.fields.get("template"),
        "level": row.fields.get("level_text"),
        "issued_on": row.fields.get("issued_on"),
        "initials": " ".join(f"{n.strip()[0]}." for n in names if n.strip()),
    }


def add_office_routes(
    app: FastAPI,
    factory: sessionmaker[Session],
    reader: sessionmaker[Session],
    problem_statuses: Callable[..., dict],
    office_token: str | None,
) -> None:
    def office(authorization: Annotated[str | None, Header()] = None) -> None:
        given = (authorization or "").removeprefix("Bearer ")
        if not office_token or not secrets.compare_digest(given, office_token):
            raise HTTPException(403, "the office token is needed for this")

    def run(action: Callable[[Session], str]) -> dict:
        with factory.begin() as session:
            try:
                return {"id": action(session)}
            except OfficeRefused as refused:
                raise HTTPException(404, str(refused)) from None
            except ValidationError as err:
                raise HTTPException(422, problem(err)) from None

    @app.post(
        "/v1/office/cover",
        dependencies=[Depends(office)],
        responses=problem_statuses(403, 404, 413, 422),
    )
    def cover(body: CoverAssignment) -> dict:
        return run(
            lambda s: assign_cover(s, body.group_id, body.tutor_id, body.first_day, body.last_day)
        )

    @app.post(
        "/v1/office/ensemble-member",
        dependencies=[Depends(office)],
        responses=problem_statuses(403, 404, 413, 422),
    )
    def member(body: MemberRequest) -> dict:
        return run(lambda s: add_member(s, body))

    @app.post(
        "/v1/office/ensemble-helper",
        dependencies=[Depends(office)],
        responses=problem_statuses(403, 404, 413, 422),
    )
    def helper(body: HelperRequest) -> dict:
        return run(lambda s: add_helper(s, body))

    @app.delete(
        "/v1/office/ensemble-helper",
        dependencies=[Depends(office)],
        responses=problem_statuses(403, 404, 413, 422),
    )
    def no_longer_helping(body: HelperRequest) -> dict:
        return run(lambda s: remove_helper(s, body))

    @app.get("/verify/{serial}", response_class=HTMLResponse, responses={404: {}})
    def verify(serial: str, code: str = "") -> HTMLResponse:
        with reader() as session:
            found = verification(session, serial[:40], code[:20])
        if found is None:
            body = "<h1>Not a certificate we issued</h1><p>Check the serial and code.</p>"
            return HTMLResponse(_page(body), status_code=404)
        kind = html.escape(str(found["kind"] or "").replace("_", " ").capitalize())
        body = (
            f"<h1>A genuine Hackney Music Service certificate</h1>"
            f"<p>{kind} certificate{_level(found)}, issued on {html.escape(found['issued_on'])}"
            f" to {html.escape(found['initials'])}</p>"
            f"<p>Serial {html.escape(serial)}</p>"
        )
        return HTMLResponse(_page(body))


def _level(found: dict) -> str:
    return f" — {html.escape(found['level'])}" if found.get("level") else ""


def _page(body: str) -> str:
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8">'
        '<meta name="robots" content="noindex"><title>Certificate check</title>'
        f"<body>{body}</body></html>"
    )
