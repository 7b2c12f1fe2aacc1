"""The caseload window follows colleagues on a team server: a new client, a reassignment, an
appointment or a contact committed elsewhere shows in the caseload, Today and the agenda
within a moment, without a restart (services.team.live). Nothing happens on a database file."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from app.db import Database
from app.services.team.live import ChangeFeed

CASELOAD_TABLES = frozenset({"clients", "assignments"})
ACTIVITY_TABLES = frozenset({"appointments", "contacts", "referrals", "action_points",
                             "desk_visits", "assignments"})  # fmt: skip
SETTLE_MS = 150  # changes arriving together are shown together


class LiveHost(Protocol):
    @property
    def database(self) -> Database: ...

    @property
    def locked(self) -> bool: ...

    def refresh_caseload(self) -> None: ...

    def activity_changed(self) -> None: ...


class LiveUpdates(QObject):
    arrived = Signal(object)  # frozenset of table names, from the feed's thread

    def __init__(self, host: LiveHost) -> None:
        super().__init__()
        self._host = host
        self._feed: ChangeFeed | None = None
        self._pending: set[str] = set()
        self._timer = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._timer.timeout.connect(self._show)
        self.arrived.connect(self._gather)  # queued: emitted on the feed's thread

    @property
    def listening(self) -> bool:
        return self._feed is not None

    def start(self) -> None:
        if self._feed is not None or not self._host.database.is_server:
            return
        self._feed = ChangeFeed(self._host.database.engine, self.arrived.emit)
        self._feed.start()

    def wait_until_listening(self) -> bool:
        return self._feed is not None and self._feed.wait_until_listening()

    def stop(self) -> None:
        """Before a lock or the end: the feed's connection closes with it."""
        self._timer.stop()
        self._pending.clear()
        if self._feed is not None:
            self._feed.stop()
            self._feed = None

    def _gather(self, tables: frozenset[str]) -> None:
        self._pending |= tables
        self._timer.start()

    def _show(self) -> None:
        tables, self._pending = self._pending, set()
        if self._host.locked or self._feed is None:
            return
        if tables & CASELOAD_TABLES:
            self._host.refresh_caseload()
        elif tables & ACTIVITY_TABLES:
            self._host.activity_changed()
