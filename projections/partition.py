"""One share of a parallel rebuild: the complaints whose ids fall in one partition of the
uuid space, replayed into the rebuild's copy (`read_rebuild`) by one worker process.

Each complaint belongs to exactly one partition, so its events are applied in order by one
worker. A worker reads its complaints' events in (complaint, version) order, folds each
complaint in memory with the projector's own functions (`projections/rows.py`), writes each
row once (COPY, a chunk of complaints per transaction). The figures' aggregates are
additive: a worker sums them in memory for its whole partition and, at the end, copies its
day sums into unkeyed staging tables, which one process adds up once (`merge_staged`), so no
worker waits for another's keys; the pending work's margins (cells x days) it adds
directly, in key order like every writer of them, and in turn (`take_turn`).

A stored event that cannot be decoded or applied is set aside as the projector sets it
aside: its complaint is kept as of the event before, and its later events are held. A chunk
the database refuses (a value a table cannot hold) is replayed event by event through the
projector's path instead, so that only the event that brought the value is set aside.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from infra import locks
from projections import guarantee, hearings, waiting
from projections import rows as projection
from projections.apply import TRANSIENT, Applied
from projections.relay import COMPLAINT_EVENT_TOPIC, EVENTS_TABLE
from projections.store import COUNTER_COLUMNS, COUNTER_INDEX, HELD_TOGETHER, REBUILD, ReadModels

COMPLAINTS_PER_CHUNK = 1000
log = logging.getLogger(__name__)
Stored = tuple[Any, ...]  # notification_id, originator_id, originator_version, topic, state


@dataclass(frozen=True)
class Partition:
    """The `index`-th of `count` equal ranges of complaint ids. Complaint ids are uuid5s of
    registration numbers, spread evenly over the uuid space, so the ranges hold about as
    many complaints each."""

    index: int
    count: int

    @property
    def first(self) -> UUID:
        return UUID(int=(self.index << 128) // self.count)

    @property
    def end(self) -> UUID | None:
        """The first id past the range; None for the last one."""
        if self.index + 1 == self.count:
            return None
        return UUID(int=((self.index + 1) << 128) // self.count)


@dataclass
class Sums:
    """The figures' aggregates summed over many complaints, each key once."""

    flows: dict[tuple[str, str, str, Any], list[int]] = field(default_factory=dict)
    disposals: dict[tuple[str, str, str, Any, int], int] = field(default_factory=dict)
    pending: projection.PendingMargins = field(default_factory=projection.PendingMargins)

    def add_tallies(self, tallies: list[tuple[projection.Tally, list[tuple[int, int]]]]) -> None:
        """Each tally with its counts by counter index (an unknown counter is the event's
        failure, found before anything is added)."""
        for t, counts in tallies:
            key = (t.district, t.department, t.holder, t.day)
            sums = self.flows.get(key)
            if sums is None:
                sums = self.flows[key] = [0] * len(COUNTER_COLUMNS)
            for i, amount in counts:
                sums[i] += amount

    def __iadd__(self, other: Sums) -> Sums:
        for key, counts in other.flows.items():
            mine = self.flows.get(key)
            if mine is None:
                self.flows[key] = counts
            else:
                for i, amount in enumerate(counts):
                    mine[i] += amount
        for d, n in other.disposals.items():
            self.disposals[d] = self.disposals.get(d, 0) + n
        self.pending += other.pending
        return self

    def stage(self, conn: psycopg.Connection[Any]) -> None:
        """Copy the day sums into the staging tables (no key there: no worker waits for
        another), and add the pending work's margins in turn, in the caller's transaction."""
        with conn.cursor() as cur:
            columns = f"{CELL_DAY}, {', '.join(COUNTER_COLUMNS)}"
            with cur.copy(f"COPY {REBUILD}.{FLOWS_STAGED} ({columns}) FROM STDIN") as copy:
                for key, counts in self.flows.items():
                    if any(counts):
                        copy.write_row((*key, *counts))
            columns = f"{CELL_DAY}, days, disposals"
            with cur.copy(f"COPY {REBUILD}.{DISPOSALS_STAGED} ({columns}) FROM STDIN") as copy:
                for when, disposals in self.disposals.items():
                    copy.write_row((*when, disposals))
        take_turn(conn)
        ReadModels(conn, REBUILD).add_pending(self.pending)


