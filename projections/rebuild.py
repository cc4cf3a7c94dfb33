"""Rebuild the read models from the event store, and verify them against it.

`rebuild` replays every event into a fresh copy (`read_rebuild`) while the live copy keeps
serving: worker processes replay partitions of the complaints in parallel
(`projections/partition.py`), the figures' blocks are derived from their sums and the copy's
secondary indexes built once, then, holding the lock every projector batch shares, it catches
up the last events, carries over the projector's offsets and swaps the two schemas in one
transaction. A worker that fails or dies aborts the rebuild before the swap
(docs/read-models.md, "Rebuilding").

`verify` folds every complaint with the domain's own aggregate and compares the rows, the
daily counters and the disposals with what the read models hold.

Both treat a stored event that cannot be decoded or applied as the projector does (see
`projections/dead_letters.py`): its complaint is kept as of the event before, and its later
events are not applied; the rebuild counts them as set aside, and verify reports each such
complaint.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import operator
import os
import queue
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import StoredEvent
from psycopg import sql

from domain.complaint import Complaint
from infra import locks
from infra.eventstore.codec import MsgspecMapper, MsgspecTranscoder
from projections import oracle
from projections import rows as projection
from projections.apply import TRANSIENT, Applied, apply_events
from projections.envelope import event_name
from projections.figures import FigureScope, Ledger, report
from projections.partition import (
    STAGED,
    Partition,
    Replayed,
    by_complaint,
    create_staging,
    merge_staged,
    replay_partition,
)
from projections.relay import COMPLAINT_EVENT_TOPIC, EVENTS_TABLE
from projections.store import (
    COUNTER_COLUMNS,
    DERIVED,
    LIVE,
    REBUILD,
    ReadModels,
    migrate,
)

CHUNK = 5000
log = logging.getLogger(__name__)
Progress = Callable[[int, int, float], None]
mapper = MsgspecMapper(transcoder=MsgspecTranscoder())


def events_after(conn: psycopg.Connection[Any], position: int, limit: int) -> list[tuple[Any, ...]]:
    return conn.execute(
        f"SELECT notification_id, originator_id, originator_version, topic, state "
        f"FROM {EVENTS_TABLE} WHERE notification_id > %s AND topic LIKE %s "
        f"ORDER BY notification_id LIMIT %s",
        (position, COMPLAINT_EVENT_TOPIC + "%", limit),
    ).fetchall()


def decoded_one(r: tuple[Any, ...]) -> Any:
    return mapper.to_domain_event(StoredEvent(r[1], r[2], r[3], bytes(r[4])))


def decoded(rows: list[tuple[Any, ...]]) -> list[Any]:
    return [decoded_one(r) for r in rows]


def replay(models: ReadModels, rows: list[tuple[Any, ...]], held: set[UUID]) -> Applied:
    """Apply stored events in the caller's transaction. One that cannot be decoded or
    applied is set aside with every later event of its complaint (`held`), as the projector
    sets them aside; the rest are applied."""
    done = Applied()
    events = []
    for r in rows:
        if r[1] in held:
            done.set_aside += 1
            continue
        try:
            events.append(decoded_one(r))
        except Exception:
            held.add(r[1])
            done.set_aside += 1
    try:
        with models.conn.transaction():
            done += apply_events(models, events)
        return done
    except TRANSIENT:
        raise
    except Exception:
        pass  # one by one, below
    for event in events:
        if event.originator_id in held:
            done.set_aside += 1
            continue
        try:
            with models.conn.transaction():
                done += apply_events(models, [event])
        except TRANSIENT:
            raise
        except Exception:
            held.add(event.originator_id)
            done.set_aside += 1
    return done


def head(conn: psycopg.Connection[Any]) -> int:
    found = conn.execute(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}")
    row = found.fetchone()
    return int(row[0]) if row else 0


def _replay(
    conn: psycopg.Connection[Any],
    position: int,
    total: int,
    progress: Progress | None,
    started: float,
    done: Applied,
    held: set[UUID],
) -> int:
    while batch := events_after(conn, position, CHUNK):
        with conn.transaction():
            done += replay(ReadModels(conn, REBUILD), batch, held)
        position = batch[-1][0]
        if progress:
            progress(position, total, done.applied / max(time.monotonic() - started, 1e-9))
    return position


def _drop_secondary_indexes(conn: psycopg.Connection[Any], schema: str) -> list[str]:
    """Drop the copy's non-unique indexes, returning their definitions: keeping them up to
    date row by row during a replay costs more than building them once at the end. The
    unique ones stay: the replay's upserts rely on them."""
    found = conn.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND NOT i.indisunique ORDER BY c.relname",
        (schema,),
    ).fetchall()
    for name, _ in found:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(schema, name)))
    return [definition for _, definition in found]


