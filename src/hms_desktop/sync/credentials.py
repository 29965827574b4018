"""The refresh token lives in the OS keychain (keyring), never in the database, settings or logs.
Without a keychain there is no plain-text fallback: the tutor may choose to keep the sign-in in
this process's memory for this run only, and signs in again after a restart."""

import contextlib

import keyring
from keyring.errors import KeyringError

from .errors import SignInNeeded

SERVICE = "HMS Tutor"

# Sign-ins kept for this run only, on computers without a keychain: gone when the app closes.
_this_run: dict[str, str] = {}


class NoKeychain(SignInNeeded):
    """There is no keychain: the sign-in can only be kept in memory for this run."""


def _account(server: str, device_id: str) -> str:
    return f"{server}|{device_id}"


NO_KEYCHAIN = (
    "This computer has no keychain to keep the sign-in safely. HMS Tutor can keep it in "
    "memory for this run only (nothing is written to disk); you will sign in again after "
    "restarting."
)


def keychain_available() -> bool:
    try:
        keyring.get_password(SERVICE, "probe")
    except KeyringError:
        return False
    return True


def check_keychain() -> None:
    """Fail before enrolling, not after, when there is nowhere safe to keep the sign-in."""
    if not keychain_available():
        raise NoKeychain(NO_KEYCHAIN)


def save_refresh_token(
    server: str, device_id: str, refresh_token: str, this_run_only: bool = False
) -> None:
    account = _account(server, device_id)
    if this_run_only or account in _this_run:  # a rotated token stays where the first was
        _this_run[account] = refresh_token
        return
    try:
        keyring.set_password(SERVICE, account, refresh_token)
    except KeyringError as err:
        raise NoKeychain(NO_KEYCHAIN) from err


def load_refresh_token(server: str, device_id: str) -> str | None:
    account = _account(server, device_id)
    if account in _this_run:
        return _this_run[account]
    try:
        return keyring.get_password(SERVICE, account)
    except KeyringError:
        return None


def kept_for_this_run_only(server: str, device_id: str) -> bool:
    return _account(server, device_id) in _this_run


def forget_refresh_token(server: str, device_id: str) -> None:
    account = _account(server, device_id)
    _this_run.pop(account, None)
    with contextlib.suppress(KeyringError):
        keyring.delete_password(SERVICE, account)
