"""Cover for an absence: one action gives every active client of an absent counsellor a backup
colleague for the period, and one action undoes it (source 003).

The period is inclusive as people say it ("from Monday 7 to Friday 18, both days"); the
backup periods it makes are end-exclusive like every assignment, so they end the day after.
Without a chosen colleague the clients are spread over the counsellors of the same office by
load: each client goes to whoever follows the fewest open files, counting the clients already
given in this cover. Team leads and administrators are not spread onto (they oversee, and
would take every client while their own caseload is small). The counsellor declares their own
absence; a team lead of their office (or of all offices) anyone's.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.i18n import _, format_date
from app.models import Assignment, Client, Counsellor
from app.models.base import utcnow
from app.models.enums import (
    AssignmentReason,
    AssignmentRole,
    AuditAction,
    ClientStatus,
    CounsellorRole,
)
from app.models.team import Absence, NoticeKind
from app.services import validation as v
from app.services import write_lock
from app.services.caseload import counsellors as people
from app.services.caseload.assignments import MAX_BACKUP_DAYS
from app.services.clock import local_today
from app.services.errors import Forbidden, NotFound
from app.services.privacy import audit
from app.services.privacy.access import Actor
from app.services.team import notices
from app.services.team.caseloads import open_caseloads

__all__ = ["AbsenceView", "Choice", "Declared", "covered_by", "current_and_coming",
           "current_or_next", "declare", "period_text", "plan", "undo", "who_may_be_away"]  # fmt: skip


@dataclass(frozen=True)
class Choice:
    """One client of the absent counsellor and the colleague who covers them, with why."""

    client_id: int
    dossier: str
    client_name: str
    backup_id: int
    backup_name: str
    reason: str


@dataclass(frozen=True)
class Declared:
    absence_id: int
    starts_on: dt.date
    ends_on: dt.date  # inclusive
    choices: list[Choice]


@dataclass(frozen=True)
class AbsenceView:
    id: int
    counsellor_id: int
    counsellor_name: str
    starts_on: dt.date
    ends_on: dt.date  # inclusive
    covered: int  # backup periods it arranged


MAX_AHEAD_DAYS = 2 * 366  # an absence planned further ahead is a typing mistake


def period_text(starts_on: dt.date, ends_on: dt.date) -> str:
    """The period in words, both days said to be included."""
    if starts_on == ends_on:
        return _("{day}, that day included").format(day=format_date(starts_on, "full"))
    return _("{first} to {last}, both days included").format(
        first=format_date(starts_on, "full"), last=format_date(ends_on, "full"))  # fmt: skip


def _check_period(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> None:
    if ends_on < starts_on:
        raise v.FieldInvalid("away_to", _("the last day comes before the first; swap them."))
    if ends_on < today:
        raise v.FieldInvalid("away_to", _("the absence is over already; give a day from today on."))
    if starts_on > today + dt.timedelta(days=MAX_AHEAD_DAYS):
        raise v.FieldInvalid("away_from", _("the first day is more than two years away; give a day "
                                            "within two years from today."))  # fmt: skip
    days = (ends_on - starts_on).days + 1
    if days > MAX_BACKUP_DAYS:
        raise v.FieldInvalid("away_to", _("cover lasts at most {n} days; shorten the period and "
                                          "plan the rest later.").format(n=MAX_BACKUP_DAYS))  # fmt: skip


def _absent_counsellor(session: Session, actor: Actor, counsellor_id: int) -> Counsellor:
    """The counsellor who is away, if the actor may arrange their cover."""
    person = session.get(Counsellor, counsellor_id)
    if person is None or not person.active:
        raise NotFound(_("This counsellor's account is switched off or gone; choose someone else."))
    own = actor.counsellor_id == person.id
    leads = actor.is_team_lead and (actor.office is None or actor.office == person.office)
    if not (own or leads):
        raise Forbidden(_("Only the counsellor who is away, or a team lead of their office, can "
                          "arrange cover for an absence."))  # fmt: skip
    return person


def who_may_be_away(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of whose absence the actor may declare: their own; a team lead anyone of
    their office (of every office without one), by name."""
    choices = people.counsellor_choices(session)
    if not actor.is_team_lead:
        return [c for c in choices if c[0] == actor.counsellor_id]
    if actor.office is None:
        return choices
    office = set(session.scalars(select(Counsellor.id).where(Counsellor.office == actor.office)))
    return [c for c in choices if c[0] in office]


