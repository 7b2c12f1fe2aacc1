"""The team server's own rules for what issue 25 added, tried with psql and one's own password:
a file waiting for dispatch is nobody's to claim, a notice tells only what its sender did, the
same-person question answers a name with a birth date or a phone and is recorded and rationed,
an absence is declared within one's office and only cancelled afterwards, and a backup period
names only an absence its writer declared."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from app.services.caseload import clients
from app.services.privacy.access import Actor
from tests.unit.test_team_server import TODAY, Team, make_client, team  # noqa: F401 - fixture


def _waiting(team: Team, who: str) -> int:  # noqa: F811 - the fixture's name
    """A file `who` creates without a referent: it waits in the dispatch inbox."""
    db = team.open(who)
    with db.sessions() as session:
        me = Actor.load(session, team.ids[who])
        made = clients.create_client(session, {"given_name": "Selam", "family_name": "Tesfaye"},
                                     actor=me, referent_id=None, today=TODAY)  # fmt: skip
        session.commit()
        return made.id


def _claim(conn: psycopg.Connection, client: int, counsellor: int) -> None:
    conn.execute("INSERT INTO assignments (client_id, counsellor_id, role, reason, starts_on, "
                 "created_at, version) VALUES (%s, %s, 'referent', 'dispatch', current_date, "
                 "now(), 1)", (client, counsellor))  # fmt: skip


def test_a_waiting_file_is_claimed_only_by_whom_made_it(team: Team) -> None:  # noqa: F811
    waiting = _waiting(team, "anna")
    with team.psql("bert") as bert:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _claim(bert, waiting, team.ids["bert"])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # nor write into it
            bert.execute("INSERT INTO notes (client_id, counsellor_id, body, created_at, version) "
                         "VALUES (%s, %s, 'x', now(), 1)", (waiting, team.ids["bert"]))  # fmt: skip
    with team.psql("anna") as anna:  # who made it may still give it its first referent
        _claim(anna, waiting, team.ids["anna"])


def test_a_notice_tells_only_what_its_sender_did(team: Team) -> None:  # noqa: F811
    annas = make_client(team, "anna")
    insert = ("INSERT INTO notices (counsellor_id, kind, client_id, from_counsellor_id, "
              "absence_id, created_at) VALUES (%s, %s, %s, %s, %s, now())")  # fmt: skip
    anna, bert = team.ids["anna"], team.ids["bert"]
    with team.psql("bert") as conn:
        with pytest.raises((psycopg.errors.CheckViolation, psycopg.errors.InsufficientPrivilege)):
            conn.execute(insert, (anna, "zzz", None, bert, None))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # no glass broken
            conn.execute(insert, (anna, "break_glass", annas, bert, None))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # no absence of his
            conn.execute(insert, (anna, "cover", None, bert, None))
        conn.execute("SELECT traject_break_glass(%s, 'at the desk, asks for her letter', %s)",
                     (annas, bert))  # fmt: skip
        conn.execute(insert, (anna, "break_glass", annas, bert, None))  # what he did: told
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # to the referent only
            conn.execute(insert, (team.ids["lea"], "break_glass", annas, bert, None))
    with team.psql("anna") as conn:
        assert conn.execute("SELECT count(*) FROM notices").fetchone() == (1,)
    with team.psql("lea") as conn:
        assert conn.execute("SELECT count(*) FROM notices").fetchone() == (0,)


def test_the_same_person_question_is_narrow_recorded_and_rationed(team: Team) -> None:  # noqa: F811
    make_client(team, "anna")
    ask = "SELECT * FROM traject_same_person('yilmaz ayse', %s, %s)"
    with team.psql("bert") as bert:
        with pytest.raises(psycopg.errors.InvalidParameterValue):  # a name alone
            bert.execute(ask, (None, []))
        with pytest.raises(psycopg.errors.InvalidParameterValue):  # a phone book
            bert.execute(ask, (None, [f"+3247000000{i}" for i in range(5)]))
        for day in range(60):  # walking the birth dates of one name
            bert.execute(ask, (dt.date(1980, 1, 1) + dt.timedelta(days=day), []))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bert.execute(ask, (dt.date(1981, 1, 1), []))
        recorded = bert.execute("SELECT count(*) FROM audit_entries WHERE counsellor_id = %s "
                                "AND detail = 'same person check'", (team.ids["bert"],)).fetchone()  # fmt: skip
        assert recorded == (60,)  # each question that was answered


def test_an_absence_is_declared_within_the_office_and_only_cancelled_later(
    team: Team,  # noqa: F811
) -> None:
    add = (
        "INSERT INTO absences (counsellor_id, starts_on, ends_on, declared_by, created_at, "
        "version) VALUES (%s, current_date, current_date + 3, %s, now(), 1) RETURNING id"
    )
    anna, bert, tom, lea = (team.ids[w] for w in ("anna", "bert", "tom", "lea"))
    with team.psql("tom") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(add, (anna, tom))  # a team lead of Antwerpen, for Gent
    with team.psql("bert") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(add, (anna, bert))  # a colleague's
        row = conn.execute(add, (bert, bert)).fetchone()
        assert row is not None
        absence = row[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # who declared it stays
            conn.execute("UPDATE absences SET declared_by = %s WHERE id = %s", (lea, absence))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # cancelled in one's own name
            conn.execute("UPDATE absences SET cancelled_at = now(), cancelled_by = %s "
                         "WHERE id = %s", (lea, absence))  # fmt: skip
    with team.psql("lea") as conn:  # the team lead of Gent may
        conn.execute(add, (anna, lea))


def test_a_backup_period_names_only_an_absence_its_writer_declared(team: Team) -> None:  # noqa: F811
    annas = make_client(team, "anna")
    with team.psql("bert") as conn:
        row = conn.execute("INSERT INTO absences (counsellor_id, starts_on, ends_on, declared_by, "
                           "created_at, version) VALUES (%s, current_date, current_date + 3, %s, "
                           "now(), 1) RETURNING id", (team.ids["bert"], team.ids["bert"])).fetchone()  # fmt: skip
    assert row is not None
    backup = ("INSERT INTO assignments (client_id, counsellor_id, role, reason, starts_on, ends_on, "
              "absence_id, created_at, version) VALUES (%s, %s, 'backup', 'absence_cover', "
              "current_date, current_date + 3, %s, now(), 1)")  # fmt: skip
    with team.psql("anna") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # Bert's absence, not hers
            conn.execute(backup, (annas, team.ids["lea"], row[0]))
        conn.execute(backup, (annas, team.ids["lea"], None))  # her own cover, as before
