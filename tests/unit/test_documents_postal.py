"""Client documents other than letters write phone numbers the national way and addresses as
the post writes them: the appointment card (a home visit, a phone appointment) and the
readable data export."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.services.caseload import clients
from app.services.contact import appointment_card, appointments
from app.services.contact.appointments import Draft
from app.services.privacy import gdpr
from app.services.privacy.export_pdf import write_export_pdf
from tests.helpers import actor

START = dt.datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Europe/Brussels"))


def lines_of(path: Path) -> list[str]:
    reader = PdfReader(str(path))
    text = unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]


def test_card_and_export_write_numbers_and_addresses_as_people_read_them(
    session: Session, make_counsellor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    person = make_counsellor("ann", "Ann Peeters")
    person.phone = "+3225749078"
    who = actor(person)
    client = clients.create_client(session, {
        "given_name": "Jan", "family_name": "Peeters", "contact_language": "nl",
        "street": "Kerkstraat", "house_number": "7", "postal_code": "4811 AB",
        "municipality": "Breda", "country": "NL", "phone": "+31 76 123 4567"},
        actor=who, referent_id=who.counsellor_id)  # fmt: skip
    visit = appointments.plan(session, who, Draft(client.id, who.counsellor_id, START, 60,
                                                  AppointmentChannel.HOME_VISIT, AppointmentPurpose.FOLLOW_UP))  # fmt: skip
    card = tmp_path / "visit.pdf"
    appointment_card.write(session, who, visit.id, card)
    lines = lines_of(card)
    at = lines.index("Kerkstraat 7")
    assert lines[at + 1 : at + 3] == ["4811 AB Breda", "Nederland"]  # the country: not ours
    assert "02 574 90 78" in lines and "+3225749078" not in " ".join(lines)
    call = appointments.plan(session, who, Draft(client.id, who.counsellor_id, START + dt.timedelta(days=1), 30,
                                                 AppointmentChannel.PHONE, AppointmentPurpose.FOLLOW_UP))  # fmt: skip
    appointment_card.write(session, who, call.id, card)
    assert any("+31 76 123 4567" in line for line in lines_of(card))  # a foreign number
    session.commit()
    export = tmp_path / "export.pdf"
    write_export_pdf(gdpr.export_data(session, who, client.id), export, "nl")
    text = " ".join(lines_of(export))
    assert "Kerkstraat 7 4811 AB Breda Nederland" in text
    assert "+31 76 123 4567" in text
