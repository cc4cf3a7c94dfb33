"""`GET /v1/complaints/{id}` against a bare Litestar handler, in alternating rounds.

    .venv/bin/python -m bench.get_complaint --complaints 20000 --rounds 3
    .venv/bin/python -m bench.get_complaint --tree before=/tmp/sampark-main   # and another tree

Builds a store of `--complaints` complaints (`sampark simulate`, then a rebuild of the read
models), or reads the one `--database-url` names, then runs, round after round, each server
for `--seconds` under the same uvicorn settings (`bench/serve.py`), driven by four keep-alive
connections reading a sample of the store's complaints as a helpline operator (staff: every
read is logged). With `--tree NAME=PATH` (repeatable), the API as served from another source
tree (a checkout of an earlier commit, say) takes its turn in every round too, so before and
after are compared in the same run. `--profile SECONDS` runs
py-spy on this tree's API for that long afterwards and prints the top of the profile.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

from bench.servers import servers
from bench.suite import SECRET, get_rate, load_big_store, start_server
from infra.security.tokens import mint
from projections.rebuild import rebuild


def serve_from(tree: str | None, kind: str, env: dict[str, str]) -> tuple[Any, int]:
    if tree is None:
        return start_server(kind, env)
    return start_server(kind, env | {"PYTHONPATH": tree}, cwd=tree)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--complaints", type=int, default=20_000)
    options.add_argument(
        "--database-url", help="a store already built and rebuilt (then --complaints is unused)"
    )
    options.add_argument("--days", type=int, default=365)
    options.add_argument("--rounds", type=int, default=3)
    options.add_argument("--seconds", type=float, default=10.0)
    options.add_argument(
        "--tree", action="append", default=[], help="NAME=PATH: another tree's API takes turns"
    )
    options.add_argument("--profile", type=float, default=0.0, help="py-spy seconds afterwards")
    args = options.parse_args()

    with servers("sampark-bench-get-") as ready:
        url = args.database_url
        if not url:
            url, _ = load_big_store(ready.database, ready.home, args.complaints, args.days)
            print(f"rebuilding the read models: {rebuild(url).applied:,} events", flush=True)
        with psycopg.connect(url) as conn:
            sample = conn.execute(
                "SELECT id FROM read.complaints ORDER BY random() LIMIT 2000"
            ).fetchall()
        ids = [str(r[0]) for r in sample]
        random.Random(7).shuffle(ids)
        paths = [f"/v1/complaints/{i}" for i in ids]
        token = mint(SECRET, role="operator", sub="helpline-181-agent-07")
        env = os.environ | {
            "SAMPARK_DATABASE_URL": url,
            "SAMPARK_KAFKA_BOOTSTRAP": ready.bootstrap,
            "SAMPARK_HOME": ready.home,
            "SAMPARK_JWT_SECRET": SECRET,
        }
        trees = [tuple(t.split("=", 1)) for t in args.tree]
        kinds = [("bare", None, "bare"), *[(n, p, "sampark") for n, p in trees]]
        kinds.append(("this", None, "sampark"))
        rates: dict[str, list[float]] = {name: [] for name, _, _ in kinds}
        costs: dict[str, list[float]] = {name: [] for name, _, _ in kinds}
        for n in range(args.rounds):
            for name, tree, kind in kinds:
                process, port = serve_from(tree, kind, env)
                try:
                    get_rate(port, paths[:50], token, 1)  # warm up
                    began = cpu_seconds(process.pid)
                    rate = get_rate(port, paths, token, args.seconds)
                    cost = (cpu_seconds(process.pid) - began) / (rate * args.seconds)
                finally:
                    process.terminate()
                    process.wait(timeout=15)
                rates[name].append(rate)
                costs[name].append(cost * 1000)
                print(
                    f"round {n + 1}: {name:8} {rate:8,.0f} requests/s, "
                    f"{cost * 1e6:5.0f} µs of the server's CPU each",
                    flush=True,
                )
        bare = statistics.median(rates["bare"])
        for name, measured in rates.items():
            median = statistics.median(measured)
            print(
                f"{name:8} median {median:8,.0f}/s  ({median / bare:.0%} of bare)  "
                f"rounds: {', '.join(f'{r:,.0f}' for r in measured)}; "
                f"server CPU per request, median {statistics.median(costs[name]) * 1000:.0f} µs"
            )
        with psycopg.connect(url) as conn:
            looks = conn.execute("SELECT count(*) FROM sampark.access_log").fetchone()
        print(f"who-looked entries written: {looks[0] if looks else 0:,}")
        if args.profile:
            profile(env, paths, token, args.profile)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def profile(env: dict[str, str], paths: list[str], token: str, seconds: float) -> None:
    spy_path = os.path.join(os.path.dirname(sys.executable), "py-spy")
    if not os.path.exists(spy_path):
        raise SystemExit("--profile needs py-spy (not a dependency): .venv/bin/pip install py-spy")
    process, port = start_server("sampark", env)
    try:
        get_rate(port, paths[:50], token, 1)
        spy = subprocess.Popen(
            [
                spy_path,
                "record",
                "--pid",
                str(process.pid),
                "--duration",
                str(int(seconds)),
                "--rate",
                "200",
                "--format",
                "raw",
                "--output",
                "/tmp/get_complaint.profile",
                "--nonblocking",
                "--gil",  # the thread holding the GIL: where the server's CPU goes
            ]
        )
        time.sleep(0.5)
        get_rate(port, paths, token, seconds + 1)
        spy.wait(timeout=seconds + 30)
    finally:
        process.terminate()
        process.wait(timeout=15)
    print("profile (collapsed stacks) in /tmp/get_complaint.profile")


if __name__ == "__main__":
    main()
