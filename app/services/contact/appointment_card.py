"""The appointment card: a printed reminder for the client (digitally low-literate clients
need one on paper), in the client's language — the day and time written out by Babel, where
to go with the address, how the appointment happens, what to bring, and whom to call. An A5
page in large type; its metadata names no one. Phone numbers and addresses are written as
people read them where the organisation works (`documents.postal`).

Its texts are in the `documents` catalogs (as the letters' are), read through the card's
`DocumentSpeech`, so a card can be printed in a language the interface does not speak, such as
Turkish or Ukrainian, and the interface language stays as it is meanwhile."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.i18n import N_, DocumentSpeech, _, current_language, document_language, for_document
from app.models import Appointment, Client, Counsellor
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose, VideoPlatform
from app.models.enums import AuditAction
from app.private_files import atomic_write
from app.services.clock import DEFAULT_TIME_ZONE
from app.services.contact import contact_policy
from app.services.documents import postal
from app.services.documents.fonts import register_fonts
from app.services.documents.pdf_text import paragraph
from app.services.errors import NotFound
from app.services.privacy import access, audit
from app.services.privacy.access import Actor

IDENTITY = N_("your identity card or residence permit")
WHAT_TO_BRING: dict[AppointmentPurpose, tuple[str, ...]] = {
    AppointmentPurpose.INTAKE: (IDENTITY, N_("your diplomas and certificates, if you have them"),
                                N_("your CV, if you have one")),
    AppointmentPurpose.FOLLOW_UP: (N_("the letters and papers you received since last time"),),
    AppointmentPurpose.INFORMATION_SESSION: (N_("something to write with"),),
    AppointmentPurpose.COGNITIVE_TEST: (IDENTITY, N_("your glasses, if you wear them")),
    AppointmentPurpose.READING_WRITING_TEST: (IDENTITY, N_("your glasses, if you wear them"),
                                              N_("a pen")),
    AppointmentPurpose.ENTRY_TEST: (IDENTITY, N_("your glasses, if you wear them")),
    AppointmentPurpose.CERTIFIED_LANGUAGE_TEST: (IDENTITY, N_("the invitation to the test")),
    AppointmentPurpose.PARTNER_INTAKE: (IDENTITY, N_("this card")),
}  # fmt: skip

PAGE_MARGIN_MM = 14
# a link breaks after these characters, where a reader sees a part of it end
_LINK_PART = re.compile(r"[^/?&=]*[/?&=]*")


def card_language(client: Client, asked: str | None = None) -> str:
    """The language asked for, else the client's contact language when a card can be in it,
    else the interface language."""
    return document_language(asked, client.contact_language, current_language())


def write(
    session: Session, actor: Actor, appointment_id: int, target: Path,
    *, language: str | None = None, tz: str = DEFAULT_TIME_ZONE,
) -> str:  # fmt: skip
    """Write the card; returns the language it is in. Printing is audited (no content)."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        raise NotFound(_("This appointment no longer exists."))
    access.require_file(session, actor, appointment.client_id)
    client = session.get(Client, appointment.client_id)
    counsellor = session.get(Counsellor, appointment.counsellor_id)
    assert client is not None
    register_fonts()
    speech = for_document(card_language(client, language))
    story = _story(session, appointment, client, counsellor, tz, speech)
    with atomic_write(target) as out:
        _document(out, speech.gettext("Your appointment"), speech.language).build(story)
    audit.record(session, AuditAction.PRINT, counsellor_id=actor.counsellor_id,
                 client_id=client.id, detail="appointment card")  # fmt: skip
    return speech.language


def _document(out: IO[bytes], title: str, language: str) -> Any:
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    margin = PAGE_MARGIN_MM * mm
    return SimpleDocTemplate(out, pagesize=A5, leftMargin=margin, rightMargin=margin,
                             topMargin=14 * mm, bottomMargin=12 * mm, title=title, author="",
                             subject="", creator="Traject", producer="Traject", keywords="",
                             lang=language)  # fmt: skip


def _styles() -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("card", fontName="TrajectSans", fontSize=13, leading=18)
    return {
        "body": body,
        "title": ParagraphStyle("card-title", parent=body, fontName="TrajectSans-Bold",
                                fontSize=20, leading=25, spaceAfter=8),
        "when": ParagraphStyle("card-when", parent=body, fontName="TrajectSans-Bold",
                               fontSize=17, leading=23),
        "label": ParagraphStyle("card-label", parent=body, fontSize=10, leading=13,
                                textColor=HexColor("#555555"), spaceBefore=9),
        "strong": ParagraphStyle("card-strong", parent=body, fontName="TrajectSans-Bold"),
    }  # fmt: skip


