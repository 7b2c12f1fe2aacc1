"""Reasons typed for the audit trail kept beside the chain, as a salted digest in it

A break-the-glass or erasure reason is free text and may name the client. It moves to
`audit_reasons`; the chained entry keeps `reason_digest`, so erasing the client can remove the
reasons about them without breaking the chain. Entries written before keep their reason in
`detail`, as they were hashed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_entries", sa.Column("reason_digest", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_reasons",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["audit_entries.id"], name=op.f("fk_audit_reasons_entry_id_audit_entries")
        ),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_audit_reasons")),
    )


def downgrade() -> None:
    op.drop_table("audit_reasons")
    with op.batch_alter_table("audit_entries") as batch_op:
        batch_op.drop_column("reason_digest")
