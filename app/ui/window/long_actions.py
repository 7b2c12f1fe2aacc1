"""Actions that keep one session open while the event loop turns (a batch of letters, an
import: they process events to draw their progress and offer Cancel). While one runs, nothing
else may close the database under it or write beside it: the lock waits until it ends, and
so do writes that can wait (a backup's audit entry), since a second write on SQLite would
only wait for this one's transaction, on the same thread, and fail."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


class LongActions:
    def __init__(self) -> None:
        self._running = 0
        self._after: list[Callable[[], None]] = []

    @property
    def running(self) -> bool:
        return self._running > 0

    @contextmanager
    def keeping_open(self) -> Iterator[None]:
        """Around an action that holds its session across turns of the event loop."""
        self._running += 1
        try:
            yield
        finally:
            self._running -= 1
            if not self._running:
                waiting, self._after = self._after, []
                for then in waiting:
                    then()

    def when_done(self, then: Callable[[], None]) -> None:
        """`then` now, or once the long action running ends."""
        if self._running:
            self._after.append(then)
        else:
            then()
