"""What a referral letter says, gathered from the database: the client, the partner's offer, the
referral (reason, agreement, consent, the partner appointment), the digital-profile result
when the referral came from an intake, the referent, the letterhead. Each field is a text,
a list of texts, or empty — the template decides which empty fields must be marked. Dates and
labels are written through `DocumentSpeech` objects, never by switching the interface
language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import LANGUAGES, DocumentSpeech, for_document, interface_speech
from app.models import Client, Consent, Counsellor, Offer, Referral, ScriptRun
from app.models.enums import ConsentPurpose, DutchLevel
from app.services import validation as v
from app.services.clock import DEFAULT_TIME_ZONE
from app.services.referrals import letterhead, offers

Value = str | list[str] | None

#: Every field a template may name, as a placeholder or in a block.
FIELDS = (
    "client_name", "client_given_name", "birth_date", "address", "phone", "email",
    "support_person", "languages", "dutch_level", "reason", "profile_result", "profile_reasons",
    "agreed", "consent_date", "provider", "offer_name", "partner_contact", "partner_address",
    "partner_phone", "partner_appointment", "what_to_bring", "referent_name", "referent_phone",
    "referent_email",
)  # fmt: skip


@dataclass(frozen=True)
class LetterContent:
    language: str
    fields: dict[str, Value]
    partner_block: list[str]  # the partner's address block, top of the partner letter
    letterhead: letterhead.Letterhead
    referent: str
    date: str  # today, written out in the letter's language

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
    fields: dict[str, Value] = {
        "client_name": client.full_name or None,
        "client_given_name": client.given_name or None,
        "birth_date": _date(client.birth_date, speech),
        "address": _address(client),
        "phone": v.display_phone(client.phone) or None,
        "email": client.email or None,
        "support_person": client.key_person or None,
        "languages": _languages(client, speech),
        "reason": referral.reason or None,
        "agreed": referral.agreed or None,
        "consent_date": _date(_consent_day(session, referral, offer), speech),
        "provider": offer.provider,
        "offer_name": offer.name,
        "partner_contact": offer.contact_person or None,
        "partner_address": ", ".join(offers.address_lines(offer)) or None,
        "partner_phone": v.display_phone(offer.phone) or None,
        "partner_appointment": _when(referral.partner_appointment_at, speech, tz),
        "what_to_bring": offer.what_to_bring or None,
        "referent_name": referent.full_name if referent else None,
        "referent_phone": v.display_phone(referent.phone) if referent and referent.phone else None,
        "referent_email": referent.email if referent and referent.email else None,
    }
    # labels from the interface catalogs exist in the interface languages only (else the default)
    labels = interface_speech(language if language in LANGUAGES else None)
    fields["dutch_level"] = (
        DutchLevel(client.dutch_level).label_in(labels) if client.dutch_level else None
    )
    fields["profile_result"], fields["profile_reasons"] = _profile(session, referral, labels)
    block = [offer.provider]
    if offer.contact_person:
        block.append(offer.contact_person)
    block += offers.address_lines(offer)
    day = speech.format_date(today, "long")
    return LetterContent(speech.language, fields, block, letterhead.load(session),
                         referent.full_name if referent else "", day)  # fmt: skip


def _date(day: dt.date | None, speech: DocumentSpeech) -> str | None:
    return speech.format_date(day, "long") if day else None


def _when(at: dt.datetime | None, speech: DocumentSpeech, tz: str) -> str | None:
    if at is None:
        return None
    local = at.astimezone(ZoneInfo(tz))
    return f"{speech.format_date(local.date(), 'full')}, {speech.format_time(local, 'short')}"


def _address(client: Client) -> str | None:
    street = " ".join(p for p in (client.street, client.house_number) if p)
    town = " ".join(p for p in (client.postal_code, client.municipality) if p)
    return ", ".join(p for p in (street, town) if p) or None


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
    return speech.gettext(result.label), reasons or None
