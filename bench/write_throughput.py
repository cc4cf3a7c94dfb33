"""Write throughput: filing commands per second at 1, 4 and 16 concurrent clients, each beside
its baseline measured in the same run: single-row INSERT+COMMIT into a similar table, from as
many clients, on the same PostgreSQL.

    .venv/bin/python -m bench.write_throughput [--seconds 10] [--clients 1 4 16]

Uses `SAMPARK_DATABASE_URL` when set, else starts the embedded PostgreSQL in a temporary dir.
Writes bench/results/write_throughput.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from bench.servers import servers
from domain.values import Channel, Complainant, Identity, Role
from infra.local.embedded import database_url
from infra.run.directory import SAMPLE_DIRECTORY, load_directory
from infra.run.services import open_services
from infra.settings import Settings

RESULTS = Path(__file__).parent / "results" / "write_throughput.json"
OPERATOR = Identity(id="bench-operator", role=Role.OPERATOR)
DISTRICTS = ["JAI", "AJM", "JOD", "KOT", "UDR", "BKN", "ALW", "BHP"]
PAYLOAD = json.dumps({"subject": "No water supply", "description": "x" * 300}).encode()


def run_for(seconds: float, clients: int, make_worker: Callable[[], Callable[[], None]]) -> float:
    """Operations per second by `clients` threads, each with its own worker, for `seconds`."""
    counts = [0] * clients
    stop = threading.Event()
    ready = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        work = make_worker()
        ready.wait()
        while not stop.is_set():
            work()
            counts[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join()
    return sum(counts) / elapsed


def raw_worker(url: str) -> Callable[[], None]:
    conn = psycopg.connect(url)

    def insert() -> None:
        conn.execute(
            "INSERT INTO bench_raw (originator_id, originator_version, topic, state) "
            "VALUES (gen_random_uuid(), 1, 'bench', %s)",
            (PAYLOAD,),
        )
        conn.commit()

    return insert


def measure_writes(
    server_url: str, home: str, seconds: float, clients: list[int]
) -> list[dict[str, Any]]:
    """Filings and raw inserts per second at each client count, in a fresh database."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "sampark_bench_write" WITH (FORCE)')
        conn.execute('CREATE DATABASE "sampark_bench_write"')
    url = database_url(server_url, "sampark_bench_write")
    services = open_services(Settings(home=home), url)
    load_directory(services.app, SAMPLE_DIRECTORY)
    with psycopg.connect(url, autocommit=True) as conn:
        # The events table's shape: the same columns, key and notification-id index.
        conn.execute(
            "CREATE TABLE bench_raw (originator_id uuid NOT NULL, "
            "originator_version bigint NOT NULL, topic text, state bytea, "
            "notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
        )
        conn.execute("CREATE UNIQUE INDEX ON bench_raw (notification_id)")
    numbers = itertools.count()

    def filing_worker() -> Callable[[], None]:
        def file() -> None:
            n = next(numbers)
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

        return file

    rows = []
    try:
        for count in clients:
            raw = run_for(seconds, count, lambda: raw_worker(url))
            filing = run_for(seconds, count, filing_worker)
            rows.append(
                {
                    "clients": count,
                    "raw_inserts_per_second": round(raw, 1),
                    "filings_per_second": round(filing, 1),
                    "ratio": round(filing / raw, 3),
                }
            )
            print(
                f"{count:>3} client(s): raw {raw:8.1f}/s   filing {filing:7.1f}/s   "
                f"{filing / raw:6.1%}",
                flush=True,
            )
    finally:
        services.close()
    return rows


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--seconds", type=float, default=10.0)
    options.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    args = options.parse_args()

    with servers("sampark-bench-write-", broker=False) as ready:
        rows = measure_writes(ready.database, ready.home, args.seconds, args.clients)
    result = {
        "benchmark": "write_throughput",
        "machine": f"{platform.machine()}, {os.cpu_count()} cpu, {platform.python_version()}",
        "seconds_each": args.seconds,
        "rows": rows,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
