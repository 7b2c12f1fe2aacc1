"""A realistic synthetic caseload for demos, tests and benchmarks (`traject demo`).

Deterministic per (seed, reference date): names in many scripts from
resources/demo/population.json, valid Belgian national numbers and Dutch BSNs, valid phone
numbers, counsellors with referent and backup histories, and their contacts, appointments
and intake results (`demo_activity`). Rows go in with bulk inserts;
the derived search columns are computed with the same functions the models use.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Assignment, Client, Counsellor
from app.models.enums import (
    AssignmentReason,
    AssignmentRole,
    ClientStatus,
    CounsellorRole,
    EducationLevel,
    EmailStatus,
    EmploymentSituation,
)
from app.models.people import client_search_text, client_sort_name
from app.models.text import fold
from app.package_data import resources
from app.services import org_settings
from app.services.demo import file_details
from app.services.demo import referrals as demo_referrals
from app.services.demo.activity import ActivityMaker
from app.services.errors import ServiceError
from app.services.referrals import letterhead, offer_catalogue
from app.services.validation import province_for_postal_code

POPULATION_FILE = resources() / "demo" / "population.json"
CLIENTS_PER_COUNSELLOR = 150
BATCH = 5000

_EMPLOYMENT = [
    (EmploymentSituation.UNEMPLOYED, 55), (EmploymentSituation.ZERO_HOURS_CONTRACT, 8),
    (EmploymentSituation.TEMPORARY_CONTRACT, 8), (EmploymentSituation.PART_TIME, 6),
    (EmploymentSituation.LOST_INCOME, 6), (EmploymentSituation.IN_TRAINING, 7),
    (EmploymentSituation.EMPLOYED, 3), (EmploymentSituation.SELF_EMPLOYED, 2),
    (EmploymentSituation.UNKNOWN, 5),
]  # fmt: skip
_STATUS = [(ClientStatus.ACTIVE, 80), (ClientStatus.PAUSED, 8), (ClientStatus.CLOSED, 12)]
_NO_EMAIL = [
    (EmailStatus.UNKNOWN, 40), (EmailStatus.VIA_SUPPORT_PERSON, 25),
    (EmailStatus.WITHOUT_EMAIL_TRAINING, 25), (EmailStatus.WITHOUT_EMAIL_UNABLE, 10),
]  # fmt: skip


@dataclass(frozen=True)
class DemoSummary:
    clients: int
    counsellors: int
    assignments: int
    contacts: int = 0
    appointments: int = 0
    script_runs: int = 0


def load_population() -> dict[str, Any]:
    with POPULATION_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    for origin in data["origins"]:
        for key in ("id", "weight", "languages", "male", "female", "family", "dutch"):
            if key not in origin:
                raise ServiceError(f"{POPULATION_FILE}: origin {origin.get('id')!r} lacks {key!r}")
    return data


def _weighted(rng: random.Random, table: list[tuple[Any, int]]) -> Any:
    return rng.choices([item for item, _w in table], weights=[w for _i, w in table])[0]


def belgian_national_number(birth: dt.date, serial: int) -> str:
    """A valid national register number: yymmdd + serial + check digits (97-modulus)."""
    base = f"{birth:%y%m%d}{serial:03d}"
    prefixed = ("2" + base) if birth.year >= 2000 else base
    return f"{base}{97 - int(prefixed) % 97:02d}"


def dutch_bsn(rng: random.Random) -> str:
    """A valid BSN (eleven test: weights 9..2 and -1)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _i in range(7)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def _phone(rng: random.Random, country: str) -> str:
    if country == "NL":
        return f"+316{rng.choice('12345')}{rng.randint(1_000_000, 9_999_999)}"
    return f"+324{rng.choice('789')}{rng.randint(0, 9)}{rng.randint(100_000, 999_999)}"


def _email_local(given: str, family: str, rng: random.Random) -> str:
    local = ".".join(w for w in (fold(given), fold(family)) if w.isascii() and w)
    local = "".join(ch for ch in local.replace(" ", "") if ch.isalnum() or ch == ".")
    return (local or "client") + str(rng.randint(1, 999))


