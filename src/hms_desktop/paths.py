"""Where HMS Tutor keeps its files: user data via platformdirs, resources from source or bundle."""

import os
import sys
from pathlib import Path

from platformdirs import PlatformDirs

_DIRS = PlatformDirs(appname="HMS Tutor", appauthor="Hackney Music Service", roaming=False)


def data_dir() -> Path:
    return Path(_DIRS.user_data_dir)


def log_dir() -> Path:
    return Path(_DIRS.user_log_dir)


def profile_db() -> Path:
    """The tutor's own database (one profile per laptop user)."""
    return data_dir() / "profiles" / "tutor.sqlite3"


def demo_db() -> Path:
    return data_dir() / "demo" / "demo.sqlite3"


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller one-folder bundle
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents as owner-only (mkdir's ``parents=True`` would
    give the parents the default, world-readable mode)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir(mode=0o700, exist_ok=True)


def shred(path: Path) -> None:
    """Overwrite a file's bytes before unlinking it, so the app leaves no readable copy in the
    blocks it owned. (What the OS still keeps — SSD remapping, copy-on-write filesystems,
    snapshots, swap — is beyond an app; full-disk encryption covers those.)"""
    if not path.exists():
        return
    size = path.stat().st_size
    with path.open("r+b") as fh:
        chunk = b"\0" * (1 << 20)
        left = size
        while left > 0:
            n = min(left, len(chunk))
            fh.write(chunk[:n])
            left -= n
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()
