"""The dashboards' counters are named once, from the domain (`projections/rows.py`), and the
read schema has a column for each: a new outcome or level fails here, not in the projector.
A read schema of an older shape is brought to this one by the migration (a rebuild fills it).
"""

from __future__ import annotations

import psycopg

from projections.rows import FLOW_COUNTERS, PENDING_COUNTERS, PENDING_DAY_COUNTERS
from projections.store import migrate

KEYS = {"district", "department", "holder", "day", "span"}


def counters(conn: psycopg.Connection[object], schema: str, table: str) -> list[str]:
    """The table's columns but its keys, in the table's order."""
    found = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
        "AND table_name = %s ORDER BY ordinal_position",
        (schema, table),
    )
    return [str(r[0]) for r in found if r[0] not in KEYS]


def test_the_read_schema_has_a_column_for_each_counter(database: str) -> None:
    with psycopg.connect(database) as conn:
        migrate(conn, "read")
        for table in ("flows", "flows_blocks", "flows_totals"):
            assert counters(conn, "read", table) == list(FLOW_COUNTERS), table
        for table in ("pending", "pending_totals"):
            assert counters(conn, "read", table) == list(PENDING_COUNTERS), table
        for table in ("pending_days", "pending_days_totals"):
            assert counters(conn, "read", table) == list(PENDING_DAY_COUNTERS), table
        for table in ("disposal_days", "disposal_days_blocks", "disposal_days_totals"):
            assert counters(conn, "read", table) == ["disposals", "packed"], table


def test_tables_of_an_older_shape_are_replaced(database: str) -> None:
    """Before the margins and the arrays: `pending` a row per level, CMO/VIP, filing and
    deadline day; `disposal_days` a row per number of days."""
    with psycopg.connect(database) as conn:
        conn.execute("CREATE SCHEMA older")
        conn.execute(
            "CREATE TABLE older.pending (district text, department text, holder text, "
            "level smallint, cmo_vip boolean, filed_day date, due_day date, complaints integer)"
        )
        for table in ("disposal_days", "disposal_days_blocks"):
            conn.execute(
                f"CREATE TABLE older.{table} (district text, department text, holder text, "
                "day date, days integer, disposals integer)"
            )
        migrate(conn, "older")
        assert counters(conn, "older", "pending") == list(PENDING_COUNTERS)
        assert counters(conn, "older", "disposal_days") == ["disposals", "packed"]
        assert counters(conn, "older", "disposal_days_blocks") == ["disposals", "packed"]
        # Twice is the same as once.
        migrate(conn, "older")
        assert counters(conn, "older", "pending") == list(PENDING_COUNTERS)


def test_histograms_kept_before_they_were_packed_are_packed_by_the_migration(
    database: str,
) -> None:
    """A read schema from before `packed`: its histograms are packed when it is migrated,
    and every histogram written after is packed as it is written."""
    with psycopg.connect(database) as conn:
        migrate(conn, "read")
        for table in ("disposal_days", "disposal_days_blocks", "disposal_days_totals"):
            conn.execute(f"ALTER TABLE read.{table} DROP COLUMN packed")
        conn.execute(
            "INSERT INTO read.disposal_days (district, department, holder, day, disposals) "
            "VALUES ('JAI', 'PHED', 'PHED-JAI-L1', '2026-11-02', '{0,2,0,1}')"
        )
        migrate(conn, "read")
        conn.execute(
            "UPDATE read.disposal_days SET disposals = '{1,2,0,1}' WHERE day = '2026-11-02'"
        )
        conn.execute(
            "INSERT INTO read.disposal_days (district, department, holder, day, disposals) "
            "VALUES ('JAI', 'PHED', 'PHED-JAI-L1', '2026-11-03', '{0,0,5}')"
        )
        found = conn.execute(
            "SELECT disposals, packed, array_send(disposals) FROM read.disposal_days ORDER BY day"
        ).fetchall()
    (older, older_packed, older_sent), (newer, newer_packed, newer_sent) = found
    assert older == [1, 2, 0, 1] and bytes(older_packed) == bytes(older_sent)
    assert newer == [0, 0, 5] and bytes(newer_packed) == bytes(newer_sent)
    # The wire format of an int4[] (projections/histograms.py reads it): one dimension, no
    # NULLs, int4 (oid 23), 4 places from place 1, each a size (4) and a value.
    assert bytes(older_packed) == b"".join(
        n.to_bytes(4, "big") for n in (1, 0, 23, 4, 1, 4, 1, 4, 2, 4, 0, 4, 1)
    )
