"""ensembles have a season (rehearsals are taken only inside it); who performed at a performance

Revision ID: 0007_ensemble_seasons
Revises: 0006_pupil_search_key
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_ensemble_seasons"
down_revision = "0006_pupil_search_key"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ensemble") as batch:
        batch.add_column(sa.Column("season_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("season_end", sa.Date(), nullable=True))
    op.create_table(
        "performance_member",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("performance_id", sa.String(36), nullable=False),
        sa.Column("pupil_id", sa.String(36), nullable=False),
        sa.Column("instrument_id", sa.String(36), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["performance_id"],
            ["performance.id"],
            name="fk_performance_member_performance_id_performance",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name="fk_performance_member_pupil_id_pupil"
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name="fk_performance_member_instrument_id_instrument",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_performance_member"),
        sa.UniqueConstraint(
            "performance_id", "pupil_id", name="uq_performance_member_performance_id"
        ),
    )
    op.create_index(
        "ix_performance_member_performance_id", "performance_member", ["performance_id"]
    )
    op.create_index("ix_performance_member_pupil_id", "performance_member", ["pupil_id"])


def downgrade() -> None:
    op.drop_table("performance_member")
    with op.batch_alter_table("ensemble") as batch:
        batch.drop_column("season_end")
        batch.drop_column("season_start")
