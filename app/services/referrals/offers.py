"""Partner offers in the database: finding them (by province, type or words), suggesting the
right one for a client (the type asked for, the client's province first), and an
administrator's changes, each audited. The catalogue file is `offer_catalogue`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel import Locale
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from app.i18n import _, ngettext
from app.models import Client, Offer, Referral
from app.models.enums import AuditAction
from app.models.practical import OfferType
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor
from app.services.referrals.offer_fields import checked_offer


def get(session: Session, offer_id: int) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise NotFound(_("There is no offer {id} in the catalogue.").format(id=offer_id))
    return offer


def find(session: Session, reference: str) -> Offer:
    """An offer by its id or its code (what `traject letter --offer` accepts)."""
    text = reference.strip()
    offer = session.get(Offer, int(text)) if text.isdigit() else None
    offer = offer or session.scalar(select(Offer).where(Offer.code == text.lower()))
    if offer is None:
        raise NotFound(_("--offer: there is no offer “{ref}”; `traject offers` lists them with their ids.")
                       .format(ref=reference))  # fmt: skip
    return offer


def search(
    session: Session, *, region: str | None = None, offer_type: str | None = None,
    words: str | None = None,
) -> list[Offer]:  # fmt: skip
    query = select(Offer)
    if region:
        query = query.where(Offer.region == region)
    if offer_type:
        query = query.where(Offer.offer_type == offer_type)
    for word in (words or "").split():
        like = f"%{word}%"
        query = query.where(or_(Offer.name.ilike(like), Offer.provider.ilike(like),
                                Offer.municipality.ilike(like), Offer.code.ilike(like)))  # fmt: skip
    return list(session.scalars(query.order_by(Offer.region, Offer.offer_type, Offer.name)))


def suggestions(
    session: Session, client: Client, offer_type: OfferType | str | None
) -> list[Offer]:
    """Offers for a referral: the type asked for in the client's province first, then the same
    type elsewhere, then the province's other offers; the organisation's own before samples."""
    province = client.province.value if client.province else None
    kind = OfferType(offer_type).value if offer_type else None
    query = select(Offer)
    order: list[Any] = []
    if kind:
        order.append(case((Offer.offer_type == kind, 0), else_=1))
    if province:
        order.append(case((Offer.region == province, 0), else_=1))
        if kind:
            query = query.where(or_(Offer.offer_type == kind, Offer.region == province))
    elif kind:
        query = query.where(Offer.offer_type == kind)
    order += [Offer.is_sample, Offer.name]
    return list(session.scalars(query.order_by(*order)))


def save(session: Session, actor: Actor, offer_id: int | None, raw: Mapping[str, Any],
         *, version: int | None = None) -> Offer:  # fmt: skip
    """Add an offer (offer_id None) or change one; administrators only. The caller commits."""
    access.require_admin(actor)
    values, errors = checked_offer(raw)
    clash = session.scalar(select(Offer.id).where(Offer.code == values["code"]))
    if clash is not None and clash != offer_id:
        errors["code"] = _("Code: another offer already has the code “{code}”.").format(
            code=values["code"]
        )
    if errors:
        raise ValidationFailed(errors)
    if offer_id is None:
        offer = Offer(**values, is_sample=False)
        session.add(offer)
    else:
        offer = get(session, offer_id)
        if version is not None and offer.version != version:
            raise Conflict(_("Someone else changed this offer in the meantime; open it again."))
        for key, value in values.items():
            setattr(offer, key, value)
        offer.is_sample = False  # an administrator made it the organisation's own
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 detail=f"offers: {'added' if offer_id is None else 'changed'} {offer.code}")  # fmt: skip
    return offer


def delete(session: Session, actor: Actor, offer_id: int) -> None:
    """Remove an offer no referral points to (those stay for the clients' history)."""
    access.require_admin(actor)
    offer = get(session, offer_id)
    used = session.scalar(select(func.count()).where(Referral.offer_id == offer_id)) or 0
    if used:
        raise Conflict(ngettext("{n} referral points to “{name}”; change the offer instead of removing it.",
                                "{n} referrals point to “{name}”; change the offer instead of removing it.",
                                used).format(n=used, name=offer.name))  # fmt: skip
    session.delete(offer)
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 detail=f"offers: removed {offer.code}")  # fmt: skip


def country_of(offer: Offer) -> str:
    """The country an offer is in (ISO code): its region says it."""
    return "NL" if offer.region.startswith("nl_") else "BE"


def address_lines(
    offer: Offer, *, home: str | None = None, locale: Locale | None = None
) -> list[str]:
    """The offer's address as the post writes it; with the organisation's country (`home`),
    an offer in another country gets its country on a last line."""
    from app.services.documents import postal

    country = country_of(offer)
    return postal.address_lines(offer.street, None, offer.postal_code, offer.municipality,
                                country, home=home or country, locale=locale)  # fmt: skip
