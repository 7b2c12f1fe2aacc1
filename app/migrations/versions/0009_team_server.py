"""The team server: roles, row-level security, an insert-only audit trail (PostgreSQL only)

On a PostgreSQL server of record each counsellor signs in as their own login role, member of
the group role `traject_user`. The tables belong to `traject_owner`, a role nobody signs in as;
FORCE ROW LEVEL SECURITY holds the owner to the policies too (its own policy lets the SECURITY
DEFINER functions below read what they need). What a member of `traject_user` sees:

- a client and everything about them when the client is in their caseload today (referent, or
  backup on that day), in their office when they are a team lead (every office when the team
  lead has none), or when they broke the glass for that client today, which only
  `traject_break_glass` can record, with the reason;
- nothing else: a counsellor may register a client for a colleague (the desk) and then no
  longer read it. Rows about a client are written only for a client they see, or for one
  registered within the hour that has no referent yet (its creation is about to give it one);
- the desk's visitors: those of their own desk sessions, and of every desk for team leads;
- the audit entries they wrote and those about clients they see; team leads and admins all;
- counsellors, offers and settings: all; changed only by admins (counsellors, settings) or
  team leads and admins (offers).

The audit trail is chained by a BEFORE INSERT trigger under `pg_advisory_xact_lock`: the id,
the time, the previous hash and the hash are the server's, whatever an INSERT says, so two
sessions cannot both read the same last entry, and nobody can write a forged link. UPDATE,
DELETE and TRUNCATE of entries are not granted and a trigger refuses them, whoever asks.

Account functions create, drop and re-password login roles for admins; the password arrives
as a SCRAM verifier computed on the admin's machine, never as text.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 06:20:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Tables with a client_id: what a counsellor sees of them follows the client.
CLIENT_TABLES = ("appointments", "assignments", "consents", "contacts", "notes", "script_runs",
                 "action_points", "referrals")  # fmt: skip
ALL_TABLES = ("alembic_version", "clients", "counsellors", "offers", "org_settings",
              "audit_entries", "audit_reasons", "desk_sessions", "desk_visits", "script_answers",
              "referral_events", *CLIENT_TABLES)  # fmt: skip

#: What colleagues' windows show and follow live: the caseload, Today and the agenda.
LIVE_TABLES = ("clients", "assignments", "appointments", "contacts", "referrals",
               "action_points", "desk_visits")  # fmt: skip

ROLES = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'traject_owner') THEN
        CREATE ROLE traject_owner NOLOGIN CREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'traject_user') THEN
        CREATE ROLE traject_user NOLOGIN;
    END IF;
    -- the owner adds accounts to the group (PostgreSQL 16 asks for the ADMIN option) without
    -- becoming a member whose privileges or policies apply to it
    IF current_setting('server_version_num')::int >= 160000 THEN
        EXECUTE 'GRANT traject_user TO traject_owner WITH ADMIN OPTION, INHERIT FALSE, SET FALSE';
    END IF;
END
$$;
"""

