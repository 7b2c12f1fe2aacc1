"""Team work (source 003): absences and their cover, notices to the referent, the client's
preferred office, a video appointment's link and platform

`absences` records who is away when (both days included); the backup periods an absence
arranged carry its id in `assignments.absence_id`, so one action undoes them. `notices` tells a
referent that a colleague opened one of their files with a reason or covers their clients.
`clients.preferred_office` feeds the dispatch of new dossiers; `appointments` learns
`video_link` and `video_platform`.

On a team server (`0009_team_server`): who is away is the team's business (everyone reads
`absences`; one declares one's own, a team lead or administrator anyone's). A notice is read
and marked read only by whom it tells, and written only in one's own name. How many open
files each counsellor follows is a count anyone may ask (`traject_open_caseloads`), so a
counsellor spreading their own cover, or a dispatch, can weigh the load without reading a
colleague's clients. `traject_same_person` tells the desk that a file for the person it is about
to register exists (dossier and referent), so no second file is made for them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 11:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OVERSEER = "(SELECT traject_is_overseer())"
ME = "(SELECT traject_me())"

SERVER_SQL = f"""
ALTER TABLE absences OWNER TO traject_owner;
ALTER TABLE absences ENABLE ROW LEVEL SECURITY;
ALTER TABLE absences FORCE ROW LEVEL SECURITY;
CREATE POLICY owner ON absences TO traject_owner USING (true) WITH CHECK (true);
CREATE POLICY see ON absences FOR SELECT TO traject_user USING (true);
CREATE POLICY add ON absences FOR INSERT TO traject_user
    WITH CHECK (declared_by = {ME} AND (counsellor_id = {ME} OR {OVERSEER}));
CREATE POLICY change ON absences FOR UPDATE TO traject_user
    USING (counsellor_id = {ME} OR {OVERSEER})
    WITH CHECK (counsellor_id = {ME} OR {OVERSEER});
GRANT SELECT, INSERT, UPDATE ON absences TO traject_user;
GRANT USAGE, SELECT ON SEQUENCE absences_id_seq TO traject_user;

ALTER TABLE notices OWNER TO traject_owner;
ALTER TABLE notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE notices FORCE ROW LEVEL SECURITY;
CREATE POLICY owner ON notices TO traject_owner USING (true) WITH CHECK (true);
CREATE POLICY see ON notices FOR SELECT TO traject_user
    USING (counsellor_id = {ME} OR from_counsellor_id = {ME});
CREATE POLICY add ON notices FOR INSERT TO traject_user WITH CHECK (from_counsellor_id = {ME});
CREATE POLICY change ON notices FOR UPDATE TO traject_user
    USING (counsellor_id = {ME}) WITH CHECK (counsellor_id = {ME});
GRANT SELECT, INSERT, UPDATE ON notices TO traject_user;
GRANT USAGE, SELECT ON SEQUENCE notices_id_seq TO traject_user;

-- how many active clients each active counsellor is referent of now: a count, nothing more
CREATE FUNCTION traject_open_caseloads() RETURNS TABLE (counsellor_id integer, open bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT a.counsellor_id, count(*) FROM assignments a JOIN clients c ON c.id = a.client_id
     WHERE a.role = 'referent' AND a.ends_on IS NULL AND c.status = 'active'
     GROUP BY a.counsellor_id
$$;
ALTER FUNCTION traject_open_caseloads() OWNER TO traject_owner;
REVOKE ALL ON FUNCTION traject_open_caseloads() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION traject_open_caseloads() TO traject_user;

-- before a new file is made: whether one exists for the same folded name with the same birth
-- date or phone, whoever follows it. It answers only what the caller typed (a name together with
-- a birth date or a phone): the dossier number and its referent, so the desk opens that file
-- (breaking the glass, recorded) instead of making a second one.
CREATE FUNCTION traject_same_person(folded_name text, born date, phones text[])
RETURNS TABLE (client_id integer, dossier text, referent_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT c.id, c.dossier, r.counsellor_id FROM clients c
      LEFT JOIN assignments r ON r.client_id = c.id AND r.role = 'referent' AND r.ends_on IS NULL
     WHERE EXISTS (SELECT 1 FROM counsellors WHERE login = session_user AND active)
       AND c.sort_name = folded_name
       AND (c.birth_date = born OR c.phone = ANY(phones) OR c.phone_alt = ANY(phones))
     ORDER BY c.id LIMIT 5
$$;
ALTER FUNCTION traject_same_person(text, date, text[]) OWNER TO traject_owner;
REVOKE ALL ON FUNCTION traject_same_person(text, date, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION traject_same_person(text, date, text[]) TO traject_user;
"""


def upgrade() -> None:
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("declared_by", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_by", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["counsellor_id"], ["counsellors.id"],
                                name=op.f("fk_absences_counsellor_id_counsellors")),
        sa.ForeignKeyConstraint(["declared_by"], ["counsellors.id"],
                                name=op.f("fk_absences_declared_by_counsellors")),
        sa.ForeignKeyConstraint(["cancelled_by"], ["counsellors.id"],
                                name=op.f("fk_absences_cancelled_by_counsellors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
    )  # fmt: skip
    op.create_index("ix_absences_counsellor_period", "absences", ["counsellor_id", "ends_on"])
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("from_counsellor_id", sa.Integer(), nullable=False),
        sa.Column("absence_id", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["counsellor_id"], ["counsellors.id"],
                                name=op.f("fk_notices_counsellor_id_counsellors")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], ondelete="CASCADE",
                                name=op.f("fk_notices_client_id_clients")),
        sa.ForeignKeyConstraint(["from_counsellor_id"], ["counsellors.id"],
                                name=op.f("fk_notices_from_counsellor_id_counsellors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )  # fmt: skip
    op.create_index("ix_notices_counsellor_read", "notices", ["counsellor_id", "read_at"])
    # plain ADD COLUMN, no batch copy: `clients` keeps its search triggers (see 0006) and
    # `assignments` its partial indexes
    op.add_column("assignments", sa.Column("absence_id", sa.Integer(), nullable=True))
    op.add_column("clients", sa.Column("preferred_office", sa.String(length=200), nullable=True))
    op.add_column("appointments", sa.Column("video_link", sa.String(length=500), nullable=True))
    op.add_column("appointments", sa.Column("video_platform", sa.String(length=32), nullable=True))
    if op.get_bind().dialect.name != "postgresql":
        return
    cursor = op.get_bind().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(SERVER_SQL)
    finally:
        cursor.close()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION traject_same_person(text, date, text[])")
        op.execute("DROP FUNCTION traject_open_caseloads()")
    # SQLite 3.35+ drops a column in place, keeping triggers and partial indexes
    op.execute("ALTER TABLE appointments DROP COLUMN video_platform")
    op.execute("ALTER TABLE appointments DROP COLUMN video_link")
    op.execute("ALTER TABLE clients DROP COLUMN preferred_office")
    op.execute("ALTER TABLE assignments DROP COLUMN absence_id")
    op.drop_index("ix_notices_counsellor_read", table_name="notices")
    op.drop_table("notices")
    op.drop_index("ix_absences_counsellor_period", table_name="absences")
    op.drop_table("absences")
