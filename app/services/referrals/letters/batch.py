"""The week's letters in one go: for every referral the counsellor sent in a week, the partner
letter and the client's copy, written into a folder. Progress is reported after each letter and
a cancel request stops before the next; a letter that cannot be finalised (no consent, a
missing field) is skipped with its reason, never half-written.

The database work stays here (reading what each letter says, the audit entry of each letter
written); laying out the PDFs, most of the time a letter takes, runs in worker processes, one
per core, when the batch is long enough to repay starting them. Each file is written whole by
the worker (the atomic-write helper), and is counted and audited only when it is on disk. A
cancel stops preparing letters; the few already handed to a worker are finished, never cut."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import deque
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Referral
from app.private_files import write_bytes
from app.services.clock import DEFAULT_TIME_ZONE
from app.services.errors import ServiceError
from app.services.privacy.access import Actor
from app.services.referrals import letters, referrals

POOL_FROM = 24  # letters; fewer are written here, sooner than worker processes start
AHEAD = 3  # letters handed out per worker before waiting for the first
POLL_SECONDS = 0.05  # while waiting for a worker, the progress is redrawn this often


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # referral, copy, reason
    cancelled: bool = False


def week_of(day: dt.date, tz: str = DEFAULT_TIME_ZONE) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00, local time, as aware datetimes."""
    monday = day - dt.timedelta(days=day.weekday())
    start = dt.datetime.combine(monday, dt.time(), tzinfo=ZoneInfo(tz))
    return start, start + dt.timedelta(days=7)


def write_week(
    session: Session, actor: Actor, folder: Path, day: dt.date,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BatchResult:  # fmt: skip
    """Both letters of each referral sent in the week of `day`; the caller commits (audit)."""
    start, end = week_of(day)
    ids = referrals.sent_between(session, actor, start, end)
    return write_letters(session, actor, folder, ids, progress, cancelled)


def workers_for(letter_count: int) -> int:
    """Worker processes for a batch: one per core, none for a short batch or a single core.
    A frozen build starts none until its launcher calls `multiprocessing.freeze_support()`
    (a spawned worker would otherwise start another Traject)."""
    if letter_count < POOL_FROM or getattr(sys, "frozen", False):
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cores if cores and cores > 1 else 0


def write_letters(
    session: Session, actor: Actor, folder: Path, referral_ids: Sequence[int],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None, workers: int | None = None,
    left_out: Collection[str] = (),
) -> BatchResult:  # fmt: skip
    """Both letters of each referral, in order, each with the fields in `left_out` left out
    when empty (as `traject letter --leave-out`); `workers` None chooses (`workers_for`)."""
    jobs = [(referral_id, copy) for referral_id in referral_ids for copy in letters.COPIES]
    count = workers_for(len(jobs)) if workers is None else workers
    rows: list[Referral] = []
    for start in range(0, len(referral_ids), letters.CHUNK):
        chunk = referral_ids[start : start + letters.CHUNK]
        rows += session.scalars(select(Referral).where(Referral.id.in_(chunk)))
    _held = (rows, letters.hold(session, rows))  # what the letters read, in a few statements
    run = _Run(session, actor, len(jobs), progress, frozenset(left_out))
    if count <= 0:
        run.go(folder, jobs, _InProcess(), cancelled, ahead=1)
        return run.result
    pool = ProcessPoolExecutor(count, mp_context=get_context("spawn"), initializer=_start_worker)
    try:
        run.go(folder, jobs, pool, cancelled, ahead=AHEAD * count)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return run.result


class _InProcess(Executor):
    """Runs each letter at once, here (short batches, one core)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the waiting side, as a pool does
            future.set_exception(exc)
        return future


_Pending = tuple[Future[str | None], letters.Draft, Path]


class _Run:
    def __init__(self, session: Session, actor: Actor, total: int,
                 progress: Callable[[int, int], None] | None, left_out: frozenset[str]) -> None:  # fmt: skip
        self.session, self.actor, self.total, self.progress = session, actor, total, progress
        self.left_out = left_out
        self.result = BatchResult()
        self.done = 0
        self.executor: Executor = _InProcess()

    def go(self, folder: Path, jobs: list[tuple[int, str]], executor: Executor,
           cancelled: Callable[[], bool] | None, ahead: int) -> None:  # fmt: skip
        self.executor = executor
        pending: deque[_Pending] = deque()
        for referral_id, copy in jobs:
            if cancelled is not None and cancelled():
                self.result.cancelled = True
                break
            try:
                draft = letters.prepare(self.session, self.actor, referral_id, copy)
                letters.check_final(draft, self.left_out)
            except ServiceError as exc:
                self.result.skipped.append((referral_id, copy, str(exc)))
                self.step()
                continue
            target = folder / f"referral-{referral_id}-{copy}-{draft.language}.pdf"
            pending.append((self.submit(draft, target), draft, target))
            while len(pending) >= ahead:
                self.finish(pending.popleft())
        while pending:
            self.finish(pending.popleft())

    def submit(self, draft: letters.Draft, target: Path) -> Future[str | None]:
        try:
            return self.executor.submit(_render_and_write, draft, target, self.left_out)
        except BrokenProcessPool:  # a worker died (memory, a kill): the rest is made here
            self.executor = _InProcess()
            return self.executor.submit(_render_and_write, draft, target, self.left_out)

    def finish(self, item: _Pending) -> None:
        future, draft, target = item
        while not wait([future], timeout=POLL_SECONDS).done:
            self.redraw()
        try:
            failure = future.result()
        except BrokenProcessPool:  # a worker died (memory, a kill): this letter is made here
            failure = _render_and_write(draft, target, self.left_out)
        if failure is not None:
            reason = _(letters.WRITE_FAILED).format(file=target, reason=failure)
            self.result.skipped.append((draft.referral_id, draft.copy, reason))
        else:
            letters.record_print(self.session, self.actor, draft)
            self.result.written.append(target)
        self.step()

    def step(self) -> None:
        self.done += 1
        self.redraw()

    def redraw(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total)


def _start_worker() -> None:
    from app.services.documents.fonts import register_fonts

    register_fonts()


def _render_and_write(draft: letters.Draft, target: Path, left_out: frozenset[str]) -> str | None:
    """The letter written whole (or not at all); why not, when it could not be."""
    try:
        write_bytes(target, letters.render_final(draft, left_out))
    except OSError as exc:
        return str(exc.strerror or exc)
    return None
