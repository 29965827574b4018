"""Opening a profile with the tutor's PIN: setting one up, unlocking, recovering after a
forgotten PIN or ten wrong tries, and moving a plain profile from an earlier version over.

A forgotten PIN never loses an unsent mark: the data key is also wrapped under one-time office
recovery codes, and a code opens the same encrypted store (outbox included) under a new PIN.
"""

import itertools
import platform
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from filelock import FileLock, Timeout

from hms_desktop.data.encrypt import (
    encrypt_backups,
    encrypt_in_place,
    encrypted_backup,
    plain_store_left,
)
from hms_desktop.data.engine import Database, is_plain_sqlite, open_database
from hms_desktop.data.keys import (
    LOCKED_OUT,
    DataKey,
    KeyFile,
    LockedOut,
    create_key_file,
    key_file_of,
    new_recovery_codes,
    rewrap,
    unwrap_with_recovery_code,
    unwrap_with_secret,
)
from hms_desktop.domain.errors import DatabaseCorrupt, HmsError
from hms_desktop.sync.client import CentralClient
from hms_desktop.sync.engine import SERVER
from hms_protocol import EnrolRequest

from .profile import TUTOR_ID, get_setting, set_setting

MIN_PIN_DIGITS = 6
MIN_PASSPHRASE = 10
# The demo profile's PIN, shown in its prompt: the demo holds invented pupils only.
DEMO_PIN = "246810"


class ProfileState(StrEnum):
    NEW = "new"  # nothing yet: choose a PIN
    PLAIN = "plain"  # a store from before encryption: choose a PIN, then it is moved over
    LOCKED = "locked"  # encrypted (or a move under way): enter the PIN
    LOCKED_OUT = "locked out"  # ten wrong tries: sign in or use a recovery code


@dataclass(frozen=True)
class ProfileInfo:
    state: ProfileState
    kind: str | None  # "pin" | "passphrase" once set up
    tries_left: int
    recovery_codes_left: int


@dataclass(frozen=True)
class SetUp:
    recovery_codes: tuple[str, ...]  # for the office: each opens the profile once


class SecretRejected(HmsError):
    """A new PIN or passphrase that is too weak, or an entry that cannot be a PIN."""


def profile_info(path: Path | str) -> ProfileInfo:
    path = Path(path).expanduser()
    key_path = key_file_of(path)
    if key_path.exists():
        kf = KeyFile.load(key_path)
        state = ProfileState.LOCKED_OUT if kf.locked_out else ProfileState.LOCKED
        return ProfileInfo(state, kf.kind, kf.tries_left, kf.recovery_codes_left())
    if path.exists() and is_plain_sqlite(path):
        return ProfileInfo(ProfileState.PLAIN, None, 0, 0)
    if path.exists():
        raise DatabaseCorrupt(
            f"{path.name} is not an HMS Tutor database (or it is damaged, or it is an encrypted "
            f"profile whose key file {key_path.name} is missing). Nothing was changed."
        )
    return ProfileInfo(ProfileState.NEW, None, 0, 0)


