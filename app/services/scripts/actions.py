"""Taking the actions a script run suggests, each noted in the run: an action point with a due
date, an action point to find an offer while the catalogue has none of the suggested type in
the client's province (the referral itself is made in the referral form, pre-filled by
`referral_draft`), the e-mail status in the client file, a recorded consent. Printing is
`run_sheet`. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.i18n import _
from app.models import ActionPoint, ScriptRun
from app.models.enums import AuditAction, ConsentPurpose
from app.models.practical import OfferType
from app.services.caseload import action_points, clients
from app.services.clock import local_today
from app.services.errors import ValidationFailed
from app.services.privacy import access, audit, consents
from app.services.privacy.access import Actor
from app.services.scripts import runs
from app.services.scripts.definition import Action, Script

#: Days until an action point made from a suggestion is due, when the script gives none.
DEFAULT_DUE_DAYS = 14


def suggested(script: Script, action_id: str) -> Action:
    try:
        return next(a for a in script.actions if a.id == action_id)
    except StopIteration:
        raise ValidationFailed({"action": _("The script {script} suggests no action “{id}”.")
                                .format(script=script.id, id=action_id)}) from None  # fmt: skip


def action_point(
    session: Session, actor: Actor, run: ScriptRun, title: str, due_on: dt.date | None,
    action_id: str = "action_point",
) -> ActionPoint:  # fmt: skip
    """An agreed action point or assignment with its due date, linked to the run."""
    access.require_file(session, actor, run.client_id)
    title, errors = action_points.check(title, due_on, local_today())  # as a point made by hand
    if errors:
        raise ValidationFailed(errors)
    point = ActionPoint(client_id=run.client_id, counsellor_id=actor.counsellor_id,
                        script_run_id=run.id, title=title, due_on=due_on)  # fmt: skip
    session.add(point)
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 client_id=run.client_id, detail="action_points: created from a script run")  # fmt: skip
    runs.note_action(session, run, action_id, title)
    return point


def due_date(
    action: Action, answers: Mapping[str, Any] | None = None, today: dt.date | None = None
) -> dt.date:
    """The date the client agreed to (`due_from`) when it is still ahead, else the script's
    number of days from today."""
    today = today or local_today()
    agreed = (answers or {}).get(action.due_from) if action.due_from else None
    if agreed:
        day = dt.date.fromisoformat(str(agreed))  # stored by runs.checked_value as ISO
        if day >= today:
            return day
    days = action.due_in_days if action.due_in_days is not None else DEFAULT_DUE_DAYS
    return today + dt.timedelta(days=days)


def proposed_text(action: Action, answers: Mapping[str, Any]) -> str:
    """What the form for this action starts with: the answer it names (`text_from`, e.g. the
    agreed action points or the helper's name), else for an action point its own label."""
    given = answers.get(action.text_from) if action.text_from else None
    if given:
        return str(given)
    return _(action.label) if action.kind == "action_point" else ""


def offer_to_find(
    session: Session, actor: Actor, run: ScriptRun, script: Script, action_id: str
) -> str:
    """While the catalogue has no offer of the suggested type in the client's province: an
    action point to find one, linked to the run. Says what was done. (The referral itself is
    made in the referral form, pre-filled by `referral_draft`.)"""
    action = suggested(script, action_id)
    client = clients.get_client(session, run.client_id)
    access.require_file(session, actor, client.id)
    offer_type = OfferType(str(action.offer_type))  # the loader checked it
    where = client.province.label if client.province else _("the client's region")
    title = _("Refer to the “{type}” offer in {where}").format(type=offer_type.label, where=where)
    action_point(session, actor, run, title, due_date(action), action_id)
    return _("Action point made: {title}.").format(title=title)


def set_email_status(
    session: Session, actor: Actor, run: ScriptRun, script: Script, action_id: str
) -> str:
    action = suggested(script, action_id)
    client = clients.update_client(session, run.client_id, {"email_status": action.email_status},
                                   actor=actor)  # fmt: skip
    runs.note_action(session, run, action_id, str(action.email_status))
    return _("E-mail status set to: {status}.").format(status=client.email_status.label)


def record_consent(
    session: Session, actor: Actor, run: ScriptRun, script: Script, action_id: str,
    note: str | None = None,
) -> str:  # fmt: skip
    """The consent the action names, given today; `note` says who, e.g. the helper."""
    action = suggested(script, action_id)
    purpose = ConsentPurpose(str(action.consent))
    consents.record(session, actor, run.client_id, purpose, note=note)
    runs.note_action(session, run, action_id, purpose.value)
    return _("Consent recorded: {purpose}.").format(purpose=purpose.label)
