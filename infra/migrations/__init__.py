"""The schema's migrations: every table that is not a rebuildable read model (`sampark.*`,
`notify.*`, `assist.*`, `reports.*`), made and changed only by the numbered SQL files beside
this module (`0001_<name>.sql`, ...), each applied once, in order, in its own transaction.

`sampark.schema_migrations` records each applied file with the SHA-256 of its text: a file
changed after it was applied is refused (a change is the next numbered file, never an edit).
`sampark migrate` applies the pending ones under one advisory lock (`locks.MIGRATIONS`), so
processes starting together take turns; in development every process does so at start, in
production a process refuses to start while any is pending (`at_start`).

The read models (`read*` schemas) are rebuilt, not migrated (`projections/store.py`); the
eventsourcing library makes its own events table; functions are code, replaced at each start
(`infra/eventstore/store.py`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from infra import locks

FOLDER = Path(__file__).parent
FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

TABLE_SQL = """
CREATE SCHEMA IF NOT EXISTS sampark;
CREATE TABLE IF NOT EXISTS sampark.schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()

    def __str__(self) -> str:
        return f"{self.version:04d}_{self.name}"


class MigrationChanged(Exception):
    """An applied migration's text is no longer what was applied."""


class MigrationsPending(Exception):
    """Production does not start on a schema older than its code."""


def known(folder: Path = FOLDER) -> list[Migration]:
    """The migration files, by number; two files of one number are refused."""
    found: dict[int, Migration] = {}
    for path in sorted(folder.glob("*.sql")):
        match = FILE_NAME.match(path.name)
        if match is None:
            raise ValueError(f"{path.name}: a migration is named NNNN_lowercase_name.sql")
        version = int(match.group(1))
        if version in found:
            raise ValueError(f"two migrations numbered {version:04d}")
        found[version] = Migration(version, match.group(2), path.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def pending(conn: psycopg.Connection[Any], migrations: list[Migration]) -> list[Migration]:
    """The migrations not yet applied, in order; refuses if an applied one's text changed."""
    table = conn.execute("SELECT to_regclass('sampark.schema_migrations')").fetchone()
    if table is None or table[0] is None:
        return list(migrations)
    applied = {
        version: checksum
        for version, checksum in conn.execute(
            "SELECT version, checksum FROM sampark.schema_migrations"
        ).fetchall()
    }
    changed = [m for m in migrations if m.version in applied and applied[m.version] != m.checksum]
    if changed:
        raise MigrationChanged(
            f"migration {changed[0]} was changed after it was applied: put the change in a "
            "new numbered migration and restore the file as it was"
        )
    return [m for m in migrations if m.version not in applied]


def migrate(database_url: str, migrations: list[Migration] | None = None) -> list[Migration]:
    """Apply the pending migrations, each in its own transaction; returns those applied."""
    migrations = known() if migrations is None else migrations
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (locks.MIGRATIONS,))
        try:
            conn.execute(TABLE_SQL)
            due = pending(conn, migrations)
            for migration in due:
                with conn.transaction():
                    conn.execute(migration.sql.encode())
                    conn.execute(
                        "INSERT INTO sampark.schema_migrations (version, name, checksum) "
                        "VALUES (%s, %s, %s)",
                        (migration.version, migration.name, migration.checksum),
                    )
            return due
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (locks.MIGRATIONS,))


def at_start(database_url: str, environment: str) -> None:
    """In development, apply what is pending; elsewhere refuse to start while any is."""
    if environment == "development":
        migrate(database_url)
        return
    with psycopg.connect(database_url, autocommit=True) as conn:
        due = pending(conn, known())
    if due:
        raise MigrationsPending(
            f"the database lacks {len(due)} migration(s) ({', '.join(map(str, due))}): "
            "run `sampark migrate` before starting the services"
        )
