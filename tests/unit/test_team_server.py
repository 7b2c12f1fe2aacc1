"""The team server's own guarantees, against the real bundled PostgreSQL: each account is a
role and row-level security holds the access rules even for someone with psql; the audit
trail is insert-only and chained by the server; accounts are managed by administrators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg
import pytest
from sqlalchemy import select, text

from app.db import Database, DatabaseError, make_engine
from app.models import AuditEntry, Client
from app.models.enums import AuditAction, CounsellorRole
from app.services.caseload import assignments, clients
from app.services.errors import Forbidden, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor
from app.services.team import accounts, setup
from tests.server_fixtures import TeamServer

PASSWORD = "a long enough password"
TODAY = dt.date.today()  # the server's row-level security knows only today


@dataclass
class Team:
    server: TeamServer
    database: str
    logins: dict[str, str] = field(default_factory=dict)  # short name -> login role
    ids: dict[str, int] = field(default_factory=dict)
    opened: list[Database] = field(default_factory=list)

    def open(self, who: str, password: str = PASSWORD) -> Database:
        db = self.server.open(self.database, self.logins[who], password)
        self.opened.append(db)
        return db

    def psql(self, who: str) -> psycopg.Connection:
        """What a counsellor gets by connecting with psql and their own password."""
        return psycopg.connect(host="localhost", port=self.server.running.port,
                               dbname=self.database, user=self.logins[who], password=PASSWORD,
                               autocommit=True)  # fmt: skip

    def actor(self, db: Database, who: str) -> Actor:
        with db.sessions() as session:
            return Actor.load(session, self.ids[who])


@pytest.fixture
def team(team_server: TeamServer) -> Iterator[Team]:
    name = team_server.new_database()
    made = Team(team_server, name)
    made.logins = {who: f"{who}{name}" for who in ("ada", "anna", "bert", "lea", "tom")}
    engine = make_engine(team_server.url(name),
                         password=bytearray(team_server.superuser_password.encode()))  # fmt: skip
    try:
        setup.initialise(engine, organisation="Werkwinkel", login=made.logins["ada"],
                         full_name="Ada Admin", password=PASSWORD)  # fmt: skip
    finally:
        engine.dispose()
    admin_db = made.open("ada")
    with admin_db.sessions() as session:
        ada = Actor.load(session, session.scalar(text("SELECT traject_me()")))
        made.ids["ada"] = ada.counsellor_id
        for who, role, office in (("anna", CounsellorRole.COUNSELLOR, "Gent"),
                                  ("bert", CounsellorRole.COUNSELLOR, "Gent"),
                                  ("lea", CounsellorRole.TEAM_LEAD, "Gent"),
                                  ("tom", CounsellorRole.TEAM_LEAD, "Antwerpen")):  # fmt: skip
            person = accounts.add_account(session, ada, login=made.logins[who],
                                          full_name=who.title(), password=PASSWORD, role=role,
                                          office=office)  # fmt: skip
            made.ids[who] = person.id
        session.commit()
    yield made
    for db in made.opened:
        db.close()
    team_server.drop_database(name)
    for login in made.logins.values():
        team_server.drop_role(login)


def make_client(team: Team, who: str, given: str = "Ayşe", family: str = "Yılmaz") -> int:
    db = team.open(who)
    with db.sessions() as session:
        me = Actor.load(session, team.ids[who])
        made = clients.create_client(session, {"given_name": given, "family_name": family},
                                     actor=me, referent_id=me.counsellor_id, today=TODAY)  # fmt: skip
        session.commit()
        return made.id


def seen_clients(conn: psycopg.Connection) -> set[int]:
    return {row[0] for row in conn.execute("SELECT id FROM clients")}


def test_a_counsellor_with_psql_sees_only_their_own_caseload(team: Team) -> None:
    annas = make_client(team, "anna")
    berts = make_client(team, "bert", "Jan", "Peeters")
    with team.psql("anna") as anna, team.psql("bert") as bert:
        assert seen_clients(anna) == {annas}
        assert seen_clients(bert) == {berts}
        # nor anything about the other's client, nor a way to change or erase it
        assert anna.execute("SELECT count(*) FROM assignments WHERE client_id = %s",
                            (berts,)).fetchone() == (0,)  # fmt: skip
        assert anna.execute("UPDATE clients SET family_name = 'X' WHERE id = %s",
                            (berts,)).rowcount == 0  # fmt: skip
        assert anna.execute("DELETE FROM clients WHERE id = %s", (berts,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # no note in another's file
            anna.execute("INSERT INTO notes (client_id, counsellor_id, body, created_at, version) "
                         "VALUES (%s, %s, 'x', now(), 1)", (berts, team.ids["anna"]))  # fmt: skip


def test_a_backup_sees_the_clients_they_cover_today(team: Team) -> None:
    annas = make_client(team, "anna")
    db = team.open("lea")
    with db.sessions() as session:
        assignments.set_backup(session, annas, team.ids["bert"], actor=team.actor(db, "lea"),
                               until=TODAY + dt.timedelta(days=7), on=TODAY)  # fmt: skip
        session.commit()
    with team.psql("bert") as bert:
        assert seen_clients(bert) == {annas}


def test_a_team_lead_sees_their_office_only(team: Team) -> None:
    annas = make_client(team, "anna")
    with team.psql("lea") as lea, team.psql("tom") as tom:
        assert annas in seen_clients(lea)  # Gent
        assert annas not in seen_clients(tom)  # Antwerpen


def test_breaking_the_glass_needs_the_function_and_leaves_the_reason(team: Team) -> None:
    annas = make_client(team, "anna")
    with team.psql("bert") as bert:
        # writing the entry by hand is refused: only the function grants access
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bert.execute("INSERT INTO audit_entries (at, counsellor_id, action, client_id, "
                         "prev_hash, hash) VALUES (now(), %s, 'break_glass', %s, '', '')",
                         (team.ids["bert"], annas))  # fmt: skip
        with pytest.raises(psycopg.errors.CheckViolation):
            bert.execute("SELECT traject_break_glass(%s, 'why', %s)", (annas, team.ids["bert"]))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # not in someone else's name
            bert.execute("SELECT traject_break_glass(%s, 'at the desk, asks for her letter', %s)",
                         (annas, team.ids["anna"]))  # fmt: skip
        assert seen_clients(bert) == set()
    db = team.open("bert")
    with db.sessions() as session:
        me = Actor.load(session, team.ids["bert"])
        with pytest.raises(access.BreakGlassRequired):
            access.require_file(session, me, annas)
        access.break_glass(session, me, annas, "At the desk, asks about her letter")
        session.commit()
    with team.psql("bert") as bert:
        assert seen_clients(bert) == {annas}
    with team.open("anna").sessions() as session:  # the referent sees who looked and why
        looked = access.who_looked(session, team.actor(team.opened[-1], "anna"), annas)
        assert [(r.action, r.reason) for r in looked][:1] == [
            (AuditAction.BREAK_GLASS, "At the desk, asks about her letter")]  # fmt: skip


def test_the_audit_trail_is_insert_only_for_everyone(team: Team) -> None:
    make_client(team, "anna")
    for who in ("anna", "ada", "lea"):
        with team.psql(who) as conn:
            for statement in ("UPDATE audit_entries SET detail = 'x'",
                              "DELETE FROM audit_entries", "TRUNCATE audit_entries"):  # fmt: skip
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
    # the superuser too goes through the trigger (only switching triggers off gets past it,
    # and `traject check` then sees the change: tests/unit/test_audit.py)
    superuser = psycopg.connect(host="localhost", port=team.server.running.port,
                                dbname=team.database, user="postgres",
                                password=team.server.superuser_password, autocommit=True)  # fmt: skip
    with superuser, pytest.raises(psycopg.errors.InsufficientPrivilege):
        superuser.execute("DELETE FROM audit_entries WHERE id = 1")


def test_an_entry_written_by_hand_is_linked_by_the_server(team: Team) -> None:
    """Whatever id, time and hashes an INSERT claims, the server's chain decides them."""
    with team.psql("anna") as anna:
        anna.execute("INSERT INTO audit_entries (id, at, counsellor_id, action, prev_hash, hash) "
                     "VALUES (999, '2001-01-01', %s, 'view', 'forged', 'forged')",
                     (team.ids["anna"],))  # fmt: skip
    with team.open("ada").sessions() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and last.id != 999 and last.hash != "forged"
        assert last.at.year == dt.datetime.now(dt.UTC).year
        assert audit.verify(session.connection()) == []


