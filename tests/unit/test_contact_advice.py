"""Contact advice that knows the file (issue 25, point 10; source 002): a channel the client
cannot be reached on is never advised and the advice says why; a forbidden channel never
appears; escalation offers the three actions; a message sent is an attempt, not a failure;
and each channel takes only the outcomes that fit it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.models import Contact
from app.models.base import utcnow
from app.models.enums import ContactChannel as Ch
from app.models.enums import ContactOutcome as Out
from app.models.enums import CounsellorRole
from app.services import org_settings
from app.services.caseload import clients
from app.services.contact import advice, contact_policy, contacts, reach
from app.services.errors import ValidationFailed
from tests.helpers import actor

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
P = contact_policy.ContactPolicy(
    allowed=frozenset(Ch), escalation_attempts=3, escalation_channels=2, escalation_days=14,
    not_reached_days=30, office_start=dt.time(8, 30), office_end=dt.time(17),
    office_days=frozenset(range(1, 6)), contact_points=(), calendar_client_names=False,
)  # fmt: skip
EVERYTHING = advice.Reachable(email=True, phone=True, address=True, key_person="Yusuf")
ESCALATED = [
    (10, Ch.PHONE, Out.NO_ANSWER),
    (5, Ch.VIDEO, Out.NO_ANSWER),
    (1, Ch.PHONE, Out.VOICEMAIL),
]


def history(*tries: tuple[float, Ch, Out]) -> list[Contact]:
    return [Contact(occurred_at=NOW - dt.timedelta(days=ago), channel=channel, outcome=outcome,
                    reached=outcome in contacts.REACHING_OUTCOMES) for ago, channel, outcome in tries]  # fmt: skip


def advise(tries: list[tuple[float, Ch, Out]], policy: contact_policy.ContactPolicy = P,
           **file: Any) -> advice.Advice:  # fmt: skip
    return advice.advise(history(*tries), policy, now=NOW,
                         file=advice.Reachable(**{**EVERYTHING.__dict__, **file}))  # fmt: skip


def test_no_email_address_means_no_email_advice_and_says_why() -> None:
    liked = ("email", "sms")
    assert advise([(2, Ch.PHONE, Out.NO_ANSWER)], preferred=liked).steps == (Ch.SMS, Ch.EMAIL)
    found = advise([(2, Ch.PHONE, Out.NO_ANSWER)], email=False, preferred=liked)
    assert Ch.EMAIL not in found.steps and found.steps[0] == Ch.SMS
    assert found.skipped == ((Ch.EMAIL, advice.NO_EMAIL),)
    assert "e-mail (no e-mail address in the file)" in advice.describe(found)


def test_no_phone_number_means_no_call_sms_or_whatsapp() -> None:
    found = advise([(2, Ch.EMAIL, Out.MESSAGE_SENT)], phone=False)
    assert not {Ch.PHONE, Ch.SMS, Ch.MESSAGING_APP} & set(found.steps)
    assert found.steps == (Ch.VIDEO, Ch.CHAT)


def test_no_key_person_known_means_no_key_person_step_nor_action() -> None:
    found = advise(ESCALATED, key_person="")
    assert found.escalate and found.actions == (Ch.LETTER, Ch.HOME_VISIT)
    assert found.skipped == ((Ch.KEY_PERSON, advice.NO_KEY_PERSON),)
    assert "through a key person (no key person in the file)" in advice.describe(found)


def test_no_address_means_no_letter_and_no_home_visit() -> None:
    found = advise(ESCALATED, address=False)
    assert found.actions == (Ch.KEY_PERSON,) and found.key_person == "Yusuf"
    assert {c for c, _why in found.skipped} == {Ch.LETTER, Ch.HOME_VISIT}


def test_escalation_gives_the_three_actions_the_client_s_channels_first() -> None:
    found = advise(ESCALATED)
    assert found.escalate and found.failed_attempts == 3
    assert found.actions == (Ch.LETTER, Ch.KEY_PERSON, Ch.HOME_VISIT)
    assert advise(ESCALATED, preferred=("key_person",)).actions[0] == Ch.KEY_PERSON
    assert advise(ESCALATED[:2]).actions == ()  # two failures: not yet


def test_a_forbidden_channel_is_never_advised_whatever_the_file() -> None:
    strict = contact_policy.ContactPolicy(
        **{**P.__dict__, "allowed": frozenset(Ch) - {Ch.HOME_VISIT, Ch.SMS}}
    )
    for tries in (ESCALATED, [(1, Ch.PHONE, Out.NO_ANSWER)], [(1, Ch.EMAIL, Out.MESSAGE_SENT)]):
        for file in (
            {},
            {"email": False},
            {"key_person": ""},
            {"preferred": ("sms", "home_visit")},
        ):
            found = advise(tries, strict, **file)
            assert not {Ch.HOME_VISIT, Ch.SMS} & {
                *found.steps,
                *found.actions,
                *(c for c, _w in found.skipped),
            }


def test_a_message_sent_is_an_attempt_not_a_failure() -> None:
    sent = [(10, Ch.SMS, Out.MESSAGE_SENT), (6, Ch.EMAIL, Out.MESSAGE_SENT), (3, Ch.MESSAGING_APP, Out.MESSAGE_SENT),
            (1, Ch.LETTER, Out.MESSAGE_SENT)]  # fmt: skip
    found = advise(sent)
    assert not found.escalate and found.failed_attempts == 0 and found.messages_sent == 4
    assert Ch.SMS not in found.steps and Ch.EMAIL not in found.steps  # already tried
    assert found.tried == () and found.messaged == (Ch.SMS, Ch.EMAIL, Ch.MESSAGING_APP, Ch.LETTER)
    assert "4 messages sent (SMS, e-mail, WhatsApp or other messaging app, letter) are waiting for an answer" in (
        advice.describe(found)
    )  # fmt: skip
    assert "failed" not in advice.describe(found)
    # two failed calls and two messages: two failures, on one channel, no escalation yet
    mixed = advise([(9, Ch.PHONE, Out.NO_ANSWER), (7, Ch.SMS, Out.MESSAGE_SENT),
                    (5, Ch.PHONE, Out.VOICEMAIL), (3, Ch.EMAIL, Out.MESSAGE_SENT)])  # fmt: skip
    assert not mixed.escalate and mixed.failed_attempts == 2
    # a failed call on each of three channels still escalates
    assert advise([*sent, *ESCALATED]).escalate


def test_the_letter_once_sent_leaves_the_other_actions() -> None:
    found = advise([*ESCALATED, (0.5, Ch.LETTER, Out.MESSAGE_SENT)])
    assert found.escalate and found.actions == (Ch.KEY_PERSON, Ch.HOME_VISIT)
    text = advice.describe(found)
    assert "3 failed attempts (phone, video call)." in text and "1 message sent (letter)" in text


def test_messages_alone_still_make_a_client_not_reached_after_the_silence() -> None:
    found = advise([(40, Ch.SMS, Out.MESSAGE_SENT), (20, Ch.EMAIL, Out.MESSAGE_SENT)])
    assert found.not_reached and not found.escalate


def test_each_channel_offers_its_own_outcomes() -> None:
    assert Out.VOICEMAIL in contacts.outcomes_for(Ch.PHONE)
    assert all(Out.VOICEMAIL not in contacts.outcomes_for(c) for c in Ch if c != Ch.PHONE)
    assert all(
        Out.MESSAGE_SENT in contacts.outcomes_for(c)
        for c in (Ch.SMS, Ch.EMAIL, Ch.MESSAGING_APP, Ch.LETTER)
    )
    assert Out.NO_ANSWER in contacts.outcomes_for(Ch.PHONE)
    assert Out.MESSAGE_SENT not in contacts.outcomes_for(Ch.PHONE)
    assert all(contacts.outcomes_for(c)[0] == Out.REACHED for c in Ch)


@pytest.fixture
def client_of(session: Session, make_counsellor: Any) -> tuple[Any, int]:
    who = actor(make_counsellor("ann"))
    made = clients.create_client(session, {"given_name": "Amira", "family_name": "Haddad", "phone": "0470 12 34 56"},
                                 actor=who, referent_id=who.counsellor_id)  # fmt: skip
    session.commit()
    return who, made.id


@pytest.mark.both_backends
def test_an_outcome_that_does_not_fit_the_channel_is_refused_naming_the_field(
    session: Session, client_of: Any
) -> None:
    who, client_id = client_of
    with pytest.raises(ValidationFailed) as refused:
        contacts.log(session, who, client_id, channel="email", outcome="voicemail")
    message = refused.value.errors["outcome"]
    assert message.startswith("Outcome:") and "Voicemail" in message and "Message sent" in message
    session.rollback()
    assert contacts.history(session, client_id) == []
    contacts.log(session, who, client_id, channel="email", outcome="message_sent")
    session.commit()
    assert [c.outcome for c in contacts.history(session, client_id)] == [Out.MESSAGE_SENT]


@pytest.mark.both_backends
def test_advice_for_reads_the_file_and_messages_do_not_count_as_reached(
    session: Session, client_of: Any, make_counsellor: Any
) -> None:
    who, client_id = client_of
    at = utcnow()
    for hours, channel, outcome in ((30, "phone", "no_answer"), (20, "sms", "message_sent"),
                                    (10, "video", "no_answer"), (5, "phone", "voicemail")):  # fmt: skip
        contacts.log(session, who, client_id, channel=channel, outcome=outcome,
                     occurred_at=at - dt.timedelta(hours=hours))  # fmt: skip
    session.commit()
    found = advice.advice_for(session, client_id)
    assert found.escalate and found.failed_attempts == 3 and found.messages_sent == 1
    # no e-mail, no address, no key person in this file: nothing to write, visit or ask
    assert found.actions == () and {c for c, _w in found.skipped} == {
        Ch.LETTER,
        Ch.KEY_PERSON,
        Ch.HOME_VISIT,
    }
    clients.update_client(session, client_id, {"street": "Sleepstraat", "house_number": "28",
                                               "postal_code": "9000", "municipality": "Gent",
                                               "key_person": "Yusuf Demir (neighbour)"}, actor=who)  # fmt: skip
    session.commit()
    found = advice.advice_for(session, client_id)
    assert found.actions == (Ch.LETTER, Ch.KEY_PERSON, Ch.HOME_VISIT)
    assert found.key_person == "Yusuf Demir (neighbour)"
    admin = actor(make_counsellor("adm"))
    admin = admin.__class__(admin.counsellor_id, CounsellorRole.ADMIN, admin.office)
    allowed = [c.value for c in contact_policy.POLICY_CHANNELS if c != Ch.HOME_VISIT]
    org_settings.update(session, {contact_policy.ALLOWED_CHANNELS: ",".join(allowed)}, actor=admin)
    session.commit()
    assert advice.advice_for(session, client_id).actions == (Ch.LETTER, Ch.KEY_PERSON)
    report = reach.report(session, who, days=30)
    assert (report.total.clients, report.total.reached, report.silent_count) == (1, 0, 1)
    assert [a.outcome for a in report.silent[0].last_attempts][:2] == [Out.VOICEMAIL, Out.NO_ANSWER]
