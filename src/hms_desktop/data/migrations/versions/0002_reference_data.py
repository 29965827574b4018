"""reference data: default attendance codes, instruments, progress frameworks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Lets a brand-new laptop take a register before it has ever synced. Central may later change
codes through the pull; rows it owns are replaced, never duplicated (ids derive from names).
"""

import sqlalchemy as sa
from alembic import op

from hms_desktop.domain.codes import DEFAULT_CODES
from hms_desktop.domain.reference import (
    FRAMEWORKS,
    INSTRUMENTS,
    framework_id,
    framework_level_id,
    instrument_id,
)

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

codes = sa.table(
    "attendance_code",
    *(
        sa.column(name)
        for name in (
            "code",
            "meaning",
            "tutor_paid",
            "billable",
            "makeup_owed",
            "clears_makeup",
            "comment_required",
            "tuition",
            "ensemble",
            "sort_order",
            "active",
        )
    ),
)
instruments = sa.table("instrument", sa.column("id"), sa.column("name"), sa.column("family"))
frameworks = sa.table("framework", sa.column("id"), sa.column("name"), sa.column("kind"))
levels = sa.table(
    "framework_level",
    sa.column("id"),
    sa.column("framework_id"),
    sa.column("ordinal"),
    sa.column("name"),
)


def upgrade() -> None:
    op.bulk_insert(
        codes,
        [c.as_row() for c in DEFAULT_CODES],
    )
    op.bulk_insert(
        instruments,
        [
            {"id": instrument_id(name), "name": name, "family": family}
            for name, family in INSTRUMENTS
        ],
    )
    op.bulk_insert(
        frameworks,
        [{"id": framework_id(name), "name": name, "kind": kind} for name, kind, _ in FRAMEWORKS],
    )
    op.bulk_insert(
        levels,
        [
            {
                "id": framework_level_id(name, level),
                "framework_id": framework_id(name),
                "ordinal": ordinal,
                "name": level,
            }
            for name, _, level_names in FRAMEWORKS
            for ordinal, level in enumerate(level_names)
        ],
    )


def downgrade() -> None:
    op.execute(levels.delete())
    op.execute(frameworks.delete())
    op.execute(instruments.delete())
    op.execute(codes.delete())