def _is_run(digits: str) -> bool:
    steps = {int(b) - int(a) for a, b in itertools.pairwise(digits)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def check_new_secret(secret: str, confirm: str | None = None) -> str:
    """Returns "pin" or "passphrase", or says in words what is wrong with it."""
    if confirm is not None and secret != confirm:
        raise SecretRejected("The two entries are different. Type the same PIN twice.")
    if secret.isascii() and secret.isdigit():
        if len(secret) < MIN_PIN_DIGITS:
            raise SecretRejected(
                f"A PIN needs at least {MIN_PIN_DIGITS} digits (or use a passphrase of "
                f"{MIN_PASSPHRASE} or more characters)."
            )
        if _is_run(secret):
            raise SecretRejected(
                "That PIN is too easy to guess (the same digit, or digits in a row). "
                "Choose another."
            )
        return "pin"
    if len(secret.strip()) < MIN_PASSPHRASE:
        raise SecretRejected(
            f"A PIN is digits only, at least {MIN_PIN_DIGITS} of them; a passphrase needs at "
            f"least {MIN_PASSPHRASE} characters."
        )
    return "passphrase"


def _check_entry(kf: KeyFile, secret: str) -> None:
    """Catch typing slips before they cost one of the ten tries."""
    if not secret:
        raise SecretRejected("Enter your PIN.")
    if kf.kind == "pin" and not (secret.isascii() and secret.isdigit()):
        raise SecretRejected(
            "Your PIN is digits only: check Num Lock and type just the digits. "
            "That did not count as a try."
        )


def _key_from_secret(path: Path, secret: str) -> DataKey:
    kf = KeyFile.load(key_file_of(path))
    if kf.locked_out:
        raise LockedOut(LOCKED_OUT)
    _check_entry(kf, secret)
    return unwrap_with_secret(kf, secret)


def _key_from_code(path: Path, code: str, new_secret: str, confirm: str | None) -> DataKey:
    kind = check_new_secret(new_secret, confirm)
    kf = KeyFile.load(key_file_of(path))
    key = unwrap_with_recovery_code(kf, code)
    rewrap(kf, key, new_secret, kind)  # saves the spent code, the new PIN and clears lock-out
    return key


def _move_lock(path: Path) -> FileLock:
    return FileLock(f"{path}.open-lock", timeout=0, thread_local=False, mode=0o600)


def _open(path: Path, key: DataKey, *, create: bool = False, read_only: bool = False) -> Database:
    """Finish any move from a plain store, then open the encrypted one."""
    try:
        with _move_lock(path):
            if plain_store_left(path):
                backups = path.parent / "backups"
                if path.exists() and is_plain_sqlite(path):
                    encrypted_backup(path, backups / f"{path.stem}-before-encryption.sqlite3", key)
                encrypt_in_place(path, key)
            encrypt_backups(path.parent / "backups", key)
    except Timeout as err:
        raise HmsError(
            "Another HMS Tutor window is opening this profile. Close it and try again."
        ) from err
    db = open_database(path, create=create, key=key, read_only=read_only)
    if not read_only:
        _remember_owner(db)
    return db


def _remember_owner(db: Database) -> None:
    """Keep who may lift a lock-out by signing in (ids, no personal data) in the key file."""
    with db.reading() as session:
        tutor, server = get_setting(session, TUTOR_ID), get_setting(session, SERVER)
    kf = KeyFile.load(key_file_of(db.path))
    if (kf.tutor_id, kf.server) != (tutor, server) and tutor:
        kf.tutor_id, kf.server = tutor, server
        kf.save()


def set_up_profile(
    path: Path | str, secret: str, confirm: str | None = None
) -> tuple[Database, SetUp]:
    """First start (new or plain profile): choose a PIN, make the key, encrypt, open."""
    path = Path(path).expanduser()
    info = profile_info(path)
    if info.state not in (ProfileState.NEW, ProfileState.PLAIN):
        raise HmsError("This profile already has a PIN. Nothing was changed.")
    kind = check_new_secret(secret, confirm)
    key, codes = create_key_file(path, secret, kind)
    return _open(path, key, create=info.state is ProfileState.NEW), SetUp(tuple(codes))


def open_with_pin(path: Path | str, secret: str) -> Database:
    """Non-interactive (HMS_PIN): set the PIN up on a new or plain profile, else unlock."""
    if profile_info(path).state in (ProfileState.NEW, ProfileState.PLAIN):
        return set_up_profile(path, secret)[0]
    return unlock(path, secret)


def unlock(path: Path | str, secret: str, *, read_only: bool = False) -> Database:
    """Open an encrypted profile with its PIN or passphrase (ten wrong tries lock it)."""
    path = Path(path).expanduser()
    key = _key_from_secret(path, secret)
    return _open(path, key, create=not path.exists(), read_only=read_only)


def unlock_with_recovery_code(
    path: Path | str, code: str, new_secret: str, confirm: str | None = None
) -> Database:
    """A forgotten PIN or a lock-out: the office's one-time code opens the same store (every
    unsent mark included) and the tutor chooses a new PIN."""
    path = Path(path).expanduser()
    key = _key_from_code(path, code, new_secret, confirm)
    return _open(path, key, create=not path.exists())


def lift_lock_out_by_sign_in(
    path: Path | str, client: CentralClient, email: str, password: str
) -> None:
    """Signing in to central proves the tutor still works here: the ten tries start again."""
    path = Path(path).expanduser()
    kf = KeyFile.load(key_file_of(path))
    if not email.strip() or not password:
        raise HmsError("Enter your email and password for the music service.")
    if not kf.tutor_id:
        raise HmsError(
            "This laptop was never signed in to the music service, so a sign-in can't prove "
            "whose it is. Ask the office for a recovery code. Every unsent mark is kept."
        )
    answer = client.enrol(
        EnrolRequest(
            email=email.strip(),
            password=password,
            device_name=f"{platform.node()[:80] or 'laptop'} (unlock)",
        )
    )
    if kf.tutor_id and answer.tutor_id != kf.tutor_id:
        raise HmsError(
            "That sign-in is not this laptop's tutor, so the profile stays locked. "
            "Nothing was changed."
        )
    kf.locked_out = False
    kf.wrong_tries = 0
    kf.save()


def fresh_recovery_codes(db: Database, secret: str) -> SetUp:
    """A new set of office codes (the old set stops working); asks for the PIN again."""
    kf = KeyFile.load(key_file_of(db.path))
    _check_entry(kf, secret)
    key = unwrap_with_secret(kf, secret)
    try:
        return SetUp(tuple(new_recovery_codes(kf, key)))
    finally:
        key.forget()


def lock_store(db: Database) -> None:
    """Idle lock: close every connection and overwrite the key; the handle stays for reopening.
    Background work must have stopped first (the UI waits for it)."""
    db.close()


def unlock_store(db: Database, secret: str) -> None:
    """Open a locked handle again with the PIN (the same ten-try rule as at start)."""
    db.reopen(_key_from_secret(db.path, secret))


def unlock_store_with_recovery_code(
    db: Database, code: str, new_secret: str, confirm: str | None = None
) -> None:
    db.reopen(_key_from_code(db.path, code, new_secret, confirm))


IDLE_SETTING = "idle_lock_minutes"  # the tutor's preference
IDLE_MAX_SETTING = "idle_lock_max_minutes"  # the music service's ceiling (from central)
DEFAULT_IDLE_MINUTES = 5
DEFAULT_IDLE_MAX_MINUTES = 15


def _idle_limits(session) -> tuple[int, int]:
    ceiling = int(get_setting(session, IDLE_MAX_SETTING) or DEFAULT_IDLE_MAX_MINUTES)
    chosen = int(get_setting(session, IDLE_SETTING) or DEFAULT_IDLE_MINUTES)
    return min(chosen, ceiling), ceiling


def idle_lock_minutes(db: Database) -> int:
    """How long the app may sit idle before it locks (never beyond the service's ceiling)."""
    with db.reading() as session:
        return _idle_limits(session)[0]


def set_idle_lock_minutes(db: Database, minutes: int) -> int:
    with db.transaction() as session:
        ceiling = _idle_limits(session)[1]
        if not 1 <= minutes <= ceiling:
            raise HmsError(
                f"The lock can wait between 1 and {ceiling} minutes (the music service's "
                "limit). Nothing was changed."
            )
        set_setting(session, IDLE_SETTING, str(minutes))
    return minutes
