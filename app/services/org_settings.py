"""Organisation settings kept in the database: whether national numbers are recorded and
exported, how long closed files are kept, the contact policy (`contact_policy`), the letterhead
and the dispatch rules of new dossiers (`team.dispatch_rules`). Administrators change them; each change is
audited with its new value (never personal data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.i18n import _
from app.models import OrgSetting
from app.models.enums import AuditAction
from app.services.errors import ValidationFailed
from app.services.privacy import access
from app.services.privacy.access import Actor

NATIONAL_NUMBER_ENABLED = "national_number_enabled"
EXPORT_NATIONAL_NUMBER = "export_national_number"
RETENTION_YEARS = "retention_years"
ORGANISATION_NAME = "organisation_name"
DEFAULT_RETENTION_YEARS = 5
RETENTION_RANGE = range(1, 31)


def get(session: Session, key: str, default: str = "") -> str:
    row = session.get(OrgSetting, key)
    return row.value if row is not None else default


def put(session: Session, key: str, value: str) -> None:
    row = session.get(OrgSetting, key)
    if row is None:
        session.add(OrgSetting(key=key, value=value))
    else:
        row.value = value
    session.flush()


@dataclass(frozen=True)
class Policy:
    """The settings an administrator manages, as the settings dialog and `traject settings`
    show them."""

    national_number_enabled: bool
    export_national_number: bool
    retention_years: int


def national_number_enabled(session: Session) -> bool:
    """Off unless the organisation has a legal basis and switched it on."""
    return get(session, NATIONAL_NUMBER_ENABLED, "0") == "1"


def export_national_number(session: Session) -> bool:
    """Exports, letters and PDFs leave the national number out unless this is on."""
    return get(session, EXPORT_NATIONAL_NUMBER, "0") == "1"


def retention_years(session: Session) -> int:
    value = get(session, RETENTION_YEARS, "")
    return int(value) if value.isdigit() else DEFAULT_RETENTION_YEARS


def policy(session: Session) -> Policy:
    return Policy(
        national_number_enabled=national_number_enabled(session),
        export_national_number=export_national_number(session),
        retention_years=retention_years(session),
    )


def _parsed(key: str, value: Any) -> str:
    """The stored form of one setting, or a message naming the field and the fix."""
    from app.services.contact import contact_policy

    if key in (NATIONAL_NUMBER_ENABLED, EXPORT_NATIONAL_NUMBER):
        return contact_policy.yes_no(setting_label(key), value)
    if key == RETENTION_YEARS:
        text = str(value).strip()
        if not text.isdigit() or int(text) not in RETENTION_RANGE:
            raise ValueError(
                _("{setting}: give a whole number of years from {low} to {high}.").format(
                    setting=setting_label(key), low=RETENTION_RANGE[0], high=RETENTION_RANGE[-1]
                )
            )
        return str(int(text))
    spec = _specs().get(key)
    if spec is not None:
        return str(spec.parse(_(spec.label), value))
    raise ValueError(
        _("{key} is not a setting; the settings are: {keys}.").format(
            key=key, keys=", ".join(all_settings())
        )
    )


def setting_label(key: str) -> str:
    labels = {
        NATIONAL_NUMBER_ENABLED: _("Record national numbers"),
        EXPORT_NATIONAL_NUMBER: _("National number in exports and letters"),
        RETENTION_YEARS: _("Keep closed files for (years)"),
    }
    if key in labels:
        return labels[key]
    spec = _specs().get(key)
    return _(spec.label) if spec is not None else key


def _specs() -> dict[str, Any]:
    """The settings other services own: the contact policy, the letterhead, dispatch rules."""
    from app.services.contact import contact_policy
    from app.services.referrals import letterhead
    from app.services.team import dispatch_rules

    return {**contact_policy.SPECS, **letterhead.SPECS, **dispatch_rules.SPECS}


SETTINGS = (NATIONAL_NUMBER_ENABLED, EXPORT_NATIONAL_NUMBER, RETENTION_YEARS)


def all_settings() -> tuple[str, ...]:
    """Every key `update` accepts: the privacy settings, the contact policy's, the letterhead's,
    the dispatch rules."""
    return SETTINGS + tuple(_specs())


def stored_value(session: Session, key: str) -> str:
    """A setting as it is stored ("1"/"0" for yes/no), its default when never set."""
    if key in SETTINGS:
        return _parsed(key, getattr(policy(session), key))  # its fields are named after the keys
    row = session.get(OrgSetting, key)
    return row.value if row is not None else str(_specs()[key].default)


def update(session: Session, changes: Mapping[str, Any], *, actor: Actor) -> list[str]:
    """Change settings (administrators only); every value is checked before any is stored.

    Returns the keys whose value changed; each change is audited with its new value. The
    caller commits. Exporting national numbers needs recording them switched on.
    """
    access.require_admin(actor)
    stored: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, value in changes.items():
        try:
            stored[key] = _parsed(key, value)
        except ValueError as exc:
            errors[key] = str(exc)
    recording = stored.get(
        NATIONAL_NUMBER_ENABLED, "1" if national_number_enabled(session) else "0"
    )
    if stored.get(EXPORT_NATIONAL_NUMBER) == "1" and recording == "0":
        errors[EXPORT_NATIONAL_NUMBER] = _(
            "{setting}: switch on “{needed}” first; only recorded numbers can be exported."
        ).format(
            setting=setting_label(EXPORT_NATIONAL_NUMBER),
            needed=setting_label(NATIONAL_NUMBER_ENABLED),
        )
    if errors:
        raise ValidationFailed(errors)
    if recording == "0" and export_national_number(session):
        stored[EXPORT_NATIONAL_NUMBER] = "0"  # nothing recorded, nothing to export
    from app.services.privacy import audit  # loaded when first needed, not at start-up

    changed = []
    for key, value in stored.items():
        if stored_value(session, key) == value:
            continue
        put(session, key, value)
        detail = f"{key}={value}" if len(value) <= 120 else f"{key}: {len(value)} characters"
        audit.record(session, AuditAction.SETTING, counsellor_id=actor.counsellor_id, detail=detail)
        changed.append(key)
    return changed


def set_national_number_enabled(session: Session, enabled: bool, *, actor: Actor) -> None:
    """Only an administrator switches this on (the organisation needs a legal basis)."""
    update(session, {NATIONAL_NUMBER_ENABLED: enabled}, actor=actor)