def test_nobody_signs_in_as_the_owner_of_the_tables(team: Team) -> None:
    with team.psql("ada") as conn:
        owners = {row[0] for row in conn.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")}  # fmt: skip
        assert owners == {"traject_owner"}
        assert conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'traject_owner'"
                            ).fetchone() == (False,)  # fmt: skip
        forced = conn.execute("SELECT bool_and(relforcerowsecurity) FROM pg_class c JOIN "
                              "pg_tables t ON t.tablename = c.relname AND t.schemaname = 'public'"
                              ).fetchone()  # fmt: skip
        assert forced == (True,)


def test_only_an_administrator_manages_accounts(team: Team) -> None:
    db = team.open("anna")
    with db.sessions() as session:
        anna = Actor.load(session, team.ids["anna"])
        with pytest.raises(Forbidden):
            accounts.add_account(session, anna, login=f"x{team.database}", full_name="X",
                                 password=PASSWORD)  # fmt: skip
    with team.psql("anna") as conn:  # nor around the services
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT traject_drop_login(%s)", (team.logins["bert"],))
        assert conn.execute("UPDATE counsellors SET role = 'admin' WHERE id = %s",
                            (team.ids["anna"],)).rowcount == 0  # fmt: skip
        with pytest.raises(psycopg.errors.InvalidPassword):  # a password never travels as text
            conn.execute("SELECT traject_set_password(%s, 'plain text')", (team.logins["anna"],))


