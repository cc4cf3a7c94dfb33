"""Connections for the API's asynchronous handlers: a few per event loop.

The API's most frequent request, one complaint's read, is a single statement: served from a
thread (as the other handlers are), handing the request to the thread and back costs more
of the server's CPU than the statement does. Its handler awaits the statement on the event
loop instead, on an asyncio connection.

An asyncio connection belongs to the loop it was opened in: uvicorn runs one loop, but each
test client runs its own, and an ASGI client may run a loop per request. So each loop keeps
its own idle connections, at most `max_size` in use at once, made on first use. There are
no background tasks (psycopg_pool's asyncio pool keeps workers that a loop ending without
the application's shutdown cannot cancel: its end would hang), so a loop may end at any
time: its application's shutdown closes its connections (`close_here`), and those of loops
that ended without one are closed when a new loop starts using them, and at the end
(`forget_closed_loops`). Connections are
checked as they are handed out, as the thread pool's are (`infra/eventstore/store.py`,
`PoolCheck`, skipping the round trip for one used within the last seconds whose socket is
quiet); the first found dead, or lost in use, takes the loop's other idle ones with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from infra.eventstore.store import QUIET_SECONDS, PoolCheck

Loop = asyncio.AbstractEventLoop
Connection = psycopg.AsyncConnection[Any]


class LoopPools:
    """Autocommit connections to `conninfo`, kept per running event loop."""

    def __init__(self, conninfo: str, *, max_size: int = 8) -> None:
        self.conninfo = conninfo
        self.max_size = max_size
        self.check = PoolCheck(quiet_seconds=QUIET_SECONDS)
        self._idle: dict[Loop, list[Connection]] = {}
        self._turns: dict[Loop, asyncio.Semaphore] = {}

    def __len__(self) -> int:
        """How many loops hold connections or turns."""
        return len(self._turns)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        """A sound connection of the running loop, returned to it after use (closed instead
        when the use failed or left a transaction open)."""
        loop = asyncio.get_running_loop()
        turns = self._turns.get(loop)
        if turns is None:  # a new loop: those that ended are let go first
            self.forget_closed_loops()
            turns = self._turns[loop] = asyncio.Semaphore(self.max_size)
        idle = self._idle.setdefault(loop, [])
        async with turns:
            conn = await self._sound(idle)
            try:
                yield conn
            except psycopg.OperationalError:
                # The session was lost (PostgreSQL dropped it a moment before its FATAL
                # arrived, say): so were the loop's other idle ones, most likely. This request
                # fails; the next ones connect afresh.
                await _close(conn)
                while idle:
                    await _close(idle.pop())
                raise
            except BaseException:
                await _close(conn)
                raise
            if conn.closed or conn.info.transaction_status != TransactionStatus.IDLE:
                await _close(conn)
            else:
                idle.append(conn)

    async def _sound(self, idle: list[Connection]) -> Connection:
        while idle:
            conn = idle.pop()
            try:
                await self.check.checked_async(conn)
                return conn
            except Exception:
                # PostgreSQL dropped it; it dropped the others of this loop too, most likely.
                await _close(conn)
                while idle:
                    await _close(idle.pop())
        return await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)

    async def close_here(self) -> None:
        """Close the running loop's connections (its application is shutting down)."""
        loop = asyncio.get_running_loop()
        self._turns.pop(loop, None)
        for conn in self._idle.pop(loop, []):
            await _close(conn)

    def forget_closed_loops(self) -> None:
        """Close the connections of loops that have ended without closing them."""
        for loop in [loop for loop in self._turns if loop.is_closed()]:
            del self._turns[loop]
            for conn in self._idle.pop(loop, []):
                conn.pgconn.finish()  # no loop left to await a close in


async def _close(conn: Connection) -> None:
    with suppress(Exception):
        await conn.close()


async def fetch_one(pools: LoopPools, query: bytes, params: list[Any]) -> tuple[Any, ...] | None:
    """One row of one statement, on a connection of the running loop."""
    async with pools.connection() as conn:
        cur: psycopg.AsyncCursor[Any] = await conn.execute(query, params)
        return await cur.fetchone()
