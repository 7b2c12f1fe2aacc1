"""Before a new file is made: is there one for the same person already? The same name (folded:
case, accents and spaces do not matter; given and family name may be swapped, as happens at a
desk) and the same birth date or one of the same phone numbers.

What is found says only the dossier, who follows it and whether the one asking may open it
directly or must give a reason (break the glass): on a team server a counsellor cannot read a
colleague's clients, so the server's `traject_same_person` (migration 0013) answers with just
that. Nothing is refused here: the caller shows the warning and the person decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.i18n import _
from app.models import Assignment, Client
from app.models.enums import AssignmentRole
from app.models.people import client_sort_name
from app.services import validation
from app.services.caseload import counsellors
from app.services.errors import ServiceError, refused_by_server
from app.services.privacy import access
from app.services.privacy.access import Actor

MOST = 5
MOST_PHONES = 4  # the server answers for at most this many numbers at once


@dataclass(frozen=True)
class ExistingFile:
    client_id: int
    dossier: str
    referent_id: int | None
    #: the referent as names are shown ("Anna Peeters (Gent)"), None while the file waits
    referent: str | None
    #: False: the file is a colleague's; opening it asks for the reason
    may_open: bool


def normalised_phones(phones: Iterable[str | None]) -> list[str]:
    """The numbers as files store them (E.164); what is not a phone number is left out (the
    form says so when the file is saved)."""
    out: list[str] = []
    for phone in phones:
        try:
            number = validation.phone("phone", phone)
        except validation.FieldInvalid:
            continue
        if number and number not in out:
            out.append(number)
    return out


def find(
    session: Session, actor: Actor, *, given_name: str, family_name: str,
    birth_date: dt.date | None = None, phones: Iterable[str | None] = (),
) -> list[ExistingFile]:  # fmt: skip
    """Files of the person about to be registered, oldest first (at most MOST)."""
    numbers = normalised_phones(phones)
    given_name, family_name = given_name.strip(), family_name.strip()  # as files store them
    if not (given_name.strip() or family_name.strip()) or (birth_date is None and not numbers):
        return []
    names = list(dict.fromkeys([client_sort_name(family_name, given_name),
                                client_sort_name(given_name, family_name)]))  # fmt: skip
    server = _as_account_on_server(session)
    found: dict[int, tuple[str, int | None]] = {}
    for name in names:
        rows = _on_server(session, name, birth_date, numbers) if server else \
            _on_file(session, name, birth_date, numbers)  # fmt: skip
        for client_id, dossier, referent_id in rows:
            found.setdefault(client_id, (dossier, referent_id))
    ids = sorted(found)[:MOST]
    labels = counsellors.labelled_with_office(
        session, {r for _d, r in found.values() if r is not None}
    )
    return [
        ExistingFile(
            i,
            found[i][0],
            found[i][1],
            labels.get(found[i][1] or -1),
            _may_open(session, actor, i, server),
        )
        for i in ids
    ]


def _on_server(
    session: Session, name: str, born: dt.date | None, phones: list[str]
) -> list[tuple[int, str, int | None]]:
    """The server answers and records each question; an account asking too many in a short
    time is refused there (a name alone must not walk through the birth dates)."""
    from sqlalchemy.exc import DBAPIError

    try:
        with session.begin_nested():
            rows = session.execute(
                select(
                    func.traject_same_person(name, born, phones[:MOST_PHONES])
                    .table_valued("client_id", "dossier", "referent_id")
                    .render_derived()
                )
            ).all()
    except DBAPIError as exc:
        if not refused_by_server(exc):
            raise
        raise ServiceError(_("Too many look-ups for existing files in a short time; wait a few "
                             "minutes, or search the caseload by name.")) from None  # fmt: skip
    return [(row.client_id, row.dossier, row.referent_id) for row in rows]


def _on_file(
    session: Session, name: str, born: dt.date | None, phones: list[str]
) -> list[tuple[int, str, int | None]]:
    same: list[ColumnElement[bool]] = []
    if born is not None:
        same.append(Client.birth_date == born)
    if phones:
        same += [Client.phone.in_(phones), Client.phone_alt.in_(phones)]
    stmt = (
        select(Client.id, Client.dossier, Assignment.counsellor_id)
        .outerjoin(
            Assignment,
            and_(
                Assignment.client_id == Client.id,
                Assignment.role == AssignmentRole.REFERENT,
                Assignment.ends_on.is_(None),
            ),
        )
        .where(Client.sort_name == name, or_(*same))
        .order_by(Client.id)
        .limit(MOST)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(stmt)]


def _as_account_on_server(session: Session) -> bool:
    """Signed in to a team server with an account (row-level security applies); the server's
    own upkeep (its superuser) reads the clients directly, as on a file."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    return session.scalar(select(func.traject_me())) is not None


def _may_open(session: Session, actor: Actor, client_id: int, server: bool) -> bool:
    if server:  # row-level security is the answer: a file one may open is a file one reads
        return session.scalar(select(Client.id).where(Client.id == client_id)) is not None
    return access.may_work_on(session, actor, client_id)
