"""The read side's questions: search, one complaint, inboxes and dashboards.

Every query takes the caller's scope as SQL conditions from `scope_conditions`, so a collector
only ever counts its district and a citizen only finds its own complaints.
"""

from __future__ import annotations

import json
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus

from domain.permissions import PERMISSIONS, PSEUDONYMOUS, SERVICES, Scope
from domain.values import OPEN_STATUSES, Identity
from infra import cursors
from infra.eventstore.pg_arrays import array_literal
from infra.security.access_log import Looker, looked_params, shown_and_looked
from projections import histograms
from projections.figures import (
    AGE_BANDS,
    DaysToDispose,
    FigureScope,
    Ledger,
    OutsideScope,
    report,
    window_start,
)
from projections.rows import (
    ALL,
    CLIMBED_TO,
    COLUMNS,
    FLOW_COUNTERS,
    LEVELS,
    OUTCOMES,
    PENDING_COUNTERS,
    POOL,
    ComplaintRow,
    Run,
    cover,
    day_in_india,
)
from projections.store import LIVE

OPEN = sorted(s.value for s in OPEN_STATUSES)


class OutOfScope(Exception):
    """The caller's role has no view of this question (`field`: the part of it refused)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Search:
    status: str | None = None
    district: str | None = None
    department: str | None = None
    category: str | None = None
    level: int | None = None
    holder: str | None = None
    priority: str | None = None
    channel: str | None = None
    filed_from: datetime | None = None
    filed_to: datetime | None = None
    overdue: bool | None = None
    words: str | None = None
    mobile: str | None = None  # the complainant's, ten digits (`domain.inputs.dialled_mobile`)
    name: str | None = None  # the complainant's, or part of it, as a desk agent types it

    @property
    def by_complainant(self) -> list[str]:
        """The parameters that look for a person: a search by personal data."""
        return [f for f, v in (("mobile", self.mobile), ("name", self.name)) if v is not None]


@dataclass(frozen=True)
class Page:
    rows: list[ComplaintRow]
    next_cursor: str | None


def scope_conditions(
    who: Identity, scope: Scope | None = None, *, schema: str = LIVE
) -> tuple[list[sql.Composable], list[Any]]:
    """What part of the state's complaints the caller may see (`domain/permissions.py`,
    action "see", or the `scope` given), as WHERE conditions on `schema`'s complaints.

    An officer's office takes in, besides the complaints its post holds and those of its
    district and department, those the Public Services Guarantee Act brought before its post
    (an appeal lies or lay before it, or it was fined: `guarantee_cases.posts`), found by
    that table's index of posts."""
    match scope or PERMISSIONS["see"].get(who.role):
        case Scope.OWN_COMPLAINT:
            return [sql.SQL("complainant_mobile = %s")], [who.mobile or ""]
        case Scope.OWN_POST:
            return [sql.SQL("holder = %s")], [who.post or ""]
        case Scope.OFFICE:
            office = sql.SQL(
                "(holder = %s OR (district = %s AND department = %s) OR id IN "
                "(SELECT id FROM {s}.guarantee_cases WHERE posts @> ARRAY[%s]::text[]))"
            ).format(s=sql.Identifier(schema))
            return [office], [
                who.post or "",
                who.district or "",
                who.department or "",
                who.post or "",
            ]
        case Scope.DISTRICT:
            return [sql.SQL("district = %s")], [who.district or ""]
        case Scope.DEPARTMENT:
            return [sql.SQL("department = %s")], [who.department or ""]
        case Scope.STATE:
            return [], []
    raise OutOfScope(f"{who.role.a} has no view of complaints")


def encode_cursor(row: ComplaintRow) -> str:
    """The search's cursor after `row` (`infra/cursors.py`)."""
    return cursors.encode(row.filed_at, row.id)


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    """The position after which a page starts; ValueError when the cursor is not ours."""
    filed_at, complaint_id = cursors.decode(cursor, cursors.moment, cursors.uuid)
    return filed_at, complaint_id


# The inbox's order: high priority first, then the nearest deadline (none last), then id.
INBOX_ORDER = sql.SQL("(priority <> 'high'), coalesce(due_at, 'infinity'), id")


def inbox_cursor(row: ComplaintRow) -> str:
    return cursors.encode(row.priority != "high", row.due_at, row.id)


def after_in_inbox(cursor: str) -> tuple[bool, datetime | None, UUID]:
    """The inbox position a cursor holds; ValueError when the cursor is not ours."""
    not_high, due_at, complaint_id = cursors.decode(
        cursor, cursors.flag, cursors.optional(cursors.moment), cursors.uuid
    )
    return not_high, due_at, complaint_id


def name_matches(name: str) -> tuple[sql.Composable, list[Any]]:
    """A complainant's name as heard on the phone: case and spacing aside, every word typed
    is part of the name as stored (Devanagari or Latin, whichever it was filed in), in any
    order: "devi shar" finds "Sunita Devi Sharma". Served by the trigram index
    `complaints_name` (a word of three characters or more narrows it). A misheard spelling
    is not guessed at: a similarity match made the planner filter the newest complaints one
    by one (bench/finding.py), so the desk types the part it is sure of ("suni")."""
    typed = name.lower().split()
    each = sql.SQL("lower(complainant_name) LIKE %s")
    condition = sql.SQL("({})").format(sql.SQL(" AND ").join([each] * len(typed)))
    return condition, [f"%{_escaped(word)}%" for word in typed]


