"""The dispatch inbox (source 003): active clients without a referent wait here for a team lead,
who gives them a referent by the organisation's rules (`dispatch_rules`) or by hand.

`inbox` reads what dispatch needs (one query), `team` the counsellors, their open caseloads and
who is away today (three), `propose` decides (a pure function: every dossier gets a counsellor
or a reason why not, nobody goes above their maximum, counting the files given in the same run),
and `apply` writes the referent periods in one transaction: one bulk insert and an audit entry
per client. Open caseloads come from the team server's `traject_open_caseloads()` there (a team
lead may not read another office's clients), from one grouped query on a database file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.i18n import _, format_number, ngettext
from app.language_names import display_name
from app.models import Assignment, Client, Counsellor
from app.models.enums import (
    AssignmentReason,
    AssignmentRole,
    AuditAction,
    ClientStatus,
    CounsellorRole,
)
from app.models.team import Absence
from app.models.text import fold
from app.services.caseload.counsellors import full_names
from app.services.clock import local_today
from app.services.errors import Conflict, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor
from app.services.team import dispatch_rules as dr
from app.services.team.caseloads import open_caseloads
from app.services.team.dispatch_rules import DispatchRules


@dataclass(frozen=True)
class Waiting:
    """A dossier in the inbox, with what dispatch weighs."""

    client_id: int
    dossier: str
    name: str
    municipality: str | None = None
    postal_code: str | None = None
    language: str | None = None
    profession: str | None = None
    desired_occupation: str | None = None
    preferred_office: str | None = None


@dataclass(frozen=True)
class Candidate:
    counsellor_id: int
    login: str
    name: str
    office: str | None
    active: bool = True


@dataclass(frozen=True)
class Away:
    """An absence: both days included; a cancelled one does not count."""

    counsellor_id: int
    starts_on: dt.date
    ends_on: dt.date
    cancelled: bool = False


@dataclass(frozen=True)
class Reason:
    """One part of a decision's reason, put into words in the language shown when it is read."""

    kind: str
    values: tuple[tuple[str, Any], ...] = ()

    def text(self) -> str:
        named = dict(self.values)
        if "language" in named:
            named["language"] = display_name(named["language"])
        for key in ("open", "maximum"):
            if key in named:
                named[key] = format_number(named[key])
        return _REASONS[self.kind]().format(**named)


_REASONS = {
    "preferred": lambda: _("prefers office {office}"),
    "serves": lambda: _("office {office} serves {area}"),
    "no_office": lambda: _("no office named for this address"),
    "nobody_there": lambda: _("nobody works in office {office}: any office"),
    "specialism": lambda: _("knows “{keyword}”"),
    "language": lambda: _("speaks {language}"),
    "load": lambda: _("{open} open files of {maximum}"),
    "full_office": lambda: _("nobody below the maximum in office {office}"),
    "full_office_of": lambda: _("nobody below the maximum of {maximum} in office {office}"),
    "full": lambda: _("nobody below the maximum"),
    "full_of": lambda: _("nobody below the maximum of {maximum}"),
    "nobody": lambda: _("no counsellor is active and present today"),
    "chosen": lambda: _("chosen by the team lead"),
}


@dataclass(frozen=True)
class Decision:
    client_id: int
    counsellor_id: int | None
    reasons: tuple[Reason, ...]

    def reason(self) -> str:
        """The reason in the current language, its parts separated by semicolons."""
        return "; ".join(part.text() for part in self.reasons)


@dataclass
class Team:
    """Who dispatch may choose from today, and how full each one's caseload is."""

    counsellors: list[Candidate]
    loads: dict[int, int]
    away: list[Away] = field(default_factory=list)


def inbox(session: Session, actor: Actor) -> list[Waiting]:
    """The active clients without a current referent, oldest first (team leads only)."""
    access.require_team_lead(actor)
    referent = select(Assignment.id).where(
        Assignment.client_id == Client.id, Assignment.role == AssignmentRole.REFERENT,
        Assignment.ends_on.is_(None)).exists()  # fmt: skip
    rows = session.execute(
        select(Client.id, Client.dossier, Client.given_name, Client.family_name,
               Client.municipality, Client.postal_code, Client.contact_language, Client.profession,
               Client.desired_occupation, Client.preferred_office)
        .where(Client.status == ClientStatus.ACTIVE, ~referent)
        .order_by(Client.created_at, Client.id)
    )  # fmt: skip
    return [Waiting(r.id, r.dossier, f"{r.given_name} {r.family_name}".strip(), r.municipality,
                    r.postal_code, r.contact_language, r.profession, r.desired_occupation,
                    r.preferred_office) for r in rows]  # fmt: skip


def away_on(session: Session, day: dt.date) -> list[Away]:
    rows = session.execute(select(Absence.counsellor_id, Absence.starts_on, Absence.ends_on).where(
        Absence.starts_on <= day, Absence.ends_on >= day, Absence.cancelled_at.is_(None)))  # fmt: skip
    return [Away(r.counsellor_id, r.starts_on, r.ends_on) for r in rows]


