"""Dispatch under pressure: rules typed or stored in any shape get a message that names the
setting, the part and the fix (never a traceback, and a broken stored value falls back to the
defaults and says so); a dossier given a referent by someone else between the check and the
write stops the dispatch with a sentence, and nothing of it is written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Assignment, AuditEntry
from app.models.enums import AssignmentRole, CounsellorRole
from app.services import org_settings
from app.services.caseload import assignments, clients
from app.services.errors import ValidationFailed
from app.services.team import dispatch, dispatch_rules
from app.services.team.dispatch_rules import DispatchRules
from tests.helpers import actor

MEANWHILE = ("Some of these dossiers were given a referent meanwhile; nothing was changed. "
             "Look at the inbox again.")  # fmt: skip


@pytest.mark.parametrize(("value", "part"), [
    ("[" * 100_000 + "]" * 100_000, "longer than 64,000 characters"),
    ('{"offices":' + '{"a":' * 5000 + "1" + "}" * 5001, "as a JSON object"),
    (json.dumps({"order": [1, "a", "b", "c"]}), "Order: name each of office, specialism"),
    (json.dumps({"order": [{}, {}, {}, {}]}), "Order: name each of"),
    (json.dumps({"order": [["office"], "specialism", "language", "load"]}), "Order: name each"),
    ({1: 2}, "1: not a part of the rules"),
    (json.dumps({"maximum": "²"}), "Maximum: give a whole number from 1 to 1000."),
    (json.dumps({"maximum": "9" * 5000}), "Maximum: give a whole number from 1 to 1000."),
    (json.dumps({"maximum_by_login": {"anna": "٣"}}), "anna: give a whole number"),
    (json.dumps({"offices": {"Gent": [[["9000"]]]}}), "Offices: give each office a name"),
    (json.dumps({"offices": {f"O{i}": ["9000"] for i in range(5000)}}), "longer than 64,000"),
    ('{"maximum": 30', "as a JSON object"),
])  # fmt: skip
def test_hostile_rules_are_refused_with_the_setting_the_part_and_the_fix(
    value: Any, part: str
) -> None:
    with pytest.raises(ValueError) as refused:
        dispatch_rules.parse_rules("Dispatch rules", value)
    assert str(refused.value).startswith("Dispatch rules")
    assert part in str(refused.value)


def test_a_broken_stored_value_is_used_as_the_defaults_and_said(
    session: Session,
    make_counsellor,
    database: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    ada = make_counsellor("ada")
    ada.role = CounsellorRole.ADMIN
    session.commit()
    with pytest.raises(ValidationFailed) as refused:  # through the service, as the CLI does
        org_settings.update(session, {"dispatch_rules": json.dumps({"order": [1, "a", "b", "c"]})},
                            actor=actor(ada))  # fmt: skip
    assert refused.value.errors["dispatch_rules"].startswith("Dispatch rules, Order: ")
    org_settings.put(session, "dispatch_rules", "[" * 20_000 + "]" * 20_000)  # written by hand
    session.commit()
    rules, problem = dispatch_rules.load_checked(session)
    assert rules == DispatchRules() == dispatch_rules.load(session)
    assert problem == ("Dispatch rules: write the rules as a JSON object, e.g. {\"maximum\": 30}. "
                       "Until this is corrected, dispatch uses the default rules.")  # fmt: skip
    monkeypatch.setenv("TRAJECT_USER", "ada")
    url = str(database.engine.url)
    assert main(["settings", "--db", url, "--lang", "en"]) == 0
    shown = capsys.readouterr()
    assert "dispatch_rules=(not valid, see below)  (Dispatch rules)" in shown.out
    assert "[[[" not in shown.out and "dispatch uses the default rules." in shown.err
    assert main(["settings", 'dispatch_rules={"order": [{}, {}, {}, {}]}', "--db", url,
                 "--lang", "en"]) == 1  # fmt: skip
    assert "Dispatch rules, Order: name each of" in capsys.readouterr().err


# --- a referent given meanwhile ----------------------------------------------------------
def _inbox(session: Session, make_counsellor, lead) -> tuple[Any, list[int]]:  # type: ignore[no-untyped-def]
    bart = make_counsellor("bart", "Bart Baert")
    made = [clients.create_client(session, {"given_name": f"Nour{i}", "family_name": "Amrani"},
                                  actor=lead, referent_id=None).id for i in range(2)]  # fmt: skip
    session.commit()
    return bart, made


def _by_hand_during_apply(monkeypatch: pytest.MonkeyPatch, database: Database, client_id: int,
                          counsellor_id: int, lead: Any, *, reads: int = 1) -> None:  # fmt: skip
    """Another team lead gives `client_id` a referent by hand after apply has read the inbox
    and before it writes: when the loads are read the `reads`-th time (apply reads them in
    between; prepare once before)."""
    real = dispatch.open_caseloads
    count = [0]

    def meanwhile(session: Session) -> dict[int, int]:
        count[0] += 1
        if count[0] == reads:
            with database.sessions() as other:
                assignments.assign_referent(other, client_id, counsellor_id, actor=lead)
                other.commit()
        return real(session)

    monkeypatch.setattr(dispatch, "open_caseloads", meanwhile)


@pytest.mark.both_backends
def test_a_referent_given_meanwhile_stops_the_dispatch_and_writes_nothing(
    database: Database, session: Session, make_counsellor, lead, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    bart, (first, second) = _inbox(session, make_counsellor, lead)
    proposal = dispatch.prepare(session, lead)
    assert {d.client_id for d in proposal.decisions if d.counsellor_id} == {first, second}
    _by_hand_during_apply(monkeypatch, database, first, bart.id, lead)
    with pytest.raises(dispatch.ReferentMeanwhile) as refused:
        dispatch.apply(session, lead, proposal.decisions)
    assert str(refused.value) == MEANWHILE
    session.rollback()
    referents = session.execute(select(Assignment.client_id, Assignment.counsellor_id).where(
        Assignment.role == AssignmentRole.REFERENT, Assignment.client_id.in_([first, second]))).all()  # fmt: skip
    assert referents == [(first, bart.id)]  # the hand assignment only; the second still waits
    audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.detail == "referent"))  # fmt: skip
    assert audited == 1


def test_traject_dispatch_says_so_and_exits_1(
    database: Database,
    session: Session,
    make_counsellor,
    lead,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    bart, (first, second) = _inbox(session, make_counsellor, lead)
    _by_hand_during_apply(monkeypatch, database, first, bart.id, lead, reads=2)
    monkeypatch.setenv("TRAJECT_USER", "lea")
    assert main(["dispatch", "--db", str(database.engine.url), "--lang", "en"]) == 1
    said = capsys.readouterr()
    assert said.err.strip() == f"traject: {MEANWHILE}" and "Traceback" not in said.err
    session.expire_all()
    assert [w.client_id for w in dispatch.inbox(session, lead)] == [second]
