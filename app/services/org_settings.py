"""Organisation settings kept in the database, such as whether national numbers are recorded."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import OrgSetting
from app.models.enums import AuditAction
from app.services import access
from app.services.access import Actor

NATIONAL_NUMBER_ENABLED = "national_number_enabled"
ORGANISATION_NAME = "organisation_name"


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


def national_number_enabled(session: Session) -> bool:
    """Off unless the organisation has a legal basis and switched it on."""
    return get(session, NATIONAL_NUMBER_ENABLED, "0") == "1"


def set_national_number_enabled(session: Session, enabled: bool, *, actor: Actor) -> None:
    """Only an administrator switches this on (the organisation needs a legal basis)."""
    access.require_admin(actor)
    put(session, NATIONAL_NUMBER_ENABLED, "1" if enabled else "0")
    from app.services import audit  # loaded when first needed, not at start-up

    audit.record(
        session,
        AuditAction.SETTING,
        counsellor_id=actor.counsellor_id,
        detail=f"{NATIONAL_NUMBER_ENABLED}={int(enabled)}",
    )
