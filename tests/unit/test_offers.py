"""The offer catalogue: the shipped sample covers every province, entries are checked like the
admin's form, export and import round-trip, suggestions put the client's province first."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Offer
from app.models.enums import Province
from app.models.practical import OfferType
from app.services.caseload import clients
from app.services.errors import Conflict, Forbidden, ValidationFailed
from app.services.referrals import offer_catalogue, offers
from app.services.referrals.offer_catalogue import CatalogueInvalid
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


def admin(make_counsellor):  # type: ignore[no-untyped-def]
    from app.models.enums import CounsellorRole

    person = make_counsellor("ada", "Ada Admin")
    person.role = CounsellorRole.ADMIN
    return actor(person)


def test_the_sample_covers_every_province_and_brussels_and_is_marked(session: Session) -> None:
    assert offer_catalogue.load_sample(session) > 60
    regions = set(session.scalars(select(Offer.region)))
    assert {p.value for p in Province} <= regions
    assert session.scalar(select(func.count()).where(Offer.is_sample.is_(False))) == 0
    for province in Province:  # the digital-profile script refers to these in every province
        for kind in (OfferType.DIGITAL_BASIC_SKILLS, OfferType.DIGITALLY_LOW_LITERATE):
            assert offers.search(session, region=province.value, offer_type=kind.value), (
                province,
                kind,
            )
    assert offer_catalogue.load_sample(session) == 0  # once


def test_a_removed_sample_does_not_come_back(session: Session) -> None:
    offer_catalogue.load_sample(session)
    for offer in session.scalars(select(Offer)):
        session.delete(offer)
    session.flush()
    assert offer_catalogue.load_sample(session) == 0


def test_a_bad_catalogue_lists_every_problem_and_imports_nothing(
    session: Session, make_counsellor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ada = admin(make_counsellor)
    path = tmp_path / "offers.yaml"
    entries = [
        {"code": "ok-one", "type": "housing", "name": "Huis", "provider": "SVK", "region": "antwerp",
         "postal_code": "2000"},
        {"code": "Bad Code", "type": "cooking", "name": "", "provider": "X", "region": "mars"},
        {"code": "wrong-province", "type": "housing", "name": "N", "provider": "P",
         "region": "limburg", "postal_code": "9000", "phone": "12", "email": "no-at-sign"},
    ]  # fmt: skip
    path.write_text(yaml.safe_dump({"offers": entries}), encoding="utf-8")
    with pytest.raises(CatalogueInvalid) as raised:
        offer_catalogue.import_file(session, ada, path)
    text = str(raised.value)
    for expected in ("Offer 2 (Bad Code): Code:", "Type:", "Name of the offer:", "Region:",
                     "Offer 3 (wrong-province): Postal code: 9000 lies in East Flanders, not in Limburg",
                     "Phone:", "E-mail:"):  # fmt: skip
        assert expected in text
    assert session.scalar(select(func.count()).select_from(Offer)) == 0


def test_a_list_or_a_set_of_fields_where_one_value_belongs_is_named_with_its_field(
    session: Session, make_counsellor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ada = admin(make_counsellor)
    path = tmp_path / "offers.yaml"
    path.write_text(
        "offers:\n"
        "- {code: [a, b], type: housing, name: {nl: Huis}, provider: SVK, region: antwerp}\n"
        "- {code: lists-1, type: [housing], name: [Huis, Thuis], provider: SVK, region: antwerp,\n"
        "   street: [Kerkstraat 1], phone: {mobile: '0470'}, languages: [[nl, fr]], 7: x}\n"
        "- {code: 2000, type: housing, name: 2000, provider: 12, region: antwerp,\n"
        "   postal_code: 2000, languages: nl fr}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueInvalid) as raised:
        offer_catalogue.import_file(session, ada, path)
    lines = str(raised.value).splitlines()
    one_value = "write one value here, not a list or a set of fields."
    for expected in (f"Offer 1 (): Code: {one_value}", f"Offer 1 (): Name of the offer: {one_value}",
                     f"Offer 2 (lists-1): Type: {one_value}", f"Offer 2 (lists-1): Name of the offer: {one_value}",
                     f"Offer 2 (lists-1): Street and number: {one_value}", f"Offer 2 (lists-1): Phone: {one_value}",
                     "Offer 2 (lists-1): Languages: write language names or codes, such as Dutch, fr or en, one per item.",
                     "Offer 2 (lists-1): unknown fields 7."):  # fmt: skip
        assert expected in lines
    assert not [line for line in lines if line.startswith("Offer 3")]  # numbers read as text
    assert session.scalar(select(func.count()).select_from(Offer)) == 0


def test_a_file_far_larger_than_a_catalogue_is_refused_unread(
    session: Session, make_counsellor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "offers.yaml"
    with path.open("w", encoding="utf-8") as out:
        out.write("offers:\n")
        out.write("# padding\n" * 600_000)
    with pytest.raises(CatalogueInvalid, match=r"offers\.yaml is larger than 5 MB"):
        offer_catalogue.import_file(session, admin(make_counsellor), path)


def test_export_and_import_round_trip(session: Session, make_counsellor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ada = admin(make_counsellor)
    offer_catalogue.load_sample(session)
    for suffix in (".yaml", ".json"):
        path = tmp_path / f"catalogue{suffix}"
        count = offer_catalogue.export_file(session, path)
        again = offer_catalogue.import_file(session, ada, path)
        assert (again.added, again.updated, again.unchanged) == (0, 0, count)
    path = tmp_path / "catalogue.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["sample"] = False
    document["offers"][0]["name"] = "Our own digipunt"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    summary = offer_catalogue.import_file(session, ada, path)
    assert summary.updated == count and summary.added == 0  # every offer is now the organisation's
    assert session.scalar(select(Offer).where(Offer.name == "Our own digipunt")).is_sample is False


def test_only_an_admin_changes_the_catalogue(session: Session, make_counsellor) -> None:  # type: ignore[no-untyped-def]
    counsellor = actor(make_counsellor("cor"))
    with pytest.raises(Forbidden):
        offers.save(session, counsellor, None, {"code": "x1"})


def test_an_admin_adds_changes_and_removes_an_offer(session: Session, make_counsellor) -> None:  # type: ignore[no-untyped-def]
    ada = admin(make_counsellor)
    values = {"code": "nt2-aalst", "offer_type": "dutch_second_language", "name": "NT2 Aalst",
              "provider": "Huis van het Nederlands", "region": "east_flanders",
              "postal_code": "9300", "municipality": "Aalst", "phone": "053 77 88 99",
              "email": "nt2@example.be", "languages": "nl, fr ar"}  # fmt: skip
    offer = offers.save(session, ada, None, values)
    assert offer.languages == ["nl", "fr", "ar"] and offer.phone == "+3253778899"
    with pytest.raises(ValidationFailed) as raised:
        offers.save(session, ada, None, values)
    assert "already has the code" in raised.value.errors["code"]
    with pytest.raises(Conflict):
        offers.save(session, ada, offer.id, values, version=offer.version + 1)
    offers.delete(session, ada, offer.id)
    assert session.get(Offer, offer.id) is None


def test_suggestions_put_the_type_in_the_client_s_province_first(
    session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna"))
    offer_catalogue.load_sample(session)
    client = clients.create_client(session, {"given_name": "Amina", "family_name": "B", "postal_code": "3500"},
                                   referent_id=anna.counsellor_id, actor=anna)  # fmt: skip
    found = offers.suggestions(session, client, OfferType.BASIC_ICT)
    assert found[0].region == "limburg" and found[0].offer_type == "basic_ict"
    same_type = [o for o in found if o.offer_type == "basic_ict"]
    assert (
        found[: len(same_type)] == same_type
    )  # the type first, everywhere, then the province's others
    assert all(o.offer_type == "basic_ict" or o.region == "limburg" for o in found)
