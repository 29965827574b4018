"""ensembles have a season: rehearsals are taken only inside it

Revision ID: 0007_ensemble_seasons
Revises: 0004_pulled_set_aside
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_ensemble_seasons"
down_revision = "0004_pulled_set_aside"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ensemble") as batch:
        batch.add_column(sa.Column("season_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("season_end", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ensemble") as batch:
        batch.drop_column("season_end")
        batch.drop_column("season_start")
