"""Schema migrations with Alembic: upgrade on start after a backup, refuse newer databases."""

from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from hms_desktop.domain.errors import DatabaseTooNew

from .engine import NOTHING_CHANGED, Database, backup_to, safe_filename

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def upgrade(db: Database, target: str = "head") -> None:
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


def backups_dir(db: Database) -> Path:
    return db.path.parent / "backups"


def ensure_schema(db: Database, *, apply: bool = True) -> str | None:
    """Bring the store to this version's schema; returns the path of any backup taken."""
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return None
    if current is not None and current not in known_revisions():
        raise DatabaseTooNew(
            f"This database was written by a newer version of HMS Tutor (schema {current}). "
            f"{NOTHING_CHANGED} Install the latest HMS Tutor to open it."
        )
    if not apply:
        return None
    backup = None
    if current is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        name = safe_filename(f"{db.path.stem}-{stamp}-before-{head}.sqlite3")
        backup = backup_to(db, backups_dir(db) / name)
    upgrade(db)
    return str(backup) if backup else None
