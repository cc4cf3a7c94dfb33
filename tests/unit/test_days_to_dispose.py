"""The days to dispose of a window's disposals: their sum and their median, exact to the day,
the same whether found from a histogram (the dashboards) or added one by one (the oracle)."""

from __future__ import annotations

import random
import statistics

from hypothesis import given
from hypothesis import strategies as st

from projections.figures import DaysToDispose

histograms = st.lists(st.integers(min_value=0, max_value=6), max_size=40)


@given(histograms)
def test_the_sum_and_median_are_those_of_every_disposal_written_out(histogram: list[int]) -> None:
    every = [days for days, n in enumerate(histogram) for _ in range(n)]
    found = DaysToDispose.counted(histogram)
    assert found.days == sum(every)
    assert found.median == (statistics.median(every) if every else None)


@given(histograms, st.randoms())
def test_adding_one_by_one_in_any_order_finds_the_same(
    histogram: list[int], rng: random.Random
) -> None:
    every = [days for days, n in enumerate(histogram) for _ in range(n)]
    rng.shuffle(every)
    added = DaysToDispose()
    for days in every:
        added.add(days)
    assert added == DaysToDispose.counted(histogram)
    assert (added.days, added.median) == (sum(every), statistics.median(every) if every else None)


def test_an_even_number_has_the_mean_of_the_two_middle_ones() -> None:
    assert DaysToDispose.counted([1, 0, 0, 1]).median == 1.5  # 0 and 3 days
    assert DaysToDispose.counted([0, 2, 1]).median == 1  # 1, 1, 2 days
    assert DaysToDispose.counted([0, 0]).median is None
