"""Who may do what, decided here in the services (the UI only hides what is refused anyway).

- A counsellor works on their own caseload: clients they are referent of, or backup for today.
  They may search the whole office by name (a permanence desk), but opening the file of
  someone else's client needs a reason — "breaking the glass" — which the audit trail keeps
  and the referent sees. The reason holds for that client for the rest of the day.
- A team lead sees every client of their office (the referent's office; all offices when the
  team lead has none), reassigns referents and reads the audit trail and reports.
- An admin manages accounts, organisation settings and recovery; for client files an admin
  is a counsellor like any other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Counsellor
from app.models.enums import AuditAction, CounsellorRole
from app.services.caseload import current_assignments as assignments
from app.services.clock import local_today, start_of_local_day
from app.services.errors import Forbidden, ServiceError, ValidationFailed

if TYPE_CHECKING:  # the audit trail's model loads when first needed, not at start-up
    from app.services.privacy.audit import AuditRow

MIN_REASON_LENGTH = 10


class BreakGlassRequired(ServiceError):
    """The client is not in the actor's caseload: opening the file needs a stated reason."""


@dataclass(frozen=True)
class Actor:
    counsellor_id: int
    role: CounsellorRole
    office: str | None

    @classmethod
    def load(cls, session: Session, counsellor_id: int) -> Actor:
        person = session.get(Counsellor, counsellor_id)
        if person is None or not person.active:
            raise Forbidden(_("This account is switched off; ask an administrator."))
        return cls(person.id, person.role, person.office)

    @property
    def is_team_lead(self) -> bool:
        return self.role == CounsellorRole.TEAM_LEAD

    @property
    def is_admin(self) -> bool:
        return self.role == CounsellorRole.ADMIN


def in_own_caseload(session: Session, actor: Actor, client_id: int, on: dt.date) -> bool:
    referent = assignments.current_referent(session, client_id)
    if referent is not None and referent.counsellor_id == actor.counsellor_id:
        return True
    backup = assignments.current_backup(session, client_id, on)
    return backup is not None and backup.counsellor_id == actor.counsellor_id


def in_team_leads_office(session: Session, actor: Actor, client_id: int) -> bool:
    if not actor.is_team_lead:
        return False
    if actor.office is None:
        return True
    referent = assignments.current_referent(session, client_id)
    if referent is None:
        return True
    office = session.scalar(
        select(Counsellor.office).where(Counsellor.id == referent.counsellor_id)
    )
    return office == actor.office


def glass_broken_today(session: Session, actor: Actor, client_id: int, today: dt.date) -> bool:
    from app.models import AuditEntry

    since = start_of_local_day(today)
    found = session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.counsellor_id == actor.counsellor_id,
            AuditEntry.client_id == client_id,
            AuditEntry.action == AuditAction.BREAK_GLASS.value,
            AuditEntry.at >= since,
        ).limit(1)
    )  # fmt: skip
    return found is not None


def may_work_on(
    session: Session, actor: Actor, client_id: int, today: dt.date | None = None
) -> bool:
    today = today or local_today()
    return (
        in_own_caseload(session, actor, client_id, today)
        or in_team_leads_office(session, actor, client_id)
        or glass_broken_today(session, actor, client_id, today)
    )


def require_file(
    session: Session, actor: Actor, client_id: int, today: dt.date | None = None
) -> None:
    if not may_work_on(session, actor, client_id, today):
        raise BreakGlassRequired(
            _("This client is not in your caseload. To open the file, give the reason; it is "
              "recorded and the referent can see it.")
        )  # fmt: skip


def break_glass(session: Session, actor: Actor, client_id: int, reason: str) -> None:
    """Record why someone else's client file is opened; valid for the rest of the day."""
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationFailed(
            {"reason": _("Reason: say in a few words why you open this file (at least {n} "
                         "characters).").format(n=MIN_REASON_LENGTH)}
        )  # fmt: skip
    if session.get_bind().dialect.name == "postgresql":
        # on a team server only this function may record it: the entry is what lets the
        # server's row-level security show the file (migration 0009)
        session.execute(select(func.traject_break_glass(client_id, reason, actor.counsellor_id)))
    else:
        from app.services.privacy import audit

        audit.record(session, AuditAction.BREAK_GLASS, counsellor_id=actor.counsellor_id,
                     client_id=client_id, reason=reason)  # fmt: skip
    _tell_the_referent(session, actor, client_id)


def _tell_the_referent(session: Session, actor: Actor, client_id: int) -> None:
    """A notice to the referent that a colleague opened their client's file (not the reason:
    the audit trail keeps that)."""
    referent = assignments.current_referent(session, client_id)
    if referent is None or referent.counsellor_id == actor.counsellor_id:
        return
    from app.models.team import NoticeKind
    from app.services.team import notices

    notices.create(session, actor, NoticeKind.BREAK_GLASS, referent.counsellor_id,
                   client_id=client_id)  # fmt: skip


def require_team_lead(actor: Actor) -> None:
    if not actor.is_team_lead:
        raise Forbidden(_("Only a team lead can do this."))


def require_oversight(actor: Actor, message: str | None = None) -> None:
    """Team leads and administrators: the audit trail, retention review, erasure."""
    if not (actor.is_team_lead or actor.is_admin):
        raise Forbidden(message or _("Only a team lead or an administrator can do this."))


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden(_("Only an administrator can do this."))


def require_referent_or_team_lead(session: Session, actor: Actor, client_id: int) -> None:
    referent = assignments.current_referent(session, client_id)
    if referent is not None and referent.counsellor_id == actor.counsellor_id:
        return
    if not in_team_leads_office(session, actor, client_id):
        raise Forbidden(_("Only the referent or a team lead can do this."))


def who_looked(session: Session, actor: Actor, client_id: int) -> list[AuditRow]:
    """Views of a client's file, for its referent (the person it concerns most) or a team lead."""
    require_referent_or_team_lead(session, actor, client_id)
    from app.services.privacy import audit

    return audit.who_looked(session, client_id)


def audit_trail(session: Session, actor: Actor, **filters: Any) -> list[AuditRow]:
    """The audit view: team leads, and administrators (who answer for security)."""
    require_oversight(actor, _("Only a team lead or an administrator can read the audit trail."))
    from app.services.privacy import audit

    return audit.entries(session, **filters)


def require_team_lead_of(session: Session, actor: Actor, client_id: int) -> None:
    """A team lead, and of the office this client belongs to."""
    require_team_lead(actor)
    if not in_team_leads_office(session, actor, client_id):
        raise Forbidden(_("This client belongs to another office; its team lead decides."))
