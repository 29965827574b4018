"""pupil.search_key: case-, accent- and script-insensitive name search (issue 8)

Revision ID: 0006_pupil_search_key
Revises: 0005_audit_trail
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from hms_desktop.domain.search import search_key

revision = "0006_pupil_search_key"
down_revision = "0005_audit_trail"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pupil") as batch:
        batch.add_column(sa.Column("search_key", sa.Text(), nullable=False, server_default=""))
        batch.create_index("ix_pupil_search_key", ["search_key"])
    bind = op.get_bind()
    pupils = bind.execute(
        sa.text("SELECT id, given_name, family_name, preferred_name FROM pupil")
    ).all()
    keys = [
        {"id": p.id, "key": search_key(p.given_name, p.family_name, p.preferred_name)}
        for p in pupils
    ]
    if keys:
        bind.execute(sa.text("UPDATE pupil SET search_key = :key WHERE id = :id"), keys)


def downgrade() -> None:
    with op.batch_alter_table("pupil") as batch:
        batch.drop_index("ix_pupil_search_key")
        batch.drop_column("search_key")
