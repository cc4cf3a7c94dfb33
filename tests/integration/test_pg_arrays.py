"""Array literals reach PostgreSQL as the values they were: quotes, backslashes, NULLs, bytes."""

from __future__ import annotations

import os
from datetime import date
from uuid import uuid4

import psycopg

from infra.eventstore.pg_arrays import array_literal


def test_awkward_values_survive_the_trip(database: str) -> None:
    texts = ['a"b', "back\\slash", "x,y", "{}", "", "NULL", None, "हिंदी", " sp ", 'a\\"']
    blobs = [os.urandom(64), b"", None]
    ids = [uuid4(), None]
    with psycopg.connect(database) as conn:
        row = conn.execute(
            "SELECT %s::text[], %s::bytea[], %s::uuid[], %s::bigint[], %s::date[]",
            (
                array_literal(texts),
                array_literal(blobs),
                array_literal(ids),
                array_literal([1, 2**40, None]),
                array_literal([date(2026, 11, 22)]),
            ),
        ).fetchone()
    assert row == (texts, blobs, ids, [1, 2**40, None], [date(2026, 11, 22)])
