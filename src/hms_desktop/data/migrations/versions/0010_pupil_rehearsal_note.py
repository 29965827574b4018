"""pupil.rehearsal_note: the office's note for ensemble leaders and helpers (what a rehearsal
needs to know of a pupil's health), sent even where the medical note is not

Revision ID: 0010_pupil_rehearsal_note
Revises: 0009_ensemble_helpers_sections
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_pupil_rehearsal_note"
down_revision = "0009_ensemble_helpers_sections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pupil") as batch:
        batch.add_column(sa.Column("rehearsal_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pupil") as batch:
        batch.drop_column("rehearsal_note")