def _away_ids(session: Session, starts_on: dt.date, ends_on: dt.date) -> set[int]:
    """Counsellors with an absence overlapping the period (not undone)."""
    return set(session.scalars(select(Absence.counsellor_id).where(
        Absence.cancelled_at.is_(None), Absence.starts_on <= ends_on,
        Absence.ends_on >= starts_on)))  # fmt: skip


def _clients_of(session: Session, counsellor_id: int) -> list[tuple[int, str, str]]:
    """(id, dossier, name) of the active clients the counsellor is referent of, by name."""
    rows = session.execute(
        select(Client.id, Client.dossier, Client.given_name, Client.family_name)
        .join(Assignment, Assignment.client_id == Client.id)
        .where(Assignment.role == AssignmentRole.REFERENT, Assignment.ends_on.is_(None),
               Assignment.counsellor_id == counsellor_id, Client.status == ClientStatus.ACTIVE)
        .order_by(Client.sort_name, Client.id)
    )  # fmt: skip
    return [(r.id, r.dossier, f"{r.given_name} {r.family_name}") for r in rows]


def _not_away_already(
    session: Session, absent: Counsellor, starts_on: dt.date, ends_on: dt.date
) -> None:
    earlier = session.execute(select(Absence.starts_on, Absence.ends_on).where(
        Absence.counsellor_id == absent.id, Absence.cancelled_at.is_(None),
        Absence.starts_on <= ends_on, Absence.ends_on >= starts_on).limit(1)).first()  # fmt: skip
    if earlier is not None:
        raise v.FieldInvalid("away_from", _("{name} is already away {period}; undo that cover "
                                            "first, or choose other days.").format(
            name=absent.full_name, period=period_text(earlier.starts_on, earlier.ends_on)))  # fmt: skip


