"""Team work (source 003): absences and their cover, notices to the referent, the client's
preferred office, a video appointment's link and platform

`absences` records who is away when (both days included); the backup periods an absence
arranged carry its id in `assignments.absence_id`, so one action undoes them. `notices` tells a
referent that a colleague opened one of their files with a reason or covers their clients.
`clients.preferred_office` feeds the dispatch of new dossiers; `appointments` learns
`video_link` and `video_platform`.

On a team server (`0009_team_server`): who is away when is the team's business (everyone reads
`absences`, which hold no note); one declares one's own absence, a team lead those of their
office, and afterwards an absence is only cancelled, in one's own name. A notice is read and
marked read only by whom it tells, and written only about what its sender did: a break of the
glass they made today, to that file's referent, or the cover of an absence they declared or
undid. A file waiting for dispatch is its creator's for the first hour, not everyone's (0009's
`traject_unassigned` now asks who made it). A backup period names only an absence its writer
declared, and keeps it. How many open files each counsellor follows is a count anyone may ask
(`traject_open_caseloads`). `traject_same_person` tells the desk that a file exists for the
person it is about to register (dossier and referent), for a name with a birth date or a few
phones, records each question and refuses an account that asks too many.

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
ABOUT = "((SELECT traject_sees_all()) OR client_id IN (SELECT traject_visible_clients()))"
#: 0009's rule for adding an assignment period, which 0013 narrows for absences
ASSIGNMENT_ADD = (
    f"(role = 'referent' AND traject_unassigned(client_id)) OR ({OVERSEER} AND {ABOUT}) "
    "OR (role = 'backup' AND ends_on IS NOT NULL AND ends_on <= starts_on + 366 "
    "AND traject_is_referent_of(client_id))"
)
#: same-person checks an account may make in ten minutes (a busy desk makes a few dozen)
SAME_PERSON_LIMIT = 60

SERVER_SQL = f"""
-- whether the caller may arrange cover for this counsellor's absence: their own, or as team
-- lead of the same office (no office: every office), as the services decide
CREATE FUNCTION traject_may_cover(counsellor integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT counsellor = traject_me()
        OR EXISTS (SELECT 1 FROM counsellors me, counsellors c
                    WHERE me.login = session_user AND me.active AND me.role = 'team_lead'
                      AND c.id = counsellor AND (me.office IS NULL OR me.office = c.office))
$$;

-- one absence at a time per counsellor: two declared at once would both pass the overlap check
CREATE FUNCTION traject_lock_absences(counsellor integer) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT pg_advisory_xact_lock(hashtext('traject.absence'), counsellor)
$$;

-- an absence keeps who, when and who declared it; only its cancellation is written later
CREATE FUNCTION traject_keep_absence() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF ((NEW.counsellor_id, NEW.starts_on, NEW.ends_on, NEW.declared_by, NEW.created_at)
        IS DISTINCT FROM (OLD.counsellor_id, OLD.starts_on, OLD.ends_on, OLD.declared_by,
                          OLD.created_at)
        OR OLD.cancelled_at IS NOT NULL)
       AND NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) THEN
        RAISE EXCEPTION 'an absence is only cancelled; declare another instead'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

ALTER TABLE absences OWNER TO traject_owner;
ALTER TABLE absences ENABLE ROW LEVEL SECURITY;
ALTER TABLE absences FORCE ROW LEVEL SECURITY;
CREATE TRIGGER keep_absence BEFORE UPDATE ON absences
    FOR EACH ROW EXECUTE FUNCTION traject_keep_absence();
CREATE POLICY owner ON absences TO traject_owner USING (true) WITH CHECK (true);
CREATE POLICY see ON absences FOR SELECT TO traject_user USING (true);
CREATE POLICY add ON absences FOR INSERT TO traject_user
    WITH CHECK (declared_by = {ME} AND cancelled_at IS NULL AND cancelled_by IS NULL
                AND traject_may_cover(counsellor_id));
CREATE POLICY change ON absences FOR UPDATE TO traject_user
    USING (traject_may_cover(counsellor_id))
    WITH CHECK (traject_may_cover(counsellor_id) AND cancelled_by = {ME});
GRANT SELECT, INSERT, UPDATE ON absences TO traject_user;
GRANT USAGE, SELECT ON SEQUENCE absences_id_seq TO traject_user;

