"""Reading and writing the read models with plain SQL (psycopg), in a named schema."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import Enum
from importlib import resources
from typing import Any
from uuid import UUID

import msgspec
import numpy as np
import psycopg
from msgspec.structs import astuple
from psycopg import sql
from psycopg.types.json import Jsonb

from infra import locks
from projections.histograms import added_up, numbered, spread_out
from projections.rows import (
    ALL,
    BLOCKS,
    COLUMNS,
    FLOW_COUNTERS,
    PENDING_COUNTERS,
    PENDING_DAY_COUNTERS,
    SPANS,
    ComplaintRow,
    DaysToDispose,
    PendingMargins,
    ReviewEntry,
    Tally,
    add_counts,
    block_start,
    made_safe,
    places,
)

LIVE = "read"
REBUILD = "read_rebuild"

COUNTER_COLUMNS = FLOW_COUNTERS
COUNTER_INDEX = {name: i for i, name in enumerate(COUNTER_COLUMNS)}


def ddl(schema: str) -> str:
    text = resources.files("projections").joinpath("schema.sql").read_text()
    return text.replace("{schema}", schema)


def migrate(conn: psycopg.Connection[Any], schema: str = LIVE) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (locks.READ_SCHEMA,))
    conn.execute(ddl(schema).encode())


_AS_IS = frozenset({str, int, bool, datetime, UUID, type(None)})  # what psycopg takes as it is


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    return Jsonb(value, dumps=msgspec.json.encode) if isinstance(value, list) else value


def _block(ordinals: np.ndarray, span: int) -> np.ndarray:
    """`rows.block_start` of days as ordinals."""
    return (ordinals - 1) // span * span + 1


# Days as ordinals (day 1 AD is 1) are below this, up to `date.max`: a key of a histogram
# is its cell's or place's number times this plus its day's ordinal.
_DAYS = 1 << 22

# How many of the staged counts a rebuild's histograms are made from at a time
# (`write_disposals`): at 1 M complaints, ~290 MB at the peak, against ~730 MB for all at once.
COUNTS_AT_ONCE = 200_000


def _key_array(values: Iterable[Any]) -> str:
    """A key column as an array literal: codes (made safe: no NUL), days or spans."""
    quoted = [str(v).replace("\\", "\\\\").replace('"', '\\"') for v in values]
    return '{"' + '","'.join(quoted) + '"}' if quoted else "{}"


# The order a rebuild writes the figures' rows of posts in (`flows`, `flows_blocks`): a
# page of posts over a year reads each post's few dozen rows, which then share a few heap
# pages rather than a page each (the projector's later updates move only the days they touch).
HELD_TOGETHER = "holder, day"

# The figures' tables a rebuild fills from the day rows once (`ReadModels.derive`), rather than
# batch by batch as the projector does.
DERIVED = ("flows_blocks", "flows_totals")


def _block_start_sql(span: str, day: str = "day") -> str:
    """`rows.block_start(day, span)` in SQL: day 1 AD is ordinal 1 in both calendars."""
    return f"date '0001-01-01' + ({day} - date '0001-01-01') / {span} * {span}"


CELL = ("district", "department", "holder")  # a cell's key in the aggregates
PLACE = ("district", "department")  # a total's key (ALL: every district or department)
_TYPES = {"day": "date", "span": "smallint"}  # the key columns that are not text
_COPY_TYPES = {"day": "date", "span": "int2"}


def _count(histograms: dict[tuple[Any, ...], list[int]], key: tuple[Any, ...], days: int) -> None:
    """One more disposal that took `days` in the histogram of `key`."""
    histogram = histograms.setdefault(key, [])
    if len(histogram) <= days:
        histogram += [0] * (days + 1 - len(histogram))
    histogram[days] += 1


class ReadModels:
    """The read-model tables of one schema, used inside the caller's transaction."""

    def __init__(self, conn: psycopg.Connection[Any], schema: str = LIVE) -> None:
        self.conn = conn
        self.schema = sql.Identifier(schema)

    def _q(self, text: str) -> sql.Composed:
        return sql.SQL(text).format(s=self.schema)

    # --- complaints ---------------------------------------------------------------------

    def rows(self, ids: Iterable[UUID], *, lock: bool = False) -> dict[UUID, ComplaintRow]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        columns = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
        query = sql.SQL("SELECT {c} FROM {s}.complaints WHERE id = ANY(%s) ORDER BY id").format(
            c=columns, s=self.schema
        )
        if lock:
            query += sql.SQL(" FOR UPDATE")
        found = self.conn.execute(query, (wanted,)).fetchall()
        return {r[0]: ComplaintRow(*r) for r in found}

    def save_rows(self, rows: Sequence[ComplaintRow]) -> None:
        """Upsert the rows: COPY into a temporary table, then one INSERT .. ON CONFLICT (a
        statement per row costs twice the time in a rebuild)."""
        if not rows:
            return
        names = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
        updates = sql.SQL(", ").join(
            sql.SQL("{c} = excluded.{c}").format(c=sql.Identifier(c)) for c in COLUMNS[1:]
        )
        self.conn.execute(
            self._q(
                "CREATE TEMPORARY TABLE IF NOT EXISTS staged_complaints "
                "(LIKE {s}.complaints) ON COMMIT DELETE ROWS"
            )
        )
        self._copy_rows(sql.Identifier("staged_complaints"), rows)
        with self.conn.cursor() as cur:
            cur.execute(
                sql.SQL(
                    "INSERT INTO {s}.complaints ({names}) SELECT {names} FROM staged_complaints "
                    "ON CONFLICT (id) DO UPDATE SET {updates}"
                ).format(s=self.schema, names=names, updates=updates)
            )
            cur.execute("DELETE FROM staged_complaints")

    def insert_rows(self, rows: Sequence[ComplaintRow]) -> None:
        """Rows not in the table yet (a rebuild's copy): COPY straight into it."""
        if not rows:
            return
        self._copy_rows(self._q("{s}.complaints"), rows)

    def _copy_rows(self, table: sql.Composable, rows: Sequence[ComplaintRow]) -> None:
        names = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
        with (
            self.conn.cursor() as cur,
            cur.copy(sql.SQL("COPY {t} ({names}) FROM STDIN").format(t=table, names=names)) as copy,
        ):
            for r in map(made_safe, rows):  # what PostgreSQL cannot hold, made safe
                copy.write_row([v if type(v) in _AS_IS else _plain(v) for v in astuple(r)])

    # --- counters and disposals ---------------------------------------------------------

    def add_tallies(self, tallies: Sequence[Tally]) -> None:
        """Add the tallies to `flows` (per day), `flows_blocks` (per block of days) and
        `flows_totals` (without the post)."""
        merged: dict[tuple[Any, ...], list[int]] = {}
        for t in tallies:
            key = (t.district, t.department, t.holder, t.day)
            counts = merged.get(key)
            if counts is None:
                counts = merged[key] = [0] * len(COUNTER_COLUMNS)
            for name, amount in t.counts.items():
                counts[COUNTER_INDEX[name]] += amount
        # A filing routed at once nets to nothing in the pool: no row for it.
        merged = {k: v for k, v in merged.items() if any(v)}
        self._add_sums("flows", COUNTER_COLUMNS, merged)

    def add_disposal_days(self, disposals: Sequence[DaysToDispose]) -> None:
        """Count each disposal in the histograms of its cell's day (`disposal_days`), of its
        cell's blocks of days (`disposal_days_blocks`), and of its district's, department's
        and the state's days and blocks (`disposal_days_totals`): a statement a table."""
        per_day: dict[tuple[Any, ...], list[int]] = {}
        per_block: dict[tuple[Any, ...], list[int]] = {}
        totals: dict[tuple[Any, ...], list[int]] = {}
        for d in disposals:
            cell = (d.district, d.department, d.holder)
            _count(per_day, (*cell, d.day), d.days)
            for span in BLOCKS:
                _count(per_block, (*cell, span, block_start(d.day, span)), d.days)
            for place in places(d.district, d.department):
                for span in SPANS:
                    _count(totals, (*place, span, block_start(d.day, span)), d.days)
        self._add_histograms("disposal_days", (*CELL, "day"), per_day)
        self._add_histograms("disposal_days_blocks", (*CELL, "span", "day"), per_block)
        self._add_histograms("disposal_days_totals", (*PLACE, "span", "day"), totals)

    def _add_histograms(
        self, table: str, keys: tuple[str, ...], histograms: dict[tuple[Any, ...], list[int]]
    ) -> None:
        """Add each histogram to its row of `table`, position by position, in key order."""
        if not histograms:
            return
        ordered = sorted(histograms)
        names = ", ".join(keys)
        arrays = ", ".join(f"%s::{_TYPES.get(k, 'text')}[]" for k in keys)
        self.conn.execute(
            self._q(
                f"INSERT INTO {{s}}.{table} AS t ({names}, disposals) "
                f"SELECT {names}, disposals::int[] FROM unnest({arrays}, %s::text[]) "
                f"AS u({names}, disposals) ON CONFLICT ({names}) DO UPDATE SET disposals = "
                "ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0) FROM unnest(t.disposals, "
                "excluded.disposals) WITH ORDINALITY AS added(a, b, n) ORDER BY n)"
            ),
            [
                *(_key_array(k[i] for k in ordered) for i in range(len(keys))),
                _key_array("{" + ",".join(map(str, histograms[k])) + "}" for k in ordered),
            ],
        )

    def write_disposals(self, counted: sql.Composable) -> None:
        """Replace the days-to-dispose histograms, of each cell's days (`disposal_days`) and
        blocks of days (`disposal_days_blocks`) and of the totals (`disposal_days_totals`),
        with those of `counted`: a query of (district, department, holder, day, days,
        disposals), a cell, day and number of days as often as it was counted. A rebuild's
        copy, once: added up here in whole-array steps (`histograms.spread_out`), where
        summing in SQL took half a minute at 1 M complaints. Read in the order of the posts,
        `COUNTS_AT_ONCE` counts at a time, each cell's written once all of its are in: what
        is held grows with that and with the places, not with the complaints."""
        numbers: dict[tuple[str, str], int] = {}  # each district's, department's and the state's
        per_place: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        with self.conn.cursor(name="counted") as found:  # read as it is needed
            found.execute(
                sql.SQL(
                    "SELECT district, department, holder, day - date '0001-01-01' + 1, days, "
                    "disposals FROM ({counted}) AS counted ORDER BY holder, district, department"
                ).format(counted=counted)
            )
            # The cursor reads what was there when it was opened, whatever is written now.
            for table in ("disposal_days", "disposal_days_blocks", "disposal_days_totals"):
                self.conn.execute(self._q(f"DELETE FROM {{s}}.{table}"))
            waiting: list[tuple[Any, ...]] = []  # the last cell read, perhaps not all of it
            while True:
                rows = found.fetchmany(COUNTS_AT_ONCE)
                cells = waiting + rows
                if rows:  # the last cell may go on in the next rows: it waits for them
                    last = cells[-1][:3]
                    cut = len(cells)
                    while cut and cells[cut - 1][:3] == last:
                        cut -= 1
                    cells, waiting = cells[:cut], cells[cut:]
                if cells:
                    per_place.append(self._write_cells_disposals(cells, numbers))
                if not rows:
                    break
        if per_place:
            names = list(numbers)
            place, days, disposals = (np.concatenate(a) for a in zip(*per_place, strict=True))
            for span in SPANS:
                self._write_histograms(
                    "disposal_days_totals",
                    (*PLACE, "span", "day"),
                    names,
                    added_up(place, days, disposals),
                    span,
                )

    def _write_cells_disposals(
        self, found: list[tuple[Any, ...]], numbers: dict[tuple[str, str], int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The histograms of the cells whose every count is in `found` (district, department,
        holder, day's ordinal, days, disposals), of their days and blocks, written; what
        they add to each of their places (numbered in `numbers` as first seen), returned as
        `added_up` takes it."""
        districts, departments, holders, ordinals, days, disposals = zip(*found, strict=True)
        cell_of, cells = numbered(list(zip(districts, departments, holders, strict=True)))
        # Each cell and day once, its blocks from those.
        per_day = added_up(
            cell_of * _DAYS + np.array(ordinals, dtype=np.int64),
            np.array(days, dtype=np.int64),
            np.array(disposals, dtype=np.int64),
        )
        self._write_histograms("disposal_days", (*CELL, "day"), cells, per_day)
        for span in BLOCKS:
            self._write_histograms(
                "disposal_days_blocks", (*CELL, "span", "day"), cells, per_day, span
            )
        # What the cells' days add to their districts', departments' and the state's.
        place_of = np.array(
            [[numbers.setdefault(p, len(numbers)) for p in places(c[0], c[1])] for c in cells],
            dtype=np.int64,
        ).reshape(len(cells), 3)
        cell, day = np.divmod(per_day[0], _DAYS)
        return added_up(
            place_of[cell].T.ravel() * _DAYS + np.tile(day, 3),
            np.tile(per_day[1], 3),
            np.tile(per_day[2], 3),
        )

    def _write_histograms(
        self,
        table: str,
        columns: tuple[str, ...],
        names: Sequence[tuple[str, ...]],
        counted: tuple[np.ndarray, np.ndarray, np.ndarray],
        span: int = 1,
    ) -> None:
        """A histogram a key and block of `span` days into `table` (its key `columns`), from
        counts per key (a number times `_DAYS` plus a day's ordinal; its names in `names`)
        and number of days, as `added_up` makes them."""
        key, day = np.divmod(counted[0], _DAYS)
        groups, texts = spread_out(key * _DAYS + _block(day, span), *counted[1:])
        spans = (span,) if "span" in columns else ()
        rows = ((*names[g // _DAYS], *spans, date.fromordinal(g % _DAYS)) for g in groups)
        self._copy_histograms(table, columns, rows, texts)

    def _copy_histograms(
        self,
        table: str,
        keys: tuple[str, ...],
        rows: Iterable[tuple[Any, ...]],
        histograms: list[str],
    ) -> None:
        """Rows of `keys`, each with its histogram as text (`{0,2,1}`), copied into `table`."""
        with self.conn.cursor().copy(
            self._q(f"COPY {{s}}.{table} ({', '.join(keys)}, disposals) FROM STDIN")
        ) as copy:
            copy.set_types([*(_COPY_TYPES.get(k, "text") for k in keys), "text"])
            for row, histogram in zip(rows, histograms, strict=True):
                copy.write_row((*row, histogram))

    def _add_sums(
        self, table: str, values: tuple[str, ...], merged: dict[tuple[Any, ...], list[int]]
    ) -> None:
        """One statement for the whole batch: the sums per cell and day (parallel arrays)
        added to `table`; summed into blocks of days, added to `<table>_blocks`; summed
        per district, per department and for the state (ALL the other), per day and
        block, added to `<table>_totals`. Each writes its rows in key order, so that
        batches applied side by side take their locks in the same order."""
        if not merged:
            return
        cell = (*CELL, "day")
        blocks = (*CELL, "span", "day")
        ids = sql.Identifier

        def names(columns: Sequence[str]) -> sql.Composable:
            return sql.SQL(", ").join(map(ids, columns))

        sums = sql.SQL(", ").join(sql.SQL("sum({v})").format(v=ids(v)) for v in values)
        arrays = [f"%s::{_TYPES.get(c, 'text')}[]" for c in cell] + ["%s::int[]"] * len(values)

        def upsert(name: str, keys: tuple[str, ...], select: sql.Composable) -> sql.Composable:
            added = sql.SQL(", ").join(
                sql.SQL("{v} = t.{v} + excluded.{v}").format(v=ids(v)) for v in values
            )
            return sql.SQL(
                "INSERT INTO {s}.{t} AS t ({keys}, {values}) {select} "
                "ON CONFLICT ({keys}) DO UPDATE SET {added}"
            ).format(
                s=self.schema,
                t=ids(name),
                keys=names(keys),
                values=names(values),
                select=select,
                added=added,
            )

        block = sql.SQL("day - ((day - DATE '0001-01-01') %% span)")
        per_day = upsert(
            table, cell, sql.SQL("SELECT * FROM batch ORDER BY {keys}").format(keys=names(cell))
        )
        per_block = upsert(
            f"{table}_blocks",
            blocks,
            sql.SQL(
                "SELECT district, department, holder, span, {block}, {sums} "
                "FROM batch, unnest(%s::smallint[]) AS span GROUP BY {keys} ORDER BY {keys}"
            ).format(
                block=block,
                sums=sums,
                keys=sql.SQL(", ").join(sql.Literal(n) for n in range(1, len(blocks) + 1)),
            ),
        )
        query = sql.SQL(
            "WITH batch ({columns}) AS (SELECT * FROM unnest({arrays})), per_day AS ({per_day}) "
        ).format(
            columns=names((*cell, *values)), arrays=sql.SQL(", ".join(arrays)), per_day=per_day
        )
        ordered = sorted(merged)
        columns = zip(*(merged[k] for k in ordered), strict=True)  # a column per value
        params = [
            *(_key_array(k[i] for k in ordered) for i in range(len(cell))),
            *("{" + ",".join(map(str, column)) + "}" for column in columns),
            "{" + ",".join(map(str, BLOCKS)) + "}",
        ]
        totalled = upsert(
            f"{table}_totals",
            ("district", "department", "span", "day"),
            sql.SQL(
                "SELECT coalesce(district, %s), coalesce(department, %s), span, block, {sums} "
                "FROM (SELECT district, department, span, {block} AS block, {values} "
                "FROM batch, unnest(%s::smallint[]) AS span) AS days "
                "GROUP BY GROUPING SETS ((district), (department), ()), span, block "
                "ORDER BY 1, 2, 3, 4"
            ).format(block=block, values=names(values), sums=sums),
        )
        query += sql.SQL(", per_block AS ({per_block}) {totals}").format(
            per_block=per_block, totals=totalled
        )
        params += [ALL, ALL, "{" + ",".join(map(str, SPANS)) + "}"]
        self.conn.execute(query, params)

    # --- a rebuild's sums ---------------------------------------------------------------

    def derive(self, table: str) -> None:
        """Fill one of the `DERIVED` tables from the flows' day rows (a rebuild's copy, once:
        summing in SQL what `add_tallies` sums per batch). What it held already (a chunk
        replayed the projector's way) is in the day rows too. (The histograms' blocks and
        totals are written with their day rows: `write_disposals`.)"""
        self.conn.execute(self._q(f"DELETE FROM {{s}}.{table}"))
        match table:
            case "flows_blocks":
                self._derive_flows_blocks()
            case "flows_totals":
                # Each cell's sums go to its district's, its department's and the state's
                # (`places`), per day and per block (`SPANS`).
                counters = ", ".join(COUNTER_COLUMNS)
                sums = ", ".join(f"sum({c})" for c in COUNTER_COLUMNS)
                totals = "p.district, p.department, s.span, " + _block_start_sql("s.span", "c.day")
                self.conn.execute(
                    sql.SQL(
                        f"INSERT INTO {{s}}.flows_totals (district, department, span, day, "
                        f"{counters}) SELECT {totals}, {sums} FROM {{s}}.flows c "
                        "CROSS JOIN LATERAL (VALUES (c.district, {all}), ({all}, c.department), "
                        "({all}, {all})) AS p (district, department) "
                        "CROSS JOIN unnest({spans}::smallint[]) AS s (span) GROUP BY 1, 2, 3, 4"
                    ).format(
                        s=self.schema,
                        all=sql.Literal(ALL),
                        spans=sql.Literal("{" + ",".join(map(str, SPANS)) + "}"),
                    )
                )
            case _:
                raise ValueError(f"{table} is not derived from the day rows")

    def _derive_flows_blocks(self) -> None:
        """`flows_blocks`: the sums of the flows' day rows per cell and block."""
        cell = ", ".join(CELL)
        counters = ", ".join(COUNTER_COLUMNS)
        sums = ", ".join(f"sum({c})" for c in COUNTER_COLUMNS)
        for span in BLOCKS:
            block = f"{span}::smallint, {_block_start_sql(str(span))} AS day"
            self.conn.execute(
                self._q(
                    f"INSERT INTO {{s}}.flows_blocks ({cell}, span, day, {counters}) "
                    f"SELECT {cell}, {block}, {sums} FROM {{s}}.flows GROUP BY {cell}, 4, 5 "
                    f"ORDER BY {HELD_TOGETHER}"
                )
            )

    def disposals_by_days(self) -> sql.Composed:
        """`disposal_days` a row per cell, day and number of days some disposals took
        (`days`, `disposals`): its histograms unfolded, the empty places left out."""
        return self._q(
            "SELECT district, department, holder, day, h.days - 1 AS days, h.n AS disposals "
            "FROM {s}.disposal_days, unnest(disposals) WITH ORDINALITY AS h(n, days) "
            "WHERE h.n <> 0"
        )

    def add_pending(self, margins: PendingMargins) -> None:
        """Add the changes to the pending work's margins: per cell (`pending`,
        `pending_days`) and per district, department and the state (`pending_totals`,
        `pending_days_totals`); a statement a table, its rows in key order. A count fallen
        to 0 stays (the rows are bounded by cells x days)."""
        totals: dict[tuple[Any, ...], list[int]] = {}
        day_totals: dict[tuple[Any, ...], list[int]] = {}
        for (district, department, _), counts in margins.cells.items():
            for place in places(district, department):
                add_counts(totals, place, counts)
        for (district, department, _, day), counts in margins.days.items():
            for place in places(district, department):
                add_counts(day_totals, (*place, day), counts)
        self._add_counts("pending", CELL, PENDING_COUNTERS, margins.cells)
        self._add_counts("pending_days", (*CELL, "day"), PENDING_DAY_COUNTERS, margins.days)
        self._add_counts("pending_totals", PLACE, PENDING_COUNTERS, totals)
        self._add_counts("pending_days_totals", (*PLACE, "day"), PENDING_DAY_COUNTERS, day_totals)

    def _add_counts(
        self,
        table: str,
        keys: tuple[str, ...],
        counters: tuple[str, ...],
        sums: dict[tuple[Any, ...], list[int]],
    ) -> None:
        """Add `sums` (key -> a count per counter) to `table`, in key order."""
        ordered = sorted(k for k, counts in sums.items() if any(counts))
        if not ordered:
            return
        names = ", ".join(keys)
        counted = ", ".join(counters)
        arrays = [f"%s::{_TYPES.get(k, 'text')}[]" for k in keys] + ["%s::int[]"] * len(counters)
        added = ", ".join(f"{c} = t.{c} + excluded.{c}" for c in counters)
        self.conn.execute(
            self._q(
                f"INSERT INTO {{s}}.{table} AS t ({names}, {counted}) "
                f"SELECT * FROM unnest({', '.join(arrays)}) "
                f"ON CONFLICT ({names}) DO UPDATE SET {added}"
            ),
            [
                *(_key_array(k[i] for k in ordered) for i in range(len(keys))),
                *(
                    "{" + ",".join(str(sums[k][i]) for k in ordered) + "}"
                    for i in range(len(counters))
                ),
            ],
        )

    def save_reviews(self, entries: Sequence[ReviewEntry]) -> None:
        """Queued lines keep their rank; a review fills in who reviewed it, when, and why."""
        if not entries:
            return
        query = self._q(
            "INSERT INTO {s}.reviews (day, complaint_id, department, rank, queued_at, "
            "reviewed_at, reviewed_by, note) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (day, complaint_id) DO UPDATE SET "
            "rank = coalesce({s}.reviews.rank, excluded.rank), "
            "queued_at = coalesce({s}.reviews.queued_at, excluded.queued_at), "
            "reviewed_at = coalesce(excluded.reviewed_at, {s}.reviews.reviewed_at), "
            "reviewed_by = coalesce(excluded.reviewed_by, {s}.reviews.reviewed_by), "
            "note = coalesce(excluded.note, {s}.reviews.note)"
        )
        with self.conn.cursor() as cur:
            cur.executemany(query, [dataclasses.astuple(e) for e in entries])

    # --- the projector's place ----------------------------------------------------------

    def offsets(self, group: str, topic: str) -> dict[int, tuple[int, int]]:
        """partition -> (next offset, relay epoch)"""
        found = self.conn.execute(
            self._q(
                "SELECT partition, next_offset, relay_epoch FROM {s}.offsets "
                "WHERE consumer_group = %s AND topic = %s"
            ),
            (group, topic),
        ).fetchall()
        return {p: (o, e) for p, o, e in found}

    def save_offsets(
        self, group: str, topic: str, offsets: dict[int, tuple[int, int, datetime]]
    ) -> None:
        """partition -> (next offset, relay epoch, time of the last event applied)"""
        query = self._q(
            "INSERT INTO {s}.offsets "
            "(consumer_group, topic, partition, next_offset, relay_epoch, last_event_time) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (consumer_group, topic, partition) "
            "DO UPDATE SET next_offset = excluded.next_offset, "
            "relay_epoch = excluded.relay_epoch, "
            "last_event_time = coalesce(excluded.last_event_time, {s}.offsets.last_event_time)"
        )
        with self.conn.cursor() as cur:
            cur.executemany(
                query, [(group, topic, p, *values) for p, values in sorted(offsets.items())]
            )

    def record_gap(self, complaint_id: UUID, have: int, got: int) -> None:
        self.conn.execute(
            self._q(
                "INSERT INTO {s}.gaps (complaint_id, have_version, got_version) "
                "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
            ),
            (complaint_id, have, got),
        )
