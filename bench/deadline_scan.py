"""Deadline-scan benchmark: one scan over a million open complaints, one in a hundred due.

Setup (not timed): `--due` real complaints are filed in the event store 3.5 days ago (Jaipur
water supply: 3 days at L1), so each has exactly one deadline behind it, and projected into
the read model; the read model then gets the rest of `--open` pending complaints as rows due
in the coming weeks (they are only ever read through the index, so rows are all they need to
be). Then, timed:

- lookup:   paging through the due-time index for everything past due (no commands);
- scan:     `Clockwork.scan_deadlines()`: the lookup plus one escalation command per due
            complaint (load from the event store, decide, save), `--workers` at a time;
- stale:    the same scan again before the read model has caught up: every complaint is
            offered again and every one refused by the aggregate (what a lagging projector
            costs).

    .venv/bin/python -m bench.deadline_scan               # 1,000,000 open, 10,000 due
    .venv/bin/python -m bench.deadline_scan --open 100000 --due 1000

Uses `SAMPARK_DATABASE_URL` when set, else starts the embedded PostgreSQL in a temporary dir.
Writes bench/results/deadline_scan.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from domain.values import Channel, Complainant, Identity, Role
from infra.local.embedded import EmbeddedPostgres, database_url
from infra.run.directory import SAMPLE_DIRECTORY, load_directory
from infra.run.services import open_services
from infra.settings import Settings
from projections.agenda import Agenda
from projections.rebuild import rebuild
from scheduler.jobs import Clockwork

RESULTS = Path(__file__).parent / "results" / "deadline_scan.json"
OPERATOR = Identity(id="bench-operator", role=Role.OPERATOR)
DISTRICTS = ["JAI", "AJM", "JOD", "KOT", "UDR", "BKN", "ALW", "BHP"]

FILLER = """
INSERT INTO read.complaints (
    id, registration_no, version, status, level, holder, department, category, district,
    channel, priority, subject, description, complainant_name, complainant_mobile,
    attachments, filed_at, due_at, reopen_count, escalation_count, transfer_count,
    reminder_count, comment_count, last_event_at, review_count)
SELECT gen_random_uuid(), 'FILL-' || n, 2, 'assigned', 1, 'PHED-JAI-L1', 'PHED',
    'water-supply', 'JAI', 'portal', 'normal', 'No water supply', 'Taps dry in the ward.',
    'Filler', '9000000000', '[]'::jsonb, %(now)s - interval '1 day',
    %(now)s + (1 + n %% 20) * interval '1 day' + n * interval '1 second',
    0, 0, 0, 0, 0, %(now)s - interval '1 day', 0
FROM generate_series(1, %(count)s) AS n
"""


class SetClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def file_due(services: Any, count: int) -> None:
    def one(n: int) -> None:
        services.app.file_complaint(
            by=OPERATOR,
            complainant=Complainant(name="Bench", mobile=f"8{n:09d}"),
            district=DISTRICTS[n % len(DISTRICTS)],
            department="PHED",
            category="water-supply",
            subject="No water supply",
            description="Taps dry since Monday.",
            channel=Channel.HELPLINE_181,
        )

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, range(count)))


def main() -> None:  # noqa: PLR0915
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--open", type=int, default=1_000_000, help="open complaints in all")
    options.add_argument("--due", type=int, default=10_000, help="of which past their deadline")
    options.add_argument("--workers", type=int, default=4, help="commands at once")
    args = options.parse_args()

    home = tempfile.mkdtemp(prefix="sampark-bench-scan-")
    server_url = os.environ.get("SAMPARK_DATABASE_URL")
    embedded = None if server_url else EmbeddedPostgres(Path(home) / "pg", temporary=True)
    server_url = server_url or embedded.url  # type: ignore[union-attr]
    try:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "sampark_bench_scan" WITH (FORCE)')
            conn.execute('CREATE DATABASE "sampark_bench_scan"')
        url = database_url(server_url, "sampark_bench_scan")
        now = datetime.now(UTC).replace(microsecond=0)
        clock = SetClock(now - timedelta(days=3, hours=12))
        services = open_services(Settings(home=home), url, clock=clock)
        load_directory(services.app, SAMPLE_DIRECTORY)

        t0 = time.perf_counter()
        file_due(services, args.due)
        print(f"filed {args.due} due complaints in {time.perf_counter() - t0:.1f} s", flush=True)
        rebuild(url)
        t0 = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(FILLER, {"now": now, "count": args.open - args.due})
            conn.execute("VACUUM ANALYZE read.complaints")
            total = conn.execute(
                "SELECT count(*) FROM read.complaints "
                "WHERE status IN ('unassigned', 'assigned', 'reopened')"
            ).fetchone()
        print(
            f"read model: {total[0] if total else 0} open complaints, filled in "
            f"{time.perf_counter() - t0:.1f} s",
            flush=True,
        )

        clock.now = now
        with psycopg.connect(url) as conn:
            plan = conn.execute(
                "EXPLAIN (ANALYZE, BUFFERS) SELECT due_at, id FROM read.complaints WHERE "
                "status IN ('unassigned', 'assigned', 'reopened') AND "
                "stalled_due_at IS DISTINCT FROM due_at AND due_at <= %s "
                "ORDER BY due_at, id LIMIT 500",
                (now,),
            ).fetchall()
            t0 = time.perf_counter()
            found, after = 0, None
            while page := Agenda(conn).past_due(now, after):
                found += len(page)
                after = page[-1]
            lookup = time.perf_counter() - t0

        clockwork = Clockwork(services.app, services.pool, workers=args.workers)
        t0 = time.perf_counter()
        moves = clockwork.scan_deadlines()
        scan = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = clockwork.scan_deadlines()
        stale = time.perf_counter() - t0
        services.close()

        result = {
            "benchmark": "deadline_scan",
            "when": now.isoformat(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cpu, {platform.python_version()}",
            "open_complaints": args.open,
            "due": args.due,
            "workers": args.workers,
            "lookup_seconds": round(lookup, 3),
            "lookup_found": found,
            "scan_seconds": round(scan, 2),
            "scan_moves": dict(moves),
            "escalations_per_second": round(moves["Escalated"] / scan, 1),
            "stale_rescan_seconds": round(stale, 2),
            "stale_rescan_moves": dict(again),
            "plan": [row[0] for row in plan],
        }
    finally:
        if embedded is not None:
            embedded.stop()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "plan"}, indent=1))
    print("\n".join(result["plan"]))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
