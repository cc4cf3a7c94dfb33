"""Fixtures: a real PostgreSQL (embedded, one per session, or `SAMPARK_DATABASE_URL`), a
template database with the sample directory loaded, and a fresh copy of it per test."""

from __future__ import annotations

import itertools
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient
from psycopg.conninfo import conninfo_to_dict

from api.app import app_serving, create_app
from api.services import Services
from infra.local.broker import EmbeddedBroker
from infra.local.embedded import EmbeddedPostgres, database_url
from infra.run.directory import SAMPLE_DIRECTORY, load_directory
from infra.run.services import opened
from infra.security.tokens import mint
from infra.settings import Settings
from projections.projector import Projector
from projections.relay import Relay
from projections.status import pipeline_status
from tests.support import TurnableClock, citizen, new_mobile, water_complaint

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
    with opened(settings, url) as services:
        load_directory(services.app, SAMPLE_DIRECTORY)
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


@pytest.fixture(scope="session")
def broker() -> Iterator[str]:
    """A Kafka-protocol broker: the embedded Tansu, or `SAMPARK_KAFKA_BOOTSTRAP`."""
    external = os.environ.get("SAMPARK_KAFKA_BOOTSTRAP")
    if external:
        yield external
        return
    embedded = EmbeddedBroker(binary=os.environ.get("SAMPARK_BROKER_BIN"))
    try:
        yield embedded.bootstrap
    finally:
        embedded.stop()


@pytest.fixture
def settings(tmp_path: Path, database: str, broker: str) -> Settings:
    return Settings(
        home=str(tmp_path),
        jwt_secret=SECRET,
        max_upload_bytes=64 * 1024,
        kafka_bootstrap=broker,
        kafka_topic=f"complaints.{conninfo_to_dict(database)['dbname']}",
        kafka_group=f"read-models.{conninfo_to_dict(database)['dbname']}",
        kafka_partitions=3,
        kafka_session_timeout_ms=1000,
    )


@pytest.fixture
def services(settings: Settings, database: str, clock: TurnableClock) -> Iterator[Services]:
    with opened(settings, database, clock=clock) as ready:
        yield ready


class SharedApi:
    """The API laid out once for the session (a Litestar app takes a while to build), each
    test's services container handed to it as the test begins."""

    def __init__(self) -> None:
        self.settings = Settings(jwt_secret=SECRET)
        self.services: Services | None = None
        self.app = app_serving(self.settings, self.current)

    def current(self) -> Services:
        assert self.services is not None, "no test is using the shared API"
        return self.services

    def lays_out_as(self, settings: Settings) -> bool:
        """Whether `settings` would lay the API out as the shared one is."""
        return all(
            getattr(settings, name) == getattr(self.settings, name)
            for name in ("jwt_secret", "jwt_jwks_file", "jwt_leeway_seconds", "schema_served")
        )


@pytest.fixture(scope="session")
def shared_api() -> SharedApi:
    return SharedApi()


@pytest.fixture
def client(services: Services, shared_api: SharedApi) -> Iterator[TestClient]:  # type: ignore[type-arg]
    if not shared_api.lays_out_as(services.settings):
        with TestClient(app=create_app(services)) as own:
            yield own
        return
    shared_api.services = services
    try:
        with TestClient(app=shared_api.app) as test_client:
            yield test_client
    finally:
        shared_api.services = None


class Pipeline:
    """The relay and a projector, running in threads for one test's database and topic."""

    def __init__(
        self,
        settings: Settings,
        database: str,
        *,
        relay_class: type[Relay] = Relay,
        projector: Projector | None = None,
    ) -> None:
        assert settings.kafka_bootstrap is not None
        self.database = database
        self.settings = settings
        self.relay = relay_class(
            database,
            settings.kafka_bootstrap,
            topic=settings.kafka_topic,
            partitions=settings.kafka_partitions,
            idle_wait=0.05,
        )
        self.projectors: list[Projector] = []
        self.threads: list[threading.Thread] = []
        self._start(lambda: self.relay.run_until_stopped(backoff=0.1))
        try:
            self.add_projector(projector)
        except BaseException:
            self.stop()
            raise

    def _start(self, target: Any) -> None:
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self.threads.append(thread)

    def add_projector(self, projector: Projector | None = None) -> Projector:
        assert self.settings.kafka_bootstrap is not None
        projector = projector or Projector(
            self.database,
            self.settings.kafka_bootstrap,
            topic=self.settings.kafka_topic,
            group=self.settings.kafka_group,
            poll_ms=50,
            session_timeout_ms=self.settings.kafka_session_timeout_ms or 1000,
        )
        self.projectors.append(projector)
        self._start(lambda: projector.run_until_stopped(backoff=0.1))
        assert projector.assigned.wait(30), "the projector never got its partitions"
        return projector

    def settle(self, timeout: float = 30) -> dict[str, Any]:
        """Wait until the read models hold every event in the store."""
        deadline = time.monotonic() + timeout
        while True:
            with psycopg.connect(self.database) as conn:
                status = pipeline_status(
                    conn, self.settings.kafka_topic, self.settings.kafka_group, datetime.now(UTC)
                )
            caught_up = (
                status["relay"]["lag_events"] == 0 and status["projector"]["lag_events"] == 0
            )
            if caught_up:
                return status
            if time.monotonic() > deadline:
                raise AssertionError(f"the read side did not catch up: {status}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.relay.stop()
        for projector in self.projectors:
            projector.stop()
        for thread in self.threads:
            thread.join(timeout=15)


@pytest.fixture
def pipeline(services: Services, settings: Settings, database: str) -> Iterator[Pipeline]:
    running = Pipeline(settings, database)
    try:
        yield running
    finally:
        running.stop()


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
            departments=list(who.departments) or None,
            desk=who.desk,
        )
        return {"Authorization": f"Bearer {token}", **extra}


def filed_by_a_citizen(client: Any, tokens: Tokens, mobile: str | None = None) -> dict[str, Any]:
    """A Jaipur water complaint filed through the API by a citizen (a new one unless `mobile`)."""
    mobile = mobile or new_mobile()
    answer = client.post(
        "/v1/complaints", json=water_complaint(mobile), headers=tokens.headers(citizen(mobile))
    )
    assert answer.status_code == 201, answer.text
    filed: dict[str, Any] = answer.json()
    return filed


@pytest.fixture
def tokens() -> Tokens:
    return Tokens()
