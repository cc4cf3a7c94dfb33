"""The benchmark suite: every figure beside its baseline, measured in the same run.

    make bench                                     # the whole suite, 1,000,000 complaints
    .venv/bin/python -m bench.suite --complaints 50000 --lag-seconds 15   # a quicker look

Starts the embedded PostgreSQL and broker (or uses `SAMPARK_DATABASE_URL` and
`SAMPARK_KAFKA_BOOTSTRAP`), then: write throughput at 1, 4 and 16 clients against raw
INSERT+COMMIT; end-to-end lag at 200 commands/s; `sampark simulate` of the big store; a
projection rebuild over it against reading the events raw; a 30-event timeline against
selecting its rows; the dashboards against a `SELECT 1`; the assistant on the held-out
split, its classify latency against reading the features alone, and its training on the big
store's history (`bench/assist.py`); `GET /v1/complaints/{id}` against a
bare Litestar handler; and the resident memory of every process against an idle interpreter
that imported the same code. Prints the table and writes bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg

from api.services import Services
from bench.assist import measure_assistant
from bench.assist import rows_of as assistant_rows
from bench.dashboards import answered_by_the_api, measure_dashboards
from bench.documents import measure_documents
from bench.read_side import measure_lag
from bench.servers import percentile, servers
from bench.write_throughput import measure_writes
from domain.values import Identity, Role
from infra.adapters.kafka import consumer, ensure_topic, producer
from infra.local.broker import free_port
from infra.local.embedded import database_url
from infra.run.directory import SAMPLE_DIRECTORY, load_directory
from infra.run.progress import progress_shown, rebuilt, simulated
from infra.run.services import open_services
from infra.run.simulation import simulate
from infra.security.tokens import mint
from infra.settings import Settings
from projections.rebuild import events_after, rebuild

RESULTS = Path(__file__).parent / "results" / "latest.json"
SECRET = "bench-secret-0123456789-0123456789-0123456789"
OFFICER = Identity(
    id="ae-phed-jaipur", role=Role.OFFICER, post="PHED-JAI-L1", district="JAI", department="PHED"
)
ANALYST = Identity(id="analyst-01", role=Role.ANALYST)
PROCESSES = ("serve", "relay", "projector", "scheduler", "notifier")


def latencies_ms(times: int, one: Callable[[], object]) -> dict[str, float]:
    for _ in range(min(20, times)):
        one()
    taken = []
    for _ in range(times):
        started = time.perf_counter()
        one()
        taken.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(taken), 3),
        "p99_ms": round(percentile(taken, 0.99), 3),
    }


def row(
    scenario: str, figure: float, unit: str, baseline: float, target: str, met: bool
) -> dict[str, Any]:
    ratio = figure / baseline if baseline else None
    return {
        "scenario": scenario,
        "figure": round(figure, 2),
        "unit": unit,
        "baseline": round(baseline, 2),
        "ratio": round(ratio, 3) if ratio is not None else None,
        "target": target,
        "met": met,
    }


# The rebuild's target, events a second on the two cores (issue 13).
REBUILD_TARGET = 40_000


# --- baselines ---------------------------------------------------------------------------


def kafka_round_trip(bootstrap: str, rate: float, seconds: float) -> dict[str, float]:
    """Produce at `rate`, consume in another thread: the broker hop alone, p50 and p99."""
    topic = f"bench-round-trip-{os.getpid()}"
    ensure_topic(bootstrap, topic, 1)
    received: dict[int, float] = {}
    reader = consumer(bootstrap, None, auto_offset_reset="latest")
    from kafka import TopicPartition

    partition = TopicPartition(topic, 0)
    reader.assign([partition])
    reader.seek(partition, 0)  # a new topic; a broker's end offsets are not trusted (Tansu)
    stop = threading.Event()

    def consume() -> None:
        while not stop.is_set():
            for records in reader.poll(timeout_ms=50).values():
                for record in records:
                    received.setdefault(int(record.value), time.perf_counter())

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    writer = producer(bootstrap)
    sent: dict[int, float] = {}
    started = time.perf_counter()
    n = 0
    while time.perf_counter() - started < seconds:
        if (wait := started + n / rate - time.perf_counter()) > 0:
            time.sleep(wait)
        sent[n] = time.perf_counter()
        writer.send(topic, str(n).encode())
        n += 1
    writer.flush()
    deadline = time.monotonic() + 10
    while len(received) < len(sent) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=5)
    reader.close()
    writer.close()
    lags = [(received[i] - t) * 1000 for i, t in sent.items() if i in received]
    return {"p50_ms": round(statistics.median(lags), 1), "p99_ms": round(percentile(lags, 0.99), 1)}


def raw_read(url: str) -> float:
    """Events per second reading the whole store in the rebuild's chunks, decoding nothing."""
    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        position = total = 0
        while rows := events_after(conn, position, 5000):
            position = rows[-1][0]
            total += len(rows)
        return total / (time.perf_counter() - started)