def team(session: Session, rules: DispatchRules, today: dt.date | None = None) -> Team:
    """The active counsellors who take clients: every counsellor, and a team lead or
    administrator the rules name (a specialism, languages or a maximum of their own)."""
    named = set(rules.specialisms) | set(rules.languages) | set(rules.maximum_by_login)
    rows = session.execute(
        select(Counsellor.id, Counsellor.login, Counsellor.office, Counsellor.role)
        .where(Counsellor.active.is_(True))
    )  # fmt: skip
    chosen = [r for r in rows if r.role == CounsellorRole.COUNSELLOR or r.login in named]
    names = full_names(session, {r.id for r in chosen})
    people = [Candidate(r.id, r.login, names.get(r.id, r.login), r.office) for r in chosen]
    people.sort(key=lambda c: (fold(c.name), c.counsellor_id))
    return Team(people, open_caseloads(session), away_on(session, today or local_today()))


@dataclass(frozen=True)
class Proposal:
    """The inbox with a decision for each dossier, and what the decisions were made from."""

    waiting: list[Waiting]
    decisions: list[Decision]
    team: Team
    rules: DispatchRules
    today: dt.date

    def away(self) -> set[int]:
        return {a.counsellor_id for a in self.team.away}


def prepare(session: Session, actor: Actor, today: dt.date | None = None) -> Proposal:
    """The inbox and the rules' proposal for it (team leads)."""
    today = today or local_today()
    waiting = inbox(session, actor)
    rules = dr.load(session)
    people = team(session, rules, today)
    decisions = propose(waiting, people.counsellors, people.loads, people.away, rules, today=today)
    return Proposal(waiting, decisions, people, rules, today)


def _client_office(client: Waiting, rules: DispatchRules) -> tuple[str | None, Reason]:
    if client.preferred_office:
        return client.preferred_office, Reason("preferred", (("office", client.preferred_office),))
    office = rules.office_serving(client.postal_code, client.municipality)
    if office is None:
        return None, Reason("no_office")
    area = " ".join(p for p in (client.postal_code, client.municipality) if p)
    return office, Reason("serves", (("office", office), ("area", area)))


def _keyword(client: Waiting, words: Iterable[str]) -> str | None:
    said = f" {fold(client.profession)} {fold(client.desired_occupation)} "
    return next((w for w in words if fold(w) and fold(w) in said), None)


def propose(
    clients: Sequence[Waiting],
    counsellors: Sequence[Candidate],
    loads: Mapping[int, int],
    absences: Iterable[Away],
    rules: DispatchRules,
    *,
    today: dt.date | None = None,
) -> list[Decision]:
    """One decision per client, in the order given. Inactive counsellors and those away today
    are never chosen, and nobody beyond their maximum, the files given in this run counted."""
    today = today or local_today()
    away = {a.counsellor_id for a in absences
            if not a.cancelled and a.starts_on <= today <= a.ends_on}  # fmt: skip
    present = [c for c in counsellors if c.active and c.counsellor_id not in away]
    offices = {c.office for c in counsellors if c.active and c.office}
    load = {c.counsellor_id: loads.get(c.counsellor_id, 0) for c in present}
    decisions = []
    for client in clients:
        office, where = _client_office(client, rules)
        reasons = [where]
        pool = present
        if office is not None and office not in offices:
            reasons = [where, Reason("nobody_there", (("office", office),))]
            office = None
        elif office is not None and rules.office_only:
            pool = [c for c in present if c.office == office]
        free = [c for c in pool if load[c.counsellor_id] < rules.maximum_of(c.login)]
        if not free:
            decisions.append(
                Decision(client.client_id, None, (*reasons, _full(pool, office, rules)))
            )
            continue
        best = max(free, key=lambda c: _score(c, client, office, load, rules))
        reasons += _why(best, client, office, load[best.counsellor_id], rules)
        load[best.counsellor_id] += 1
        decisions.append(Decision(client.client_id, best.counsellor_id, tuple(reasons)))
    return decisions


def _full(pool: Sequence[Candidate], office: str | None, rules: DispatchRules) -> Reason:
    if not pool:
        return Reason("nobody")
    maxima = {rules.maximum_of(c.login) for c in pool}
    if len(maxima) == 1:
        most = (("maximum", maxima.pop()),)
        return (
            Reason("full_office_of", (*most, ("office", office)))
            if office
            else Reason("full_of", most)
        )
    return Reason("full_office", (("office", office),)) if office else Reason("full")


def _score(
    c: Candidate, client: Waiting, office: str | None, load: Mapping[int, int], rules: DispatchRules
) -> tuple[Any, ...]:
    measure = {
        dr.OFFICE: int(office is not None and c.office == office),
        dr.SPECIALISM: int(_keyword(client, rules.specialisms.get(c.login, ())) is not None),
        dr.LANGUAGE: int(client.language is not None
                         and client.language in rules.languages.get(c.login, ())),
        dr.LOAD: -load[c.counsellor_id] / rules.maximum_of(c.login),
    }  # fmt: skip
    return (*(measure[k] for k in rules.order), -load[c.counsellor_id], -c.counsellor_id)


