"""SQLAlchemy models of Traject. No Qt and no services here.

Showing the caseload needs only people, assignments and settings, so only those modules are
imported with the package; the others (contacts and appointments, guided scripts, referrals,
audit, consents) are imported the first time one of their classes is asked for — `from app.models
import Contact` works as usual. Whatever needs the complete schema (Alembic, schema checks,
erasure across every table) calls `load_all()` first.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from app.models.assignment import Assignment
from app.models.base import Base, utcnow
from app.models.people import Client, Counsellor
from app.models.settings import OrgSetting

if TYPE_CHECKING:
    from app.models.activity import ActionPoint, Appointment, Contact, Note
    from app.models.audit import AuditEntry, AuditReason, ImportedAuditEntry, ImportedAuditReason
    from app.models.consent import Consent
    from app.models.permanence import DeskSession, DeskVisit
    from app.models.referrals import Offer, Referral, ReferralEvent
    from app.models.results import TestResult
    from app.models.scripts import ScriptAnswer, ScriptRun
    from app.models.team import Absence, Notice

_LOADED_ON_DEMAND = {
    "ActionPoint": "activity",
    "Appointment": "activity",
    "Contact": "activity",
    "Note": "activity",
    "AuditEntry": "audit",
    "AuditReason": "audit",
    "ImportedAuditEntry": "audit",
    "ImportedAuditReason": "audit",
    "Consent": "consent",
    "DeskSession": "permanence",
    "DeskVisit": "permanence",
    "Offer": "referrals",
    "Referral": "referrals",
    "ReferralEvent": "referrals",
    "ScriptAnswer": "scripts",
    "ScriptRun": "scripts",
    "TestResult": "results",
    "Absence": "team",
    "Notice": "team",
}


def __getattr__(name: str) -> Any:
    module = _LOADED_ON_DEMAND.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


def load_all() -> type[Base]:
    """Import every model module, so `Base.metadata` holds the whole schema."""
    for module in sorted(set(_LOADED_ON_DEMAND.values())):
        import_module(f"{__name__}.{module}")
    return Base


__all__ = [
    "Absence",
    "ActionPoint",
    "Appointment",
    "Assignment",
    "AuditEntry",
    "AuditReason",
    "Base",
    "Client",
    "Consent",
    "Contact",
    "Counsellor",
    "DeskSession",
    "DeskVisit",
    "ImportedAuditEntry",
    "ImportedAuditReason",
    "Note",
    "Notice",
    "Offer",
    "OrgSetting",
    "Referral",
    "ReferralEvent",
    "ScriptAnswer",
    "ScriptRun",
    "TestResult",
    "load_all",
    "utcnow",
]
