"""The referral a guided conversation suggests, pre-filled for the counsellor: the suggested
offer type in the client's province, the reason from the run's result and reasons, what was
agreed in the conversation (both in the language of the partner's letter, where they print), a
client registered without e-mail not asked for one again; saving links the referral to the run
and notes the action."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import interface_speech
from app.models import Offer, Referral
from app.models.enums import EmailStatus, ReferralStatus, ScriptChannel
from app.models.practical import OfferType
from app.services.caseload import clients
from app.services.clock import local_today
from app.services.errors import ValidationFailed
from app.services.referrals import offer_catalogue, referrals
from app.services.scripts import actions, referral_draft, runs
from app.services.scripts.loader import load_catalogue
from tests.helpers import actor

pytestmark = pytest.mark.both_backends

GHENT = {"given_name": "Amina", "family_name": "El Idrissi", "postal_code": "9000",
         "municipality": "Gent"}  # fmt: skip


def _finished(session: Session, counsellor, script_id: str, answers: dict, person=GHENT):  # type: ignore[no-untyped-def]
    script = load_catalogue().get(script_id)
    client = clients.create_client(session, dict(person), referent_id=counsellor.counsellor_id,
                                   actor=counsellor)  # fmt: skip
    run = runs.start(session, counsellor, client.id, script, ScriptChannel.IN_PERSON)
    runs.answer_all(session, counsellor, run, script, answers)
    runs.finish(session, counsellor, run, script)
    session.commit()
    return script, client, run


LOW_LITERATE = {"has_email": "no", "internet_uses": ["none"], "home_internet": "no",
                "other_places": "no", "own_device": "yes"}  # fmt: skip


def test_the_draft_suggests_the_type_in_the_province_and_writes_the_reason(
    session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna", "Anna Aerts"))
    offer_catalogue.load_sample(session)
    script, client, run = _finished(session, anna, "digital-profile", LOW_LITERATE)
    made = referral_draft.draft(session, anna, run.id, script, "refer_digitally_low_literate")
    offer = session.get(Offer, made.offer_id)
    assert offer is not None
    assert (offer.offer_type, offer.region) == ("digitally_low_literate", "east_flanders")
    assert made.offer_type == OfferType.DIGITALLY_LOW_LITERATE and made.client_id == client.id
    assert made.reason == (
        "Digitaal profiel: Digitaal laaggeletterd. Heeft geen e-mailadres. Gebruikt internet "
        "voor geen enkele van de bevraagde activiteiten."
    )
    assert made.agreed == "" and made.left_out == frozenset()
    assert made.language == "nl"  # written as the Dutch-speaking partner's letter prints it
    assert made.follow_up_on == local_today() + dt.timedelta(days=actions.DEFAULT_DUE_DAYS)
    # the welfare referral is suggested for a flag: its reasons say why
    welfare = referral_draft.draft(session, anna, run.id, script, "refer_welfare")
    assert welfare.reason.endswith(
        "Mist de middelen: Geen internet thuis en geen andere plaats om op internet te gaan."
    )
    assert session.get(Offer, welfare.offer_id).code == "wel-gent-sociale-dienst"  # type: ignore[union-attr]


def test_without_an_offer_in_the_province_none_is_suggested(
    session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna"))
    session.add(Offer(code="dll-antwerp", offer_type="digitally_low_literate", name="Digi",
                      provider="CVO", region="antwerp"))  # fmt: skip
    script, _client, run = _finished(session, anna, "digital-profile", LOW_LITERATE)
    made = referral_draft.draft(session, anna, run.id, script, "refer_digitally_low_literate")
    assert made.offer_id is None and made.where == "East Flanders"
    with_french = Offer(code="dll-bxl", offer_type="digitally_low_literate", name="Alpha",
                        provider="Lire et Écrire", region="east_flanders", languages=["fr"])  # fmt: skip
    session.add(with_french)
    session.flush()
    made = referral_draft.draft(session, anna, run.id, script, "refer_digitally_low_literate")
    assert made.offer_id == with_french.id and made.language == "fr"
    assert made.reason.startswith("Profil numérique") and "N’a pas d’adresse e-mail." in made.reason
    with pytest.raises(ValidationFailed):
        referral_draft.draft(session, anna, run.id, script, "print_free_internet")


def test_what_was_agreed_and_a_known_missing_email(session: Session, make_counsellor) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna"))
    offer_catalogue.load_sample(session)
    due = local_today() + dt.timedelta(days=10)
    script, client, run = _finished(session, anna, "resistance-to-email", {
        "has_email": "no", "objections": ["pc_skills"],
        "outcomes": ["basic_ict", "formal_follow_up", "without_email"],
        "follow_up_points": "Oefent twee keer per week met de laptop van zijn dochter.",
        "follow_up_due": due.isoformat(), "without_email_reason": "training"})  # fmt: skip
    actions.set_email_status(session, anna, run, script, "without_email_training")
    actions.action_point(session, anna, run, "Oefenen bij de bib", due, "formal_follow_up")
    session.commit()
    made = referral_draft.draft(session, anna, run.id, script, "refer_basic_ict")
    assert made.agreed.splitlines() == [
        "Wat werd afgesproken: Doorverwijzing naar een cursus Basis ICT (B-ICT) bij een partner; "
        "Formele opvolging met afgesproken werkpunten en opdrachten; Inschrijving zonder e-mailadres",
        "Reden voor inschrijving zonder e-mailadres: 1. Gaat eerst opleiding volgen",
        f"Werkpunt: Oefenen bij de bib (tegen {interface_speech('nl').format_date(due, 'long')})",
        "E-mailstatus: Zonder e-mail: volgt eerst een opleiding.",
    ]  # the action point made replaces the answer it was made from
    assert made.reason == (
        "Weerstand tegen het verplichte e-mailadres: Ingeschreven zonder e-mailadres. "
        "Reden 1: gaat eerst opleiding volgen."
    )
    assert made.left_out == frozenset({"email"})  # registered without: not asked again
    assert session.get(Offer, made.offer_id).region == "east_flanders"  # type: ignore[union-attr]
    client.email = "nieuw@example.be"  # an address after all: the letter shows it
    assert referral_draft.known_absent(client) == frozenset()
    assert (
        referral_draft.known_absent(clients.get_client(session, client.id)) == frozenset()
        and client.email_status == EmailStatus.WITHOUT_EMAIL_TRAINING
    )


def test_saving_links_the_run_notes_the_action_and_records_consent(
    session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna"))
    offer_catalogue.load_sample(session)
    script, _client, run = _finished(session, anna, "digital-profile", LOW_LITERATE)
    made = referral_draft.draft(session, anna, run.id, script, "refer_digitally_low_literate")
    assert made.offer_id is not None
    with pytest.raises(ValidationFailed) as refused:  # the reason was emptied: nothing made
        referral_draft.save(session, anna, made, made.offer_id, {"reason": " "}, consent=True)
    assert "reason" in refused.value.errors
    session.rollback()
    values = {"reason": made.reason, "agreed": "Gaat dinsdag naar het Digipunt.",
              "follow_up_on": made.follow_up_on}  # fmt: skip
    referral = referral_draft.save(session, anna, made, made.offer_id, values, consent=True)
    session.commit()
    stored = session.scalars(select(Referral)).one()
    assert stored.id == referral.id and stored.script_run_id == run.id
    assert stored.status == ReferralStatus.DRAFT and referrals.has_consent(session, stored)
    assert stored.reason == made.reason and stored.agreed == "Gaat dinsdag naar het Digipunt."
    run = runs.get(session, anna, run.id)
    assert run.actions_taken[-1]["action"] == "refer_digitally_low_literate"
