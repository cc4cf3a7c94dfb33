"""Rebuild speed by number of workers, alternately in one run, with the CPU it took.

    python -m bench.rebuild --database-url URL --workers 1 2 --rounds 2 [--pg-data DIR]

Each round rebuilds the read models of the store at URL once per worker count, in the order
given. Besides the wall time (which on shared cores says as much about the neighbours as
about the rebuild) it prints the CPU seconds the rebuild's own processes used (this one and
its workers) and, with `--pg-data` (the data directory of a PostgreSQL on this machine used by
nothing else meanwhile), those of PostgreSQL: their sum per event says how many events per
second the cores could replay if they were free.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import time
from pathlib import Path

from projections.rebuild import rebuild

TICKS = os.sysconf("SC_CLK_TCK")


def _used(pid: int) -> tuple[int, int]:
    """Clock ticks a process used, and those its reaped children used."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0, 0
    return int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def _children(pid: int) -> list[int]:
    found = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(c) for c in found.stdout.split()]


def own_cpu() -> float:
    """CPU seconds of this process and its workers: those it reaped, and those the fork
    server (a live child) forked and reaped."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    live = sum(sum(_used(c)) for c in _children(os.getpid())) / TICKS
    return mine.ru_utime + mine.ru_stime + reaped.ru_utime + reaped.ru_stime + live


def postgres_cpu(data: Path) -> float:
    """CPU seconds of the server: the postmaster, its live backends and those it reaped."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    own, reaped = _used(postmaster)
    return (own + reaped + sum(_used(c)[0] for c in _children(postmaster))) / TICKS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pg-data", type=Path, help="the server's data directory")
    args = parser.parse_args()
    for _ in range(args.rounds):
        for workers in args.workers:
            cpu, pg = own_cpu(), postgres_cpu(args.pg_data) if args.pg_data else 0.0
            began = time.perf_counter()
            done = rebuild(args.database_url, workers=workers)
            seconds = time.perf_counter() - began
            cpu = own_cpu() - cpu
            line = (
                f"workers {workers}: {done.applied:,} events in {seconds:.1f} s, "
                f"{done.applied / seconds:,.0f} events/s; CPU: Python {cpu:.1f} s "
                f"({cpu / done.applied * 1e6:.1f} us an event)"
            )
            if args.pg_data:
                pg = postgres_cpu(args.pg_data) - pg
                free = done.applied / (cpu + pg) * min(workers, os.cpu_count() or 1)
                line += (
                    f", PostgreSQL {pg:.1f} s ({pg / done.applied * 1e6:.1f} us an event): "
                    f"{free:,.0f} events/s at most on {workers} free core(s)"
                )
            print(line, flush=True)


if __name__ == "__main__":
    main()
