"""Slowing down password guessing: every failed login takes a minimum time, and repeated
failures wait longer before the next attempt (for this process: the login dialog, a CLI run)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from app.services.privacy.keyfile import WrongCredentials

T = TypeVar("T")

MIN_FAILURE_SECONDS = 0.05
FREE_FAILURES = 3  # typos happen; from the fourth failure on, each waits twice as long
MAX_DELAY_SECONDS = 30.0


class LoginThrottle:
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self.failures = 0
        self._last_failure = 0.0

    def delay_before_next(self) -> float:
        """How long after the last failure the next attempt must wait."""
        if self.failures < FREE_FAILURES:
            return 0.0
        return min(MAX_DELAY_SECONDS, 2.0 ** (self.failures - FREE_FAILURES))

    def wait_remaining(self) -> float:
        """Seconds still to wait before the next attempt (a dialog counts them down)."""
        return max(0.0, self.delay_before_next() - (self._clock() - self._last_failure))

    def attempt(self, unlock: Callable[[], T]) -> T:
        """Run one unlock attempt with the waits this throttle imposes."""
        remaining = self.wait_remaining()
        if remaining:
            self._sleep(remaining)
        start = self._clock()
        try:
            result = unlock()
        except WrongCredentials:
            self.failures += 1
            short = MIN_FAILURE_SECONDS - (self._clock() - start)
            if short > 0:
                self._sleep(short)
            self._last_failure = self._clock()
            raise
        self.failures = 0
        return result