def _how(
    appointment: Appointment, client: Client, policy: contact_policy.ContactPolicy,
    speech: DocumentSpeech, home: str = postal.HOME_COUNTRY,
) -> list[str]:  # fmt: skip
    channel = AppointmentChannel(appointment.channel)
    if channel == AppointmentChannel.IN_PERSON:
        point = policy.contact_point(appointment.location)
        if point is None:
            return [appointment.location or speech.gettext("at the office of your counsellor")]
        return [point.name, *point.address.splitlines()] if point.address else [point.name]
    if channel == AppointmentChannel.PHONE:
        number = postal.phone_line(client.phone, home)
        return [speech.gettext("We will call you on {phone}.").format(phone=number) if number
                else speech.gettext("We will call you.")]  # fmt: skip
    if channel == AppointmentChannel.VIDEO:
        return _video(appointment, client, speech, home)
    return [
        speech.gettext("Your counsellor comes to your home."),
        *postal.address_lines(client.street, client.house_number, client.postal_code,
                              client.municipality, client.country, home=home, locale=speech.locale),
    ]  # fmt: skip


def _video(appointment: Appointment, client: Client, speech: DocumentSpeech,
           home: str) -> list[str]:  # fmt: skip
    """A video call: on which platform, and the link to open (written out whole: the client
    may type it from paper), or that the counsellor calls or sends it."""
    platform = VideoPlatform(appointment.video_platform) if appointment.video_platform else None
    first = (speech.gettext("A video call with {platform}.").format(
        platform=platform.label_in(speech)) if platform else speech.gettext("A video call."))  # fmt: skip
    if appointment.video_link:
        return [first, speech.gettext("At the time of the appointment, open this link:"),
                appointment.video_link]  # fmt: skip
    if platform == VideoPlatform.WHATSAPP:
        number = postal.phone_line(client.phone, home)
        return [first, speech.gettext("We will call you on WhatsApp on {phone}.").format(
            phone=number) if number else speech.gettext("We will call you on WhatsApp.")]  # fmt: skip
    if platform is None:
        return [speech.gettext("A video call. You will receive the link from your counsellor.")]
    return [first, speech.gettext("You will receive the link from your counsellor.")]


def link_lines(link: str, font: str, size: float, width: float) -> list[str]:
    """A long link (a Teams meeting's) cut into lines that fit `width`: after a / ? & or =
    where it can, within a part only when that part alone is too wide. Each line stays
    left to right and nothing is dropped, so the client can type the whole link from paper."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fits(text: str) -> bool:
        return bool(stringWidth(text, font, size) <= width)

    lines: list[str] = []
    line = ""
    for part in (p for p in _LINK_PART.findall(link) if p):
        if fits(line + part):
            line += part
            continue
        if line:
            lines.append(line)
        line = ""
        for char in part:  # a part wider than the page: cut it where the line is full
            if line and not fits(line + char):
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def _link(link: str, style: Any) -> list[str]:
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.units import mm

    # a hair less than the frame: ReportLab's frame keeps a few points of padding
    width = A5[0] - 2 * PAGE_MARGIN_MM * mm - 12
    return link_lines(link, style.fontName, style.fontSize, width)


def _story(session: Session, appointment: Appointment, client: Client,
           counsellor: Counsellor | None, tz: str, speech: DocumentSpeech) -> list[Any]:  # fmt: skip
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    st = _styles()
    rtl = speech.is_right_to_left

    def para(text: str, style: Any) -> Any:
        return paragraph(text, style, rtl)

    start = appointment.starts_at.astimezone(ZoneInfo(tz))
    end = start + dt.timedelta(minutes=appointment.duration_minutes)
    day = speech.format_date(start.date(), "full")
    hours = "{start} – {end}".format(start=speech.format_time(start, "short"),
                                     end=speech.format_time(end, "short"))  # fmt: skip
    policy = contact_policy.load(session)
    home = postal.organisation_country(session)
    out: list[Any] = [
        para(speech.gettext("Your appointment"), st["title"]),
        para(client.full_name, st["body"]),
        Spacer(1, 4 * mm),
        para(day[:1].upper() + day[1:], st["when"]),
        para(hours, st["when"]),
        para(speech.gettext("What"), st["label"]),
        para(AppointmentPurpose(appointment.purpose).label_in(speech), st["body"]),
        para(
            speech.gettext("Where")
            if appointment.channel == AppointmentChannel.IN_PERSON
            else speech.gettext("How"),
            st["label"],
        ),
    ]
    for i, line in enumerate(_how(appointment, client, policy, speech, home)):
        if line == appointment.video_link:
            out += [para(part, st["body"]) for part in _link(line, st["body"])]
        else:
            out.append(para(line, st["strong"] if i == 0 else st["body"]))
    bring = WHAT_TO_BRING.get(AppointmentPurpose(appointment.purpose), ())
    if bring and appointment.channel in (
        AppointmentChannel.IN_PERSON,
        AppointmentChannel.HOME_VISIT,
    ):
        out.append(para(speech.gettext("Bring"), st["label"]))
        out += [para("• " + speech.gettext(item), st["body"]) for item in bring]
    if counsellor is not None:
        out.append(para(speech.gettext("Your counsellor"), st["label"]))
        out.append(para(counsellor.full_name, st["strong"]))
        phone = postal.phone_line(counsellor.phone, home)
        if phone:
            out.append(para(phone, st["body"]))
            out.append(Spacer(1, 3 * mm))
            out.append(
                para(speech.gettext("Can you not come? Call before the appointment."), st["body"])
            )
    return out
