"""A pooled connection is checked by a round trip only when in doubt: the API's busiest read
must not pay two round trips, yet a session PostgreSQL dropped is never handed out."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import psycopg
import pytest

from infra.eventstore.store import QUIET_SECONDS, PoolCheck
from infra.loop_pools import LoopPools


def test_a_connection_handed_out_again_soon_with_nothing_on_its_socket_is_sound(
    database: str,
) -> None:
    check = PoolCheck(quiet_seconds=QUIET_SECONDS)
    with psycopg.connect(database, autocommit=True) as conn:
        assert not check.plainly_sound(conn), "never handed out before: checked"
        check(conn)  # the round trip, which it passes
        assert check.plainly_sound(conn)
        assert check.sweeps == 0


def test_a_session_postgres_ended_is_checked_however_recently_it_was_used(database: str) -> None:
    check = PoolCheck(quiet_seconds=QUIET_SECONDS)
    with psycopg.connect(database, autocommit=True) as conn:
        check(conn)
        with psycopg.connect(database, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [conn.info.backend_pid])
        deadline = time.monotonic() + 5
        while check.plainly_sound(conn):  # PostgreSQL's FATAL reaches the socket
            assert time.monotonic() < deadline, "the dropped session still looked sound"
            time.sleep(0.01)
        with pytest.raises(psycopg.OperationalError):
            check(conn)
        assert check.sweeps == 1


def test_a_connection_quiet_for_longer_is_checked_by_a_round_trip(database: str) -> None:
    now = [1000.0]
    check = PoolCheck(clock=lambda: now[0], quiet_seconds=QUIET_SECONDS)
    with psycopg.connect(database, autocommit=True) as conn:
        check(conn)
        now[0] += QUIET_SECONDS / 2
        assert check.plainly_sound(conn)
        now[0] += QUIET_SECONDS + 0.1
        assert not check.plainly_sound(conn), "a network may have cut it silently"


def test_each_event_loop_reads_through_connections_of_its_own_closed_with_it(
    database: str,
) -> None:
    pools = LoopPools(database, max_size=2)

    async def read_then_shut_down() -> tuple[object, Any, Any]:
        async with pools.connection() as first:
            pass
        async with pools.connection() as again:  # the same one, handed out again
            row = await (await again.execute("SELECT 1 + %s", [1])).fetchone()
        await pools.close_here()  # the application's shutdown
        return row, first, again

    first_row, first, again = asyncio.run(read_then_shut_down())
    second_row, second, _ = asyncio.run(read_then_shut_down())

    assert first_row == second_row == (2,)
    assert first is again and first is not second
    assert first.closed and second.closed
    assert len(pools) == 0


def test_a_loop_that_ends_without_shutting_down_ends_and_its_connections_are_closed(
    database: str,
) -> None:
    pools = LoopPools(database, max_size=2)

    async def read() -> tuple[object, Any]:
        async with pools.connection() as conn:
            return await (await conn.execute("SELECT 1")).fetchone(), conn

    row, conn = asyncio.run(read())  # returns: nothing of ours keeps the loop going
    assert row == (1,) and not conn.closed

    pools.forget_closed_loops()

    assert conn.closed and len(pools) == 0


def test_a_loop_never_has_more_connections_in_use_than_its_share(database: str) -> None:
    pools = LoopPools(database, max_size=2)
    in_use = [0]
    most = [0]

    async def one() -> None:
        async with pools.connection() as conn:
            in_use[0] += 1
            most[0] = max(most[0], in_use[0])
            await conn.execute("SELECT pg_sleep(0.05)")
            in_use[0] -= 1

    async def many() -> None:
        await asyncio.gather(*(one() for _ in range(6)))
        await pools.close_here()

    asyncio.run(many())
    assert most[0] == 2


def test_a_thread_pool_checks_every_connection_it_hands_out(database: str) -> None:
    check = PoolCheck()
    with psycopg.connect(database, autocommit=True) as conn:
        check(conn)
        assert not check.plainly_sound(conn)


def test_a_session_lost_in_use_costs_that_read_and_takes_the_loops_idle_ones_with_it(
    database: str,
) -> None:
    pools = LoopPools(database, max_size=2)

    async def morning() -> list[object]:
        async def hold(seconds: float) -> int:
            async with pools.connection() as conn:
                await conn.execute("SELECT pg_sleep(%s)", [seconds])
                return conn.info.backend_pid

        pids = await asyncio.gather(hold(0.05), hold(0.05))  # two idle ones now
        with psycopg.connect(database, autocommit=True) as admin:
            for pid in pids:  # PostgreSQL drops them; their FATALs not yet read
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        answers: list[object] = []
        for _ in range(3):
            try:
                async with pools.connection() as conn:
                    answers.append(await (await conn.execute("SELECT 1")).fetchone())
            except psycopg.OperationalError:
                answers.append("lost")
        await pools.close_here()
        return answers

    answers = asyncio.run(morning())
    assert answers[1:] == [(1,), (1,)], "at most the read that found it"
    assert answers[0] in ("lost", (1,))
