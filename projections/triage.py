"""The helpline desk's triage queue: open complaints filed without a category the assistant
was sure of, oldest first, within the reader's scope (`domain/permissions.py`, entry
`triage_queue`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from domain.permissions import SERVICES
from domain.values import OPEN_STATUSES, Identity
from infra import cursors
from projections.queries import scope_conditions
from projections.rows import COLUMNS, ComplaintRow
from projections.store import LIVE


def triage_cursor(row: ComplaintRow) -> str:
    return cursors.encode(row.filed_at, row.id)


def after_in_triage(cursor: str) -> tuple[datetime, UUID]:
    filed_at, complaint = cursors.decode(cursor, cursors.moment, cursors.uuid)
    return filed_at, complaint


def awaiting_triage(
    conn: psycopg.Connection[Any],
    who: Identity,
    *,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> list[ComplaintRow]:
    where, params = scope_conditions(who, SERVICES["triage_queue"][who.role])
    where = [
        sql.SQL("awaiting_triage"),
        sql.SQL("status = ANY(%s)"),
        *where,
    ]
    params = [list(OPEN_STATUSES), *params]
    if after is not None:
        where.append(sql.SQL("(filed_at, id) > (%s, %s)"))
        params += list(after)
    query = sql.SQL(
        "SELECT {columns} FROM {schema}.complaints WHERE {where} ORDER BY filed_at, id LIMIT %s"
    ).format(
        columns=sql.SQL(", ").join(map(sql.Identifier, COLUMNS)),
        schema=sql.Identifier(LIVE),
        where=sql.SQL(" AND ").join(where),
    )
    return [ComplaintRow(*r) for r in conn.execute(query, [*params, limit])]
