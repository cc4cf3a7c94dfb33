"""Fixtures: a real PostgreSQL (embedded, one per session, or `SAMPARK_DATABASE_URL`), a
template database with the sample directory loaded, and a fresh copy of it per test."""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.services import Services, open_services
from infra.cli import DEFAULT_DIRECTORY, load_directory
from infra.embedded import EmbeddedPostgres, database_url
from infra.settings import Settings
from infra.tokens import mint
from tests.support import TurnableClock

TEMPLATE = "sampark_test_template"
SECRET = "test-secret-0123456789-0123456789-0123456789"
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A URL for the PostgreSQL server (its maintenance database)."""
    external = os.environ.get("SAMPARK_DATABASE_URL")
    if external:
        yield external
        return
    home = Path(tempfile.mkdtemp(prefix="sampark-test-pg-"))
    server = EmbeddedPostgres(home / "data", temporary=True)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def template_database(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with the schema and the sample directory, copied for each test."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
    url = database_url(server_url, TEMPLATE)
    settings = Settings(home=str(tmp_path_factory.mktemp("template")))
    services = open_services(settings, url)
    try:
        load_directory(services, DEFAULT_DIRECTORY)
    finally:
        services.close()
    return TEMPLATE


@pytest.fixture
def database(server_url: str, template_database: str) -> Iterator[str]:
    name = f"sampark_test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    yield database_url(server_url, name)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clock() -> TurnableClock:
    return TurnableClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=str(tmp_path), jwt_secret=SECRET, max_upload_bytes=64 * 1024)


@pytest.fixture
def services(settings: Settings, database: str, clock: TurnableClock) -> Iterator[Services]:
    opened = open_services(settings, database, clock=clock)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with TestClient(app=create_app(services)) as test_client:
        yield test_client


class Tokens:
    """Bearer headers for any identity, signed with the test secret."""

    def headers(self, who: object, **extra: str) -> dict[str, str]:
        from domain.values import Identity

        assert isinstance(who, Identity)
        token = mint(
            SECRET,
            role=who.role.value,
            sub=who.id,
            district=who.district,
            department=who.department,
            post=who.post,
            mobile=who.mobile,
        )
        return {"Authorization": f"Bearer {token}", **extra}


@pytest.fixture
def tokens() -> Tokens:
    return Tokens()
