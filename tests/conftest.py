"""Shared fixtures: real SQLite files in temp dirs, a demo world seeded once and copied per test."""

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

# Before any Qt import: no display here, and keep the tests' files out of the real profile.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":  # a tutor's 1366×768 laptop screen
    os.environ["QT_QPA_PLATFORM"] = (
        f"offscreen:configfile={Path(__file__).with_name('offscreen-1366x768.json')}"
    )
_HOME = tempfile.mkdtemp(prefix="hms-test-home-")
os.environ["XDG_DATA_HOME"] = str(Path(_HOME) / "data")
os.environ["XDG_STATE_HOME"] = str(Path(_HOME) / "state")
os.environ["XDG_CONFIG_HOME"] = str(Path(_HOME) / "config")  # window geometry (QSettings)

import pytest  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from hms_central.seed import seed_central  # noqa: E402
from hms_central.store import make_engine  # noqa: E402
from hms_desktop.data.engine import Database, open_database  # noqa: E402
from hms_desktop.services.timetable import lessons_on  # noqa: E402
from hms_desktop.services.views import TimetableEntry  # noqa: E402

from .central import CentralServer, use_memory_keyring  # noqa: E402

# The demo's "today": a Monday, when the tutor teaches a whole-class violin group of 30.
MONDAY = date(2026, 11, 23)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hms_desktop.demo import seed_demo

    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    seed_demo(path, pupils=400, seed=11, today=MONDAY)
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    path.chmod(0o600)
    return path


@pytest.fixture
def db(demo_path: Path):
    database = open_database(demo_path)
    yield database
    database.close()


def whole_class(db: Database, day: date = MONDAY) -> TimetableEntry:
    return next(e for e in lessons_on(db, day) if "whole class" in e.group_name)


# --- the reference central service, for sync tests ---------------------------------------

CENTRAL_PASSWORD = "hms-demo"


@pytest.fixture(scope="session")
def central_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("central") / "central.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session, session.begin():
        # The same world as the laptop's demo: every id agrees.
        seed_central(session, 400, 11, MONDAY, CENTRAL_PASSWORD)
    engine.dispose()
    return path


@pytest.fixture
def central(central_template, tmp_path):
    path = tmp_path / "central.sqlite3"
    shutil.copyfile(central_template, path)
    server = CentralServer(path).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def keychain():
    return use_memory_keyring()


# --- the same, on a real PostgreSQL cluster when one is installed (CI installs it) ----------


@pytest.fixture(scope="session")
def postgres():
    from .central import PostgresCluster

    # Not under pytest's own temp dir: that is root-only, and the cluster runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="hms-pg-"))
    try:
        cluster = PostgresCluster(root).start()
    except FileNotFoundError:
        pytest.skip(
            "PostgreSQL is not installed here (CI installs it: scripts/debian-packages.txt)"
        )
    yield cluster
    cluster.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def central_pg_template(postgres):
    url = postgres.create("central_template")
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        seed_central(session, 400, 11, MONDAY, CENTRAL_PASSWORD)
    engine.dispose()
    return "central_template"


@pytest.fixture
def central_pg(postgres, central_pg_template):
    server = CentralServer(postgres.create(template=central_pg_template)).start()
    yield server
    server.stop()
    server.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_central(request):
    """The reference server on SQLite, and again on PostgreSQL: for the checks that matter
    most on the production store (authorisation, validation, pull completeness)."""
    return request.getfixturevalue("central" if request.param == "sqlite" else "central_pg")


# --- encrypted profiles ---------------------------------------------------------------------

# The PIN every test profile is set up with (the demo's documented PIN is services.unlock's).
TEST_PIN = "482915"


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch):
    """argon2id at a test's cost: the KDF's strength is a figure for bench/, not a behaviour;
    tests that need the real cost read keys.PIN_KDF_DEFAULT."""
    from hms_desktop.data import keys

    monkeypatch.setattr(keys, "PIN_KDF", keys.KdfCost(time_cost=1, memory_kib=1024, parallelism=1))


@pytest.fixture
def profile_path(demo_path: Path) -> Path:
    """The demo world moved into an encrypted profile with TEST_PIN; closed again."""
    from hms_desktop.services.unlock import set_up_profile

    db, _ = set_up_profile(demo_path, TEST_PIN)
    db.close()
    return demo_path
