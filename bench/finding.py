"""Finding a complaint by the complainant's mobile or name, beside a `SELECT 1`.

    .venv/bin/python -m bench.finding [--database-url URL] [--complaints 20000 200000]

Fills a scratch read schema with that many complaint rows (straight into `read.complaints`,
no events: only the search is measured), names drawn from common Rajasthani first names and
surnames, a third of them in Devanagari, and times `ReadQueries.search` (a page of 20, as
`GET /v1/complaints` asks) by mobile and by several names, as the 181 desk (the state) and
as a collector (a district), p50 and p99 over `--times` runs, then the same without the
trigram index `complaints_name`, to show what it buys. Without `--database-url` an embedded
PostgreSQL is started in a temporary directory. Timings on a shared machine are noisy: read
them beside the same run's `SELECT 1`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from bench.dashboards import _latencies_ms
from domain.values import Identity, Role
from projections.queries import ReadQueries, Search
from projections.store import migrate

DESK = Identity(id="helpline-181-agent-07", role=Role.OPERATOR)
COLLECTOR = Identity(id="collector-jaipur", role=Role.COLLECTOR, district="D07")
FIRST = [
    "Sunita", "Ramesh", "Kamla", "Mahendra", "Geeta", "Suresh", "Pooja", "Bhanwar", "Santosh",
    "Mohan", "Radha", "Ramesh Chand", "Manju", "Om Prakash", "Lakshmi", "Jagdish", "Savitri",
    "Vikram", "Anita", "Govind",
]  # fmt: skip
LAST = [
    "Sharma", "Meena", "Devi", "Kumawat", "Jat", "Gurjar", "Rathore", "Choudhary", "Saini",
    "Bairwa", "Lal", "Singh", "Prajapat", "Yadav", "Kumar", "Joshi", "Agarwal", "Regar",
]  # fmt: skip
FIRST_HI = ["सुनीता", "रमेश", "कमला", "महेंद्र", "गीता", "सुरेश", "पूजा", "भंवर", "संतोष", "मोहन"]
LAST_HI = ["शर्मा", "मीणा", "देवी", "कुमावत", "जाट", "गुर्जर", "राठौड़", "चौधरी", "सैनी"]
RARE = "Bhagirath Ram Kularia"  # one complaint only

FILL = """
INSERT INTO {s}.complaints (
    id, registration_no, version, status, level, holder, department, category, district,
    channel, priority, subject, description, complainant_name, complainant_mobile,
    attachments, filed_at, due_at, reopen_count, escalation_count, transfer_count,
    reminder_count, comment_count, last_event_at)
SELECT gen_random_uuid(), 'B-' || g, 2, (ARRAY['assigned', 'resolved', 'closed'])[1 + g %% 3],
    1, 'P-' || (g %% 400), (ARRAY['PHED', 'ENERGY', 'PWD', 'HEALTH'])[1 + g %% 4], 'c',
    'D' || lpad((g %% 31)::text, 2, '0'), 'helpline_181', 'normal', 'No water', 'Ward 12',
    CASE WHEN g = 1 THEN %(rare)s
         WHEN g %% 3 = 0 THEN (%(first_hi)s::text[])[1 + abs(hashint4(g)) %% %(nfh)s] || ' '
                           || (%(last_hi)s::text[])[1 + abs(hashint4(-g)) %% %(nlh)s]
         ELSE (%(first)s::text[])[1 + abs(hashint4(g)) %% %(nf)s] || ' '
              || (%(last)s::text[])[1 + abs(hashint4(-g)) %% %(nl)s] END,
    (6000000000 + g)::text, '[]'::jsonb, %(now)s - g * interval '1 minute',
    %(now)s + interval '3 days', 0, 0, 0, 0, 0, %(now)s
FROM generate_series(1, %(n)s) AS g
"""

ASKED: list[tuple[str, Search]] = [
    ("mobile", Search(mobile="6000012345")),
    ("name: one common word", Search(name="sunita")),
    ("name: first and last", Search(name="sunita sharma")),
    ("name: part of a word", Search(name="kumaw")),
    ("name: parts of two words", Search(name="suni shar")),
    ("name: Devanagari", Search(name="सुनीता")),
    ("name: rare, full", Search(name=RARE.lower())),
    ("name: nobody", Search(name="zorawar qureshi")),
]


def fill(conn: psycopg.Connection[Any], schema: str, complaints: int) -> None:
    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    with conn.transaction():
        migrate(conn, schema)
    conn.execute(
        FILL.replace("{s}", schema),
        {
            "rare": RARE,
            "first": FIRST,
            "last": LAST,
            "first_hi": FIRST_HI,
            "last_hi": LAST_HI,
            "nf": len(FIRST),
            "nl": len(LAST),
            "nfh": len(FIRST_HI),
            "nlh": len(LAST_HI),
            "now": datetime.now(UTC),
            "n": complaints,
        },
    )
    conn.execute(f"VACUUM ANALYZE {schema}.complaints")


def measure(conn: psycopg.Connection[Any], schema: str, times: int) -> dict[str, Any]:
    queries = ReadQueries(conn, schema)
    now = datetime.now(UTC)
    found: dict[str, Any] = {}
    for label, search in ASKED:
        for who in (DESK, COLLECTOR):

            def one(who: Identity = who, search: Search = search) -> object:
                return queries.search(who, search, cursor=None, limit=20, now=now)

            rows = len(queries.search(who, search, cursor=None, limit=20, now=now).rows)
            found[f"{label} as {who.role}"] = {"rows": rows, **_latencies_ms(times, one)}
    return found


def run(url: str, sizes: list[int], times: int) -> dict[str, Any]:
    schema = "read_bench_finding"
    results: dict[str, Any] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"SET search_path = {schema}, public")
        for size in sizes:
            fill(conn, schema, size)
            baseline = _latencies_ms(200, lambda: conn.execute("SELECT 1").fetchall())
            indexed = measure(conn, schema, times)
            conn.execute(f"DROP INDEX {schema}.complaints_name")
            unindexed = {
                label: timing
                for label, timing in measure(conn, schema, max(5, times // 5)).items()
                if label.startswith("name")
            }
            results[str(size)] = {
                "select_1": baseline,
                "with complaints_name": indexed,
                "without complaints_name": unindexed,
            }
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url")
    parser.add_argument("--complaints", type=int, nargs="+", default=[20_000])
    parser.add_argument("--times", type=int, default=50)
    args = parser.parse_args()
    if args.database_url:
        print(json.dumps(run(args.database_url, args.complaints, args.times), indent=2))
        return
    from infra.local.embedded import EmbeddedPostgres

    server = EmbeddedPostgres(
        Path(tempfile.mkdtemp(prefix="sampark-bench-")) / "data", temporary=True
    )
    try:
        print(json.dumps(run(server.url, args.complaints, args.times), indent=2))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
