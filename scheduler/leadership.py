"""One scheduler acts at a time: the one holding a PostgreSQL advisory lock.

The lock is a session lock on a connection of its own, so it goes when the process or its
connection dies, and a standby takes over at its next try. Leadership only saves work: the
complaint itself refuses a second move for the same deadline.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import psycopg

from infra import locks
from projections.worker import Reports

log = logging.getLogger(__name__)


class Leadership:
    def __init__(self, database_url: str, key: int = locks.SCHEDULER) -> None:
        self.database_url = database_url
        self.key = key
        self._conn: psycopg.Connection[Any] | None = None
        self._held = False
        self._lock = threading.Lock()
        # Every job asks at every scan: while the database is down, said once a minute.
        self._reports = Reports()

    def holds(self) -> bool:
        """Whether this scheduler leads now: keeps the lock, or takes it if it is free."""
        with self._lock:
            try:
                if self._conn is None or self._conn.closed:
                    self._held = False
                    self._conn = psycopg.connect(self.database_url, autocommit=True)
                if self._held:
                    self._conn.execute("SELECT 1")  # the lock lives as long as the session
                    return True
                found = self._conn.execute(
                    "SELECT pg_try_advisory_lock(%s)", (self.key,)
                ).fetchone()
                self._held = bool(found and found[0])
                if self._held:
                    log.info("this scheduler leads (advisory lock %d)", self.key)
                return self._held
            except psycopg.Error as error:
                if (unreported := self._reports.due()) is not None:
                    log.warning(
                        "lost the database connection of the scheduler's lock (%d more time(s) "
                        "since the last report): %s",
                        unreported,
                        error,
                    )
                self._drop()
                return False

    def release(self) -> None:
        """Stop leading: the lock is given up at once (closing the connection alone frees it
        only when its server process has ended, a moment later)."""
        with self._lock:
            if self._held and self._conn is not None and not self._conn.closed:
                try:
                    self._conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
                except psycopg.Error as error:
                    log.warning("could not give up the scheduler's lock: %s", error)
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()  # ends the session, and the lock with it
        self._conn, self._held = None, False
