"""SQLAlchemy's pysqlcipher dialect, less its hook that keys each connection from the URL's
password: Traject keys connections itself from the master key in memory (`db._keyed`), so the
key never sits in an engine's URL, where it would outlive the lock."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.sqlite.pysqlcipher import SQLiteDialect_pysqlcipher
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite


class KeyedCipherDialect(SQLiteDialect_pysqlcipher):
    supports_statement_cache = True

    def on_connect_url(self, url: Any) -> Any:
        return SQLiteDialect_pysqlite.on_connect_url(self, url)
