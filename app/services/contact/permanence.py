"""Permanence desks (walk-in or telephone hours, source 001): open a session, put visitors
and callers in the queue, call the next one, find or register their file with a few fields,
and record the handling as a "permanence" contact with its outcome. Closing the session
forgets the visitors' names and gives the summary: visitors, waiting times, categories,
languages and outcomes.

Whoever serves the desk may search every client by name and record the visit for a client who
is not theirs (the desk serves everyone); opening that client's file still needs the reason the
access rules ask for. A file registered at the desk waits for a referent in the team leads'
dispatch inbox, unless whoever serves says they follow the client themselves. Sessions are
passed in and the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.language_names import FREQUENT
from app.models import Client, Contact, DeskSession, DeskVisit, Note
from app.models.agenda_enums import DeskKind, VisitCategory, VisitOutcome
from app.models.base import utcnow
from app.models.enums import AuditAction, ContactDirection, ContactOutcome
from app.services import validation
from app.services.caseload import clients
from app.services.caseload import listing as caseload
from app.services.contact import contacts
from app.services.errors import Forbidden, NotFound, ValidationFailed, refused_by_server
from app.services.privacy import audit
from app.services.privacy.access import Actor

MAX_NAME = 200
#: The languages the desk's arrival form offers first, as CLDR codes (Dari is fa_AF; "prs"
#: typed anywhere is stored so): the region's languages, then newcomers'. Any other language
#: can be typed by its name or code.
DESK_LANGUAGES = FREQUENT


def open_desk(
    session: Session, actor: Actor, kind: DeskKind, location: str | None = None
) -> DeskSession:
    """Open a desk session; an unclosed one of the same counsellor is taken up again."""
    running = current(session, actor)
    if running is not None:
        return running
    desk = DeskSession(counsellor_id=actor.counsellor_id, kind=DeskKind(kind),
                       location=" ".join((location or "").split()) or None)  # fmt: skip
    session.add(desk)
    session.flush()
    return desk


def current(session: Session, actor: Actor) -> DeskSession | None:
    return session.scalar(
        select(DeskSession).where(DeskSession.counsellor_id == actor.counsellor_id,
                                  DeskSession.closed_at.is_(None)).order_by(DeskSession.id.desc()).limit(1)
    )  # fmt: skip


def _desk(session: Session, actor: Actor, desk_id: int) -> DeskSession:
    desk = session.get(DeskSession, desk_id)
    if desk is None:
        raise NotFound(_("This desk session no longer exists."))
    if desk.counsellor_id != actor.counsellor_id:
        raise Forbidden(_("This desk session is a colleague's."))
    if desk.closed_at is not None:
        raise ValidationFailed({"desk": _("This desk session is closed; open a new one.")})
    return desk


def add_visitor(
    session: Session, actor: Actor, desk_id: int, *, category: VisitCategory | str,
    name: str | None = None, language: str | None = None, arrived_at: dt.datetime | None = None,
) -> DeskVisit:  # fmt: skip
    """A visitor or caller joins the queue; no name means anonymous."""
    desk = _desk(session, actor, desk_id)
    errors: dict[str, str] = {}
    name = " ".join((name or "").split()) or None
    if name is not None and len(name) > MAX_NAME:
        errors["name"] = _("Name: keep it to {most} characters.").format(most=MAX_NAME)
    try:
        language = validation.language_code("language", language)
    except validation.FieldInvalid as exc:
        errors.update(exc.errors)
    try:
        category = VisitCategory(category)
    except ValueError:
        errors["category"] = _("Question: choose what the visitor asks about.")
    if errors:
        raise ValidationFailed(errors)
    visit = DeskVisit(session_id=desk.id, arrived_at=arrived_at or utcnow(), visitor_name=name,
                      language=language, category=category)  # fmt: skip
    session.add(visit)
    session.flush()
    return visit


def waiting(session: Session, desk_id: int) -> list[DeskVisit]:
    """The queue: not yet called, first come first."""
    return list(session.scalars(select(DeskVisit).where(
        DeskVisit.session_id == desk_id, DeskVisit.called_at.is_(None)).order_by(DeskVisit.arrived_at, DeskVisit.id)))  # fmt: skip


def serving(session: Session, desk_id: int) -> DeskVisit | None:
    return session.scalar(select(DeskVisit).where(
        DeskVisit.session_id == desk_id, DeskVisit.called_at.is_not(None),
        DeskVisit.finished_at.is_(None)).order_by(DeskVisit.called_at).limit(1))  # fmt: skip


def call_next(
    session: Session, actor: Actor, desk_id: int, *, now: dt.datetime | None = None
) -> DeskVisit | None:
    """The first in the queue is served now (None when nobody waits)."""
    _desk(session, actor, desk_id)
    if serving(session, desk_id) is not None:
        raise ValidationFailed({"visit": _("Finish the visitor you are serving first: choose how "
                                           "it ended.")})  # fmt: skip
    queue = waiting(session, desk_id)
    if not queue:
        return None
    visit = queue[0]
    visit.called_at = max(now or utcnow(), visit.arrived_at)
    session.flush()
    return visit


def find_clients(session: Session, text: str, limit: int = 8) -> list[caseload.CaseloadRow]:
    """Clients whose name, dossier number, phone or e-mail match (everyone, as at a desk)."""
    if not text.strip():
        return []
    ids = caseload.find_ids(session, caseload.CaseloadFilter(search=text), limit=limit)
    rows = caseload.rows_for(session, ids)
    return [rows[i] for i in ids if i in rows]


def register(
    session: Session, actor: Actor, visit_id: int | None = None, *, given_name: str,
    family_name: str, birth_date: dt.date | None = None, phone: str | None = None,
    postal_code: str | None = None, contact_language: str | None = None,
    follow_myself: bool = False,
) -> Client:  # fmt: skip
    """A new file with the fields a desk can ask for, and what the desk knows of the visit:
    its language, its question (the file's first contact says what they came for) and, from
    the postal code, the province. The file waits in the team leads' dispatch inbox unless
    whoever serves says they will follow the client themselves. The caller looked for a file
    of the same person first (`same_person.find`)."""
    visit = _serving_visit(session, actor, visit_id) if visit_id is not None else None
    if contact_language is None and visit is not None:
        contact_language = visit.language
    values: dict[str, object] = {"given_name": given_name, "family_name": family_name,
                                 "birth_date": birth_date, "phone": phone, "postal_code": postal_code,
                                 "contact_language": contact_language}  # fmt: skip
    referent_id = actor.counsellor_id if follow_myself else None
    client = clients.create_client(session, values, actor=actor, referent_id=referent_id)
    if visit is not None:
        # recorded now, while the new file may still be written by whoever made it (on a team
        # server a file without referent is the team leads' once it is committed)
        question = VisitCategory(visit.category).label
        contact = contacts.log(session, actor, client.id, channel="permanence",
                               outcome=ContactOutcome.REACHED, direction=ContactDirection.INCOMING,
                               note=_("Registered at the desk; came for: {question}").format(question=question),
                               at_desk=True)  # fmt: skip
        visit.client_id, visit.contact_id = client.id, contact.id
        session.flush()
    return client


def _serving_visit(session: Session, actor: Actor, visit_id: int) -> DeskVisit:
    visit = session.get(DeskVisit, visit_id)
    if visit is None:
        raise NotFound(_("This visit no longer exists."))
    _desk(session, actor, visit.session_id)
    return visit


def finish(
    session: Session, actor: Actor, visit_id: int, *, outcome: VisitOutcome | str,
    client_id: int | None = None, note: str | None = None, now: dt.datetime | None = None,
) -> DeskVisit:  # fmt: skip
    """How the visit ended; with a client, it is recorded as a permanence contact in their file."""
    visit = session.get(DeskVisit, visit_id)
    if visit is None:
        raise NotFound(_("This visit no longer exists."))
    _desk(session, actor, visit.session_id)
    try:
        outcome = VisitOutcome(outcome)
    except ValueError:
        raise ValidationFailed({"outcome": _("Outcome: choose how the visit ended.")}) from None
    now = now or utcnow()
    visit.called_at = visit.called_at or now
    minutes = min(max(0, round((now - visit.called_at).total_seconds() / 60)), contacts.MAX_MINUTES)
    text = " — ".join(p for p in (outcome.label, (note or "").strip()) if p)
    if client_id is not None and client_id == visit.client_id and visit.contact_id is not None:
        _complete_registration(
            session, actor, visit, text, minutes, typed=bool((note or "").strip())
        )
    elif client_id is not None:
        if session.get(Client, client_id) is None:
            raise NotFound(_("This client no longer exists."))
        contact = contacts.log(session, actor, client_id, channel="permanence",
                               outcome=ContactOutcome.REACHED, direction=ContactDirection.INCOMING, occurred_at=now,
                               duration_minutes=minutes, note=text, at_desk=True)  # fmt: skip
        visit.client_id, visit.contact_id = client_id, contact.id
    visit.outcome, visit.finished_at = outcome, now
    session.flush()
    return visit


def _complete_registration(
    session: Session, actor: Actor, visit: DeskVisit, text: str, minutes: int, *, typed: bool
) -> None:
    """The visit registered its client and recorded the contact then: the outcome completes
    it. A file that went to the team leads (team server) can no longer be read back by the
    desk; what was typed at the end goes into the file as a note (a new file may be written
    to by whoever registered it, within the hour); the outcome alone stays on the visit."""
    assert visit.client_id is not None and visit.contact_id is not None
    contact = session.get(Contact, visit.contact_id)
    if contact is not None:
        contact.note = "; ".join(p for p in (contact.note, text) if p)[: contacts.MAX_NOTE]
        contact.duration_minutes = minutes
    elif typed and (note_text := text.strip()):
        from sqlalchemy.exc import DBAPIError

        try:
            with session.begin_nested():
                session.add(Note(client_id=visit.client_id, counsellor_id=actor.counsellor_id,
                                 body=note_text))  # fmt: skip
        except DBAPIError as exc:
            if not refused_by_server(exc):
                raise
            # more than an hour after registering, the file is the team leads' alone
            raise Forbidden(_("This file now waits for a referent, and the desk can no longer "
                              "add to it. Finish the visit without a note, or give the note to "
                              "a team lead.")) from None  # fmt: skip
    session.flush()


@dataclass(frozen=True)
class Summary:
    visitors: int
    served: int
    left_unserved: int
    median_wait_minutes: float | None
    longest_wait_minutes: float | None
    categories: dict[VisitCategory, int]
    languages: dict[str, int]  # "" for not recorded
    outcomes: dict[VisitOutcome, int]


def summary(session: Session, desk_id: int) -> Summary:
    visits = list(session.scalars(select(DeskVisit).where(DeskVisit.session_id == desk_id)))
    waits = [(v.called_at - v.arrived_at).total_seconds() / 60 for v in visits if v.called_at]
    return Summary(
        visitors=len(visits),
        served=sum(1 for v in visits if v.finished_at is not None),
        left_unserved=sum(1 for v in visits if v.called_at is None),
        median_wait_minutes=median(waits) if waits else None,
        longest_wait_minutes=max(waits) if waits else None,
        categories=dict(Counter(VisitCategory(v.category) for v in visits).most_common()),
        languages=dict(Counter(v.language or "" for v in visits).most_common()),
        outcomes=dict(Counter(VisitOutcome(v.outcome) for v in visits if v.outcome).most_common()),
    )


def close_desk(session: Session, actor: Actor, desk_id: int) -> Summary:
    """Close the session: the names in the queue are forgotten, the counts stay."""
    desk = _desk(session, actor, desk_id)
    desk.closed_at = utcnow()
    for visit in session.scalars(select(DeskVisit).where(DeskVisit.session_id == desk_id)):
        visit.visitor_name = None
    session.flush()
    result = summary(session, desk_id)
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 detail=f"desk_sessions: closed, {result.visitors} visitors")  # fmt: skip
    return result
