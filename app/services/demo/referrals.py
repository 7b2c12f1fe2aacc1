"""Demo referrals: about one active client in ten is referred to an offer of the sample catalogue
in their province (digital skills for the low-literate, a Dutch course, the job shop…), with
the consent recorded, dated steps along the lifecycle, and some follow-ups due today, so the
timeline, today's list and the week's letters have something to show."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models import Client, Consent, Offer, Referral, ReferralEvent
from app.models.enums import ClientStatus, ConsentPurpose, ReferralStatus
from app.services.clock import DEFAULT_TIME_ZONE

S = ReferralStatus
REASONS = {
    "digitally_low_literate": "Kan nog niet zelfstandig mailen; wil leren werken met e-mail en Mijn Loopbaan.",
    "digital_basic_skills": "Heeft hulp nodig bij itsme en het online solliciteren.",
    "basic_ict": "Wil een basiscursus computer volgen om administratief werk te kunnen doen.",
    "dutch_second_language": "Wil Nederlands leren om sneller werk te vinden.",
    "job_shop": "Zoekt een plek om vacatures te bekijken en cv's af te drukken.",
    "welfare": "Heeft vragen over inkomen en schulden.",
}  # fmt: skip
PATHS = [[S.SENT], [S.SENT, S.ACCEPTED], [S.SENT, S.ACCEPTED, S.STARTED],
         [S.SENT, S.ACCEPTED, S.STARTED, S.COMPLETED], [S.SENT, S.REFUSED],
         [S.SENT, S.ACCEPTED, S.DROPPED_OUT], []]  # fmt: skip


def add(session: Session, rng: random.Random, today: dt.date, referents: dict[int, int],
        share: float = 0.1) -> int:  # fmt: skip
    offers: dict[tuple[str, str], list[Offer]] = {}
    for offer in session.scalars(select(Offer).where(Offer.offer_type.in_(REASONS))):
        offers.setdefault((offer.region, offer.offer_type), []).append(offer)
    clients = session.execute(select(Client.id, Client.province).where(
        Client.status == ClientStatus.ACTIVE, Client.province.is_not(None))).all()  # fmt: skip
    chosen = [c for c in clients if rng.random() < share]
    tz = ZoneInfo(DEFAULT_TIME_ZONE)
    referrals: list[dict[str, Any]] = []
    steps: list[tuple[int, list[ReferralStatus], dt.datetime]] = []
    consents: list[dict[str, Any]] = []
    for client in chosen:
        counsellor = referents.get(client.id)
        kind = rng.choice(list(REASONS))
        candidates = offers.get((client.province.value, kind))
        if counsellor is None or not candidates:
            continue
        offer = rng.choice(candidates)
        path = rng.choice(PATHS)
        day = today - dt.timedelta(
            days=rng.randint(2 * len(path) + 1, 90)
        )  # every step done by now
        at = dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice((0, 30))), tzinfo=tz)
        follow_up = (
            day + dt.timedelta(days=14)
            if path and path[-1] in (S.SENT, S.ACCEPTED, S.STARTED)
            else None
        )
        referrals.append({"client_id": client.id, "offer_id": offer.id, "counsellor_id": counsellor,
                          "reason": REASONS[kind], "status": (path or [S.DRAFT])[-1],
                          "consent_at": at, "follow_up_on": follow_up, "created_at": at,
                          "version": 1})  # fmt: skip
        consents.append({"client_id": client.id, "purpose": ConsentPurpose.SHARE_WITH_PARTNER,
                         "partner": offer.provider, "given_on": day, "recorded_by": counsellor,
                         "created_at": at})  # fmt: skip
        steps.append((counsellor, path, at))
    if not referrals:
        return 0
    ids = session.scalars(
        insert(Referral).returning(Referral.id, sort_by_parameter_order=True), referrals
    ).all()
    session.execute(insert(Consent), consents)
    events = []
    for referral_id, (counsellor, path, at) in zip(ids, steps, strict=True):
        for n, status in enumerate([S.DRAFT, *path]):
            events.append({"referral_id": referral_id, "status": status, "counsellor_id": counsellor,
                           "at": at + dt.timedelta(days=2 * n, minutes=10 * n)})  # fmt: skip
    session.execute(insert(ReferralEvent), events)
    return len(ids)
