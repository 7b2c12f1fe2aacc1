"""The permanence desk's queue and summary, the client timeline merging every kind of entry,
and the appointment card in the client's language with metadata that names no one."""

from __future__ import annotations

import datetime as dt
import unicodedata
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.models.agenda_enums import (
    AppointmentChannel,
    AppointmentPurpose,
    DeskKind,
    VisitCategory,
    VisitOutcome,
)
from app.models.base import utcnow
from app.models.enums import ContactChannel
from app.services.caseload import clients, timeline
from app.services.contact import appointment_card, appointments, contacts, permanence
from app.services.contact.appointments import Draft
from app.services.errors import ValidationFailed
from tests.helpers import actor

pytestmark = pytest.mark.both_backends

T0 = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def test_a_desk_session_with_three_visitors(session: Session, make_counsellor: Any) -> None:
    referent = actor(make_counsellor("ann"))
    known = clients.create_client(session, {"given_name": "Yusuf", "family_name": "Demir"},
                                  actor=referent, referent_id=referent.counsellor_id)  # fmt: skip
    desk_worker = actor(make_counsellor("bob"))  # not Yusuf's referent
    desk = permanence.open_desk(session, desk_worker, DeskKind.WALK_IN, "Contactpunt Gent")
    a = permanence.add_visitor(session, desk_worker, desk.id, name="Yusuf Demir", language="tr",
                               category=VisitCategory.JOB_SEARCH, arrived_at=minutes(0))  # fmt: skip
    permanence.add_visitor(session, desk_worker, desk.id, language="ar",
                           category=VisitCategory.DUTCH_COURSE, arrived_at=minutes(2))  # fmt: skip
    permanence.add_visitor(session, desk_worker, desk.id, name="Olena", language="uk",
                           category=VisitCategory.JOB_SEARCH, arrived_at=minutes(5))  # fmt: skip
    assert [v.visitor_name for v in permanence.waiting(session, desk.id)] == [
        "Yusuf Demir",
        None,
        "Olena",
    ]
    first = permanence.call_next(session, desk_worker, desk.id, now=minutes(4))
    assert first is not None and first.id == a.id
    with pytest.raises(ValidationFailed):  # one at a time
        permanence.call_next(session, desk_worker, desk.id, now=minutes(5))
    found = permanence.find_clients(session, "demir")
    assert [row.id for row in found] == [known.id]
    permanence.finish(session, desk_worker, a.id, outcome=VisitOutcome.APPOINTMENT_MADE,
                      client_id=known.id, now=minutes(14))  # fmt: skip
    second = permanence.call_next(session, desk_worker, desk.id, now=minutes(14))
    assert second is not None
    newcomer = permanence.register(session, desk_worker, given_name="Noor", family_name="Haddad",
                                   phone="0470 12 34 56", contact_language="ar")  # fmt: skip
    permanence.finish(session, desk_worker, second.id, outcome=VisitOutcome.REFERRED,
                      client_id=newcomer.id, now=minutes(20))  # fmt: skip
    third = permanence.call_next(session, desk_worker, desk.id, now=minutes(20))
    assert third is not None
    permanence.finish(
        session, desk_worker, third.id, outcome=VisitOutcome.ANSWERED, now=minutes(26)
    )
    summary = permanence.close_desk(session, desk_worker, desk.id)
    session.commit()
    assert (summary.visitors, summary.served, summary.left_unserved) == (3, 3, 0)
    assert summary.median_wait_minutes == 12 and summary.longest_wait_minutes == 15
    assert summary.categories == {VisitCategory.JOB_SEARCH: 2, VisitCategory.DUTCH_COURSE: 1}
    assert summary.languages == {"tr": 1, "ar": 1, "uk": 1}
    assert summary.outcomes == {
        VisitOutcome.APPOINTMENT_MADE: 1,
        VisitOutcome.REFERRED: 1,
        VisitOutcome.ANSWERED: 1,
    }
    logged = contacts.history(session, known.id)
    assert [(c.channel, c.reached, c.duration_minutes) for c in logged] == [
        (ContactChannel.PERMANENCE, True, 10)
    ]
    assert permanence.waiting(session, desk.id) == []
    assert all(
        v.visitor_name is None for v in session.query(permanence.DeskVisit)
    )  # names forgotten