def _lock_absences(session: Session, counsellor_id: int) -> None:
    """Held to the commit: two declarations for one counsellor at once would both find no
    overlapping absence and give the clients two backups. The server locks one counsellor's
    absences (a counsellor may not lock the table); a database file has one writer anyway."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.traject_lock_absences(counsellor_id)))
    else:
        write_lock.hold(session, Absence.__tablename__)


def _chosen_backup(
    session: Session, absent: Counsellor, backup_id: int, away: set[int]
) -> Counsellor:
    backup = session.get(Counsellor, backup_id)
    if backup is None or not backup.active:
        raise v.FieldInvalid("backup", _("choose an active counsellor from the list."))
    if backup.id == absent.id:
        raise v.FieldInvalid("backup", _("the counsellor who is away cannot cover themselves; "
                                         "choose a colleague."))  # fmt: skip
    if backup.id in away:
        raise v.FieldInvalid("backup", _("{name} is away during this period too; choose another "
                                         "colleague.").format(name=backup.full_name))  # fmt: skip
    return backup


def plan(
    session: Session, actor: Actor, counsellor_id: int, starts_on: dt.date, ends_on: dt.date,
    backup_id: int | None = None, *, today: dt.date | None = None,
) -> list[Choice]:  # fmt: skip
    """Who would cover each active client of the absent counsellor, and why; nothing changes."""
    today = today or local_today()
    _check_period(starts_on, ends_on, today)
    absent = _absent_counsellor(session, actor, counsellor_id)
    return _plan(session, absent, starts_on, ends_on, backup_id)


def _plan(
    session: Session, absent: Counsellor, starts_on: dt.date, ends_on: dt.date,
    backup_id: int | None,
) -> list[Choice]:  # fmt: skip
    _not_away_already(session, absent, starts_on, ends_on)
    away = _away_ids(session, starts_on, ends_on)
    clients = _clients_of(session, absent.id)
    if backup_id is not None:
        backup = _chosen_backup(session, absent, backup_id, away)
        name = people.full_names(session, {backup.id})[backup.id]
        why = _("the colleague chosen for the whole caseload")
        return [
            Choice(cid, dossier, client, backup.id, name, why) for cid, dossier, client in clients
        ]
    if not clients:
        return []
    if absent.office is None:
        raise v.FieldInvalid("backup", _("{name} belongs to no office, so there are no office "
                                         "colleagues to spread over; choose one colleague.")
                             .format(name=absent.full_name))  # fmt: skip
    colleagues = session.execute(
        select(Counsellor.id, Counsellor.full_name, Counsellor.login)
        .where(Counsellor.active.is_(True), Counsellor.office == absent.office,
               Counsellor.role == CounsellorRole.COUNSELLOR, Counsellor.id != absent.id)
    ).all()  # fmt: skip
    colleagues = [c for c in colleagues if c.id not in away]
    if not colleagues:
        raise v.FieldInvalid("backup", _("nobody else in office {office} can cover in this period; "
                                         "choose one colleague.").format(office=absent.office))  # fmt: skip
    names = people.full_names(session, {c.id for c in colleagues})
    loads = open_caseloads(session, [c.id for c in colleagues])
    # fewest open files first; the same load goes by name, then login, so the plan is stable
    heap = [(loads[c.id], c.full_name.casefold(), c.login, c.id) for c in colleagues]
    heapq.heapify(heap)
    choices = []
    for cid, dossier, client in clients:
        load, name_key, login, colleague = heapq.heappop(heap)
        why = _("fewest open files in office {office} ({n})").format(office=absent.office, n=load)
        choices.append(Choice(cid, dossier, client, colleague, names[colleague], why))
        heapq.heappush(heap, (load + 1, name_key, login, colleague))
    return choices


def declare(
    session: Session, actor: Actor, counsellor_id: int, starts_on: dt.date, ends_on: dt.date,
    backup_id: int | None = None, *, today: dt.date | None = None,
) -> Declared:  # fmt: skip
    """Record the absence and give each active client its backup for the period, in the
    session's transaction (the caller commits; a failure leaves nothing behind)."""
    today = today or local_today()
    _check_period(starts_on, ends_on, today)
    absent = _absent_counsellor(session, actor, counsellor_id)
    _lock_absences(session, absent.id)
    choices = _plan(session, absent, starts_on, ends_on, backup_id)
    absence = Absence(counsellor_id=absent.id, starts_on=starts_on, ends_on=ends_on,
                      declared_by=actor.counsellor_id)  # fmt: skip
    session.add(absence)
    session.flush()
    begins, until = max(starts_on, today), ends_on + dt.timedelta(days=1)
    _end_overlapping(session, [c.client_id for c in choices], begins, until)
    if choices:
        session.execute(insert(Assignment), [
            {"client_id": c.client_id, "counsellor_id": c.backup_id, "role": AssignmentRole.BACKUP,
             "reason": AssignmentReason.ABSENCE_COVER, "starts_on": begins, "ends_on": until,
             "absence_id": absence.id, "version": 1, "created_at": utcnow()}
            for c in choices
        ])  # fmt: skip
    for choice in choices:  # each client's trail says its cover changed, as set_backup does
        audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                     client_id=choice.client_id, detail="backup")  # fmt: skip
    _tell(session, actor, absence, NoticeKind.COVER, {c.backup_id for c in choices})
    session.flush()
    return Declared(absence.id, starts_on, ends_on, choices)


def _end_overlapping(
    session: Session, client_ids: list[int], begins: dt.date, until: dt.date
) -> None:
    """A backup period of these clients that overlaps the cover ends where the cover begins
    (or never starts): the cover replaces it."""
    if not client_ids:
        return
    overlapping = session.scalars(select(Assignment).where(
        Assignment.client_id.in_(client_ids), Assignment.role == AssignmentRole.BACKUP,
        Assignment.starts_on < until,
        (Assignment.ends_on.is_(None)) | (Assignment.ends_on > begins))).all()  # fmt: skip
    for period in overlapping:
        period.ends_on = max(begins, period.starts_on)
    session.flush()


