"""The lock: the PIN prompt at start and the idle lock (the only Qt code about keys)."""

from .idle import IdleLock, install_idle_lock
from .start import UnlockDialog, ask_to_unlock

__all__ = ["IdleLock", "UnlockDialog", "ask_to_unlock", "install_idle_lock"]
