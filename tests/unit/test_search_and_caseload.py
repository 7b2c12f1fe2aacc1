"""Search and caseload filters, on a small demo caseload and on hand-made clients."""

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Client
from app.models.enums import ClientStatus, EmploymentSituation, Province
from app.services.caseload import assignments, clients, search
from app.services.caseload import listing as caseload
from app.services.caseload.listing import CaseloadFilter, SortKey
from app.services.caseload.search import fts_expression
from app.services.demo import generator as demo
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


@pytest.fixture
def people(session: Session, make_counsellor, today, lead):  # type: ignore[no-untyped-def]
    anna, bart = make_counsellor("anna", "Anna Aerts"), make_counsellor("bart", "Bart Baert")
    made = {}
    for given, family, extra in [
        ("Ayşe", "Yılmaz", {"phone": "0470 12 34 56", "postal_code": "9000"}),
        ("Mehmet", "YILMAZ", {"email": "mehmet.yilmaz@example.be"}),
        ("Łukasz", "Wiśniewski", {"employment_situation": EmploymentSituation.ZERO_HOURS_CONTRACT}),
        ("Nour", "El Amrani", {"email": "nour@example.be", "postal_code": "1080"}),
        ("نور", "العمراني", {}),
        ("Олена", "Шевченко", {"phone": "+31 6 12345678"}),
    ]:
        made[given] = clients.create_client(session, {"given_name": given, "family_name": family, **extra},
                                            referent_id=anna.id, today=today, actor=actor(anna))  # fmt: skip
    assignments.assign_referent(session, made["Nour"].id, bart.id, on=today, actor=lead)
    assignments.set_backup(
        session,
        made["Ayşe"].id,
        bart.id,
        on=dt.date.today(),
        until=dt.date.today() + dt.timedelta(days=10),
        actor=actor(anna),
    )
    session.commit()
    return made, anna, bart


def names(session: Session, flt: CaseloadFilter) -> list[str]:
    ids = caseload.find_ids(session, flt)
    rows = caseload.rows_for(session, ids)
    return [rows[i].given_name for i in ids]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("yilmaz", ["Ayşe", "Mehmet"]),
        ("YIL", ["Ayşe", "Mehmet"]),
        ("ayse", ["Ayşe"]),
        ("lukasz", ["Łukasz"]),
        ("wisn luk", ["Łukasz"]),
        ("el-amrani", ["Nour"]),
        ("نور", ["نور"]),
        ("олена", ["Олена"]),
        ("mehmet.yilmaz@example.be", ["Mehmet"]),
        ("3456", ["Ayşe"]),
        ("0470 12 34", ["Ayşe"]),
        ("612345678", ["Олена"]),
        ("nobody", []),
    ],
)
def test_search_is_case_and_diacritic_blind(
    session: Session, people, query: str, expected: list[str]
) -> None:
    assert sorted(names(session, CaseloadFilter(search=query))) == sorted(expected)


def test_dossier_number_finds_the_client(session: Session, people) -> None:
    made, *_rest = people
    dossier = made["Олена"].dossier
    assert names(session, CaseloadFilter(search=dossier)) == ["Олена"]
    assert names(session, CaseloadFilter(search=dossier.lower())) == ["Олена"]


def test_search_index_follows_edits(session: Session, people, today) -> None:
    made, anna, _bart = people
    clients.update_client(session, made["Ayşe"].id, {"family_name": "Öztürk"}, today=today,
                          actor=actor(anna))  # fmt: skip
    session.commit()
    assert names(session, CaseloadFilter(search="ozturk")) == ["Ayşe"]
    assert names(session, CaseloadFilter(search="yilmaz")) == ["Mehmet"]


def test_punctuation_only_query_matches_everyone(session: Session, people) -> None:
    assert fts_expression("  --  ") is None
    assert len(names(session, CaseloadFilter(search="--"))) == 6


def test_filters(session: Session, people, today) -> None:
    made, anna, bart = people
    assert sorted(names(session, CaseloadFilter(counsellor_id=bart.id, mine=True))) == ["Nour"]
    assert names(session, CaseloadFilter(counsellor_id=bart.id, backup_for_me=True)) == ["Ayşe"]
    assert len(names(session, CaseloadFilter(counsellor_id=anna.id, mine=True))) == 5
    assert names(session, CaseloadFilter(zero_hours=True)) == ["Łukasz"]
    assert names(session, CaseloadFilter(province=Province.BRUSSELS)) == ["Nour"]
    assert sorted(names(session, CaseloadFilter(no_email=True))) == sorted(
        ["Ayşe", "Łukasz", "نور", "Олена"]
    )
    clients.close_client(session, made["Nour"].id, today=today, actor=actor(bart))
    session.commit()
    assert "Nour" not in names(session, CaseloadFilter(statuses=frozenset({ClientStatus.ACTIVE})))
    counts = caseload.counts(session, anna.id)
    assert counts.total == 6 and counts.by_status[ClientStatus.CLOSED] == 1 and counts.mine == 5


def test_sorting_by_name_and_referent(session: Session, people) -> None:
    ids = caseload.find_ids(session, CaseloadFilter(), SortKey.NAME)
    rows = caseload.rows_for(session, ids)
    assert [(rows[i].family_name, rows[i].given_name) for i in ids] == [
        ("El Amrani", "Nour"), ("Wiśniewski", "Łukasz"), ("Yılmaz", "Ayşe"),
        ("YILMAZ", "Mehmet"), ("Шевченко", "Олена"), ("العمراني", "نور"),
    ]  # fmt: skip
    by_referent = caseload.find_ids(session, CaseloadFilter(), SortKey.REFERENT, descending=True)
    assert caseload.rows_for(session, by_referent[:1])[by_referent[0]].referent == "Bart Baert"


def test_demo_caseload_is_deterministic_and_valid(database, tmp_path) -> None:
    import phonenumbers
    from stdnum.be import nn
    from stdnum.nl import bsn

    from app.db import open_database

    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    results = []
    for db in (database, other):
        with db.sessions() as s:
            summary = demo.generate(s, 400, seed=7, today=dt.date(2026, 6, 30))
            s.commit()
            results.append(
                s.execute(
                    select(
                        Client.dossier,
                        Client.given_name,
                        Client.family_name,
                        Client.national_number,
                    ).order_by(Client.id)
                ).all()
            )
    other.close()
    assert summary.clients == 400 and summary.counsellors == 4
    assert results[0] == results[1]
    with database.sessions() as s:
        people = s.scalars(select(Client)).all()
        for person in people:
            if person.national_number_country == "BE":
                assert nn.is_valid(person.national_number)
                assert nn.get_birth_date(person.national_number) == person.birth_date
            else:
                assert bsn.is_valid(person.national_number)
            assert phonenumbers.is_valid_number(phonenumbers.parse(person.phone))
        scripts = {"arabic": any("\u0600" <= p.given_name[0] <= "\u06ff" for p in people),
                   "cyrillic": any("\u0400" <= p.given_name[0] <= "\u04ff" for p in people)}  # fmt: skip
        assert all(scripts.values())
        with pytest.raises(Exception, match="already holds"):
            demo.generate(s, 10, today=dt.date(2026, 6, 30))


def test_warm_up_reads_the_indexes_searches_use(session: Session, people) -> None:  # type: ignore[no-untyped-def]
    search.warm_up(session)  # INDEXED BY fails loudly if an index it names is renamed or gone
    assert names(session, CaseloadFilter(search="yilmaz")) == ["Ayşe", "Mehmet"]
