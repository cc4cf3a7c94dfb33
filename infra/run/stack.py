"""The stack's servers, from settings: the database and the broker (configured; else those of
the embedded stack running under SAMPARK_HOME, `addresses.py`; else embedded, started here),
the message providers (configured, or a local stand-in that prints what it gets). The
workers that run on them are put together in `workers.py`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec

from infra import migrations
from infra.run.addresses import running_broker, running_database
from infra.settings import Settings

log = logging.getLogger(__name__)


@contextmanager
def database(settings: Settings, *, migrated: bool = True) -> Iterator[str]:
    """The configured PostgreSQL, or the running stack's, or the embedded one kept under
    `<home>/postgres`, started here; its migrations applied (development) or checked
    (production refuses a database that lacks one) unless not `migrated`."""
    with _database(settings) as url:
        if migrated:
            migrations.at_start(url, settings.environment)
        yield url


@contextmanager
def _database(settings: Settings) -> Iterator[str]:
    if settings.database_url:
        yield settings.database_url
        return
    running = running_database(settings.home)
    if running:
        log.info("using the database of the stack running under %s", settings.home)
        yield running
        return
    from infra.local.embedded import EmbeddedPostgres

    server = EmbeddedPostgres(Path(settings.home) / "postgres")
    try:
        yield server.ensure_database("sampark")
    finally:
        server.stop()


@contextmanager
def broker(settings: Settings) -> Iterator[Settings]:
    """Settings that name a broker: the configured one, or the running stack's, or the
    embedded Tansu, started here."""
    if settings.kafka_bootstrap:
        yield settings
        return
    running = running_broker(settings.home)
    if running:
        log.info("using the broker of the stack running under %s", settings.home)
        yield msgspec.structs.replace(
            settings,
            kafka_bootstrap=running,
            kafka_session_timeout_ms=settings.kafka_session_timeout_ms or 1000,
        )
        return
    from infra.local.broker import EmbeddedBroker

    Path(settings.home).mkdir(parents=True, exist_ok=True)
    embedded = EmbeddedBroker(
        log_file=Path(settings.home) / "broker.log", binary=settings.broker_bin
    )
    try:
        yield msgspec.structs.replace(
            settings,
            kafka_bootstrap=embedded.bootstrap,
            kafka_session_timeout_ms=settings.kafka_session_timeout_ms or 1000,
        )
    finally:
        embedded.stop()


@contextmanager
def providers(settings: Settings) -> Iterator[Settings]:
    """Settings that name the message providers: the configured ones, or a local stand-in
    that prints every message it gets."""
    if settings.whatsapp_base_url:
        yield settings
        return
    from infra.local.standin import ProviderStandIn

    standin = ProviderStandIn(
        echo=lambda line: print(f"stand-in provider: {line}", flush=True),
        media_dir=Path(settings.home) / "standin-media",
    )
    standin.start()
    try:
        yield msgspec.structs.replace(
            settings,
            whatsapp_base_url=standin.whatsapp_base,
            whatsapp_token=next(iter(standin.tokens)),
            sms_base_url=standin.sms_base,
            sms_api_key=standin.sms_key,
        )
    finally:
        standin.stop()
