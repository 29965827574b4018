"""Central's Alembic environment (SQLite and PostgreSQL): runs on the connection handed over by
store.migrate, or on sqlalchemy.url for `alembic revision --autogenerate` in development."""

from alembic import context
from sqlalchemy import create_engine

from hms_central.store import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url") or "sqlite:///central-autogenerate.sqlite3"
        with create_engine(url).connect() as conn:
            context.configure(
                connection=conn, target_metadata=target_metadata, render_as_batch=True
            )
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
