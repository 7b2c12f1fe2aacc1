"""The agenda in a team: an overlap warning says who is double-booked (the counsellor or the
client) and names a client only to whom may open the file; a backup's agenda holds the
appointments of the clients they cover; a video appointment keeps its link and platform,
which reach the card and the calendar export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from sqlalchemy.orm import Session

from app.models import Appointment
from app.models.agenda_enums import AppointmentChannel as Chan
from app.models.agenda_enums import AppointmentPurpose as Purpose
from app.models.agenda_enums import VideoPlatform
from app.models.enums import AppointmentStatus, CounsellorRole
from app.services import org_settings
from app.services.caseload import assignments, clients
from app.services.clock import local_today
from app.services.contact import (
    appointment_card,
    appointment_overlaps,
    appointments,
    calendar_export,
    contact_policy,
)
from app.services.contact.appointments import Draft
from app.services.errors import ValidationFailed
from tests.helpers import actor

pytestmark = pytest.mark.both_backends

BXL = ZoneInfo("Europe/Brussels")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=BXL)


@pytest.fixture
def team(session: Session, make_counsellor: Any) -> dict[str, Any]:
    ann, bert = make_counsellor("ann", "Ann Aerts"), make_counsellor("bert", "Bert Claes")
    ann.role = CounsellorRole.ADMIN  # sets the calendar policy below; a counsellor otherwise
    session.commit()
    people = {"ann": actor(ann), "bert": actor(bert)}

    def client(who: str, given: str, family: str) -> int:
        made = clients.create_client(session, {"given_name": given, "family_name": family},
                                     actor=people[who], referent_id=people[who].counsellor_id)  # fmt: skip
        return made.id

    ids = {"amira": client("ann", "Amira", "Haddad"), "olena": client("ann", "Olena", "Petrenko"),
           "jan": client("bert", "Jan", "Peeters")}  # fmt: skip
    session.commit()
    return {**people, **ids}


def plan(session: Session, who: Any, client_id: int, start: dt.datetime, counsellor: Any = None,
         minutes: int = 60, **kw: Any) -> Appointment:  # fmt: skip
    by = (counsellor or who).counsellor_id
    made = appointments.plan(session, who, Draft(client_id, by, start, minutes,
                                                 kw.pop("channel", Chan.PHONE), Purpose.FOLLOW_UP, **kw))  # fmt: skip
    session.commit()
    return made


def test_the_warning_says_the_counsellor_is_double_booked(session: Session, team: Any) -> None:
    ann = team["ann"]
    plan(session, ann, team["amira"], at(24, 10))
    later = Draft(team["olena"], ann.counsellor_id, at(24, 10, 30), 60, Chan.PHONE, Purpose.INTAKE)
    found = appointment_overlaps.overlaps(session, later, actor=ann)
    assert [(o.who, o.message) for o in found] == [
        ("counsellor", "You already have an appointment with Amira Haddad from 10:00 to 11:00.")
    ]
    # a cancelled one frees the time
    appointments.set_status(
        session, ann, found[0].appointment_id, AppointmentStatus.CANCELLED_BY_US
    )
    assert appointment_overlaps.overlaps(session, later, actor=ann) == []


def test_the_warning_says_the_client_is_double_booked_and_with_whom(
    session: Session, team: Any
) -> None:
    ann, bert = team["ann"], team["bert"]
    plan(session, ann, team["amira"], at(24, 10), counsellor=bert)  # Amira's test with Bert
    mine = Draft(
        team["amira"], ann.counsellor_id, at(24, 10, 15), 30, Chan.PHONE, Purpose.FOLLOW_UP
    )
    assert appointments.warnings(session, mine, actor=ann) == [
        "The client already has an appointment then, with Bert Claes, from 10:00 to 11:00."
    ]


def test_a_colleagues_client_is_not_named_to_who_may_not_open_the_file(
    session: Session, team: Any
) -> None:
    ann, bert = team["ann"], team["bert"]
    plan(session, ann, team["amira"], at(24, 10))
    # Bert plans Ann's intake with his own client Jan: Ann is busy, with whom is not his to know
    for_ann = Draft(team["jan"], ann.counsellor_id, at(24, 10), 60, Chan.PHONE, Purpose.INTAKE)
    assert [o.message for o in appointment_overlaps.overlaps(session, for_ann, actor=bert)] == [
        "Ann Aerts already has an appointment from 10:00 to 11:00."
    ]


def test_a_backup_sees_the_covered_clients_appointments_in_their_agenda(
    session: Session, team: Any
) -> None:
    ann, bert = team["ann"], team["bert"]
    today = local_today()
    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(10), tzinfo=BXL)
    covered = plan(session, ann, team["amira"], tomorrow)
    plan(session, ann, team["olena"], tomorrow + dt.timedelta(hours=2))  # not covered by Bert
    after = plan(session, ann, team["amira"], tomorrow + dt.timedelta(days=10))  # Ann is back
    own = plan(session, bert, team["jan"], tomorrow)
    assignments.set_backup(session, team["amira"], bert.counsellor_id, actor=ann,
                           until=today + dt.timedelta(days=7), on=today)  # fmt: skip
    session.commit()
    start, end = tomorrow - dt.timedelta(days=1), tomorrow + dt.timedelta(days=14)
    seen = appointments.agenda(session, bert, bert.counsellor_id, start, end, covered=True)
    assert [(i.id, i.covering_for) for i in seen] == [(covered.id, "Ann Aerts"), (own.id, None)]
    assert after.id not in [i.id for i in seen]
    # his export and his plain agenda stay his own
    assert [i.id for i in appointments.agenda(session, bert, bert.counsellor_id, start, end)] == [
        own.id
    ]
    # the service lets the backup mark it, as the referent would
    appointments.set_status(session, bert, covered.id, AppointmentStatus.DONE)
    session.commit()
    assignments.end_backup(session, team["amira"], actor=ann, on=today)
    session.commit()
    again = appointments.agenda(session, bert, bert.counsellor_id, start, end, covered=True)
    assert [i.id for i in again] == [own.id]


def test_a_video_link_is_checked_and_kept_with_its_platform(session: Session, team: Any) -> None:
    ann = team["ann"]
    for wrong in ("meet.jit.si/traject-42", "ftp://example.org/x", "https://exa mple.org"):
        with pytest.raises(ValidationFailed) as refused:
            plan(session, ann, team["amira"], at(24, 10), channel=Chan.VIDEO, video_link=wrong)
        assert refused.value.errors["video_link"].startswith("Video link: paste the whole address")
    with pytest.raises(ValidationFailed) as refused:
        plan(session, ann, team["amira"], at(24, 10), channel=Chan.VIDEO, video_platform="skype")
    assert refused.value.errors == {
        "video_platform": "Video platform: choose one of the listed platforms."
    }
    assert appointments.for_client(session, team["amira"]) == []  # nothing half-saved
    zoom = plan(session, ann, team["amira"], at(24, 10), channel=Chan.VIDEO,
                video_link=" https://us02web.zoom.us/j/8123456789 ")  # fmt: skip
    assert (zoom.video_link, zoom.video_platform) == (
        "https://us02web.zoom.us/j/8123456789",
        VideoPlatform.ZOOM,
    )
    whatsapp = plan(session, ann, team["olena"], at(24, 14), channel=Chan.VIDEO,
                    video_platform=VideoPlatform.WHATSAPP)  # fmt: skip
    assert (whatsapp.video_link, whatsapp.video_platform) == (None, VideoPlatform.WHATSAPP)
    by_phone = plan(session, ann, team["olena"], at(25, 14), channel=Chan.PHONE,
                    video_link="https://meet.jit.si/x", video_platform=VideoPlatform.JITSI)  # fmt: skip
    assert (by_phone.video_link, by_phone.video_platform) == (None, None)


def test_the_link_is_on_the_card_and_in_the_calendar(
    session: Session, team: Any, tmp_path: Path
) -> None:
    ann = team["ann"]
    link = "https://meet.jit.si/traject-intake-42"
    made = plan(session, ann, team["amira"], at(24, 10), channel=Chan.VIDEO, video_link=link)
    card = tmp_path / "card.pdf"
    appointment_card.write(session, ann, made.id, card, language="en")
    text = " ".join((page.extract_text() or "") for page in PdfReader(str(card)).pages)
    assert "A video call with Jitsi Meet." in text and link in text
    assert "open this link" in text
    data, count = calendar_export.export(session, ann, ann.counsellor_id, dt.date(2026, 11, 23),
                                         dt.date(2026, 11, 25))  # fmt: skip
    session.commit()
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert count == 1 and str(event["url"]) == link and str(event["location"]) == link
    assert (
        str(event["description"])
        == f"Channel: Video call\nPlatform: Jitsi Meet\nVideo link: {link}"
    )


def test_a_link_that_names_the_client_stays_out_of_the_calendar_unless_names_are_allowed(
    session: Session, team: Any
) -> None:
    ann = team["ann"]
    link = "https://meet.jit.si/amira-haddad"
    plan(session, ann, team["amira"], at(24, 10), channel=Chan.VIDEO, video_link=link)

    def exported() -> Any:
        data, _count = calendar_export.export(session, ann, ann.counsellor_id,
                                              dt.date(2026, 11, 23), dt.date(2026, 11, 25))  # fmt: skip
        session.commit()
        return icalendar.Calendar.from_ical(data).walk("VEVENT")[0]

    hidden = exported()
    assert "url" not in hidden and "haddad" not in hidden.to_ical().decode().lower()
    assert "Video link: in Traject (it names the client)" in str(hidden["description"])
    org_settings.update(session, {contact_policy.CALENDAR_CLIENT_NAMES: "yes"}, actor=ann)
    session.commit()
    assert str(exported()["url"]) == link


def test_without_names_no_link_that_leads_to_the_client_reaches_the_calendar(
    session: Session, team: Any
) -> None:
    ann = team["ann"]
    clients.update_client(session, team["olena"], {"phone": "0470 12 34 56"}, actor=ann)
    li = clients.create_client(session, {"given_name": "Li", "family_name": "Wu"}, actor=ann,
                               referent_id=ann.counsellor_id).id  # fmt: skip
    session.commit()
    links = {
        23: (team["olena"], "https://wa.me/32470123456"),  # WhatsApp: the client's phone
        24: (team["olena"], "https://api.whatsapp.com/send?phone=32470999999"),
        25: (team["olena"], "https://meet.example.org/room-0470-12-34-56"),  # national form
        26: (li, "https://meet.jit.si/LI-room-8841"),  # a two-letter name, in capitals
        27: (team["olena"], "https://meet.jit.si/pétrenkO-intake"),  # accents aside
    }
    for day, (client, link) in links.items():
        plan(session, ann, client, at(day, 10), channel=Chan.VIDEO, video_link=link)
    kept = plan(session, ann, team["olena"], at(30, 10), channel=Chan.VIDEO,
                video_link="https://meet.jit.si/traject-intake-77")  # fmt: skip
    data, count = calendar_export.export(session, ann, ann.counsellor_id, dt.date(2026, 11, 23),
                                         dt.date(2026, 11, 30))  # fmt: skip
    session.commit()
    found = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert count == 6
    ical = data.decode()
    for hidden in found[:5]:
        assert "url" not in hidden and "location" not in hidden
    for link in ("wa.me", "whatsapp", "470123456", "0470-12", "LI-room", "trenkO"):
        assert link not in ical.replace("\r\n ", "")
    assert [str(e["description"]).splitlines()[-1] for e in found[:5]] == [
        "Video link: in Traject (it leads to the client's phone number)"] * 3 + [
        "Video link: in Traject (it names the client)"] * 2  # fmt: skip
    assert str(found[5]["url"]) == kept.video_link  # a link that says nothing of the client


TEAMS = ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ5ZTk4YzEtYmE2Yi00ZDU1LWJmNTAt"
         "YzU4ZjJkNjI1MzI3%40thread.v2/0?context=%7b%22Tid%22%3a%22abc%22%7d")  # fmt: skip


@pytest.mark.parametrize("language", ["ar", "nl", "uk"])
def test_a_long_link_is_printed_whole_within_the_page_in_every_language(
    session: Session, team: Any, tmp_path: Path, language: str
) -> None:
    ann = team["ann"]
    made = plan(session, ann, team["amira"], at(24, 10), channel=Chan.VIDEO, video_link=TEAMS)
    card = tmp_path / "card.pdf"
    appointment_card.write(session, ann, made.id, card, language=language)
    (page,) = PdfReader(str(card)).pages
    placed: list[tuple[str, float, float]] = []  # text, x, font size

    def seen(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            placed.append((text, tm[4] * cm[0] + cm[4], size * tm[0] * cm[0]))

    text = page.extract_text(visitor_text=seen)
    assert TEAMS in "".join(text.split())  # the whole link, in its order, over a few lines
    width = float(page.mediabox.width)
    link_bits = [(t, x, s) for t, x, s in placed if t.strip() and t.strip() in TEAMS]
    assert link_bits
    ends = [x + stringWidth(t, "TrajectSans", s) for t, x, s in link_bits]
    assert min(x for _t, x, _s in link_bits) >= 0 and max(ends) <= width, (link_bits, width)


def test_a_link_breaks_after_its_separators_and_keeps_every_character() -> None:
    from app.services.documents.fonts import register_fonts

    register_fonts()
    lines = appointment_card.link_lines(TEAMS, "TrajectSans", 13, 300)
    assert "".join(lines) == TEAMS and len(lines) > 1
    assert lines[0] == "https://teams.microsoft.com/l/meetup-join/"
