"""Notices to a counsellor about their clients: a colleague opened one of their files with a
reason (broke the glass), or covers their clients during an absence, or that cover was undone.
Shown at the next sign-in and kept in a list.

A notice names who did what, when and about whom; never the reason someone typed (the audit
trail keeps that, for those allowed to read it). A client is named only when the reader may
see the file; the colleagues covering an absence and how many clients each covers are read
from the backup periods the absence made, not copied into the notice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.i18n import _, format_datetime, format_list, ngettext
from app.models import Assignment, Client
from app.models.base import utcnow
from app.models.team import Absence, Notice, NoticeKind
from app.services.caseload import counsellors as people
from app.services.privacy import access
from app.services.privacy.access import Actor

LIST_LIMIT = 200


@dataclass(frozen=True)
class NoticeView:
    id: int
    kind: NoticeKind
    created_at: dt.datetime
    read: bool
    from_name: str
    client_id: int | None
    client: str | None  # "dossier name" when the reader may see the file
    starts_on: dt.date | None
    ends_on: dt.date | None  # inclusive
    backups: list[tuple[str, int]]  # (colleague, clients covered) for cover notices
    text: str  # the whole notice in a sentence

    @property
    def when(self) -> str:
        return format_datetime(self.created_at)


def create(
    session: Session, actor: Actor, kind: NoticeKind, counsellor_id: int, *,
    client_id: int | None = None, absence_id: int | None = None,
    starts_on: dt.date | None = None, ends_on: dt.date | None = None,
) -> None:  # fmt: skip
    """Tell `counsellor_id`, in the actor's name, in the session's transaction."""
    create_many(session, actor, kind, [counsellor_id], client_id=client_id,
                absence_id=absence_id, starts_on=starts_on, ends_on=ends_on)  # fmt: skip


def create_many(
    session: Session, actor: Actor, kind: NoticeKind, counsellor_ids: Iterable[int], *,
    client_id: int | None = None, absence_id: int | None = None,
    starts_on: dt.date | None = None, ends_on: dt.date | None = None,
) -> None:  # fmt: skip
    rows = [{"counsellor_id": cid, "kind": kind, "client_id": client_id,
             "from_counsellor_id": actor.counsellor_id, "absence_id": absence_id,
             "starts_on": starts_on, "ends_on": ends_on, "created_at": utcnow()}
            for cid in counsellor_ids]  # fmt: skip
    if rows:
        session.execute(insert(Notice), rows)


def unread(session: Session, actor: Actor) -> list[NoticeView]:
    """The actor's notices not yet marked read, newest first."""
    return _views(session, actor, only_unread=True, limit=LIST_LIMIT)


def all_for(session: Session, actor: Actor, limit: int = LIST_LIMIT) -> list[NoticeView]:
    """The actor's notices, read or not, newest first."""
    return _views(session, actor, only_unread=False, limit=limit)


