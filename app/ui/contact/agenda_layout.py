"""Where the agenda draws overlapping appointments, as calendar programs do: blocks that
overlap (directly or through a chain of others) form a cluster; each block gets the first
column of its cluster that is free at its start, and every block of a cluster is as wide as the
day divided by the cluster's number of columns. Two blocks that overlap never share a column,
so none hides another. Pure functions of the intervals (no Qt), tested on their own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...
    def __le__(self, other: Any, /) -> bool: ...


_T = TypeVar("_T", bound=_Ordered)


@dataclass(frozen=True)
class Slot:
    """A block's place within its day: column `column` of `columns`, and its cluster's number
    (blocks of one cluster share it)."""

    column: int
    columns: int
    cluster: int


def overlaps(a: tuple[_T, _T], b: tuple[_T, _T]) -> bool:
    """Whether two half-open intervals [start, end) share a moment (back to back is not)."""
    return a[0] < b[1] and b[0] < a[1]


def columns(intervals: Sequence[tuple[_T, _T]]) -> list[Slot]:
    """The column of each interval (in the order given) within its cluster. Every interval
    lasts a while (start < end: an appointment takes at least five minutes)."""
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i][0], i))
    placed: dict[int, Slot] = {}
    cluster: list[int] = []
    column_ends: list[_T] = []  # per column of the current cluster: when its last block ends
    cluster_end: _T | None = None
    number = 0
    for i in order:
        start, end = intervals[i]
        if cluster_end is not None and not start < cluster_end:  # nothing open: a new cluster
            placed.update((j, Slot(placed[j].column, len(column_ends), number)) for j in cluster)
            cluster, column_ends, cluster_end, number = [], [], None, number + 1
        free = next((c for c, ends in enumerate(column_ends) if ends <= start), len(column_ends))
        if free == len(column_ends):
            column_ends.append(end)
        column_ends[free] = end
        placed[i] = Slot(free, 0, number)
        cluster.append(i)
        if cluster_end is None or cluster_end < end:
            cluster_end = end
    placed.update((j, Slot(placed[j].column, len(column_ends), number)) for j in cluster)
    return [placed[i] for i in range(len(intervals))]
