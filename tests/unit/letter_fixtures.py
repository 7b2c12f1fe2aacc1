"""A referral ready for letters: a client with a given name, an offer in Ghent, consent."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import Referral
from app.services.caseload import clients
from app.services.privacy.access import Actor
from app.services.referrals import offer_catalogue, referrals

NOUR = {"given_name": "Nour", "family_name": "El Amrani / نور العمراني",
        "birth_date": "1990-04-12", "street": "Sleepstraat", "house_number": "12",
        "postal_code": "9000", "municipality": "Gent", "phone": "0470 12 34 56",
        "email": "nour@example.be", "contact_language": "ar", "other_languages": ["fr"]}  # fmt: skip
LUKASZ = {"given_name": "Łukasz", "family_name": "Wiśniewski", "birth_date": "1985-11-02",
          "street": "Kortrijksesteenweg", "house_number": "5", "postal_code": "9000",
          "municipality": "Gent", "phone": "0478 98 76 54", "email": "lukasz@example.be",
          "contact_language": "pl"}  # fmt: skip


def referral_for(session: Session, counsellor: Actor, person: dict[str, Any],
                 offer_code: str = "dig-gent-digipunt-gent", consent: bool = True) -> Referral:  # fmt: skip
    import datetime as dt

    from sqlalchemy import select

    from app.models import Offer

    offer_catalogue.load_sample(session)
    values = dict(person)
    if isinstance(values.get("birth_date"), str):
        values["birth_date"] = dt.date.fromisoformat(values["birth_date"])
    client = clients.create_client(
        session, values, referent_id=counsellor.counsellor_id, actor=counsellor
    )
    offer = session.scalar(select(Offer).where(Offer.code == offer_code))
    assert offer is not None
    referral = referrals.create(session, counsellor, client.id, offer.id,
                                {"reason": "Wants to learn to use e-mail and itsme for job applications.",
                                 "agreed": "Goes to the Digipunt on Tuesdays for six weeks."},
                                consent=consent)  # fmt: skip
    session.commit()
    return referral
