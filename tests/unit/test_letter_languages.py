"""A client document holds no text in a language the client does not read: the offer's "what to
bring" prints in the letter's language, else in a language the client reads, else not at all,
and the draft says which blocks are not in the letter's language. Phone numbers are written
the national way, addresses as the post writes them, and a level of Dutch a test measured is
printed with the test and its date."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.models import Client, Counsellor, Offer
from app.services import org_settings
from app.services.caseload import test_results
from app.services.referrals import letterhead, letters
from app.services.referrals.letters.content import ForeignText
from app.services.referrals.offer_fields import stored_texts
from tests.helpers import actor
from tests.unit.letter_fixtures import NOUR, referral_for

GENT = "dig-gent-digipunt-gent"
DUTCH = "itsme-gegevens of eID-kaartlezer"
FRENCH = "vos codes itsme ou un lecteur de carte eID"
ENGLISH = "your itsme details or an eID card reader"
AYSE = {"given_name": "Ayşe", "family_name": "Yılmaz", "birth_date": "1979-02-01",
        "street": "Dampoortstraat", "house_number": "3", "postal_code": "9000",
        "municipality": "Gent", "phone": "+32 2 574 90 78", "email": "ayse@example.be",
        "contact_language": "tr"}  # fmt: skip


@pytest.fixture
def anna(session: Session, make_counsellor):  # type: ignore[no-untyped-def]
    person: Counsellor = make_counsellor("anna", "Anna Aerts")
    person.phone, person.email = "+3292101010", "anna.aerts@example.be"
    session.commit()
    return actor(person)


def text_of(data: bytes) -> str:
    """The PDF's text with every run of white space one space (lines wrap anywhere)."""
    reader = PdfReader(io.BytesIO(data))
    text = unicodedata.normalize("NFKC", " ".join(page.extract_text() for page in reader.pages))
    return re.sub(r"\s+", " ", text)


def test_an_arabic_letter_falls_back_to_french_the_client_reads(session: Session, anna) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(session, anna, NOUR, GENT)  # Nour reads Arabic and French
    draft = letters.prepare(session, anna, referral.id, "client", "ar")
    text = text_of(draft.preview())
    assert FRENCH in text
    assert DUTCH not in text and ENGLISH not in text
    assert draft.content.foreign == (ForeignText("what_to_bring", "fr", ("nl", "fr", "en")),)


def test_a_turkish_letter_has_no_dutch_text_for_a_client_who_reads_no_dutch(
    session: Session, anna
) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(session, anna, AYSE, GENT)
    draft = letters.prepare(session, anna, referral.id, "client", "tr")
    text = text_of(letters.finalise(session, anna, draft))
    for other in (DUTCH, FRENCH, ENGLISH):
        assert other not in text
    assert draft.content.fields["what_to_bring"] is None
    assert draft.content.foreign == (ForeignText("what_to_bring", None, ("nl", "fr", "en")),)


def test_dutch_counts_when_a_test_measured_enough_of_it(session: Session, anna, today) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(session, anna, AYSE, GENT)
    test_results.record(session, anna, referral.client_id, {
        "kind": "certified_language", "language": "nl", "level": "A2", "passed": "yes",
        "taken_on": dt.date(2026, 3, 12), "taken_by": "Huis van het Nederlands"})  # fmt: skip
    session.commit()
    client_copy = letters.prepare(session, anna, referral.id, "client", "tr")
    assert DUTCH in text_of(client_copy.preview())
    assert client_copy.content.foreign[0].shown_in == "nl"
    partner = letters.prepare(session, anna, referral.id, "partner", "nl")
    assert partner.content.fields["dutch_level"] == "A2 (Gecertificeerde taaltest, 12 maart 2026)"
    assert "A2 (Gecertificeerde taaltest, 12 maart 2026)" in text_of(partner.preview())


def test_the_letter_s_own_language_needs_no_warning(session: Session, anna) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(session, anna, AYSE, GENT)
    offer = session.get(Offer, referral.offer_id)
    assert offer is not None
    offer.what_to_bring = stored_texts({"nl": "Je identiteitskaart.", "tr": "Kimlik kartınız."})
    session.commit()
    draft = letters.prepare(session, anna, referral.id, "client", "tr")
    assert "Kimlik kartınız." in text_of(draft.preview())
    assert draft.content.foreign == ()
    dutch = letters.prepare(session, anna, referral.id, "client", "nl")
    assert "Je identiteitskaart." in text_of(dutch.preview()) and dutch.content.foreign == ()


def test_phones_national_and_addresses_as_the_post_writes_them(session: Session, anna) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(session, anna, AYSE, "dut-rotterdam-taalcafe-en-nt2-les")
    client = session.get(Client, referral.client_id)
    assert client is not None and client.phone == "+3225749078"
    partner = text_of(letters.prepare(session, anna, referral.id, "partner", "nl").preview())
    assert "02 574 90 78" in partner and "+3225749078" not in partner
    assert "Dampoortstraat 3, 9000 Gent" in partner
    assert "Nederland" in partner  # the partner's address block: another country than ours
    client_copy = text_of(letters.prepare(session, anna, referral.id, "client", "nl").preview())
    assert (
        "Nederland" in client_copy and "+31 10 281 6100" in client_copy
    )  # a foreign number: international
    assert "09 210 10 10" in client_copy  # the counsellor's, national
    # an organisation in the Netherlands writes Dutch numbers the national way, Belgian ones not
    org_settings.put(session, letterhead.PHONE, "+31101234567")
    session.commit()
    dutch_org = text_of(letters.prepare(session, anna, referral.id, "client", "nl").preview())
    assert "+32 9 210 10 10" in dutch_org and "010 281 6100" in dutch_org
    assert "Nederland" not in dutch_org
