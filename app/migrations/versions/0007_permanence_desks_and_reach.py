"""Permanence desk sessions and their visitors; an index for the reach monitor

`desk_sessions` and `desk_visits` hold walk-in and telephone hours and their queue. The index
on contacts (reached, client_id, occurred_at) lets the reach monitor find when each client was
last reached without reading the contact rows.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 09:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["counsellor_id"], ["counsellors.id"],
                                name=op.f("fk_desk_sessions_counsellor_id_counsellors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_sessions")),
    )  # fmt: skip
    op.create_index("ix_desk_sessions_counsellor_id", "desk_sessions", ["counsellor_id"])
    op.create_table(
        "desk_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("arrived_at", sa.DateTime(), nullable=False),
        sa.Column("visitor_name", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=12), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("called_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["desk_sessions.id"], ondelete="CASCADE",
                                name=op.f("fk_desk_visits_session_id_desk_sessions")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], ondelete="SET NULL",
                                name=op.f("fk_desk_visits_client_id_clients")),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="SET NULL",
                                name=op.f("fk_desk_visits_contact_id_contacts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_visits")),
    )  # fmt: skip
    op.create_index("ix_desk_visits_session_id", "desk_visits", ["session_id"])
    op.create_index("ix_desk_visits_client_id", "desk_visits", ["client_id"])
    op.create_index(
        "ix_contacts_reached_client_occurred", "contacts", ["reached", "client_id", "occurred_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_contacts_reached_client_occurred", table_name="contacts")
    op.drop_table("desk_visits")
    op.drop_table("desk_sessions")