-- a notice tells only what its sender did: a break of the glass they made today on a file
-- whose referent is told, or the cover of an absence they declared or undid, to the one away
-- or a colleague who covers
ALTER TABLE notices OWNER TO traject_owner;
ALTER TABLE notices ADD CONSTRAINT ck_notices_kind
    CHECK (kind IN ('break_glass', 'cover', 'cover_ended'));
ALTER TABLE notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE notices FORCE ROW LEVEL SECURITY;
CREATE POLICY owner ON notices TO traject_owner USING (true) WITH CHECK (true);
CREATE POLICY see ON notices FOR SELECT TO traject_user
    USING (counsellor_id = {ME} OR from_counsellor_id = {ME});
CREATE POLICY add ON notices FOR INSERT TO traject_user WITH CHECK (
    from_counsellor_id = {ME} AND read_at IS NULL AND (
        kind = 'break_glass'
        AND EXISTS (SELECT 1 FROM audit_entries e
                     WHERE e.counsellor_id = {ME} AND e.client_id = notices.client_id
                       AND e.action = 'break_glass'
                       AND e.at > (now() AT TIME ZONE 'UTC') - interval '1 day')
        AND EXISTS (SELECT 1 FROM assignments a
                     WHERE a.client_id = notices.client_id AND a.role = 'referent'
                       AND a.ends_on IS NULL AND a.counsellor_id = notices.counsellor_id)
     OR kind IN ('cover', 'cover_ended')
        AND EXISTS (SELECT 1 FROM absences b
                     WHERE b.id = notices.absence_id
                       AND (b.declared_by = {ME} OR b.cancelled_by = {ME})
                       AND (b.counsellor_id = notices.counsellor_id
                            OR EXISTS (SELECT 1 FROM assignments a
                                        WHERE a.absence_id = b.id
                                          AND a.counsellor_id = notices.counsellor_id)))));
CREATE POLICY change ON notices FOR UPDATE TO traject_user
    USING (counsellor_id = {ME}) WITH CHECK (counsellor_id = {ME});
GRANT SELECT, INSERT, UPDATE ON notices TO traject_user;
GRANT USAGE, SELECT ON SEQUENCE notices_id_seq TO traject_user;

-- a file waiting for dispatch (no referent yet) is its creator's for the first hour, not
-- everyone's: only they give it a first referent or write into it meanwhile (0009 let any
-- account do so, which did not matter while every new file got its referent at once)
CREATE OR REPLACE FUNCTION traject_unassigned(client integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM clients WHERE id = client
                   AND created_at > (now() AT TIME ZONE 'UTC') - interval '1 hour')
       AND NOT EXISTS (SELECT 1 FROM assignments WHERE client_id = client
                       AND role = 'referent' AND ends_on IS NULL)
       AND EXISTS (SELECT 1 FROM audit_entries WHERE client_id = client AND action = 'create'
                   AND counsellor_id = traject_me())
$$;

-- a backup period names the absence that made it only if the caller declared that absence;
-- and it keeps that absence, as it keeps its client, counsellor, role and start
DROP POLICY add ON assignments;
CREATE POLICY add ON assignments FOR INSERT TO traject_user WITH CHECK (
    ({ASSIGNMENT_ADD})
    AND (absence_id IS NULL OR absence_id IN (SELECT id FROM absences
                                               WHERE declared_by = {ME} AND cancelled_at IS NULL)));
CREATE OR REPLACE FUNCTION traject_keep_assignment() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.client_id, NEW.counsellor_id, NEW.role, NEW.starts_on, NEW.absence_id)
       IS DISTINCT FROM (OLD.client_id, OLD.counsellor_id, OLD.role, OLD.starts_on, OLD.absence_id)
       AND NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) THEN
        RAISE EXCEPTION 'an assignment period only ends; start a new one instead'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

