"""What a referral letter says, gathered from the database: the client, the partner's offer, the
referral (reason, agreement, consent, the partner appointment), the digital-profile result
when the referral came from an intake, the referent, the letterhead. Each field is a text,
a list of texts, or empty — the template decides which empty fields must be marked. Dates and
labels are written through `DocumentSpeech` objects, never by switching the interface
language.

Offer texts the client reads (what to bring) are kept per language (`offer_fields`). A
letter prints the text in its own language; failing that, in the first language the client
reads that the offer has a text in — the client's contact language, then the other
languages in the file, then Dutch when the client's Dutch level (measured by a test, else
declared) is A2 or higher. When the client reads none of the offer's languages the block is
left out rather than printed in a language the client cannot read. Either way `foreign`
says so, and the letter preview lists it for the counsellor (tell the client, or add the
text to the offer).

Phone numbers are written as people dial them where the organisation works, and addresses
as the post writes them (`documents.postal`). The client's level of Dutch is the one a
test measured, with the test and its date, when there is one (`caseload.test_results`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import LANGUAGES, DocumentSpeech, for_document, interface_speech
from app.models import Client, Consent, Counsellor, Offer, Referral, ScriptRun
from app.models.enums import ConsentPurpose, DutchLevel
from app.services.caseload import test_results
from app.services.clock import DEFAULT_TIME_ZONE
from app.services.documents import postal
from app.services.referrals import letterhead, offers
from app.services.referrals.offer_fields import offer_texts

Value = str | list[str] | None

#: Every field a template may name, as a placeholder or in a block.
FIELDS = (
    "client_name", "client_given_name", "birth_date", "address", "phone", "email",
    "support_person", "languages", "dutch_level", "reason", "profile_result", "profile_reasons",
    "agreed", "consent_date", "provider", "offer_name", "partner_contact", "partner_address",
    "partner_phone", "partner_appointment", "what_to_bring", "referent_name", "referent_phone",
    "referent_email", "partner_street", "partner_town", "partner_country",
)  # fmt: skip
#: Fields whose text comes from the offer in one of several languages.
OFFER_TEXTS = ("what_to_bring",)


@dataclass(frozen=True)
class ForeignText:
    """An offer text that is not in the letter's language: printed in `shown_in`, or left out
    (None) because the client reads none of the languages it has (`available`)."""

    field: str
    shown_in: str | None
    available: tuple[str, ...]


@dataclass(frozen=True)
class LetterContent:
    language: str
    fields: dict[str, Value]
    partner_block: list[str]  # the partner's address block, top of the partner letter
    letterhead: letterhead.Letterhead
    referent: str
    date: str  # today, written out in the letter's language
    foreign: tuple[ForeignText, ...] = ()  # offer texts not in the letter's language

    @property
    def speech(self) -> DocumentSpeech:
        """The letter's texts and formats: its language's `documents` catalog and locale."""
        return for_document(self.language)


def gather(session: Session, referral: Referral, language: str, today: dt.date,
           tz: str = DEFAULT_TIME_ZONE) -> LetterContent:  # fmt: skip
    client = session.get(Client, referral.client_id)
    offer = offers.get(session, referral.offer_id)
    referent = session.get(Counsellor, referral.counsellor_id) if referral.counsellor_id else None
    assert client is not None
    speech = for_document(language)
    home = postal.organisation_country(session)
    partner_lines = offers.address_lines(offer, home=home, locale=speech.locale)
    partner_country = offers.country_of(offer)
    fields: dict[str, Value] = {
        "client_name": client.full_name or None,
        "client_given_name": client.given_name or None,
        "birth_date": _date(client.birth_date, speech),
        "address": postal.one_line(_address(client, home, speech)) or None,
        "phone": postal.phone_line(client.phone, home) or None,
        "email": client.email or None,
        "support_person": client.key_person or None,
        "languages": _languages(client, speech),
        "reason": referral.reason or None,
        "agreed": referral.agreed or None,
        "consent_date": _date(_consent_day(session, referral, offer), speech),
        "provider": offer.provider,
        "offer_name": offer.name,
        "partner_contact": offer.contact_person or None,
        "partner_address": postal.one_line(partner_lines) or None,
        "partner_street": offer.street or None,
        "partner_town": " ".join(p for p in (offer.postal_code, offer.municipality) if p) or None,
        "partner_country": postal.country_name(partner_country, speech.locale)
        if partner_country != home else None,
        "partner_phone": postal.phone_line(offer.phone, home) or None,
        "partner_appointment": _when(referral.partner_appointment_at, speech, tz),
        "referent_name": referent.full_name if referent else None,
        "referent_phone": postal.phone_line(referent.phone, home) if referent and referent.phone else None,
        "referent_email": referent.email if referent and referent.email else None,
    }  # fmt: skip
    measured = test_results.measured_level(session, client.id, "nl")  # read once per letter
    level = measured.level.lower() if measured is not None else client.dutch_level or None
    foreign = []
    for field in OFFER_TEXTS:
        fields[field], note = _offer_text(offer, field, speech.language, _reads(client, level))
        if note is not None:
            foreign.append(note)
    # labels from the interface catalogs exist in the interface languages only (else the default)
    labels = interface_speech(language if language in LANGUAGES else None)
    fields["dutch_level"] = _dutch_level(measured, client, labels, speech)
    fields["profile_result"], fields["profile_reasons"] = _profile(session, referral, labels)
    block = [offer.provider]
    if offer.contact_person:
        block.append(offer.contact_person)
    block += partner_lines
    day = speech.format_date(today, "long")
    return LetterContent(speech.language, fields, block, letterhead.load(session),
                         referent.full_name if referent else "", day, tuple(foreign))  # fmt: skip


def _short(code: str | None) -> str:
    return (code or "").replace("-", "_").split("_")[0].lower()


def _reads(client: Client, level: str | None) -> list[str]:
    """The languages the client reads, in the order a letter falls back to them."""
    codes = [_short(c) for c in [client.contact_language, *(client.other_languages or [])] if c]
    if level in test_results.READS_DUTCH:
        codes.append("nl")
    return list(dict.fromkeys(codes))


def _offer_text(
    offer: Offer, field: str, language: str, reads: list[str]
) -> tuple[str | None, ForeignText | None]:
    """The offer's text for a letter in `language` to a client who reads `reads` (see the
    module's docstring), and a note when it is not in the letter's language."""
    by_language = {_short(code): text for code, text in offer_texts(offer, field).items()}
    if not by_language:
        return None, None
    if language in by_language:
        return by_language[language], None
    available = tuple(by_language)
    for code in reads:
        if code in by_language:
            return by_language[code], ForeignText(field, code, available)
    return None, ForeignText(field, None, available)


def _dutch_level(
    measured: test_results.MeasuredLevel | None, client: Client, labels: DocumentSpeech,
    speech: DocumentSpeech,
) -> str | None:  # fmt: skip
    """The level a test measured, with the test and its date; else the declared level."""
    if measured is not None:
        test = measured.kind.label_in(labels)
        return f"{measured.level} ({test}, {speech.format_date(measured.taken_on, 'long')})"
    return DutchLevel(client.dutch_level).label_in(labels) if client.dutch_level else None


def _date(day: dt.date | None, speech: DocumentSpeech) -> str | None:
    return speech.format_date(day, "long") if day else None


def _when(at: dt.datetime | None, speech: DocumentSpeech, tz: str) -> str | None:
    if at is None:
        return None
    local = at.astimezone(ZoneInfo(tz))
    return f"{speech.format_date(local.date(), 'full')}, {speech.format_time(local, 'short')}"


def _address(client: Client, home: str, speech: DocumentSpeech) -> list[str]:
    return postal.address_lines(client.street, client.house_number, client.postal_code,
                                client.municipality, client.country, home=home, locale=speech.locale)  # fmt: skip


def _languages(client: Client, speech: DocumentSpeech) -> str | None:
    codes = [c for c in [client.contact_language, *(client.other_languages or [])] if c]
    names = []
    for code in dict.fromkeys(codes):
        name = speech.locale.languages.get(code.split("-")[0].split("_")[0], code)
        names.append(name)
    return ", ".join(names) or None


def _consent_day(session: Session, referral: Referral, offer: Offer) -> dt.date | None:
    """The day of the consent recorded for this referral, if it still holds."""
    if referral.consent_at is None:
        return None
    consent = session.scalar(
        select(Consent).where(Consent.client_id == referral.client_id,
                              Consent.purpose == ConsentPurpose.SHARE_WITH_PARTNER,
                              Consent.partner == offer.provider, Consent.withdrawn_on.is_(None))
        .order_by(Consent.given_on.desc()).limit(1)
    )  # fmt: skip
    return consent.given_on if consent is not None else None


def _profile(
    session: Session, referral: Referral, speech: DocumentSpeech
) -> tuple[str | None, list[str] | None]:
    """The result of the intake the referral came from, with its reasons, in the speech's
    language."""
    if referral.script_run_id is None:
        return None, None
    run = session.get(ScriptRun, referral.script_run_id)
    if run is None or run.finished_at is None:
        return None, None
    from app.services.scripts.loader import default_catalogue

    script = default_catalogue().scripts.get(run.script_id)
    result_id = run.override_result or run.result
    result = next((r for r in script.results if r.id == result_id), None) if script else None
    if result is None:
        return None, None
    reasons = [speech.gettext(str(reason)) for reason in run.result_reasons or []]
    if run.override_result and run.override_reason:
        reasons.append(run.override_reason)
    # a reason drafted from the conversation already says them: the letter says them once
    said = (referral.reason or "").casefold()
    reasons = [r for r in reasons if r.rstrip(". ").casefold() not in said]
    return speech.gettext(result.label), reasons or None
