"""Colleagues' changes as they are committed on the team server (LISTEN/NOTIFY).

The server's triggers (migration 0009) notify the channel `traject_changes` with the name of a
table whose rows changed, once per statement; PostgreSQL delivers it to every listener when
the transaction commits. A `ChangeFeed` holds one connection of its own for that, outside the
pool and never in a transaction, on a thread that waits for notifications in short steps, and
hands the tables that changed to `on_change` (on that thread: the window passes them on to
its own). It is the one connection Traject keeps open between actions: stopping the feed (a
lock, closing the window) closes it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

CHANNEL = "traject_changes"
WAIT_SECONDS = 0.25  # how long one wait lasts: how soon `stop` is heard
GATHER_SECONDS = 0.05  # notifications arriving this close together are handed on together

log = logging.getLogger(__name__)


class ChangeFeed:
    def __init__(self, engine: Engine, on_change: Callable[[frozenset[str]], None]) -> None:
        self._engine = engine
        self._on_change = on_change
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    def start(self) -> None:
        """Listen from now on (connecting on the feed's thread: the caller does not wait)."""
        if self._engine.dialect.name != "postgresql" or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="traject-change-feed",
                                        daemon=True)  # fmt: skip
        self._thread.start()

    def wait_until_listening(self, timeout: float = 10) -> bool:
        return self._ready.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def _run(self) -> None:
        try:
            pooled = self._engine.raw_connection()
        except Exception:  # locked or closed before the feed got its connection
            if not self._stop.is_set():
                log.warning("The change feed could not connect", exc_info=True)
            self._ready.set()
            return
        pooled.detach()  # ours alone, closed below; never returned to the pool
        conn: Any = pooled.dbapi_connection
        try:
            conn.autocommit = True
            conn.execute(f"LISTEN {CHANNEL}")
            self._ready.set()
            while not self._stop.is_set():
                tables = {n.payload for n in conn.notifies(timeout=WAIT_SECONDS)}
                if tables and not self._stop.is_set():
                    tables |= {n.payload for n in conn.notifies(timeout=GATHER_SECONDS)}
                    self._on_change(frozenset(tables))
        except Exception:  # the server went away: the window goes on, without live updates
            if not self._stop.is_set():
                log.warning("The change feed stopped", exc_info=True)
        finally:
            self._ready.set()
            pooled.close()