FUNCTIONS = r"""
CREATE FUNCTION traject_time_zone() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT value FROM org_settings WHERE key = 'server.time_zone'),
                    'Europe/Brussels')
$$;

CREATE FUNCTION traject_today() RETURNS date
LANGUAGE sql STABLE AS $$ SELECT (now() AT TIME ZONE traject_time_zone())::date $$;

CREATE FUNCTION traject_me() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT id FROM counsellors WHERE login = session_user AND active
$$;

CREATE FUNCTION traject_my_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT role FROM counsellors WHERE login = session_user AND active
$$;

-- a team lead without an office oversees every office; the superuser (server upkeep, a demo)
-- sees everything anyway, row-level security or not
CREATE FUNCTION traject_sees_all() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
        OR coalesce((SELECT role = 'team_lead' AND office IS NULL FROM counsellors
                     WHERE login = session_user AND active), false)
$$;

CREATE FUNCTION traject_is_overseer() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT coalesce(traject_my_role() IN ('team_lead', 'admin'), false) $$;

CREATE FUNCTION traject_is_admin() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT coalesce(traject_my_role() = 'admin', false) $$;

-- a client registered within the hour that nobody is referent of yet: a new file's first
-- rows may be written (its referent among them). An older file without a referent is not
-- for anyone to claim: a team lead assigns it.
CREATE FUNCTION traject_unassigned(client integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM clients WHERE id = client
                   AND created_at > (now() AT TIME ZONE 'UTC') - interval '1 hour')
       AND NOT EXISTS (SELECT 1 FROM assignments WHERE client_id = client
                       AND role = 'referent' AND ends_on IS NULL)
$$;

CREATE FUNCTION traject_visible_clients() RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH me AS (SELECT id, role, office FROM counsellors WHERE login = session_user AND active),
         today AS (SELECT traject_today() AS d)
    SELECT a.client_id FROM assignments a, me, today
     WHERE a.counsellor_id = me.id
       AND (a.role = 'referent' AND a.ends_on IS NULL
            OR a.role = 'backup' AND a.starts_on <= today.d AND a.ends_on > today.d)
    UNION
    SELECT e.client_id FROM audit_entries e, me, today
     WHERE e.counsellor_id = me.id AND e.action = 'break_glass' AND e.client_id IS NOT NULL
       AND e.at >= (today.d::timestamp AT TIME ZONE traject_time_zone()) AT TIME ZONE 'UTC'
    UNION
    SELECT c.id FROM me, clients c
      LEFT JOIN assignments r ON r.client_id = c.id AND r.role = 'referent' AND r.ends_on IS NULL
      LEFT JOIN counsellors o ON o.id = r.counsellor_id
     WHERE me.role = 'team_lead' AND me.office IS NOT NULL
       AND (r.id IS NULL OR o.office = me.office)
$$;

-- the next dossier number of a year, counted over every client (RLS would count only one's
-- own); the lock holds until the new client is committed, so no two get the same number
CREATE FUNCTION traject_next_dossier(year integer) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    last text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('traject.dossier'));
    SELECT max(dossier) INTO last FROM clients WHERE dossier LIKE 'T-' || year || '-%';
    RETURN 'T-' || year || '-' || lpad((coalesce(split_part(last, '-', 3)::integer, 0) + 1)::text,
                                       6, '0');
END
$$;

-- the ids of the clients one of whose folded words starts with every one of `prefixes`
-- (`every`), or with any of them, among those the caller may see. Row-level security would keep
-- a LIKE from using the trigram index (LIKE is not "leakproof"); here, as the owner, it can.
-- The rows the caller may not see are left out before any LIKE looks at them (OFFSET 0 keeps
-- the planner from moving the LIKE ahead), and the patterns are made here from plain words,
-- so no error or timing can tell anything about a row the caller could not read anyway.
CREATE FUNCTION traject_search(prefixes text[], every boolean) RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    conditions text;
BEGIN
    IF coalesce(array_length(prefixes, 1), 0) = 0 THEN
        RETURN;
    END IF;
    SELECT string_agg(format('(%L || search_text) LIKE %L', ' ',
                             '% ' || replace(replace(replace(w, '\', '\\'), '%', '\%'), '_', '\_')
                             || '%'),
                      CASE WHEN every THEN ' AND ' ELSE ' OR ' END)
      INTO conditions FROM unnest(prefixes) AS w;
    IF traject_sees_all() THEN
        RETURN QUERY EXECUTE 'SELECT id FROM clients WHERE ' || conditions;
    ELSE
        RETURN QUERY EXECUTE 'SELECT id FROM (SELECT id, search_text FROM clients '
            || 'WHERE id = ANY(ARRAY(SELECT traject_visible_clients())) OFFSET 0) AS mine '
            || 'WHERE ' || conditions;
    END IF;
END
$$;

-- whether a client file exists, whoever may read it (an erasure's entries and reasons)
CREATE FUNCTION traject_client_exists(client integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM clients WHERE id = client)
$$;

-- the referent of this client now is the caller (who arranges their own cover)
CREATE FUNCTION traject_is_referent_of(client integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM assignments WHERE client_id = client AND role = 'referent'
                   AND ends_on IS NULL AND counsellor_id = traject_me())
$$;

-- an assignment period keeps its client, counsellor, role and start: only its end (and note)
-- change, so nobody turns a colleague's period into their own
CREATE FUNCTION traject_keep_assignment() RETURNS trigger
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

-- the session-level lock that lets one import run at a time (advisory locks are the owner's:
-- an account cannot take the audit trail's or the dossier numbers' and hold everyone up)
CREATE FUNCTION traject_try_import_lock() RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT pg_try_advisory_lock(hashtext('traject.import'))
$$;

CREATE FUNCTION traject_import_unlock() RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT pg_advisory_unlock(hashtext('traject.import'))
$$;

-- the chain link, exactly as app.services.privacy.audit.entry_hash writes it in Python
CREATE FUNCTION traject_entry_hash(entry_id integer, at timestamp, counsellor_id integer,
                                   action text, client_id integer, detail text, prev_hash text,
                                   reason_digest text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(
        '[' || entry_id::text
        || ',' || to_json(to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.US'))::text
        || ',' || coalesce(counsellor_id::text, 'null')
        || ',' || to_json(action)::text
        || ',' || coalesce(client_id::text, 'null')
        || ',' || coalesce(to_json(detail)::text, 'null')
        || ',' || to_json(prev_hash)::text
        || coalesce(',' || to_json(reason_digest)::text, '')
        || ']', 'UTF8')), 'hex')
$$;

CREATE FUNCTION traject_chain_audit_entry() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    last_id integer;
    last_hash text;
BEGIN
    -- under READ COMMITTED each statement sees what committed before it: after the lock, the
    -- last entry is the one the previous holder committed
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit entries are appended in READ COMMITTED transactions only';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('traject.audit_entries'));
    SELECT id, hash INTO last_id, last_hash FROM audit_entries ORDER BY id DESC LIMIT 1;
    NEW.id := coalesce(last_id, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
    NEW.at := date_trunc('microseconds', clock_timestamp() AT TIME ZONE 'UTC');
    NEW.hash := traject_entry_hash(NEW.id, NEW.at, NEW.counsellor_id, NEW.action,
                                   NEW.client_id, NEW.detail, NEW.prev_hash, NEW.reason_digest);
    RETURN NEW;
END
$$;

-- colleagues' windows follow changes (LISTEN traject_changes): the table's name only, no row,
-- so a notification tells nobody anything their row-level security would hide
CREATE FUNCTION traject_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('traject_changes', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE FUNCTION traject_refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- `counsellor` names who acts; only a superuser (server upkeep, tests) may name anyone else
CREATE FUNCTION traject_break_glass(client integer, reason text, counsellor integer)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me integer := traject_me();
    salt text := replace(gen_random_uuid()::text, '-', '');
    entry integer;
BEGIN
    IF coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) THEN
        me := counsellor;
    END IF;
    IF me IS NULL OR me IS DISTINCT FROM counsellor THEN
        RAISE EXCEPTION 'no active Traject account for %', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    reason := btrim(regexp_replace(reason, '\s+', ' ', 'g'));
    IF length(reason) < 10 THEN
        RAISE EXCEPTION 'a reason of at least 10 characters is needed'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM clients WHERE id = client) THEN
        RAISE EXCEPTION 'no client %', client USING ERRCODE = 'no_data_found';
    END IF;
    INSERT INTO audit_entries (at, counsellor_id, action, client_id, prev_hash, hash,
                               reason_digest)
    VALUES (now(), me, 'break_glass', client, '', '',
            encode(sha256(convert_to(salt || ':' || reason, 'UTF8')), 'hex'))
    RETURNING id INTO entry;
    INSERT INTO audit_reasons (entry_id, salt, text) VALUES (entry, salt, reason);
    RETURN entry;
END
$$;

CREATE FUNCTION traject_require_admin() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
       AND NOT traject_is_admin() THEN
        RAISE EXCEPTION 'only an administrator can manage accounts'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

CREATE FUNCTION traject_check_verifier(verifier text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF verifier IS NULL OR verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION 'a password arrives as a SCRAM-SHA-256 verifier, never as text'
            USING ERRCODE = 'invalid_password';
    END IF;
END
$$;

CREATE FUNCTION traject_create_login(login text, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM traject_require_admin();
    PERFORM traject_check_verifier(verifier);
    IF NOT EXISTS (SELECT 1 FROM counsellors c WHERE c.login = traject_create_login.login
                   AND c.active) THEN
        RAISE EXCEPTION 'no active counsellor with login %', login
            USING ERRCODE = 'no_data_found';
    END IF;
    IF login !~ '^[a-z0-9][a-z0-9._-]{1,62}$' OR login LIKE 'pg\_%' OR login LIKE 'traject\_%' THEN
        RAISE EXCEPTION 'login % cannot be a server account', login
            USING ERRCODE = 'invalid_name';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
        RAISE EXCEPTION 'the server already has an account %', login
            USING ERRCODE = 'duplicate_object';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE traject_user', login, verifier);
END
$$;

CREATE FUNCTION traject_drop_login(login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM traject_require_admin();
    IF login = session_user THEN
        RAISE EXCEPTION 'an administrator cannot remove their own account'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT pg_has_role(login, 'traject_user', 'MEMBER') THEN
        RAISE EXCEPTION '% is not a Traject account', login USING ERRCODE = 'undefined_object';
    END IF;
    -- first no more sign-ins and no open session; then the role goes, unless something it
    -- made still depends on it (it stays, unable to sign in)
    EXECUTE format('ALTER ROLE %I NOLOGIN', login);
    PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = login;
    BEGIN
        EXECUTE format('DROP ROLE %I', login);
    EXCEPTION WHEN dependent_objects_still_exist THEN
        NULL;
    END;
END
$$;

CREATE FUNCTION traject_set_password(login text, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF login <> session_user THEN
        PERFORM traject_require_admin();
    END IF;
    PERFORM traject_check_verifier(verifier);
    IF NOT pg_has_role(login, 'traject_user', 'MEMBER') THEN
        RAISE EXCEPTION '% is not a Traject account', login USING ERRCODE = 'undefined_object';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
END
$$;
"""