def _escaped(word: str) -> str:
    """A word as a LIKE pattern matching itself (backslash is LIKE's escape character)."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class DashboardPage:
    rows: list[dict[str, Any]]
    next_cursor: str | None


@dataclass(frozen=True)
class Attached:
    anywhere: int
    visible: int


class ReadQueries:
    def __init__(self, conn: psycopg.Connection[Any], schema: str = LIVE) -> None:
        self.conn = conn
        self.schema_name = schema
        self.schema = sql.Identifier(schema)

    def _rows(
        self,
        where: list[sql.Composable],
        params: list[Any],
        tail: sql.Composable,
        tail_params: list[Any],
    ) -> list[ComplaintRow]:
        query = sql.SQL("SELECT {columns} FROM {s}.complaints").format(
            columns=sql.SQL(", ").join(map(sql.Identifier, COLUMNS)), s=self.schema
        )
        if where:
            query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
        query += tail
        return [ComplaintRow(*r) for r in self.conn.execute(query, [*params, *tail_params])]

    def attached(self, who: Identity, sha256: str) -> Attached:
        """How many complaints carry this file (as filed or as evidence), and how many of
        them `who` may see."""
        refers = sql.SQL(
            "(attachments @> %s::jsonb OR coalesce(evidence, '[]'::jsonb) @> %s::jsonb)"
        )
        file = json.dumps([{"sha256": sha256}])
        query = sql.SQL("SELECT count(*) FROM {s}.complaints WHERE ").format(s=self.schema)
        anywhere = self.conn.execute(query + refers, [file, file]).fetchone()
        try:
            where, params = scope_conditions(who, schema=self.schema_name)
        except OutOfScope:
            return Attached(anywhere=int(anywhere[0]) if anywhere else 0, visible=0)
        seen = sql.SQL(" AND ").join([refers, *where])
        visible = self.conn.execute(query + seen, [file, file, *params]).fetchone()
        return Attached(
            anywhere=int(anywhere[0]) if anywhere else 0, visible=int(visible[0]) if visible else 0
        )

    def complaint(
        self,
        complaint_id: UUID,
        *,
        seen_by: Identity | None = None,
        looker: Looker | None = None,
        min_version: int = 0,
    ) -> ComplaintRow | None:
        """One complaint's row; with `seen_by`, only if that caller's scope takes it in. With
        `looker`, the same statement records the look (`one_complaint`)."""
        query, params = one_complaint(
            complaint_id,
            seen_by=seen_by,
            looker=looker,
            min_version=min_version,
            schema=self.schema_name,
        )
        found = self.conn.execute(query, params).fetchone()
        return ComplaintRow(*found) if found else None

    def search(
        self, who: Identity, search: Search, *, cursor: str | None, limit: int, now: datetime
    ) -> Page:
        """A page of the complaints `search` finds within the caller's scope, newest filed
        first, after `cursor`."""
        where, params = self._matching(who, search, now)
        if cursor is not None:
            filed_at, complaint_id = decode_cursor(cursor)
            where.append(sql.SQL("(filed_at, id) < (%s, %s)"))
            params += [filed_at, complaint_id]
        rows = self._rows(
            where, params, sql.SQL(" ORDER BY filed_at DESC, id DESC LIMIT %s"), [limit + 1]
        )
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(rows=rows, next_cursor=encode_cursor(rows[-1]) if more and rows else None)

    def count(self, who: Identity, search: Search, *, now: datetime, at_most: int) -> int:
        """How many complaints `search` finds for `who`, counted no further than `at_most`
        (an export's cap: the count costs no more than the export would)."""
        where, params = self._matching(who, search, now)
        query = sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {s}.complaints").format(s=self.schema)
        if where:
            query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
        found = self.conn.execute(query + sql.SQL(" LIMIT %s) AS found"), [*params, at_most])
        row = found.fetchone()
        return int(row[0]) if row else 0

    def _matching(
        self, who: Identity, search: Search, now: datetime
    ) -> tuple[list[sql.Composable], list[Any]]:
        """`search` within the caller's scope, as WHERE conditions."""
        where, params = scope_conditions(who, schema=self.schema_name)
        if search.words and who.role in PSEUDONYMOUS:
            # Words would find what the text says, which these callers are not shown.
            raise OutOfScope(f"{who.role.a} does not search the complaints' text (q)", "q")
        for field in search.by_complainant:
            scope = SERVICES["search_by_complainant"].get(who.role)
            if scope is None:
                refused = f"{who.role.a} does not search by the complainant's {field}"
                raise OutOfScope(refused, field)
            if scope == Scope.OWN_COMPLAINT and field == "mobile" and search.mobile != who.mobile:
                raise OutOfScope(f"{who.role.a} searches under its own mobile number only", field)
        equal = {
            "status": search.status,
            "district": search.district,
            "department": search.department,
            "category": search.category,
            "level": search.level,
            "holder": search.holder,
            "priority": search.priority,
            "channel": search.channel,
            "complainant_mobile": search.mobile,
        }
        for column, value in equal.items():
            if value is not None:
                where.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
                params.append(value)
        if search.filed_from is not None:
            where.append(sql.SQL("filed_at >= %s"))
            params.append(search.filed_from)
        if search.filed_to is not None:
            where.append(sql.SQL("filed_at < %s"))
            params.append(search.filed_to)
        if search.overdue is not None:
            overdue = sql.SQL("(status = ANY(%s) AND due_at < %s)")
            where.append(overdue if search.overdue else sql.SQL("NOT ") + overdue)
            params += [OPEN, now]
        if search.words:
            where.append(sql.SQL("words @@ plainto_tsquery('simple', %s)"))
            params.append(search.words)
        if search.name is not None:
            condition, name_params = name_matches(search.name)
            where.append(condition)
            params += name_params
        return where, params

    def filed_by(
        self,
        actor_id: str,
        *,
        ids: list[str] | None = None,
        categories: list[tuple[str, str]] | None = None,
        statuses: list[str] | None = None,
        filed_from: datetime | None = None,
        filed_to: datetime | None = None,
        limit: int,
    ) -> list[ComplaintRow]:
        """The complaints `actor_id` filed (an Open311 key's own, `api/open311.py`), newest
        first: those registration numbers (`ids`, and nothing else then), or those of the
        categories, statuses and filing window given."""
        where: list[sql.Composable] = [sql.SQL("filed_by = %s")]
        params: list[Any] = [actor_id]
        if ids is not None:
            where.append(sql.SQL("registration_no = ANY(%s)"))
            params.append(ids)
        else:
            if categories:
                where.append(
                    sql.SQL("(department, category) IN ({})").format(
                        sql.SQL(", ").join(sql.SQL("(%s, %s)") for _ in categories)
                    )
                )
                params += [part for pair in categories for part in pair]
            if statuses:
                where.append(sql.SQL("status = ANY(%s)"))
                params.append(statuses)
            if filed_from is not None:
                where.append(sql.SQL("filed_at >= %s"))
                params.append(filed_from)
            if filed_to is not None:
                where.append(sql.SQL("filed_at <= %s"))
                params.append(filed_to)
        return self._rows(
            where, params, sql.SQL(" ORDER BY filed_at DESC, id DESC LIMIT %s"), [limit]
        )

    def inbox(self, who: Identity, *, cursor: str | None = None, limit: int) -> Page:
        """The caller's pending complaints: high priority first, then the nearest deadline
        (none last), then id; the page of `limit` after `cursor`."""
        scope = SERVICES["inbox"].get(who.role)
        if scope is None:
            raise OutOfScope(f"{who.role.a} has no inbox")
        where, params = scope_conditions(who, scope, schema=self.schema_name)
        where.append(sql.SQL("status = ANY(%s)"))
        params.append(OPEN)
        if scope == Scope.STATE:
            where.append(sql.SQL("holder IS NULL"))  # the state-level pool
        if cursor is not None:
            not_high, due_at, complaint_id = after_in_inbox(cursor)
            where.append(sql.SQL("({order}) > (%s, %s, %s)").format(order=INBOX_ORDER))
            params += [not_high, due_at or "infinity", complaint_id]
        rows = self._rows(
            where,
            params,
            sql.SQL(" ORDER BY {order} LIMIT %s").format(order=INBOX_ORDER),
            [limit + 1],
        )
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(rows=rows, next_cursor=inbox_cursor(rows[-1]) if more and rows else None)

    # --- dashboards ---------------------------------------------------------------------

    def dashboard(
        self,
        who: Identity,
        by: str,
        first: date,
        last: date,
        now: datetime,
        *,
        district: str | None = None,
        department: str | None = None,
        post: str | None = None,
    ) -> list[dict[str, Any]]:
        """The figures (docs/read-models.md, "The figures") for the days first..last, one
        row per district, department, post or day of the caller's scope, narrowed to
        `district`, `department` and `post` when given. Reads only the aggregates."""
        return self.dashboard_page(
            who, by, first, last, now, district=district, department=department, post=post
        ).rows

    def dashboard_page(
        self,
        who: Identity,
        by: str,
        first: date,
        last: date,
        now: datetime,
        *,
        district: str | None = None,
        department: str | None = None,
        post: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> DashboardPage:
        """The dashboard's rows; per post, `limit` posts after `cursor` in the order of
        their ids (every post when `limit` is None; the other dashboards are not paged);
        ValueError when the cursor is not ours."""
        if by not in BY or by == "total":
            raise ValueError(f"no dashboard by {by}")
        if by != "post" and (cursor is not None or limit is not None):
            raise ValueError(f"a dashboard by {by} is not paged")
        scope = dashboard_scope(who, department).narrowed(
            district=district, department=department, post=post
        )
        after = None if cursor is None else cursors.decode(cursor, cursors.text)[0]
        paged = limit is not None or after is not None
        if paged and scope == FigureScope():
            # The state's posts (about a thousand): the page's found first, then read, both
            # as of one moment.
            with self.conn.pipeline(), self._one_snapshot():
                page = self.posts_page(scope, first, after, limit)
                more = limit is not None and len(page) > limit
                page = page[:limit]
                found = self.ledgers(scope, by, first, last, now, posts=page)
            # In the database's order of the posts' ids, which the cursor follows (under a
            # collation other than "C" it need not be Python's order of the strings).
            place = {post: i for i, post in enumerate(page)}
            found = sorted((row for row in found if row[0] in place), key=lambda r: place[r[0]])
        else:
            # A district's or a department's posts (a few dozen): read, then cut. Stepping
            # through every post's flows for those of one district would cost more.
            found = self.ledgers(scope, by, first, last, now)
            found = [(k, ledger) for k, ledger in found if after is None or k > after]
            more = limit is not None and len(found) > limit
            found = found[:limit]
        return DashboardPage(
            rows=[report(key, ledger, with_now=by != "day") for key, ledger in found],
            next_cursor=cursors.encode(found[-1][0]) if more and found else None,
        )

    def posts_page(
        self, scope: FigureScope, first: date, after: str | None, limit: int | None
    ) -> list[str]:
        """The posts of a dashboard per post from `first` on (its rows: each post of
        `scope` with flows from `first` on, in the window or since, or with pending work
        counted), the first `limit` + 1 after `after` in the order of their ids (one more
        than a page: whether there is a next one). Found by stepping from post to post
        through the flows' index on (holder, day), so a page costs its posts, not the
        state's (for the state's scope: a narrower one would step through every post's
        rows to find its own)."""
        condition, params = _scope_where(scope.narrowed(post="*"))
        after_condition, after_params = (
            (sql.SQL("TRUE"), []) if after is None else (sql.SQL("holder > %s"), [after])
        )
        most = sql.SQL("ALL") if limit is None else sql.Literal(limit + 1)
        query = sql.SQL(
            "WITH RECURSIVE moved(holder) AS ("
            "(SELECT holder FROM {s}.flows WHERE {scope} AND {after} AND day >= %s "
            "ORDER BY holder LIMIT 1) "
            "UNION ALL SELECT (SELECT holder FROM {s}.flows WHERE {scope} "
            "AND holder > moved.holder AND day >= %s ORDER BY holder LIMIT 1) "
            "FROM moved WHERE moved.holder IS NOT NULL) "
            "SELECT holder FROM ("
            "(SELECT holder FROM moved WHERE holder IS NOT NULL LIMIT {most}) UNION "
            "(SELECT DISTINCT holder FROM {s}.pending WHERE {scope} AND {after} "
            "ORDER BY holder LIMIT {most})) AS rows ORDER BY holder LIMIT {most}"
        ).format(s=self.schema, scope=condition, after=after_condition, most=most)
        found = self._send(
            query, [*params, *after_params, first, *params, first, *params, *after_params]
        )
        return [r[0] for r in found()]

    def ledgers(
        self,
        scope: FigureScope,
        by: str,
        first: date,
        last: date,
        now: datetime,
        *,
        posts: list[str] | None = None,
    ) -> list[tuple[Any, Ledger]]:
        """The ledger of each row: `scope` narrowed to each district, department or post
        (with a movement), or `scope` on each day of the window; by post, only the rows of
        `posts` when given (a page of them, `posts_page`)."""
        column = BY[by]
        whole = by in ("day", "total")  # the rows are the scope itself
        rows_scope = scope if whole else scope.narrowed(**{by: "*"})
        key = sql.SQL("NULL") if column is None else sql.Identifier(column)
        place = sql.SQL("NULL") if whole else key  # the rows of pending now
        # The totals of each district, each department or the state where they suffice;
        # otherwise the aggregates per cell (a post, or a district x department).
        per_cell = rows_scope.post is not None or None not in (
            rows_scope.district,
            rows_scope.department,
        )
        condition, params = _scope_where(rows_scope) if per_cell else _totals_where(rows_scope)
        if posts is not None:
            condition = sql.SQL("{} AND holder = ANY(%s::text[])").format(condition)
            params = [*params, array_literal(posts)]
        where = (condition, params, per_cell)
        # The window's days, as whole blocks added and taken away (per day for a row per
        # day).
        today = day_in_india(now)
        runs = (Run(1, 1, first, last),) if by == "day" else cover(first, last, today)
        # Pending at the window's end: pending now, less what flowed in since.
        into, out = _movements(rows_scope)
        net = sql.SQL("sum(({into}) - disposed - withdrawn - ({out}))").format(into=into, out=out)
        days_after = cover(last + timedelta(days=1), today, today) if last < today else ()
        # Every statement sent at once, in one round trip (a pipeline), then read; as of one
        # moment, without parallel workers: each statement reads a few thousand rows by
        # index, and starting workers took longer than that (a page per post over 366 days
        # at 1 M: 30 ms with two workers, 7 ms without).
        with self.conn.pipeline(), self._one_snapshot():
            self.conn.execute(NO_PARALLEL_WORKERS)
            window_sent = self._flows(sql.SQL("{}, {}").format(key, SUMS), runs, where)
            since_sent = self._flows(
                sql.SQL("{}, {}").format(place, net), days_after, where, beyond=max(last, today)
            )
            pending_sent = self._pending_now(
                None if whole else column, rows_scope, where, now, posts=posts
            )
            histogram_sent = self._days_to_dispose(key, runs, where)
        window = {r[0]: r[1:] for r in window_sent()}
        since = {r[0]: int(r[1]) for r in since_sent()}
        pending = pending_sent()
        histogram = histogram_sent()
        transfers = rows_scope.counts_transfers
        reassignments = rows_scope.counts_reassignments
        nothing = (0,) * len(FLOW_COUNTERS)
        no_pending = (0,) * PENDING_SUMS

        def ledger(k: Any, at_end: int, now_key: Any) -> Ledger:
            return _ledger(
                window.get(k, nothing),
                pending.get(now_key, no_pending),
                at_end,
                histogram.get(k) or DaysToDispose(),
                transfers=transfers,
                reassignments=reassignments,
            )

        def open_now(k: Any) -> int:
            return pending.get(k, no_pending)[0] - since.get(k, 0)

        if by == "total":
            return [(None, ledger(None, open_now(None), None))]
        if by != "day":
            # A disposal in the window is in its flows too: the histograms add no row.
            keys = sorted(set(window) | set(since) | set(pending))
            return [(k, ledger(k, open_now(k), k)) for k in keys]
        # Per day: each day's pending is the next day's brought forward.
        result: list[tuple[Any, Ledger]] = []
        at_end = open_now(None)
        day = last
        while day >= first:
            led = ledger(day, at_end, None)
            result.append((day, led))
            at_end = led.brought_forward
            day -= timedelta(days=1)
        return result[::-1]

    @contextmanager
    def _one_snapshot(self) -> Iterator[None]:
        """A transaction whose statements all see the read models as of its first one
        (repeatable read): at read committed each would see the projector's commits made
        since the one before, and a row's pending at the window's end (pending now, less
        what flowed in since) could mix two moments. Within a caller's transaction, a
        savepoint of it: the caller chose what its statements see."""
        started_here = self.conn.info.transaction_status == TransactionStatus.IDLE
        with self.conn.transaction():
            if started_here:
                self.conn.execute(ONE_SNAPSHOT)
            yield

    def _flows(
        self,
        columns: sql.Composable,
        runs: tuple[Run, ...],
        where: tuple[sql.Composable, list[Any], bool],
        *,
        beyond: date | None = None,
    ) -> Sent:
        """`columns` (a key, then sums) of the flows over `runs` and the days after
        `beyond`, where `where` holds, grouped by the key: the keys whose flows there count
        anything (`COUNTED`)."""
        condition, params, per_cell = where
        source, source_params = self._covering("flows", runs, per_cell=per_cell, beyond=beyond)
        return self._send(
            sql.SQL(
                "SELECT {columns} FROM {source} WHERE {where} GROUP BY 1 HAVING {having}"
            ).format(columns=columns, source=source, where=condition, having=COUNTED),
            [*source_params, *params],
        )

    def _pending_now(
        self,
        column: str | None,
        scope: FigureScope,
        where: tuple[sql.Composable, list[Any], bool],
        now: datetime,
        *,
        posts: list[str] | None = None,
    ) -> Callable[[], dict[Any, tuple[int, ...]]]:
        """Per row (`column`'s values, or the scope as a whole): the complaints pending
        now, those beyond their deadline, by age band, by level, and CMO/VIP
        (`PENDING_SUMS`), from the pending work's margins, per cell or the totals as
        `where` says: a row per cell, and per cell the days from the age bands' oldest edge
        on (whatever is older is in the last band; a deadline before today is passed).
        Its three statements are sent now; the returned function reads them."""
        today = day_in_india(now)
        condition, params, per_cell = where
        place: sql.Composable = sql.SQL("NULL") if column is None else sql.Identifier(column)
        cells, days = ("pending", "pending_days") if per_cell else PENDING_TOTALS
        found_sent = self._send(
            sql.SQL("SELECT {place}, {sums} FROM {s}.{t} WHERE {where} GROUP BY 1").format(
                place=place,
                sums=PENDING_NOW,
                s=self.schema,
                t=sql.Identifier(cells),
                where=condition,
            ),
            params,
        )
        bands, band_params, oldest = _age_bands(today)
        recent_sent = self._send(
            sql.SQL(
                "SELECT {place}, sum(due) FILTER (WHERE day >= %s), {bands} FROM {s}.{t} "
                "WHERE {where} AND day >= %s GROUP BY 1"
            ).format(
                place=place, bands=bands, s=self.schema, t=sql.Identifier(days), where=condition
            ),
            [today, *band_params, *params, oldest],
        )
        # The deadlines passed earlier today: from the complaints due today (an index range).
        on_complaints, on_params = _scope_where(scope, pool=None)
        if posts is not None:  # a page of posts
            on_complaints = sql.SQL("{} AND holder = ANY(%s::text[])").format(on_complaints)
            on_params = [*on_params, array_literal(posts)]
        if column is not None:
            place = sql.SQL("coalesce({}, '')").format(place)
        overdue_sent = self._send(
            sql.SQL(
                "SELECT {place}, count(*) FROM {s}.complaints "
                "WHERE status = ANY(%s) AND due_at >= %s AND due_at < %s AND {where} "
                "GROUP BY 1"
            ).format(place=place, s=self.schema, where=on_complaints),
            [OPEN, window_start(today), now, *on_params],
        )

        def pending() -> dict[Any, tuple[int, ...]]:
            found = {r[0]: [int(n) for n in r[1:]] for r in found_sent()}
            recent = {r[0]: [int(n or 0) for n in r[1:]] for r in recent_sent()}
            overdue_today = {k: int(overdue) for k, overdue in overdue_sent()}
            out: dict[Any, tuple[int, ...]] = {}
            for k, (complaints, *levels, cmo_vip) in found.items():
                not_due, *by_band = recent.get(k) or [0] * len(AGE_BANDS)  # due, the bands but one
                out[k] = (
                    complaints,
                    complaints - not_due + overdue_today.get(k, 0),
                    *by_band,
                    complaints - sum(by_band),  # the last band: filed before the others
                    *levels,
                    cmo_vip,
                )
            return out

        return pending

    def _days_to_dispose(
        self,
        key: sql.Composable,
        runs: tuple[Run, ...],
        where: tuple[sql.Composable, list[Any], bool],
    ) -> Callable[[], dict[Any, DaysToDispose]]:
        """Per row: the whole days the disposals within `runs` took, their sum and median,
        from a histogram a cell (or total) and day or block (`disposals[n + 1]`: that many
        took n days), each sent as the table keeps it packed (`packed`, the wire format of
        its int4[]) with the sign of its run, and all added up at once
        (`projections/histograms.py`)."""
        condition, params, per_cell = where
        source, source_params = self._covering("disposal_days", runs, per_cell=per_cell)
        sent = self._send(
            sql.SQL("SELECT {key}, packed, sign FROM {source} WHERE {where}").format(
                key=key, source=source, where=condition
            ),
            [*source_params, *params],
            binary=True,
        )
        return lambda: histograms.days_to_dispose(sent())

    def _covering(
        self,
        table: str,
        runs: tuple[Run, ...],
        *,
        per_cell: bool,
        beyond: date | None = None,
    ) -> tuple[sql.Composable, list[Any]]:
        """The rows that together cover `runs` (`projections/rows.py`, `cover`), those of a
        run taken away with their counts negative (a histogram's `sign` -1), and, per day,
        every day after `beyond`: per cell, of `table` (per day) and `<table>_blocks`;
        otherwise of `<table>_totals`, whose days are its blocks of span 1. Each run is a
        statement of its own (a union), so that each reads its index by the row's key,
        span and days together rather than every span of the key."""
        blocks = f"{table}_blocks" if per_cell else f"{table}_totals"
        parts: list[tuple[str, int, sql.Composable, list[Any]]] = []
        for sign, span, first, last in runs:
            if span == 1 and per_cell:
                parts.append((table, sign, sql.SQL("day BETWEEN %s AND %s"), [first, last]))
            else:
                condition = sql.SQL("span = %s AND day BETWEEN %s AND %s")
                parts.append((blocks, sign, condition, [span, first, last]))
        if beyond is not None and per_cell:
            parts.append((table, 1, sql.SQL("day > %s"), [beyond]))
        elif beyond is not None:
            parts.append((blocks, 1, sql.SQL("span = 1 AND day > %s"), [beyond]))
        if not parts:  # nothing to cover: no rows
            parts.append((table if per_cell else blocks, 1, sql.SQL("FALSE"), []))
        columns = COVERED[table, per_cell]
        union = sql.SQL(" UNION ALL ").join(
            sql.SQL("SELECT {c} FROM {s}.{t} WHERE {cond}").format(
                c=columns[sign], s=self.schema, t=sql.Identifier(name), cond=condition
            )
            for name, sign, condition, _ in parts
        )
        return sql.SQL("({union}) AS covered").format(union=union), [
            p for _, _, _, params in parts for p in params
        ]

    def _send(self, query: sql.Composed, params: list[Any], *, binary: bool = False) -> Sent:
        """Every statement a dashboard sends goes through here (bench/dashboards.py
        explains them): sent now (within a pipeline, not yet waited for), its rows read
        when the returned function is called; `binary`: its results in PostgreSQL's binary
        format (arrays of numbers read in C, not parsed from text in Python)."""
        cur = self.conn.cursor(binary=binary)
        cur.execute(query, params)

        def rows() -> list[tuple[Any, ...]]:
            with cur:
                return cur.fetchall()

        return rows


NO_PARALLEL_WORKERS = b"SET LOCAL max_parallel_workers_per_gather = 0"
ONE_SNAPSHOT = b"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"

# A statement sent, and how to read its rows.
Sent = Callable[[], list[tuple[Any, ...]]]

# The statement of one complaint's read, by the caller's kind of scope: the API's most
# frequent request, its text composed once.
_ONE_COMPLAINT: dict[tuple[str, Scope | None, bool], bytes] = {}


def one_complaint(
    complaint_id: UUID,
    *,
    seen_by: Identity | None = None,
    looker: Looker | None = None,
    min_version: int = 0,
    schema: str = LIVE,
) -> tuple[bytes, list[Any]]:
    """The statement reading one complaint's row (`COLUMNS`), and its parameters; with
    `seen_by`, a row only if that caller's scope takes it in. With `looker`, the same
    statement records the look when the row is shown and has at least `min_version`
    (`infra/security/access_log.py`): one round trip in all."""
    where, params = scope_conditions(seen_by, schema=schema) if seen_by else ([], [])
    scope = PERMISSIONS["see"].get(seen_by.role) if seen_by else None
    key = (schema, scope, looker is not None)
    if key not in _ONE_COMPLAINT:
        query: sql.Composable = sql.SQL("SELECT {columns} FROM {s}.complaints WHERE ").format(
            columns=sql.SQL(", ").join(map(sql.Identifier, COLUMNS)), s=sql.Identifier(schema)
        ) + sql.SQL(" AND ").join([sql.SQL("id = %s"), *where])
        if looker is not None:
            query = shown_and_looked(query)
        _ONE_COMPLAINT[key] = query.as_bytes(None)
    params = [complaint_id, *params]
    if looker is not None:
        params = looked_params(params, looker, min_version=min_version)
    return _ONE_COMPLAINT[key], params


def _covered(table: str, per_cell: bool, sign: int) -> sql.SQL:
    """The columns a dashboard reads of `table`'s rows per cell (or of its totals, which
    have no post) in a run added (`sign` 1) or taken away (-1): the flows' counters negated,
    a histogram with its sign beside it."""
    keys = ["district", "department", *(["holder"] if per_cell else []), "day"]
    columns: list[sql.Composable] = [sql.Identifier(k) for k in keys]
    if table == "flows":
        negated = sql.SQL("-{0} AS {0}" if sign < 0 else "{0}")
        columns += [negated.format(sql.Identifier(c)) for c in FLOW_COUNTERS]
    else:
        columns += [sql.Identifier("packed"), sql.SQL("{} AS sign").format(sql.Literal(sign))]
    return sql.SQL(sql.SQL(", ").join(columns).as_string())


# The SQL a dashboard repeats, composed once: the columns it reads from the aggregates (a
# union of their tables) by table, per cell or not, and sign; the flows' sums, and the
# pending counters' sums.
COVERED = {
    (table, per_cell): {sign: _covered(table, per_cell, sign) for sign in (1, -1)}
    for table in ("flows", "disposal_days")
    for per_cell in (True, False)
}


def _sums(columns: tuple[str, ...]) -> sql.SQL:
    return sql.SQL(
        sql.SQL(", ")
        .join(sql.SQL("sum({})").format(sql.Identifier(c)) for c in columns)
        .as_string()
    )


SUMS = _sums(FLOW_COUNTERS)
# Flows that count anything: a place or post whose flows in a window's blocks are all in the
# days taken away (`cover`) sums to zeros and has no flows in the window (a count is never
# below zero, and every movement counts a one in the place and post it is in).
COUNTED = sql.SQL(
    sql.SQL(" OR ")
    .join(sql.SQL("sum({}) <> 0").format(sql.Identifier(c)) for c in FLOW_COUNTERS)
    .as_string()
)
PENDING_NOW = _sums(PENDING_COUNTERS)
PENDING_TOTALS = ("pending_totals", "pending_days_totals")
PENDING_SUMS = 3 + len(AGE_BANDS) + len(LEVELS)  # now, overdue, the bands, the levels, CMO/VIP
AGE_NAMES = tuple(name for name, _, _ in AGE_BANDS)
# Where each figure is in a row of sums (FLOW_COUNTERS) and of pending now (PENDING_SUMS).
FILED, TRANSFERRED_IN, REASSIGNED_IN, REOPENED = (
    FLOW_COUNTERS.index(c) for c in ("filed", "transferred_in", "reassigned_in", "reopened")
)
BY_OUTCOME = [FLOW_COUNTERS.index(f"disposed_{o}") for o in OUTCOMES]
IN_TIME, TRANSFERRED_OUT, REASSIGNED_OUT = (
    FLOW_COUNTERS.index(c) for c in ("disposed_in_time", "transferred_out", "reassigned_out")
)
ESCALATED = [FLOW_COUNTERS.index(f"escalated_l{n}") for n in CLIMBED_TO]
# The counts by outcome and by level climbed to, picked out of a row of sums at once.
assert len(BY_OUTCOME) > 1 and len(ESCALATED) > 1, "itemgetter of one index is no tuple"
_BY_OUTCOME, _ESCALATED = operator.itemgetter(*BY_OUTCOME), operator.itemgetter(*ESCALATED)
SATISFIED = FLOW_COUNTERS.index("feedback_satisfied")
NOT_SATISFIED = FLOW_COUNTERS.index("feedback_not_satisfied")
WITHDRAWN = FLOW_COUNTERS.index("withdrawn")
AGES = slice(2, 2 + len(AGE_BANDS))
BY_LEVEL = slice(AGES.stop, AGES.stop + len(LEVELS))


def _ledger(
    c: tuple[int, ...],
    p: tuple[int, ...],
    at_end: int,
    days_to_dispose: DaysToDispose,
    *,
    transfers: bool,
    reassignments: bool,
) -> Ledger:
    """A row's ledger from its sums of flows `c` (FLOW_COUNTERS), its pending work now `p`
    (PENDING_SUMS), its pending at the window's end and its days to dispose; transfers and
    reassignments count where they cross the edge of the row's scope."""
    filed, reopened, withdrawn = c[FILED], c[REOPENED], c[WITHDRAWN]
    transferred_in = c[TRANSFERRED_IN] if transfers else 0
    transferred_out = c[TRANSFERRED_OUT] if transfers else 0
    reassigned_in = c[REASSIGNED_IN] if reassignments else 0
    reassigned_out = c[REASSIGNED_OUT] if reassignments else 0
    by_outcome = _BY_OUTCOME(c)
    return Ledger(
        brought_forward=at_end
        - (filed + reopened + transferred_in + reassigned_in)
        + sum(by_outcome)
        + transferred_out
        + reassigned_out
        + withdrawn,
        filed=filed,
        transferred_in=transferred_in,
        reassigned_in=reassigned_in,
        reopened=reopened,
        disposed=_counter(zip(OUTCOMES, by_outcome, strict=True)),
        disposed_in_time=c[IN_TIME],
        transferred_out=transferred_out,
        reassigned_out=reassigned_out,
        withdrawn=withdrawn,
        pending=at_end,
        escalated=_counter(zip(CLIMBED_TO, _ESCALATED(c), strict=True)),
        satisfied=c[SATISFIED],
        not_satisfied=c[NOT_SATISFIED],
        days_to_dispose=days_to_dispose,
        pending_now=p[0],
        beyond_deadline=p[1],
        by_age=_counter(zip(AGE_NAMES, p[AGES], strict=True)),
        by_level=_counter(zip(LEVELS, p[BY_LEVEL], strict=True)),
        cmo_vip=p[-1],
    )


def _counter(counts: Iterable[tuple[Any, int]]) -> Counter[Any]:
    """A Counter of the pairs `counts`, made as the dict it is (Counter's own constructor
    checks the type of its argument, which costs more than the copy when a dashboard fills
    thousands)."""
    found: Counter[Any] = Counter.__new__(Counter)
    dict.update(found, counts)
    return found


# A dashboard's rows: per district, department, post (the `holder` column) or day; "total"
# is the one row of the scope and window as a whole (what verify compares).
BY: dict[str, str | None] = {
    "district": "district",
    "department": "department",
    "post": "holder",
    "day": "day",
    "total": None,
}


def dashboard_scope(who: Identity, department: str | None = None) -> FigureScope:
    """The part of the state whose figures the caller sees (`SERVICES["dashboards"]`): a
    minister's is the one of its departments it names (its only one, when it names none)."""
    match SERVICES["dashboards"].get(who.role):
        case Scope.DEPARTMENTS:
            chosen = department or (who.departments[0] if len(who.departments) == 1 else None)
            if chosen is None or chosen not in who.departments:
                raise OutsideScope("department", ", ".join(who.departments) + " (name one)")
            return FigureScope(department=chosen)
        case Scope.DISTRICT:
            return FigureScope(district=who.district or "")
        case Scope.DEPARTMENT:
            return FigureScope(department=who.department or "")
        case Scope.STATE:
            return FigureScope()
    raise OutOfScope(f"{who.role.a} has no dashboards")


def _age_bands(today: date) -> tuple[sql.Composable, list[Any], date]:
    """The pending counts of every age band but the last, as sums over the pending days'
    `filed` (a day after today, a clock behind the events, is in the first band), and the
    oldest day they read; the last band is the rest."""
    *bounded, (_, _, last) = AGE_BANDS
    assert last is None and bounded[0][1] == 0, "the bands run from today to the oldest"
    sums: list[sql.Composable] = []
    params: list[Any] = []
    for _, low, high in bounded:
        assert high is not None
        if low == 0:
            sums.append(sql.SQL("sum(filed) FILTER (WHERE day >= %s)"))
            params.append(today - timedelta(days=high))
        else:
            sums.append(sql.SQL("sum(filed) FILTER (WHERE day BETWEEN %s AND %s)"))
            params += [today - timedelta(days=high), today - timedelta(days=low)]
    oldest = today - timedelta(days=max(high or 0 for _, _, high in bounded))
    return sql.SQL(", ").join(sums), params, oldest


def _movements(scope: FigureScope) -> tuple[sql.Composable, sql.Composable]:
    """The flows' columns that cross the edge of a scope of this kind, in and out."""
    into = ["filed", "reopened"]
    out: list[str] = []
    if scope.counts_transfers:
        into.append("transferred_in")
        out.append("transferred_out")
    if scope.counts_reassignments:
        into.append("reassigned_in")
        out.append("reassigned_out")
    plus = sql.SQL(" + ")
    return (
        plus.join(map(sql.Identifier, into)),
        plus.join(map(sql.Identifier, out)) if out else sql.SQL("0"),
    )


def _totals_where(scope: FigureScope) -> tuple[sql.Composable, list[Any]]:
    """The scope (without a post) as conditions on the totals' keys: a district or
    department given, each one ("*"), or all of them (ALL, written out so that the planner
    sees which partial index holds the rows)."""
    where: list[sql.Composable] = []
    params: list[Any] = []
    for column, value in (("district", scope.district), ("department", scope.department)):
        name = sql.Identifier(column)
        if value == "*":
            where.append(sql.SQL("{} <> {}").format(name, sql.Literal(ALL)))
        elif value is None:
            where.append(sql.SQL("{} = {}").format(name, sql.Literal(ALL)))
        else:
            where.append(sql.SQL("{} = %s").format(name))
            params.append(value)
    return sql.SQL(" AND ").join(where), params


def _scope_where(scope: FigureScope, pool: str | None = POOL) -> tuple[sql.Composable, list[Any]]:
    """The scope as conditions on an aggregate's keys (a post is the `holder` column)."""
    where: list[sql.Composable] = []
    params: list[Any] = []
    for column, value in (
        ("district", scope.district),
        ("department", scope.department),
        ("holder", scope.post),
    ):
        if value is not None and value != "*":
            where.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
            params.append(value)
    if scope.post == "*":  # each post: the pool is none
        where.append(sql.SQL("holder IS NOT NULL" if pool is None else "holder <> %s"))
        params += [] if pool is None else [pool]
    return (sql.SQL(" AND ").join(where) if where else sql.SQL("TRUE")), params
