"""Counsellor profiles: creating them and listing who can take on clients."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Counsellor
from app.models.enums import CounsellorRole
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


def counsellor_choices(session: Session) -> list[tuple[int, str]]:
    """(id, full name) of every active counsellor, by name: what a pick list needs, no objects."""
    stmt = (
        select(Counsellor.id, Counsellor.full_name)
        .where(Counsellor.active.is_(True))
        .order_by(Counsellor.full_name)
    )
    return [(row.id, row.full_name) for row in session.execute(stmt)]


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
    """Counsellors' full names by id, for a list that names who did what."""
    rows = session.execute(
        select(Counsellor.id, Counsellor.full_name).where(Counsellor.id.in_(ids))
    )
    return {row.id: row.full_name for row in rows}
