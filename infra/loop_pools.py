"""Connection pools for the API's asynchronous handlers: one per event loop.

The API's most frequent request, one complaint's read, is a single statement: served from a
thread (as the other handlers are), handing the request to the thread and back costs more
of the server's CPU than the statement does. Its handler awaits the statement on the event
loop instead, on an asyncio pool (`psycopg_pool.AsyncConnectionPool`). An asyncio pool
belongs to the loop it was opened in: uvicorn runs one loop, but each test client runs its
own, so a pool is opened per loop on its first use and closed when that loop's application
shuts down (`close_here`, on the app's shutdown). Connections are checked as they are
handed out, as the thread pool's are (`infra/eventstore/store.py`, `PoolCheck`).
"""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from infra.eventstore.store import PoolCheck


class LoopPools:
    """An asyncio pool of autocommit connections to `conninfo` per running event loop."""

    def __init__(self, conninfo: str, *, max_size: int = 8) -> None:
        self.conninfo = conninfo
        self.max_size = max_size
        self._pools: dict[asyncio.AbstractEventLoop, AsyncConnectionPool[Any]] = {}
        self._opening: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}

    async def here(self) -> AsyncConnectionPool[Any]:
        """The running loop's pool, opened on first use."""
        loop = asyncio.get_running_loop()
        pool = self._pools.get(loop)
        if pool is not None:
            return pool
        async with self._opening.setdefault(loop, asyncio.Lock()):
            pool = self._pools.get(loop)
            if pool is None:
                check = PoolCheck()
                pool = AsyncConnectionPool(
                    self.conninfo,
                    min_size=1,
                    max_size=self.max_size,
                    kwargs={"autocommit": True},
                    check=check.checked_async,
                    open=False,
                )
                check.pool = pool
                await pool.open()
                self._pools[loop] = pool
        return pool

    async def close_here(self) -> None:
        """Close the running loop's pool, if it has one (its application is shutting down)."""
        loop = asyncio.get_running_loop()
        self._opening.pop(loop, None)
        pool = self._pools.pop(loop, None)
        if pool is not None:
            await pool.close()

    def forget_closed_loops(self) -> None:
        """Drop the pools of loops that have ended without closing them: their connections
        go with the objects (nothing can await their close any more)."""
        for loop in [loop for loop in self._pools if loop.is_closed()]:
            del self._pools[loop]
            self._opening.pop(loop, None)


async def fetch_one(pools: LoopPools, query: bytes, params: list[Any]) -> tuple[Any, ...] | None:
    """One row of one statement, on the running loop's pool."""
    pool = await pools.here()
    async with pool.connection() as conn:
        cur: psycopg.AsyncCursor[Any] = await conn.execute(query, params)
        return await cur.fetchone()
