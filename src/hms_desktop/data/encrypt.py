"""Moving a plain (pre-encryption) store over to SQLCipher, so that a crash at any moment can
neither corrupt nor lose it: every step is a new file or an atomic rename, and a re-run looks at
which files exist and carries on from there.

    tutor.sqlite3 (plain)
      → tutor.sqlite3.encrypting    export under the data key; removed and redone if a crash
                                    leaves it behind
      → tutor.sqlite3.encrypted     renamed once fsynced and checked (integrity, row counts)
      → tutor.sqlite3.plain         a second name for the plain file (hard link) …
      → tutor.sqlite3               … then the encrypted copy replaces it atomically
      → shred tutor.sqlite3.plain   overwritten, fsynced, unlinked

Backups already under ``backups/`` get the same treatment, one file at a time.
"""

import os
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from hms_desktop.paths import shred

from .engine import OWNER_ONLY, is_plain_sqlite
from .keys import DataKey, fsync_dir

STAGING = ".encrypting"
READY = ".encrypted"
OLD = ".plain"


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _tables(conn: sqlite.Connection, schema: str = "main") -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {n: conn.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0] for n in names}


def _export(plain: Path, target: Path, key: DataKey) -> None:
    target.unlink(missing_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    os.close(fd)
    conn = sqlite.connect(str(plain), isolation_level=None)
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        # Fold the plain store's WAL into it, so the export and the file agree.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = _tables(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        hexkey = key.sqlcipher_pragma().split('"')[1]
        conn.execute(f'ATTACH DATABASE ? AS enc KEY "{hexkey}"', (str(target),))
        conn.execute("SELECT sqlcipher_export('enc')")
        conn.execute(f"PRAGMA enc.user_version = {int(version)}")
        conn.execute("DETACH DATABASE enc")
    finally:
        conn.close()
    with target.open("rb+") as fh:
        os.fsync(fh.fileno())
    check = sqlite.connect(str(target), isolation_level=None)
    try:
        check.execute(key.sqlcipher_pragma())
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
        after = _tables(check)
    finally:
        check.close()
    if ok != "ok" or after != before:
        target.unlink(missing_ok=True)
        raise RuntimeError("the encrypted copy did not match the plain store")


def encrypt_in_place(path: Path, key: DataKey) -> bool:
    """Bring ``path`` to the encrypted state from wherever a previous run stopped.
    Returns True when there was anything to do."""
    staging, ready, old = (_sibling(path, s) for s in (STAGING, READY, OLD))
    did = False
    if path.exists() and is_plain_sqlite(path):
        did = True
        if not ready.exists():
            _export(path, staging, key)
            os.replace(staging, ready)
            fsync_dir(path.parent)
        if not old.exists():
            os.link(path, old)
        # The plain store's -wal/-shm belong to the plain file: never let SQLCipher read them.
        for companion in ("-wal", "-shm"):
            shred(Path(f"{path}{companion}"))
        os.replace(ready, path)
        fsync_dir(path.parent)
    elif not path.exists() and ready.exists():  # pragma: no cover - only by hand
        did = True
        os.replace(ready, path)
        fsync_dir(path.parent)
    staging.unlink(missing_ok=True)
    if old.exists():
        did = True
        shred(old)
        fsync_dir(path.parent)
    return did


def encrypt_backups(folder: Path, key: DataKey) -> int:
    """Encrypt every plain backup left by an earlier version; returns how many were moved."""
    if not folder.is_dir():
        return 0
    moved = 0
    for backup in sorted(folder.iterdir()):
        if backup.name.endswith((STAGING, READY, OLD, "-wal", "-shm")):
            continue
        if backup.is_file() and (is_plain_sqlite(backup) or _sibling(backup, OLD).exists()):
            moved += encrypt_in_place(backup, key)
    for leftover in folder.glob(f"*{STAGING}"):
        leftover.unlink(missing_ok=True)
    return moved


def plain_store_left(path: Path) -> bool:
    """True while a move to encryption is unfinished (a re-run will finish it)."""
    if path.exists() and is_plain_sqlite(path):
        return True
    return any(_sibling(path, s).exists() for s in (STAGING, READY, OLD))


def encrypted_backup(plain: Path, target: Path, key: DataKey) -> Path:
    """An encrypted copy of a plain store, taken before it is moved over (kept if present)."""
    if target.exists():
        return target
    from hms_desktop.paths import make_private_dirs

    make_private_dirs(target.parent)
    staging = _sibling(target, STAGING)
    _export(plain, staging, key)
    os.replace(staging, target)
    fsync_dir(target.parent)
    return target
