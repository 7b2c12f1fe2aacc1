"""Engine, sessions and schema state: open a database, back it up and migrate it on start.

A Traject database is a SQLCipher 4 file (`sqlite+pysqlcipher:///path`) opened with the raw
256-bit master key from its key file; plain SQLite (`sqlite:///path`) is for tests and demos.
Alembic owns the schema. Opening a database that is behind the code copies the file first (and
checks the copy), then upgrades it in one transaction; a database whose revision the code does
not know is refused, naming the Traject version that wrote it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app import __version__, db_files
from app.config import ENCRYPTED_SCHEME
from app.db_server import is_server_url, login_refused, make_server_engine, refusal_message
from app.i18n import _
from app.storage import refuse_network_share

if TYPE_CHECKING:
    from alembic.config import Config
    from filelock import ReadWriteLock

#: The newest revision in app/migrations/versions (a test keeps the two in step). Knowing it
#: lets a start-up with an up-to-date database skip loading Alembic altogether.
HEAD_REVISION = "0013"


#: What a window, a dialog or a command receives instead of a session: it opens one session per
#: user action (`with sessions() as session: ...; session.commit()`) and keeps none after it.
SessionFactory = Callable[[], Session]


class DatabaseError(Exception):
    """A database that cannot be opened, with a message fit for the person who asked."""


class LoginRefused(DatabaseError):
    """A team server refused the login or the password."""


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str
    known: bool

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def alembic_config() -> Config:
    from alembic.config import Config

    from app.package_data import migrations

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations()))
    return cfg


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for memory or other databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


ENCRYPTED_DRIVER = "pysqlcipher"


def encrypted_url(path: Path) -> str:
    return f"{ENCRYPTED_SCHEME}:///{path}"


def is_encrypted_url(url: str) -> bool:
    return make_url(url).get_driver_name() == ENCRYPTED_DRIVER


def _quiet_sqlcipher(dbapi_connection: Any, _record: Any = None) -> None:
    """SQLCipher writes its own log to stderr; Traject reports errors itself."""
    dbapi_connection.execute("PRAGMA cipher_log_level = NONE")


def _decrypted_page_cache(dbapi_connection: Any, _record: Any) -> None:
    """Every page read from an encrypted file is decrypted first. Keeping up to 128 MiB of
    decrypted pages (SQLite's default is 2 MiB) holds what searching and the caseload read for
    100,000 clients (about 90 MiB, see `search.warm_up_steps`), so searching stays as fast as on
    a plain file. The cache only grows as pages are read: a small caseload uses little."""
    dbapi_connection.execute("PRAGMA cache_size = -131072")


def _keyed(key: bytearray) -> Any:
    """A connect hook giving SQLCipher the raw key (x'…': no key derivation per connection),
    read from the caller's bytearray at every connection: once it is overwritten (a lock), new
    connections cannot read, and the engine holds no copy of its own."""

    def give_key(dbapi_connection: Any, _record: Any) -> None:
        if not any(key):
            raise DatabaseError(_("The caseload is locked; sign in first."))
        dbapi_connection.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")

    return give_key


def _register_keyed_dialect() -> None:
    """Use the pysqlcipher dialect without its own key hook (which issues PRAGMA key with the
    URL's password, and refuses an empty one): `_keyed` gives the key instead."""
    from sqlalchemy.dialects import registry

    registry.register("sqlite.pysqlcipher", "app.db_cipher", "KeyedCipherDialect")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")  # erased data does not linger in free pages
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _explicit_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def wait_at_most(session: Session, milliseconds: int) -> None:
    """This session's next statements wait at most `milliseconds` for a database that another
    process is writing to (SQLite's busy timeout), then fail as busy."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"PRAGMA busy_timeout = {int(milliseconds)}"))


def make_engine(
    url: str, key: bytearray | None = None, password: bytearray | None = None
) -> Engine:
    """An engine on `url`; an encrypted database needs its master key, a team server the
    signing-in counsellor's password (`db_server`)."""
    if is_server_url(url):
        return make_server_engine(url, password)
    path = sqlite_path(url)
    if path is not None and not path.parent.is_dir():
        raise DatabaseError(_("The folder {folder} does not exist.").format(folder=path.parent))
    if is_encrypted_url(url):
        if path is not None:  # the real caseload; sqlite:/// URLs are for tests and demos
            refuse_network_share(path, DatabaseError)
        if key is None:
            raise DatabaseError(_("This database is encrypted; sign in to open it."))
        # The key is never in the URL, where it would outlive the lock in the engine: each new
        # connection is keyed from `key` itself, which the vault overwrites when it locks, so a
        # session left behind can no longer read (see `_keyed`).
        _register_keyed_dialect()
        # A queue of connections, not pysqlcipher's one per thread: a session per action may
        # open while another is open (each its own transaction); last in, first out, as the
        # connection used last holds the pages decrypted so far. `Database.close` closes
        # the ones still checked out too.
        engine = create_engine(make_url(url).set(password=None), poolclass=QueuePool,
                               pool_use_lifo=True, connect_args={"check_same_thread": False})  # fmt: skip
        event.listen(engine, "connect", _keyed(key), insert=True)
        event.listen(engine, "connect", _quiet_sqlcipher, insert=True)  # before the key
        event.listen(engine, "connect", _decrypted_page_cache)
    else:
        engine = create_engine(url, pool_use_lifo=sqlite_path(url) is not None)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def stored_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def schema_state(engine: Engine) -> SchemaState:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    known = current is None or current in {rev.revision for rev in script.walk_revisions()}
    return SchemaState(current=current, head=head, known=known)


def backup_file(path: Path, label: str, key: bytearray | None = None) -> Path:
    """A checked, consistent copy of a database file beside it (an encrypted database's copy is
    encrypted with the same key); a copy that does not pass the integrity check is removed."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.{label}.{stamp}{path.suffix}.bak")
    db_files.copy_database(path, target, key)
    try:
        db_files.check_file(target, key)
    except db_files.Damaged as exc:
        target.unlink(missing_ok=True)
        raise DatabaseError(
            _("The copy of the database taken before the upgrade is damaged ({detail}); "
              "nothing was changed. Run “traject check”.").format(detail=exc)
        ) from exc  # fmt: skip
    return target


#: The organisation setting that names the Traject version that last migrated the database, so
#: an older Traject can say which version it would need.
WRITTEN_BY_KEY = "schema.written_by"


def written_by(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("org_settings"):
            return None
        return conn.execute(
            text("SELECT value FROM org_settings WHERE key = :key"), {"key": WRITTEN_BY_KEY}
        ).scalar()


def _newer_refusal(engine: Engine, state: SchemaState) -> DatabaseError:
    version = written_by(engine)
    if version:
        return DatabaseError(
            _("This database was last upgraded by Traject {theirs} (schema {revision}); this "
              "is Traject {ours}, which knows schemas up to {head}. Install Traject {theirs} "
              "or newer to open it.").format(theirs=version, revision=state.current,
                                              ours=__version__, head=state.head)
        )  # fmt: skip
    return DatabaseError(
        _("This database was made by a newer Traject (schema {revision}); this is Traject "
          "{ours}, which knows schemas up to {head}. Please update Traject.").format(
            revision=state.current, ours=__version__, head=state.head)
    )  # fmt: skip


def migrate(engine: Engine, key: bytearray | None = None) -> Path | None:
    """Bring the schema to the code's head; returns the backup taken first, if any. The whole
    upgrade is one transaction (see `_ddl_in_transactions`): a revision that fails halfway
    leaves the schema and the rows exactly as they were."""
    if stored_revision(engine) == HEAD_REVISION:
        return None
    from alembic import command

    state = schema_state(engine)
    if not state.known:
        raise _newer_refusal(engine, state)
    if state.up_to_date:
        return None
    with engine.connect() as conn:
        all_tables = set(inspect(conn).get_table_names())
    tables = all_tables - {"alembic_version"}
    if state.current is None and tables and "alembic_version" not in all_tables:
        raise DatabaseError(_("This file is not a Traject database."))
    backup = None
    path = sqlite_path(str(engine.url))
    if path is not None and tables:
        backup = backup_file(path, f"before-{state.head}", key)
    cfg = alembic_config()
    with engine.connect() as conn, _ddl_in_transactions(conn):
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if (
                    conn.dialect.name == "sqlite"
                    and conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                ):
                    raise DatabaseError(_("The upgrade would leave rows pointing nowhere."))
                _record_writer(conn)
        except Exception as exc:
            if isinstance(exc, DatabaseError):
                raise
            raise DatabaseError(
                _("Upgrading the database to schema {head} failed and was undone; your data "
                  "is as it was. ({detail})").format(head=state.head, detail=exc)
            ) from exc  # fmt: skip
    return backup


@contextmanager
def _ddl_in_transactions(conn: Connection) -> Iterator[None]:
    """Python's sqlite3 opens transactions itself, and only before INSERT, UPDATE and DELETE:
    DDL would run outside any transaction, and a migration failing halfway would leave half a
    schema. On the migrating connection the driver's own handling is off and SQLAlchemy's
    `begin` issues an explicit BEGIN, so the whole upgrade commits or rolls back as one.

    Only here: the sessions of the running app keep the driver's handling, which starts a
    transaction at the first write. An explicit BEGIN on every read would pin each long-lived
    session to an old snapshot (stale reads, "database is locked" when it then writes, and a
    write-ahead log that cannot be checkpointed). Foreign keys are off meanwhile, as SQLite's
    procedure for changing tables asks (a table copied and dropped must not cascade into the
    rows that point at it); they are checked before the upgrade commits."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw: Any = conn.connection.driver_connection
    previous = raw.isolation_level
    raw.isolation_level = None
    raw.execute("PRAGMA foreign_keys = OFF")  # outside any transaction, where SQLite accepts it
    event.listen(conn, "begin", _explicit_begin)
    try:
        yield
    finally:
        event.remove(conn, "begin", _explicit_begin)
        raw.execute("PRAGMA foreign_keys = ON")
        raw.isolation_level = previous


def _record_writer(conn: Any) -> None:
    conn.execute(
        text("INSERT INTO org_settings (key, value, version) VALUES (:key, :value, 1) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
        {"key": WRITTEN_BY_KEY, "value": __version__},
    )  # fmt: skip


@dataclass
class Database:
    """An open, migrated database: the engine and a factory for sessions on it. On a database
    file it holds the shared side of the file's "in use" lock until it is closed (`db_lock`:
    a restore is refused meanwhile)."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    backup_before_migration: Path | None = None
    in_use: ReadWriteLock | None = None
    #: Every driver connection open on the engine, checked out or pooled (`close` ends all).
    connections: set[Any] = field(default_factory=set)

    @property
    def is_plain_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite" and not self.is_encrypted

    @property
    def is_server(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def is_encrypted(self) -> bool:
        return self.engine.dialect.driver == ENCRYPTED_DRIVER

    def close(self) -> None:
        try:
            if self.engine.dialect.name == "sqlite":
                with self.engine.connect() as conn:  # keeps the planner's statistics current
                    conn.execute(text("PRAGMA optimize"))
        except DBAPIError:
            pass  # a damaged or vanished file: closing must still let go of it
        finally:
            self.engine.dispose()  # the pooled connections
            for connection in list(self.connections):  # a session left open still holds one
                with contextlib.suppress(Exception):
                    connection.close()
            self.connections.clear()
            if self.in_use is not None:  # after the connections: nobody has the file now
                from app import db_lock

                db_lock.release(self.in_use)
                self.in_use = None


def open_database(
    url: str, *, key: bytearray | None = None, create: bool = True,
    password: bytearray | None = None,
) -> Database:  # fmt: skip
    """The database behind `url`, migrated; a database file is marked in use until `close`.
    A team server is not migrated here (its accounts may not change the schema): it must be at
    this Traject's schema already (`traject server init` upgrades it)."""
    if is_server_url(url):
        return _open_server(url, password)
    path = sqlite_path(url)
    if path is not None and not create and not path.exists():
        raise DatabaseError(_("No database at {path}.").format(path=path))
    engine = make_engine(url, key)
    connections: set[Any] = set()
    event.listen(engine, "connect", lambda conn, _record: connections.add(conn))
    event.listen(engine, "close", lambda conn, _record: connections.discard(conn))
    in_use = _hold_in_use(path) if path is not None else None
    try:
        backup = migrate(engine, key)
    except BaseException as exc:
        engine.dispose()
        if in_use is not None:
            from app import db_lock

            db_lock.release(in_use)
        if isinstance(exc, DatabaseError) or not isinstance(exc, Exception):
            raise
        if path is not None and db_files.is_driver_error(exc.__cause__):
            raise DatabaseError(
                _("{path} is not a readable Traject database.").format(path=path)
            ) from exc
        raise
    sessions = sessionmaker(engine, expire_on_commit=False)
    return Database(url=url, engine=engine, sessions=sessions, backup_before_migration=backup,
                    in_use=in_use, connections=connections)  # fmt: skip


def _hold_in_use(path: Path) -> ReadWriteLock:
    from app import db_lock

    try:
        return db_lock.hold_shared(path)
    except db_lock.Busy:
        raise DatabaseError(
            _("Traject is replacing {path} or giving it a new key (a restore, or an account "
              "change); open it again in a moment.")
            .format(path=path)
        ) from None  # fmt: skip
    except db_lock.Unusable as exc:
        raise DatabaseError(
            _("Traject cannot mark {path} as in use ({reason}); check that you may write in "
              "its folder, or remove the file {lock} while Traject is closed everywhere.")
            .format(path=path, reason=exc, lock=db_lock.lock_file(path))
        ) from None  # fmt: skip


def _open_server(url: str, password: bytearray | None) -> Database:
    engine = make_engine(url, password=password)
    try:
        current = stored_revision(engine)
        if current != HEAD_REVISION:
            raise _server_schema_refusal(engine, current)
    except DBAPIError as exc:
        engine.dispose()
        message = refusal_message(exc)
        if message is None:
            raise
        raise (LoginRefused if login_refused(exc) else DatabaseError)(message) from None
    except BaseException:
        engine.dispose()
        raise
    return Database(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def _server_schema_refusal(engine: Engine, current: str | None) -> DatabaseError:
    if current is None:
        return DatabaseError(
            _("This server holds no Traject caseload yet; an administrator of the server runs "
              "“traject server init” first.")
        )  # fmt: skip
    state = schema_state(engine)
    if not state.known:
        return _newer_refusal(engine, state)
    return DatabaseError(
        _("The caseload on this server has schema {revision}; this Traject needs {head}. An "
          "administrator of the server runs “traject server init” to upgrade it.").format(
            revision=current, head=state.head)
    )  # fmt: skip
