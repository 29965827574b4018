"""ensemble_helper: tutors the office asked to help with an ensemble; ensemble_section becomes a
row the laptop writes (its leader or helpers put sections in another order) and sync pushes

Sections already on the laptop came from central's first version of them.

Revision ID: 0009_ensemble_helpers_sections
Revises: 0008_audit_to_central
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_ensemble_helpers_sections"
down_revision = "0008_audit_to_central"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ensemble_helper",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("ensemble_id", sa.String(36), nullable=False),
        sa.Column("tutor_id", sa.String(36), nullable=False),
        sa.ForeignKeyConstraint(
            ["ensemble_id"], ["ensemble.id"], name="fk_ensemble_helper_ensemble_id_ensemble"
        ),
        sa.ForeignKeyConstraint(
            ["tutor_id"], ["tutor.id"], name="fk_ensemble_helper_tutor_id_tutor"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_ensemble_helper"),
    )
    op.create_index("ix_ensemble_helper_ensemble_id", "ensemble_helper", ["ensemble_id"])
    op.create_index("ix_ensemble_helper_tutor_id", "ensemble_helper", ["tutor_id"])
    with op.batch_alter_table("ensemble_section") as batch:
        batch.add_column(sa.Column("server_version", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column(
                "updated_at",
                sa.DateTime(),
                nullable=False,
                server_default=sa.text("CURRENT_TIMESTAMP"),
            )
        )
        batch.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE ensemble_section SET server_version = 1")
    with op.batch_alter_table("ensemble_section") as batch:
        batch.alter_column("updated_at", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("ensemble_section") as batch:
        batch.drop_column("deleted_at")
        batch.drop_column("updated_at")
        batch.drop_column("server_version")
    op.drop_table("ensemble_helper")
