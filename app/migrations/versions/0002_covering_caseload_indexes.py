"""Covering indexes for the caseload: walking in name order and looking up search matches

The caseload walks active clients in name order checking the folded search text, and a search
looks up the status and name of every index match. With these indexes both read index pages
only; before, each step read a whole client row, which on an encrypted file is a decrypted page.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 18:25:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_clients_status_sort_name", table_name="clients")
    op.create_index("ix_clients_status_sort_name_id_search_text", "clients",
                    ["status", "sort_name", "id", "search_text"])  # fmt: skip
    op.create_index("ix_clients_id_status_sort_name", "clients", ["id", "status", "sort_name"])
    op.execute("ANALYZE clients")  # the planner needs statistics to prefer the new indexes


def downgrade() -> None:
    op.drop_index("ix_clients_id_status_sort_name", table_name="clients")
    op.drop_index("ix_clients_status_sort_name_id_search_text", table_name="clients")
    op.create_index("ix_clients_status_sort_name", "clients", ["status", "sort_name"])
