"""Filing benchmark: latency (p50, p99) and throughput of filing with one client.

Three figures, measured in the same run against the same PostgreSQL:
- raw:       single-row INSERT + COMMIT of a similar payload (the floor PostgreSQL sets);
- in-process: `Sampark.file_complaint` (routing, registration number, events, commit);
- http:      `POST /v1/complaints` through uvicorn and Litestar, one keep-alive client.

    make bench            # or: .venv/bin/python -m bench.filing --complaints 2000

Uses `SAMPARK_DATABASE_URL` when set, else starts the embedded PostgreSQL in a temporary dir.
Writes bench/results/filing.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg
import uvicorn

from api.app import create_app
from domain.values import Channel, Complainant, Identity, Role
from infra.local.embedded import EmbeddedPostgres, database_url
from infra.run.directory import SAMPLE_DIRECTORY, load_directory
from infra.run.services import open_services
from infra.security.tokens import mint
from infra.settings import Settings

RESULTS = Path(__file__).parent / "results" / "filing.json"
SECRET = "bench-secret-0123456789-0123456789-0123456789"
OPERATOR = Identity(id="bench-operator", role=Role.OPERATOR)


def measure(name: str, count: int, one: Callable[[int], None]) -> dict[str, Any]:
    for i in range(min(50, count)):  # warm up connections, caches, prepared statements
        one(-1 - i)
    latencies = []
    started = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        one(i)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "scenario": name,
        "count": count,
        "per_second": round(count / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 3),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 3),
    }


def raw_inserts(url: str, count: int) -> dict[str, Any]:
    payload = json.dumps({"subject": "No water supply", "description": "x" * 200}).encode()
    with psycopg.connect(url) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, "
            "originator_id uuid NOT NULL, state bytea NOT NULL)"
        )
        conn.commit()

        def one(_: int) -> None:
            conn.execute(
                "INSERT INTO bench_raw (originator_id, state) VALUES (gen_random_uuid(), %s)",
                (payload,),
            )
            conn.commit()

        return measure("raw INSERT+COMMIT", count, one)


def filing_body(i: int) -> dict[str, Any]:
    return {
        "complainant": {"name": "Bench Citizen", "mobile": f"9{abs(i) % 1_000_000_000:09d}"},
        "district": "JAI",
        "department": "PHED",
        "category": "water-supply",
        "subject": "No water supply",
        "description": "Ward 12: taps dry since Monday. " * 6,
        "channel": "helpline_181",
    }


def in_process(url: str, home: str, count: int) -> dict[str, Any]:
    services = open_services(Settings(home=home), url)
    try:

        def one(i: int) -> None:
            body = filing_body(i)
            services.app.file_complaint(
                by=OPERATOR,
                complainant=Complainant(**body["complainant"]),
                district="JAI",
                department="PHED",
                category="water-supply",
                subject=body["subject"],
                description=body["description"],
                channel=Channel.HELPLINE_181,
            )

        return measure("file_complaint in-process", count, one)
    finally:
        services.close()


def over_http(url: str, home: str, count: int) -> dict[str, Any]:
    services = open_services(Settings(home=home, jwt_secret=SECRET), url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    token = mint(SECRET, role="operator", sub="bench-operator")
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}
        ) as client:

            def one(i: int) -> None:
                answer = client.post("/v1/complaints", json=filing_body(i))
                if answer.status_code != 201:
                    raise RuntimeError(answer.text)

            return measure("POST /v1/complaints over HTTP", count, one)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        services.close()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--complaints", type=int, default=2000)
    args = options.parse_args()

    home = tempfile.mkdtemp(prefix="sampark-bench-")
    server_url = os.environ.get("SAMPARK_DATABASE_URL")
    embedded = None
    if not server_url:
        embedded = EmbeddedPostgres(Path(home) / "postgres", temporary=True)
        server_url = embedded.url
    try:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "sampark_bench" WITH (FORCE)')
            conn.execute('CREATE DATABASE "sampark_bench"')
        url = database_url(server_url, "sampark_bench")
        loader = open_services(Settings(home=home), url)
        load_directory(loader.app, SAMPLE_DIRECTORY)
        loader.close()

        rows = [
            raw_inserts(url, args.complaints),
            in_process(url, home, args.complaints),
            over_http(url, home, args.complaints),
        ]
    finally:
        if embedded:
            embedded.stop()

    raw = rows[0]["per_second"]
    print(
        f"\nFiling with one client, {args.complaints} each ({platform.node()}, "
        f"{os.cpu_count()} cores)\n"
    )
    print(f"{'scenario':<32}{'per second':>12}{'p50 ms':>10}{'p99 ms':>10}{'vs raw':>9}")
    for row in rows:
        ratio = row["per_second"] / raw
        row["ratio_to_raw"] = round(ratio, 3)
        print(
            f"{row['scenario']:<32}{row['per_second']:>12}{row['p50_ms']:>10}"
            f"{row['p99_ms']:>10}{ratio:>8.0%}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"benchmark": "filing", "machine": {"cores": os.cpu_count()}, "results": rows}, indent=2
        )
    )
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
