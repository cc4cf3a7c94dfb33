"""A rebuild writes its days-to-dispose histograms from counts of disposals per key and
number of days, added up in whole-array steps (`histograms.spread_out`): each key, in order,
gets the histogram that counting its disposals one at a time gives, and a count of negative
days (a disposal before its filing) is refused, never written."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from projections.histograms import NotAHistogram, spread_out

counts = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 60), st.integers(1, 4)),  # key, days, disposals
    max_size=80,
)


def one_at_a_time(counted: list[tuple[int, int, int]]) -> dict[int, str]:
    """The slow way: a list per key, grown as each disposal comes."""
    histograms: dict[int, list[int]] = {}
    for key, days, disposals in counted:
        histogram = histograms.setdefault(key, [])
        histogram += [0] * (days + 1 - len(histogram))
        histogram[days] += disposals
    return {k: "{" + ",".join(map(str, h)) + "}" for k, h in sorted(histograms.items())}


@given(counted=counts)
def test_each_key_gets_the_histogram_counting_one_at_a_time_gives(
    counted: list[tuple[int, int, int]],
) -> None:
    keys, days, disposals = (np.array([c[i] for c in counted], dtype=np.int64) for i in range(3))

    groups, texts = spread_out(keys, days, disposals)

    assert groups == sorted({k for k, _, _ in counted})
    assert dict(zip(groups, texts, strict=True)) == one_at_a_time(counted)


def test_a_disposal_before_its_filing_is_refused() -> None:
    with pytest.raises(NotAHistogram):
        spread_out(np.array([1, 1]), np.array([3, -1]), np.array([1, 1]))