def test_timeline_merges_newest_first(session: Session, make_counsellor: Any) -> None:
    who = actor(make_counsellor("ann"))
    made = clients.create_client(session, {"given_name": "Ana", "family_name": "Silva"},
                                 actor=who, referent_id=who.counsellor_id)  # fmt: skip
    now = utcnow()
    for n in range(1000):
        contacts.log(session, who, made.id, channel="phone", outcome="no_answer" if n % 3 else "reached",
                     occurred_at=now - dt.timedelta(hours=n + 1))  # fmt: skip
    timeline.add_note(session, who, made.id, "Wil graag in de zorg werken.")
    appointments.plan(session, who, Draft(made.id, who.counsellor_id, now + dt.timedelta(days=2), 30,
                                          AppointmentChannel.VIDEO, AppointmentPurpose.INTAKE))  # fmt: skip
    session.commit()
    entries = timeline.entries(session, who, made.id)
    assert len(entries) == 1002
    assert [e.kind for e in entries[:2]] == [timeline.Kind.APPOINTMENT, timeline.Kind.NOTE]
    assert entries[1].detail == "Wil graag in de zorg werken."
    assert all(a.at >= b.at for a, b in pairwise(entries))
    assert entries[2].title == "→ Phone: Reached" and not entries[2].attention
    assert entries[3].attention  # a failed attempt stands out
    with pytest.raises(ValidationFailed):
        timeline.add_note(session, who, made.id, "   ")


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", ["Je afspraak", "Dinsdag 24 november 2026", "10:00 – 11:00", "Neem mee", "Anspachlaan 65"]),
    ("fr", ["Votre rendez-vous", "Mardi 24 novembre 2026", "10:00 – 11:00", "Apportez", "Anspachlaan 65"]),
    ("en", ["Your appointment", "Tuesday, 24 November 2026", "10:00 – 11:00", "Bring", "Anspachlaan 65"]),
    ("de", ["Ihr Termin", "Dienstag, 24. November 2026", "10:00 – 11:00", "Mitbringen", "Anspachlaan 65"]),
    # languages the interface does not speak: the card's texts are in the documents catalogs
    ("tr", ["Randevunuz", "24 Kasım 2026 Salı", "10:00 – 11:00", "Yanınızda getirin", "Ön görüşme"]),
    ("uk", ["Ваша зустріч", "Вівторок, 24 листопада 2026 р.", "10:00 – 11:00", "Візьміть із собою",
            "Первинна співбесіда"]),
    # right to left, the letters joined (vowel marks left out, as printed Arabic usually is);
    # the words come back in the order they were written
    ("ar", ["موعدك", "الثلاثاء، 24 نوفمبر 2026", "10:00 ص – 11:00 ص", "أحضر", "مقابلة الاستقبال"]),
])  # fmt: skip
def test_appointment_card_in_the_clients_language(session: Session, make_counsellor: Any, tmp_path: Path,
                                                  language: str, expected: list[str]) -> None:  # fmt: skip
    import json

    from app.models import OrgSetting
    from app.services.contact import contact_policy

    session.add(OrgSetting(key=contact_policy.CONTACT_POINTS, value=json.dumps(
        [{"name": "Contactpunt Brussel", "address": "Anspachlaan 65\n1000 Brussel"}])))  # fmt: skip
    person = make_counsellor("ann", "Ann Peeters")
    person.phone = "+3225001122"
    who = actor(person)
    made = clients.create_client(session, {"given_name": "Мирослава", "family_name": "Коваленко",
                                           "contact_language": language},
                                 actor=who, referent_id=who.counsellor_id)  # fmt: skip
    start = dt.datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Europe/Brussels"))
    appointment = appointments.plan(session, who, Draft(
        made.id, who.counsellor_id, start, 60, AppointmentChannel.IN_PERSON, AppointmentPurpose.INTAKE,
        location="Contactpunt Brussel"))  # fmt: skip
    target = tmp_path / "card.pdf"
    assert appointment_card.write(session, who, appointment.id, target) == language
    reader = PdfReader(target)
    content = unicodedata.normalize("NFKC", " ".join(page.extract_text() for page in reader.pages))
    for text in [*expected, "Мирослава Коваленко", "Ann Peeters", "02 500 11 22"]:
        assert text in content
    metadata = " ".join(str(v) for v in (reader.metadata or {}).values())
    assert "Коваленко" not in metadata and "Ann" not in metadata


@pytest.mark.parametrize("code", permanence.DESK_LANGUAGES)
def test_the_desk_accepts_every_language_it_offers(
    session: Session, make_counsellor: Any, code: str
) -> None:
    worker = actor(make_counsellor("desk"))
    desk = permanence.open_desk(session, worker, DeskKind.WALK_IN, "Werkwinkel Gent")
    visit = permanence.add_visitor(session, worker, desk.id, language=code, category="job_search")
    assert visit.language == code


def test_a_field_error_is_a_service_refusal_naming_the_field(
    session: Session, make_counsellor: Any
) -> None:
    """A field validator's error (a ValueError until now) escaped every `except ServiceError`."""
    worker = actor(make_counsellor("desk"))
    desk = permanence.open_desk(session, worker, DeskKind.WALK_IN, "Werkwinkel Gent")
    with pytest.raises(ValidationFailed) as refused:
        permanence.add_visitor(session, worker, desk.id, language="zz", category="job_search")
    assert list(refused.value.errors) == ["language"]
    assert refused.value.errors["language"].startswith("Language: ")
    with pytest.raises(ValidationFailed) as invalid:
        clients.create_client(session, {"given_name": "Nour", "family_name": "El Amrani",
                                        "contact_language": "klingon!"}, actor=worker, referent_id=worker.counsellor_id)  # fmt: skip
    assert "contact_language" in invalid.value.errors
