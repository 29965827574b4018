"""A server install without Qt (issue #12, finding 9): the server's declared dependencies do not
bring PySide6, and the server runs with the desktop app and Qt made unimportable."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DESKTOP_ONLY = ("PySide6", "shiboken6", "hms_desktop", "keyring", "reportlab", "httpx")


def server_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [*extras["central"], *extras["postgresql"]]


def test_the_servers_dependencies_resolve_without_pyside6(tmp_path):
    report = tmp_path / "report.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",  # resolve as a fresh virtual environment would
            "--quiet",
            "--report",
            str(report),
            *server_requirements(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    names = {i["metadata"]["name"].lower() for i in json.loads(report.read_text())["install"]}
    assert {"fastapi", "uvicorn", "sqlalchemy", "psycopg"} <= names
    assert not {n for n in names if n.startswith(("pyside6", "shiboken6", "keyring"))}


BLOCKED_RUN = """
import importlib.abc, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ImportError(f"{{name}} is not part of a server install")
        return None

sys.meta_path.insert(0, Block())
from hms_central.cli import main
from hms_central.app import create_app
assert main(["seed-demo", "--db", {url!r}, "--pupils", "200", "--today", "2026-11-23"]) == 0
app = create_app({url!r})
assert not [m for m in sys.modules if m.split(".")[0] in {blocked!r}]
print("server ok")
"""


def test_the_server_seeds_and_starts_with_qt_and_the_desktop_app_unimportable(tmp_path):
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED_RUN.format(blocked=set(DESKTOP_ONLY), url=url)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "server ok" in done.stdout


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_centrals_schema_is_alembics_head(tmp_path, request, backend):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from hms_central.store import Base, make_engine

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres").create()
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == "c0002"
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
