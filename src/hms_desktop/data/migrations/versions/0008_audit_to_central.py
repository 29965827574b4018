"""audit_entry.uid: each entry of the audit trail gets an id and travels to central (issue 11)

Entries recorded before this version stay on the laptop only; from now on each entry is queued
for central in the same transaction as the change it records.

Revision ID: 0008_audit_to_central
Revises: 0007_ensemble_seasons
Create Date: 2026-11-24
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0008_audit_to_central"
down_revision = "0007_ensemble_seasons"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("uid", sa.String(36), nullable=True))
    bind = op.get_bind()
    seqs = bind.execute(sa.text("SELECT seq FROM audit_entry")).scalars().all()
    if seqs:
        bind.execute(
            sa.text("UPDATE audit_entry SET uid = :uid WHERE seq = :seq"),
            [{"uid": str(uuid.uuid4()), "seq": s} for s in seqs],
        )
    with op.batch_alter_table("audit_entry") as batch:
        batch.create_index("ix_audit_entry_uid", ["uid"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_index("ix_audit_entry_uid")
        batch.drop_column("uid")