def test_a_removed_account_can_no_longer_connect(team: Team) -> None:
    db = team.open("ada")
    with db.sessions() as session:
        ada = Actor.load(session, team.ids["ada"])
        accounts.remove_account(session, ada, team.logins["bert"])
        session.commit()
        with pytest.raises(Forbidden):
            accounts.remove_account(session, ada, team.logins["ada"])
    with pytest.raises(DatabaseError, match="refused the login or the password"):
        team.open("bert")


def test_a_new_password_replaces_the_old(team: Team) -> None:
    db = team.open("anna")
    with db.sessions() as session:
        anna = Actor.load(session, team.ids["anna"])
        with pytest.raises(ValidationFailed):
            accounts.change_password(session, anna, team.logins["anna"], "short")
        with pytest.raises(Forbidden):
            accounts.change_password(session, anna, team.logins["bert"], "another long password")
        accounts.change_password(session, anna, team.logins["anna"], "another long password")
        session.commit()
    with pytest.raises(DatabaseError):
        team.open("anna")
    team.open("anna", "another long password")


def test_a_second_account_with_a_taken_login_is_refused_cleanly(team: Team) -> None:
    db = team.open("ada")
    with db.sessions() as session:
        ada = Actor.load(session, team.ids["ada"])
        with pytest.raises(ValidationFailed) as refused:
            accounts.add_account(session, ada, login=team.logins["bert"], full_name="Bert 2",
                                 password=PASSWORD)  # fmt: skip
        assert "login" in refused.value.errors
        session.rollback()
        assert session.scalar(select(Client.id)) is None


def test_lists_and_search_on_the_server_are_what_the_account_may_see(team: Team) -> None:
    from app.services.caseload import listing

    annas = make_client(team, "anna")
    berts = make_client(team, "bert", "Jan", "Peeters")
    with team.open("anna").sessions() as session:
        assert listing.find_ids(session, listing.CaseloadFilter()) == [annas]
        assert listing.find_ids(session, listing.CaseloadFilter(search="yil"), limit=100) == [annas]
        assert listing.find_ids(session, listing.CaseloadFilter(search="jan")) == []
    with team.open("lea").sessions() as session:  # the team lead of their office: both
        assert set(listing.find_ids(session, listing.CaseloadFilter())) == {annas, berts}
    with team.open("tom").sessions() as session:  # another office's team lead: neither
        assert listing.find_ids(session, listing.CaseloadFilter()) == []


