"""The hand-out "where you can go online for free" (source 004), printed from a run for the
client: the kinds of place the source names, the catalogue's job shops in the client's
province and who their counsellor is — never the answers, flags or notes. In the client's
contact language (any document language, from the `documents` catalogs, through its
`DocumentSpeech`), else the interface's. The metadata names no one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import DocumentSpeech, for_document
from app.models import Client, Counsellor, Offer, ScriptRun
from app.models.practical import OfferType
from app.private_files import atomic_write
from app.services.documents import postal
from app.services.documents.fonts import register_fonts
from app.services.documents.pdf_text import paragraph
from app.services.scripts.paper_form import document, styles


def free_internet_places(
    session: Session, province: str | None, speech: DocumentSpeech | None = None
) -> list[str]:
    """The kinds of place the source names (in the hand-out's language; without a speech, the
    interface language's documents catalog), then the catalogue's own in the province."""
    speech = speech or for_document(None)
    places = [speech.gettext("the registration computers in the job shop"),
              speech.gettext("the public library"), speech.gettext("the neighbourhood centre")]  # fmt: skip
    if province:
        offers = session.scalars(select(Offer).where(Offer.offer_type == OfferType.JOB_SHOP.value,
                                                     Offer.region == province).order_by(Offer.name))  # fmt: skip
        for offer in offers:
            where = ", ".join(p for p in (offer.street, offer.postal_code, offer.municipality) if p)
            places.append(f"{offer.name} — {where}" if where else offer.name)
    return places


def write(session: Session, run: ScriptRun, client: Client, target: Path) -> str:
    """Write the hand-out; returns the language it is in."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    register_fonts()  # before any paragraph style names the font
    speech = for_document(client.contact_language)
    st, rtl = styles(), speech.is_right_to_left
    title = speech.gettext("Where you can go online for free")
    for_whom = speech.gettext("For {name}, {date}").format(
        name=client.full_name, date=speech.format_date(run.started_at.date())
    )
    story: list[Any] = [
        paragraph(title, st["title"], rtl),
        paragraph(for_whom, st["body"], rtl),
        Spacer(1, 4 * mm),
    ]
    province = client.province.value if client.province else None
    story += [paragraph("• " + place, st["body"], rtl)
              for place in free_internet_places(session, province, speech)]  # fmt: skip
    counsellor = session.get(Counsellor, run.counsellor_id) if run.counsellor_id else None
    if counsellor is not None:
        phone = postal.phone_line(counsellor.phone, postal.organisation_country(session))
        contact = ", ".join(p for p in (counsellor.full_name, phone) if p)
        line = speech.gettext("Your counsellor: {contact}").format(contact=contact)
        story += [Spacer(1, 6 * mm), paragraph(line, st["question"], rtl)]
    with atomic_write(target) as out:
        document(out, title).build(story)
    return speech.language
