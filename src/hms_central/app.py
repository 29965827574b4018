"""The HTTP API (/v1): health, device enrolment, token refresh, push and pull."""

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session, sessionmaker

from hms_protocol import (
    MAX_PULL_PAGE,
    PROTOCOL_VERSION,
    AccessToken,
    Change,
    EnrolRequest,
    EnrolResponse,
    Health,
    PullResponse,
    PushRequest,
    PushResponse,
    RefreshRequest,
)

from .rules import Scope, apply_batch
from .store import (
    AccessGrant,
    Batch,
    Device,
    EnrolCode,
    Row,
    check_password,
    digest,
    epoch,
    find_account,
    make_engine,
    now,
    sessions,
    token,
)

ACCESS_LIFETIME = timedelta(minutes=15)


def create_app(db_url: str, access_lifetime: timedelta = ACCESS_LIFETIME) -> FastAPI:
    engine: Engine = make_engine(db_url)
    factory: sessionmaker[Session] = sessions(engine)
    app = FastAPI(
        title="HMS central service",
        version=f"{PROTOCOL_VERSION}.0",
        description="Reference implementation of the HMS Tutor sync protocol.",
    )
    app.state.engine = engine
    app.state.sessions = factory

    def grant(session: Session, device: Device) -> AccessToken:
        secret = token()
        session.add(
            AccessGrant(
                token_hash=digest(secret), device_id=device.id, expires_at=now() + access_lifetime
            )
        )
        return AccessToken(
            access_token=secret, access_expires_in=int(access_lifetime.total_seconds())
        )

    def device_for(authorization: Annotated[str | None, Header()] = None) -> Device:
        if not authorization or not authorization.startswith("Bearer "):
            raise HTTPException(401, "sign-in needed")
        with factory() as session:
            found = session.get(AccessGrant, digest(authorization.removeprefix("Bearer ")))
            if found is None or found.expires_at < now():
                raise HTTPException(401, "access token expired")
            device = session.get(Device, found.device_id)
            if device is None or device.revoked_at is not None:
                raise HTTPException(401, "this device has been signed out by the office")
            return device

    @app.get("/v1/health", response_model=Health)
    def health() -> Health:
        with factory() as session:
            return Health(status="ok", protocol=PROTOCOL_VERSION, epoch=epoch(session))

    @app.post("/v1/auth/enrol", response_model=EnrolResponse)
    def enrol(body: EnrolRequest) -> EnrolResponse:
        with factory.begin() as session:
            account = find_account(session, body.email)
            ok = False
            if account is not None and body.password:
                ok = check_password(body.password, account.password_hash)
            elif account is not None and body.code:
                code = session.get(EnrolCode, digest(body.code.strip().upper()))
                ok = (
                    code is not None
                    and code.tutor_id == account.tutor_id
                    and code.used_at is None
                    and code.expires_at > now()
                )
                if ok:
                    code.used_at = now()  # type: ignore[union-attr]
            if not ok or account is None:
                raise HTTPException(401, "email, password or code not recognised")
            refresh = token()
            device = Device(
                id=str(uuid.uuid4()),
                tutor_id=account.tutor_id,
                name=body.device_name,
                refresh_hash=digest(refresh),
                created_at=now(),
            )
            session.add(device)
            access = grant(session, device)
            tutor = session.get(Row, ("tutor", account.tutor_id))
            return EnrolResponse(
                device_id=device.id,
                tutor_id=account.tutor_id,
                tutor_name=tutor.fields.get("name", "") if tutor else "",
                refresh_token=refresh,
                access_token=access.access_token,
                access_expires_in=access.access_expires_in,
            )

    @app.post("/v1/auth/refresh", response_model=AccessToken)
    def refresh(body: RefreshRequest) -> AccessToken:
        with factory.begin() as session:
            device = session.get(Device, body.device_id)
            if device is None or device.refresh_hash != digest(body.refresh_token):
                raise HTTPException(401, "this device is not signed in")
            if device.revoked_at is not None:
                raise HTTPException(401, "this device has been signed out by the office")
            return grant(session, device)

    @app.post("/v1/sync/push", response_model=PushResponse)
    def push(
        body: PushRequest,
        device: Annotated[Device, Depends(device_for)],
        idempotency_key: Annotated[str, Header(min_length=8, max_length=64)],
    ) -> PushResponse:
        with factory.begin() as session:
            stored = session.get(Batch, idempotency_key)
            if stored is not None:
                if stored.device_id != device.id:
                    raise HTTPException(409, "that batch id belongs to another device")
                return PushResponse.model_validate(stored.response)
            scope = Scope.of(session, device.tutor_id)
            results = apply_batch(session, scope, device.id, body.ops)
            response = PushResponse(batch_id=idempotency_key, results=results)
            session.add(
                Batch(
                    key=idempotency_key,
                    device_id=device.id,
                    response=response.model_dump(mode="json"),
                )
            )
            return response

    @app.get("/v1/sync/pull", response_model=PullResponse)
    def pull(
        device: Annotated[Device, Depends(device_for)],
        cursor: int = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_PAGE)] = MAX_PULL_PAGE,
    ) -> PullResponse:
        with factory() as session:
            scope = Scope.of(session, device.tutor_id)
            rows = session.scalars(
                select(Row)
                .where(
                    Row.seq > cursor,
                    or_(
                        Row.scope == "public",
                        (Row.scope == "tutor") & (Row.scope_id == device.tutor_id),
                        (Row.scope == "group") & Row.scope_id.in_(scope.groups),
                        (Row.scope == "pupil") & Row.scope_id.in_(scope.pupils),
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
                        fields=r.fields,
                    )
                    for r in rows
                ],
                next_cursor=rows[-1].seq if rows else cursor,
                more=more,
            )

    @app.middleware("http")
    async def no_store(request: Request, call_next):
        response = await call_next(request)
        response.headers["Cache-Control"] = "no-store"
        return response

    return app
