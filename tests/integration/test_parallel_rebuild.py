"""`sampark projections rebuild` replays partitions of the complaints in parallel worker
processes: the copy it swaps in holds what the projector builds, a dead letter and the
events stored during the rebuild included, and a worker that dies swaps nothing in."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest

from api.services import Services
from domain.values import Outcome
from infra.run.simulation import simulate
from projections import store
from projections.partition import Partition, Sums, create_staging, take_turn
from projections.rebuild import RebuildFailed, rebuild, verify
from projections.rows import (
    ALL,
    FLOW_COUNTERS,
    PENDING_COUNTERS,
    PENDING_DAY_COUNTERS,
    PendingKey,
    PendingMargins,
)
from projections.store import LIVE, REBUILD, ReadModels, migrate
from tests.conftest import Pipeline
from tests.integration.test_poisoned_events import (
    disposed,
    feedback,
    file,
    held_row,
    store_straight,
    stored_state,
)
from tests.support import JAIPUR_WATER_OFFICER, OPERATOR
from tests.unit.test_complaint_rules import PHOTO

# Aggregate rows whose counts are all zero say nothing: a projector batch may leave one where
# a rebuild, summing a partition at once, writes none.
COUNTS = {*FLOW_COUNTERS, *PENDING_COUNTERS, *PENDING_DAY_COUNTERS, "disposals"}


def hashable(value: Any) -> Any:
    return repr(value) if isinstance(value, (list, dict)) else value  # jsonb


def read_models(database: str) -> dict[str, set[tuple[Any, ...]]]:
    """Every read-model table's rows (but the projector's offsets), as sets."""
    tables: dict[str, set[tuple[Any, ...]]] = {}
    with psycopg.connect(database) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                "AND table_name <> 'offsets'",
                (LIVE,),
            )
        ]
        for name in names:
            cursor = conn.execute(f"SELECT * FROM {LIVE}.{name}")
            columns = [c.name for c in cursor.description or ()]
            counts = [i for i, c in enumerate(columns) if c in COUNTS]
            kept = [i for i, c in enumerate(columns) if c != "seen_at"]  # a gap's own time
            tables[name] = {
                tuple(hashable(r[i]) for i in kept)
                for r in cursor
                if not counts or any(r[i] for i in counts)
            }
    return tables


def test_two_workers_rebuild_what_the_projector_built(
    services: Services, pipeline: Pipeline, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    simulate(services.app, 150, 30, seed=5, now=datetime.now(UTC))
    pipeline.settle(timeout=120)
    built = read_models(database)
    assert built["complaints"] and built["flows"] and built["pending"]
    # Both partitions hold complaints.
    halves = {c[0] < Partition(1, 2).first for c in built["complaints"]}
    assert halves == {True, False}
    # The histograms made from a few of the workers' counts at a time: a cell's counts are
    # cut across two reads, and its histograms wait until all of them are in.
    monkeypatch.setattr(store, "COUNTS_AT_ONCE", 7)

    done = rebuild(database, workers=2)

    assert done.applied > 150
    assert read_models(database) == built
    assert verify(database) == []
    # The copy was swapped in with its statistics: the first dashboard is planned knowingly.
    with psycopg.connect(database) as conn:
        unanalysed = conn.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = %s "
            "AND last_analyze IS NULL AND last_autoanalyze IS NULL",
            (LIVE,),
        ).fetchall()
    assert unanalysed == []


def test_a_value_the_database_refuses_is_set_aside_as_the_projector_sets_it_aside(
    services: Services, pipeline: Pipeline, database: str
) -> None:
    model = disposed(services, "ordinary, disposed")
    for n in range(20):
        (disposed if n % 3 else file)(services, f"ordinary {n}")
    routed = file(services, "assigned to a level no table can hold")
    store_straight(  # its row, and its pending count, would need level 40000 in a smallint
        services,
        routed.id,
        routed.version + 1,
        "domain.events:Assigned",
        {**stored_state(database, routed.id, routed.version), "level": 40000},
    )
    store_straight(  # held behind it
        services, routed.id, routed.version + 2, "domain.events:FeedbackGiven", feedback()
    )
    # Disposed at a level its row's column cannot hold: the database refuses the chunk, whose
    # complaints are then replayed the projector's way (their disposals written beside what
    # the workers stage, and added up with it).
    high = file(services, "disposed at a level no column can hold")
    store_straight(
        services,
        high.id,
        high.version + 1,
        "domain.events:Resolved",
        {**stored_state(database, model.id, model.version), "level": 40000},
    )
    file(services, "filed after it")
    pipeline.settle()
    built = read_models(database)

    done = rebuild(database, workers=2)

    assert done.set_aside == 3
    assert held_row(database, routed.id)[0] == routed.version
    assert held_row(database, high.id)[:2] == (high.version, "assigned")
    assert read_models(database) == built


def opened(holder: str) -> PendingMargins:
    """The pending work's margins of one complaint opened in Jaipur's water department."""
    margins = PendingMargins()
    today = datetime.now(UTC).date()
    margins.add(PendingKey("Jaipur", "PHED", holder, 1, False, today, today), +1)
    return margins


def waiting_for_a_lock(conn: psycopg.Connection[Any], name: str) -> bool:
    found = conn.execute(
        "SELECT 1 FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'",
        (name,),
    ).fetchone()
    return found is not None


def test_a_worker_staging_its_margins_waits_while_another_replays_a_chunk_event_by_event(
    database: str,
) -> None:
    """A chunk replayed the projector's way adds to the state's pending row, then to a cell
    another worker stages at the same moment: the stager waits its turn rather than hold
    that cell while waiting for the state's row (a deadlock, which failed a rebuild)."""
    with psycopg.connect(database, autocommit=True) as conn, conn.transaction():
        conn.execute(f"DROP SCHEMA IF EXISTS {REBUILD} CASCADE")
        migrate(conn, REBUILD)
        create_staging(conn)
    failures: list[BaseException] = []

    def stage() -> None:
        try:
            with (
                psycopg.connect(database, autocommit=True, application_name="stager") as conn,
                conn.transaction(),
            ):
                Sums(pending=opened("AE 2")).stage(conn)
        except BaseException as error:
            failures.append(error)

    stager = threading.Thread(target=stage)
    with (
        psycopg.connect(database, autocommit=True) as replaying,
        psycopg.connect(database, autocommit=True) as watching,
    ):
        with replaying.transaction():
            take_turn(replaying)
            models = ReadModels(replaying, REBUILD)
            models.add_pending(opened("AE 1"))  # the first event: the state's row is held
            stager.start()
            deadline = time.monotonic() + 30
            while not waiting_for_a_lock(watching, "stager") and time.monotonic() < deadline:
                time.sleep(0.02)
            assert waiting_for_a_lock(watching, "stager")
            models.add_pending(opened("AE 2"))  # the next event: the stager's cell
        stager.join(timeout=30)
        assert failures == []
        pending: dict[str, int] = dict(
            replaying.execute(f"SELECT holder, complaints FROM {REBUILD}.pending").fetchall()
        )
        state = replaying.execute(
            f"SELECT complaints FROM {REBUILD}.pending_totals WHERE district = %s "
            "AND department = %s",
            (ALL, ALL),
        ).fetchone()
    assert pending == {"AE 1": 1, "AE 2": 2}
    assert state == (3,)


