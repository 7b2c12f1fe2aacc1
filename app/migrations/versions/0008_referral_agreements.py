"""What was agreed in a referral and when the client is expected at the partner

`referrals.agreed` and `referrals.partner_appointment_at` feed the referral letters; the index
on (counsellor_id, follow_up_on) finds the follow-ups due in a counsellor's today list.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 12:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("referrals", sa.Column("agreed", sa.Text(), nullable=True))
    op.add_column("referrals", sa.Column("partner_appointment_at", sa.DateTime(), nullable=True))
    op.create_index("ix_referrals_follow_up", "referrals", ["counsellor_id", "follow_up_on"])


def downgrade() -> None:
    op.drop_index("ix_referrals_follow_up", table_name="referrals")
    op.drop_column("referrals", "partner_appointment_at")
    op.drop_column("referrals", "agreed")
