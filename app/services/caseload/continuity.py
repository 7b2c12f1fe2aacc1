"""The continuity figure: how many different counsellors a client has had.

Source 003: the Brussels agency had no figures on how many counsellors a job seeker meets
during a trajectory. Every referent and backup period counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.models import Assignment


@dataclass(frozen=True)
class ContinuityFigures:
    clients: int
    mean: float
    median: float
    maximum: int
    share_with_one: float
    #: number of counsellors → number of clients with that many
    distribution: dict[int, int]


def counsellors_for_client(session: Session, client_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(func.distinct(Assignment.counsellor_id))).where(
                Assignment.client_id == client_id
            )
        )
        or 0
    )


def caseload_continuity(
    session: Session, client_ids: Select[Any] | None = None
) -> ContinuityFigures:
    """Figures over all clients, or over the clients selected by `client_ids`."""
    per_client = select(
        Assignment.client_id, func.count(func.distinct(Assignment.counsellor_id)).label("n")
    ).group_by(Assignment.client_id)
    if client_ids is not None:
        per_client = per_client.where(Assignment.client_id.in_(client_ids))
    sub = per_client.subquery()
    rows = session.execute(select(sub.c.n, func.count()).group_by(sub.c.n)).all()
    distribution = {int(n): int(count) for n, count in rows}
    total = sum(distribution.values())
    if total == 0:
        return ContinuityFigures(0, 0.0, 0.0, 0, 0.0, {})
    mean = sum(n * c for n, c in distribution.items()) / total
    return ContinuityFigures(
        clients=total,
        mean=mean,
        median=_grouped_median(distribution, total),
        maximum=max(distribution),
        share_with_one=distribution.get(1, 0) / total,
        distribution=distribution,
    )


def _grouped_median(distribution: dict[int, int], total: int) -> float:
    """Median of the expanded list without expanding it."""

    def nth(k: int) -> int:
        seen = 0
        for n, count in sorted(distribution.items()):
            seen += count
            if seen > k:
                return n
        raise AssertionError("unreachable")

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2
