"""Counsellor profiles: creating them, listing who can take on clients, and the names they
are shown by (two counsellors with the same name are told apart by office and login)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from app.i18n import _, current_language
from app.models import Assignment, Counsellor
from app.models.enums import AssignmentRole, CounsellorRole
from app.models.text import fold
from app.services import validation as v
from app.services.errors import ValidationFailed

_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def check_profile(
    *,
    login: str,
    full_name: str,
    email: str | None = None,
    phone: str | None = None,
    office: str | None = None,
) -> dict[str, object]:
    """The cleaned profile fields; ValidationFailed names every field that is wrong."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {"login": login.strip().lower()}
    if not _LOGIN.match(str(values["login"])):
        errors["login"] = f"{v.field_label('login')}: " + _(
            "use 2 to 64 lower-case letters, digits, dots, hyphens or underscores."
        )
    checks: list[tuple[str, Callable[[], str | None]]] = [
        ("full_name", lambda: v.required_text("full_name", full_name)),
        ("email", lambda: v.email(email)),
        ("phone", lambda: v.phone("phone", phone)),
        ("office", lambda: v.optional_text("office", office)),
    ]
    for field, check in checks:
        try:
            values[field] = check()
        except v.FieldInvalid as exc:
            errors[field] = str(exc)
    if errors:
        raise ValidationFailed(errors)
    return values


def create_counsellor(
    session: Session,
    *,
    login: str,
    full_name: str,
    email: str | None = None,
    phone: str | None = None,
    office: str | None = None,
    role: CounsellorRole = CounsellorRole.COUNSELLOR,
) -> Counsellor:
    try:
        values = check_profile(login=login, full_name=full_name, email=email, phone=phone,
                               office=office)  # fmt: skip
        errors: dict[str, str] = {}
    except ValidationFailed as exc:
        values, errors = {"login": login.strip().lower()}, exc.errors
    taken = session.scalar(select(Counsellor.id).where(Counsellor.login == values["login"]))
    if "login" not in errors and taken is not None:
        errors["login"] = f"{v.field_label('login')}: " + _(
            "“{login}” is already taken; choose another login."
        ).format(login=values["login"])
    if errors:
        raise ValidationFailed(errors)
    counsellor = Counsellor(role=role, **values)
    session.add(counsellor)
    session.flush()
    return counsellor


def active_counsellors(session: Session) -> list[Counsellor]:
    return list(
        session.scalars(
            select(Counsellor).where(Counsellor.active.is_(True)).order_by(Counsellor.full_name)
        )
    )


def counsellor_choices(session: Session, *, with_office: bool = False) -> list[tuple[int, str]]:
    """(id, name) of every active counsellor, by name: what a pick list needs, no objects. A
    name two counsellors share says whose it is (`display_names`); `with_office` adds the
    office to every name (who follows a client: the office matters there)."""
    labels = _labels(session, with_office=with_office)
    stmt = (
        select(Counsellor.id)
        .where(Counsellor.active.is_(True))
        .order_by(Counsellor.full_name, Counsellor.office, Counsellor.login)
    )
    return [(counsellor_id, labels[counsellor_id]) for counsellor_id in session.scalars(stmt)]


def any_active(session: Session) -> bool:
    stmt = select(Counsellor.id).where(Counsellor.active.is_(True)).limit(1)
    return session.scalar(stmt) is not None


def active_id_for_login(session: Session, login: str) -> int | None:
    """The active account with this login, if any (a switched-off one is nobody)."""
    return session.scalar(select(Counsellor.id).where(
        Counsellor.login == login.strip().lower(), Counsellor.active.is_(True)))  # fmt: skip


def id_for_login(session: Session, login: str) -> int | None:
    """The account with this login (as typed: case and spaces do not matter), if any."""
    return session.scalar(select(Counsellor.id).where(Counsellor.login == login.strip().lower()))


def full_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Counsellors' names by id, for a list that names who did what (`display_names`)."""
    return display_names(session, ids)


