"""Where a running embedded stack is: `sampark run` writes the addresses of the servers it
started (the embedded PostgreSQL, the embedded broker) and of its API to
`<SAMPARK_HOME>/stack.json`, and removes the file when it stops. Every other `sampark`
command with no URL of its own uses them (`stack.py`) instead of starting a second embedded
server on the same data.

A file left by a stack that died is ignored: its process must be alive and its server must
answer. Only the embedded servers' addresses are written (they have no password); a
configured database URL, which may hold one, never is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg

from projections.health import broker_answers

FILE = "stack.json"
ANSWER_SECONDS = 2


@dataclass(frozen=True)
class Addresses:
    pid: int
    api: str
    database_url: str | None = None  # None: not embedded (configured)
    kafka_bootstrap: str | None = None


def path(home: str | Path) -> Path:
    return Path(home) / FILE


@contextmanager
def written(home: str | Path, addresses: Addresses) -> Iterator[Path]:
    """`addresses` in `<home>/stack.json` (readable by its owner only) for the block."""
    where = path(home)
    where.parent.mkdir(parents=True, exist_ok=True)
    fresh = where.with_suffix(".tmp")
    fresh.write_text(json.dumps(asdict(addresses), indent=2) + "\n")
    fresh.chmod(0o600)
    fresh.replace(where)
    try:
        yield where
    finally:
        with suppress(OSError, ValueError):
            if Addresses(**json.loads(where.read_text())).pid == addresses.pid:
                where.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's, but alive
    return True


def _database_answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=ANSWER_SECONDS) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def running(home: str | Path) -> Addresses | None:
    """The addresses of the stack running under `home`, or None (no file, or one left by a
    stack that is gone)."""
    try:
        found = Addresses(**json.loads(path(home).read_text()))
    except (OSError, ValueError, TypeError):
        return None
    return found if _alive(found.pid) else None


def running_database(home: str | Path) -> str | None:
    """The running stack's embedded database, when it answers."""
    stack = running(home)
    if stack is None or stack.database_url is None:
        return None
    return stack.database_url if _database_answers(stack.database_url) else None


def running_broker(home: str | Path) -> str | None:
    """The running stack's embedded broker, when it answers."""
    stack = running(home)
    if stack is None or stack.kafka_bootstrap is None:
        return None
    answers = broker_answers(stack.kafka_bootstrap, timeout=ANSWER_SECONDS)
    return stack.kafka_bootstrap if answers else None
