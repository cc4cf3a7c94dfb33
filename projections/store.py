"""Reading and writing the read models with plain SQL (psycopg), in a named schema."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import Enum
from importlib import resources
from typing import Any
from uuid import UUID

import msgspec
import psycopg
from msgspec.structs import astuple
from psycopg import sql
from psycopg.types.json import Jsonb

from infra import locks
from infra.eventstore.pg_arrays import array_literal
from projections import dead_letters
from projections.rows import (
    ALL,
    BLOCKS,
    COLUMNS,
    FLOW_COUNTERS,
    SPANS,
    ComplaintRow,
    DaysToDispose,
    PendingKey,
    ReviewEntry,
    Tally,
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
    dead_letters.migrate(conn)  # outside the read schema: a rebuild keeps them


_AS_IS = frozenset({str, int, bool, datetime, UUID, type(None)})  # what psycopg takes as it is


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    return Jsonb(value, dumps=msgspec.json.encode) if isinstance(value, list) else value


def _key_array(values: Iterable[Any]) -> str:
    """A key column as an array literal: codes (made safe: no NUL), days or spans."""
    quoted = [str(v).replace("\\", "\\\\").replace('"', '\\"') for v in values]
    return '{"' + '","'.join(quoted) + '"}' if quoted else "{}"


# The figures' tables a rebuild fills from the day rows once (`ReadModels.derive`), rather than
# batch by batch as the projector does.
DERIVED = ("flows_blocks", "disposal_days_blocks", "flows_totals", "disposal_days_totals")


def _block_start_sql(span: str, day: str = "day") -> str:
    """`rows.block_start(day, span)` in SQL: day 1 AD is ordinal 1 in both calendars."""
    return f"date '0001-01-01' + ({day} - date '0001-01-01') / {span} * {span}"


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
        self._add_sums("flows", (), COUNTER_COLUMNS, merged, totals=True)

    def add_disposal_days(self, disposals: Sequence[DaysToDispose]) -> None:
        """Count each disposal in `disposal_days` (per day), `disposal_days_blocks` and
        `disposal_days_totals`."""
        merged: dict[tuple[Any, ...], list[int]] = {}
        histograms: dict[tuple[Any, ...], list[int]] = {}  # the totals' rows
        for d in disposals:
            cell = (d.district, d.department, d.holder, d.day, d.days)
            if cell in merged:
                merged[cell][0] += 1
            else:
                merged[cell] = [1]
            for place in places(d.district, d.department):
                for span in SPANS:
                    key = (*place, span, block_start(d.day, span))
                    histogram = histograms.setdefault(key, [])
                    if len(histogram) <= d.days:
                        histogram += [0] * (d.days + 1 - len(histogram))
                    histogram[d.days] += 1
        self._add_sums("disposal_days", ("days",), ("disposals",), merged, totals=False)
        if not histograms:
            return
        ordered = sorted(histograms)
        self.conn.execute(
            self._q(
                "INSERT INTO {s}.disposal_days_totals AS t (district, department, span, day, "
                "disposals) SELECT district, department, span, day, disposals::int[] "
                "FROM unnest(%s::text[], %s::text[], %s::smallint[], %s::date[], %s::text[]) "
                "AS u(district, department, span, day, disposals) "
                "ON CONFLICT (district, department, span, day) DO UPDATE SET disposals = ARRAY("
                "SELECT coalesce(a, 0) + coalesce(b, 0) FROM unnest(t.disposals, "
                "excluded.disposals) WITH ORDINALITY AS added(a, b, n) ORDER BY n)"
            ),
            [
                *(_key_array(k[i] for k in ordered) for i in range(4)),
                _key_array("{" + ",".join(map(str, histograms[k])) + "}" for k in ordered),
            ],
        )

    def _add_sums(
        self,
        table: str,
        more: tuple[str, ...],
        values: tuple[str, ...],
        merged: dict[tuple[Any, ...], list[int]],
        *,
        totals: bool,
    ) -> None:
        """One statement for the whole batch: the sums per cell, day and `more` (parallel
        arrays) added to `table`; summed into blocks of days, added to `<table>_blocks`;
        and (with `totals`) summed per district, per department and for the state (ALL the
        other), per day and block, added to `<table>_totals`. Each writes its
        rows in key order, so that batches applied side by side take their locks in the
        same order."""
        if not merged:
            return
        cell = ("district", "department", "holder", "day", *more)
        blocks = ("district", "department", "holder", "span", "day", *more)
        types = {"day": "date", "days": "int"}
        ids = sql.Identifier

        def names(columns: Sequence[str]) -> sql.Composable:
            return sql.SQL(", ").join(map(ids, columns))

        sums = sql.SQL(", ").join(sql.SQL("sum({v})").format(v=ids(v)) for v in values)
        arrays = [f"%s::{types.get(c, 'text')}[]" for c in cell] + ["%s::int[]"] * len(values)

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
                "SELECT district, department, holder, span, {block}, {more}{sums} "
                "FROM batch, unnest(%s::smallint[]) AS span GROUP BY {keys} ORDER BY {keys}"
            ).format(
                block=block,
                more=sql.SQL("").join(sql.SQL("{}, ").format(ids(m)) for m in more),
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
        if not totals:
            self.conn.execute(query + per_block, params)
            return
        assert not more, "the totals are kept per day and block only"
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
        """Fill one of the `DERIVED` tables from the day rows (a rebuild's copy, once: summing
        in SQL what `add_tallies` and `add_disposal_days` sum per batch). What it held
        already (a chunk replayed the projector's way) is in the day rows too."""
        self.conn.execute(self._q(f"DELETE FROM {{s}}.{table}"))
        counters = ", ".join(COUNTER_COLUMNS)
        sums = ", ".join(f"sum({c})" for c in COUNTER_COLUMNS)
        # The totals: each cell's sums go to its district's, its department's and the
        # state's (`places`), per day and per block (`SPANS`).
        places_and_spans = (
            "CROSS JOIN LATERAL (VALUES (c.district, %(all)s), (%(all)s, c.department), "
            "(%(all)s, %(all)s)) AS p (district, department) "
            "CROSS JOIN unnest(%(spans)s::smallint[]) AS s (span)"
        )
        totals = "p.district, p.department, s.span, " + _block_start_sql("s.span", "c.day")
        params = {"all": ALL, "spans": list(SPANS)}
        match table:
            case "flows_blocks":
                self._derive_blocks(table, "flows", counters, sums)
            case "disposal_days_blocks":
                self._derive_blocks(
                    table, "disposal_days", "days, disposals", "days, sum(disposals)", "days"
                )
            case "flows_totals":
                self.conn.execute(
                    self._q(
                        f"INSERT INTO {{s}}.flows_totals (district, department, span, day, "
                        f"{counters}) SELECT {totals}, {sums} FROM {{s}}.flows c "
                        f"{places_and_spans} GROUP BY 1, 2, 3, 4"
                    ),
                    params,
                )
            case "disposal_days_totals":
                # Summed in SQL, each histogram spread out here: `disposals[n + 1]`
                # disposals took n days, up to the longest.
                counted = self.conn.execute(
                    self._q(
                        "SELECT district, department, span, day, array_agg(days ORDER BY days), "
                        "array_agg(n ORDER BY days) FROM ("
                        f"  SELECT {totals} AS day, c.days, sum(c.disposals)::int AS n "
                        f"  FROM {{s}}.disposal_days c {places_and_spans} GROUP BY 1, 2, 3, 4, 5"
                        ") AS counted GROUP BY 1, 2, 3, 4"
                    ),
                    params,
                )
                with self.conn.cursor().copy(
                    self._q(
                        "COPY {s}.disposal_days_totals (district, department, span, day, "
                        "disposals) FROM STDIN"
                    )
                ) as copy:
                    copy.set_types(["text", "text", "int2", "date", "int4[]"])
                    for district, department, span, day, days, counts in counted:
                        histogram = [0] * (days[-1] + 1)
                        for n, count in zip(days, counts, strict=True):
                            histogram[n] = count
                        copy.write_row((district, department, span, day, histogram))
            case _:
                raise ValueError(f"{table} is not derived from the day rows")

    def _derive_blocks(
        self, table: str, day_rows: str, names: str, sums: str, by: str | None = None
    ) -> None:
        """`table` (a blocks table): the sums `sums` of `day_rows` per cell and block."""
        cell = "district, department, holder"
        for span in BLOCKS:
            block = f"{span}::smallint, {_block_start_sql(str(span))}"
            group = f"{cell}, {block}" + (f", {by}" if by else "")
            self.conn.execute(
                self._q(
                    f"INSERT INTO {{s}}.{table} ({cell}, span, day, {names}) "
                    f"SELECT {cell}, {block}, {sums} FROM {{s}}.{day_rows} GROUP BY {group}"
                )
            )

    def add_pending(self, changes: Sequence[tuple[PendingKey, int]]) -> None:
        """Add each change to the open complaints' counts; a count fallen to 0 is deleted."""
        merged: dict[PendingKey, int] = {}
        for key, delta in changes:
            merged[key] = merged.get(key, 0) + delta
        keys = sorted((k for k, d in merged.items() if d), key=dataclasses.astuple)
        if not keys:
            return
        params = [
            array_literal(k.district for k in keys),
            array_literal(k.department for k in keys),
            array_literal(k.holder for k in keys),
            "{" + ",".join(str(k.level) for k in keys) + "}",
            "{" + ",".join("t" if k.cmo_vip else "f" for k in keys) + "}",
            array_literal(k.filed_day for k in keys),
            array_literal(k.due_day for k in keys),
        ]
        unnest = (
            "unnest(%s::text[], %s::text[], %s::text[], %s::smallint[], %s::boolean[], "
            "%s::date[], %s::date[]"
        )
        self.conn.execute(
            self._q(
                "INSERT INTO {s}.pending (district, department, holder, level, cmo_vip, "
                "filed_day, due_day, complaints) SELECT * FROM " + unnest + ", %s::int[]) "
                "ON CONFLICT (district, department, holder, level, cmo_vip, filed_day, due_day) "
                "DO UPDATE SET complaints = {s}.pending.complaints + excluded.complaints"
            ),
            [*params, "{" + ",".join(str(merged[k]) for k in keys) + "}"],
        )
        self.conn.execute(
            self._q(
                "DELETE FROM {s}.pending p USING " + unnest + ") AS k(district, department, "
                "holder, level, cmo_vip, filed_day, due_day) WHERE p.complaints = 0 "
                "AND (p.district, p.department, p.holder, p.level, p.cmo_vip, p.filed_day, "
                "p.due_day) = (k.district, k.department, k.holder, k.level, k.cmo_vip, "
                "k.filed_day, k.due_day)"
            ),
            params,
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
