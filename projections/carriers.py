"""The complaints that carry an evidence file (as filed, or as a disposal's evidence), and
whether a reader may see each: what decides who may open the file (`api/attachments.py`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from domain.values import Identity
from projections.queries import OutOfScope, scope_conditions
from projections.store import LIVE


@dataclass(frozen=True)
class Carrier:
    """A complaint that carries a file."""

    complaint: UUID
    filed: bool  # among the complaint's own attachments: the complainant's upload
    visible: bool  # within the caller's scope


def carriers(conn: psycopg.Connection[Any], who: Identity, sha256: str) -> list[Carrier]:
    """Every complaint that carries the file (as filed or as evidence), and whether `who`
    may see it (the read side's scope, `projections.queries.scope_conditions`)."""
    try:
        where, params = scope_conditions(who)
        seen = sql.SQL(" AND ").join(where) if where else sql.SQL("true")
    except OutOfScope:
        seen, params = sql.SQL("false"), []
    file = json.dumps([{"sha256": sha256}])
    query = sql.SQL(
        "SELECT id, attachments @> %s::jsonb, ({seen}) FROM {s}.complaints "
        "WHERE attachments @> %s::jsonb OR coalesce(evidence, '[]'::jsonb) @> %s::jsonb"
    ).format(seen=seen, s=sql.Identifier(LIVE))
    found = conn.execute(query, [file, *params, file, file]).fetchall()
    return [Carrier(complaint=row[0], filed=bool(row[1]), visible=bool(row[2])) for row in found]
