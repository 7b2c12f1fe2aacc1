"""THE POSTGRESQL-SPECIFIC CONNECTION MODULE: a team's server of record.

`--db postgresql://HOST:PORT/DB` names the server; who connects is the counsellor signing in
(`TRAJECT_USER`, or the login dialog), as their own PostgreSQL role, so that the server's
row-level security applies to them and not only the services' rules. The password is never put
in the URL (where it would be printed, logged or kept): each new connection reads it from the
caller's bytearray, which signing out overwrites, as the encrypted file's key is (`db._keyed`).

A server on another machine is reached over TLS and its certificate is checked against its
name (`sslmode=verify-full`) unless the URL says otherwise; on this machine the connection
never leaves it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from app.i18n import _

DRIVER = "postgresql+psycopg"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", ""}
APPLICATION_NAME = "traject"


class SignInRefused(Exception):
    """The server refused the login or the password."""


def is_server_url(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def server_url(url: str | URL, user: str | None = None) -> URL:
    """`url` with the psycopg 3 driver, `user` as its user name, no password, and TLS checked
    for any host that is not this machine (unless the URL chose an `sslmode` itself)."""
    parsed = make_url(url).set(drivername=DRIVER, password=None)
    if user is not None:
        parsed = parsed.set(username=user)
    host = parsed.host or ""
    if host not in LOCAL_HOSTS and not host.startswith("/") and "sslmode" not in parsed.query:
        parsed = parsed.update_query_dict({"sslmode": "verify-full"})
    return parsed


def password_in_url(url: str) -> bool:
    return make_url(url).password is not None


def make_server_engine(url: str | URL, password: bytearray | None) -> Engine:
    """A pooled engine on the server; `password` (None: the server's own arrangements, such as
    a `.pgpass` file or `PGPASSWORD`, as `psql` would use) is read at every new connection."""
    engine = create_engine(
        server_url(url),
        pool_size=5,
        max_overflow=10,
        pool_pre_ping=True,  # a server restarted overnight: the first action reconnects
        pool_use_lifo=True,
        connect_args={"application_name": APPLICATION_NAME, "connect_timeout": 10},
    )
    if password is not None:
        event.listen(engine, "do_connect", _with_password(password))
    return engine


def _with_password(password: bytearray) -> Any:
    def give(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        if not any(password):
            raise SignInRefused(_("The caseload is locked; sign in first."))
        cparams["password"] = bytes(password).decode("utf-8")

    return give


def address(url: str | URL) -> str:
    """The server as a person recognises it, without any password."""
    return make_url(url).render_as_string(hide_password=True)


def login_refused(exc: BaseException) -> bool:
    """The server said no to the login or the password (never which of the two)."""
    text = str(getattr(exc, "orig", exc) or exc)
    return ("password authentication failed" in text or "no password supplied" in text
            or ("role" in text and "does not exist" in text))  # fmt: skip


def refusal_message(exc: BaseException) -> str | None:
    """A clear sentence for a connection the server refused, or None for other errors."""
    text = str(getattr(exc, "orig", exc) or exc)
    if login_refused(exc):
        return _("The server refused the login or the password.")
    if "Connection refused" in text or "could not translate host name" in text:
        return _("The server cannot be reached; check its address and port, and that it runs.")
    if "certificate" in text or "SSL" in text:
        return _("The server's identity could not be checked over TLS ({detail}). Ask your "
                 "administrator for the server's certificate authority (sslrootcert).").format(
            detail=text.strip().splitlines()[0])  # fmt: skip
    return None