class RebuildFailed(Exception):
    """A worker of the rebuild failed or was killed: nothing was swapped."""


def default_workers() -> int:
    """As many workers as this process may use cores."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


Task = Callable[[psycopg.Connection[Any]], object]


def _in_parallel(database_url: str, phases: list[list[Task]], workers: int) -> None:
    """Run each phase's tasks in as many connections as there are workers, each task in a
    transaction of its own; a phase starts when the one before has finished."""

    def run(task: Task) -> None:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '256MB'")  # the indexes built in memory
            conn.execute("SET work_mem = '256MB'")  # the sums grouped in memory
            conn.execute("SET synchronous_commit = off")  # the swap commits durably
            with conn.transaction():
                task(conn)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for tasks in phases:
            for finished in [pool.submit(run, task) for task in tasks]:
                finished.result()


def _finish_copy(database_url: str, indexes: list[str], workers: int) -> None:
    """Derive the flows' blocks and totals from the day rows (`DERIVED`) and build the
    copy's indexes once over the whole copy, before the swap's lock: first the derived
    tables and the indexes of the other tables (the largest first: the complaints'
    full-text one), then the derived tables' own indexes, then every table's statistics."""

    def derive(table: str) -> Task:
        return lambda conn: ReadModels(conn, REBUILD).derive(table)

    def build(definition: str) -> Task:
        return lambda conn: conn.execute(definition)

    def on_derived(definition: str) -> bool:
        return any(f"{REBUILD}.{table} " in definition for table in DERIVED)

    largest_first = sorted(indexes, key=lambda d: "USING gin" not in d)
    first = [
        *(build(d) for d in largest_first if "USING gin" in d and not on_derived(d)),
        *(derive(table) for table in DERIVED),
        *(build(d) for d in largest_first if "USING gin" not in d and not on_derived(d)),
    ]
    then = [build(d) for d in indexes if on_derived(d)]
    with psycopg.connect(database_url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (REBUILD,)
            ).fetchall()
        ]
    # Statistics before the swap: a copy served without them is planned blind until
    # autovacuum gets to it (seen: a collector's dashboard by post over a year at 1 M
    # complaints, p99 104 ms before, 27 ms after).
    analysed = [build(f"ANALYZE {REBUILD}.{table}") for table in tables]
    _in_parallel(database_url, [first, then, analysed], workers)


def rebuild(
    database_url: str, progress: Progress | None = None, workers: int | None = None
) -> Applied:
    """Replay every event into a fresh copy, `workers` partitions of the complaints in
    parallel (`projections/partition.py`), then switch the copy in. If any worker fails,
    the live copy is left as it was and `RebuildFailed` is raised."""
    workers = workers or default_workers()
    started = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {REBUILD} CASCADE")
        # The copy's batches need not wait for the disk one by one: a crash only means
        # rebuilding again. The swap below commits durably, and everything before with it.
        conn.execute("SET synchronous_commit = off")
        with conn.transaction():
            migrate(conn, REBUILD)
            indexes = _drop_secondary_indexes(conn, REBUILD)
            create_staging(conn)
        upto = head(conn)
        if progress:
            progress(0, upto, 0.0)

        def tell(applied: int) -> None:
            if progress:
                progress(min(applied, upto), upto, applied / max(time.monotonic() - started, 1e-9))

        done, held = replay_in_parallel(database_url, upto, workers, tell)
        log.info(
            "rebuild: %d events replayed by %d worker(s) in %.1f s",
            done.applied,
            workers,
            time.monotonic() - started,
        )
        _in_parallel(database_url, [[partial(merge_staged, table=t) for t in STAGED]], workers)
        log.info("rebuild: the workers' sums added up at %.1f s", time.monotonic() - started)
        # What was stored while the workers ran, before the indexes (still without the lock).
        position = _replay(conn, upto, head(conn), progress, started, done, held)
        _finish_copy(database_url, indexes, workers)
        log.info("rebuild: caught up and indexes built at %.1f s", time.monotonic() - started)
        conn.execute("SET synchronous_commit = on")
        with conn.transaction():
            # Projector batches hold this lock shared: from here none runs until the swap.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (locks.READ_MODELS,))
            while batch := events_after(conn, position, CHUNK):
                done += replay(ReadModels(conn, REBUILD), batch, held)
                position = batch[-1][0]
            with conn.transaction():
                migrate(conn, LIVE)  # in case there was no live copy yet
            conn.execute(f"INSERT INTO {REBUILD}.offsets SELECT * FROM {LIVE}.offsets")
            conn.execute(f"ALTER SCHEMA {LIVE} RENAME TO {LIVE}_retired")
            conn.execute(f"ALTER SCHEMA {REBUILD} RENAME TO {LIVE}")
            conn.execute(f"DROP SCHEMA {LIVE}_retired CASCADE")
    if progress:
        progress(position, position, done.applied / max(time.monotonic() - started, 1e-9))
    return done


def replay_in_parallel(
    database_url: str, upto: int, workers: int, report: Callable[[int], None]
) -> tuple[Applied, set[UUID]]:
    """Replay the events up to notification `upto`, each of `workers` partitions of the
    complaints in a process of its own (one: in this process). Returns what they applied
    and the complaints they hold; raises `RebuildFailed` as soon as one fails or dies."""
    if workers == 1:
        alone = replay_partition(database_url, Partition(0, 1), upto, decoded_one, replay, report)
        return alone.done, alone.held
    # Forked from a server process that has imported this module once, not from this one
    # (whose threads and connections a worker must not inherit), nor each worker importing
    # everything again (half a second of CPU a worker).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    messages: Any = context.Queue()
    processes = {
        i: context.Process(
            target=_work,
            args=(database_url, Partition(i, workers), upto, messages),
            name=f"sampark rebuild worker {i}",
            daemon=True,
        )
        for i in range(workers)
    }
    for process in processes.values():
        process.start()
    applied = dict.fromkeys(processes, 0)
    results: dict[int, Replayed] = {}
    silent: set[int] = set()  # found stopped without a word: failed unless a word comes
    try:
        while len(results) < workers:
            try:
                kind, index, payload = messages.get(timeout=0.2)
            except queue.Empty:
                for i, process in processes.items():
                    if i in results or process.exitcode is None:
                        continue
                    if i in silent:
                        raise RebuildFailed(
                            f"rebuild worker {i} stopped (exit code {process.exitcode}) "
                            f"before replaying its partition; the live read models are unchanged"
                        ) from None
                    silent.add(i)
                continue
            if kind == "failed":
                raise RebuildFailed(
                    f"rebuild worker {index} failed; the live read models are unchanged\n{payload}"
                )
            if kind == "progress":
                applied[index] = payload
                report(sum(applied.values()))
            else:
                results[index] = payload
    finally:
        for process in processes.values():
            if process.is_alive():
                process.kill()
            process.join()
        messages.close()
    done = Applied()
    held: set[UUID] = set()
    for result in results.values():
        done += result.done
        held |= result.held
    return done, held


def _work(database_url: str, partition: Partition, upto: int, messages: Any) -> None:
    """A worker process: replay its partition, telling the parent how far it got, and
    stopping if the parent is gone (it would write into a copy no one swaps in)."""
    parent = multiprocessing.parent_process()

    def tell(applied: int) -> None:
        if parent is not None and not parent.is_alive():
            raise RebuildFailed("the rebuild stopped")
        messages.put(("progress", partition.index, applied))

    try:
        replayed = replay_partition(database_url, partition, upto, decoded_one, replay, tell)
    except BaseException:
        messages.put(("failed", partition.index, traceback.format_exc()))
        raise SystemExit(1) from None
    messages.put(("done", partition.index, replayed))


# --- verify ---------------------------------------------------------------------------------


@dataclass
class Expected:
    counts: dict[tuple[str, str, str, Any], dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    days: dict[tuple[str, str, str, Any, int], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    pending: projection.PendingMargins = field(default_factory=projection.PendingMargins)
    # The oracle's figures of the state, each district and each department, per window.
    figures: dict[tuple[FigureScope, int], Ledger] = field(default_factory=dict)


def complaints_in_store(conn: psycopg.Connection[Any]) -> Iterator[list[tuple[Any, ...]]]:
    """Every complaint's stored events, one complaint at a time."""
    with conn.cursor(name="verify") as cursor:
        cursor.itersize = CHUNK
        cursor.execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {EVENTS_TABLE} WHERE topic LIKE %s ORDER BY originator_id, originator_version",
            (COMPLAINT_EVENT_TOPIC + "%",),
        )
        yield from by_complaint(cursor)


