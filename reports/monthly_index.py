"""The ranking index of a month (docs/reports.md, "The ranking index"): the dashboards'
figures of every department or district for the month and the month before, ranked."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import psycopg

from projections.queries import ReadQueries
from reports.infographic import STATE_READER, figures_as_of
from reports.ranking import Standing, ranking

BY = ("department", "district")


def month_days(first: date) -> tuple[date, date]:
    """The first and last day of the month beginning on `first`."""
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def standings(conn: psycopg.Connection[Any], by: str, first: date) -> list[Standing]:
    """Every department or district ranked for the month from `first`, with its rank the
    month before; figures standing at each month's end (midnight, India)."""
    queries = ReadQueries(conn)

    def rows(month: date) -> list[dict[str, Any]]:
        start, last = month_days(month)
        return queries.dashboard(STATE_READER, by, start, last, figures_as_of(last))

    before = (first - timedelta(days=1)).replace(day=1)
    return ranking(rows(first), rows(before))
