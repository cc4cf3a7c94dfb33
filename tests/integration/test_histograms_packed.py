"""Days-to-dispose histograms as PostgreSQL packs them (`array_send`), added up per row with
numpy, give the same sum of days and median as adding them one by one, and so do they with
some taken away (a block read whole, less its days outside the window); anything that is
not such a histogram, or takes away more than was added, is refused, never counted."""

from __future__ import annotations

from collections import Counter
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projections.figures import DaysToDispose
from projections.histograms import NotAHistogram, days_to_dispose

Histogram = list[int]
rows_of_histograms = st.lists(
    st.tuples(
        st.sampled_from(["JAI-PWD-L1", "JOD-EN-L2", "", "पद"]),
        st.lists(st.integers(0, 2_000_000), max_size=40),
    ),
    max_size=30,
)


def packed(
    conn: psycopg.Connection[Any], rows: list[tuple[str, Histogram]], sign: int = 1
) -> list[Any]:
    """The rows as a dashboard receives them: the key, the histogram packed, and whether it
    is added (`sign` 1) or taken away (-1)."""
    if not rows:
        return []
    cur = conn.cursor(binary=True)
    cur.execute(
        "SELECT key, array_send(disposals), %s::int4 FROM jsonb_to_recordset(%s::jsonb) "
        "AS r(key text, disposals int[]) ",
        [sign, psycopg.types.json.Jsonb([{"key": k, "disposals": h} for k, h in rows])],
    )
    return cur.fetchall()


def one_by_one(rows: list[tuple[str, Histogram]]) -> dict[str, DaysToDispose]:
    """The slow way: every disposal added to its row's figures, one at a time."""
    found: dict[str, DaysToDispose] = {}
    for key, histogram in rows:
        row = found.setdefault(key, DaysToDispose())
        for days, disposals in enumerate(histogram):
            for _ in range(disposals):
                row.add(days)
    return found


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_of_histograms)
def test_packed_histograms_add_up_to_the_same_figures(
    database: str, rows: list[tuple[str, Histogram]]
) -> None:
    small = [(k, [min(n, 3) for n in h]) for k, h in rows]  # the slow way adds each one
    with psycopg.connect(database) as conn:
        assert days_to_dispose(packed(conn, rows)) == {
            k: DaysToDispose.counted(_added([h for key, h in rows if key == k])) for k in dict(rows)
        }
        assert days_to_dispose(packed(conn, small)) == one_by_one(small)


def test_a_row_without_disposals_has_no_median(database: str) -> None:
    with psycopg.connect(database) as conn:
        found = days_to_dispose(packed(conn, [("JAI-PWD-L1", []), ("JOD-EN-L2", [0, 0])]))
    assert found == {"JAI-PWD-L1": DaysToDispose(), "JOD-EN-L2": DaysToDispose()}
    assert found["JOD-EN-L2"].median is None


def test_the_median_is_exact_to_the_day(database: str) -> None:
    # 1, 2, 2, 7 days: the middle two are 2 and 2; with one more of 7 days, 2 alone.
    with psycopg.connect(database) as conn:
        found = days_to_dispose(
            packed(conn, [("a", [0, 1, 2]), ("a", [0, 0, 0, 0, 0, 0, 0, 1]), ("b", [0, 1, 0, 1])])
        )
    assert (found["a"].days, found["a"].median) == (12, 2.0)
    assert (found["b"].days, found["b"].median) == (4, 2.0)  # 1 and 3 days: the mean


@pytest.mark.parametrize(
    "value",
    [
        "array_send('{1,NULL,3}'::int[])",
        "array_send('{1,2}'::bigint[])",
        "array_send('{{1,2},{3,4}}'::int[])",
        "array_send('[0:1]={1,2}'::int[])",
        "'\\x00000001'::bytea",
        "substring(array_send('{1,2,3}'::int[]) from 1 for 24)",
    ],
)
def test_anything_but_a_histogram_is_refused(database: str, value: str) -> None:
    with psycopg.connect(database) as conn:
        rows = conn.cursor(binary=True).execute(f"SELECT 'a', {value}, 1").fetchall()
    with pytest.raises(NotAHistogram):
        days_to_dispose(rows)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_of_histograms, kept=st.lists(st.booleans(), min_size=30, max_size=30))
def test_histograms_taken_away_leave_the_figures_of_the_rest(
    database: str, rows: list[tuple[str, Histogram]], kept: list[bool]
) -> None:
    # A block's histogram, less those of its days outside the window, is the window's.
    small = [(k, [min(n, 3) for n in h]) for k, h in rows]
    inside = [row for row, keep in zip(small, kept, strict=False) if keep]
    outside = [row for row, keep in zip(small, kept, strict=False) if not keep]
    blocks = [(k, _added([h for key, h in small if key == k])) for k in dict(small)]
    with psycopg.connect(database) as conn:
        found = days_to_dispose(packed(conn, blocks) + packed(conn, outside, sign=-1))
    expected = one_by_one(inside)
    assert {k: v for k, v in found.items() if v != DaysToDispose() or k in expected} == expected


def test_taking_away_more_than_was_added_is_refused(database: str) -> None:
    with psycopg.connect(database) as conn:
        rows = packed(conn, [("a", [0, 2, 1])]) + packed(conn, [("a", [0, 1, 2])], sign=-1)
    with pytest.raises(NotAHistogram):
        days_to_dispose(rows)


def _added(histograms: list[Histogram]) -> Histogram:
    total: Counter[int] = Counter()
    for histogram in histograms:
        total.update(dict(enumerate(histogram)))
    return [total[n] for n in range(max((len(h) for h in histograms), default=0))]
