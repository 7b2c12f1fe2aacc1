"""Referent (fixed contact person) and backup assignments, and the history of both.

Source 003: every job seeker has one referent for the whole trajectory; a backup colleague
takes over during a short absence; a referral to a partner leaves the client in the
referent's portfolio.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Assignment, Client, Counsellor
from app.models.enums import AssignmentReason, AssignmentRole, AuditAction
from app.services import validation as v
from app.services.caseload import counsellors
from app.services.caseload.current_assignments import current_backup, current_referent
from app.services.clock import local_today
from app.services.errors import NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor

__all__ = ["MAX_BACKUP_DAYS", "assign_referent", "current_backup", "current_referent",
           "end_backup", "history", "set_backup", "start_referent"]  # fmt: skip

MAX_BACKUP_DAYS = 183


@dataclass(frozen=True)
class AssignmentView:
    role: AssignmentRole
    reason: AssignmentReason
    counsellor_id: int
    counsellor_name: str
    starts_on: dt.date
    ends_on: dt.date | None
    note: str | None


def _note(note: str | None) -> str | None:
    """A period's note as typed. An import marks the clients of a run that has not finished
    with a tag in this note (`import_runs`) and removes them if the run fails: a note may not
    look like that tag, or typing it would get a client deleted by the next import."""
    from app.services.reliability.import_runs import RUN_TAG

    text = v.optional_text("note", note, 500)
    if text is not None and text.lower().startswith(RUN_TAG):
        raise v.FieldInvalid("note", _("write the note in your own words, not as an import tag."))
    return text


def _active_counsellor(session: Session, counsellor_id: int, field: str) -> Counsellor:
    counsellor = session.get(Counsellor, counsellor_id)
    if counsellor is None or not counsellor.active:
        raise ValidationFailed(
            {field: f"{v.field_label(field)}: " + _("choose an active counsellor from the list.")}
        )
    return counsellor


def assign_referent(
    session: Session,
    client_id: int,
    counsellor_id: int,
    *,
    actor: Actor,
    reason: AssignmentReason = AssignmentReason.REASSIGNMENT,
    on: dt.date | None = None,
    note: str | None = None,
) -> Assignment:
    """A team lead makes `counsellor_id` the referent from `on`; the previous period ends then."""
    access.require_team_lead_of(session, actor, client_id)
    assignment = start_referent(session, client_id, counsellor_id, reason=reason, on=on, note=note)
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 client_id=client_id, detail="referent")  # fmt: skip
    return assignment


def start_referent(
    session: Session,
    client_id: int,
    counsellor_id: int,
    *,
    reason: AssignmentReason = AssignmentReason.REASSIGNMENT,
    on: dt.date | None = None,
    note: str | None = None,
) -> Assignment:
    """The referent change itself, for callers that have checked the right to make it."""
    on = on or local_today()
    if session.get(Client, client_id) is None:
        raise NotFound(_("This client file no longer exists."))
    _active_counsellor(session, counsellor_id, "referent")
    previous = current_referent(session, client_id)
    if previous is not None:
        if previous.counsellor_id == counsellor_id:
            raise ValidationFailed(
                {"referent": f"{v.field_label('referent')}: "
                 + _("this counsellor is already the referent; choose someone else.")}
            )  # fmt: skip
        previous.ends_on = max(on, previous.starts_on)
        session.flush()  # close the old period before the unique open-referent index sees the new
    backup = current_backup(session, client_id, on)
    if backup is not None and backup.counsellor_id == counsellor_id:
        backup.ends_on = on  # the backup became the referent
    assignment = Assignment(
        client_id=client_id,
        counsellor_id=counsellor_id,
        role=AssignmentRole.REFERENT,
        reason=reason,
        starts_on=on,
        note=_note(note),
    )
    session.add(assignment)
    session.flush()
    return assignment


def set_backup(
    session: Session,
    client_id: int,
    counsellor_id: int,
    *,
    actor: Actor,
    until: dt.date,
    reason: AssignmentReason = AssignmentReason.ABSENCE_COVER,
    on: dt.date | None = None,
    note: str | None = None,
) -> Assignment:
    """A backup colleague from `on` up to (not including) `until`; replaces a current backup.
    The referent arranges their own cover; a team lead may too."""
    access.require_referent_or_team_lead(session, actor, client_id)
    on = on or local_today()
    _active_counsellor(session, counsellor_id, "backup")
    referent = current_referent(session, client_id)
    if referent is not None and referent.counsellor_id == counsellor_id:
        raise ValidationFailed(
            {"backup": f"{v.field_label('backup')}: "
             + _("the referent cannot be their own backup; choose a colleague.")}
        )  # fmt: skip
    if not on < until <= on + dt.timedelta(days=MAX_BACKUP_DAYS):
        raise ValidationFailed(
            {"backup": f"{v.field_label('backup')}: "
             + _("the end date must lie after today and within {days} days.").format(
                 days=MAX_BACKUP_DAYS)}
        )  # fmt: skip
    existing = current_backup(session, client_id, on)
    if existing is not None:
        existing.ends_on = on
    assignment = Assignment(
        client_id=client_id,
        counsellor_id=counsellor_id,
        role=AssignmentRole.BACKUP,
        reason=reason,
        starts_on=on,
        ends_on=until,
        note=_note(note),
    )
    session.add(assignment)
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 client_id=client_id, detail="backup")  # fmt: skip
    return assignment


def end_backup(
    session: Session, client_id: int, *, actor: Actor, on: dt.date | None = None
) -> None:
    access.require_referent_or_team_lead(session, actor, client_id)
    on = on or local_today()
    backup = current_backup(session, client_id, on)
    if backup is not None:
        backup.ends_on = max(on, backup.starts_on)
        session.flush()
        audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                     client_id=client_id, detail="backup")  # fmt: skip


def history(session: Session, client_id: int) -> list[AssignmentView]:
    """Every referent and backup period of a client, newest first."""
    rows = session.execute(
        select(Assignment, Counsellor.full_name)
        .join(Counsellor, Counsellor.id == Assignment.counsellor_id)
        .where(Assignment.client_id == client_id)
        .order_by(Assignment.starts_on.desc(), Assignment.id.desc())
    )
    names = counsellors.display_names(session)  # two Anna Peeters told apart
    return [
        AssignmentView(
            a.role,
            a.reason,
            a.counsellor_id,
            names.get(a.counsellor_id, name),
            a.starts_on,
            a.ends_on,
            a.note,
        )
        for a, name in rows
    ]
