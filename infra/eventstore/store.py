"""The event store's wiring: PostgreSQL settings for the eventsourcing library, our msgspec
mapper, a recorder that stores idempotency receipts with the events, and our own tables."""

from __future__ import annotations

import select
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
from eventsourcing.persistence import (
    IntegrityError,
    OperationalError,
    PersistenceError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import get_topic
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from domain.sla import INDIA
from infra import locks
from infra.eventstore.recording import (
    RECORD_SQL,
    Command,
    GroupCommit,
    Outcome,
    record_commands_call,
)

WRITER_QUIET_SECONDS = 1.0  # a writer unused this long is checked before the next batch
QUIET_SECONDS = 2.0  # the async read's connection handed out less recently: a round trip


class PoolCheck:
    """Checks each connection as its pool hands it out.

    PostgreSQL restarting, failing over or dropping idle sessions kills every idle connection
    at once; the pool would find them one by one, backing off longer each time (1 s, 2 s,
    4 s, ... until the 30 s timeout). So the first dead connection found makes the pool check
    all its idle ones and replace the dead: the request that found it waits for a fresh
    connection (about a second), the next ones find the pool healthy. `sweeps` counts them.

    The check is a round trip (an empty query). With `quiet_seconds`, it is skipped for a
    connection that is plainly sound: handed out within that many seconds and nothing has
    arrived on it since. PostgreSQL sends a FATAL message before it drops a session (a
    restart, a terminated backend, an idle timeout) and a crashed server's sockets close, so
    either makes the socket readable and brings the round trip; a connection cut silently by
    the network is caught once it has been quiet that long. What the skip cannot see is a
    session dropped a moment before its FATAL arrives: the request using it fails, and its
    pool must then drop its other idle ones (`infra/loop_pools.py` does). So only the API's
    one complaint read skips it (one round trip per request, not two); the thread pools, whose
    requests write, check every time.
    """

    def __init__(
        self,
        pool: ConnectionPool[Any] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        quiet_seconds: float = 0.0,
    ) -> None:
        self.pool = pool
        self.clock = clock
        self.quiet_seconds = quiet_seconds
        self.sweeps = 0
        self._handed_out: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()  # a thread pool hands out from many threads

    def plainly_sound(self, conn: psycopg.Connection[Any] | psycopg.AsyncConnection[Any]) -> bool:
        if not self.quiet_seconds:
            return False
        now = self.clock()
        with self._lock:
            last = self._handed_out.get(conn)
            self._handed_out[conn] = now
        if last is None or now - last > self.quiet_seconds or conn.closed:
            return False
        try:
            return not select.select([conn.fileno()], [], [], 0)[0]
        except (OSError, ValueError):
            return False

    def __call__(self, conn: psycopg.Connection[Any]) -> None:
        if self.plainly_sound(conn):
            return
        try:
            ConnectionPool.check_connection(conn)
        except Exception:
            self.sweeps += 1
            if self.pool is not None:
                self.pool.check()  # checks with check_connection: no recursion
            raise

    async def checked_async(self, conn: psycopg.AsyncConnection[Any]) -> None:
        """The same check for an asyncio connection (its keeper drops the others itself)."""
        if self.plainly_sound(conn):
            return
        try:
            await AsyncConnectionPool.check_connection(conn)
        except Exception:
            self.sweeps += 1
            raise

    @classmethod
    def install(cls, pool: ConnectionPool[Any]) -> PoolCheck:
        """On a pool made by a library (the event store's) that takes no check of ours."""
        check = cls(pool)
        if not hasattr(pool, "_check"):  # psycopg_pool >= 3.2 keeps it there
            raise RuntimeError("this psycopg_pool cannot check its connections")
        pool._check = check
        return check


def checked_pool(conninfo: str, **kwargs: Any) -> ConnectionPool[Any]:
    """A connection pool that never hands out a connection PostgreSQL has dropped."""
    check = PoolCheck()
    pool: ConnectionPool[Any] = ConnectionPool(conninfo, check=check, **kwargs)
    check.pool = pool
    return pool


class SamparkRecorder(PostgresApplicationRecorder):
    """Records each command's events with their hash-chain links and its idempotency receipt,
    in one transaction, by group commit (`infra/eventstore/recording.py`): a retry finds both or
    neither, and concurrent commands share the lock and the commit."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._group = GroupCommit(self._record)
        # One connection of the pool is kept for writing, used by one batch at a time: the
        # same server process each time measures faster than taking turns through the pool.
        self._writer: psycopg.Connection[Any] | None = None
        # The writer is out of the pool, so the pool's checks do not reach it: after the pool
        # has found a dead connection (a sweep), or a quiet spell, it is checked before use.
        self._checks = PoolCheck.install(datastore.pool)
        self._writer_sweeps = 0
        self._writer_used = 0.0

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int]:
        if not stored_events:
            return []
        command = Command(stored_events, kwargs.get("receipt"), kwargs.get("decided_on"))
        return self._group.record(command)

    def _record(self, commands: Sequence[Command]) -> list[Outcome]:
        statement, params = record_commands_call(commands)
        self._check_writer()
        if self._writer is None:
            self._writer = self.datastore.pool.getconn()
            self._writer_sweeps = self._checks.sweeps
        self._writer_used = time.monotonic()
        try:
            rows = self._writer.execute(statement, params, prepare=True).fetchall()
        except (psycopg.OperationalError, psycopg.InterfaceError) as lost:
            self.datastore.pool.putconn(self._writer)  # the pool checks it and replaces it
            self._writer = None
            raise OperationalError(str(lost)) from lost
        except psycopg.IntegrityError as refused:
            raise IntegrityError(str(refused)) from refused
        except psycopg.Error as failed:
            raise PersistenceError(str(failed)) from failed
        return [Outcome(list(row["notification_ids"] or ()), row["refusal"]) for row in rows]

    def _check_writer(self) -> None:
        """Before the batch is sent, so a dead writer costs no command."""
        if self._writer is None:
            return
        quiet = time.monotonic() - self._writer_used > WRITER_QUIET_SECONDS
        if not quiet and self._writer_sweeps == self._checks.sweeps:
            return
        try:
            ConnectionPool.check_connection(self._writer)
        except Exception:
            self.datastore.pool.putconn(self._writer)  # discarded and replaced
            self._writer = None
        self._writer_sweeps = self._checks.sweeps

    def close(self) -> None:
        """Give the writer connection back (the pool closes it if the pool is closing)."""
        if self._writer is not None:
            self.datastore.pool.putconn(self._writer)
            self._writer = None


def eventsourcing_env(database_url: str) -> dict[str, str]:
    params = conninfo_to_dict(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(params.get("dbname") or "postgres"),
        "POSTGRES_HOST": str(params.get("host") or "127.0.0.1"),
        "POSTGRES_PORT": str(params.get("port") or "5432"),
        "POSTGRES_USER": str(params.get("user") or "postgres"),
        "POSTGRES_PASSWORD": str(params.get("password") or ""),
        "POSTGRES_POOL_SIZE": "8",
        "POSTGRES_MAX_OVERFLOW": "8",
        "MAPPER_TOPIC": "infra.eventstore.codec:MsgspecMapper",
        "TRANSCODER_TOPIC": "infra.eventstore.codec:MsgspecTranscoder",
        "APPLICATION_RECORDER_TOPIC": get_topic(SamparkRecorder),
    }


def create_functions(database_url: str) -> None:
    """The event store's PL/pgSQL (code, not schema: replaced at each start). The tables
    are the migrations' (`infra/migrations/`)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (locks.STARTUP,))
        try:
            conn.execute(RECORD_SQL)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (locks.STARTUP,))


class SequenceRegistrationNumbers:
    """`JAI-2026-0000042`: district code, year in India, and a state-wide sequence number.

    Numbers are taken from the sequence a block at a time, so filing does not wait for a
    round trip each: unique across processes, increasing within one, and a restart leaves
    the rest of its block unused (a gap, as a rolled-back sequence call leaves one).
    """

    BLOCK = 64

    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self._block: list[int] = []

    def next(self, district: str, at: datetime) -> str:
        with self._lock:
            if not self._block:
                with self._pool.connection() as conn:
                    rows = conn.execute(
                        "SELECT nextval('sampark.registration_no') FROM generate_series(1, %s)",
                        (self.BLOCK,),
                    ).fetchall()
                self._block = sorted((row[0] for row in rows), reverse=True)
            number = self._block.pop()
        return f"{district}-{at.astimezone(INDIA).year}-{number:07d}"


def system_clock() -> datetime:
    return datetime.now(UTC)
