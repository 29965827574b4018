"""Where HMS Tutor keeps its files: user data via platformdirs, resources from source or bundle."""

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
