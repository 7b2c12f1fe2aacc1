"""Dispatch of new dossiers: the rules as an organisation setting, the pure proposal (any
caseload, any rules: a referent or a stated reason, nobody beyond the maximum, nobody away or
switched off), and the inbox and its assignment on both backends."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Assignment, AuditEntry
from app.models.enums import AssignmentReason, AssignmentRole, CounsellorRole
from app.models.team import Absence
from app.services import org_settings
from app.services.caseload import clients
from app.services.errors import Forbidden, ValidationFailed
from app.services.team import dispatch, dispatch_rules
from app.services.team.dispatch import Away, Candidate, Waiting
from app.services.team.dispatch_rules import DispatchRules
from tests.helpers import actor

TODAY = dt.date(2026, 3, 15)
OFFICES = ("Gent", "Antwerpen", "Brussel")
LANGS = ("ar", "fr", "nl", "tr")


# --- the rules as a setting ---------------------------------------------------------------
def test_rules_are_checked_when_saved_and_name_the_part_to_fix(
    session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    ada = make_counsellor("ada")
    ada.role = CounsellorRole.ADMIN
    session.commit()
    with pytest.raises(ValidationFailed) as refused:
        org_settings.update(session, {"dispatch_rules": {"maximum": 0}}, actor=actor(ada))
    assert "Dispatch rules" in refused.value.errors["dispatch_rules"]
    assert "1 to 1000" in refused.value.errors["dispatch_rules"]
    with pytest.raises(ValidationFailed, match="not a postal code"):
        org_settings.update(session, {"dispatch_rules": {"offices": {"Gent": ["90x1"]}}},
                            actor=actor(ada))  # fmt: skip
    with pytest.raises(ValidationFailed, match="Order"):
        org_settings.update(session, {"dispatch_rules": {"order": ["load"]}}, actor=actor(ada))
    typed = json.dumps({"offices": {"Gent": "9000, 90*, Zelzate"}, "languages": {"Anna": "Arabic"},
                        "maximum": "25", "order": ["language", "office", "load", "specialism"]})  # fmt: skip
    assert org_settings.update(session, {"dispatch_rules": typed}, actor=actor(ada)) == [
        "dispatch_rules"
    ]
    rules = dispatch_rules.load(session)
    assert rules.offices == {"Gent": ("9000", "90*", "Zelzate")}
    assert rules.languages == {"anna": ("ar",)} and rules.maximum == 25
    assert rules.order[0] == "language"
    assert rules.office_serving("9060", None) == "Gent"
    assert rules.office_serving(None, "zelzate") == "Gent"


def test_a_broken_stored_value_falls_back_to_the_defaults(session: Session) -> None:
    org_settings.put(session, "dispatch_rules", '{"maximum": "lots"}')
    assert dispatch_rules.load(session) == DispatchRules()


def test_only_administrators_change_the_rules(session: Session, make_counsellor) -> None:  # type: ignore[no-untyped-def]
    anna = make_counsellor("anna")
    with pytest.raises(Forbidden):
        org_settings.update(session, {"dispatch_rules": {"maximum": 10}}, actor=actor(anna))


# --- the proposal -------------------------------------------------------------------------
people = st.lists(
    st.builds(Candidate, counsellor_id=st.integers(1, 30), login=st.sampled_from(["aa", "bb", "cc", "dd", "ee"]),
              name=st.just("X"), office=st.sampled_from((*OFFICES, None)), active=st.booleans()),
    max_size=8, unique_by=lambda c: c.counsellor_id)  # fmt: skip
waiting = st.lists(
    st.builds(Waiting, client_id=st.integers(1, 10_000), dossier=st.just("T"), name=st.just("Y"),
              municipality=st.sampled_from((None, "Zelzate", "Gent", "Mechelen")),
              postal_code=st.sampled_from((None, "9000", "2000", "1000")),
              language=st.sampled_from((None, *LANGS)),
              profession=st.sampled_from((None, "lasser", "kok", "verpleegkundige")),
              preferred_office=st.sampled_from((None, *OFFICES, "Hasselt"))),
    max_size=40, unique_by=lambda w: w.client_id)  # fmt: skip
rule_sets = st.builds(
    DispatchRules,
    offices=st.dictionaries(st.sampled_from(OFFICES), st.lists(st.sampled_from(
        ["9000", "90*", "2*", "Zelzate", "Mechelen"]), min_size=1).map(tuple), max_size=3),
    specialisms=st.dictionaries(st.sampled_from(["aa", "bb", "cc"]),
                                st.lists(st.sampled_from(["lasser", "kok", "zorg"])).map(tuple)),
    languages=st.dictionaries(st.sampled_from(["aa", "bb", "dd"]),
                              st.lists(st.sampled_from(LANGS)).map(tuple)),
    maximum=st.integers(1, 12),
    maximum_by_login=st.dictionaries(st.sampled_from(["aa", "cc", "ee"]), st.integers(1, 12)),
    order=st.permutations(dispatch_rules.CRITERIA).map(tuple),
    office_only=st.booleans(),
)  # fmt: skip
absences = st.lists(st.builds(
    Away, counsellor_id=st.integers(1, 30),
    starts_on=st.dates(TODAY - dt.timedelta(days=5), TODAY + dt.timedelta(days=5)),
    ends_on=st.dates(TODAY - dt.timedelta(days=5), TODAY + dt.timedelta(days=10)),
    cancelled=st.booleans()), max_size=6)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    waiting, people, st.dictionaries(st.integers(1, 30), st.integers(0, 14)), absences, rule_sets
)
def test_every_dossier_gets_a_referent_or_a_reason_and_nobody_goes_beyond_the_maximum(
    clients_: list[Waiting], team: list[Candidate], loads: dict[int, int], away: list[Away],
    rules: DispatchRules,
) -> None:  # fmt: skip
    decisions = dispatch.propose(clients_, team, loads, away, rules, today=TODAY)
    assert [d.client_id for d in decisions] == [c.client_id for c in clients_]
    absent = {a.counsellor_id for a in away
              if not a.cancelled and a.starts_on <= TODAY <= a.ends_on}  # fmt: skip
    by_id = {c.counsellor_id: c for c in team}
    given_now: dict[int, int] = {}
    for client, decision in zip(clients_, decisions, strict=True):
        assert decision.reasons and decision.reason().strip()  # always a stated reason
        if decision.counsellor_id is None:
            continue
        chosen = by_id[decision.counsellor_id]
        assert chosen.active and chosen.counsellor_id not in absent
        given_now[chosen.counsellor_id] = given_now.get(chosen.counsellor_id, 0) + 1
        assert loads.get(chosen.counsellor_id, 0) + given_now[
            chosen.counsellor_id
        ] <= rules.maximum_of(chosen.login)
        office = client.preferred_office or rules.office_serving(
            client.postal_code, client.municipality
        )
        teams_offices = {c.office for c in team if c.active}
        if rules.office_only and office is not None and office in teams_offices:
            assert chosen.office == office  # a known office with people keeps its client
    for decision in decisions:
        if decision.counsellor_id is None:  # nobody was free for it, at its turn
            assert "maximum" in decision.reason() or "no counsellor" in decision.reason()


def test_the_reason_says_office_language_and_load() -> None:
    rules = DispatchRules(offices={"Gent": ("Zelzate",)}, languages={"sami": ("ar",)}, maximum=30)
    team = [Candidate(1, "sami", "Sami", "Gent"), Candidate(2, "tom", "Tom", "Gent"),
            Candidate(3, "an", "An", "Antwerpen")]  # fmt: skip
    client = Waiting(7, "T-1", "Amina", municipality="Zelzate", language="ar")
    [decision] = dispatch.propose([client], team, {1: 14, 2: 3, 3: 0}, [], rules, today=TODAY)
    assert decision.counsellor_id == 1
    assert decision.reason() == "office Gent serves Zelzate; speaks Arabic; 14 open files of 30"
    full = dispatch.propose([client], team, {1: 30, 2: 30}, [], rules, today=TODAY)
    assert full[0].counsellor_id is None
    assert (
        full[0].reason()
        == "office Gent serves Zelzate; nobody below the maximum of 30 in office Gent"
    )
    away = dispatch.propose(
        [client], team, {1: 1, 2: 29}, [Away(1, TODAY, TODAY)], rules, today=TODAY
    )
    assert away[0].counsellor_id == 2  # Sami is away today, both days included


# --- the inbox and assigning, on both backends --------------------------------------------
def _waiting_clients(session: Session, by, n: int, **values: str) -> list[int]:  # type: ignore[no-untyped-def]
    made = [clients.create_client(session, {"given_name": f"Ayşe{i}", "family_name": "Yılmaz",
                                            **values}, actor=by, referent_id=None).id
            for i in range(n)]  # fmt: skip
    session.commit()
    return made


@pytest.mark.both_backends
def test_a_team_lead_dispatches_the_inbox_within_the_maximum(
    session: Session, make_counsellor, lead
) -> None:  # type: ignore[no-untyped-def]
    anna, bart = make_counsellor("anna", "Anna Aerts"), make_counsellor("bart", "Bart Baert")
    org_settings.put(session, "dispatch_rules", DispatchRules(maximum=2).as_json())
    session.add(Absence(counsellor_id=bart.id, starts_on=dt.date.today() - dt.timedelta(days=1),
                        ends_on=dt.date.today(), declared_by=bart.id))  # fmt: skip
    session.commit()
    ids = _waiting_clients(session, lead, 3, municipality="Gent")
    proposal = dispatch.prepare(session, lead)
    assert [w.client_id for w in proposal.waiting] == ids
    assert [d.counsellor_id for d in proposal.decisions] == [anna.id, anna.id, None]
    assert "nobody below the maximum of 2" in proposal.decisions[2].reason()
    applied = dispatch.apply(session, lead, proposal.decisions)
    session.commit()
    assert applied.assigned == {ids[0]: anna.id, ids[1]: anna.id}
    assert dispatch.open_caseloads(session) == {anna.id: 2}
    assert [w.client_id for w in dispatch.inbox(session, lead)] == [ids[2]]
    periods = session.scalars(select(Assignment).where(Assignment.client_id.in_(ids))).all()
    assert {(p.role, p.reason, p.ends_on) for p in periods} == {
        (AssignmentRole.REFERENT, AssignmentReason.DISPATCH, None)
    }
    audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.client_id.in_(ids[:2]), AuditEntry.detail == "referent"))  # fmt: skip
    assert audited == 2


@pytest.mark.both_backends
def test_an_override_is_checked_and_named_by_dossier(
    session: Session, make_counsellor, lead
) -> None:  # type: ignore[no-untyped-def]
    anna = make_counsellor("anna", "Anna Aerts")
    gone = make_counsellor("gone", "Gone Away")
    gone.active = False
    org_settings.put(session, "dispatch_rules", DispatchRules(maximum=1).as_json())
    session.commit()
    first, second = _waiting_clients(session, lead, 2)
    decisions = dispatch.prepare(session, lead).decisions
    with pytest.raises(ValidationFailed) as refused:
        dispatch.apply(session, lead, decisions, {second: gone.id})
    dossier = clients.get_client(session, second).dossier
    assert refused.value.errors == {
        f"referent:{second}": f"Referent for {dossier}: choose an active counsellor from the list."
    }
    with pytest.raises(ValidationFailed, match="more than the maximum of 1"):
        dispatch.apply(session, lead, decisions, {second: anna.id})
    session.rollback()
    assert dispatch.open_caseloads(session) == {}  # a refusal wrote nothing
    applied = dispatch.apply(session, lead, decisions, {second: anna.id}, allow_over_maximum=True)
    session.commit()
    assert applied.assigned == {first: anna.id, second: anna.id}


@pytest.mark.both_backends
def test_a_counsellor_cannot_dispatch(session: Session, make_counsellor) -> None:  # type: ignore[no-untyped-def]
    anna = make_counsellor("anna")
    with pytest.raises(Forbidden):
        dispatch.inbox(session, actor(anna))
    with pytest.raises(Forbidden):
        dispatch.apply(session, actor(anna), [dispatch.Decision(1, anna.id, ())])


def test_the_file_keeps_a_preferred_office_and_dispatch_uses_it(
    session: Session, make_counsellor, lead
) -> None:  # type: ignore[no-untyped-def]
    gent = make_counsellor("gent")
    antwerp = make_counsellor("antw")
    antwerp.office = "Antwerpen"
    session.commit()
    [client] = _waiting_clients(session, lead, 1, municipality="Gent")
    clients.update_client(session, client, {"preferred_office": "  Antwerpen "}, actor=lead)
    session.commit()
    assert clients.get_client(session, client).preferred_office == "Antwerpen"
    [decision] = dispatch.prepare(session, lead).decisions
    assert decision.counsellor_id == antwerp.id and decision.counsellor_id != gent.id
    assert decision.reason().startswith("prefers office Antwerpen")
    with pytest.raises(ValidationFailed, match="Preferred office"):
        clients.update_client(session, client, {"preferred_office": "x" * 201}, actor=lead)
