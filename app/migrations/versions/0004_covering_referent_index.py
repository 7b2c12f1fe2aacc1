"""Covering index for the referent column of the caseload

Each row of the caseload shows the name of the client's referent. With this partial index on
open referent periods the lookup reads index pages only, not the wide assignment rows (on an
encrypted file every page read for the first time is decrypted).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_REFERENT = "role = 'referent' AND ends_on IS NULL"


def upgrade() -> None:
    op.create_index("ix_assignments_open_referent_counsellor", "assignments",
                    ["client_id", "role", "ends_on", "counsellor_id"], sqlite_where=sa.text(OPEN_REFERENT),
                    postgresql_where=sa.text(OPEN_REFERENT))  # fmt: skip
    op.execute("ANALYZE assignments")


def downgrade() -> None:
    op.drop_index("ix_assignments_open_referent_counsellor", table_name="assignments")