#: What an account could otherwise do to everyone: take the advisory locks the audit trail and
#: the dossier numbers wait for (and hold every colleague up), keep objects of its own that
#: stop its role from being dropped (large objects, temporary tables), or sit in an open
#: transaction for ever.
HARDENING = r"""
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.proname LIKE 'pg\_%advisory%lock%' AND p.proname NOT LIKE '%unlock%'
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO traject_owner', f);
    END LOOP;
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.proname IN ('lo_create', 'lo_creat', 'lo_import', 'lo_from_bytea')
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('ALTER DATABASE %I SET idle_in_transaction_session_timeout = %L',
                   current_database(), '10min');
    GRANT pg_signal_backend TO traject_owner;
END
$$;
"""

FUNCTION_NAMES = ("traject_time_zone()", "traject_today()", "traject_me()", "traject_my_role()",
                  "traject_sees_all()", "traject_is_overseer()", "traject_is_admin()",
                  "traject_unassigned(integer)", "traject_next_dossier(integer)", "traject_search(text[], boolean)", "traject_client_exists(integer)", "traject_is_referent_of(integer)", "traject_keep_assignment()", "traject_try_import_lock()", "traject_import_unlock()", "traject_visible_clients()",
                  "traject_entry_hash(integer, timestamp, integer, text, integer, text, text, text)",
                  "traject_chain_audit_entry()", "traject_refuse_audit_change()", "traject_notify_change()",
                  "traject_break_glass(integer, text, integer)", "traject_require_admin()",
                  "traject_check_verifier(text)", "traject_create_login(text, text)",
                  "traject_drop_login(text)", "traject_set_password(text, text)")  # fmt: skip
