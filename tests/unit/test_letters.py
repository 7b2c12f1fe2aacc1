"""Referral letters: names in any script come out of the PDF as typed (Arabic after NFKC),
every font is embedded, missing fields are marked and block the final letter, the output is
deterministic and its metadata name no one."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.models import Client, Counsellor
from app.services.errors import ValidationFailed
from app.services.referrals import letters
from app.services.referrals.letters import templates
from tests.helpers import actor
from tests.unit.letter_fixtures import LUKASZ, NOUR, referral_for


@pytest.fixture
def anna(session: Session, make_counsellor):  # type: ignore[no-untyped-def]
    person: Counsellor = make_counsellor("anna", "Anna Aerts")
    person.phone, person.email = "+3292101010", "anna.aerts@example.be"
    session.commit()
    return actor(person)


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def fonts_of(data: bytes) -> list[tuple[str, bool]]:
    """Each font of each page with whether its program is embedded."""
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            out.append((str(font["/BaseFont"]), embedded))
    return out


@pytest.mark.parametrize(
    ("person", "name"), [(NOUR, "نور العمراني"), (LUKASZ, "Łukasz Wiśniewski")]
)
@pytest.mark.parametrize(
    ("copy", "language"), [("partner", "nl"), ("partner", "fr"), ("client", "ar"), ("client", "nl")]
)
def test_names_in_any_script_are_extractable_and_fonts_embedded(
    session: Session, anna, person, name, copy, language
) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(session, anna, person)
    data = letters.finalise(
        session, anna, letters.prepare(session, anna, referral.id, copy, language)
    )
    text = text_of(data)
    assert name in text
    if person is NOUR:
        assert "Nour El Amrani" in text
    fonts = fonts_of(data)
    assert fonts and all(embedded for _font, embedded in fonts), fonts


def test_the_arabic_client_copy_reads_in_logical_order(session: Session, anna) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(session, anna, NOUR)
    draft = letters.prepare(session, anna, referral.id, "client")
    assert draft.language == "ar"  # the client's contact language
    text = text_of(draft.preview())
    assert "إحالتك إلى Stad Gent – Digipunt" in text
    assert "09 210 10 10" in text  # a phone number keeps its order in right-to-left text
    assert "ماذا تحضر معك؟" in text


def test_missing_fields_are_marked_and_block_the_final_letter(session: Session, anna) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(session, anna, {**LUKASZ, "street": None, "house_number": None,
                                            "postal_code": None, "municipality": None, "email": None})  # fmt: skip
    draft = letters.prepare(session, anna, referral.id, "partner", "en")
    assert draft.missing() == ["address", "email"]
    preview = text_of(draft.preview())
    assert "missing: Address" in preview and "missing: E-mail" in preview
    with pytest.raises(letters.LetterIncomplete) as raised:
        letters.finalise(session, anna, draft)
    assert raised.value.missing == [
        "address",
        "email",
    ] and "Address (address), E-mail (email)" in str(raised.value)
    final = text_of(letters.finalise(session, anna, draft, left_out={"address", "email"}))
    assert "missing" not in final and "E-mail" in final  # the referent's e-mail row stays


def test_no_letter_without_consent(session: Session, anna) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(session, anna, LUKASZ, consent=False)
    with pytest.raises(ValidationFailed) as raised:
        letters.prepare(session, anna, referral.id, "partner")
    assert "consent" in raised.value.errors


def test_output_is_deterministic_and_metadata_name_no_one(session: Session, anna) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(session, anna, LUKASZ)
    first = letters.prepare(session, anna, referral.id, "partner", "fr")
    second = letters.prepare(session, anna, referral.id, "partner", "fr")
    assert first.preview() == second.preview()
    meta = PdfReader(io.BytesIO(first.preview())).metadata
    assert meta.title == "Lettre d’orientation"
    client = session.get(Client, referral.client_id)
    assert client is not None
    assert all(client.family_name not in str(value) for value in meta.values())
    assert b"/Lang (fr)" in first.preview()


def test_the_partner_language_and_refused_languages(session: Session, anna) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(
        session, anna, LUKASZ, offer_code="dig-liege-espace-public-numerique-de-liege"
    )
    assert letters.prepare(session, anna, referral.id, "partner").language == "fr"  # the partner's
    assert (
        letters.prepare(session, anna, referral.id, "client").language == "fr"
    )  # Polish is not offered
    with pytest.raises(ValidationFailed):  # Turkish is for clients' copies, not partners'
        letters.prepare(session, anna, referral.id, "partner", "tr")
    with pytest.raises(ValidationFailed):
        letters.prepare(session, anna, referral.id, "client", "pl")


def test_a_template_with_an_unknown_placeholder_is_refused() -> None:
    document = {
        "kind": "client",
        "title": "T",
        "labels": {},
        "blocks": [{"paragraph": "Hi {nickname}"}],
    }
    with pytest.raises(templates.TemplateInvalid, match="nickname"):
        templates.parse(document, "bad.yaml")
    with pytest.raises(templates.TemplateInvalid, match="without a label"):
        templates.parse({**document, "blocks": [{"fields": ["email"]}]}, "bad.yaml")
