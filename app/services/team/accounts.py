"""Accounts on a team server: each counsellor is a PostgreSQL login role of their own.

A counsellor row and its login role are made, switched off or re-passworded in one transaction,
through the server's functions (migration 0009), which check again that an administrator asks.
The password never travels as text: libpq turns it into a SCRAM-SHA-256 verifier on this
machine (`PQencryptPasswordConn`), and only the verifier reaches the server, so it is in no
statement log. The first administrator is made by the server's superuser (`server init`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Counsellor
from app.models.enums import AuditAction, CounsellorRole
from app.services.caseload import counsellors
from app.services.errors import Forbidden, ServiceError, ValidationFailed, refused_by_server
from app.services.privacy import audit
from app.services.privacy.access import Actor, require_admin
from app.services.privacy.keyfile import check_password


def scram_verifier(session: Session, login: str, password: str) -> str:
    """What the server stores for `password`: computed here by libpq, never sent as text."""
    raw = session.connection().connection.dbapi_connection
    pgconn = raw.pgconn  # type: ignore[union-attr]
    verifier = pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")
    return bytes(verifier).decode("ascii")


def _server_error(exc: Exception) -> ServiceError:
    """The server's refusal, said in the counsellor's language."""
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if code == "42710":  # duplicate_object
        return ValidationFailed({"login": _("Login: the server already has an account with this "
                                            "name; choose another login.")})  # fmt: skip
    if code == "42602":  # invalid_name
        return ValidationFailed({"login": _("Login: this name is reserved on the server; choose "
                                            "another login.")})  # fmt: skip
    if refused_by_server(exc):
        return Forbidden(_("Only an administrator can manage accounts."))
    return ServiceError(_("The server refused the change ({detail}).").format(
        detail=str(getattr(exc, "orig", exc)).splitlines()[0]))  # fmt: skip


def _on_server(session: Session, call: Any) -> None:
    """One of the server's account functions, in a savepoint: a refusal leaves the session
    usable, and is said in the counsellor's language."""
    from sqlalchemy.exc import DBAPIError

    try:
        with session.begin_nested():
            session.execute(select(call))
    except DBAPIError as exc:
        raise _server_error(exc) from None


def add_account(
    session: Session, actor: Actor | None, *, login: str, full_name: str, password: str,
    role: CounsellorRole = CounsellorRole.COUNSELLOR, email: str | None = None,
    office: str | None = None,
) -> Counsellor:  # fmt: skip
    """A counsellor and their login role; `actor` None is the server's superuser (init).
    The caller commits the session."""
    if actor is not None:
        require_admin(actor)
    errors: dict[str, str] = {}
    try:
        check_password(password)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    person = _without_account(session, login)
    try:
        if person is None:
            person = counsellors.create_counsellor(session, login=login, full_name=full_name,
                                                   email=email, office=office, role=role)  # fmt: skip
    except ValidationFailed as exc:
        raise ValidationFailed({**exc.errors, **errors}) from None
    if errors:
        raise ValidationFailed(errors)
    _on_server(session, func.traject_create_login(
        person.login, scram_verifier(session, person.login, password)))  # fmt: skip
    audit.record(session, AuditAction.ACCOUNT,
                 counsellor_id=actor.counsellor_id if actor else person.id,
                 detail=f"add {person.login} ({person.role.value})")  # fmt: skip
    return person


def _without_account(session: Session, login: str) -> Counsellor | None:
    """A counsellor who came with a file moved onto the server (`server import-file`) and has
    no login role yet: `user add` gives them one, keeping their history."""
    from sqlalchemy import text

    person = session.scalar(select(Counsellor).where(Counsellor.login == login.strip().lower(),
                                                     Counsellor.active.is_(True)))  # fmt: skip
    if person is None:
        return None
    has_role = session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :login"),
                              {"login": person.login})  # fmt: skip
    return None if has_role else person


def counsellor_id_of(session: Session, login: str) -> int:
    """The id of the account signed in as `login`."""
    return _account(session, login).id


def _account(session: Session, login: str) -> Counsellor:
    person = session.scalar(select(Counsellor).where(Counsellor.login == login.strip().lower()))
    if person is None:
        raise ServiceError(_("There is no account “{login}”.").format(login=login))
    return person


def remove_account(session: Session, actor: Actor, login: str) -> None:
    """The account is switched off (its history stays) and its login role dropped: it can no
    longer connect, whatever copy of anything it kept. The caller commits."""
    require_admin(actor)
    person = _account(session, login)
    if person.id == actor.counsellor_id:
        raise Forbidden(_("You cannot remove your own account."))
    person.active = False
    _on_server(session, func.traject_drop_login(person.login))
    audit.record(session, AuditAction.ACCOUNT, counsellor_id=actor.counsellor_id,
                 detail=f"remove {person.login}")  # fmt: skip


def change_password(session: Session, actor: Actor, login: str, password: str) -> None:
    """One's own password, or anyone's for an administrator. The caller commits."""
    check_password(password)
    person = _account(session, login)
    if person.id != actor.counsellor_id and not actor.is_admin:
        raise Forbidden(_("You can only change your own password."))
    _on_server(session, func.traject_set_password(
        person.login, scram_verifier(session, person.login, password)))  # fmt: skip
    audit.record(session, AuditAction.ACCOUNT, counsellor_id=actor.counsellor_id,
                 detail=f"password {person.login}")  # fmt: skip
