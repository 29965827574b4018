"""The HTTP API (/v1): health, device enrolment, token refresh, push and pull; the office's
endpoints and the public certificate check are added from office.py."""

import hashlib
import os
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session, sessionmaker

from hms_protocol import (
    MAX_BODY_BYTES,
    MAX_CURSOR,
    MAX_PULL_PAGE,
    PROTOCOL_VERSION,
    AccessToken,
    Change,
    EnrolRequest,
    EnrolResponse,
    Health,
    Problem,
    PullResponse,
    PushRequest,
    PushResponse,
    RefreshRequest,
)
from hms_protocol.entities import ENSEMBLE_ONLY_PUPIL_FIELDS

from . import auth
from .limits import BodyLimit
from .rules import apply_batch
from .scope import Scope
from .store import (
    AccessGrant,
    Batch,
    Device,
    Row,
    digest,
    epoch,
    lock_writes,
    make_engine,
    now,
    reading_sessions,
)
from .store import sessions as make_sessions

ACCESS_LIFETIME = auth.ACCESS_LIFETIME


def problem(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI: every status an endpoint can answer besides 200, each with its Problem body."""
    words = {
        401: "Sign-in needed, expired or refused",
        403: "Not allowed",
        404: "Not found",
        409: "Conflicts with what the server holds",
        413: "Request body too large",
        422: "The request is not valid",
        429: "Too many attempts: wait (see Retry-After)",
    }
    return {s: {"model": Problem, "description": words[s]} for s in statuses}


def create_app(
    db_url: str,
    access_lifetime: timedelta = ACCESS_LIFETIME,
    office_token: str | None = None,
) -> FastAPI:
    """The service; ``office_token`` (default: ``HMS_OFFICE_TOKEN``) opens the office
    endpoints."""
    office_token = office_token or os.environ.get("HMS_OFFICE_TOKEN") or None
    engine: Engine = make_engine(db_url)
    factory: sessionmaker[Session] = make_sessions(engine)
    reader: sessionmaker[Session] = reading_sessions(engine)
    app = FastAPI(
        title="HMS central service",
        version=f"{PROTOCOL_VERSION}.0",
        description="Reference implementation of the HMS Tutor sync protocol.",
    )
    app.state.engine = engine
    app.state.sessions = factory

    def device_for(authorization: Annotated[str | None, Header()] = None) -> Device:
        if not authorization or not authorization.startswith("Bearer "):
            raise HTTPException(401, "sign-in needed")
        with reader() as session:
            found = session.get(AccessGrant, digest(authorization.removeprefix("Bearer ")))
            if found is None or found.expires_at < now():
                raise HTTPException(401, "access token expired")
            device = session.get(Device, found.device_id)
            if device is None or device.revoked_at is not None:
                raise HTTPException(401, "this device has been signed out by the office")
            return device

    @app.get("/v1/health", response_model=Health)
    def health() -> Health:
        with reader() as session:
            return Health(status="ok", protocol=PROTOCOL_VERSION, epoch=epoch(session))

    @app.post("/v1/auth/enrol", response_model=EnrolResponse, responses=problem(401, 413, 422, 429))
    def enrol(body: EnrolRequest, request: Request) -> EnrolResponse:
        address = request.client.host if request.client else "unknown"
        with factory.begin() as session:
            auth.check_limits(session, body.email, address, now())
        with factory.begin() as session:
            try:
                account = auth.authenticate(session, body)
            except auth.NotRecognised:
                failed = True
            else:
                failed = False
                return auth.enrol(session, account, body.device_name, access_lifetime)
        if failed:
            with factory.begin() as session:
                auth.record_failure(session, body.email, address)
        raise HTTPException(401, "email, password or code not recognised")

    @app.post("/v1/auth/refresh", response_model=AccessToken, responses=problem(401, 413, 422))
    def refresh(body: RefreshRequest) -> AccessToken:
        with factory.begin() as session:
            try:
                return auth.rotate(session, body.device_id, body.refresh_token, access_lifetime)
            except auth.NotRecognised as refused:
                raise HTTPException(401, str(refused) or "not signed in") from None

    @app.post("/v1/sync/push", response_model=PushResponse, responses=problem(401, 409, 413, 422))
    def push(
        body: PushRequest,
        device: Annotated[Device, Depends(device_for)],
        idempotency_key: Annotated[str, Header(min_length=8, max_length=64)],
    ) -> PushResponse:
        request_digest = hashlib.sha256(body.model_dump_json().encode()).hexdigest()
        with factory.begin() as session:
            lock_writes(session)  # one writer at a time: see store.lock_writes
            stored = session.get(Batch, idempotency_key)
            if stored is not None:
                if stored.device_id != device.id:
                    raise HTTPException(409, "that batch id belongs to another device")
                if stored.request_digest != request_digest:
                    raise HTTPException(409, "that batch id was already used for different changes")
                return PushResponse.model_validate(stored.response)
            scope = Scope.of(session, device.tutor_id)
            results = apply_batch(session, scope, device.id, body.ops)
            response = PushResponse(batch_id=idempotency_key, results=results)
            session.add(
                Batch(
                    key=idempotency_key,
                    device_id=device.id,
                    request_digest=request_digest,
                    response=response.model_dump(mode="json"),
                )
            )
            return response

    @app.get("/v1/sync/pull", response_model=PullResponse, responses=problem(401, 422))
    def pull(
        device: Annotated[Device, Depends(device_for)],
        cursor: Annotated[int, Query(ge=0, le=MAX_CURSOR)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_PAGE)] = MAX_PULL_PAGE,
    ) -> PullResponse:
        with reader() as session:
            scope = Scope.of(session, device.tutor_id)
            partly_seen = (scope.ensemble_pupils | scope.covered_pupils) - scope.taught
            rows = session.scalars(
                select(Row)
                .where(
                    Row.seq > cursor,
                    or_(
                        Row.scope == "public",
                        (Row.scope == "tutor") & (Row.scope_id == device.tutor_id),
                        (Row.scope == "group") & Row.scope_id.in_(scope.groups),
                        (Row.scope == "group")
                        & Row.scope_id.in_(set(scope.cover))
                        & (Row.entity == "enrolment"),
                        (Row.scope == "ensemble") & Row.scope_id.in_(scope.ensembles),
                        (Row.scope == "pupil") & Row.scope_id.in_(scope.taught),
                        (Row.entity == "pupil") & Row.id.in_(partly_seen),
                    ),
                )
                .order_by(Row.seq)
                .limit(limit + 1)
            ).all()
            more = len(rows) > limit
            rows = rows[:limit]
            return PullResponse(
                epoch=epoch(session),
                changes=[
                    Change(
                        entity=r.entity,
                        entity_id=r.id,
                        version=r.version,
                        deleted=r.deleted,
                        fields=_need_to_know(r, scope),
                    )
                    for r in rows
                ],
                next_cursor=rows[-1].seq if rows else cursor,
                more=more,
            )

    @app.exception_handler(RequestValidationError)
    async def not_valid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # One sentence naming the fields; never the values sent (they may be pupils' data).
        parts = [
            f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}"
            for e in exc.errors()[:3]
        ]
        return JSONResponse(
            {"detail": "the request is not valid: " + "; ".join(parts)}, status_code=422
        )

    @app.exception_handler(auth.TooManyAttempts)
    async def too_many(_request: Request, exc: auth.TooManyAttempts) -> JSONResponse:
        return JSONResponse(
            {"detail": str(exc)}, status_code=429, headers={"Retry-After": str(exc.retry_after)}
        )

    @app.middleware("http")
    async def no_store(request: Request, call_next):
        response = await call_next(request)
        response.headers["Cache-Control"] = "no-store"
        return response

    from .office import add_office_routes

    add_office_routes(app, factory, reader, problem, office_token)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    return app


def _need_to_know(row: Row, scope: Scope) -> dict:
    """A pupil the tutor does not teach (only in their ensemble, or covered) travels with just
    what a rehearsal or a cover lesson needs."""
    if row.entity == "pupil" and row.id not in scope.taught:
        return {k: v for k, v in row.fields.items() if k in ENSEMBLE_ONLY_PUPIL_FIELDS}
    return row.fields