def verify(database_url: str) -> list[str]:
    """Every difference between the read models and the event store, in words."""
    differences: list[str] = []
    expected = Expected()
    now = datetime.now(UTC)
    seen: set[Any] = set()
    with psycopg.connect(database_url) as conn, psycopg.connect(database_url) as reader:
        models = ReadModels(reader, LIVE)
        pending: dict[Any, projection.ComplaintRow] = {}

        def compare() -> None:
            held = models.rows(pending)
            for complaint_id, want in pending.items():
                have = held.get(complaint_id)
                if have is None:
                    differences.append(
                        f"complaint {want.registration_no}: missing from the read model"
                    )
                    continue
                for column in projection.COLUMNS:
                    a, b = getattr(have, column), getattr(want, column)
                    if a != b:
                        differences.append(
                            f"complaint {want.registration_no}: {column} is {a!r}, "
                            f"the event store says {b!r}"
                        )
            pending.clear()

        for stored in complaints_in_store(conn):
            complaint: Complaint | None = None
            row: projection.ComplaintRow | None = None
            seen.add(stored[0][1])
            applied = []
            for r in stored:
                try:
                    event = decoded_one(r)
                    folded = event.mutate(complaint)
                    after = projection.apply(row, event)
                    tallies = projection.tallies(row, after, event)
                    d = projection.days_to_dispose(row, after, event)
                    changes = projection.pending_changes(row, after)
                except Exception as error:
                    # The projector sets it aside and keeps the complaint as of before.
                    differences.append(
                        f"complaint {row.registration_no if row else r[1]}: version {r[2]} "
                        f"({event_name(r[3])}) cannot be applied ({type(error).__name__}: "
                        f"{error}); the read models keep it as of version {r[2] - 1}"
                    )
                    break
                for t in tallies:
                    for name, amount in t.counts.items():
                        expected.counts[(t.district, t.department, t.holder, t.day)][name] += amount
                if d is not None:
                    expected.days[(d.district, d.department, d.holder, d.day, d.days)] += 1
                for key, delta in changes:
                    expected.pending.add(key, delta)
                applied.append(event)
                complaint, row = folded, after
            add_to_figures(expected.figures, oracle.history(applied), now)
            if complaint is None:
                continue
            # The read model holds text made safe: compare with the same values.
            pending[complaint.id] = projection.made_safe(projection.row_from_complaint(complaint))
            if len(pending) >= 1000:
                compare()
        compare()

        extra = reader.execute(
            f"SELECT id, registration_no FROM {LIVE}.complaints WHERE NOT (id = ANY(%s))",
            (list(seen),),
        ).fetchall()
        differences += [
            f"complaint {r[1]}: in the read model but not in the event store" for r in extra
        ]
        differences += _compare_aggregates(reader, expected, now)
    return differences


