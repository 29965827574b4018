"""Central's tables: accounts and devices, every synced row as versioned JSON, and the log of
ops and batches that makes every push idempotent."""

import hashlib
import os
import secrets
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Engine,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def token() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${key.hex()}"


def check_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt, _key = stored.split("$")
    return secrets.compare_digest(hash_password(password, bytes.fromhex(salt)), stored)


class Account(Base):
    """A tutor who may sign in (the tutor's public details are a synced row too)."""

    __tablename__ = "account"
    tutor_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))


class EnrolCode(Base):
    """A one-time code, stored as a salted scrypt hash (looked up through its tutor)."""

    __tablename__ = "enrol_code"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    tutor_id: Mapped[str] = mapped_column(String(36), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class SignInFailure(Base):
    """A failed sign-in, per account (email digest) and per address, for rate limit and lockout."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (Index("ix_sign_in_failure_who", "who", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    who: Mapped[str] = mapped_column(String(80))  # "email:<digest>" or "addr:<digest>"
    at: Mapped[datetime] = mapped_column(DateTime)


class Device(Base):
    __tablename__ = "device"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tutor_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(100))
    refresh_hash: Mapped[str] = mapped_column(String(64))
    # The token this one replaced: still accepted once, in case the answer that carried the new
    # one was lost on the way back to the laptop.
    previous_refresh_hash: Mapped[str | None] = mapped_column(String(64))
    refreshed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class Cover(Base):
    """The office's assignment of a cover tutor to a group for some days."""

    __tablename__ = "cover"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    group_id: Mapped[str] = mapped_column(String(36), index=True)
    tutor_id: Mapped[str] = mapped_column(String(36), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)


class AccessGrant(Base):
    __tablename__ = "access_grant"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class Row(Base):
    """Every synced thing, central-owned or pushed, as versioned JSON with who may see it."""

    __tablename__ = "row"
    __table_args__ = (Index("ix_row_seq", "seq"), Index("ix_row_scope", "scope", "scope_id"))
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger)
    fields: Mapped[dict] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # public | tutor | group | pupil: the pull shows a row to a tutor by this.
    scope: Mapped[str] = mapped_column(String(10))
    scope_id: Mapped[str | None] = mapped_column(String(36))
    last_device_id: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class AppliedOp(Base):
    __tablename__ = "applied_op"
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    result: Mapped[str] = mapped_column(String(10))
    version: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)


class Batch(Base):
    """A push's stored answer, replayed verbatim for a repeated Idempotency-Key."""

    __tablename__ = "batch"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    request_digest: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict] = mapped_column(JSON)


class Conflict(Base):
    __tablename__ = "conflict"
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    theirs: Mapped[dict] = mapped_column(JSON)
    kept: Mapped[dict] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime)


class Meta(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def _owner_only(url: str) -> None:
    """Create the SQLite file owner-only before SQLite does (its -wal and -shm files take the
    database file's permissions)."""
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if not path or path == ":memory:":
        return
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        _owner_only(url)
        import sqlcipher3.dbapi2 as sqlite  # a SQLite free of the WAL-reset bug

        engine = create_engine(
            url,
            module=sqlite,
            connect_args={"timeout": 30, "check_same_thread": False, "isolation_level": None},
        )

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record):
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")

        @event.listens_for(engine, "begin")
        def _begin(conn):
            # Writers take the write lock up front (no upgrade deadlocks); readers never wait
            # for writers (WAL) and never block them.
            reading = conn.get_execution_options().get(READING, False)
            conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")
    else:
        # PostgreSQL (production): READ COMMITTED; writers serialise on the counter row.
        engine = create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)
    migrate(engine)
    with Session(engine) as session, session.begin():
        if session.get(Meta, "epoch") is None:
            session.add_all(
                [Meta(key="epoch", value=str(uuid.uuid4())), Meta(key="seq", value="0")]
            )
    return engine


MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(engine: Engine) -> None:
    """Bring central's schema to this version's head with Alembic (SQLite and PostgreSQL)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


READING = "hms_reading"


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def reading_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions that only read (pull, health, tokens): on SQLite they take no write lock."""
    return sessionmaker(engine.execution_options(**{READING: True}), expire_on_commit=False)


def epoch(session: Session) -> str:
    return session.get(Meta, "epoch").value  # type: ignore[union-attr]


def new_epoch(session: Session) -> str:
    """After a restore from backup: clients must pull everything again."""
    meta = session.get(Meta, "epoch")
    meta.value = str(uuid.uuid4())  # type: ignore[union-attr]
    return meta.value  # type: ignore[union-attr]


def lock_writes(session: Session) -> None:
    """Serialise writers: the sequence counter's row is locked until commit (SQLite's BEGIN
    IMMEDIATE does the same), so sequence numbers are unique and commit in order, and an
    incremental reader can never pass a number that a slower transaction commits later."""
    session.get(Meta, "seq", with_for_update=True)
    session.info["writes_locked"] = True


def next_seq(session: Session) -> int:
    # Once the row is locked, the identity map has it: no query per row.
    locked = session.info.get("writes_locked", False)
    meta = session.get(Meta, "seq", with_for_update=not locked)
    value = int(meta.value) + 1  # type: ignore[union-attr]
    meta.value = str(value)  # type: ignore[union-attr]
    return value


def find_row(session: Session, entity: str, row_id: str) -> Row | None:
    """A row, including one added earlier in this unit of work and not yet flushed (a push
    runs without autoflush, so a new lesson and its marks can arrive in one batch), and
    without a query when the batch's rows were prefetched."""
    key = (entity, row_id)
    added = session.info.setdefault("added_rows", {})
    if key in added:
        return added[key]
    prefetched = session.info.get("prefetched_rows")
    if prefetched is not None and key in prefetched:
        return prefetched[key]
    return session.get(Row, key)


def prefetch_rows(session: Session, keys: set[tuple[str, str]]) -> None:
    """Load every row a batch may touch in a few queries; absent ones are remembered as None."""
    found: dict[tuple[str, str], Row | None] = dict.fromkeys(keys)
    by_entity: dict[str, list[str]] = {}
    for entity, row_id in keys:
        by_entity.setdefault(entity, []).append(row_id)
    for entity, ids in by_entity.items():
        for start in range(0, len(ids), 500):
            for row in session.scalars(
                select(Row).where(Row.entity == entity, Row.id.in_(ids[start : start + 500]))
            ):
                found[(entity, row.id)] = row
    session.info["prefetched_rows"] = found


def put_row(
    session: Session,
    entity: str,
    row_id: str,
    fields: dict,
    scope: str,
    scope_id: str | None,
    device_id: str | None = None,
    deleted: bool = False,
) -> Row:
    row = find_row(session, entity, row_id)
    seq = next_seq(session)
    if row is None:
        row = Row(
            entity=entity,
            id=row_id,
            version=1,
            seq=seq,
            fields=fields,
            deleted=deleted,
            scope=scope,
            scope_id=scope_id,
            last_device_id=device_id,
            updated_at=now(),
        )
        session.add(row)
        session.info.setdefault("added_rows", {})[(entity, row_id)] = row
    else:
        row.version += 1
        row.seq, row.fields, row.deleted = seq, fields, deleted
        row.scope, row.scope_id = scope, scope_id
        row.last_device_id, row.updated_at = device_id, now()
    return row


def find_account(session: Session, email: str) -> Account | None:
    return session.scalar(select(Account).where(Account.email == email.strip().lower()))
