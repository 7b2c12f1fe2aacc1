"""Consent per purpose (sharing with a named partner, messages via a support person, WhatsApp)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "share_with_partner",
                "messages_via_support_person",
                "whatsapp",
                name="consentpurpose",
                native_enum=False,
                create_constraint=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("partner", sa.String(length=300), nullable=True),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_consents_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["counsellors.id"], name=op.f("fk_consents_recorded_by_counsellors")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by"], ["counsellors.id"], name=op.f("fk_consents_withdrawn_by_counsellors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_client_id", "consents", ["client_id"])


def downgrade() -> None:
    op.drop_index("ix_consents_client_id", table_name="consents")
    op.drop_table("consents")