def _compare_aggregates(
    conn: psycopg.Connection[Any], expected: Expected, now: datetime
) -> list[str]:
    """The figures' tables against a replay, and the figures against the oracle's."""
    return [
        *_compare_counts(conn, expected),
        *_compare_days(conn, expected),
        *_compare_pending(conn, expected),
        *_compare_figures(conn, expected.figures, now),
    ]


def _by_block(
    per_day: dict[tuple[Any, ...], Any], add: Callable[[Any, Any], Any]
) -> dict[tuple[Any, ...], Any]:
    """Day-keyed sums (cell, day, *rest) summed into blocks: (cell, span, block's day, *rest)."""
    blocks: dict[tuple[Any, ...], Any] = {}
    for (district, department, holder, day, *rest), value in per_day.items():
        for span in projection.BLOCKS:
            key = (district, department, holder, span, projection.block_start(day, span), *rest)
            blocks[key] = add(blocks[key], value) if key in blocks else value
    return blocks


def _by_total(
    per_day: dict[tuple[Any, ...], Any], add: Callable[[Any, Any], Any]
) -> dict[tuple[Any, ...], Any]:
    """Day-keyed sums (cell, day, *rest) summed per district, department and for the state,
    per day and block: (district or ALL, department or ALL, span, block's day, *rest)."""
    totals: dict[tuple[Any, ...], Any] = {}
    for (district, department, _, day, *rest), value in per_day.items():
        for place in projection.places(district, department):
            for span in projection.SPANS:
                key = (*place, span, projection.block_start(day, span), *rest)
                totals[key] = add(totals[key], value) if key in totals else value
    return totals


