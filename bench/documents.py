"""The time to make each document of docs/reports.md on a store that is already built,
beside two baselines measured in the same run.

    .venv/bin/python -m bench.documents --database-url URL [--times 3]

Each document as the API makes it (gathered through the dashboards' query, then drawn), for
the last period that has ended: the infographic (PDF and its PNG), the collector's meeting
pack (PDF) of the busiest district, the monthly data (PDF and XLSX) and the training needs
of the busiest department, the ranking index of departments, and the review report of the
department and day with most reviews. Nothing is recorded or kept (the store is only read).
Baselines: one shaped line on a blank page (the fixed cost of a PDF), and the dashboard by
department for the month (the figures without the drawing). Median of `--times` runs, after
one run to warm up. `make bench` runs it on its big store (`bench/suite.py`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from domain.directory import Directory
from domain.values import Identity, Role
from projections.queries import ReadQueries
from projections.rows import day_in_india
from projections.store import LIVE
from reports import (
    drawing,
    infographic,
    meeting_pack,
    monthly_data,
    monthly_index,
    review_report,
    training,
)
from reports.infographic import figures_as_of

ANALYST = Identity(id="bench", role=Role.ANALYST)


def _median_ms(times: int, one: Callable[[], object]) -> float:
    one()
    taken = []
    for _ in range(times):
        started = time.perf_counter()
        one()
        taken.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(taken), 1)


def _busiest(conn: psycopg.Connection[Any], column: str) -> str:
    found = conn.execute(
        f"SELECT {column} FROM {LIVE}.complaints GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    return str(found[0]) if found else ""


def _blank_page() -> bytes:
    page = drawing.document("baseline", datetime(2026, 1, 1, tzinfo=UTC))
    page.add_page()
    page.cell(200, 20, "राजस्थान सम्पर्क: Rajasthan Sampark")
    return bytes(page.output())


def measure_documents(url: str, directory: Directory, times: int = 3) -> dict[str, Any]:
    """Milliseconds (median of `times`) to make each document, and the baselines."""
    today = day_in_india(datetime.now(UTC))
    day = today - timedelta(days=1)
    monday = today - timedelta(days=today.weekday() + 7)
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    first, last = monthly_index.month_days(month)
    found: dict[str, Any] = {}
    with psycopg.connect(url) as conn:
        found["complaints"] = int(
            (conn.execute(f"SELECT count(*) FROM {LIVE}.complaints").fetchone() or (0,))[0]
        )
        district, department = _busiest(conn, "district"), _busiest(conn, "department")
        reviewed = conn.execute(
            f"SELECT department, day FROM {LIVE}.reviews WHERE reviewed_at IS NOT NULL "
            "GROUP BY 1, 2 ORDER BY count(*) DESC, 2 DESC LIMIT 1"
        ).fetchone()
        review_department, review_day = reviewed or (department, day)
        queries = ReadQueries(conn)
        cases: dict[str, Callable[[], object]] = {
            "baseline: one shaped line on a blank page": _blank_page,
            "baseline: the dashboard by department, a month": lambda: queries.dashboard(
                ANALYST, "department", first, last, figures_as_of(last)
            ),
            "infographic (PDF and PNG)": lambda: infographic.png(
                infographic.pdf(infographic.gather(conn, directory, day, "hi"))
            ),
            f"meeting pack {district} (PDF)": lambda: meeting_pack.pdf(
                meeting_pack.gather(conn, directory, ANALYST, district, monday, "hi")
            ),
            f"monthly data {department} (PDF and XLSX)": lambda: _both(
                monthly_data.gather(conn, directory, ANALYST, department, month, "hi")
            ),
            "ranking index of departments": lambda: monthly_index.standings(
                conn, "department", month
            ),
            f"training needs {department}": lambda: training.needs(
                conn, directory, ANALYST, department, month
            ),
            f"review report {review_department} {review_day}": lambda: review_report.pdf(
                review_report.gather(
                    conn,
                    directory,
                    review_department,
                    _day(review_day),
                    "hi",
                    "bench",
                    personal=False,
                )
            ),
        }
        for name, make in cases.items():
            found[name] = _median_ms(times, make)
    return found


def _both(data: monthly_data.MonthlyData) -> tuple[bytes, bytes]:
    return monthly_data.pdf(data), monthly_data.xlsx(data)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def main() -> None:
    import tempfile

    from infra.run.services import open_services
    from infra.settings import Settings

    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--database-url", required=True)
    options.add_argument("--times", type=int, default=3)
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=home, database_url=args.database_url, jwt_secret="b" * 40)
        services = open_services(settings, args.database_url)  # the directory, from the store
        try:
            found = measure_documents(args.database_url, services.app.directory(), args.times)
        finally:
            services.close()
    print(json.dumps(found, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