CALLABLE = ("traject_today()", "traject_me()", "traject_my_role()", "traject_sees_all()",
            "traject_is_overseer()", "traject_is_admin()", "traject_unassigned(integer)", "traject_next_dossier(integer)", "traject_search(text[], boolean)", "traject_client_exists(integer)", "traject_is_referent_of(integer)", "traject_try_import_lock()", "traject_import_unlock()",
            "traject_visible_clients()", "traject_time_zone()",
            "traject_entry_hash(integer, timestamp, integer, text, integer, text, text, text)",
            "traject_break_glass(integer, text, integer)", "traject_create_login(text, text)",
            "traject_drop_login(text)", "traject_set_password(text, text)")  # fmt: skip

VISIBLE = "((SELECT traject_sees_all()) OR {column} IN (SELECT traject_visible_clients()))"


def _policies() -> list[str]:
    client = VISIBLE.format(column="id")
    statements = [
        f"CREATE POLICY see ON clients FOR SELECT TO traject_user USING ({client})",
        "CREATE POLICY add ON clients FOR INSERT TO traject_user WITH CHECK (true)",
        f"CREATE POLICY change ON clients FOR UPDATE TO traject_user USING ({client}) "
        "WITH CHECK (true)",
        f"CREATE POLICY erase ON clients FOR DELETE TO traject_user "
        f"USING ((SELECT traject_is_overseer()) AND {client})",
    ]
    about = VISIBLE.format(column="client_id")
    overseer = "(SELECT traject_is_overseer())"
    for table in CLIENT_TABLES:
        if table == "assignments":
            continue
        statements += [
            f"CREATE POLICY see ON {table} FOR SELECT TO traject_user USING ({about})",
            f"CREATE POLICY add ON {table} FOR INSERT TO traject_user WITH CHECK "
            f"({about} OR traject_unassigned(client_id))",
            f"CREATE POLICY change ON {table} FOR UPDATE TO traject_user USING ({about}) "
            f"WITH CHECK ({about})",
            # removing what a file holds is an erasure: team leads and administrators
            f"CREATE POLICY remove ON {table} FOR DELETE TO traject_user "
            f"USING ({overseer} AND {about})",
        ]
    # who follows a client: a new file gets its first referent; the referent arranges a
    # backup (for a period with an end); a team lead or an administrator reassigns. A period
    # only ends (trigger traject_keep_assignment); none is removed but by an erasure.
    own_cover = ("role = 'backup' AND ends_on IS NOT NULL AND ends_on <= starts_on + 366 "
                 "AND traject_is_referent_of(client_id)")  # fmt: skip
    statements += [
        f"CREATE POLICY see ON assignments FOR SELECT TO traject_user USING ({about})",
        "CREATE POLICY add ON assignments FOR INSERT TO traject_user WITH CHECK ("
        f"(role = 'referent' AND traject_unassigned(client_id)) OR ({overseer} AND {about}) "
        f"OR ({own_cover}))",
        "CREATE POLICY change ON assignments FOR UPDATE TO traject_user USING ("
        f"({overseer} AND {about}) OR traject_is_referent_of(client_id))",
        f"CREATE POLICY remove ON assignments FOR DELETE TO traject_user USING ({overseer} AND {about})",
    ]
    for table, parent, key in (("referral_events", "referrals", "referral_id"),
                               ("script_answers", "script_runs", "run_id")):  # fmt: skip
        through = f"{key} IN (SELECT id FROM {parent})"  # the parent's own policy applies
        statements += [
            f"CREATE POLICY see ON {table} FOR SELECT TO traject_user USING ({through})",
            f"CREATE POLICY add ON {table} FOR INSERT TO traject_user WITH CHECK ({through})",
            f"CREATE POLICY change ON {table} FOR UPDATE TO traject_user USING ({through})",
            f"CREATE POLICY remove ON {table} FOR DELETE TO traject_user USING ({through})",
        ]
    # a walk-in without a file (a name, a question) is for the desk that serves them and for
    # team leads and admins, not for every account
    desk = "({v} OR (SELECT traject_is_overseer()) OR session_id IN (SELECT id FROM desk_sessions WHERE counsellor_id = traject_me()))"  # fmt: skip
    desk_visits = desk.format(v=about)
    statements += [
        f"CREATE POLICY see ON desk_visits FOR SELECT TO traject_user USING ({desk_visits})",
        f"CREATE POLICY add ON desk_visits FOR INSERT TO traject_user WITH CHECK ({desk_visits})",
        f"CREATE POLICY change ON desk_visits FOR UPDATE TO traject_user USING ({desk_visits})",
        f"CREATE POLICY remove ON desk_visits FOR DELETE TO traject_user USING ({desk_visits})",
        "CREATE POLICY see ON desk_sessions FOR SELECT TO traject_user USING (true)",
        "CREATE POLICY add ON desk_sessions FOR INSERT TO traject_user "
        "WITH CHECK (counsellor_id = traject_me())",
        "CREATE POLICY change ON desk_sessions FOR UPDATE TO traject_user "
        "USING (counsellor_id = traject_me() OR traject_is_overseer())",
        # the audit trail: append your own entries; read yours, those about clients you see,
        # or all of it as a team lead or admin
        "CREATE POLICY see ON audit_entries FOR SELECT TO traject_user USING ("
        f"(SELECT traject_is_overseer()) OR counsellor_id = (SELECT traject_me()) OR {about})",
        # what the app records, in one's own name; an erasure only once the file is gone;
        # accounts by administrators; a break of the glass and a moved file only by the server
        "CREATE POLICY add ON audit_entries FOR INSERT TO traject_user WITH CHECK ("
        "counsellor_id = traject_me() AND (action IN ('view', 'create', 'change', 'export', "
        "'print', 'login', 'login_failed', 'lock', 'unlock', 'setting', 'backup', 'restore') "
        "OR (action = 'erase' AND (SELECT traject_is_overseer()) "
        "AND NOT traject_client_exists(client_id)) "
        "OR (action = 'account' AND ((SELECT traject_is_admin()) "
        "OR detail = 'password ' || session_user))))",
        "CREATE POLICY see ON audit_reasons FOR SELECT TO traject_user "
        "USING (entry_id IN (SELECT id FROM audit_entries))",
        "CREATE POLICY add ON audit_reasons FOR INSERT TO traject_user WITH CHECK ("
        "entry_id IN (SELECT id FROM audit_entries WHERE counsellor_id = traject_me()))",
        # only the reasons about a client whose file was erased (they may name the client)
        "CREATE POLICY forget ON audit_reasons FOR DELETE TO traject_user "
        "USING ((SELECT traject_is_overseer()) AND entry_id IN (SELECT id FROM audit_entries "
        "WHERE client_id IS NOT NULL AND NOT traject_client_exists(client_id)))",
        # shared reference data
        "CREATE POLICY see ON counsellors FOR SELECT TO traject_user USING (true)",
        "CREATE POLICY manage ON counsellors FOR ALL TO traject_user "
        "USING (traject_is_admin()) WITH CHECK (traject_is_admin())",
        "CREATE POLICY see ON offers FOR SELECT TO traject_user USING (true)",
        "CREATE POLICY manage ON offers FOR ALL TO traject_user "
        "USING (traject_is_overseer()) WITH CHECK (traject_is_overseer())",
        "CREATE POLICY see ON org_settings FOR SELECT TO traject_user USING (true)",
        "CREATE POLICY manage ON org_settings FOR ALL TO traject_user "
        "USING (traject_is_admin()) WITH CHECK (traject_is_admin())",
        "CREATE POLICY see ON alembic_version FOR SELECT TO traject_user USING (true)",
    ]
    return statements


