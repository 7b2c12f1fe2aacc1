"""The next step to reach a client who does not answer (source 002: how far may you go to
reach someone, and by which ways?), from their attempt history, the organisation's policy and
what the file knows of the client.

A channel the client cannot be reached on is never advised — no e-mail address, no e-mail; no
phone number, no call, SMS or WhatsApp; no address, no letter or home visit; no key person
known, no key person — and the advice says why where that explains a missing step. Channels the
policy forbids stay out without a word (the counsellor cannot change that). The channels the
client says they use come first.

Failed attempts (no answer, voicemail, a wrong number) count from the last time the client was
reached, within the policy's window; a message sent (SMS, e-mail, WhatsApp, a letter) is an
attempt made, not a failure, so it never tips the client into escalation by itself — the
client is still not reached until they answer, which the "not reached" silence keeps counting.
When the failed attempts reach the policy's threshold the advice escalates to the three
actions the file offers: write the letter, ask the key person, plan a home visit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.i18n import N_, _, mid_sentence, ngettext
from app.models import Client, Contact
from app.models.base import utcnow
from app.models.enums import ContactChannel as Ch
from app.models.enums import ContactOutcome
from app.services.contact import contact_policy
from app.services.contact.contact_policy import ContactPolicy
from app.services.contact.contacts import SENT_OUTCOMES, history
from app.services.errors import NotFound

ESCALATION_STEPS = (Ch.LETTER, Ch.KEY_PERSON, Ch.HOME_VISIT)
REMOTE_CHANNELS = (Ch.PHONE, Ch.SMS, Ch.MESSAGING_APP, Ch.EMAIL, Ch.VIDEO, Ch.CHAT)
REMOTE_SHOWN = 2  # remote channels suggested at a time

NO_EMAIL = N_("no e-mail address in the file")
NO_PHONE = N_("no phone number in the file")
NO_ADDRESS = N_("no address in the file")
NO_KEY_PERSON = N_("no key person in the file")
NO_WAY = N_("no phone number or e-mail address to send a link to")


def _has(*values: str | None) -> bool:
    return any((value or "").strip() for value in values)


@dataclass(frozen=True)
class Reachable:
    """What the file holds to reach the client by, without the values themselves."""

    email: bool
    phone: bool
    address: bool
    key_person: str  # the key person as the file names them, "" when none is known
    preferred: tuple[str, ...] = ()  # the channels the client says they use

    @classmethod
    def of(cls, client: Client) -> Reachable:
        return cls(
            email=_has(client.email),
            phone=_has(client.phone, client.phone_alt),
            address=_has(client.street) and _has(client.postal_code, client.municipality),
            key_person=" ".join((client.key_person or "").split()),
            preferred=tuple(client.contact_channels or ()),
        )

    def missing(self, channel: Ch) -> str | None:
        """Why the file cannot be used to reach the client on `channel` (a catalog source),
        None when it can."""
        if channel == Ch.EMAIL and not self.email:
            return NO_EMAIL
        if channel in (Ch.PHONE, Ch.SMS, Ch.MESSAGING_APP) and not self.phone:
            return NO_PHONE
        if channel == Ch.VIDEO and not (self.phone or self.email):
            return NO_WAY
        if channel in (Ch.LETTER, Ch.HOME_VISIT) and not self.address:
            return NO_ADDRESS
        if channel == Ch.KEY_PERSON and not self.key_person:
            return NO_KEY_PERSON
        return None


@dataclass(frozen=True)
class Advice:
    """What to try next with a client, from their attempt history, the policy and the file."""

    steps: tuple[Ch, ...]  # channels to try next, best first (escalation: the actions)
    escalate: bool  # the failed attempts reached the policy's threshold
    not_reached: bool  # no contact for the policy's number of days: the team lead is told
    failed_attempts: int  # since the client was last reached, within the escalation window
    tried: tuple[Ch, ...]  # channels that failed in that window
    last_reached: dt.datetime | None
    messages_sent: int = 0  # messages sent in that window, waiting for an answer
    messaged: tuple[Ch, ...] = ()  # the channels they were sent on
    skipped: tuple[tuple[Ch, str], ...] = ()  # steps left out for the file, with the reason
    key_person: str = ""  # whom to ask, when the file names someone

    @property
    def actions(self) -> tuple[Ch, ...]:
        """The escalation actions to offer as buttons (none before escalating)."""
        return tuple(c for c in self.steps if c in ESCALATION_STEPS) if self.escalate else ()


def _liked_first(channels: Sequence[Ch], preferred: Sequence[str]) -> list[Ch]:
    liked = [c for c in channels if c.value in preferred]
    return liked + [c for c in channels if c not in liked]


def advise(
    contacts: Sequence[Contact], policy: ContactPolicy, *, now: dt.datetime,
    file: Reachable,
) -> Advice:  # fmt: skip
    """Apply the escalation rule to one client's contacts (any order).

    Failed attempts count from the last time the client was reached and within the policy's
    window (default: 3 attempts on at least 2 channels within 14 days). "Not reached" is the
    silence since the last contact that reached the client, or since the first attempt when
    none did (a file nobody tried to reach yet is the caseload's business, not an unreachable
    client)."""
    ordered = sorted(contacts, key=lambda c: c.occurred_at)
    reached = [c for c in ordered if c.reached]
    last_reached = reached[-1].occurred_at if reached else None
    since = [c for c in ordered if last_reached is None or c.occurred_at > last_reached]
    window_start = now - dt.timedelta(days=policy.escalation_days)
    recent = [c for c in since if c.occurred_at >= window_start]
    sent = [c for c in recent if ContactOutcome(c.outcome) in SENT_OUTCOMES]
    failed = [c for c in recent if ContactOutcome(c.outcome) not in SENT_OUTCOMES]
    failed_channels = {Ch(c.channel) for c in failed}
    messaged = {Ch(c.channel) for c in sent}
    tried = failed_channels | messaged
    silence_from = last_reached or (since[0].occurred_at if since else None)
    not_reached = (silence_from is not None and bool(since)
                   and now - silence_from >= dt.timedelta(days=policy.not_reached_days))  # fmt: skip
    escalate = (len(failed) >= policy.escalation_attempts
                and len(failed_channels) >= policy.escalation_channels)  # fmt: skip
    pool = ESCALATION_STEPS if escalate else REMOTE_CHANNELS
    allowed = [c for c in _liked_first(pool, file.preferred) if policy.allows(c)]
    usable = [c for c in allowed if file.missing(c) is None]
    fresh = [c for c in usable if c not in tried]
    if escalate:
        steps = tuple(fresh or usable)  # everything tried once: the actions stay on offer
        left_out = [c for c in allowed if c not in usable]
    else:
        steps = tuple(fresh[:REMOTE_SHOWN])
        # a channel the file lacks is worth a word only where it would have been suggested
        would = [c for c in allowed if c not in tried][:REMOTE_SHOWN]
        left_out = [c for c in would if c not in usable]
    if last_reached is not None and not since:
        steps, left_out = (), []  # the last contact reached the client: nothing to chase
    skipped = tuple((c, reason) for c in left_out if (reason := file.missing(c)) is not None)
    return Advice(steps, escalate, not_reached, len(failed), tuple(c for c in Ch if c in failed_channels),
                  last_reached, len(sent), tuple(c for c in Ch if c in messaged), skipped,
                  file.key_person)  # fmt: skip


def advice_for(session: Session, client_id: int, *, now: dt.datetime | None = None) -> Advice:
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(_("This client no longer exists."))
    return advise(history(session, client_id), contact_policy.load(session),
                  now=now or utcnow(), file=Reachable.of(client))  # fmt: skip


def describe(advice: Advice) -> str:
    """The suggestion as the client file shows it ("" when there is nothing to chase)."""
    steps = ", ".join(mid_sentence(step.label) for step in advice.steps)
    tried = ", ".join(mid_sentence(channel.label) for channel in advice.tried)
    messaged = ", ".join(mid_sentence(channel.label) for channel in advice.messaged)
    waiting = ngettext("{n} message sent ({channels}) is waiting for an answer.",
                       "{n} messages sent ({channels}) are waiting for an answer.",
                       advice.messages_sent).format(n=advice.messages_sent, channels=messaged)  # fmt: skip
    parts = []
    if advice.not_reached:
        parts.append(_("Not reached for a long time: your team lead sees this client in the "
                       "reach monitor."))  # fmt: skip
    if advice.escalate:
        parts.append(ngettext("{n} failed attempt ({channels}).", "{n} failed attempts ({channels}).",
                              advice.failed_attempts).format(n=advice.failed_attempts, channels=tried))  # fmt: skip
        if advice.messages_sent:
            parts.append(waiting)
        parts.append(_("Next step: {steps}.").format(steps=steps) if steps
                     else _("Next step: ask your team lead how far you may go."))  # fmt: skip
    elif advice.failed_attempts or advice.messages_sent:
        if advice.failed_attempts:
            parts.append(ngettext("Not reached yet: {n} failed attempt ({channels}).",
                                  "Not reached yet: {n} failed attempts ({channels}).",
                                  advice.failed_attempts).format(n=advice.failed_attempts, channels=tried))  # fmt: skip
        if advice.messages_sent:
            parts.append(waiting)
        if steps:
            parts.append(_("Try another channel: {steps}.").format(steps=steps))
    elif advice.steps:
        parts.append(_("Next contact: {steps}.").format(steps=steps))
    if advice.skipped:
        parts.append(_("Not advised: {channels}.").format(channels="; ".join(
            _("{channel} ({reason})").format(channel=mid_sentence(c.label), reason=_(reason))
            for c, reason in advice.skipped)))  # fmt: skip
    return " ".join(parts)
