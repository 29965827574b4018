"""The one way to open the local store: checks, pragmas, owner-only files, migration on start.

SQLite comes from the ``sqlcipher3`` package, which bundles a current SQLite: Python's own
``sqlite3`` here links 3.40.1, which has the WAL-reset corruption bug fixed in 3.51.3.
"""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import sqlcipher3.dbapi2 as sqlite
from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from hms_desktop.domain.errors import (
    DatabaseCorrupt,
    DatabaseEncrypted,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseProblem,
    DatabaseReadOnly,
    HmsError,
    SqliteTooOld,
)
from hms_desktop.paths import make_private_dirs

from .audit import install_audit_capture
from .keys import DataKey
from .outbox import install_change_capture

MIN_SQLITE = (3, 51, 3)
BUSY_TIMEOUT_MS = 5000
OWNER_ONLY = 0o600
SQLITE_HEADER = b"SQLite format 3\x00"

NOTHING_CHANGED = "Nothing was changed."


def sqlite_version() -> tuple[int, int, int]:
    return tuple(sqlite.sqlite_version_info)  # type: ignore[return-value]


def check_sqlite_version() -> None:
    if sqlite_version() < MIN_SQLITE:
        found = ".".join(map(str, sqlite_version()))
        raise SqliteTooOld(
            f"This copy of HMS Tutor uses SQLite {found}, which can corrupt registers "
            "(the WAL-reset bug). Please reinstall HMS Tutor."
        )


