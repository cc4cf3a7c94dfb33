"""Whether a process is ready to work, and the workers' heartbeats.

Ready (`/health/ready`) means: PostgreSQL answers, the broker accepts a connection where the
process needs one, and every worker of the process went round its loop within `STALE_AFTER`
seconds. Live (`/health/live`) means only that the process answers.

Each worker says it is alive in memory (`Worker.beat`); `Heartbeats`, one more worker in
each process that runs workers, writes those beats to `sampark.heartbeats` every
`BEAT_EVERY` seconds, where `GET /v1/pipeline/status` shows them (`workers`), so one process
can see that another's worker stopped going round.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg

from projections.worker import Worker

STALE_AFTER = 90.0  # a worker silent this long is not ready (longer than the longest backoff)
BEAT_EVERY = 5.0
PROBE_TIMEOUT = 2.0

FORGET_OLD_BEATS = """
-- The beats of processes gone a week ago say nothing any more.
DELETE FROM sampark.heartbeats WHERE beat_at < now() - interval '7 days';
"""


def this_process() -> str:
    """The process's name in the heartbeats: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def broker_answers(bootstrap: str, timeout: float = PROBE_TIMEOUT) -> bool:
    """Whether one of the bootstrap addresses accepts a connection."""
    for address in bootstrap.split(","):
        host, _, port = address.strip().rpartition(":")
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
        except (OSError, ValueError):
            continue
        return True
    return False


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class Readiness:
    """What this process needs to be ready: the broker (where it needs one) and its workers."""

    bootstrap: str | None = None
    workers: Sequence[Worker] = ()
    stale_after: float = STALE_AFTER
    clock: Callable[[], float] = field(default=time.monotonic)

    def checks(self, database: Callable[[], None]) -> list[Check]:
        """Every check, `database` being a call that raises when PostgreSQL does not answer."""
        found = [self._database(database)]
        if self.bootstrap:
            answers = broker_answers(self.bootstrap)
            found.append(Check("broker", answers, "" if answers else "no answer"))
        now = self.clock()
        for worker in self.workers:
            if worker.beat_at is None:
                found.append(Check(worker.kind, False, "not started yet"))
                continue
            silent = now - worker.beat_at
            fresh = silent <= self.stale_after
            found.append(Check(worker.kind, fresh, "" if fresh else f"silent {silent:.0f} s"))
        return found

    @staticmethod
    def _database(database: Callable[[], None]) -> Check:
        try:
            database()
        except Exception as error:
            return Check("database", False, type(error).__name__)
        return Check("database", True)


def answer(checks: list[Check]) -> tuple[bool, dict[str, Any]]:
    """Whether ready, and the body that says why."""
    ready = all(c.ok for c in checks)
    return ready, {
        "status": "ready" if ready else "unready",
        "checks": {c.name: "ok" if c.ok else (c.detail or "failing") for c in checks},
    }


class Heartbeats(Worker):
    """Writes this process's workers' beats to `sampark.heartbeats` every `every` seconds."""

    def __init__(
        self, database_url: str, workers: Sequence[Worker], *, every: float = BEAT_EVERY
    ) -> None:
        self.database_url = database_url
        self.workers = workers
        self.every = every
        self.process = this_process()
        self.stopping = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute(FORGET_OLD_BEATS)
            while not self.stopping.is_set():
                self.beat()
                self.write(conn)
                self.stopping.wait(self.every)

    def write(self, conn: psycopg.Connection[Any]) -> None:
        for worker in self.workers:
            if worker.beat_unix is None:
                continue
            failures = worker.failures
            conn.execute(
                "INSERT INTO sampark.heartbeats (worker, process, beat_at, failures, last_error) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (worker, process) DO UPDATE SET "
                "beat_at = excluded.beat_at, failures = excluded.failures, "
                "last_error = excluded.last_error",
                (
                    worker.kind,
                    self.process,
                    datetime.fromtimestamp(worker.beat_unix, UTC),
                    failures.count,
                    failures.error or None,
                ),
            )


def heartbeats(conn: psycopg.Connection[Any], now: datetime) -> list[dict[str, Any]]:
    """Every worker's last heartbeat, newest first, with how old it is."""
    found = conn.execute("SELECT to_regclass('sampark.heartbeats')").fetchone()
    if not found or found[0] is None:
        return []
    return [
        {
            "worker": worker,
            "process": process,
            "beat_at": beat_at,
            "age_seconds": round(max(0.0, (now - beat_at).total_seconds()), 3),
            "failures": failures,
            "last_error": last_error,
        }
        for worker, process, beat_at, failures, last_error in conn.execute(
            "SELECT worker, process, beat_at, failures, last_error FROM sampark.heartbeats "
            "ORDER BY worker, beat_at DESC"
        )
    ]
