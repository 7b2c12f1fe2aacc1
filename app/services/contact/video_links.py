"""A video appointment's link and platform: checked when the appointment is saved, and the
platform recognised from a pasted link.

The link may stay empty, for every platform: a WhatsApp video call has no link (the counsellor
calls the client's number), and a Teams or Zoom meeting is often made after the appointment;
the card then tells the client that the link follows. A link given is a whole web address
(https://, or http:// for an organisation's own server) without spaces."""

from __future__ import annotations

from urllib.parse import urlsplit

from app.i18n import _
from app.models.agenda_enums import VideoPlatform
from app.services.validation import (
    direction_controls_message,
    field_label,
    has_direction_controls,
    labelled,
)

MAX_LINK = 500

#: the host (or its ending) of each platform's meeting links
HOSTS: tuple[tuple[str, VideoPlatform], ...] = (
    ("teams.microsoft.com", VideoPlatform.TEAMS),
    ("teams.live.com", VideoPlatform.TEAMS),
    ("zoom.us", VideoPlatform.ZOOM),
    ("meet.google.com", VideoPlatform.GOOGLE_MEET),
    ("meet.jit.si", VideoPlatform.JITSI),
    ("webex.com", VideoPlatform.WEBEX),
    ("wa.me", VideoPlatform.WHATSAPP),
    ("whatsapp.com", VideoPlatform.WHATSAPP),
)


def platform_of(link: str | None) -> VideoPlatform | None:
    """The platform a link belongs to, when its host says so."""
    try:
        host = (urlsplit((link or "").strip()).hostname or "").lower()
    except ValueError:
        return None
    for known, platform in HOSTS:
        if host == known or host.endswith("." + known):
            return platform
    return None


def checked(link: str | None, platform: str | None) -> tuple[str | None, VideoPlatform | None,
                                                         dict[str, str]]:  # fmt: skip
    """The link and platform as stored, and the errors by field (empty when both are fine).
    A link without a chosen platform gets the one its host names."""
    errors: dict[str, str] = {}
    text = (link or "").strip() or None
    if text is not None:
        try:
            parts = urlsplit(text)
            well_formed = parts.scheme.lower() in ("https", "http") and bool(parts.hostname)
        except ValueError:  # an unbalanced [ in the host
            well_formed = False
        if has_direction_controls(text):
            errors["video_link"] = labelled(field_label("video_link"), direction_controls_message())
        elif not well_formed or any(c.isspace() or ord(c) < 32 or c == "\x7f" for c in text):
            errors["video_link"] = labelled(field_label("video_link"), _(
                "paste the whole address of the meeting, starting with https:// "
                "(for example https://meet.jit.si/…), or leave it empty."))  # fmt: skip
        elif len(text) > MAX_LINK:
            errors["video_link"] = labelled(field_label("video_link"), _(
                "an address this long cannot be right; keep it to {most} characters.")
                .format(most=MAX_LINK))  # fmt: skip
    chosen: VideoPlatform | None = None
    if platform not in (None, ""):
        try:
            chosen = VideoPlatform(platform)
        except ValueError:
            errors["video_platform"] = labelled(field_label("video_platform"),
                                                _("choose one of the listed platforms."))  # fmt: skip
    if chosen is None and not errors:
        chosen = platform_of(text)
    return text, chosen, errors
