"""SQLAlchemy models of Traject. No Qt and no services here."""

from app.models.activity import ActionPoint, Appointment, Contact, Note
from app.models.assignment import Assignment
from app.models.audit import AuditEntry
from app.models.base import Base, utcnow
from app.models.people import Client, Counsellor
from app.models.referrals import Offer, Referral, ReferralEvent
from app.models.scripts import ScriptAnswer, ScriptRun
from app.models.settings import OrgSetting

__all__ = [
    "ActionPoint",
    "Appointment",
    "Assignment",
    "AuditEntry",
    "Base",
    "Client",
    "Contact",
    "Counsellor",
    "Note",
    "Offer",
    "OrgSetting",
    "Referral",
    "ReferralEvent",
    "ScriptAnswer",
    "ScriptRun",
    "utcnow",
]