def _compare_counts(conn: psycopg.Connection[Any], expected: Expected) -> list[str]:
    columns = ", ".join(COUNTER_COLUMNS)
    want_days = {k: dict(v) for k, v in expected.counts.items()}

    def plus(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
        return {n: a.get(n, 0) + b.get(n, 0) for n in set(a) | set(b)}

    out = []
    for table, keys, want_all in (
        ("flows", "district, department, holder, day", want_days),
        ("flows_blocks", "district, department, holder, span, day", _by_block(want_days, plus)),
        ("flows_totals", "district, department, span, day", _by_total(want_days, plus)),
    ):
        width = keys.count(",") + 1
        held = {
            tuple(r[:width]): dict(zip(COUNTER_COLUMNS, r[width:], strict=True))
            for r in conn.execute(f"SELECT {keys}, {columns} FROM {LIVE}.{table}")
        }
        for key in sorted(set(held) | set(want_all), key=str):
            have = held.get(key, {})
            want = want_all.get(key, {})
            for name in COUNTER_COLUMNS:
                if int(have.get(name, 0)) != int(want.get(name, 0)):
                    out.append(
                        f"{table} {'/'.join(map(str, key))}: {name} is {have.get(name, 0)}, "
                        f"the event store says {want.get(name, 0)}"
                    )
    return out


def _compare_days(conn: psycopg.Connection[Any], expected: Expected) -> list[str]:
    """The histograms (`disposals[n + 1]` took n days) per cell and day, per cell and
    block, and the totals, against a replay's disposals."""
    out = []
    per_day = dict(expected.days)
    plus = operator.add
    for table, keys, want_days in (
        ("disposal_days", "district, department, holder, day", per_day),
        (
            "disposal_days_blocks",
            "district, department, holder, span, day",
            _by_block(per_day, plus),
        ),
        ("disposal_days_totals", "district, department, span, day", _by_total(per_day, plus)),
    ):
        want: dict[tuple[Any, ...], list[int]] = {}
        for (*cell, days), count in want_days.items():
            histogram = want.setdefault(tuple(cell), [])
            histogram += [0] * (days + 1 - len(histogram))
            histogram[days] += count
        width = keys.count(",") + 1
        held = {
            tuple(r[:width]): list(r[width])
            for r in conn.execute(f"SELECT {keys}, disposals FROM {LIVE}.{table}")
        }
        for key in sorted(set(held) | set(want), key=str):
            have_list, want_list = held.get(key, []), want.get(key, [])
            if have_list != want_list:
                out.append(
                    f"{table} {'/'.join(map(str, key))}: {have_list} disposals by days, "
                    f"the event store says {want_list}"
                )
    return out


def _compare_pending(conn: psycopg.Connection[Any], expected: Expected) -> list[str]:
    """The pending work's margins, per cell and per district, department and the state,
    against a replay's (rows at 0 are no difference)."""
    cells, days = expected.pending.cells, expected.pending.days
    totals: dict[tuple[Any, ...], list[int]] = {}
    day_totals: dict[tuple[Any, ...], list[int]] = {}
    for (district, department, _), counts in cells.items():
        for place in projection.places(district, department):
            projection.add_counts(totals, place, counts)
    for (district, department, _, day), counts in days.items():
        for place in projection.places(district, department):
            projection.add_counts(day_totals, (*place, day), counts)
    out = []
    for table, keys, counters, want_all in (
        ("pending", "district, department, holder", projection.PENDING_COUNTERS, cells),
        (
            "pending_days",
            "district, department, holder, day",
            projection.PENDING_DAY_COUNTERS,
            days,
        ),
        ("pending_totals", "district, department", projection.PENDING_COUNTERS, totals),
        (
            "pending_days_totals",
            "district, department, day",
            projection.PENDING_DAY_COUNTERS,
            day_totals,
        ),
    ):
        width = keys.count(",") + 1
        held = {
            tuple(r[:width]): list(r[width:])
            for r in conn.execute(f"SELECT {keys}, {', '.join(counters)} FROM {LIVE}.{table}")
        }
        for key in sorted(set(held) | set(want_all), key=str):
            have = held.get(key) or [0] * len(counters)
            want = want_all.get(key) or [0] * len(counters)
            for name, a, b in zip(counters, have, want, strict=True):
                if a != b:
                    out.append(
                        f"{table} {'/'.join(map(str, key))}: {name} is {a}, "
                        f"the event store says {b}"
                    )
    return out


WINDOWS = (1, 30, 366)  # days ending today, whose figures verify compares


def add_to_figures(
    figures: dict[tuple[FigureScope, int], Ledger], steps: list[oracle.Step], now: datetime
) -> None:
    """Add one complaint's history to the oracle's figures of the state and of each
    district and department it was ever in, for each of `WINDOWS`."""
    today = projection.day_in_india(now)
    scopes = {FigureScope()}
    for step in steps:
        scopes |= {
            FigureScope(district=step.after.district),
            FigureScope(department=step.after.department),
        }
    for scope in scopes:
        for days in WINDOWS:
            ledger = figures.setdefault((scope, days), Ledger())
            oracle.add(ledger, steps, scope, today - timedelta(days=days - 1), today, now)


def compare_figures(
    conn: psycopg.Connection[Any], histories: list[list[oracle.Step]], now: datetime
) -> list[str]:
    """The dashboards' figures against the oracle's over these histories: the state, each
    district and each department, for the last 1, 30 and 366 days."""
    figures: dict[tuple[FigureScope, int], Ledger] = {}
    for steps in histories:
        add_to_figures(figures, steps, now)
    return _compare_figures(conn, figures, now)


def _compare_figures(
    conn: psycopg.Connection[Any], figures: dict[tuple[FigureScope, int], Ledger], now: datetime
) -> list[str]:
    from projections.queries import ReadQueries

    reads = ReadQueries(conn, LIVE)
    today = projection.day_in_india(now)
    out = []
    for (scope, days), want in sorted(figures.items(), key=lambda f: (_named(f[0][0]), f[0][1])):
        first = today - timedelta(days=days - 1)
        ((_, have),) = reads.ledgers(scope, "total", first, today, now)
        if have != want:
            out.append(
                f"figures of {_named(scope)} over the last {days} days: the dashboards "
                f"say {report(None, have, with_now=True)}, "
                f"the event store says {report(None, want, with_now=True)}"
            )
    return out


def _named(scope: FigureScope) -> str:
    parts = [f"{k} {v}" for k, v in dataclasses.asdict(scope).items() if v is not None]
    return ", ".join(parts) or "the state"
