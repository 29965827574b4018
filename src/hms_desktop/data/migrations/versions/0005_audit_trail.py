"""audit trail: who changed or viewed what, and when

Revision ID: 0005_audit_trail
Revises: 0004_pulled_set_aside
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_audit_trail"
down_revision = "0004_pulled_set_aside"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("tutor_id", sa.String(36), nullable=True),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("pupil_id", sa.String(36), nullable=True),
        sa.Column("lesson_id", sa.String(36), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
    )
    op.create_index(op.f("ix_audit_entry_pupil_id"), "audit_entry", ["pupil_id"])
    op.create_index(op.f("ix_audit_entry_lesson_id"), "audit_entry", ["lesson_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_entry_lesson_id"), table_name="audit_entry")
    op.drop_index(op.f("ix_audit_entry_pupil_id"), table_name="audit_entry")
    op.drop_table("audit_entry")