def make_owner_only(path: Path) -> None:
    """Restrict the database and its -wal/-shm companions to their owner."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if candidate.exists() and (candidate.stat().st_mode & 0o777) != OWNER_ONLY:
                candidate.chmod(OWNER_ONLY)
        except PermissionError:
            pass  # not ours to change: SQLite will report if it cannot use the file


def create_owner_only_file(path: Path) -> None:
    make_private_dirs(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    os.close(fd)


def describe_error(err: BaseException) -> DatabaseProblem | None:
    """Turn a driver error into a message a tutor can act on, or None if it is not one of ours."""
    message = str(getattr(err, "orig", err)).lower()
    if "locked" in message or "busy" in message:
        return DatabaseLocked(
            "The register database is busy: another HMS Tutor window or program is using it. "
            f"Close it and try again. {NOTHING_CHANGED}"
        )
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return DatabaseReadOnly(
            "The register database can't be written to: the file or its folder is read-only. "
            f"{NOTHING_CHANGED} Check the file's permissions, then try again."
        )
    if "disk is full" in message or "disk i/o" in message:
        return DatabaseReadOnly(
            f"The laptop's disk is full or failing, so the change could not be saved. "
            f"{NOTHING_CHANGED} Free some space, then try again."
        )
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return DatabaseCorrupt(
            "The register database is damaged and can't be used safely. "
            f"{NOTHING_CHANGED} Ask the music service office for help; backups are kept "
            "beside the database in the 'backups' folder."
        )
    return None


@contextmanager
def translate_errors() -> Iterator[None]:
    try:
        yield
    except HmsError:
        raise
    except (sa_exc.DBAPIError, sqlite.Error) as err:
        problem = describe_error(err)
        if problem is None:
            raise
        raise problem from err


@dataclass
class Database:
    """An open local store. Services take one of these and open one unit of work per use case."""

    path: Path
    engine: Engine
    read_only: bool
    _writer: sessionmaker[Session]
    _reader: sessionmaker[Session]
    key: DataKey | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One use case's unit of work: committed on success, rolled back on any error."""
        with translate_errors(), self._writer.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A consistent read-only snapshot; nothing written in it is kept."""
        with translate_errors():
            session = self._reader()
            try:
                yield session
            finally:
                session.close()  # ends the read transaction; loaded values stay readable

    def close(self) -> None:
        """Close every connection; an encrypted store's key is overwritten in memory too, so
        any later use fails with "locked" until ``reopen``."""
        self.engine.dispose()
        if self.key is not None:
            self.key.forget()

    def reopen(self, key: DataKey) -> None:
        """After a lock: the same handle (views keep theirs) opens again with the key."""
        self.engine.dispose()
        self.key = key
        self.engine = _make_engine(self.path, self.read_only, key)
        self._writer, self._reader = _sessionmakers(self.engine)
        with translate_errors():
            quick_check(self)


def _uri(path: Path, read_only: bool) -> str:
    return f"file:{quote(str(path.resolve()))}?mode={'ro' if read_only else 'rw'}"


def _make_engine(path: Path, read_only: bool, key: DataKey | None = None) -> Engine:
    uri = _uri(path, read_only)

    def connect() -> sqlite.Connection:
        conn = sqlite.connect(
            uri,
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            isolation_level=None,
        )
        if key is not None:
            # A raw 256-bit key: SQLCipher skips its own PBKDF, so a connection per unit of work
            # stays cheap. The key must be the first statement on the connection.
            conn.execute(key.sqlcipher_pragma())
        return conn

    # NullPool: a connection per unit of work keeps threads apart (one per thread is SQLite's
    # rule) and costs ~0.1 ms to open.
    # module=: SQLAlchemy must not load Python's own sqlite3 (a second, older SQLite copy in one
    # process is one of sqlite.org's ways to corrupt a database).
    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool, module=sqlite)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        # Sorts and temporary tables stay in memory: no plain temporary file with pupils' data.
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # Writers take the write lock up front, so a busy database waits (busy_timeout) instead
        # of failing half-way through a unit of work when a read lock cannot be upgraded.
        reading = read_only or conn.get_execution_options().get("hms_reading", False)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


def is_plain_sqlite(path: Path) -> bool:
    """True for an unencrypted SQLite file (an encrypted one starts with random bytes)."""
    with path.open("rb") as fh:
        return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _check_header(path: Path, key: DataKey | None) -> None:
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    if not head or head == SQLITE_HEADER:
        return
    if key is None and Path(f"{path}.key").exists():
        raise DatabaseEncrypted(
            "This profile is encrypted: unlock it with your PIN (on the command line, give it "
            f"with --pin-stdin or HMS_PIN). {NOTHING_CHANGED}"
        )
    if key is None:
        raise DatabaseCorrupt(
            f"{path.name} is not an HMS Tutor database (or it is damaged). {NOTHING_CHANGED}"
        )


def _sessionmakers(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    writer = sessionmaker(engine, expire_on_commit=False)
    reader = sessionmaker(engine.execution_options(hms_reading=True), expire_on_commit=False)
    install_audit_capture(writer)  # before the outbox: it sees the fields as the tutor left them
    install_change_capture(writer)
    return writer, reader


def open_database(
    path: Path | str,
    *,
    create: bool = False,
    read_only: bool = False,
    migrate: bool = True,
    check: bool = True,
    key: DataKey | None = None,
) -> Database:
    """Open (or with ``create`` make) the store at ``path``, migrated to this version's schema.

    With ``key`` the store is SQLCipher-encrypted (a new one is created encrypted). Raises a
    ``DatabaseProblem`` with a tutor-readable message when the file is missing, not a
    database, damaged, locked, read-only or written by a newer HMS Tutor.
    """
    from .migrate import ensure_schema  # migrate imports this module

    path = Path(path).expanduser()
    check_sqlite_version()
    if path.is_dir():
        raise DatabaseMissing(f"{path} is a folder, not an HMS Tutor database.")
    if not path.exists():
        if not create or read_only:
            raise DatabaseMissing(
                f"There is no HMS Tutor database at {path}. Check the path, or create a demo "
                f"one with: hms-desktop seed-demo --db {path}"
            )
        try:
            create_owner_only_file(path)
        except OSError as err:
            raise DatabaseReadOnly(
                f"A database can't be created at {path}: {err.strerror}. {NOTHING_CHANGED}"
            ) from err
    _check_header(path, key)
    engine = _make_engine(path, read_only, key)
    writer, reader = _sessionmakers(engine)
    db = Database(
        path=path, engine=engine, read_only=read_only, _writer=writer, _reader=reader, key=key
    )
    try:
        with translate_errors():
            if check:
                quick_check(db)
            if not read_only:
                make_owner_only(path)
            ensure_schema(db, apply=migrate and not read_only)
            if not read_only:
                make_owner_only(path)
    except BaseException:
        engine.dispose()
        raise
    return db


def quick_check(db: Database) -> None:
    with db.engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        raise DatabaseCorrupt(
            "The register database is damaged (its integrity check failed). "
            f"{NOTHING_CHANGED} Ask the music service office for help; backups are kept "
            "beside the database in the 'backups' folder."
        )


def integrity_check(db: Database) -> str:
    with db.engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    return "ok" if rows == ["ok"] else "; ".join(rows[:5])


def backup_to(db: Database, target: Path) -> Path:
    """Copy the live database safely (``VACUUM INTO``) to an owner-only file."""
    create_owner_only_file(target)  # VACUUM INTO keeps an existing empty file's mode
    raw = db.engine.raw_connection()
    try:
        raw.driver_connection.execute("VACUUM INTO ?", (str(target),))  # type: ignore[union-attr]
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        raw.close()
    return target


def safe_filename(text_: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text_)
