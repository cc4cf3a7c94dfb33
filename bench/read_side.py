"""Read-side benchmark: command accepted -> visible in the read model, and rebuild speed.

Starts the embedded PostgreSQL and broker (or uses `SAMPARK_DATABASE_URL` /
`SAMPARK_KAFKA_BOOTSTRAP`), runs `sampark relay` and `sampark projector` as their own
processes, files complaints at a steady rate with one client, and watches the read model
(polling every 5 ms) for the moment each one appears. Then times `rebuild` over the store.

    .venv/bin/python -m bench.read_side --rate 100 --seconds 30

Writes bench/results/read_side.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg

from bench.servers import percentile, servers
from domain.values import Channel, Complainant, Identity, Role
from infra.local.embedded import database_url
from infra.run.directory import SAMPLE_DIRECTORY, load_directory
from infra.run.services import open_services
from infra.settings import Settings
from projections.rebuild import rebuild

RESULTS = Path(__file__).parent / "results" / "read_side.json"
OPERATOR = Identity(id="bench-operator", role=Role.OPERATOR)
DISTRICTS = ["JAI", "JOD", "KOT", "UDR", "AJM", "BKN", "ALW", "SIK"]


class Watcher(threading.Thread):
    """Notes when each complaint first appears in the read model."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.seen: dict[Any, float] = {}
        self.lock = threading.Lock()  # the filing loop counts what this thread adds
        self.stopping = threading.Event()

    def count(self, accepted: dict[Any, float]) -> int:
        with self.lock:
            return len(self.seen.keys() & accepted.keys())

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stopping.is_set():
                rows = conn.execute(
                    "SELECT id FROM read.complaints "
                    "WHERE last_event_at > now() - interval '1 minute'"
                ).fetchall()
                now = time.perf_counter()
                with self.lock:
                    for (complaint_id,) in rows:
                        self.seen.setdefault(complaint_id, now)
                time.sleep(0.005)


def start_workers(url: str, bootstrap: str, home: str) -> list[subprocess.Popen[bytes]]:
    env = os.environ | {
        "SAMPARK_DATABASE_URL": url,
        "SAMPARK_KAFKA_BOOTSTRAP": bootstrap,
        "SAMPARK_KAFKA_SESSION_TIMEOUT_MS": "1000",
        "SAMPARK_HOME": home,
    }
    return [
        subprocess.Popen(
            [sys.executable, "-m", "infra.run.cli", command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for command in ("relay", "projector")
    ]


def measure_lag(
    server_url: str, bootstrap: str, home: str, rate: float, seconds: float
) -> dict[str, Any]:
    """File at `rate` for `seconds` with relay and projector running; when each is visible."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "sampark_bench_read" WITH (FORCE)')
        conn.execute('CREATE DATABASE "sampark_bench_read"')
    url = database_url(server_url, "sampark_bench_read")
    services = open_services(Settings(home=home), url)
    load_directory(services.app, SAMPLE_DIRECTORY)
    workers = start_workers(url, bootstrap, home)
    try:
        time.sleep(3)  # the projector joins its group
        watcher = Watcher(url)
        watcher.start()
        accepted: dict[Any, float] = {}
        interval = 1.0 / rate
        started = time.perf_counter()
        n = 0
        while time.perf_counter() - started < seconds:
            due = started + n * interval
            if (wait := due - time.perf_counter()) > 0:
                time.sleep(wait)
            complaint = services.app.file_complaint(
                by=OPERATOR,
                complainant=Complainant(name="Bench", mobile=f"9{n:09d}"),
                district=DISTRICTS[n % len(DISTRICTS)],
                department="PHED",
                category="water-supply",
                subject="No water supply",
                description="Taps dry since Monday.",
                channel=Channel.HELPLINE_181,
            )
            accepted[complaint.id] = time.perf_counter()
            n += 1
        achieved = n / (time.perf_counter() - started)
        deadline = time.monotonic() + 30
        while watcher.count(accepted) < len(accepted) and time.monotonic() < deadline:
            time.sleep(0.05)
        watcher.stopping.set()
        watcher.join(timeout=5)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=15)
        services.close()
    lags = [(watcher.seen[i] - t) * 1000 for i, t in accepted.items() if i in watcher.seen]
    return {
        "commands": n,
        "rate_asked": rate,
        "rate_achieved": round(achieved, 1),
        "p50_ms": round(statistics.median(lags), 1),
        "p99_ms": round(percentile(lags, 0.99), 1),
        "max_ms": round(max(lags), 1),
        "never_seen": len(accepted) - len(lags),
        "watch_interval_ms": 5,
        "database": url,
    }


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--rate", type=float, default=100.0, help="commands per second")
    options.add_argument("--seconds", type=float, default=30.0)
    args = options.parse_args()

    with servers("sampark-bench-read-") as ready:
        lag = measure_lag(ready.database, ready.bootstrap, ready.home, args.rate, args.seconds)
        began = time.perf_counter()
        done = rebuild(lag.pop("database"))
        rebuild_seconds = time.perf_counter() - began

    result = {
        "lag": lag,
        "rebuild": {
            "events": done.applied,
            "seconds": round(rebuild_seconds, 2),
            "events_per_second": round(done.applied / rebuild_seconds, 1),
        },
    }
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
