"""The letter "we could not reach you" (issue 25, point 10): in the client's language (Dutch,
Arabic right to left, Ukrainian), naming the counsellor, the phone to call, the contact point
and the office hours; a private file whose metadata name no one; recorded as a letter sent
and a print, and refused (nothing written, nothing recorded) where the policy forbids letters."""

from __future__ import annotations

import re
import stat
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import document_translations
from app.models import AuditEntry
from app.models.enums import AuditAction, ContactChannel, ContactOutcome, CounsellorRole
from app.services import org_settings
from app.services.caseload import clients
from app.services.contact import advice, contact_policy, contacts, unreached_letter
from app.services.errors import ValidationFailed
from app.services.referrals import letterhead
from tests.helpers import actor

pytestmark = pytest.mark.both_backends

POINTS = '[{"name": "Werkwinkel Gent", "address": "Kortrijksesteenweg 1\\n9000 Gent"}]'
DAY_NAMES = {
    "nl": ("maandag", "vrijdag"),
    "uk": ("понеділок", "пʼятниця"),
    "ar": ("الاثنين", "الجمعة"),
}


@pytest.fixture
def unreached(session: Session, make_counsellor: Any) -> tuple[Any, int]:
    ann = make_counsellor("ann", "Ann Peeters")
    ann.phone, ann.office = "+3292101010", "Werkwinkel Gent"
    who = actor(ann)
    made = clients.create_client(session, {
        "given_name": "Oksana", "family_name": "Kovalenko", "phone": "0470 12 34 56",
        "street": "Sleepstraat", "house_number": "28", "postal_code": "9000", "municipality": "Gent",
        "contact_language": "uk"}, actor=who, referent_id=ann.id)  # fmt: skip
    org_settings.put(session, contact_policy.CONTACT_POINTS, POINTS)
    org_settings.put(session, contact_policy.OFFICE_HOURS, "09:00-16:30")
    org_settings.put(session, letterhead.PHONE, "+3292100000")
    for channel, outcome in (
        ("phone", "no_answer"),
        ("sms", "message_sent"),
        ("phone", "voicemail"),
    ):
        contacts.log(session, who, made.id, channel=channel, outcome=outcome)
    session.commit()
    return who, made.id


def text_of(path: Path) -> str:
    reader = PdfReader(str(path))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def starts_of(path: Path, piece: str) -> list[float]:
    """Where on the page (points from the left) the text runs holding `piece` begin."""
    found: list[float] = []

    def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        if piece in text:
            found.append(tm[4] * cm[0] + cm[4])

    PdfReader(str(path)).pages[0].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("language", ["nl", "ar", "uk"])
def test_the_letter_in_the_client_s_language_names_whom_to_call_and_when(
    session: Session, unreached: tuple[Any, int], tmp_path: Path, language: str
) -> None:
    who, client_id = unreached
    target = tmp_path / "letter.pdf"
    assert unreached_letter.write(session, who, client_id, target, language=language) == language
    session.commit()
    text = text_of(target)
    title = document_translations(language).gettext(unreached_letter.TITLE)
    for expected in (re.sub(r"\s+", " ", title), "Ann Peeters", "09 210 10 10", "Werkwinkel Gent",
                     "Kortrijksesteenweg 1", "Sleepstraat 28", *DAY_NAMES[language]):  # fmt: skip
        assert unicodedata.normalize("NFKC", expected).casefold() in text.casefold(), expected
    assert "0470" not in text  # the client's own number is not the one to call
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    meta = PdfReader(str(target)).metadata or {}
    everything = " ".join(str(value) for value in meta.values())
    assert not any(
        word in everything for word in ("Oksana", "Kovalenko", "Ann Peeters", "Sleepstraat")
    )
    assert title in everything  # the title names the letter, not the person
    # the signature and the address block stand at the start side, as in the referral
    # letters: on the right in Arabic
    for piece in ("Ann Peeters", "Sleepstraat"):
        starts = starts_of(target, piece)
        assert starts and (min(starts) > 250 if language == "ar" else max(starts) < 100), piece


def test_the_client_s_contact_language_is_the_default_and_the_letter_is_recorded(
    session: Session, unreached: tuple[Any, int], tmp_path: Path
) -> None:
    who, client_id = unreached
    assert unreached_letter.write(session, who, client_id, tmp_path / "l.pdf") == "uk"
    session.commit()
    newest = contacts.history(session, client_id)[0]
    assert (newest.channel, newest.outcome, newest.reached) == (
        ContactChannel.LETTER,
        ContactOutcome.MESSAGE_SENT,
        False,
    )
    printed = session.scalars(select(AuditEntry).where(AuditEntry.client_id == client_id,
                                                       AuditEntry.action == AuditAction.PRINT)).all()  # fmt: skip
    assert [p.detail for p in printed] == ["unreached letter uk"]
    # the letter is an attempt, not a failure: still two failed calls, the letter not advised again
    found = advice.advice_for(session, client_id)
    assert found.failed_attempts == 2 and found.messages_sent == 2
    assert found.tried == (ContactChannel.PHONE,) and ContactChannel.LETTER in found.messaged


def test_a_policy_without_letters_refuses_and_writes_nothing(
    session: Session, unreached: tuple[Any, int], tmp_path: Path, make_counsellor: Any
) -> None:
    who, client_id = unreached
    admin = actor(make_counsellor("adm"))
    admin = admin.__class__(admin.counsellor_id, CounsellorRole.ADMIN, admin.office)
    allowed = [c.value for c in contact_policy.POLICY_CHANNELS if c != ContactChannel.LETTER]
    org_settings.update(session, {contact_policy.ALLOWED_CHANNELS: ",".join(allowed)}, actor=admin)
    session.commit()
    target = tmp_path / "letter.pdf"
    with pytest.raises(ValidationFailed) as refused:
        unreached_letter.write(session, who, client_id, target)
    session.rollback()
    assert "channel" in refused.value.errors and not target.exists()
    assert len(contacts.history(session, client_id)) == 3


@pytest.mark.parametrize(
    ("language", "said"),
    [("nl", "(sms en telefoon)"), ("fr", "(SMS et téléphone)"), ("de", "(SMS und Telefon)")],
)
def test_the_channels_tried_are_written_as_the_language_writes_them_mid_sentence(
    session: Session, unreached: tuple[Any, int], tmp_path: Path, language: str, said: str
) -> None:
    who, client_id = unreached
    unreached_letter.write(session, who, client_id, tmp_path / "l.pdf", language=language)
    text = text_of(tmp_path / "l.pdf")
    assert said in text


def test_a_label_keeps_the_capitals_of_a_name_or_an_abbreviation() -> None:
    lower = unreached_letter.mid_sentence
    assert (
        lower("WhatsApp of een andere berichtenapp", "nl") == "WhatsApp of een andere berichtenapp"
    )
    assert (lower("E-mail", "nl"), lower("Sms", "nl"), lower("SMS", "fr")) == (
        "e-mail",
        "sms",
        "SMS",
    )
    assert (lower("Videogespräch", "de"), lower("Телефон", "uk")) == ("Videogespräch", "телефон")
    assert (lower("Işık", "tr"), lower("İnternet", "tr")) == ("ışık", "internet")
