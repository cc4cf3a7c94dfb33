"""The schema's migrations (`infra/migrations/`): a database made by the release before
migrations is adopted and ends exactly as a fresh one; each migration is applied once, in its
own transaction; one changed after it was applied is refused; production does not start on a
database that lacks one.

`stored/schema_before_migrations.sql` is `pg_dump -s --no-owner --no-privileges
--exclude-schema='read*'` of a database made by main at 2f60238 (before this change): the
services opened on it, then the outbox, conversations, assistant, reports, relay and
heartbeat tables made by their modules as they did at each start.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from infra import migrations
from infra.local.embedded import database_url
from infra.migrations import Migration, MigrationChanged, MigrationsPending
from infra.run import cli

PREVIOUS_RELEASE = Path(__file__).parent / "stored" / "schema_before_migrations.sql"
MIGRATED = ("sampark", "notify", "assist", "reports")
_numbers = itertools.count(1)


@pytest.fixture
def empty_database(server_url: str) -> Iterator[Callable[[], str]]:
    """Makes empty databases on the test server (dropped afterwards)."""
    made: list[str] = []

    def make() -> str:
        name = f"sampark_migrations_{os.getpid()}_{next(_numbers)}"
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return database_url(server_url, name)

    yield make
    with psycopg.connect(server_url, autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def previous_release(url: str) -> None:
    """The schema the release before migrations left (psql's meta-commands left out)."""
    dump = PREVIOUS_RELEASE.read_text(encoding="utf-8")
    sql = "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.encode())


def schema(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """The migrated schemas' columns, indexes and constraints, as PostgreSQL describes them."""
    with psycopg.connect(url) as conn:
        return {
            "columns": conn.execute(
                "SELECT table_schema, table_name, column_name, data_type, is_nullable, "
                "column_default FROM information_schema.columns "
                "WHERE table_schema = ANY(%s) ORDER BY 1, 2, 3",
                (list(MIGRATED),),
            ).fetchall(),
            "indexes": conn.execute(
                "SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = ANY(%s) ORDER BY 1, 2, 3",
                (list(MIGRATED),),
            ).fetchall(),
            "constraints": conn.execute(
                "SELECT n.nspname, c.conrelid::regclass::text, c.conname, "
                "pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "JOIN pg_namespace n ON n.oid = c.connamespace "
                "WHERE n.nspname = ANY(%s) ORDER BY 1, 2, 3",
                (list(MIGRATED),),
            ).fetchall(),
        }


def applied(url: str) -> list[tuple[int, str]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT version, name FROM sampark.schema_migrations ORDER BY version"
        ).fetchall()


def test_a_database_of_the_previous_release_is_adopted_and_ends_as_a_fresh_one(
    empty_database: Callable[[], str],
) -> None:
    old, fresh = empty_database(), empty_database()
    previous_release(old)
    with psycopg.connect(old, autocommit=True) as conn:  # something it kept
        conn.execute(
            "INSERT INTO notify.messages (key, audience, mobile, language, template, params, "
            "text) VALUES ('kept:1:complainant', 'complainant', '9000000001', 'hi', "
            "'sampark_filed', '[]', 'kept')"
        )
    with pytest.raises(MigrationsPending, match="sampark migrate"):
        migrations.at_start(old, "production")  # production does not start on it

    assert [str(m) for m in migrations.migrate(old)] == ["0001_tables_before_migrations"]
    migrations.migrate(fresh)

    assert schema(old) == schema(fresh)
    assert schema(fresh)["columns"], "the comparison compares something"
    assert applied(old) == applied(fresh) == [(1, "tables_before_migrations")]
    with psycopg.connect(old) as conn:
        assert conn.execute("SELECT text FROM notify.messages").fetchall() == [("kept",)]
    migrations.at_start(old, "production")  # nothing pending: it starts


def test_a_second_migrate_does_nothing(
    empty_database: Callable[[], str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = empty_database()
    monkeypatch.setenv("SAMPARK_DATABASE_URL", url)
    monkeypatch.setenv("SAMPARK_HOME", str(tmp_path))
    cli.main(["migrate"])
    assert "applied 0001_tables_before_migrations" in capsys.readouterr().out
    with psycopg.connect(url) as conn:
        first = conn.execute("SELECT applied_at FROM sampark.schema_migrations").fetchall()
    cli.main(["migrate"])
    assert "0 migration(s) applied" in capsys.readouterr().out
    with psycopg.connect(url) as conn:
        again = conn.execute("SELECT applied_at FROM sampark.schema_migrations").fetchall()
    assert again == first


def test_a_migration_changed_after_it_was_applied_is_refused(
    empty_database: Callable[[], str],
) -> None:
    url = empty_database()
    (first,) = migrations.migrate(url)
    edited = Migration(first.version, first.name, first.sql + "\nCREATE TABLE sampark.x (y int);")
    following = Migration(2, "following", "CREATE TABLE sampark.following (y int);")
    with pytest.raises(MigrationChanged, match="0001_tables_before_migrations"):
        migrations.migrate(url, [edited, following])
    assert applied(url) == [(1, "tables_before_migrations")]  # and nothing after it ran
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('sampark.following')").fetchone() == (None,)
        # The same seen from the other side: the file differs from the text applied. No
        # process starts on it, in development (where it would migrate) or production.
        conn.execute("UPDATE sampark.schema_migrations SET checksum = 'of another text'")
        conn.commit()
    for environment in ("development", "production"):
        with pytest.raises(MigrationChanged):
            migrations.at_start(url, environment)


def test_each_migration_is_its_own_transaction(empty_database: Callable[[], str]) -> None:
    url = empty_database()
    broken = Migration(2, "broken", "CREATE TABLE sampark.half (y int);\nSELECT 1 / 0;")
    with pytest.raises(psycopg.errors.DivisionByZero):
        migrations.migrate(url, [*migrations.known(), broken])
    assert applied(url) == [(1, "tables_before_migrations")]  # the one before it holds
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('sampark.half')").fetchone() == (None,)
    with psycopg.connect(url) as conn:  # still pending: the next migrate tries it again
        assert migrations.pending(conn, [*migrations.known(), broken]) == [broken]


def test_processes_starting_together_apply_each_migration_once(
    empty_database: Callable[[], str],
) -> None:
    url = empty_database()
    results: list[list[Migration]] = []
    threads = [
        threading.Thread(target=lambda: results.append(migrations.migrate(url))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(r) for r in results) == [0, 0, 1]  # the advisory lock: one applied it
    assert applied(url) == [(1, "tables_before_migrations")]
