"""The contact log and the escalation rule of the contact policy (source 002): which attempt
histories do and do not trigger each suggested step, and a forbidden channel is never offered
nor accepted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.models import Contact
from app.models.base import utcnow
from app.models.enums import ContactChannel as Ch
from app.models.enums import ContactOutcome as Out
from app.services import org_settings
from app.services.caseload import clients
from app.services.contact import advice, contact_policy, contacts
from app.services.errors import ValidationFailed
from app.services.privacy.access import BreakGlassRequired
from tests.helpers import actor

pytestmark = pytest.mark.both_backends

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
P = contact_policy.ContactPolicy(
    allowed=frozenset(Ch), escalation_attempts=3, escalation_channels=2, escalation_days=14,
    not_reached_days=30, office_start=dt.time(8, 30), office_end=dt.time(17),
    office_days=frozenset(range(1, 6)), contact_points=(), calendar_client_names=False,
)  # fmt: skip


def attempt(days_ago: float, channel: Ch = Ch.PHONE, outcome: Out = Out.NO_ANSWER) -> Contact:
    return Contact(occurred_at=NOW - dt.timedelta(days=days_ago), channel=channel,
                   outcome=outcome, reached=outcome in contacts.REACHING_OUTCOMES)  # fmt: skip


FULL = advice.Reachable(email=True, phone=True, address=True, key_person="Yusuf (neighbour)")


def advise(
    history: list[Contact], policy: contact_policy.ContactPolicy = P, **kw: Any
) -> advice.Advice:
    return advice.advise(history, policy, now=NOW, file=kw.pop("file", FULL), **kw)


def test_three_failed_attempts_on_two_channels_suggest_letter_key_person_home_visit() -> None:
    found = advise([attempt(10), attempt(5, Ch.VIDEO), attempt(1)])
    assert found.escalate and found.failed_attempts == 3
    assert found.steps == (Ch.LETTER, Ch.KEY_PERSON, Ch.HOME_VISIT)
    assert not found.not_reached


def test_three_attempts_on_one_channel_do_not_escalate_but_suggest_another_channel() -> None:
    liked = advice.Reachable(**{**FULL.__dict__, "preferred": ("messaging_app",)})
    found = advise([attempt(10), attempt(5), attempt(1)], file=liked)
    assert not found.escalate
    assert found.steps[0] == Ch.MESSAGING_APP and Ch.PHONE not in found.steps


def test_two_attempts_on_two_channels_do_not_escalate() -> None:
    assert not advise([attempt(3), attempt(1, Ch.VIDEO)]).escalate


def test_attempts_older_than_the_window_do_not_count() -> None:
    found = advise([attempt(20), attempt(16, Ch.SMS, Out.WRONG_NUMBER), attempt(1)])
    assert not found.escalate and found.failed_attempts == 1


def test_reaching_the_client_resets_the_count() -> None:
    history = [
        attempt(10),
        attempt(8, Ch.VIDEO),
        attempt(6),
        attempt(4, outcome=Out.REACHED),
        attempt(1),
    ]
    found = advise(history)
    assert not found.escalate and found.failed_attempts == 1
    assert advise(history[:4]).steps == ()  # the last contact reached the client


def test_escalation_offers_only_what_the_policy_allows() -> None:
    policy = contact_policy.ContactPolicy(
        **{**P.__dict__, "allowed": frozenset(Ch) - {Ch.HOME_VISIT, Ch.KEY_PERSON}}
    )
    found = advise([attempt(10), attempt(5, Ch.VIDEO), attempt(1)], policy)
    assert found.steps == (Ch.LETTER,) and found.actions == (Ch.LETTER,)
    assert found.skipped == ()  # what the policy forbids is not explained away


def test_thirty_days_without_reaching_marks_not_reached() -> None:
    assert advise([attempt(45, outcome=Out.REACHED), attempt(31)]).not_reached
    assert advise(
        [attempt(31), attempt(2, Ch.VIDEO)]
    ).not_reached  # never reached: from the first try
    assert not advise([attempt(29, outcome=Out.REACHED), attempt(2)]).not_reached
    assert not advise([attempt(29), attempt(2, Ch.VIDEO)]).not_reached
    assert not advise(
        [attempt(40, outcome=Out.REACHED), attempt(20, outcome=Out.REACHED), attempt(2)]
    ).not_reached


def test_describe_names_the_next_step() -> None:
    text = advice.describe(advise([attempt(10), attempt(5, Ch.VIDEO), attempt(1)]))
    assert (
        "3 failed attempts (phone, video call)" in text  # mid-sentence, as English writes it
        and "letter, through a key person, home visit" in text
    )


@pytest.fixture
def setup(session: Session, make_counsellor: Any) -> tuple[Any, int]:
    who = actor(make_counsellor("ann"))
    client = clients.create_client(session, {"given_name": "Amira", "family_name": "Haddad"},
                                   actor=who, referent_id=who.counsellor_id)  # fmt: skip
    session.commit()
    return who, client.id


def test_log_records_reached_from_the_outcome(session: Session, setup: Any) -> None:
    who, client_id = setup
    contacts.log(session, who, client_id, channel="phone", outcome="no_answer")
    contacts.log(
        session, who, client_id, channel="phone", outcome="returned_call", duration_minutes=7
    )
    session.commit()
    newest, oldest = contacts.history(session, client_id)
    assert (newest.reached, oldest.reached) == (True, False)
    assert newest.duration_minutes == 7 and newest.counsellor_id == who.counsellor_id


def test_a_forbidden_channel_is_refused_with_the_field_named(
    session: Session, setup: Any, make_counsellor: Any
) -> None:
    who, client_id = setup
    admin = actor(make_counsellor("adm"))
    from app.models.enums import CounsellorRole

    admin = admin.__class__(admin.counsellor_id, CounsellorRole.ADMIN, admin.office)
    allowed = [c.value for c in contact_policy.POLICY_CHANNELS if c != Ch.MESSAGING_APP]
    org_settings.update(session, {contact_policy.ALLOWED_CHANNELS: ",".join(allowed)}, actor=admin)
    session.commit()
    assert Ch.MESSAGING_APP not in contact_policy.load(session).channels()
    with pytest.raises(ValidationFailed) as refused:
        contacts.log(session, who, client_id, channel="messaging_app", outcome="message_sent")
    assert "does not allow" in refused.value.errors["channel"]
    session.rollback()
    assert contacts.history(session, client_id) == []


def test_bad_input_names_each_field(session: Session, setup: Any) -> None:
    who, client_id = setup
    with pytest.raises(ValidationFailed) as refused:
        contacts.log(session, who, client_id, channel="phone", outcome="reached",
                     occurred_at=utcnow() + dt.timedelta(hours=2), duration_minutes=-1, note="x" * 3000)  # fmt: skip
    assert set(refused.value.errors) == {"occurred_at", "duration_minutes", "note"}


def test_someone_elses_client_needs_the_file_but_the_desk_may_record(session: Session, setup: Any,
                                                                     make_counsellor: Any) -> None:  # fmt: skip
    _who, client_id = setup
    other = actor(make_counsellor("bob"))
    with pytest.raises(BreakGlassRequired):
        contacts.log(session, other, client_id, channel="phone", outcome="reached")
    contact = contacts.log(
        session, other, client_id, channel="phone", outcome="reached", at_desk=True
    )
    assert contact.channel == Ch.PERMANENCE
