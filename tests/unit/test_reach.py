"""The reach monitor's figures match a direct count over the contacts, for the whole
organisation (a team lead without office), for one counsellor, and with the financial filter."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models import Counsellor
from app.models.enums import CounsellorRole
from app.services.contact import reach
from app.services.demo import generator as demo
from app.services.privacy.access import Actor

pytestmark = pytest.mark.both_backends

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)

DIRECT = """
SELECT c.id, a.counsellor_id,
       (SELECT MAX(occurred_at) FROM contacts k WHERE k.client_id = c.id AND k.reached = TRUE) AS last,
       (SELECT COALESCE(r.override_result, r.result) FROM script_runs r
         WHERE r.client_id = c.id AND r.script_id = 'digital-profile' AND r.finished_at IS NOT NULL
         ORDER BY r.finished_at DESC, r.id DESC LIMIT 1) AS profile,
       c.employment_situation
FROM clients c JOIN assignments a ON a.client_id = c.id AND a.role = 'referent' AND a.ends_on IS NULL
WHERE c.status = 'active'
"""


@pytest.fixture
def caseload(session: Session) -> Session:
    demo.generate(session, 800, seed=5, today=TODAY)
    session.commit()
    return session


def direct(
    session: Session, counsellor_id: int | None = None, financial: bool = False
) -> tuple[int, int, Counter[str], list[int]]:
    since = (NOW - dt.timedelta(days=30)).replace(tzinfo=None)
    clients = reached = 0
    profiles: Counter[str] = Counter()
    silent = []
    for cid, referent, last, profile, situation in session.execute(text(DIRECT)):
        if counsellor_id is not None and referent != counsellor_id:
            continue
        if financial and situation not in ("zero_hours_contract", "lost_income"):
            continue
        clients += 1
        profiles[profile or "unknown"] += 1
        if last is not None and dt.datetime.fromisoformat(str(last)) >= since:
            reached += 1
        else:
            silent.append(cid)
    return clients, reached, profiles, sorted(silent)


def test_counts_match_a_direct_query(caseload: Session) -> None:
    lead = Actor(1, CounsellorRole.TEAM_LEAD, None)
    report = reach.report(caseload, lead, now=NOW, limit=10_000)
    clients, reached, profiles, silent = direct(caseload)
    assert (report.total.clients, report.total.reached) == (clients, reached)
    assert report.total.by_profile == profiles and set(profiles) >= {
        "unknown",
        "low_literate",
        "self_reliant",
    }
    assert sorted(s.client_id for s in report.silent) == silent and report.silent_count == len(
        silent
    )
    assert sum(r.clients for r in report.by_counsellor.values()) == clients
    assert 0.3 < report.total.share < 0.9
    # the divide shows: low-literate clients are reached less than self-reliant ones
    share = {p: report.total.reached_by_profile[p] / report.total.by_profile[p] for p in profiles}
    assert share["low_literate"] < share["self_reliant"]
    # longest silence first
    times = [s.silent_since for s in report.silent]
    assert times == sorted(times)
    assert all(len(s.last_attempts) <= reach.LAST_ATTEMPTS for s in report.silent)


def test_a_counsellor_sees_their_own_caseload_and_the_financial_filter(caseload: Session) -> None:
    counsellor = caseload.get(Counsellor, 3)
    assert counsellor is not None
    me = Actor(counsellor.id, CounsellorRole.COUNSELLOR, counsellor.office)
    report = reach.report(caseload, me, now=NOW, limit=10_000)
    clients, reached, _profiles, _silent = direct(caseload, counsellor.id)
    assert (report.total.clients, report.total.reached) == (clients, reached) and clients > 0
    assert list(report.by_counsellor) == [counsellor.full_name]
    money = reach.report(caseload, me, now=NOW, financial_only=True, limit=10_000)
    assert (money.total.clients, money.total.reached) == direct(caseload, counsellor.id, True)[:2]
    assert all(s.situation in reach.FINANCIAL for s in money.silent)


def test_the_list_is_cut_at_the_limit_but_counted_whole(caseload: Session) -> None:
    report = reach.report(caseload, Actor(1, CounsellorRole.TEAM_LEAD, None), now=NOW, limit=5)
    assert len(report.silent) == 5 and report.silent_count > 5
    assert any(s.last_attempts for s in report.silent) and all(s.dossier for s in report.silent)
