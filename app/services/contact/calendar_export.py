"""A counsellor's appointments as an iCalendar file that Outlook and Google Calendar open.

Times are written in Europe/Brussels with its VTIMEZONE, so a 10:00 appointment stays at
10:00 across a daylight-saving change. Each appointment keeps one UID for life (its id and the
database's installation id), so importing a newer export updates events rather than doubling
them; moved and cancelled ones are exported as cancelled. By default an event names the
dossier number only: a calendar synced to a phone leaks no client's name unless the
organisation allows names (setting `calendar_client_names`).

A video appointment's link is the event's URL and its LOCATION (calendar programs make it a
button to join), and its platform is in the description. Unless names are allowed, a link that
could tell who the client is stays out, and the description says the link is in Traject: one
that spells a part of the client's name (a Jitsi room "amira-haddad", "li-wu"), holds their
phone number, or is a WhatsApp link (which leads to a phone number).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Client, Counsellor, OrgSetting
from app.models.agenda_enums import AppointmentChannel, VideoPlatform
from app.models.base import utcnow
from app.models.enums import AppointmentStatus
from app.services.clock import DEFAULT_TIME_ZONE
from app.services.contact import appointments, contact_policy, video_links
from app.services.privacy.access import Actor

INSTALLATION_ID = "installation_id"
CANCELLED = (AppointmentStatus.CANCELLED_BY_CLIENT, AppointmentStatus.CANCELLED_BY_US,
             AppointmentStatus.MOVED)  # fmt: skip


def installation_id(session: Session) -> str:
    """This database's own random id (the domain of every UID); made once, kept for good."""
    row = session.get(OrgSetting, INSTALLATION_ID)
    if row is None:
        row = OrgSetting(key=INSTALLATION_ID, value=uuid.uuid4().hex)
        session.add(row)
        session.flush()
    return row.value


def uid(installation: str, appointment_id: int) -> str:
    return f"appointment-{appointment_id}@{installation}.traject"


def export(
    session: Session, actor: Actor, counsellor_id: int, start: dt.date, end: dt.date,
    *, tz: str = DEFAULT_TIME_ZONE,
) -> tuple[bytes, int]:  # fmt: skip
    """The iCalendar text of the counsellor's appointments from `start` to `end` (local days,
    both included) and how many events it holds. The caller commits (the installation id is
    made on the first export of an older database)."""
    import icalendar

    zone = ZoneInfo(tz)
    first = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    last = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    items = appointments.agenda(session, actor, counsellor_id, first, last, tz=tz)
    policy = contact_policy.load(session)
    installation = installation_id(session)
    counsellor = session.get(Counsellor, counsellor_id)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Traject//Traject agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add(
        "x-wr-calname", _("Traject agenda") + (f" — {counsellor.full_name}" if counsellor else "")
    )
    stamp = utcnow().replace(microsecond=0)
    phones = {} if policy.calendar_client_names else _phone_digits(session, items)
    for item in items:
        event = icalendar.Event()
        event.add("uid", uid(installation, item.id))
        event.add("dtstamp", stamp)
        event.add("sequence", item.version)
        event.add("dtstart", item.starts_at.astimezone(zone))
        event.add("dtend", item.ends_at.astimezone(zone))
        who = item.client_name if policy.calendar_client_names else item.dossier
        event.add("summary", f"{item.purpose.label} — {who}")
        point = policy.contact_point(item.location)
        link = item.video_link if item.channel == AppointmentChannel.VIDEO else None
        named = link is not None and not policy.calendar_client_names and _names(link, item)
        phoned = (link is not None and not policy.calendar_client_names
                  and _phone_link(link, phones.get(item.client_id)))  # fmt: skip
        hidden = named or phoned
        details = [_("Channel: {channel}").format(channel=item.channel.label)]
        if item.video_platform is not None and item.channel == AppointmentChannel.VIDEO:
            details.append(_("Platform: {platform}").format(platform=item.video_platform.label))
        if link is not None and not hidden:
            event.add("url", link)
            event.add("location", link)
            details.append(_("Video link: {link}").format(link=link))
        elif named:
            details.append(_("Video link: in Traject (it names the client)"))
        elif phoned:
            details.append(_("Video link: in Traject (it leads to the client's phone number)"))
        if link is None and point is not None:
            event.add("location", ", ".join(p for p in (point.name, point.address) if p))
        elif link is None and item.location:
            event.add("location", item.location)
        event.add("description", "\n".join(details))
        event.add("status", "CANCELLED" if item.status in CANCELLED else "CONFIRMED")
        event.add("categories", [item.channel.label])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical(), len(items)


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in plain if c.isalnum())


def _names(link: str, item: appointments.AgendaItem) -> bool:
    """Whether the link spells part of the client's name (any part of two letters or more:
    "Li Wu" too), case and accents aside."""
    spelled = _folded(link)
    return any(len(part) >= 2 and part in spelled
               for part in (_folded(word) for word in item.client_name.split()))  # fmt: skip


def _phone_digits(session: Session, items: list[appointments.AgendaItem]) -> dict[int, str]:
    """Each client's phone number without country code or leading 0 (470123456), in one query:
    found in a link in its national (0470…) and international (+32470…, 32470…) forms alike."""
    import phonenumbers

    ids = {item.client_id for item in items}
    found: dict[int, str] = {}
    for client_id, phone in session.execute(
        select(Client.id, Client.phone).where(Client.id.in_(ids), Client.phone.is_not(None))
    ):  # fmt: skip
        if not phone:
            continue
        try:
            number = str(phonenumbers.parse(phone, "BE").national_number)
        except phonenumbers.NumberParseException:
            number = re.sub(r"\D", "", phone).lstrip("0")
        if len(number) >= 6:
            found[client_id] = number
    return found


def _phone_link(link: str, phone: str | None) -> bool:
    """A WhatsApp link (wa.me, api.whatsapp.com, whatsapp.com), or one holding the client's
    phone number."""
    if video_links.platform_of(link) == VideoPlatform.WHATSAPP:
        return True
    return phone is not None and phone in re.sub(r"\D", "", link)
