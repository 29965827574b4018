"""Signing laptops in: enrolment with a password or a one-time code, rotating refresh tokens,
short-lived access tokens; rate limits and lockout against guessing.

Every attempt costs the same whether or not the email is known (one scrypt either way), and a
refusal never says which part was wrong.
"""

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hms_protocol import ENROL_CODE_LENGTH, AccessToken, EnrolRequest, EnrolResponse

from .store import (
    AccessGrant,
    Account,
    Device,
    EnrolCode,
    Row,
    SignInFailure,
    check_password,
    digest,
    find_account,
    hash_password,
    now,
    token,
)

ACCESS_LIFETIME = timedelta(minutes=15)
REFRESH_IDLE = timedelta(days=120)  # a refresh token unused for a term expires
CODE_LIFETIME = timedelta(days=7)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone
WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 10  # failures per account in the window: then locked until the window passes
ADDRESS_LIMIT = 30  # failures per address in the window
_DUMMY_HASH = hash_password("not a real password")


class TooManyAttempts(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("too many sign-in attempts: try again later")
        self.retry_after = retry_after


class NotRecognised(Exception):
    pass


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(ENROL_CODE_LENGTH))


def add_code(session: Session, tutor_id: str) -> str:
    code = new_code()
    session.add(
        EnrolCode(
            id=str(uuid.uuid4()),
            code_hash=hash_password(code),
            tutor_id=tutor_id,
            expires_at=now() + CODE_LIFETIME,
        )
    )
    return code


def _who(email: str, address: str) -> tuple[str, str]:
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]
    address_key = hashlib.sha256(address.encode()).hexdigest()[:40]
    return f"email:{email_key}", f"addr:{address_key}"


def check_limits(session: Session, email: str, address: str, at: datetime) -> None:
    since = at - WINDOW
    for who, limit in zip(_who(email, address), (ACCOUNT_LIMIT, ADDRESS_LIMIT), strict=True):
        failures = session.scalar(
            select(func.count())
            .select_from(SignInFailure)
            .where(SignInFailure.who == who, SignInFailure.at > since)
        )
        if (failures or 0) >= limit:
            oldest = session.scalar(
                select(func.min(SignInFailure.at)).where(
                    SignInFailure.who == who, SignInFailure.at > since
                )
            )
            raise TooManyAttempts(max(1, int((oldest + WINDOW - at).total_seconds())))


def record_failure(session: Session, email: str, address: str) -> None:
    at = now()
    session.execute(delete(SignInFailure).where(SignInFailure.at < at - WINDOW))
    session.add_all(SignInFailure(who=who, at=at) for who in _who(email, address))


def _code_matches(session: Session, account: Account | None, code: str) -> EnrolCode | None:
    candidates = (
        list(
            session.scalars(
                select(EnrolCode).where(
                    EnrolCode.tutor_id == account.tutor_id,
                    EnrolCode.used_at.is_(None),
                    EnrolCode.expires_at > now(),
                )
            )
        )
        if account is not None
        else []
    )
    if not candidates:
        check_password(code, _DUMMY_HASH)  # the same cost as a real check
        return None
    for candidate in candidates:
        if check_password(code, candidate.code_hash):
            return candidate
    return None


def authenticate(session: Session, body: EnrolRequest) -> Account:
    """The account these credentials open, or NotRecognised. Costs one scrypt (or one per
    open code of a known account) whatever the outcome."""
    account = find_account(session, body.email)
    if body.password:
        ok = check_password(body.password, account.password_hash if account else _DUMMY_HASH)
        if ok and account is not None:
            return account
        raise NotRecognised
    if body.code:
        code = _code_matches(session, account, body.code.strip().upper().replace(" ", ""))
        if code is not None and account is not None:
            code.used_at = now()
            return account
    else:
        check_password("", _DUMMY_HASH)
    raise NotRecognised


def grant(session: Session, device: Device, lifetime: timedelta) -> AccessToken:
    secret = token()
    session.add(
        AccessGrant(token_hash=digest(secret), device_id=device.id, expires_at=now() + lifetime)
    )
    return AccessToken(access_token=secret, access_expires_in=int(lifetime.total_seconds()))


def enrol(session: Session, account: Account, device_name: str, lifetime: timedelta):
    refresh = token()
    device = Device(
        id=str(uuid.uuid4()),
        tutor_id=account.tutor_id,
        name=device_name,
        refresh_hash=digest(refresh),
        refreshed_at=now(),
        created_at=now(),
    )
    session.add(device)
    access = grant(session, device, lifetime)
    tutor = session.get(Row, ("tutor", account.tutor_id))
    return EnrolResponse(
        device_id=device.id,
        tutor_id=account.tutor_id,
        tutor_name=tutor.fields.get("name", "") if tutor else "",
        refresh_token=refresh,
        access_token=access.access_token,
        access_expires_in=access.access_expires_in,
    )


def rotate(
    session: Session, device_id: str, refresh_token: str, lifetime: timedelta
) -> AccessToken:
    """A new access token and the next refresh token. The one presented stops working, except
    that the token just replaced is still taken (once more) in case its answer was lost."""
    device = session.get(Device, device_id, with_for_update=True)
    presented = digest(refresh_token)
    if device is None or presented not in (device.refresh_hash, device.previous_refresh_hash):
        raise NotRecognised("this device is not signed in")
    if device.revoked_at is not None:
        raise NotRecognised("this device has been signed out by the office")
    if (device.refreshed_at or device.created_at) + REFRESH_IDLE < now():
        raise NotRecognised("this sign-in was unused for too long: sign in again")
    following = token()
    device.previous_refresh_hash = device.refresh_hash if presented == device.refresh_hash else None
    device.refresh_hash, device.refreshed_at = digest(following), now()
    access = grant(session, device, lifetime)
    return access.model_copy(update={"refresh_token": following})
