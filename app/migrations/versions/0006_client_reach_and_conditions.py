"""How a client can be reached and what they can manage for work (newcomer first contact)

Channels the client uses, a key person who can reach them, and the practical conditions for
work of source 002: driving licence, means of transport, longest travel time, working hours.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 10:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EMPTY_LIST = sa.text("'[]'")


def upgrade() -> None:
    # plain ADD COLUMN: a batch copy of `clients` would drop the triggers that keep search in sync
    for column in (
        sa.Column("contact_channels", sa.JSON(), nullable=False, server_default=EMPTY_LIST),
        sa.Column("key_person", sa.String(length=300), nullable=True),
        sa.Column("driving_licence", sa.Boolean(), nullable=True),
        sa.Column("transport", sa.JSON(), nullable=False, server_default=EMPTY_LIST),
        sa.Column("max_travel_minutes", sa.Integer(), nullable=True),
        sa.Column("working_hours", sa.JSON(), nullable=False, server_default=EMPTY_LIST),
    ):
        op.add_column("clients", column)


def downgrade() -> None:
    for column in ("working_hours", "max_travel_minutes", "transport", "driving_licence",
                   "key_person", "contact_channels"):  # fmt: skip
        op.execute(f"ALTER TABLE clients DROP COLUMN {column}")  # SQLite 3.35+, keeps triggers
