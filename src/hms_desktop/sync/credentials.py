"""The refresh token lives in the OS keychain (keyring), never in the database, settings or logs.
Without a keychain there is no plain-text fallback: the tutor signs in again."""

import contextlib

import keyring
from keyring.errors import KeyringError

from .errors import SignInNeeded

SERVICE = "HMS Tutor"


def _account(server: str, device_id: str) -> str:
    return f"{server}|{device_id}"


NO_KEYCHAIN = (
    "This computer has no keychain to keep the sign-in safely, so HMS Tutor will ask "
    "you to sign in each time it syncs."
)


def check_keychain() -> None:
    """Fail before enrolling, not after, when there is nowhere safe to keep the sign-in."""
    try:
        keyring.get_password(SERVICE, "probe")
    except KeyringError as err:
        raise SignInNeeded(NO_KEYCHAIN) from err


def save_refresh_token(server: str, device_id: str, refresh_token: str) -> None:
    try:
        keyring.set_password(SERVICE, _account(server, device_id), refresh_token)
    except KeyringError as err:
        raise SignInNeeded(
            "This computer has no keychain to keep the sign-in safely, so HMS Tutor will ask "
            "you to sign in each time it syncs."
        ) from err


def load_refresh_token(server: str, device_id: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, _account(server, device_id))
    except KeyringError:
        return None


def forget_refresh_token(server: str, device_id: str) -> None:
    with contextlib.suppress(KeyringError):
        keyring.delete_password(SERVICE, _account(server, device_id))
