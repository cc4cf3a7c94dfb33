"""A dashboard reads a window of days as whole blocks of 1, 8 and 64 days, some added and
some taken away (`rows.cover`): whatever the window and whatever today is, every day of the
window counts exactly once and no other day counts at all, and a window to today reads few
rows a cell, because the blocks after today hold nothing yet."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from projections.rows import BLOCKS, Run, block_start, cover

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def counted(runs: tuple[Run, ...]) -> Counter[date]:
    """The slow way: every day of every block, with its run's sign."""
    found: Counter[date] = Counter()
    for run in runs:
        assert run.span in (1, *BLOCKS)
        start = run.first
        while start <= run.last:
            assert block_start(start, run.span) == start, "a block is whole and aligned"
            for n in range(run.span):
                found[start + timedelta(days=n)] += run.sign
            start += timedelta(days=run.span)
    return Counter({day: n for day, n in found.items() if n})  # less the days that cancel out


def rows_read(runs: tuple[Run, ...], today: date) -> int:
    """The blocks a window's runs read that can hold rows: those starting by today."""
    return sum(
        1
        for run in runs
        for n in range(0, (run.last - run.first).days + 1, run.span)
        if run.first + timedelta(days=n) <= today
    )


@given(first=days, length=st.integers(1, 366), after=st.integers(0, 400))
def test_every_day_of_the_window_counts_once_and_no_other(
    first: date, length: int, after: int
) -> None:
    last = first + timedelta(days=length - 1)
    today = last + timedelta(days=after)

    found = counted(cover(first, last, today))

    assert found == Counter({first + timedelta(days=n): 1 for n in range(length)})


@given(today=days, length=st.sampled_from([1, 7, 30, 90, 366]))
def test_a_window_to_today_reads_few_blocks(today: date, length: int) -> None:
    first = today - timedelta(days=length - 1)

    runs = cover(first, today, today)

    # Added blocks only, a year to today read up to 32 rows a cell (7 days, 7 blocks of 8
    # at each end, 4 of 64): now the far end is the block that holds today, less days to come.
    assert rows_read(runs, today) <= {1: 1, 7: 5, 30: 8, 90: 9, 366: 14}[length]


def test_a_year_to_today_is_its_64_day_blocks_less_what_is_outside() -> None:
    today = date(2026, 12, 1)  # the 47th day of its block of 64
    first = today - timedelta(days=365)

    runs = cover(first, today, today)

    taken_away = [run for run in runs if run.sign < 0]
    assert taken_away, "the block holding today is read whole, less the days after it"
    assert any(run.first > today for run in taken_away)
    assert rows_read(runs, today) < 12
    assert counted(runs) == Counter({first + timedelta(days=n): 1 for n in range(366)})