# --- the big store -----------------------------------------------------------------------


def load_big_store(
    server_url: str, home: str, complaints: int, days: int
) -> tuple[str, dict[str, Any]]:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "sampark_bench_big" WITH (FORCE)')
        conn.execute('CREATE DATABASE "sampark_bench_big"')
    url = database_url(server_url, "sampark_bench_big")
    services = open_services(Settings(home=home), url)
    try:
        load_directory(services.app, SAMPLE_DIRECTORY)
        print(f"simulating {complaints:,} complaints over {days} days", flush=True)
        with progress_shown("simulating", complaints) as show:
            progress = simulated(show, complaints)
            done = simulate(services.app, complaints, days, progress=progress)
    finally:
        services.close()
    with psycopg.connect(url) as conn:
        count = conn.execute("SELECT count(*) FROM sampark_events").fetchone()
    return url, {
        "complaints": done.complaints,
        "events_simulated": done.events,
        "events_in_store": int(count[0]) if count else 0,
        "seconds": round(done.seconds, 1),
        "complaints_per_second": round(done.complaints / done.seconds, 1),
        "events_per_second": round(done.events / done.seconds, 1),
    }


def thirty_event_complaint(services: Services) -> UUID:
    from domain.values import Channel, Complainant

    complaint = services.app.file_complaint(
        by=Identity(id="helpline-181-agent-07", role=Role.OPERATOR),
        complainant=Complainant(name="Sunita Devi", mobile="9811122233"),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="No water for a week",
        description="Ward 12: no supply since last Monday.",
        channel=Channel.HELPLINE_181,
    )
    for n in range(30 - complaint.version):
        services.app.comment(complaint.id, by=OFFICER, text=f"Site visit {n + 1}: work in hand")
    assert services.app.complaint(complaint.id).version == 30
    return complaint.id


# --- HTTP ---------------------------------------------------------------------------------


def start_server(
    kind: str, env: dict[str, str], cwd: str | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.serve", kind, str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the {kind} server did not start")


def get_rate(port: int, paths: list[str], token: str, seconds: float, clients: int = 4) -> float:
    """Requests per second from `clients` keep-alive connections; every answer must be 200."""
    counts = [0] * clients
    stop = threading.Event()
    failures: list[str] = []

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        headers = {"Authorization": f"Bearer {token}"}
        n = index
        while not stop.is_set():
            conn.request("GET", paths[n % len(paths)], headers=headers)
            answer = conn.getresponse()
            answer.read()
            if answer.status != 200:
                failures.append(f"{answer.status} {paths[n % len(paths)]}")
                return
            counts[index] += 1
            n += clients

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"answers other than 200: {failures[:3]}")
    return sum(counts) / seconds


def http_latency(port: int, path: str, token: str, times: int) -> dict[str, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port)

    def one() -> None:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        answer = conn.getresponse()
        answer.read()
        if answer.status != 200:
            raise RuntimeError(f"{answer.status} for {path}")

    return latencies_ms(times, one)


# --- memory --------------------------------------------------------------------------------


def resident_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process, in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return (
        int(fields["VmRSS"].split()[0]) / 1024,
        int(fields["VmHWM"].split()[0]) / 1024,
    )


def start_process(command: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "infra.run.cli", command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


IDLE = (
    "import time, api.app, projections.projector, projections.relay, scheduler.service, "
    "projections.notify.notifications; time.sleep(600)"
)


# --- the run -------------------------------------------------------------------------------


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--complaints", type=int, default=1_000_000)
    options.add_argument("--days", type=int, default=365)
    options.add_argument("--write-seconds", type=float, default=10.0)
    options.add_argument("--lag-rate", type=float, default=200.0)
    options.add_argument("--lag-seconds", type=float, default=60.0)
    options.add_argument("--memory-seconds", type=float, default=60.0)
    args = options.parse_args()

    with servers("sampark-bench-") as ready:
        rows, details = measure_all(args, ready.home, ready.database, ready.bootstrap)
    machine = {
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }
    print_table(rows, machine)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": machine,
                "complaints": args.complaints,
                "rows": rows,
                "details": details,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"\nwritten to {RESULTS}")