def _tell(
    session: Session, actor: Actor, absence: Absence, kind: NoticeKind, backups: set[int]
) -> None:
    """The absent counsellor (when someone else acted) and each backup colleague."""
    told = set(backups)
    if absence.counsellor_id != actor.counsellor_id:
        told.add(absence.counsellor_id)
    told.discard(actor.counsellor_id)
    notices.create_many(session, actor, kind, sorted(told), absence_id=absence.id,
                        starts_on=absence.starts_on, ends_on=absence.ends_on)  # fmt: skip


def undo(session: Session, actor: Actor, absence_id: int, *, today: dt.date | None = None) -> int:
    """End every backup period the absence arranged and mark it undone; the number of periods
    that were still running or to come."""
    today = today or local_today()
    absence = session.get(Absence, absence_id)
    if absence is None or absence.cancelled_at is not None:
        raise NotFound(_("This absence was undone already or no longer exists."))
    _absent_counsellor(session, actor, absence.counsellor_id)
    periods = session.scalars(select(Assignment).where(
        Assignment.absence_id == absence.id, Assignment.role == AssignmentRole.BACKUP,
        Assignment.ends_on > today)).all()  # fmt: skip
    backups = {p.counsellor_id for p in periods}
    for period in periods:
        period.ends_on = max(today, period.starts_on)
    session.flush()
    for client_id in sorted({p.client_id for p in periods}):
        audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                     client_id=client_id, detail="backup")  # fmt: skip
    absence.cancelled_at, absence.cancelled_by = utcnow(), actor.counsellor_id
    _tell(session, actor, absence, NoticeKind.COVER_ENDED, backups)
    session.flush()
    return len(periods)


def current_and_coming(session: Session, *, today: dt.date | None = None) -> list[AbsenceView]:
    """Absences not undone that have not ended, soonest first, with how many clients each
    covers (the periods one may see)."""
    today = today or local_today()
    covered = (select(Assignment.absence_id, func.count().label("n"))
               .where(Assignment.absence_id.is_not(None)).group_by(Assignment.absence_id)
               .subquery())  # fmt: skip
    rows = session.execute(
        select(Absence, covered.c.n).outerjoin(covered, covered.c.absence_id == Absence.id)
        .where(Absence.cancelled_at.is_(None), Absence.ends_on >= today)
        .order_by(Absence.starts_on, Absence.id)
    ).all()  # fmt: skip
    names = people.full_names(session, {a.counsellor_id for a, _n in rows})
    return [AbsenceView(a.id, a.counsellor_id, names.get(a.counsellor_id, ""), a.starts_on,
                        a.ends_on, int(n or 0)) for a, n in rows]  # fmt: skip


def current_or_next(
    session: Session, counsellor_id: int, *, today: dt.date | None = None
) -> int | None:
    """The absence of this counsellor running today, or else the next one (for `--undo`)."""
    today = today or local_today()
    return session.scalar(select(Absence.id).where(
        Absence.counsellor_id == counsellor_id, Absence.cancelled_at.is_(None),
        Absence.ends_on >= today).order_by(Absence.starts_on).limit(1))  # fmt: skip


def covered_by(
    session: Session, client_id: int, counsellor_id: int, on: dt.date
) -> tuple[str, dt.date] | None:
    """When `counsellor_id` is the client's backup on `on`: the referent's name and the last
    day of the cover (inclusive), for the banner in the file."""
    backup = session.execute(select(Assignment.ends_on).where(
        Assignment.client_id == client_id, Assignment.role == AssignmentRole.BACKUP,
        Assignment.counsellor_id == counsellor_id, Assignment.starts_on <= on,
        (Assignment.ends_on.is_(None)) | (Assignment.ends_on > on))
        .order_by(Assignment.starts_on.desc()).limit(1)).first()  # fmt: skip
    if backup is None:
        return None
    referent = session.scalar(select(Assignment.counsellor_id).where(
        Assignment.client_id == client_id, Assignment.role == AssignmentRole.REFERENT,
        Assignment.ends_on.is_(None)))  # fmt: skip
    if referent is None:
        return None
    name = people.full_names(session, {referent}).get(referent, "")
    last = backup.ends_on - dt.timedelta(days=1) if backup.ends_on is not None else on
    return name, last