def display_names(session: Session, ids: Iterable[int] | None = None) -> dict[int, str]:
    """The name each counsellor is shown by: the full name, or, when another counsellor
    (active or not) has the same one, "Anna Peeters (Gent, apeeters)". One query for the
    lot: a list reads these once, not per row."""
    labels = _labels(session)
    if ids is None:
        return labels
    return {i: labels[i] for i in ids if i in labels}


def told_apart(session: Session) -> dict[int, str]:
    """Only the counsellors whose full name another has too, by the name they are shown by;
    empty in most offices, where a list can show the names it reads (the caseload asks at
    every keystroke: one small query)."""
    labels, plain = _names(session, with_office=False)
    return {i: label for i, label in labels.items() if label != plain[i]}


def names_version(session: Session) -> tuple[int, int, int]:
    """Changes whenever an account is added, removed or renamed (each change raises a row's
    version): a list that tells same names apart asks this, not for every name again."""
    row = session.execute(
        select(
            func.count(),
            func.coalesce(func.max(Counsellor.id), 0),
            func.coalesce(func.sum(Counsellor.version), 0),
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def referents(session: Session, client_ids: Iterable[int]) -> dict[int, int]:
    """The current referent's id of each of these clients that has one (for a list that
    shows referents by `display_names`)."""
    ids = list(client_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Assignment.client_id, Assignment.counsellor_id).where(
            Assignment.client_id.in_(ids), Assignment.role == AssignmentRole.REFERENT,
            Assignment.ends_on.is_(None))
    )  # fmt: skip
    return {row.client_id: row.counsellor_id for row in rows}


def labelled_with_office(session: Session, ids: Iterable[int] | None = None) -> dict[int, str]:
    """Names with the office, for a client's documents and for choosing who follows a client:
    "Anna Peeters (Gent)"; with the login too where another counsellor has the same name."""
    labels = _labels(session, with_office=True)
    if ids is None:
        return labels
    return {i: labels[i] for i in ids if i in labels}


def _rows(session: Session) -> Sequence[Row[int, str, str | None, str]]:
    # the counsellors table is small (one row per account): read whole, told apart in Python
    return session.execute(
        select(Counsellor.id, Counsellor.full_name, Counsellor.office, Counsellor.login)
    ).all()


@lru_cache(maxsize=4096)
def _same_name_key(full_name: str) -> str:
    """What makes two names the same name: case, accents and spaces aside."""
    return fold(" ".join(full_name.split()))


#: Labels and plain names by (database, accounts' version, language, with office): a file
#: opened shows names in several places, and a list at every keystroke; the accounts change
#: seldom, so one small count tells whether the names read before still hold.
_NAMES: dict[
    tuple[str, tuple[int, int, int], str, bool], tuple[dict[int, str], dict[int, str]]
] = {}


def _names(session: Session, *, with_office: bool) -> tuple[dict[int, str], dict[int, str]]:
    bind = session.get_bind()
    where = f"{id(bind.engine)} {bind.engine.url}"  # one engine per open database
    key = (where, names_version(session), current_language(), with_office)
    found = _NAMES.get(key)
    if found is None:
        rows = _rows(session)
        found = (_labels_of(rows, with_office=with_office), {r.id: r.full_name for r in rows})
        if len(_NAMES) > 16:  # old versions and languages: forgotten
            _NAMES.clear()
        _NAMES[key] = found
    return found


def _labels(session: Session, *, with_office: bool = False) -> dict[int, str]:
    return dict(_names(session, with_office=with_office)[0])


def _labels_of(
    rows: Sequence[Row[int, str, str | None, str]], *, with_office: bool = False
) -> dict[int, str]:
    shared = Counter(_same_name_key(row.full_name) for row in rows)
    out: dict[int, str] = {}
    for row in rows:
        if shared[_same_name_key(row.full_name)] > 1:
            out[row.id] = (
                _("{name} ({office}, {login})").format(
                    name=row.full_name, office=row.office, login=row.login
                )
                if row.office
                else _("{name} ({login})").format(name=row.full_name, login=row.login)
            )
        elif with_office and row.office:
            out[row.id] = _("{name} ({office})").format(name=row.full_name, office=row.office)
        else:
            out[row.id] = row.full_name
    return out
