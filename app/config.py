"""Where Traject keeps its files (platformdirs) and how a database location is chosen."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from app.private_files import private_folder

APP_NAME = "Traject"
DB_ENV = "TRAJECT_DB"
USER_ENV = "TRAJECT_USER"  # credentials for commands run without a person at the keyboard
PASSWORD_ENV = "TRAJECT_PASSWORD"


def data_dir() -> Path:
    """The database, its key file and the backups: the user's alone (0700)."""
    return private_folder(platformdirs.user_data_path(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The interface settings, which name the last client opened: the user's alone (0700)."""
    return private_folder(platformdirs.user_config_path(APP_NAME, appauthor=False))


def default_backup_dir() -> Path:
    """Automatic backups, unless the counsellor chooses another folder (a USB stick, a share);
    created 0700 here."""
    return private_folder(data_dir() / "backups")


def default_db_path() -> Path:
    return data_dir() / "traject.db"


#: SQLAlchemy's dialect for SQLCipher files: every database given as a path is encrypted.
ENCRYPTED_SCHEME = "sqlite+pysqlcipher"


def resolve_db_url(option: str | None) -> str:
    """The database URL from --db, else TRAJECT_DB, else the file in the user data folder.

    A path means an encrypted database; anything with '://' is used as given (an explicit
    `sqlite:///…` URL is the unencrypted kind, for tests and demos).
    """
    value = option or os.environ.get(DB_ENV) or str(default_db_path())
    if "://" in value:
        return value
    return f"{ENCRYPTED_SCHEME}:///{Path(value).expanduser().resolve()}"
