"""Audit trails brought in from a database file (`traject server import-file`)

A file's audit trail cannot join the server's own chain: its ids and hashes are its own, and
rewriting them would be the very thing a chain exists to reveal. It is kept as it was, entry
for entry with its reasons, as a segment (`audit_imported`); the server's chain records the
import with the segment's length and the hash of its newest entry, and `traject check`
verifies the segment and that record. Read-only for every account, like the trail itself.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 07:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_imported",
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("reason_digest", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("segment", "entry_id", name=op.f("pk_audit_imported")),
    )
    op.create_index("ix_audit_imported_client_id", "audit_imported", ["client_id"])
    # what people typed, beside the segment as beside the chain: erasing a client removes it
    op.create_table(
        "audit_imported_reasons",
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("segment", "entry_id", name=op.f("pk_audit_imported_reasons")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    cursor = op.get_bind().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            "ALTER TABLE audit_imported OWNER TO traject_owner;"
            "ALTER TABLE audit_imported ENABLE ROW LEVEL SECURITY;"
            "ALTER TABLE audit_imported FORCE ROW LEVEL SECURITY;"
            "CREATE POLICY owner ON audit_imported TO traject_owner USING (true) WITH CHECK (true);"
            "GRANT SELECT ON audit_imported TO traject_user;"
            "CREATE POLICY see ON audit_imported FOR SELECT TO traject_user USING ("
            " (SELECT traject_is_overseer()) OR client_id IN (SELECT traject_visible_clients()));"
            "CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON audit_imported "
            " FOR EACH ROW EXECUTE FUNCTION traject_refuse_audit_change();"
            "ALTER TABLE audit_imported_reasons OWNER TO traject_owner;"
            "ALTER TABLE audit_imported_reasons ENABLE ROW LEVEL SECURITY;"
            "ALTER TABLE audit_imported_reasons FORCE ROW LEVEL SECURITY;"
            "CREATE POLICY owner ON audit_imported_reasons TO traject_owner USING (true) "
            " WITH CHECK (true);"
            "GRANT SELECT, DELETE ON audit_imported_reasons TO traject_user;"
            "CREATE POLICY see ON audit_imported_reasons FOR SELECT TO traject_user USING ("
            " (segment, entry_id) IN (SELECT segment, entry_id FROM audit_imported));"
            "CREATE POLICY forget ON audit_imported_reasons FOR DELETE TO traject_user "
            " USING ((SELECT traject_is_overseer()));"
        )
    finally:
        cursor.close()


def downgrade() -> None:
    op.drop_table("audit_imported_reasons")
    op.drop_index("ix_audit_imported_client_id", table_name="audit_imported")
    op.drop_table("audit_imported")
