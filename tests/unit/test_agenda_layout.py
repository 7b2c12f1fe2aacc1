"""The agenda's side-by-side layout of overlapping appointments, as a pure function: no two
overlapping blocks share a column, and each cluster's columns fill the day's width."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from app.ui.contact.agenda_layout import Slot, columns, overlaps


def test_three_at_the_same_time_stand_side_by_side() -> None:
    assert columns([(10, 11), (10, 11), (10, 11)]) == [Slot(0, 3, 0), Slot(1, 3, 0), Slot(2, 3, 0)]


def test_back_to_back_blocks_are_not_an_overlap() -> None:
    assert columns([(9, 10), (10, 11)]) == [Slot(0, 1, 0), Slot(0, 1, 1)]


def test_a_chain_shares_its_columns_and_a_freed_column_is_reused() -> None:
    # 9-11 overlaps 10-12 and 11-13 takes the column 9-11 left: one cluster of two columns
    assert columns([(11, 13), (9, 11), (10, 12)]) == [Slot(0, 2, 0), Slot(0, 2, 0), Slot(1, 2, 0)]


def test_separate_clusters_keep_their_own_width() -> None:
    placed = columns([(9, 10), (9, 10), (14, 15)])
    assert [p.columns for p in placed] == [2, 2, 1]
    assert placed[0].cluster != placed[2].cluster


intervals = st.lists(
    st.tuples(st.integers(0, 96), st.integers(1, 32)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=25,
)


@given(intervals)
def test_overlapping_blocks_never_share_a_column(spans: list[tuple[int, int]]) -> None:
    placed = columns(spans)
    for i, a in enumerate(spans):
        assert 0 <= placed[i].column < placed[i].columns
        for j in range(i + 1, len(spans)):
            if overlaps(a, spans[j]):
                assert placed[i].cluster == placed[j].cluster
                assert placed[i].column != placed[j].column
                assert placed[i].columns == placed[j].columns  # one width in a cluster


@given(intervals)
def test_each_cluster_fills_the_day_width(spans: list[tuple[int, int]]) -> None:
    placed = columns(spans)
    for cluster in {p.cluster for p in placed}:
        members = [p for p in placed if p.cluster == cluster]
        widths = {p.column: Fraction(1, p.columns) for p in members}
        assert sum(widths.values()) == 1  # every column used: no empty strip of the day
        # and a column is needed: some moment has as many blocks at once as the cluster has
        # columns, or the greedy placement would have used fewer
        assert max(sum(1 for s, p in zip(spans, placed, strict=True)
                       if p.cluster == cluster and s[0] <= t < s[1])
                   for t in {s[0] for s, p in zip(spans, placed, strict=True)
                             if p.cluster == cluster}) == members[0].columns  # fmt: skip