def _counsellors(
    rng: random.Random, pop: dict[str, Any], n: int, first_id: int, taken: set[str]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen = set(taken)
    for i in range(n):
        given = rng.choice(pop["counsellor_given"])
        family = rng.choice(pop["counsellor_family"])
        login = fold(given[0] + family).replace(" ", "")
        while login in seen:
            login = f"{fold(given[0] + family).replace(' ', '')}{len(seen) % 97 + i}"
        seen.add(login)
        rows.append(
            {
                "id": first_id + i, "login": login, "full_name": f"{given} {family}",
                "email": f"{login}@traject.example", "phone": f"+3225{rng.randint(100_000, 999_999)}",
                "office": rng.choice(pop["offices"]),
                "role": CounsellorRole.TEAM_LEAD if i % 12 == 0 else CounsellorRole.COUNSELLOR,
                "active": True, "version": 1, "created_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            }
        )  # fmt: skip
    return rows


def _history(
    rng: random.Random, client_id: int, created: dt.date, today: dt.date, n_counsellors: int
) -> Iterator[dict[str, Any]]:
    """Referent periods from dispatch to today, plus absence-cover backups."""
    start, referent = created, rng.randint(1, n_counsellors)
    reason = AssignmentReason.DISPATCH
    changes = _weighted(rng, [(0, 60), (1, 28), (2, 9), (3, 3)])
    for _i in range(changes + 1):
        remaining = (today - start).days
        end = None
        if _i < changes and remaining > 30:
            end = start + dt.timedelta(days=rng.randint(15, remaining - 1))
        yield _assignment(client_id, referent, AssignmentRole.REFERENT, reason, start, end)
        if end is None:
            break
        if rng.random() < 0.25 and (end - start).days > 40:
            cover = start + dt.timedelta(days=rng.randint(1, (end - start).days - 30))
            yield _assignment(client_id, rng.randint(1, n_counsellors), AssignmentRole.BACKUP,
                              AssignmentReason.ABSENCE_COVER, cover,
                              cover + dt.timedelta(days=rng.randint(7, 28)))  # fmt: skip
        start, reason = (
            end,
            _weighted(
                rng,
                [(AssignmentReason.REASSIGNMENT, 80), (AssignmentReason.SPECIALISED_SERVICE, 20)],
            ),
        )
        referent = referent % n_counsellors + 1 if n_counsellors > 1 else referent
    if rng.random() < 0.03:  # a colleague covers right now
        cover_from = today - dt.timedelta(days=rng.randint(0, 10))
        backup = referent % n_counsellors + 1
        if backup != referent and cover_from >= start:
            yield _assignment(client_id, backup, AssignmentRole.BACKUP,
                              AssignmentReason.ABSENCE_COVER, cover_from,
                              today + dt.timedelta(days=rng.randint(3, 30)))  # fmt: skip


def _assignment(client_id: int, counsellor_id: int, role: AssignmentRole,
                reason: AssignmentReason, starts: dt.date, ends: dt.date | None) -> dict[str, Any]:  # fmt: skip
    return {
        "client_id": client_id, "counsellor_id": counsellor_id, "role": role, "reason": reason,
        "starts_on": starts, "ends_on": ends, "version": 1,
        "created_at": dt.datetime.combine(starts, dt.time(9), tzinfo=dt.UTC),
    }  # fmt: skip


def _client(rng: random.Random, pop: dict[str, Any], cid: int, today: dt.date,
            serials: dict[dt.date, int]) -> dict[str, Any]:  # fmt: skip
    origin = rng.choices(pop["origins"], weights=[o["weight"] for o in pop["origins"]])[0]
    female = rng.random() < 0.5
    given = rng.choice(origin["female" if female else "male"])
    index = rng.randrange(len(origin["family"]))
    family = (
        (origin.get("family_female") or origin["family"])[index]
        if female
        else origin["family"][index]
    )
    if rng.random() < 0.04:  # a double family name, as long names happen
        family = f"{family}-{rng.choice(origin['family'])}"
    country = origin.get("country", "BE")
    birth = today - dt.timedelta(days=rng.randint(18 * 365, 64 * 365))
    created = today - dt.timedelta(days=rng.randint(0, 6 * 365))
    created = max(created, birth + dt.timedelta(days=18 * 365))
    if country == "BE":
        serials[birth] = serials.get(birth, 0) + 1
        serial = serials[birth] * 2 - (0 if female else 1)
        number = belgian_national_number(birth, serial % 997 + 1 if serial > 997 else serial)
        postal, municipality = rng.choice(pop["places_be"])
    else:
        number = dutch_bsn(rng)
        postal, municipality = rng.choice(pop["places_nl"])
    phone = _phone(rng, country)
    email = None
    if rng.random() < 0.6:
        domain = "example.nl" if country == "NL" else rng.choice(["example.be", "example.com"])
        email = f"{_email_local(given, family, rng)}@{domain}"
    status = _weighted(rng, _STATUS)
    dossier = f"T-{created.year}-{cid:06d}"
    stamp = dt.datetime.combine(created, dt.time(10), tzinfo=dt.UTC)
    others = [code for code in origin.get("other_languages", []) if rng.random() < 0.5]
    return {
        "id": cid, "dossier": dossier, "given_name": given, "family_name": family,
        "birth_date": birth, "national_number": number, "national_number_country": country,
        "phone": phone, "phone_alt": None, "email": email,
        "email_status": EmailStatus.HAS_EMAIL if email else _weighted(rng, _NO_EMAIL),
        "street": rng.choice(pop["streets"]), "house_number": str(rng.randint(1, 250)),
        "postal_code": postal, "municipality": municipality, "country": country,
        "province": province_for_postal_code(postal) if country == "BE" else None,
        "contact_language": rng.choice(origin["languages"]), "other_languages": others,
        "dutch_level": rng.choice(origin["dutch"]),
        "education_level": rng.choice(list(EducationLevel)),
        "diploma_recognition": "not_applicable", "profession": rng.choice(pop["professions"]),
        "desired_occupation": rng.choice(pop["professions"]),
        "employment_situation": _weighted(rng, _EMPLOYMENT), "status": status,
        "closed_on": today - dt.timedelta(days=rng.randint(0, 400)) if status == ClientStatus.CLOSED else None,
        "created_at": stamp, "updated_at": stamp, "version": 1,
        "sort_name": client_sort_name(family, given),
        "search_text": client_search_text(dossier=dossier, given_name=given, family_name=family,
                                          email=email, phones=[phone]),
    }  # fmt: skip


def _letterhead(session: Session) -> None:
    """An invented organisation for the letters of a demo (a real one sets its own)."""
    if not org_settings.get(session, org_settings.ORGANISATION_NAME):
        org_settings.put(session, org_settings.ORGANISATION_NAME, "Traject demo – Werkwinkel Gent")
    for key, value in ((letterhead.ADDRESS, "Kortrijksesteenweg 1\n9000 Gent"),
                       (letterhead.PHONE, "+3292100000"), (letterhead.EMAIL, "werkwinkel@example.be")):  # fmt: skip
        if not org_settings.get(session, key):
            org_settings.put(session, key, value)


def generate(
    session: Session,
    clients: int,
    *,
    seed: int = 1,
    today: dt.date,
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Fill an empty database with `clients` synthetic clients; the caller commits."""
    if clients < 1:
        raise ServiceError(_("The number of clients must be at least 1."))
    existing = session.scalar(select(func.count()).select_from(Client)) or 0
    if existing:
        raise ServiceError(
            _("This database already holds {count} clients; a demo needs an empty one "
              "(use a new --db).").format(count=existing)
        )  # fmt: skip
    rng = random.Random(seed)
    pop = load_population()
    # accounts already there (the one who set up an encrypted database) get clients too
    accounts = list(session.scalars(select(Counsellor.id).where(Counsellor.active.is_(True))))
    taken = set(session.scalars(select(Counsellor.login)))
    first_id = (session.scalar(select(func.max(Counsellor.id))) or 0) + 1
    colleagues = _counsellors(rng, pop, max(4, clients // CLIENTS_PER_COUNSELLOR), first_id, taken)
    session.execute(insert(Counsellor), colleagues)
    pool = accounts + [row["id"] for row in colleagues]  # _history numbers them 1..n
    n_counsellors = len(pool)
    serials: dict[dt.date, int] = {}
    n_assignments = 0
    activity = ActivityMaker(session, rng, today)
    all_referents: dict[int, int] = {}
    for first in range(1, clients + 1, BATCH):
        batch = [
            _client(rng, pop, cid, today, serials)
            for cid in range(first, min(first + BATCH, clients + 1))
        ]
        for client in batch:
            client.update(file_details.intake(client, seed))
        history = [
            row
            for client in batch
            for row in _history(
                rng, client["id"], client["created_at"].date(), today, n_counsellors
            )
        ]
        for row in history:
            row["counsellor_id"] = pool[row["counsellor_id"] - 1]
        session.execute(insert(Client), batch)
        session.execute(insert(Assignment), history)
        n_assignments += len(history)
        referents = {row["client_id"]: row["counsellor_id"] for row in history
                     if row["role"] == AssignmentRole.REFERENT and row["ends_on"] is None}  # fmt: skip
        activity.add(batch, referents)
        file_details.points_and_tests(session, batch, referents, seed, today)
        all_referents.update(referents)
        if progress is not None:
            progress(first + len(batch) - 1)
    org_settings.put(session, org_settings.NATIONAL_NUMBER_ENABLED, "1")  # demo numbers are valid
    offer_catalogue.load_sample(session)
    _letterhead(session)
    demo_referrals.add(session, rng, today, all_referents)
    session.execute(text("ANALYZE"))  # fresh statistics after a bulk load; the planner needs them
    return DemoSummary(clients=clients, counsellors=len(colleagues), assignments=n_assignments,
                       contacts=activity.counts["contacts"], script_runs=activity.counts["runs"],
                       appointments=activity.counts["appointments"])  # fmt: skip