def mark_read(session: Session, actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notices read (`ids`, or all of them); how many were unread."""
    stmt = update(Notice).where(Notice.counsellor_id == actor.counsellor_id,
                                Notice.read_at.is_(None))  # fmt: skip
    if ids is not None:
        stmt = stmt.where(Notice.id.in_(list(ids)))
    result = session.execute(stmt.values(read_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def _views(session: Session, actor: Actor, *, only_unread: bool, limit: int) -> list[NoticeView]:
    # a row of a kind this version does not know (written by hand on a server, or by a newer
    # Traject) is left out rather than stopping the list, and sign-in with it
    stmt = select(Notice).where(Notice.counsellor_id == actor.counsellor_id,
                                Notice.kind.in_(list(NoticeKind)))  # fmt: skip
    if only_unread:
        stmt = stmt.where(Notice.read_at.is_(None))
    found = list(session.scalars(stmt.order_by(Notice.created_at.desc(), Notice.id.desc())
                                 .limit(limit)))  # fmt: skip
    if not found:
        return []
    absence_ids = {n.absence_id for n in found if n.absence_id is not None}
    absent: dict[int, int] = {row.id: row.counsellor_id for row in session.execute(
        select(Absence.id, Absence.counsellor_id).where(Absence.id.in_(absence_ids)))}  # fmt: skip
    covers: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for absence_id, counsellor_id, n in session.execute(
        select(Assignment.absence_id, Assignment.counsellor_id, func.count())
        .where(Assignment.absence_id.in_(absence_ids))
        .group_by(Assignment.absence_id, Assignment.counsellor_id)
    ):  # fmt: skip
        covers[absence_id or 0].append((counsellor_id, int(n)))
    ids = {n.from_counsellor_id for n in found} | set(absent.values())
    ids |= {cid for pairs in covers.values() for cid, _n in pairs}
    names = people.full_names(session, ids)
    shown = _clients_shown(session, actor, {n.client_id for n in found if n.client_id})
    return [_view(notice, actor, names, shown, absent, covers) for notice in found]


def _view(
    notice: Notice, actor: Actor, names: dict[int, str], shown: dict[int, str],
    absent: dict[int, int], covers: dict[int, list[tuple[int, int]]],
) -> NoticeView:  # fmt: skip
    pairs = covers.get(notice.absence_id or 0, [])
    backups = sorted(((names.get(cid, ""), n) for cid, n in pairs), key=lambda p: p[0])
    whose = absent.get(notice.absence_id or 0)
    mine = next((n for cid, n in pairs if cid == actor.counsellor_id), 0)
    return NoticeView(
        notice.id, notice.kind, notice.created_at, notice.read_at is not None,
        names.get(notice.from_counsellor_id, ""), notice.client_id,
        shown.get(notice.client_id or 0), notice.starts_on, notice.ends_on, backups,
        _sentence(notice, actor, names, shown, whose, backups, mine),
    )  # fmt: skip


def _clients_shown(session: Session, actor: Actor, client_ids: set[int]) -> dict[int, str]:
    """Dossier and name of the clients whose file the reader may see (a team server shows no
    other row anyway)."""
    rows = session.execute(select(Client.id, Client.dossier, Client.given_name, Client.family_name)
                           .where(Client.id.in_(client_ids))).all()  # fmt: skip
    return {r.id: f"{r.dossier} {r.given_name} {r.family_name}" for r in rows
            if access.may_work_on(session, actor, r.id)}  # fmt: skip


def _sentence(
    notice: Notice, actor: Actor, names: dict[int, str], shown: dict[int, str],
    whose: int | None, backups: list[tuple[str, int]], mine: int,
) -> str:  # fmt: skip
    from app.services.team.absence import period_text

    who = names.get(notice.from_counsellor_id, "")
    if notice.kind == NoticeKind.BREAK_GLASS:
        client = shown.get(notice.client_id or 0) or _("a client who is no longer yours")
        return _("{who} opened the file of {client} with a reason.").format(who=who, client=client)
    period = (period_text(notice.starts_on, notice.ends_on)
              if notice.starts_on and notice.ends_on else "")  # fmt: skip
    if whose == actor.counsellor_id:  # the absent counsellor hears who covers their clients
        if notice.kind == NoticeKind.COVER_ENDED:
            return _("{who} undid the cover of your absence ({period}).").format(
                who=who, period=period)  # fmt: skip
        spread = format_list([ngettext("{name} ({n} client)", "{name} ({n} clients)", n)
                              .format(name=name, n=n) for name, n in backups])  # fmt: skip
        return _("{who} arranged cover for your absence ({period}): {backups}.").format(
            who=who, period=period, backups=spread)  # fmt: skip
    colleague = names.get(whose or 0, "")
    if notice.kind == NoticeKind.COVER_ENDED:
        return _("The cover of {colleague}'s clients ({period}) was undone by {who}; you no longer "
                 "cover them.").format(colleague=colleague, period=period, who=who)  # fmt: skip
    if mine:
        return ngettext("You cover {n} client of {colleague} ({period}).",
                        "You cover {n} clients of {colleague} ({period}).", mine).format(
            n=mine, colleague=colleague, period=period)  # fmt: skip
    # a team server shows the periods only once they run: the count comes with the first day
    return _("You cover clients of {colleague} ({period}).").format(
        colleague=colleague, period=period)  # fmt: skip
