"""The local store: SQLAlchemy models, the one way to open the database, migrations, outbox."""
