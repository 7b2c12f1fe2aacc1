"""The organisation's letterhead on referral letters: its name (the organisation setting made
at set-up), postal address, phone, e-mail and logo. Stored as organisation settings that
`org_settings.update` checks and audits; the logo is a small PNG or JPEG kept in the database
as base64, so letters look the same on every laptop of the organisation."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.services import validation as v
from app.services.contact.contact_policy import Spec

ADDRESS = "letterhead_address"
PHONE = "letterhead_phone"
EMAIL = "letterhead_email"
LOGO = "letterhead_logo"
LOGO_MAX_BYTES = 512 * 1024
_IMAGE_HEADERS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


@dataclass(frozen=True)
class Letterhead:
    organisation: str
    address: tuple[str, ...]
    phone: str  # as people read it
    email: str
    logo: bytes | None


def _address(label: str, value: Any) -> str:
    lines = [" ".join(line.split()) for line in str(value or "").replace(";", "\n").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > 4 or any(len(line) > 100 for line in lines):
        raise ValueError(
            _("{setting}: at most 4 lines of at most 100 characters.").format(setting=label)
        )
    return "\n".join(lines)


def _phone(label: str, value: Any) -> str:
    try:
        return v.phone("phone", str(value or "")) or ""
    except v.FieldInvalid as exc:
        raise ValueError(v.labelled(label, str(exc).split(": ", 1)[-1])) from None


def _email(label: str, value: Any) -> str:
    try:
        return v.email(str(value or "")) or ""
    except v.FieldInvalid as exc:
        raise ValueError(v.labelled(label, str(exc).split(": ", 1)[-1])) from None


def _logo(label: str, value: Any) -> str:
    """Base64 of a PNG or JPEG (bytes are encoded here; text must already be base64)."""
    if not value:
        return ""
    try:
        data = value if isinstance(value, bytes) else base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(
            _("{setting}: choose a PNG or JPEG image.").format(setting=label)
        ) from None
    if not data.startswith(_IMAGE_HEADERS):
        raise ValueError(_("{setting}: choose a PNG or JPEG image.").format(setting=label))
    if len(data) > LOGO_MAX_BYTES:
        raise ValueError(_("{setting}: the image is larger than {kb} kB; choose a smaller one.")
                         .format(setting=label, kb=LOGO_MAX_BYTES // 1024))  # fmt: skip
    return base64.b64encode(data).decode("ascii")


SPECS: dict[str, Spec] = {
    ADDRESS: Spec(N_("Letterhead address"), _address, ""),
    PHONE: Spec(N_("Letterhead phone"), _phone, ""),
    EMAIL: Spec(N_("Letterhead e-mail"), _email, ""),
    LOGO: Spec(N_("Letterhead logo"), _logo, ""),
}


def load(session: Session) -> Letterhead:
    from app.services import org_settings

    stored = partial(org_settings.stored_value, session)
    logo = stored(LOGO)
    return Letterhead(
        organisation=org_settings.get(session, org_settings.ORGANISATION_NAME),
        address=tuple(line for line in stored(ADDRESS).splitlines() if line),
        phone=v.display_phone(stored(PHONE) or None),
        email=stored(EMAIL),
        logo=base64.b64decode(logo) if logo else None,
    )
