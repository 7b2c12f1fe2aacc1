"""`traject server init`: a team server's schema, roles, row-level security and first admin.

Run by the server's superuser (or the owner of its database with the right to create roles).
The first run makes the caseload: Alembic's revisions up to this Traject's (0009 brings the
roles, policies and the audit trail's triggers), the organisation's name, the sample offers
and the first administrator, whose login role it creates. A later run with a newer Traject
upgrades the schema and leaves the accounts as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from app import db
from app.i18n import _
from app.models import Counsellor
from app.models.enums import CounsellorRole
from app.services import org_settings
from app.services.demo import generator as demo
from app.services.demo.generator import DemoSummary
from app.services.errors import ServiceError, ValidationFailed
from app.services.referrals import offer_catalogue
from app.services.team import accounts, sequences


@dataclass(frozen=True)
class Initialised:
    created: bool  # False: the caseload was there already (upgraded if need be)
    revision_before: str | None
    admin_login: str | None


def require_superuser(engine: Engine) -> None:
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT rolsuper OR rolcreaterole FROM pg_roles "
                                "WHERE rolname = current_user")):  # fmt: skip
            raise ServiceError(
                _("“server init” connects as the server's superuser (for example "
                  "postgresql://postgres@HOST:PORT/DB), who can create roles.")
            )  # fmt: skip


def is_superuser(session: Session) -> bool:
    """Connected as the server's superuser, whom row-level security does not hold (a demo, a
    moved file write every caseload at once)."""
    return bool(session.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")))


def fill_with_demo(session: Session, clients: int, *, seed: int, today: dt.date) -> DemoSummary:
    """A pilot server filled by its superuser (row-level security keeps every account, admins
    too, from writing other counsellors' caseloads); the accounts already there get a share."""
    if not is_superuser(session):
        raise ServiceError(
            _("A demo fills a server as its superuser: --db "
              "postgresql://postgres@HOST:PORT/DB, with the password in PGPASSWORD.")
        )  # fmt: skip
    summary = demo.generate(session, clients, seed=seed, today=today)
    sequences.catch_up(session)
    return summary


def initialise(
    engine: Engine, *, organisation: str, login: str, full_name: str, password: str,
    email: str | None = None,
) -> Initialised:  # fmt: skip
    """Migrate the server's schema to this Traject's; on a new caseload, add the organisation
    and the first administrator (every mistake in those reported at once, nothing made)."""
    if engine.dialect.name != "postgresql":
        raise ServiceError(_("“server init” is for a PostgreSQL server; use “traject init” for "
                             "a database file."))  # fmt: skip
    require_superuser(engine)
    before = db.stored_revision(engine)
    if before is None and not organisation.strip():
        raise ValidationFailed(
            {"organisation": _("Organisation: enter the name of your organisation.")}
        )
    db.migrate(engine)
    with Session(engine) as session:
        if session.scalar(select(func.count()).select_from(Counsellor)):
            return Initialised(created=False, revision_before=before, admin_login=None)
        person = accounts.add_account(session, None, login=login, full_name=full_name,
                                      password=password, role=CounsellorRole.ADMIN,
                                      email=email)  # fmt: skip
        org_settings.put(session, org_settings.ORGANISATION_NAME, organisation.strip())
        offer_catalogue.load_sample(session)
        session.commit()
        return Initialised(created=True, revision_before=before, admin_login=person.login)


def tidy_after_bulk_load(engine: Engine) -> None:
    """VACUUM ANALYZE after a demo or a moved file: fresh statistics for the planner, and the
    visibility map that lets searches read the covering indexes alone (index-only scans)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
