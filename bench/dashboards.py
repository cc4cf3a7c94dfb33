"""The dashboards' latency on a store that is already built, beside a `SELECT 1`.

    .venv/bin/python -m bench.dashboards --database-url URL [--explain [--by post --days 366]]

Each dashboard (by district, department, post and day) for windows of 1, 30 and 366 days
ending today, as the state (an analyst) and as a collector, p50 and p99 over `--times` runs;
the one per post both whole and as the API answers it, its first page of posts.
`make bench` runs it on its big store (`bench/suite.py`); run it alone on a larger one to show
the time does not grow with the store (see BENCHMARKS.md, "Dashboards", for how to build one).
`--explain` prints the plan of every statement one dashboard sends, with the tables it reads.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql

from api.app import settled_heap
from api.read import POSTS_PAGE
from bench.servers import percentile
from domain.values import Identity, Role
from projections.queries import ReadQueries, Sent
from projections.rows import day_in_india

ANALYST = Identity(id="analyst-01", role=Role.ANALYST)
BY = ("district", "department", "post", "day")
WINDOWS = (1, 30, 366)
TARGET_MS = 20.0
TABLES = (
    "complaints",
    "flows",
    "flows_blocks",
    "flows_totals",
    "disposal_days",
    "disposal_days_blocks",
    "disposal_days_totals",
    "pending",
    "pending_days",
    "pending_totals",
    "pending_days_totals",
)


def answered_by_the_api(dashboard: str) -> bool:
    """Whether a figure of `bench.dashboards` is a dashboard as the API answers it: every
    one but the whole of the posts per post, which the API serves a page at a time (the
    whole is only ever a file, `?format=csv`)."""
    return " by " in dashboard and (" by post" not in dashboard or ", a page," in dashboard)


def _latencies_ms(times: int, one: Callable[[], object]) -> dict[str, float]:
    import statistics
    import time

    for _ in range(min(10, times)):
        one()
    taken = []
    cpu = []
    for _ in range(times):
        started, used = time.perf_counter(), time.process_time()
        one()
        taken.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return {
        "p50_ms": round(statistics.median(taken), 3),
        "p99_ms": round(percentile(taken, 0.99), 3),
        # This process's CPU (the dashboard's Python and reading the rows): steadier than
        # the wall clock on a machine shared with other work.
        "client_cpu_p50_ms": round(statistics.median(cpu), 3),
    }


def measure_dashboards(url: str, times: int = 50, *, settled: bool = True) -> dict[str, Any]:
    """p50/p99 of every dashboard and window, as the state and as a collector; `settled`:
    with this process's heap put out of the collector's reach once set up, as the API's is
    at its start (`api.app.settled_heap`)."""
    now = datetime.now(UTC)
    last = day_in_india(now)
    found: dict[str, Any] = {}
    with psycopg.connect(url) as conn:
        found["select_1"] = _latencies_ms(200, lambda: conn.execute("SELECT 1").fetchall())
        sizes = {}
        for table in TABLES:
            row = conn.execute(f"SELECT count(*) FROM read.{table}").fetchone()
            sizes[table] = int(row[0]) if row else 0
        found["rows"] = sizes
        busiest = conn.execute(
            "SELECT district FROM read.pending GROUP BY 1 ORDER BY sum(complaints) DESC LIMIT 1"
        ).fetchone()
        collector = Identity(
            id="collector", role=Role.COLLECTOR, district=busiest[0] if busiest else "JAI"
        )
        queries = ReadQueries(conn)
        if settled:
            settled_heap()
        for who, name in ((ANALYST, "state"), (collector, "collector")):
            for by in BY:
                for days in WINDOWS:
                    first = last - timedelta(days=days - 1)
                    found[f"{name} by {by}, {days} days"] = _latencies_ms(
                        times,
                        lambda who=who, by=by, first=first: queries.dashboard(  # type: ignore[misc]
                            who, by, first, last, now
                        ),
                    )
                    if by == "post":  # as the API answers it: the first page of posts
                        found[f"{name} by post, a page, {days} days"] = _latencies_ms(
                            times,
                            lambda who=who, first=first: queries.dashboard_page(  # type: ignore[misc]
                                who, "post", first, last, now, limit=POSTS_PAGE
                            ),
                        )
    return found


class Recorded(ReadQueries):
    """The dashboard's queries, keeping each statement it sends."""

    statements: list[tuple[sql.Composed, list[Any]]]

    def _send(self, query: sql.Composed, params: list[Any], *, binary: bool = False) -> Sent:
        self.statements.append((query, params))
        return super()._send(query, params, binary=binary)


def explain(url: str, by: str = "district", days: int = 30) -> list[str]:
    """The plans of the statements one state dashboard sends (per post: its first page's,
    after the statement finding the page's posts), and the tables they read."""
    now = datetime.now(UTC)
    last = day_in_india(now)
    plans: list[str] = []
    with psycopg.connect(url) as conn:
        queries = Recorded(conn)
        queries.statements = []
        first = last - timedelta(days=days - 1)
        if by == "post":  # as the API answers it: a page of posts
            queries.dashboard_page(ANALYST, by, first, last, now, limit=POSTS_PAGE)
        else:
            queries.dashboard(ANALYST, by, first, last, now)
        # As the dashboard runs them: without parallel workers (`NO_PARALLEL_WORKERS`).
        conn.execute("SET max_parallel_workers_per_gather = 0")
        for query, params in queries.statements:
            text = query.as_string(conn)
            plan = conn.execute(
                sql.SQL("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ") + query, params
            ).fetchall()
            lines = [r[0] for r in plan]
            tables = sorted(set(re.findall(r" on (\w+)", "\n".join(lines))))
            plans.append(f"-- reads {', '.join(tables)}\n{text}\n" + "\n".join(lines))
    return plans


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--database-url", required=True)
    options.add_argument("--times", type=int, default=50)
    options.add_argument("--explain", action="store_true")
    options.add_argument(
        "--unsettled", action="store_true", help="without the API's gc.freeze() at start"
    )
    options.add_argument("--by", choices=BY, default="district", help="with --explain")
    options.add_argument("--days", type=int, default=30, help="with --explain")
    args = options.parse_args()
    if args.explain:
        print("\n\n".join(explain(args.database_url, args.by, args.days)))
        return
    found = measure_dashboards(args.database_url, args.times, settled=not args.unsettled)
    print(json.dumps(found, indent=2))
    answered = {k: v["p99_ms"] for k, v in found.items() if answered_by_the_api(k)}
    missed = sorted(k for k, p99 in answered.items() if p99 >= TARGET_MS)
    print(
        f"worst dashboard p99 {max(answered.values())} ms (target < {TARGET_MS} ms): "
        f"{len(answered) - len(missed)} of {len(answered)} met"
        + "".join(f"\n  missed: {k}, {answered[k]} ms" for k in missed)
    )


if __name__ == "__main__":
    main()