def take_turn(conn: psycopg.Connection[Any]) -> None:
    """Wait, in the caller's transaction, until no other worker adds to the copy's keyed
    rows. Each statement adds in key order, but a chunk replayed event by event adds to the
    state's pending row, then to another cell's, and so on: a worker staging its margins
    meanwhile could hold that cell while waiting for the state's row, each waiting for
    the other (a deadlock, which fails the rebuild)."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (locks.REBUILD_TURN,))


CELL_DAY = "district, department, holder, day"
FLOWS_STAGED = "flows_staged"
DISPOSALS_STAGED = "disposal_days_staged"


def create_staging(conn: psycopg.Connection[Any]) -> None:
    """The tables the workers stage their day sums in (unlogged: a crash means rebuilding);
    the disposals as a row per cell, day and number of days, each key as often as workers
    found it."""
    conn.execute(f"CREATE UNLOGGED TABLE {REBUILD}.{FLOWS_STAGED} (LIKE {REBUILD}.flows)")
    conn.execute(
        f"CREATE UNLOGGED TABLE {REBUILD}.{DISPOSALS_STAGED} (district text, department text, "
        "holder text, day date, days integer, disposals integer)"
    )


# The day tables the workers stage their sums for, and each one's staging table.
STAGED = {"flows": FLOWS_STAGED, "disposal_days": DISPOSALS_STAGED}


def merge_staged(conn: psycopg.Connection[Any], table: str) -> None:
    """The workers' day sums of `table` (one of `STAGED`) added up into it, each key once (to
    what a chunk replayed the projector's way wrote there); the staging table goes. The
    histograms' blocks and totals are written with their day rows; the flows' are derived
    afterwards (`ReadModels.derive`)."""
    staged = STAGED[table]
    if table == "flows":
        counters = ", ".join(COUNTER_COLUMNS)
        sums = ", ".join(f"sum({c})" for c in COUNTER_COLUMNS)
        added = ", ".join(f"{c} = flows.{c} + excluded.{c}" for c in COUNTER_COLUMNS)
        # In the order a page of posts reads them (`HELD_TOGETHER`): each post's days
        # side by side in the table, not one a page.
        conn.execute(
            f"INSERT INTO {REBUILD}.flows AS flows ({CELL_DAY}, {counters}) "
            f"SELECT {CELL_DAY}, {sums} FROM {REBUILD}.{staged} GROUP BY {CELL_DAY} "
            f"ORDER BY {HELD_TOGETHER} ON CONFLICT ({CELL_DAY}) DO UPDATE SET {added}"
        )
    else:
        # The histograms of what the workers staged and of what a chunk replayed the
        # projector's way wrote there (those rows written again), with their blocks and
        # totals.
        models = ReadModels(conn, REBUILD)
        models.write_disposals(
            sql.SQL("SELECT * FROM {s}.{staged} UNION ALL {written}").format(
                s=sql.Identifier(REBUILD),
                staged=sql.Identifier(staged),
                written=models.disposals_by_days(),
            )
        )
    conn.execute(f"DROP TABLE {REBUILD}.{staged}")


@dataclass
class Chunk:
    """Complaints folded but not yet written: what they add, kept apart until written."""

    stored: list[Stored] = field(default_factory=list)
    rows: list[projection.ComplaintRow] = field(default_factory=list)
    reviews: list[projection.ReviewEntry] = field(default_factory=list)
    waits: list[waiting.WaitingTally] = field(default_factory=list)
    heard: list[hearings.HearingChange] = field(default_factory=list)
    gaps: list[tuple[UUID, int, int]] = field(default_factory=list)
    sums: Sums = field(default_factory=Sums)
    done: Applied = field(default_factory=Applied)
    held: set[UUID] = field(default_factory=set)
    under_the_act: guarantee.Changes = field(default_factory=guarantee.Changes)

    def fold(self, complaint: list[Stored], decode: Callable[[Stored], Any]) -> None:
        """Fold one complaint's stored events, in version order, as `apply_events` would."""
        self.stored += complaint
        done = self.done
        row: projection.ComplaintRow | None = None
        for i, r in enumerate(complaint):
            version: int = r[2]
            have = row.version if row is not None else 0
            if version <= have:
                done.duplicates += 1
                continue
            if version != have + 1:
                self.gaps.append((r[1], have, version))
                done.gaps += 1
                continue
            try:
                event = decode(r)
                after = projection.apply(row, event)
                tallies = projection.tallies(row, after, event)
                disposed = projection.days_to_dispose(row, after, event)
                pending = projection.pending_changes(row, after)
                entry = projection.review(after, event)
                waits = waiting.tallies(after, event)
                heard = hearings.changes(after, event)
                counted = [
                    (t, [(COUNTER_INDEX[n], a) for n, a in t.counts.items()]) for t in tallies
                ]
            except Exception:
                self.held.add(r[1])
                done.set_aside += len(complaint) - i  # this event and every later one
                break
            if counted:
                self.sums.add_tallies(counted)
            if disposed is not None:
                d = disposed
                when = (d.district, d.department, d.holder, d.day, d.days)
                self.sums.disposals[when] = self.sums.disposals.get(when, 0) + 1
            for key, delta in pending:
                self.sums.pending.add(key, delta)
            if entry is not None:
                self.reviews.append(entry)
            self.under_the_act.add(after, event)
            self.waits += waits
            self.heard += heard
            row = after
            done.applied += 1
        if row is not None:
            self.rows.append(row)

    def write(self, models: ReadModels) -> None:
        """The rows, reviews and gaps, in the caller's transaction (the sums wait)."""
        models.insert_rows(self.rows)
        models.save_reviews(self.reviews)
        self.under_the_act.save(models.conn, models.schema)
        waiting.save(models.conn, self.waits, models.schema)
        hearings.save(models.conn, self.heard, models.schema)
        for complaint, have, got in self.gaps:
            models.record_gap(complaint, have, got)


