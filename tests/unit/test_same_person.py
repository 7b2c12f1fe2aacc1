"""The warning before a duplicate file (same name and birth date or phone), and the desk's
registration that passes on what it knows and leaves the file to dispatch, on the encrypted
file and on the team server (where a counsellor cannot read a colleague's clients)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.models import Client, Contact, DeskVisit, Note
from app.models.agenda_enums import DeskKind, VisitCategory, VisitOutcome
from app.models.enums import Province
from app.services.caseload import assignments, clients, counsellors, same_person
from app.services.contact import permanence
from app.services.privacy import access
from app.services.privacy.access import Actor
from tests.helpers import actor
from tests.unit.test_team_server import Team, team  # noqa: F401 - the fixture

BORN = dt.date(1990, 3, 3)


def _tesfay(session: Session, referent: Actor, **more: Any) -> Client:
    values = {"given_name": "Tesfay", "family_name": "Gebremedhin", "birth_date": BORN,
              "phone": "0470 12 34 56", **more}  # fmt: skip
    made = clients.create_client(session, values, actor=referent,
                                 referent_id=referent.counsellor_id)  # fmt: skip
    session.commit()
    return made


def _person(session: Session, login: str, name: str, office: str) -> Actor:
    made = counsellors.create_counsellor(session, login=login, full_name=name, office=office)
    session.commit()
    return actor(made)


@pytest.mark.both_backends
def test_the_same_person_is_found_by_birth_date_or_phone(session: Session) -> None:
    anna = _person(session, "apeeters", "Anna Peeters", "Gent")
    desk = _person(session, "bart", "Bart Claes", "Antwerpen")
    tesfay = _tesfay(session, anna)
    # accents, case, spaces and the order of the names do not matter; the date does
    for given, family, born, phones in (("Tesfay", "Gebremedhin", BORN, []),
                                        ("TESFAY ", "gebremédhin", BORN, []),
                                        ("Gebremedhin", "Tesfay", BORN, []),
                                        ("Tesfay", "Gebremedhin", None, ["+32 470 12 34 56"]),
                                        ("Tesfay", "Gebremedhin", dt.date(1991, 3, 3), ["0470123456"])):  # fmt: skip
        found = same_person.find(session, desk, given_name=given, family_name=family,
                                 birth_date=born, phones=phones)  # fmt: skip
        assert [(f.dossier, f.referent) for f in found] == [(tesfay.dossier, "Anna Peeters (Gent)")]
    for given, family, born, phones in (("Tesfay", "Gebremedhin", dt.date(1991, 3, 3), []),
                                        ("Tesfay", "Gebremedhin", None, ["0470 99 99 99"]),
                                        ("Tesfay", "Gebremedhin", None, ["not a number"]),
                                        ("Tesfaye", "Gebremedhin", BORN, [])):  # fmt: skip
        assert not same_person.find(session, desk, given_name=given, family_name=family,
                                    birth_date=born, phones=phones)  # fmt: skip
    # a file without referent says so (the team leads' dispatch inbox)
    waiting = clients.create_client(session, {"given_name": "Noor", "family_name": "Haddad",
                                              "phone_alt": "0470 11 22 33"},
                                    actor=desk, referent_id=None)  # fmt: skip
    session.commit()
    found = same_person.find(session, desk, given_name="noor", family_name="HADDAD",
                             phones=["0470112233"])  # fmt: skip
    assert [(f.client_id, f.referent_id, f.referent) for f in found] == [(waiting.id, None, None)]


@pytest.mark.both_backends
@pytest.mark.file_only  # on the server the test's superuser reads everything: see below
def test_whether_the_file_opens_directly_or_asks_for_a_reason(session: Session) -> None:
    anna = _person(session, "apeeters", "Anna Peeters", "Gent")
    bart = _person(session, "bart", "Bart Claes", "Gent")
    tesfay = _tesfay(session, anna)

    def may_open(who: Actor) -> bool:
        (found,) = same_person.find(session, who, given_name="Tesfay",
                                    family_name="Gebremedhin", birth_date=BORN)  # fmt: skip
        return found.may_open

    assert may_open(anna) and not may_open(bart)
    access.break_glass(session, bart, tesfay.id, "walk-in at the permanence desk")
    assert may_open(bart)


@pytest.mark.both_backends
def test_the_desk_passes_on_what_it_knows_and_leaves_the_file_to_dispatch(
    session: Session,
) -> None:
    bart = _person(session, "bart", "Bart Claes", "Gent")
    desk = permanence.open_desk(session, bart, DeskKind.WALK_IN, "Gent")
    visit = permanence.add_visitor(session, bart, desk.id, name="Tesfay", language="ti",
                                   category=VisitCategory.JOB_SEARCH)  # fmt: skip
    permanence.call_next(session, bart, desk.id)
    made = permanence.register(session, bart, visit.id, given_name="Tesfay",
                               family_name="Gebremedhin", birth_date=BORN, postal_code="9000")  # fmt: skip
    session.commit()
    client = session.get(Client, made.id)
    assert client is not None
    assert (client.contact_language, client.province) == ("ti", Province.EAST_FLANDERS)
    assert assignments.current_referent(session, client.id) is None  # no one's caseload
    first = session.scalars(select(Contact).where(Contact.client_id == client.id)).one()
    assert VisitCategory.JOB_SEARCH.label in (first.note or "")
    permanence.finish(session, bart, visit.id, outcome=VisitOutcome.APPOINTMENT_MADE,
                      client_id=client.id, note="brings his diploma")  # fmt: skip
    session.commit()
    (contact,) = session.scalars(select(Contact).where(Contact.client_id == client.id))
    assert "brings his diploma" in (contact.note or "")  # one contact for one visit
    # ticked "I will follow this client myself": the desk worker is the referent
    visit = permanence.add_visitor(session, bart, desk.id, category=VisitCategory.TRAINING)
    permanence.call_next(session, bart, desk.id)
    mine = permanence.register(session, bart, visit.id, given_name="Noor",
                               family_name="Haddad", follow_myself=True)  # fmt: skip
    session.commit()
    referent = assignments.current_referent(session, mine.id)
    assert referent is not None and referent.counsellor_id == bart.counsellor_id


# --- on the team server, as the counsellors themselves (row-level security) ------------


def test_a_colleague_of_another_office_is_warned_with_the_dossier_and_referent_only(
    team: Team,  # noqa: F811 - the fixture
) -> None:
    anna_db, tom_db = team.open("anna"), team.open("tom")
    with anna_db.sessions() as session:
        anna = Actor.load(session, team.ids["anna"])
        tesfay = _tesfay(session, anna)
        dossier = tesfay.dossier
    with tom_db.sessions() as session:  # a team lead of Antwerpen: not his office's client
        tom = Actor.load(session, team.ids["tom"])
        (found,) = same_person.find(session, tom, given_name="Tesfay", family_name="Gebremedhin",
                                    birth_date=BORN)  # fmt: skip
        assert (found.dossier, found.referent, found.may_open) == (dossier, "Anna (Gent)", False)
        assert session.get(Client, found.client_id) is None  # the file itself stays closed
        access.break_glass(session, tom, found.client_id, "walk-in at the permanence desk")
        session.commit()
    with tom_db.sessions() as session:
        (found,) = same_person.find(session, tom, given_name="Tesfay", family_name="Gebremedhin",
                                    phones=["0470 12 34 56"])  # fmt: skip
        assert found.may_open and session.get(Client, found.client_id) is not None


def test_on_the_server_the_desk_links_the_visit_to_a_file_it_cannot_read_back(
    team: Team,  # noqa: F811 - the fixture
) -> None:
    bert_db, lea_db = team.open("bert"), team.open("lea")
    with bert_db.sessions() as session:
        bert = Actor.load(session, team.ids["bert"])
        desk_id = permanence.open_desk(session, bert, DeskKind.WALK_IN, "Gent").id
        visit_id = permanence.add_visitor(session, bert, desk_id, language="ti",
                                          category=VisitCategory.DOCUMENTS).id  # fmt: skip
        permanence.call_next(session, bert, desk_id)
        client_id = permanence.register(session, bert, visit_id, given_name="Tesfay",
                                        family_name="Gebremedhin", birth_date=BORN).id  # fmt: skip
        session.commit()
    with bert_db.sessions() as session:
        assert session.get(Client, client_id) is None  # waits for a referent, not Bert's
        visit = session.get(DeskVisit, visit_id)
        assert visit is not None and visit.client_id == client_id
        permanence.finish(session, bert, visit_id, outcome=VisitOutcome.ANSWERED,
                          client_id=client_id, note="comes back with his papers")  # fmt: skip
        session.commit()
    with lea_db.sessions() as session:  # the team lead sees it (no referent yet) and its story
        client = session.get(Client, client_id)
        assert client is not None and client.contact_language == "ti"
        assert assignments.current_referent(session, client_id) is None
        notes = session.scalars(select(Note.body).where(Note.client_id == client_id)).all()
        contact = session.scalars(select(Contact.note).where(Contact.client_id == client_id)).one()
        assert VisitCategory.DOCUMENTS.label in (contact or "")
        assert any("comes back with his papers" in body for body in notes)


def test_on_the_server_a_late_desk_note_is_refused_clearly_and_changes_nothing(
    team: Team,  # noqa: F811 - the fixture
) -> None:
    """More than an hour after registering, the new file is the team leads' alone: the desk
    is told so, and the visit stays open with nothing written."""
    from app.services.errors import Forbidden

    bert_db = team.open("bert")
    with bert_db.sessions() as session:
        bert = Actor.load(session, team.ids["bert"])
        desk_id = permanence.open_desk(session, bert, DeskKind.WALK_IN, "Gent").id
        visit_id = permanence.add_visitor(session, bert, desk_id, language="ti",
                                          category=VisitCategory.DOCUMENTS).id  # fmt: skip
        permanence.call_next(session, bert, desk_id)
        client_id = permanence.register(session, bert, visit_id, given_name="Tesfay",
                                        family_name="Gebremedhin", birth_date=BORN).id  # fmt: skip
        session.commit()
    owner = team.server.open(team.database)  # as the server's superuser: time passes
    try:
        with owner.sessions() as session:
            session.execute(text("UPDATE clients SET created_at = created_at - interval '2 hours' "
                                 "WHERE id = :id"), {"id": client_id})  # fmt: skip
            session.commit()
    finally:
        owner.close()
    with bert_db.sessions() as session:
        bert = Actor.load(session, team.ids["bert"])
        with pytest.raises(Forbidden, match="team lead"):
            permanence.finish(session, bert, visit_id, outcome=VisitOutcome.ANSWERED,
                              client_id=client_id, note="comes back with his papers")  # fmt: skip
        session.rollback()
    with bert_db.sessions() as session:
        visit = session.get(DeskVisit, visit_id)
        assert visit is not None and visit.finished_at is None  # still open: nothing changed
        bert = Actor.load(session, team.ids["bert"])
        permanence.finish(session, bert, visit_id, outcome=VisitOutcome.ANSWERED,
                          client_id=client_id)  # without a note it finishes  # fmt: skip
        session.commit()


@pytest.mark.both_backends
def test_counsellors_with_the_same_name_are_told_apart_active_or_not(session: Session) -> None:
    gent = _person(session, "apeeters", "Anna Peeters", "Gent")
    gone = counsellors.create_counsellor(session, login="apeeters2", full_name="anna  peeters")
    gone.active = False  # left the organisation: her name still names what she did
    bart = _person(session, "bart", "Bart Claes", "Gent")
    session.commit()
    names = counsellors.display_names(session)
    assert names[gent.counsellor_id] == "Anna Peeters (Gent, apeeters)"
    assert names[gone.id] == "anna  peeters (apeeters2)"
    assert names[bart.counsellor_id] == "Bart Claes"
    assert counsellors.full_names(session, {bart.counsellor_id}) == {
        bart.counsellor_id: "Bart Claes"
    }
    assert counsellors.counsellor_choices(session) == [
        (gent.counsellor_id, "Anna Peeters (Gent, apeeters)"),
        (bart.counsellor_id, "Bart Claes"),
    ]
    assert counsellors.counsellor_choices(session, with_office=True)[1] == (
        bart.counsellor_id,
        "Bart Claes (Gent)",
    )
    assert counsellors.told_apart(session).keys() == {gent.counsellor_id, gone.id}