-- how many active clients each active counsellor is referent of now: a count, nothing more
CREATE FUNCTION traject_open_caseloads() RETURNS TABLE (counsellor_id integer, open bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT a.counsellor_id, count(*) FROM assignments a JOIN clients c ON c.id = a.client_id
     WHERE a.role = 'referent' AND a.ends_on IS NULL AND c.status = 'active'
     GROUP BY a.counsellor_id
$$;

-- before a new file is made: whether one exists for the same folded name with the same birth
-- date or one of (at most four) phones, whoever follows it: the dossier number and its
-- referent, so the desk opens that file (breaking the glass, recorded) instead of making a
-- second one. Every question is in the audit trail, and an account that asks more than
-- {SAME_PERSON_LIMIT} in ten minutes is refused: a name alone does not walk the birth dates.
CREATE FUNCTION traject_same_person(folded_name text, born date, phones text[])
RETURNS TABLE (client_id integer, dossier text, referent_id integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me integer := traject_me();
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'no active Traject account for %', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF coalesce(cardinality(phones), 0) > 4 OR born IS NULL AND coalesce(cardinality(phones), 0) = 0
       OR length(btrim(coalesce(folded_name, ''))) < 3 THEN
        RAISE EXCEPTION 'a name with a birth date or up to four phones'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (SELECT count(*) FROM audit_entries
         WHERE counsellor_id = me AND detail = 'same person check'
           AND at > (now() AT TIME ZONE 'UTC') - interval '10 minutes') >= {SAME_PERSON_LIMIT} THEN
        RAISE EXCEPTION 'too many same-person checks' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO audit_entries (at, counsellor_id, action, detail, prev_hash, hash)
    VALUES (now() AT TIME ZONE 'UTC', me, 'view', 'same person check', '', '');
    RETURN QUERY
    SELECT c.id, c.dossier::text, r.counsellor_id FROM clients c
      LEFT JOIN assignments r ON r.client_id = c.id AND r.role = 'referent' AND r.ends_on IS NULL
     WHERE c.sort_name = folded_name
       AND (c.birth_date = born OR c.phone = ANY(phones) OR c.phone_alt = ANY(phones))
     ORDER BY c.id LIMIT 5;
END
$$;

ALTER FUNCTION traject_keep_absence() OWNER TO traject_owner;
REVOKE ALL ON FUNCTION traject_keep_absence() FROM PUBLIC;
"""

#: What every account calls, itself or through a policy; owned by `traject_owner` like 0009's.
CALLABLE = ("traject_may_cover(integer)", "traject_lock_absences(integer)",
            "traject_open_caseloads()", "traject_same_person(text, date, text[])")  # fmt: skip
SERVER_SQL += "".join(
    f"ALTER FUNCTION {f} OWNER TO traject_owner; REVOKE ALL ON FUNCTION {f} FROM PUBLIC; "
    f"GRANT EXECUTE ON FUNCTION {f} TO traject_user;\n"
    for f in CALLABLE
)
SERVER_SQL += """
"""


def upgrade() -> None:
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("declared_by", sa.Integer(), nullable=False),
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


DOWNGRADE_SQL = f"""
DROP POLICY add ON assignments;
CREATE POLICY add ON assignments FOR INSERT TO traject_user WITH CHECK ({ASSIGNMENT_ADD});
CREATE OR REPLACE FUNCTION traject_keep_assignment() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.client_id, NEW.counsellor_id, NEW.role, NEW.starts_on)
       IS DISTINCT FROM (OLD.client_id, OLD.counsellor_id, OLD.role, OLD.starts_on)
       AND NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) THEN
        RAISE EXCEPTION 'an assignment period only ends; start a new one instead'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE FUNCTION traject_unassigned(client integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM clients WHERE id = client
                   AND created_at > (now() AT TIME ZONE 'UTC') - interval '1 hour')
       AND NOT EXISTS (SELECT 1 FROM assignments WHERE client_id = client
                       AND role = 'referent' AND ends_on IS NULL)
$$;
DROP FUNCTION traject_same_person(text, date, text[]);
DROP FUNCTION traject_open_caseloads();
DROP FUNCTION traject_lock_absences(integer);
"""


def downgrade() -> None:
    server = op.get_bind().dialect.name == "postgresql"
    if server:
        op.execute(DOWNGRADE_SQL)
    # SQLite 3.35+ drops a column in place, keeping triggers and partial indexes
    op.execute("ALTER TABLE appointments DROP COLUMN video_platform")
    op.execute("ALTER TABLE appointments DROP COLUMN video_link")
    op.execute("ALTER TABLE clients DROP COLUMN preferred_office")
    op.execute("ALTER TABLE assignments DROP COLUMN absence_id")
    op.drop_index("ix_notices_counsellor_read", table_name="notices")
    op.drop_table("notices")
    op.drop_index("ix_absences_counsellor_period", table_name="absences")
    op.drop_table("absences")
    if server:  # once nothing refers to them any more
        op.execute("DROP FUNCTION traject_may_cover(integer); DROP FUNCTION traject_keep_absence()")
