"""A counsellor's day: action points with their outcome, test results, who referred the
client and whether an interpreter is needed

`action_points` learns who marked a point done and what came of it, with an index for the
caseload's "overdue action points" filter. `clients` learns `interpreter_needed` (source 002)
and `referred_by` with a detail (source 001). `test_results` holds the outcome of the tests
source 000 names. On a team server the new table follows its client like every other
(`0009_team_server`): row-level security, owned by `traject_owner`.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VISIBLE = "((SELECT traject_sees_all()) OR client_id IN (SELECT traject_visible_clients()))"


def upgrade() -> None:
    with op.batch_alter_table("action_points") as batch:
        batch.add_column(sa.Column("done_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("outcome", sa.Text(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_action_points_done_by_counsellors"), "counsellors", ["done_by"], ["id"]
        )
    op.create_index("ix_action_points_status_due_on", "action_points",
                    ["status", "due_on", "client_id"])  # fmt: skip
    # without a batch copy of `clients`, which would drop its search triggers (see 0006)
    op.add_column("clients", sa.Column("interpreter_needed", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))  # fmt: skip
    op.add_column("clients", sa.Column("referred_by", sa.String(length=32), nullable=True))
    op.add_column("clients", sa.Column("referred_by_detail", sa.String(length=200), nullable=True))
    op.create_table(
        "test_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=True),
        sa.Column("level", sa.String(length=8), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("taken_by", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("counsellor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            ondelete="CASCADE",
            name=op.f("fk_test_results_client_id_clients"),
        ),
        sa.ForeignKeyConstraint(
            ["counsellor_id"],
            ["counsellors.id"],
            name=op.f("fk_test_results_counsellor_id_counsellors"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_test_results")),
    )
    op.create_index("ix_test_results_client_id", "test_results", ["client_id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    cursor = op.get_bind().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            "ALTER TABLE test_results OWNER TO traject_owner;"
            "ALTER TABLE test_results ENABLE ROW LEVEL SECURITY;"
            "ALTER TABLE test_results FORCE ROW LEVEL SECURITY;"
            "CREATE POLICY owner ON test_results TO traject_owner USING (true) WITH CHECK (true);"
            f"CREATE POLICY see ON test_results FOR SELECT TO traject_user USING ({VISIBLE});"
            "CREATE POLICY add ON test_results FOR INSERT TO traject_user WITH CHECK "
            f"({VISIBLE} OR traject_unassigned(client_id));"
            f"CREATE POLICY change ON test_results FOR UPDATE TO traject_user USING ({VISIBLE}) "
            f"WITH CHECK ({VISIBLE});"
            "CREATE POLICY remove ON test_results FOR DELETE TO traject_user "
            f"USING ((SELECT traject_is_overseer()) AND {VISIBLE});"
            "GRANT SELECT, INSERT, UPDATE, DELETE ON test_results TO traject_user;"
            "GRANT USAGE, SELECT ON SEQUENCE test_results_id_seq TO traject_user;"
        )
    finally:
        cursor.close()


def downgrade() -> None:
    op.drop_index("ix_test_results_client_id", table_name="test_results")
    op.drop_table("test_results")
    for column in ("referred_by_detail", "referred_by", "interpreter_needed"):
        op.execute(f"ALTER TABLE clients DROP COLUMN {column}")  # SQLite 3.35+, keeps triggers
    op.drop_index("ix_action_points_status_due_on", table_name="action_points")
    with op.batch_alter_table("action_points") as batch:
        batch.drop_constraint(op.f("fk_action_points_done_by_counsellors"), type_="foreignkey")
        batch.drop_column("outcome")
        batch.drop_column("done_by")