def test_nobody_claims_an_old_file_without_a_referent(team: Team) -> None:
    """A file whose referent period was ended without a successor waits for a team lead; an
    account cannot make itself referent of it (a new file can: its creation gives it one)."""
    with psycopg.connect(host="localhost", port=team.server.running.port, dbname=team.database,
                         user="postgres", password=team.server.superuser_password,
                         autocommit=True) as superuser:  # fmt: skip
        row = superuser.execute(
            "INSERT INTO clients (dossier, given_name, family_name, country, email_status, status,"
            " other_languages, contact_channels, transport, working_hours, dutch_level,"
            " education_level, diploma_recognition, employment_situation, sort_name,"
            " search_text, created_at, updated_at, version) VALUES ('T-2020-000001', 'Oud',"
            " 'Dossier', 'BE', 'unknown', 'active', '[]', '[]', '[]', '[]', 'unknown', 'unknown',"
            " 'not_applicable', 'unknown', 'dossier', 'oud dossier', now() - interval '2 days',"
            " now(), 1) RETURNING id").fetchone()  # fmt: skip
    assert row is not None
    with team.psql("bert") as bert, pytest.raises(psycopg.errors.InsufficientPrivilege):
        bert.execute("INSERT INTO assignments (client_id, counsellor_id, role, reason, starts_on,"
                     " created_at, version) VALUES (%s, %s, 'referent', 'dispatch', current_date,"
                     " now(), 1)", (row[0], team.ids["bert"]))  # fmt: skip
    with team.psql("bert") as bert:
        assert seen_clients(bert) == set()


def test_an_account_cannot_make_someone_elses_file_its_own(team: Team) -> None:
    """What a hostile review found, closed: an assignment period only ends, a backup has an
    end and is arranged by the referent, the server's locks are its own, the trail's entries
    say only what the app records."""
    annas = make_client(team, "anna")
    with team.psql("bert") as bert:
        bert.execute("SELECT traject_break_glass(%s, 'at the desk, asks for her letter', %s)",
                     (annas, team.ids["bert"]))  # fmt: skip
        for statement, values in (
            ("UPDATE assignments SET counsellor_id = %s WHERE client_id = %s",
             (team.ids["bert"], annas)),
            ("INSERT INTO assignments (client_id, counsellor_id, role, reason, starts_on,"
             " created_at, version) VALUES (%s, %s, 'backup', 'absence_cover', '2000-01-01',"
             " now(), 1)", (annas, team.ids["bert"])),
            ("INSERT INTO audit_entries (at, counsellor_id, action, detail, prev_hash, hash)"
             " VALUES (now(), %s, 'import_trail', 'x', '', '')", (team.ids["bert"],)),
            ("INSERT INTO audit_entries (at, counsellor_id, action, client_id, prev_hash, hash)"
             " VALUES (now(), %s, 'erase', %s, '', '')", (team.ids["bert"], annas)),
            ("SELECT pg_advisory_lock(hashtext('traject.audit_entries'))", ()),
            ("DELETE FROM notes WHERE client_id = %s", (annas,)),
        ):  # fmt: skip
            try:
                changed = bert.execute(statement, values).rowcount  # type: ignore[arg-type]
            except psycopg.errors.InsufficientPrivilege:
                continue
            assert changed <= 0, statement  # nothing done (a DELETE: no row it may remove)
    with team.psql("anna") as anna:  # the referent's file is still hers alone
        owner = anna.execute("SELECT counsellor_id FROM assignments WHERE client_id = %s AND "
                             "role = 'referent' AND ends_on IS NULL", (annas,)).fetchone()  # fmt: skip
        assert owner == (team.ids["anna"],)


def test_searching_tells_nothing_about_files_one_cannot_see(team: Team) -> None:
    make_client(team, "anna", "Jansen", "Verborgen")
    berts = make_client(team, "bert", "Jan", "Peeters")
    with team.psql("bert") as bert:
        bert.execute("SET enable_indexscan = off")
        bert.execute("SET enable_bitmapscan = off")
        for prefix in ("jansen\\", "verb%", "_", "jan"):  # no error, whatever is typed
            found = {row[0] for row in bert.execute("SELECT traject_search(ARRAY[%s], true)",
                                                    (prefix,))}  # fmt: skip
            assert found <= {berts}
