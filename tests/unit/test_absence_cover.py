"""Cover for an absence: one action gives every active client a backup for the period (one
colleague, or spread over the office by load), one action undoes it, and the people concerned
get a notice; a colleague breaking the glass tells the referent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Assignment, AuditEntry, Client, Counsellor
from app.models.enums import (
    AssignmentReason,
    AssignmentRole,
    AuditAction,
    ClientStatus,
    CounsellorRole,
)
from app.models.team import Absence, Notice, NoticeKind
from app.services.caseload import assignments, clients, counsellors
from app.services.clock import local_today
from app.services.errors import Forbidden, ValidationFailed
from app.services.privacy.access import Actor
from app.services.team import absence, notices

pytestmark = pytest.mark.both_backends

TODAY = local_today()
DAY = dt.timedelta(days=1)


def person(session: Session, login: str, name: str, role: CounsellorRole = CounsellorRole.COUNSELLOR,
           office: str | None = "Werkwinkel Gent") -> Actor:  # fmt: skip
    made = counsellors.create_counsellor(session, login=login, full_name=name, office=office,
                                         role=role)  # fmt: skip
    session.flush()
    return Actor(made.id, made.role, made.office)


def give(session: Session, who: Actor, n: int, start: int = 0) -> list[int]:
    return [clients.create_client(session, {"given_name": f"Client{start + i:03d}",
                                            "family_name": who.office or "X"},
                                  actor=who, referent_id=who.counsellor_id, today=TODAY).id
            for i in range(n)]  # fmt: skip


@pytest.fixture
def office(session: Session) -> dict[str, Any]:
    team = {
        "anna": person(session, "anna", "Anna Peeters"),
        "bert": person(session, "bert", "Bert Baert"),
        "cas": person(session, "cas", "Cas Claes"),
        "lea": person(session, "lea", "Lea Lead", CounsellorRole.TEAM_LEAD),
        "olga": person(session, "olga", "Olga Other", CounsellorRole.TEAM_LEAD, "Werkwinkel Aalst"),
        "dirk": person(session, "dirk", "Dirk Dams", office="Werkwinkel Aalst"),
    }
    team["annas"] = give(session, team["anna"], 5)
    closed = give(session, team["anna"], 1, start=50)[0]
    clients.close_client(session, closed, actor=team["anna"])
    team["closed"] = closed
    give(session, team["bert"], 2, start=100)
    session.commit()
    return team


def backups_of(session: Session, absence_id: int) -> list[Assignment]:
    return list(session.scalars(select(Assignment).where(Assignment.absence_id == absence_id)))


def test_spread_by_load_gives_each_client_to_the_least_loaded_colleague(
    session: Session, office: dict[str, Any]
) -> None:
    anna, bert, cas = office["anna"], office["bert"], office["cas"]
    choices = absence.plan(session, anna, anna.counsellor_id, TODAY, TODAY + 9 * DAY, today=TODAY)
    # Bert follows 2, Cas none: Cas takes two, then equal loads go by name (Bert before Cas)
    assert [c.backup_id for c in choices] == [cas.counsellor_id, cas.counsellor_id,
                                              bert.counsellor_id, cas.counsellor_id,
                                              bert.counsellor_id]  # fmt: skip
    assert {c.client_id for c in choices} == set(office["annas"])  # not the closed file
    assert choices[0].reason == "fewest open files in office Werkwinkel Gent (0)"
    assert choices[2].reason == "fewest open files in office Werkwinkel Gent (2)"
    assert session.scalar(select(func.count()).select_from(Absence)) == 0  # a plan changes nothing


def test_declaring_covers_every_client_for_the_inclusive_period_and_tells_the_backups(
    session: Session, office: dict[str, Any]
) -> None:
    anna, bert, cas = office["anna"], office["bert"], office["cas"]
    first, last = TODAY + 2 * DAY, TODAY + 11 * DAY
    declared = absence.declare(session, anna, anna.counsellor_id, first, last)
    session.commit()
    periods = backups_of(session, declared.absence_id)
    assert len(periods) == 5
    assert {(p.starts_on, p.ends_on, p.reason) for p in periods} == {
        (first, last + DAY, AssignmentReason.ABSENCE_COVER)
    }  # end-exclusive: the day after
    kept = session.get(Absence, declared.absence_id)
    assert (kept.starts_on, kept.ends_on, kept.declared_by) == (first, last, anna.counsellor_id)
    changes = session.scalars(select(AuditEntry.client_id).where(
        AuditEntry.action == AuditAction.CHANGE.value, AuditEntry.detail == "backup")).all()  # fmt: skip
    assert sorted(changes) == sorted(office["annas"])
    told = {n.counsellor_id: n for n in session.scalars(select(Notice))}
    assert set(told) == {bert.counsellor_id, cas.counsellor_id}  # not Anna: she did it herself
    assert all(n.kind == NoticeKind.COVER and n.absence_id == declared.absence_id
               and (n.starts_on, n.ends_on) == (first, last) for n in told.values())  # fmt: skip
    [cas_notice] = notices.unread(session, cas)
    assert cas_notice.text == (
        f"You cover 3 clients of Anna Peeters ({absence.period_text(first, last)})."
    )
    assert "both days included" in cas_notice.text


def test_a_team_lead_declares_for_a_counsellor_who_is_told_who_covers(
    session: Session, office: dict[str, Any]
) -> None:
    anna, bert, lea = office["anna"], office["bert"], office["lea"]
    absence.declare(session, lea, anna.counsellor_id, TODAY, TODAY + 4 * DAY,
                    backup_id=bert.counsellor_id)  # fmt: skip
    session.commit()
    [told] = notices.unread(session, anna)
    assert told.kind == NoticeKind.COVER and told.from_name == "Lea Lead"
    assert told.backups == [("Bert Baert", 5)]
    assert told.text.startswith("Lea Lead arranged cover for your absence (")
    assert told.text.endswith("): Bert Baert (5 clients).")
    assert notices.unread(session, office["cas"]) == []  # nobody else


def test_a_colleague_or_another_offices_lead_cannot_declare_someone_elses_absence(
    session: Session, office: dict[str, Any]
) -> None:
    anna = office["anna"]
    for who in ("bert", "olga"):
        with pytest.raises(Forbidden):
            absence.declare(session, office[who], anna.counsellor_id, TODAY, TODAY + DAY)
        session.rollback()
    assert session.scalar(select(func.count()).select_from(Absence)) == 0


def test_who_may_be_away_is_oneself_or_for_a_team_lead_the_office(
    session: Session, office: dict[str, Any]
) -> None:
    names = lambda who: [name for _id, name in absence.who_may_be_away(session, office[who])]  # noqa: E731
    assert names("bert") == ["Bert Baert"]
    assert names("lea") == ["Anna Peeters", "Bert Baert", "Cas Claes", "Lea Lead"]
    assert names("olga") == ["Dirk Dams", "Olga Other"]


@pytest.mark.parametrize(
    ("first", "last", "backup", "field", "says"),
    [
        (5, 2, None, "away_to", "swap them"),
        (-9, -2, None, "away_to", "over already"),
        (0, 200, None, "away_to", "at most 183 days"),
        (0, 3, "anna", "backup", "cannot cover themselves"),
        (0, 3, "dirk_switched_off", "backup", "active counsellor"),
    ],
)
def test_bad_periods_and_backups_name_the_field_and_change_nothing(
    session: Session, office: dict[str, Any], first: int, last: int, backup: str | None,
    field: str, says: str,
) -> None:  # fmt: skip
    anna = office["anna"]
    backup_id = None
    if backup == "anna":
        backup_id = anna.counsellor_id
    elif backup is not None:
        session.get(Counsellor, office["cas"].counsellor_id).active = False
        session.commit()
        backup_id = office["cas"].counsellor_id
    with pytest.raises(ValidationFailed) as raised:
        absence.declare(session, anna, anna.counsellor_id, TODAY + first * DAY, TODAY + last * DAY,
                        backup_id=backup_id)  # fmt: skip
    session.rollback()
    assert list(raised.value.errors) == [field] and says in str(raised.value)
    assert session.scalar(select(func.count()).select_from(Absence)) == 0


def test_nobody_free_in_the_office_is_said_and_a_colleague_away_is_not_chosen(
    session: Session, office: dict[str, Any]
) -> None:
    anna, bert, cas = office["anna"], office["bert"], office["cas"]
    absence.declare(session, bert, bert.counsellor_id, TODAY, TODAY + 9 * DAY,
                    backup_id=cas.counsellor_id)  # fmt: skip
    session.commit()
    choices = absence.plan(session, anna, anna.counsellor_id, TODAY + 3 * DAY, TODAY + 5 * DAY)
    assert {c.backup_id for c in choices} == {cas.counsellor_id}  # Bert is away then
    absence.declare(session, cas, cas.counsellor_id, TODAY + 4 * DAY, TODAY + 4 * DAY,
                    backup_id=office["dirk"].counsellor_id)  # fmt: skip
    session.commit()
    with pytest.raises(ValidationFailed, match="nobody else in office Werkwinkel Gent") as raised:
        absence.plan(session, anna, anna.counsellor_id, TODAY + 3 * DAY, TODAY + 5 * DAY)
    assert list(raised.value.errors) == ["backup"]
    with pytest.raises(ValidationFailed, match="Bert Baert is away during this period") as raised:
        absence.plan(session, anna, anna.counsellor_id, TODAY, TODAY + DAY, bert.counsellor_id)


def test_a_failure_half_way_leaves_nothing_behind(
    session: Session, office: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = office["anna"]

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(notices, "create_many", broken)
    with pytest.raises(RuntimeError):
        absence.declare(session, anna, anna.counsellor_id, TODAY, TODAY + 3 * DAY)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Absence)) == 0
    assert session.scalar(select(func.count()).where(Assignment.role == AssignmentRole.BACKUP)) == 0


def test_cover_replaces_an_overlapping_backup_and_undo_ends_it_all(
    session: Session, office: dict[str, Any]
) -> None:
    anna, bert, cas = office["anna"], office["bert"], office["cas"]
    client = office["annas"][0]
    old = assignments.set_backup(session, client, bert.counsellor_id, actor=anna,
                                 until=TODAY + 30 * DAY, on=TODAY)  # fmt: skip
    session.commit()
    declared = absence.declare(session, anna, anna.counsellor_id, TODAY, TODAY + 6 * DAY,
                               backup_id=cas.counsellor_id)  # fmt: skip
    session.commit()
    session.refresh(old)
    assert old.ends_on == TODAY  # replaced from the first day of the cover
    assert assignments.current_backup(session, client, TODAY).counsellor_id == cas.counsellor_id
    assert [v.id for v in absence.current_and_coming(session)] == [declared.absence_id]
    ended = absence.undo(session, anna, declared.absence_id)
    session.commit()
    assert ended == 5
    assert all(p.ends_on == TODAY for p in backups_of(session, declared.absence_id))
    assert assignments.current_backup(session, client, TODAY) is None
    assert session.get(Absence, declared.absence_id).cancelled_by == anna.counsellor_id
    assert absence.current_and_coming(session) == []
    kinds = [n.kind for n in notices.all_for(session, cas)]
    assert kinds == [NoticeKind.COVER_ENDED, NoticeKind.COVER]
    assert "was undone by Anna Peeters" in notices.all_for(session, cas)[0].text
    with pytest.raises(Exception, match="undone already"):
        absence.undo(session, anna, declared.absence_id)


def test_notices_are_the_recipients_and_marking_read_is_theirs(
    session: Session, office: dict[str, Any]
) -> None:
    anna, bert, cas = office["anna"], office["bert"], office["cas"]
    absence.declare(session, office["lea"], anna.counsellor_id, TODAY, TODAY + DAY,
                    backup_id=bert.counsellor_id)  # fmt: skip
    session.commit()
    assert [n.kind for n in notices.unread(session, bert)] == [NoticeKind.COVER]
    assert notices.all_for(session, cas) == []
    assert notices.mark_read(session, cas) == 0  # Cas cannot mark Bert's read
    assert notices.mark_read(session, bert) == 1
    session.commit()
    assert notices.unread(session, bert) == [] and len(notices.all_for(session, bert)) == 1
    assert len(notices.unread(session, anna)) == 1


def test_breaking_the_glass_tells_the_referent_without_the_reason(
    session: Session, office: dict[str, Any]
) -> None:
    anna, bert = office["anna"], office["bert"]
    client = office["annas"][0]
    clients.open_file(session, client, actor=bert, reason="walk-in at the desk, urgent")
    session.commit()
    [told] = notices.unread(session, anna)
    dossier = session.get(Client, client).dossier
    assert (
        told.kind == NoticeKind.BREAK_GLASS
        and told.client == f"{dossier} Client000 Werkwinkel Gent"
    )
    assert (
        told.text
        == f"Bert Baert opened the file of {dossier} Client000 Werkwinkel Gent with a reason."
    )
    assert "walk-in" not in told.text
    clients.open_file(session, client, actor=anna)  # the referent's own view tells nobody
    session.commit()
    assert notices.unread(session, bert) == [] and len(notices.all_for(session, anna)) == 1


@pytest.mark.file_only
def test_spread_never_leaves_a_client_uncovered_and_keeps_loads_balanced(
    session: Session,
) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    absent = person(session, "away", "Away Person")
    session.commit()

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(st.lists(st.integers(0, 6), min_size=1, max_size=5), st.integers(0, 25),
           st.booleans())  # fmt: skip
    def check(loads: list[int], n_clients: int, equal: bool) -> None:
        if equal:
            loads = [loads[0]] * len(loads)
        try:
            colleagues = [person(session, f"c{i}", f"Colleague {i}") for i in range(len(loads))]
            for who, load in zip(colleagues, loads, strict=True):
                give(session, who, load, start=200)
            covered = give(session, absent, n_clients)
            choices = absence.plan(session, absent, absent.counsellor_id, TODAY, TODAY + DAY)
            assert sorted(c.client_id for c in choices) == sorted(covered)
            given_to = {who.counsellor_id: 0 for who in colleagues}
            for choice in choices:
                given_to[choice.backup_id] += 1
            final = {who.counsellor_id: load + given_to[who.counsellor_id]
                     for who, load in zip(colleagues, loads, strict=True)}  # fmt: skip
            least = min(final.values())
            # whoever was given a client ends at most one above the least loaded colleague
            assert all(final[cid] <= least + 1 for cid, n in given_to.items() if n)
            if equal:
                assert max(given_to.values()) - min(given_to.values()) <= 1
        finally:
            session.rollback()

    check()
    assert session.scalar(select(func.count()).select_from(Client).where(
        Client.status == ClientStatus.ACTIVE)) == 0  # fmt: skip
