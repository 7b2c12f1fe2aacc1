"""The referral lifecycle: every allowed step dated and signed, refused steps named, consent
before sending, follow-ups due in the counsellor's today list, the timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.models.enums import ConsentPurpose, ReferralStatus
from app.services.caseload import timeline
from app.services.clock import local_today
from app.services.errors import ValidationFailed
from app.services.privacy import consents
from app.services.referrals import referrals
from tests.helpers import actor
from tests.unit.letter_fixtures import LUKASZ, referral_for

pytestmark = pytest.mark.both_backends

S = ReferralStatus
PATHS = [
    [S.SENT, S.ACCEPTED, S.STARTED, S.COMPLETED],
    [S.SENT, S.ACCEPTED, S.STARTED, S.DROPPED_OUT],
    [S.SENT, S.ACCEPTED, S.DROPPED_OUT],
    [S.SENT, S.REFUSED],
]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: "-".join(s.value for s in p))
def test_each_step_is_dated_and_signed(
    session: Session, make_counsellor, path: list[ReferralStatus]
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna", "Anna Aerts"))
    referral = referral_for(session, anna, LUKASZ)
    for status in path:
        referrals.move(session, anna, referral.id, status)
    steps = referrals.events(session, referral.id)
    assert [e.status for e in steps] == [S.DRAFT, *path]
    assert all(e.counsellor_id == anna.counsellor_id and e.at is not None for e in steps)
    assert referral.follow_up_on is None  # it ended: nothing to follow up
    titles = [
        e.title
        for e in timeline.entries(session, anna, referral.client_id)
        if e.kind == timeline.Kind.REFERRAL
    ]
    assert len(titles) == len(path) + 1 and titles[0].endswith(path[-1].label)


@pytest.mark.parametrize(("before", "refused"), [
    ([], S.ACCEPTED), ([], S.COMPLETED), ([S.SENT], S.STARTED), ([S.SENT], S.DRAFT),
    ([S.SENT, S.REFUSED], S.ACCEPTED), ([S.SENT, S.ACCEPTED, S.STARTED, S.COMPLETED], S.DROPPED_OUT),
])  # fmt: skip
def test_steps_out_of_order_are_refused(session: Session, make_counsellor, before, refused) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna"))
    referral = referral_for(session, anna, LUKASZ)
    for status in before:
        referrals.move(session, anna, referral.id, status)
    with pytest.raises(ValidationFailed) as raised:
        referrals.move(session, anna, referral.id, refused)
    assert (
        "Status:" in raised.value.errors["status"]
        and refused.label in raised.value.errors["status"]
    )
    assert len(referrals.events(session, referral.id)) == len(before) + 1


def test_sending_needs_the_client_s_consent_for_that_partner(
    session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna"))
    referral = referral_for(session, anna, LUKASZ, consent=False)
    with pytest.raises(ValidationFailed) as raised:
        referrals.move(session, anna, referral.id, S.SENT)
    assert "consent" in raised.value.errors
    referrals.give_consent(session, anna, referral.id)
    assert referral.consent_at is not None
    consent = consents.of_client(session, referral.client_id)[0]
    assert (
        consent.purpose == ConsentPurpose.SHARE_WITH_PARTNER
        and consent.partner == "Stad Gent – Digipunt"
    )
    consents.withdraw(session, anna, consent.id)
    assert not referrals.has_consent(session, referral)  # withdrawn: no more sending
    referrals.give_consent(session, anna, referral.id)
    referrals.move(session, anna, referral.id, S.SENT)
    assert referral.follow_up_on == local_today() + dt.timedelta(
        days=referrals.DEFAULT_FOLLOW_UP_DAYS
    )


def test_a_reason_is_required_and_the_follow_up_lies_ahead(
    session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna"))
    referral = referral_for(session, anna, LUKASZ)
    with pytest.raises(ValidationFailed) as raised:
        referrals.change(
            session,
            anna,
            referral.id,
            {"reason": " ", "follow_up_on": local_today() - dt.timedelta(days=1)},
        )
    assert set(raised.value.errors) == {"reason", "follow_up_on"}


def test_due_follow_ups_are_the_counsellor_s_open_ones(session: Session, make_counsellor) -> None:  # type: ignore[no-untyped-def]
    anna, bert = actor(make_counsellor("anna")), actor(make_counsellor("bert"))
    today = local_today()
    due = referral_for(session, anna, LUKASZ)
    later = referral_for(session, anna, {**LUKASZ, "given_name": "Later"})
    ended = referral_for(session, anna, {**LUKASZ, "given_name": "Ended"})
    other = referral_for(session, bert, {**LUKASZ, "given_name": "Other"})
    for referral in (due, later, ended, other):
        referrals.move(session, anna if referral is not other else bert, referral.id, S.SENT)
    referrals.change(session, anna, later.id, {"follow_up_on": today + dt.timedelta(days=3)})
    for referral in (due, ended, other):
        referral.follow_up_on = today - dt.timedelta(days=2)  # as if sent two weeks ago
    referrals.move(session, anna, ended.id, S.REFUSED)
    found = referrals.due_follow_ups(session, anna.counsellor_id, today)
    assert [(f.referral_id, f.client_name, f.status) for f in found] == [
        (due.id, "Łukasz Wiśniewski", S.SENT)
    ]
    assert [
        f.referral_id
        for f in referrals.due_follow_ups(session, anna.counsellor_id, today + dt.timedelta(days=3))
    ] == [due.id, later.id]


def test_the_week_s_letters_with_progress_and_cancel(
    session: Session, make_counsellor, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from app.services.referrals.letters import batch

    person = make_counsellor("anna")
    person.phone, person.email = "+3292101010", "anna@example.be"
    anna = actor(person)
    sent = [
        referral_for(session, anna, {**LUKASZ, "given_name": name}) for name in ("Ana", "Bo", "Cem")
    ]
    for referral in sent:
        referrals.move(session, anna, referral.id, S.SENT)
    without_email = referral_for(session, anna, {**LUKASZ, "email": None})
    referrals.move(session, anna, without_email.id, S.SENT)
    referral_for(session, anna, LUKASZ)  # a draft: not sent, no letter
    seen: list[tuple[int, int]] = []
    result = batch.write_week(
        session, anna, tmp_path, local_today(), lambda d, t: seen.append((d, t))
    )
    assert len(result.written) == 7 and seen[-1] == (8, 8)  # 4 referrals × 2 letters
    assert [(r, c) for r, c, _why in result.skipped] == [(without_email.id, "partner")]
    assert "(email)" in result.skipped[0][2]
    calls = iter([False, False, True])
    stopped = batch.write_week(session, anna, tmp_path, local_today(),
                               cancelled=lambda: next(calls))  # fmt: skip
    assert stopped.cancelled and len(stopped.written) == 2
