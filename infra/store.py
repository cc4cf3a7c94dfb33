"""The event store's wiring: PostgreSQL settings for the eventsourcing library, our msgspec
mapper, a recorder that stores idempotency receipts with the events, and our own tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import get_topic
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

from infra.access_log import ACCESS_LOG_SQL
from infra.audit import AUDIT_SQL, chain_rows
from infra.rate_limits import RATE_LIMITS_SQL
from infra.receipts import Receipt

INDIA = ZoneInfo("Asia/Kolkata")

SCHEMA_SQL = """
CREATE SCHEMA IF NOT EXISTS sampark;
CREATE SEQUENCE IF NOT EXISTS sampark.registration_no;
CREATE TABLE IF NOT EXISTS sampark.idempotency_keys (
    principal text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    originator_id uuid,
    originator_version bigint,
    response bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
"""


class SamparkRecorder(PostgresApplicationRecorder):
    """Stores, in the same transaction as the events: each event's link in its aggregate's
    hash chain (`infra/audit.py`), and a request's idempotency receipt, so a retry finds
    either both or neither."""

    def _insert_events(
        self, curs: psycopg.Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        receipt: Receipt | None = kwargs.get("receipt")
        if receipt is not None and stored_events:
            last = stored_events[-1]
            curs.execute(
                "INSERT INTO sampark.idempotency_keys "
                "(principal, key, request_hash, originator_id, originator_version) "
                "VALUES (%s, %s, %s, %s, %s)",
                (
                    receipt.principal,
                    receipt.key,
                    receipt.request_hash,
                    last.originator_id,
                    last.originator_version,
                ),
            )
        if stored_events:
            curs.executemany(
                "INSERT INTO sampark.event_hashes "
                "(originator_id, originator_version, previous_hash, event_hash) "
                "VALUES (%s, %s, %s, %s)",
                chain_rows(curs, list(stored_events)),
            )
        super()._insert_events(curs, stored_events, **kwargs)


def eventsourcing_env(database_url: str) -> dict[str, str]:
    params = conninfo_to_dict(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(params.get("dbname") or "postgres"),
        "POSTGRES_HOST": str(params.get("host") or "127.0.0.1"),
        "POSTGRES_PORT": str(params.get("port") or "5432"),
        "POSTGRES_USER": str(params.get("user") or "postgres"),
        "POSTGRES_PASSWORD": str(params.get("password") or ""),
        "POSTGRES_POOL_SIZE": "8",
        "POSTGRES_MAX_OVERFLOW": "8",
        "MAPPER_TOPIC": "infra.codec:MsgspecMapper",
        "TRANSCODER_TOPIC": "infra.codec:MsgspecTranscoder",
        "APPLICATION_RECORDER_TOPIC": get_topic(SamparkRecorder),
    }


def create_schema(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(7210001)")
        try:
            conn.execute(SCHEMA_SQL)
            conn.execute(AUDIT_SQL)
            conn.execute(ACCESS_LOG_SQL)
            conn.execute(RATE_LIMITS_SQL)
        finally:
            conn.execute("SELECT pg_advisory_unlock(7210001)")


class SequenceRegistrationNumbers:
    """`JAI-2026-0000042`: district code, year in India, and a state-wide sequence number."""

    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def next(self, district: str, at: datetime) -> str:
        with self._pool.connection() as conn:
            row = conn.execute("SELECT nextval('sampark.registration_no')").fetchone()
        assert row is not None
        return f"{district}-{at.astimezone(INDIA).year}-{row[0]:07d}"


def system_clock() -> datetime:
    return datetime.now(UTC)