def _why(
    c: Candidate, client: Waiting, office: str | None, open_now: int, rules: DispatchRules
) -> list[Reason]:
    found: list[Reason] = []
    keyword = _keyword(client, rules.specialisms.get(c.login, ()))
    if keyword is not None:
        found.append(Reason("specialism", (("keyword", keyword),)))
    if client.language is not None and client.language in rules.languages.get(c.login, ()):
        found.append(Reason("language", (("language", client.language),)))
    found.append(Reason("load", (("open", open_now), ("maximum", rules.maximum_of(c.login)))))
    return found


class ReferentMeanwhile(Conflict):
    """A dossier got a referent from someone else between the check and the write."""


@dataclass(frozen=True)
class Applied:
    assigned: dict[int, int]  # client id -> counsellor id
    gone: list[int]  # clients someone else gave a referent meanwhile, or closed


def apply(
    session: Session,
    actor: Actor,
    decisions: Sequence[Decision],
    overrides: Mapping[int, int] | None = None,
    *,
    allow_over_maximum: bool = False,
    today: dt.date | None = None,
    rules: DispatchRules | None = None,
) -> Applied:
    """Make the decided (or, per client, the team lead's chosen) counsellors referents, in the
    session's transaction (the caller commits). ValidationFailed names each dossier whose
    counsellor is not active or would go beyond their maximum (unless `allow_over_maximum`);
    then nothing is written. ReferentMeanwhile when another dispatch or a hand assignment wrote
    a referent for one of them since the check: nothing of this dispatch is written."""
    access.require_team_lead(actor)
    today = today or local_today()
    rules = rules or dr.load(session)
    overrides = dict(overrides or {})
    chosen = {d.client_id: overrides.get(d.client_id, d.counsellor_id) for d in decisions}
    chosen.update({k: v for k, v in overrides.items() if k not in chosen})
    wanted = {client: who for client, who in chosen.items() if who is not None}
    if not wanted:
        return Applied({}, [])
    people = {r.id: r for r in session.execute(
        select(Counsellor.id, Counsellor.login, Counsellor.active)
        .where(Counsellor.id.in_(set(wanted.values()))))}  # fmt: skip
    waiting = {r.id: r.dossier for r in session.execute(select(Client.id, Client.dossier).where(
        Client.id.in_(list(wanted)), Client.status == ClientStatus.ACTIVE,
        ~select(Assignment.id).where(and_(
            Assignment.client_id == Client.id, Assignment.role == AssignmentRole.REFERENT,
            Assignment.ends_on.is_(None))).exists()))}  # fmt: skip
    gone = sorted(set(wanted) - set(waiting))
    loads = open_caseloads(session)
    names = full_names(session, set(people))
    errors: dict[str, str] = {}
    for client, who in wanted.items():
        if client not in waiting:
            continue
        person = people.get(who)
        label = _("Referent for {dossier}").format(dossier=waiting[client])
        if person is None or not person.active:
            errors[f"referent:{client}"] = (
                label + ": " + _("choose an active counsellor from the list.")
            )
            continue
        loads[who] = loads.get(who, 0) + 1
        most = rules.maximum_of(person.login)
        if loads[who] > most and not allow_over_maximum:
            errors[f"referent:{client}"] = label + ": " + _(
                "{name} would have more than the maximum of {maximum} open files; choose "
                "someone else, or confirm going beyond the maximum.").format(
                    name=names.get(who, person.login), maximum=format_number(most))  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    rows = [{"client_id": client, "counsellor_id": wanted[client], "role": AssignmentRole.REFERENT,
             "reason": AssignmentReason.DISPATCH, "starts_on": today} for client in waiting]  # fmt: skip
    if rows:
        try:
            with session.begin_nested():  # a refused insert leaves the session usable
                session.execute(insert(Assignment), rows)
        except IntegrityError:
            # another dispatch or a hand assignment gave one of them a referent since the check
            raise ReferentMeanwhile(_("Some of these dossiers were given a referent meanwhile; "
                                      "nothing was changed. Look at the inbox again.")) from None  # fmt: skip
    for client in waiting:
        audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                     client_id=client, detail="referent")  # fmt: skip
    session.flush()
    return Applied({client: wanted[client] for client in waiting}, gone)


def summary(applied: Applied, left: int) -> str:
    """What a dispatch did, in one sentence."""
    done = ngettext("{n} dossier assigned.", "{n} dossiers assigned.", len(applied.assigned))
    still = ngettext("{n} dossier still waits.", "{n} dossiers still wait.", left)
    return " ".join([done.format(n=format_number(len(applied.assigned))),
                     still.format(n=format_number(left))])  # fmt: skip