def test_a_dead_letter_and_the_events_stored_during_the_rebuild(
    services: Services, database: str
) -> None:
    poisoned = file(services, "disposed with an outcome no longer known")
    model = disposed(services, "model")
    store_straight(
        services,
        poisoned.id,
        poisoned.version + 1,
        "domain.events:Resolved",
        {**stored_state(database, model.id, model.version), "outcome": "teleported"},
    )
    store_straight(  # held behind it
        services, poisoned.id, poisoned.version + 2, "domain.events:FeedbackGiven", feedback()
    )
    straddling = file(services, "filed before the rebuild, disposed during it")
    for n in range(12):
        file(services, f"ordinary {n}")
    late: list[Any] = []

    def meanwhile(position: int, total: int, rate: float) -> None:
        if late:
            return
        # The workers replay up to here; what follows is the catch-up's.
        late.append(
            services.app.resolve(
                straddling.id,
                by=JAIPUR_WATER_OFFICER,
                outcome=Outcome.RELIEF,
                action_taken="Pipe replaced",
                evidence=(PHOTO,),
            )
        )
        services.app.give_feedback(straddling.id, by=OPERATOR, satisfied=True, rating=5)
        late.append(file(services, "filed during the rebuild"))
        store_straight(  # held too, though it comes in the catch-up
            services, poisoned.id, poisoned.version + 3, "domain.events:FeedbackGiven", feedback()
        )

    done = rebuild(database, meanwhile, workers=2)

    assert late
    assert done.set_aside == 3
    assert held_row(database, poisoned.id)[:2] == (poisoned.version, "assigned")
    # Resolved, then closed on the citizen's satisfied answer: both in the catch-up.
    assert held_row(database, straddling.id)[:2] == (late[0].version + 2, "closed")
    assert held_row(database, late[1].id)[0] == late[1].version
    differences = verify(database)
    assert len(differences) == 1
    assert "cannot be applied" in differences[0]


def workers_of_this_process() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if "rebuild worker" in p.name]


def test_a_killed_worker_swaps_nothing_in(services: Services, database: str) -> None:
    for n in range(12):
        file(services, f"complaint {n}")
    rebuild(database, workers=2)
    before = read_models(database)
    for n in range(4):
        file(services, f"filed since {n}")
    locker = psycopg.connect(database)
    killed: list[int] = []

    def kill_a_worker_while_it_waits() -> None:
        """Once both workers wait to read the events, kill one, then let the other go on."""
        with psycopg.connect(database, autocommit=True) as watcher:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query LIKE '%%sampark_events%%'"
                ).fetchone()
                if waiting and waiting[0] >= 2:
                    break
                time.sleep(0.05)
        victim = workers_of_this_process()[0]
        assert victim.pid is not None
        os.kill(victim.pid, signal.SIGKILL)
        killed.append(victim.pid)
        time.sleep(0.5)
        locker.rollback()

    killer = threading.Thread(target=kill_a_worker_while_it_waits, daemon=True)

    def stop_the_workers_at_the_door(position: int, total: int, rate: float) -> None:
        if killer.ident is None:
            locker.execute("LOCK TABLE sampark_events IN ACCESS EXCLUSIVE MODE")
            killer.start()

    try:
        with pytest.raises(RebuildFailed, match="stopped"):
            rebuild(database, stop_the_workers_at_the_door, workers=2)
    finally:
        killer.join(timeout=60)
        locker.close()
    assert killed
    assert not workers_of_this_process()
    assert read_models(database) == before  # the live copy, as it was
    # And the next rebuild goes through.
    rebuild(database, workers=2)
    assert verify(database) == []
