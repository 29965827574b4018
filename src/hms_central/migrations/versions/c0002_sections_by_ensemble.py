"""sections travel to the ensemble's leader and helpers only (they were public), now that a
leader or helper may put them in another order

Revision ID: c0002
Revises: c0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "c0002"
down_revision = "c0001"
branch_labels = None
depends_on = None

row = sa.table(
    "row",
    sa.column("entity", sa.String),
    sa.column("id", sa.String),
    sa.column("fields", sa.JSON),
    sa.column("scope", sa.String),
    sa.column("scope_id", sa.String),
)


def _rescope(scope: str) -> None:
    bind = op.get_bind()
    sections = bind.execute(
        sa.select(row.c.id, row.c.fields).where(row.c.entity == "ensemble_section")
    ).all()
    for section_id, fields in sections:
        bind.execute(
            row.update()
            .where(row.c.entity == "ensemble_section", row.c.id == section_id)
            .values(
                scope=scope,
                scope_id=(fields or {}).get("ensemble_id") if scope == "ensemble" else None,
            )
        )


def upgrade() -> None:
    _rescope("ensemble")


def downgrade() -> None:
    _rescope("public")