def measure_all(  # noqa: PLR0915
    args: argparse.Namespace, home: str, server_url: str, bootstrap: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    details: dict[str, Any] = {}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        # 1. write throughput
        print("== write throughput", flush=True)
        writes = measure_writes(server_url, home, args.write_seconds, [1, 4, 16])
        details["write_throughput"] = writes
        for w in writes:
            target = {1: 0.6, 16: 0.5}.get(w["clients"])
            rows.append(
                row(
                    f"filing, {w['clients']} client(s)",
                    w["filings_per_second"],
                    "commands/s",
                    w["raw_inserts_per_second"],
                    f">= {target:.0%} of raw INSERT+COMMIT" if target else "(no target)",
                    target is None or w["ratio"] >= target,
                )
            )

        # 2. end-to-end lag
        print(
            f"== end-to-end lag at {args.lag_rate:.0f}/s for {args.lag_seconds:.0f} s", flush=True
        )
        lag = measure_lag(server_url, bootstrap, home, args.lag_rate, args.lag_seconds)
        lag.pop("database")
        hop = kafka_round_trip(bootstrap, args.lag_rate, min(args.lag_seconds, 15))
        details["lag"] = {**lag, "broker_round_trip": hop}
        rows.append(
            row("lag p50: accepted -> read model", lag["p50_ms"], "ms", hop["p50_ms"], "", True)
        )
        rows.append(
            row(
                "lag p99: accepted -> read model",
                lag["p99_ms"],
                "ms",
                hop["p99_ms"],
                "< 250 ms",
                lag["p99_ms"] < 250 and lag["never_seen"] == 0,
            )
        )

        # 3. the big store
        print("== the big store", flush=True)
        url, load = load_big_store(server_url, home, args.complaints, args.days)
        details["simulation"] = load
        services = open_services(Settings(home=home, jwt_secret=SECRET), url)
        timeline_id = thirty_event_complaint(services)

        # 4. projection rebuild
        print("== projection rebuild", flush=True)
        began = time.perf_counter()
        with progress_shown("rebuilding", 0) as show:
            applied = rebuild(url, rebuilt(show)).applied
        rate = applied / (time.perf_counter() - began)
        raw = raw_read(url)
        details["rebuild"] = {"events": applied, "events_per_second": round(rate, 1)}
        rows.append(
            row(
                "projection rebuild",
                rate,
                "events/s",
                raw,
                f">= {REBUILD_TARGET:,} events/s",
                rate >= REBUILD_TARGET,
            )
        )

        # 5. timeline, in-process
        print("== timeline", flush=True)
        stored = services.app.timeline
        with psycopg.connect(url) as conn:
            select = latencies_ms(
                1000,
                lambda: conn.execute(
                    "SELECT * FROM sampark_events WHERE originator_id = %s", (timeline_id,)
                ).fetchall(),
            )
        folded = latencies_ms(1000, lambda: stored(timeline_id))
        details["timeline_in_process"] = {"timeline": folded, "raw_select": select}
        rows.append(
            row(
                "timeline p99, in-process (30 events)",
                folded["p99_ms"],
                "ms",
                select["p99_ms"],
                "< 5 ms",
                folded["p99_ms"] < 5,
            )
        )

        # 6. dashboards: each by district, department, post and day, for 1, 30 and 366 days
        print("== dashboards", flush=True)
        figures = measure_dashboards(url)
        details["dashboards"] = figures
        for name, measured in figures.items():
            if not answered_by_the_api(name):
                continue
            rows.append(
                row(
                    f"dashboard p99: {name}",
                    measured["p99_ms"],
                    "ms",
                    figures["select_1"]["p99_ms"],
                    "< 20 ms",
                    measured["p99_ms"] < 20,
                )
            )
        # 6b. documents (docs/reports.md): each made beside a blank page and a dashboard
        print("== documents", flush=True)
        made = measure_documents(url, services.app.directory())
        details["documents"] = made
        blank = made["baseline: one shaped line on a blank page"]
        for name, taken in made.items():
            if name == "complaints" or name.startswith("baseline"):
                continue
            rows.append(row(f"document: {name}", taken, "ms", blank, "(measured)", True))
        services.close()

        # 6b. the assistant: the held-out split, classify latency, training on the big history
        print("== assistant", flush=True)
        assisted = measure_assistant(url)
        details["assistant"] = assisted
        rows.extend(assistant_rows(assisted))

        # 7. HTTP
        print("== HTTP", flush=True)
        env = os.environ | {
            "SAMPARK_DATABASE_URL": url,
            "SAMPARK_KAFKA_BOOTSTRAP": bootstrap,
            "SAMPARK_KAFKA_SESSION_TIMEOUT_MS": "1000",
            "SAMPARK_HOME": home,
            "SAMPARK_JWT_SECRET": SECRET,
        }
        with psycopg.connect(url) as conn:
            ids = [
                str(r[0])
                for r in conn.execute(
                    "SELECT id FROM read.complaints TABLESAMPLE SYSTEM (1) LIMIT 2000"
                ).fetchall()
            ]
        random.Random(7).shuffle(ids)
        token = mint(SECRET, role="operator", sub="helpline-181-agent-07")
        bare, bare_port = start_server("bare", env)
        try:
            bare_rate = get_rate(bare_port, [f"/v1/complaints/{i}" for i in ids], token, 10)
            bare_latency = http_latency(bare_port, f"/v1/complaints/{timeline_id}", token, 500)
        finally:
            bare.terminate()
            bare.wait(timeout=15)
        api, api_port = start_server("sampark", env)
        processes.append(api)
        api_rate = get_rate(api_port, [f"/v1/complaints/{i}" for i in ids], token, 10)
        over_http = http_latency(api_port, f"/v1/complaints/{timeline_id}/timeline", token, 500)
        details["http"] = {
            "get_complaint_per_second": round(api_rate, 1),
            "bare_per_second": round(bare_rate, 1),
            "timeline_over_http": over_http,
            "bare_latency": bare_latency,
        }
        rows.append(
            row(
                "GET /v1/complaints/{id}",
                api_rate,
                "requests/s",
                bare_rate,
                ">= 50% of a bare Litestar handler",
                api_rate >= bare_rate / 2,
            )
        )
        rows.append(
            row(
                "timeline p99, over HTTP (30 events)",
                over_http["p99_ms"],
                "ms",
                bare_latency["p99_ms"],
                "< 20 ms",
                over_http["p99_ms"] < 20,
            )
        )

        # 8. memory, with every process at work on the big store
        print(f"== memory ({args.memory_seconds:.0f} s at work)", flush=True)
        for command in PROCESSES[1:]:
            processes.append(start_process(command, env))
        idle = subprocess.Popen([sys.executable, "-c", IDLE], env=env)
        processes.append(idle)
        for _ in range(int(args.memory_seconds)):
            get_rate(api_port, [f"/v1/complaints/{i}" for i in ids[:50]], token, 0.5, clients=1)
            time.sleep(0.5)
        idle_rss, _ = resident_mb(idle.pid)
        memory = {}
        for name, process in zip(PROCESSES, processes[: len(PROCESSES)], strict=True):
            if process.poll() is not None:
                raise RuntimeError(f"sampark {name} stopped during the memory run")
            rss, peak = resident_mb(process.pid)
            memory[name] = {"rss_mb": round(rss, 1), "peak_mb": round(peak, 1)}
            rows.append(row(f"memory: {name}", peak, "MB peak", idle_rss, "< 300 MB", peak < 300))
        details["memory"] = {**memory, "idle_interpreter_mb": round(idle_rss, 1)}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    return rows, details


def print_table(rows: list[dict[str, Any]], machine: dict[str, Any]) -> None:
    print(f"\nSampark benchmarks ({machine['cpus']} cpu, Python {machine['python']})\n")
    print(f"{'scenario':<40}{'figure':>12} {'unit':<11}{'baseline':>11}{'ratio':>8}  target")
    for r in rows:
        ratio = f"{r['ratio']:.0%}" if r["ratio"] is not None else "-"
        mark = "ok" if r["met"] else "MISS"
        print(
            f"{r['scenario']:<40}{r['figure']:>12,.2f} {r['unit']:<11}{r['baseline']:>11,.2f}"
            f"{ratio:>8}  {r['target']} {mark if r['target'] else ''}"
        )


if __name__ == "__main__":
    main()