def _sql(statement: str) -> None:
    # straight to the driver without parameters: nothing in ":MI" or "%" is taken for one, and
    # one call may hold several statements
    cursor = op.get_bind().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # the start of a word as `caseload.search` asks for it: " " || search_text LIKE '% yil%'
    _sql("CREATE INDEX ix_clients_search_words_trgm ON clients "
         "USING gin ((' ' || search_text) gin_trgm_ops)")  # fmt: skip
    _sql(ROLES)
    _sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    _sql("GRANT USAGE ON SCHEMA public TO traject_user")
    _sql(FUNCTIONS)
    for function in FUNCTION_NAMES:
        _sql(f"ALTER FUNCTION {function} OWNER TO traject_owner")
        _sql(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    for function in CALLABLE:
        _sql(f"GRANT EXECUTE ON FUNCTION {function} TO traject_user")
    _sql("CREATE TRIGGER chain BEFORE INSERT ON audit_entries "
               "FOR EACH ROW EXECUTE FUNCTION traject_chain_audit_entry()")  # fmt: skip
    _sql("CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON audit_entries "
               "FOR EACH ROW EXECUTE FUNCTION traject_refuse_audit_change()")  # fmt: skip
    _sql("CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON audit_entries "
               "FOR EACH STATEMENT EXECUTE FUNCTION traject_refuse_audit_change()")  # fmt: skip
    _sql("CREATE TRIGGER keep_period BEFORE UPDATE ON assignments "
         "FOR EACH ROW EXECUTE FUNCTION traject_keep_assignment()")  # fmt: skip
    _sql(HARDENING)
    for table in LIVE_TABLES:
        _sql(f"CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
             "FOR EACH STATEMENT EXECUTE FUNCTION traject_notify_change()")  # fmt: skip
    for table in ALL_TABLES:
        _sql(f"ALTER TABLE {table} OWNER TO traject_owner")
        _sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        _sql(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        _sql(f"CREATE POLICY owner ON {table} TO traject_owner USING (true) WITH CHECK (true)")
    writable = [
        t for t in ALL_TABLES if t not in ("alembic_version", "audit_entries", "audit_reasons")
    ]
    _sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(writable)} TO traject_user")
    _sql("GRANT SELECT ON alembic_version TO traject_user")
    _sql("GRANT SELECT, INSERT ON audit_entries TO traject_user")
    _sql("GRANT SELECT, INSERT, DELETE ON audit_reasons TO traject_user")
    _sql("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO traject_user")
    for statement in _policies():
        _sql(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ALL_TABLES:
        for policy in ("owner", "see", "add", "change", "erase", "remove", "forget", "manage"):
            _sql(f"DROP POLICY IF EXISTS {policy} ON {table}")
        _sql(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        _sql(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        _sql(f"REVOKE ALL ON {table} FROM traject_user")
        _sql(f"ALTER TABLE {table} OWNER TO CURRENT_USER")
    for trigger in ("chain", "append_only", "append_only_truncate"):
        _sql(f"DROP TRIGGER IF EXISTS {trigger} ON audit_entries")
    for table in LIVE_TABLES:
        _sql(f"DROP TRIGGER IF EXISTS notify_change ON {table}")
    for function in reversed(FUNCTION_NAMES):
        _sql(f"DROP FUNCTION IF EXISTS {function}")
    _sql("DROP INDEX IF EXISTS ix_clients_search_words_trgm")
