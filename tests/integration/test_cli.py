"""The `sampark` command: tokens for every role, an idempotent directory load, simulation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from litestar.security.jwt import Token

from infra.local.embedded import database_url
from infra.run.directory import SAMPLE_DIRECTORY


def sampark(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SAMPARK_")} | env
    return subprocess.run(
        [sys.executable, "-m", "infra.run.cli", *args],
        check=False,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_token_carries_the_role_and_scope_signed_with_the_configured_secret() -> None:
    secret = "cli-test-secret-0123456789-0123456789"
    minted = sampark(
        "token",
        "--role",
        "officer",
        "--sub",
        "ae-phed-jaipur",
        "--post",
        "PHED-JAI-L1",
        "--district",
        "JAI",
        "--department",
        "PHED",
        SAMPARK_JWT_SECRET=secret,
    )
    assert minted.returncode == 0, minted.stderr
    token = Token.decode(minted.stdout.strip(), secret, "HS256")
    assert token.sub == "ae-phed-jaipur"
    assert token.extras == {
        "role": "officer",
        "post": "PHED-JAI-L1",
        "district": "JAI",
        "department": "PHED",
    }


def test_directory_load_records_the_sample_once(server_url: str, tmp_path: Path) -> None:
    name = "sampark_cli_load"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {"SAMPARK_DATABASE_URL": database_url(server_url, name), "SAMPARK_HOME": str(tmp_path)}
    first = sampark("directory", "load", str(SAMPLE_DIRECTORY), **env)
    assert first.returncode == 0, first.stderr
    sample = json.loads(SAMPLE_DIRECTORY.read_text())
    assert f"{sum(len(items) for items in sample.values())} change(s)" in first.stdout
    again = sampark("directory", "load", str(SAMPLE_DIRECTORY), **env)
    assert "0 change(s)" in again.stdout

    broken = tmp_path / "broken.json"
    broken.write_text('{"districts": [{"code": "JAI"}]}')
    refused = sampark("directory", "load", str(broken), **env)
    assert refused.returncode != 0
    assert "cannot load the directory" in refused.stderr
    assert "districts[0]" in refused.stderr


def test_production_refuses_the_development_secret() -> None:
    refused = sampark("token", "--role", "admin", "--sub", "x", SAMPARK_ENVIRONMENT="production")
    assert refused.returncode != 0
    assert "SAMPARK_JWT_SECRET" in refused.stderr


def test_a_malformed_setting_is_named() -> None:
    refused = sampark("token", "--role", "admin", "--sub", "x", SAMPARK_PORT="eighty")
    assert refused.returncode != 0
    assert "SAMPARK_PORT" in refused.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SAMPARK_REVIEW_TIME", "25:00"),
        ("SAMPARK_INFOGRAPHIC_TIME", "9am"),
        ("SAMPARK_SCAN_SECONDS", "0"),
        ("SAMPARK_SCHEDULER_WORKERS", "0"),
    ],
)
def test_a_scheduler_setting_out_of_range_is_named(name: str, value: str) -> None:
    refused = sampark("token", "--role", "admin", "--sub", "x", **{name: value})
    assert refused.returncode != 0
    assert name in refused.stderr


def test_simulate_writes_a_history_into_an_empty_store_with_its_directory(
    server_url: str, tmp_path: Path
) -> None:
    name = "sampark_cli_simulate"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = database_url(server_url, name)
    env = {"SAMPARK_DATABASE_URL": url, "SAMPARK_HOME": str(tmp_path)}

    done = sampark("simulate", "--complaints", "300", "--days", "30", **env)

    assert done.returncode == 0, done.stderr
    assert "simulated 300 complaints over 30 days" in done.stdout
    assert "100.0%" in done.stderr  # the progress bar reached its end
    assert "\r" not in done.stderr  # on a pipe: no carriage return per step
    with psycopg.connect(url) as conn:
        filed = conn.execute(
            "SELECT count(*) FROM sampark_events WHERE topic = 'domain.events:Filed'"
        ).fetchone()
    assert filed == (300,)
    refused = sampark("simulate", "--complaints", "0", "--days", "30", **env)
    assert refused.returncode != 0
    assert "--complaints and --days must be at least 1" in refused.stderr


def test_rebuild_replays_the_store_in_the_workers_asked_for(
    server_url: str, tmp_path: Path
) -> None:
    name = "sampark_cli_rebuild"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = database_url(server_url, name)
    env = {"SAMPARK_DATABASE_URL": url, "SAMPARK_HOME": str(tmp_path)}
    assert sampark("simulate", "--complaints", "100", "--days", "30", **env).returncode == 0
    with psycopg.connect(url) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM sampark_events WHERE topic LIKE 'domain.events:%%'"
        ).fetchone()
    assert stored is not None

    done = sampark("projections", "rebuild", "--workers", "2", **env)

    assert done.returncode == 0, done.stderr
    assert f"read models rebuilt: {stored[0]} events applied" in done.stdout
    assert "100.0%" in done.stderr and "\r" not in done.stderr
    assert sampark("projections", "verify", **env).returncode == 0
    for wrong in ("0", "two"):
        refused = sampark("projections", "rebuild", "--workers", wrong, **env)
        assert refused.returncode == 2
        assert "--workers" in refused.stderr


def test_assist_train_stores_a_new_model_version_each_time(server_url: str, tmp_path: Path) -> None:
    name = "sampark_cli_assist"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = database_url(server_url, name)
    env = {"SAMPARK_DATABASE_URL": url, "SAMPARK_HOME": str(tmp_path)}

    done = sampark("assist", "train", **env)

    assert done.returncode == 0, done.stderr
    assert "model version 1: 34 categories" in done.stdout  # the sample's, less the demo
    from assist import corpus

    assert f"training on {len(corpus.seed())} corpus examples and 0 complaints" in done.stdout
    again = sampark("assist", "train", **env)
    assert "model version 2" in again.stdout
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM assist.models").fetchone() == (2,)


def test_an_open311_key_is_shown_once_kept_as_a_hash_and_revoked_by_its_id(
    database: str, tmp_path: Path
) -> None:
    env = {"SAMPARK_DATABASE_URL": database, "SAMPARK_HOME": str(tmp_path)}

    issued = sampark("open311", "key", "emitra-jaipur", **env)

    assert issued.returncode == 0, issued.stderr
    key = issued.stdout.splitlines()[-1]
    key_id = key.split("_")[1]
    with psycopg.connect(database) as conn:
        stored = conn.execute("SELECT id, client, digest FROM sampark.api_keys").fetchall()
    assert [(i, c) for i, c, _ in stored] == [(key_id, "emitra-jaipur")]
    assert key.encode() not in bytes(stored[0][2])  # only its hash
    assert sampark("open311", "revoke", key_id, **env).returncode == 0
    again = sampark("open311", "revoke", key_id, **env)
    assert again.returncode == 1 and f"no live key {key_id!r}" in again.stderr
    refused = sampark("open311", "key", "not a code!", **env)
    assert refused.returncode != 0 and "client" in refused.stderr