@dataclass
class Replayed:
    """What a worker reports back: what it applied and set aside, and the complaints it
    holds (their later events, in the catch-up, are held too)."""

    done: Applied
    held: set[UUID]


def complaints(
    conn: psycopg.Connection[Any], partition: Partition, upto: int
) -> Iterator[list[Stored]]:
    """The partition's complaints, each as its stored events up to notification `upto`, in
    version order (the primary key's order: one index scan over the range)."""
    bounded = "AND originator_id < %s " if partition.end is not None else ""
    params: list[Any] = [partition.first]
    if partition.end is not None:
        params.append(partition.end)
    params += [upto, COMPLAINT_EVENT_TOPIC + "%"]
    with conn.cursor(name=f"partition_{partition.index}") as cursor:
        cursor.execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {EVENTS_TABLE} WHERE originator_id >= %s {bounded}"
            f"AND notification_id <= %s AND topic LIKE %s "
            f"ORDER BY originator_id, originator_version",
            params,
        )
        yield from by_complaint(cursor)


def by_complaint(cursor: psycopg.Cursor[Any]) -> Iterator[list[Stored]]:
    """Stored events in (complaint, version) order, a complaint's at a time."""
    current: list[Stored] = []
    while fetched := cursor.fetchmany(5000):  # row by row costs a microsecond an event
        for row in fetched:
            if current and row[1] != current[0][1]:
                yield current
                current = []
            current.append(row)
    if current:
        yield current


def replay_partition(
    database_url: str,
    partition: Partition,
    upto: int,
    decode: Callable[[Stored], Any],
    replay: Callable[[ReadModels, list[Stored], set[UUID]], Applied],
    progress: Callable[[int], None] | None = None,
) -> Replayed:
    """Replay the partition's events up to notification `upto` into the rebuild's copy.
    `replay` is the projector's path, for a chunk the database refuses."""
    started = time.monotonic()
    done = Applied()
    held: set[UUID] = set()
    sums = Sums()
    with (
        psycopg.connect(database_url, autocommit=True) as conn,
        psycopg.connect(database_url) as reader,
    ):
        # A crash only means rebuilding again; the swap commits durably, and all this with it.
        conn.execute("SET synchronous_commit = off")
        models = ReadModels(conn, REBUILD)

        def write(chunk: Chunk) -> None:
            nonlocal done, sums
            try:
                with conn.transaction():
                    chunk.write(models)
            except TRANSIENT:
                raise
            except Exception as refused:
                # What the database refused: the projector's path finds the event.
                log.warning(
                    "rebuild worker %d: a chunk refused (%s), replayed event by event",
                    partition.index,
                    refused,
                )
                with conn.transaction():
                    take_turn(conn)
                    done += replay(models, chunk.stored, held)
            else:
                done += chunk.done
                held.update(chunk.held)
                sums += chunk.sums
            if progress:
                progress(done.applied)

        chunk = Chunk()
        count = 0
        # Folding makes and drops millions of small objects, hardly any of them in a cycle:
        # the cyclic collector runs once a chunk rather than every 700 allocations (15% of
        # a worker's time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for complaint in complaints(reader, partition, upto):
                chunk.fold(complaint, decode)
                count += 1
                if count == COMPLAINTS_PER_CHUNK:
                    write(chunk)
                    chunk, count = Chunk(), 0
                    gc.collect(1)
            write(chunk)
        finally:
            if collecting:
                gc.enable()
        reader.rollback()
        folded = time.monotonic()
        with conn.transaction():
            sums.stage(conn)
        log.info(
            "rebuild worker %d: %d events folded in %.1f s, the sums staged in %.1f s",
            partition.index,
            done.applied,
            folded - started,
            time.monotonic() - folded,
        )
    return Replayed(done, held)
