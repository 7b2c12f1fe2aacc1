"""A client's action points (werkpunten, opdrachten) as a list of their own: the open ones with
their due date, the finished ones with who finished them, when and what came of it. A point is
agreed in a guided conversation (`scripts.actions`) or made here by hand; it is marked done
with its outcome, cancelled, or reopened. The due ones feed the counsellor's Today list, the
overdue ones a caseload filter (`overdue_condition`, on the status/due-date index).

Every change names the version the counsellor read: a colleague's change in between is a
Conflict, never overwritten. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from app.i18n import _
from app.models import ActionPoint, Client, Counsellor
from app.models.base import utcnow
from app.models.enums import ActionPointStatus, AuditAction
from app.services import validation as v
from app.services.caseload import counsellors
from app.services.clock import local_today
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor

MAX_TITLE = 300
MAX_OUTCOME = 2000
S = ActionPointStatus


@dataclass(frozen=True)
class PointRow:
    """One action point as the file lists it (plain values, read in the action's session)."""

    id: int
    client_id: int
    title: str
    due_on: dt.date | None
    status: ActionPointStatus
    created_at: dt.datetime
    made_by: str  # the counsellor who agreed it, "" when unknown
    done_at: dt.datetime | None  # when it was done or cancelled
    done_by: str
    outcome: str
    from_conversation: bool  # agreed in a guided conversation
    version: int

    def overdue(self, today: dt.date) -> bool:
        return self.status == S.OPEN and self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class DuePoint:
    """An open action point due today or earlier, for the Today list."""

    id: int
    client_id: int
    client_name: str
    title: str
    due_on: dt.date


def check(title: str | None, due_on: dt.date | None, today: dt.date,
          *, old_due_on: dt.date | None = None) -> tuple[str, dict[str, str]]:  # fmt: skip
    """The title as stored and the errors by field; a due date before today is refused unless
    it is the one the point already had."""
    errors: dict[str, str] = {}
    cleaned = ""
    try:
        cleaned = v.required_text("title", title, MAX_TITLE)
    except v.FieldInvalid as exc:
        errors.update(exc.errors)
    if due_on is not None and due_on < today and due_on != old_due_on:
        errors["due_on"] = _("Due on: choose today or a later day.")  # as a conversation's
    return cleaned, errors


def _outcome(text: str | None, *, required: bool) -> str | None:
    if required and not (text or "").strip():
        raise ValidationFailed({"outcome": v.field_label("outcome") + ": " + _(
            "say in a few words what came of it, e.g. “CV sent to three employers”.")})  # fmt: skip
    cleaned = (text or "").strip()
    if len(cleaned) > MAX_OUTCOME:
        raise ValidationFailed({"outcome": v.field_label("outcome") + ": " + _(
            "shorten the text to at most {count} characters.").format(count=MAX_OUTCOME)})  # fmt: skip
    return cleaned or None


def _audit(session: Session, actor: Actor, point: ActionPoint, what: str) -> None:
    action = AuditAction.CREATE if what == "created" else AuditAction.CHANGE
    audit.record(session, action, counsellor_id=actor.counsellor_id, client_id=point.client_id,
                 detail=f"action_points: {what} {point.id}")  # fmt: skip


def of_client(session: Session, actor: Actor, client_id: int) -> list[PointRow]:
    """The client's points: the open ones first, soonest due first (undated last), then the
    finished and cancelled ones, latest first."""
    access.require_file(session, actor, client_id)
    maker, finisher = aliased(Counsellor), aliased(Counsellor)
    is_open = ActionPoint.status == S.OPEN
    rows = session.execute(
        select(ActionPoint, maker.full_name, finisher.full_name)
        .outerjoin(maker, maker.id == ActionPoint.counsellor_id)
        .outerjoin(finisher, finisher.id == ActionPoint.done_by)
        .where(ActionPoint.client_id == client_id)
        .order_by(case((is_open, 0), else_=1),
                  case((and_(is_open, ActionPoint.due_on.is_(None)), 1), else_=0),
                  case((is_open, ActionPoint.due_on)),
                  ActionPoint.done_at.desc(), ActionPoint.created_at.desc(), ActionPoint.id.desc())
    )  # fmt: skip
    names = counsellors.display_names(session)  # two Anna Peeters told apart
    return [PointRow(p.id, p.client_id, p.title, p.due_on, S(p.status), p.created_at, names.get(p.counsellor_id or 0, made or ""),
                     p.done_at, names.get(p.done_by or 0, done or ""), p.outcome or "", p.script_run_id is not None, p.version)
            for p, made, done in rows]  # fmt: skip


def create(session: Session, actor: Actor, client_id: int, title: str | None,
           due_on: dt.date | None, today: dt.date | None = None) -> ActionPoint:  # fmt: skip
    """A point made by hand in the file."""
    access.require_file(session, actor, client_id)
    if session.get(Client, client_id) is None:
        raise NotFound(_("This client file no longer exists."))
    cleaned, errors = check(title, due_on, today or local_today())
    if errors:
        raise ValidationFailed(errors)
    point = ActionPoint(client_id=client_id, counsellor_id=actor.counsellor_id, title=cleaned,
                        due_on=due_on, status=S.OPEN)  # fmt: skip
    session.add(point)
    session.flush()
    _audit(session, actor, point, "created")
    return point


def _editable(session: Session, actor: Actor, point_id: int, version: int) -> ActionPoint:
    point = session.get(ActionPoint, point_id)
    if point is None:  # removed, or (on a team server) not this account's to see
        raise NotFound(_("This action point no longer exists."))
    access.require_file(session, actor, point.client_id)
    if point.version != version:
        raise Conflict(_("Someone changed this action point since you opened it; it has been "
                         "reloaded. Look at it again before you change it."))  # fmt: skip
    return point


def _save(session: Session, actor: Actor, point: ActionPoint, what: str) -> ActionPoint:
    try:
        session.flush()
    except StaleDataError:  # a colleague's write landed between our read and ours
        raise Conflict(_("Someone changed this action point since you opened it; it has been "
                         "reloaded. Look at it again before you change it.")) from None  # fmt: skip
    _audit(session, actor, point, what)
    return point


def change(session: Session, actor: Actor, point_id: int, title: str | None,
           due_on: dt.date | None, *, version: int, today: dt.date | None = None) -> ActionPoint:  # fmt: skip
    """A new title or due date for an open point (a date agreed anew)."""
    point = _editable(session, actor, point_id, version)
    if point.status != S.OPEN:
        raise ValidationFailed({"status": _("This action point is finished; reopen it first.")})
    cleaned, errors = check(title, due_on, today or local_today(), old_due_on=point.due_on)
    if errors:
        raise ValidationFailed(errors)
    point.title, point.due_on = cleaned, due_on
    return _save(session, actor, point, "changed")


def mark_done(session: Session, actor: Actor, point_id: int, outcome: str | None,
              *, version: int) -> ActionPoint:  # fmt: skip
    """Done, with what came of it (required), by the actor, now."""
    return _finish(session, actor, point_id, version, S.DONE, outcome)


def cancel(session: Session, actor: Actor, point_id: int, reason: str | None = None,
           *, version: int) -> ActionPoint:  # fmt: skip
    """No longer needed (the client found work, the course was cancelled…), with why if given."""
    return _finish(session, actor, point_id, version, S.CANCELLED, reason)


def _finish(session: Session, actor: Actor, point_id: int, version: int, status: S,
            text: str | None) -> ActionPoint:  # fmt: skip
    """An open point done (its outcome required) or no longer needed (why, if given)."""
    point = _editable(session, actor, point_id, version)
    if point.status != S.OPEN:
        raise ValidationFailed({"status": _("This action point is already finished.")})
    point.outcome = _outcome(text, required=status == S.DONE)
    point.status, point.done_at, point.done_by = status, utcnow(), actor.counsellor_id
    return _save(session, actor, point, "done" if status == S.DONE else "cancelled")


def reopen(session: Session, actor: Actor, point_id: int, *, version: int) -> ActionPoint:
    """Open again (marked done by mistake); the audit trail keeps that it was finished."""
    point = _editable(session, actor, point_id, version)
    if point.status == S.OPEN:
        return point
    point.status, point.done_at, point.done_by, point.outcome = S.OPEN, None, None, None
    return _save(session, actor, point, "reopened")


def overdue_condition(today: dt.date) -> ColumnElement[bool]:
    """`Client` has an open action point whose due date has passed. The points are found once
    in the (status, due_on, client_id) index alone and each client is looked up in that set:
    on 100,000 clients a tenth of the time of a correlated EXISTS per client, which SQLite
    answers from the client_id index and the table rows (75 ms against 9 ms to count them)."""
    overdue = select(ActionPoint.client_id).where(ActionPoint.status == S.OPEN,
                                                  ActionPoint.due_on < today)  # fmt: skip
    return Client.id.in_(overdue)


def due(session: Session, actor: Actor, today: dt.date | None = None,
        *, overdue_only: bool = False) -> list[DuePoint]:  # fmt: skip
    """Open points due today or earlier (before today with `overdue_only`) in the actor's
    caseload (referent, or backup today) or agreed by the actor, oldest first."""
    from app.services.caseload import listing

    today = today or local_today()
    caseload = listing.filtered(session, listing.CaseloadFilter(
        counsellor_id=actor.counsellor_id, mine=True, backup_for_me=True), today)  # fmt: skip
    when = ActionPoint.due_on < today if overdue_only else ActionPoint.due_on <= today
    rows = session.execute(
        select(ActionPoint.id, ActionPoint.client_id, ActionPoint.title, ActionPoint.due_on,
               Client.given_name, Client.family_name)
        .join(Client, Client.id == ActionPoint.client_id)
        .where(ActionPoint.status == S.OPEN, when,
               or_(ActionPoint.client_id.in_(caseload),
                   ActionPoint.counsellor_id == actor.counsellor_id))
        .order_by(ActionPoint.due_on, ActionPoint.id)
    )  # fmt: skip
    return [DuePoint(r.id, r.client_id, f"{r.given_name} {r.family_name}", r.title, r.due_on)
            for r in rows]  # fmt: skip
