"""Offer texts per language in the catalogue file (format 2, and format 1 still read), and the
default names of saved files: meaningful, in the interface language, ASCII, never empty and
without a client's name."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import in_language
from app.models import Offer
from app.services.documents import file_names, postal
from app.services.referrals import offer_catalogue
from app.services.referrals.offer_fields import checked_offer, offer_texts

ENTRY = {"code": "taalhuis-gent", "type": "dutch_second_language", "name": "Taalhuis",
         "provider": "Huis van het Nederlands Gent", "region": "east_flanders",
         "postal_code": "9000", "municipality": "Gent", "languages": ["nl", "fr"]}  # fmt: skip


def write(path: Path, document: dict) -> Path:  # type: ignore[type-arg]
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_every_sample_offer_has_its_texts_in_dutch_french_and_english(session: Session) -> None:
    offer_catalogue.load_sample(session)
    offers = list(session.scalars(select(Offer)))
    assert len(offers) > 80
    for offer in offers:
        for field in ("what_to_bring", "notes"):
            texts = offer_texts(offer, field)
            if texts:
                assert {"nl", "fr", "en"} <= set(texts), (offer.code, field)
                assert len(set(texts.values())) == len(texts), (offer.code, field)  # translated


def test_a_catalogue_gives_texts_per_language_and_an_old_one_is_still_read(
    session: Session, tmp_path: Path, lead
) -> None:  # type: ignore[no-untyped-def]
    from app.models.enums import CounsellorRole
    from app.services.privacy.access import Actor

    admin = Actor(lead.counsellor_id, CounsellorRole.ADMIN, None)
    new = dict(ENTRY, what_to_bring={"nl": "Je identiteitskaart.", "fr": "Votre carte d'identité."})
    offer_catalogue.import_file(
        session, admin, write(tmp_path / "new.yaml", {"format": 2, "offers": [new]})
    )
    offer = session.scalar(select(Offer).where(Offer.code == "taalhuis-gent"))
    assert offer is not None
    assert offer_texts(offer, "what_to_bring") == {
        "nl": "Je identiteitskaart.",
        "fr": "Votre carte d'identité.",
    }
    exported = tmp_path / "out.json"
    offer_catalogue.export_file(session, exported)
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["format"] == 2
    assert document["offers"][0]["what_to_bring"]["fr"] == "Votre carte d'identité."
    # the export imports as unchanged: the texts compare equal
    assert offer_catalogue.import_file(session, admin, exported).unchanged == 1
    old = dict(ENTRY, languages=["fr", "nl"], what_to_bring="Carte d'identité.")
    offer_catalogue.import_file(
        session, admin, write(tmp_path / "old.yaml", {"format": 1, "offers": [old]})
    )
    assert offer_texts(offer, "what_to_bring") == {"fr": "Carte d'identité."}  # its first language


def test_a_text_in_an_unknown_language_is_refused_by_name() -> None:
    _values, errors = checked_offer(dict(ENTRY, offer_type="dutch_second_language",
                                         what_to_bring={"xx-bad!": "Something."}))  # fmt: skip
    assert "“xx-bad!” is not a language code" in errors["what_to_bring"]
    _values, errors = checked_offer(dict(ENTRY, offer_type="dutch_second_language",
                                         what_to_bring={"nl": ["a", "list"]}))  # fmt: skip
    assert "What to bring" in errors["what_to_bring"]


def test_default_file_names_in_the_interface_language() -> None:
    day = dt.date(2026, 3, 12)
    with in_language("en"):
        assert (
            file_names.file_name("letter_partner", dossier="T-2026-000218")
            == "referral-T-2026-000218-partner.pdf"
        )
        assert (
            file_names.file_name("letter_client", dossier="T-2026-000218")
            == "referral-T-2026-000218-client.pdf"
        )
        assert (
            file_names.file_name("data_export", dossier="T-2026-000218", extension="json")
            == "data-T-2026-000218.json"
        )
        assert (
            file_names.file_name("appointment_card", dossier="T-1", day=day)
            == "appointment-T-1-2026-03-12.pdf"
        )
        assert file_names.file_name("agenda_ics", day=day) == "agenda-2026-03-12.ics"
        assert file_names.file_name("blank_questionnaire", detail="digital-profile ar") == (
            "questionnaire-digital-profile-ar.pdf"
        )
        assert file_names.file_name("letter_partner") == "referral-partner.pdf"  # never empty
        # whatever a dossier holds, the name stays ASCII and a single file name
        assert file_names.file_name("letter_client", dossier="../Ç/ 7") == "referral-C-7-client.pdf"
    for language in ("nl", "fr", "de", "ar"):
        with in_language(language):
            name = file_names.file_name("letter_partner", dossier="T-2026-000218")
            assert name.isascii() and "T-2026-000218" in name and name.endswith(".pdf"), name
            assert "/" not in name and " " not in name
    assert file_names.slug("Lettre d’orientation — client") == "lettre-d-orientation-client"


def test_phone_lines_are_national_at_home_and_international_abroad() -> None:
    assert postal.phone_line("+3225749078") == "02 574 90 78"
    assert postal.phone_line("+31201234567") == "+31 20 123 4567"
    assert postal.phone_line("+31201234567", home="NL") == "020 123 4567"
    assert postal.phone_line("ask at the desk") == "ask at the desk"
    assert postal.address_lines("Rue Haute", "5", "1000", "Bruxelles", "BE") == [
        "Rue Haute 5",
        "1000 Bruxelles",
    ]
    assert (
        postal.address_lines("Hoogstraat", "1", "3011 PV", "Rotterdam", "NL")[-1] == "Netherlands"
    )


@pytest.mark.parametrize("kind", sorted(file_names.KINDS))
def test_every_kind_has_a_name(kind: str) -> None:
    assert file_names.file_name(kind).endswith("." + file_names.KINDS[kind][1])
