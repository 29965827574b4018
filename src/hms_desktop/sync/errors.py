"""Why a sync stopped, in words a tutor can act on. Nothing local is lost in any of them."""

from hms_desktop.domain.errors import HmsError


class SyncError(HmsError):
    pass


class Offline(SyncError):
    """The server could not be reached or answered badly; try again later."""

    exit_code = 3


class SignInNeeded(SyncError):
    """The laptop has no valid sign-in (never enrolled, revoked, or no keychain)."""

    exit_code = 4


class SyncRefused(SyncError):
    """The server understood and said no (e.g. a malformed batch)."""


class SyncBusy(SyncError):
    pass
