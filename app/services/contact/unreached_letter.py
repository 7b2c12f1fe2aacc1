"""The letter "we could not reach you": the escalation step on paper (source 002), in the
client's language, asking them to contact their counsellor — the counsellor's name, the contact
point where they work, the phone to call and the office hours from the contact policy. An A4
letter on the organisation's letterhead with the client's postal address in the window.

Writing it is a contact attempt by letter (a message sent, not a failed attempt) recorded in
the file, and a print in the audit trail; a letter the policy forbids is refused before
anything is written. The PDF's metadata name no one. Its texts are in the `documents` catalogs
(`DocumentSpeech`), like the appointment card's, so it can be written in Turkish or Ukrainian
whatever the interface speaks."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from app.i18n import (
    N_,
    DocumentSpeech,
    _,
    current_language,
    document_language,
    for_document,
    mid_sentence,
)
from app.language_names import display_name
from app.models import Client, Counsellor
from app.models.enums import AuditAction, ContactChannel, ContactOutcome
from app.private_files import atomic_write
from app.services.caseload.current_assignments import current_referent
from app.services.clock import local_today
from app.services.contact import contact_policy, contacts
from app.services.contact.contact_policy import ContactPolicy
from app.services.documents import postal
from app.services.documents.fonts import register_fonts
from app.services.documents.pdf_text import paragraph
from app.services.errors import NotFound
from app.services.privacy import audit
from app.services.privacy.access import Actor
from app.services.referrals import letterhead

TITLE = N_("We could not reach you")  # the letter's heading and its PDF title (no one's name)
# languages that capitalise every noun, so a label keeps its capital inside a sentence


def letter_language(client: Client, asked: str | None = None) -> str:
    """The language asked for, else the client's contact language when a letter can be in
    it, else the interface language."""
    return document_language(asked, client.contact_language, current_language())


def write(
    session: Session, actor: Actor, client_id: int, target: Path, *, language: str | None = None
) -> str:
    """Write the letter to `target` (whole or not at all, 0600) and record it as a letter
    sent; returns the language it is in. The caller commits; a failed write records nothing
    once the caller rolls back."""
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(_("This client no longer exists."))
    speech = for_document(letter_language(client, language))
    tried = _tried(session, client_id)
    contacts.log(session, actor, client_id, channel=ContactChannel.LETTER,
                 outcome=ContactOutcome.MESSAGE_SENT,
                 note=_("Letter “We could not reach you”, in {language}.").format(
                     language=display_name(speech.language)))  # fmt: skip
    referent = current_referent(session, client_id)
    counsellor = session.get(
        Counsellor, referent.counsellor_id if referent else actor.counsellor_id
    )
    register_fonts()
    story = _story(session, client, counsellor, tried, speech)
    with atomic_write(target) as out:
        _document(out, speech).build(story)
    audit.record(session, AuditAction.PRINT, counsellor_id=actor.counsellor_id, client_id=client_id,
                 detail=f"unreached letter {speech.language}")  # fmt: skip
    return speech.language


def _tried(session: Session, client_id: int) -> list[ContactChannel]:
    """The channels tried since the client was last reached, oldest first, for the letter's
    "we tried to reach you by …"."""
    seen: list[ContactChannel] = []
    for contact in contacts.history(session, client_id):
        if contact.reached:
            break
        channel = ContactChannel(contact.channel)
        if channel not in seen and channel != ContactChannel.LETTER:
            seen.append(channel)
    return seen[::-1]


def _document(out: IO[bytes], speech: DocumentSpeech) -> Any:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(out, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
                             topMargin=16 * mm, bottomMargin=16 * mm, title=speech.gettext(TITLE),
                             author="", subject="", creator="Traject", producer="Traject",
                             keywords="", lang=speech.language, invariant=1,
                             initialFontName="TrajectSans")  # fmt: skip


def _styles() -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("unreached", fontName="TrajectSans", fontSize=11.5, leading=16,
                          spaceAfter=5)  # fmt: skip
    return {
        "body": body,
        "small": ParagraphStyle("unreached-small", parent=body, fontSize=9, leading=12,
                                spaceAfter=0, textColor=HexColor("#555555")),
        "head": ParagraphStyle("unreached-head", parent=body, fontName="TrajectSans-Bold",
                               fontSize=13, leading=17, spaceAfter=1),
        "title": ParagraphStyle("unreached-title", parent=body, fontName="TrajectSans-Bold",
                                fontSize=17, leading=23, spaceBefore=10, spaceAfter=10),
        "label": ParagraphStyle("unreached-label", parent=body, fontSize=9.5, leading=13,
                                textColor=HexColor("#555555"), spaceBefore=6, spaceAfter=0),
        "strong": ParagraphStyle("unreached-strong", parent=body, fontName="TrajectSans-Bold",
                                 spaceAfter=0),
        "line": ParagraphStyle("unreached-line", parent=body, spaceAfter=0),
    }  # fmt: skip


def office_days(days: frozenset[int], speech: DocumentSpeech) -> str:
    """The office days as a reader says them: "Monday to Friday", or a list when they are
    not one run ("Monday, Wednesday and Friday")."""
    names = speech.locale.days["format"]["wide"]
    ordered = sorted(days)
    if len(ordered) >= 3 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return speech.gettext("{first} to {last}").format(
            first=names[ordered[0] - 1], last=names[ordered[-1] - 1]
        )
    return speech.format_list([names[d - 1] for d in ordered])


def _place(policy: ContactPolicy, client: Client, counsellor: Counsellor | None) -> list[str]:
    """Where to come: the client's preferred office, else the counsellor's, else the only
    contact point there is, as name and address lines."""
    point = policy.contact_point(client.preferred_office) or policy.contact_point(
        counsellor.office if counsellor else None
    )
    if point is None and len(policy.contact_points) == 1:
        point = policy.contact_points[0]
    if point is None:
        return []
    return [point.name, *point.address.splitlines()]


def _story(
    session: Session, client: Client, counsellor: Counsellor | None,
    tried: list[ContactChannel], speech: DocumentSpeech,
) -> list[Any]:  # fmt: skip
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    st = _styles()
    rtl = speech.is_right_to_left

    def para(text: str, style: Any) -> Any:
        return paragraph(text, style, rtl)

    head = letterhead.load(session)
    home = postal.organisation_country(session)
    policy = contact_policy.load(session)
    out: list[Any] = [para(head.organisation or " ", st["head"])]
    out += [para(line, st["small"]) for line in head.address]
    if head.phone or head.email:
        out.append(para(" · ".join(p for p in (head.phone, head.email) if p), st["small"]))
    out.append(Spacer(1, 12 * mm))
    address = postal.address_lines(client.street, client.house_number, client.postal_code,
                                   client.municipality, client.country, home=home,
                                   locale=speech.locale)  # fmt: skip
    out += [para(line, st["line"]) for line in [client.full_name, *address]]
    out.append(Spacer(1, 10 * mm))
    out.append(para(speech.format_date(local_today(), "long"), st["small"]))
    out.append(para(speech.gettext(TITLE), st["title"]))
    out.append(para(speech.gettext("Dear {name},").format(name=client.full_name), st["body"]))
    labels = [mid_sentence(channel.label_in(speech), speech.language) for channel in tried]
    out.append(para(speech.gettext("We have tried to reach you several times ({channels}), but we could not "
                       "reach you.").format(channels=speech.format_list(labels)) if labels
                    else speech.gettext("We have tried to reach you, but we could not reach you."), st["body"]))  # fmt: skip
    out.append(para(speech.gettext("Please contact your counsellor as soon as possible. We would like to "
                       "talk with you about your path to work and the support you receive."),
                    st["body"]))  # fmt: skip
    out.append(para(speech.gettext("Has your phone number or address changed? Then please tell us."),
                    st["body"]))  # fmt: skip
    out.append(para(speech.gettext("Your counsellor"), st["label"]))
    name = counsellor.full_name if counsellor else ""
    out.append(para(name or head.organisation or " ", st["strong"]))
    phone = postal.phone_line(counsellor.phone if counsellor else None, home) or head.phone
    if phone:
        out.append(para(speech.gettext("Phone"), st["label"]))
        out.append(para(phone, st["strong"]))
    place = _place(policy, client, counsellor)
    if place:
        out.append(para(speech.gettext("Where"), st["label"]))
        out += [para(line, st["strong"] if n == 0 else st["line"]) for n, line in enumerate(place)]
    out.append(para(speech.gettext("Office hours"), st["label"]))
    hours = f"{speech.format_time(policy.office_start)} – {speech.format_time(policy.office_end)}"  # fmt: skip
    days = office_days(policy.office_days, speech)
    out.append(para(f"{days[:1].upper()}{days[1:]}, {hours}", st["line"]))
    out.append(Spacer(1, 8 * mm))
    out.append(para(speech.gettext("Kind regards,"), st["body"]))
    out.append(para(name or " ", st["strong"]))
    if head.organisation:
        out.append(para(head.organisation, st["line"]))
    return out
