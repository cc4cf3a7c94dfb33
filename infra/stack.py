"""The running stack, put together from settings: the database and broker (configured or
embedded), the message providers (configured or a local stand-in), and the long-running
workers (relay, projector, scheduler, notifier). Only the CLI imports this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec

from infra.settings import Settings

BOOTSTRAP_ADMIN = {"role": "admin", "sub": "sampark-bootstrap"}


@contextmanager
def database(settings: Settings) -> Iterator[str]:
    """The configured PostgreSQL, or the embedded one kept under `<home>/postgres`."""
    if settings.database_url:
        yield settings.database_url
        return
    from infra.embedded import EmbeddedPostgres

    server = EmbeddedPostgres(Path(settings.home) / "postgres")
    try:
        yield server.ensure_database("sampark")
    finally:
        server.stop()


@contextmanager
def broker(settings: Settings) -> Iterator[Settings]:
    """Settings that name a broker: the configured one, or the embedded Tansu."""
    if settings.kafka_bootstrap:
        yield settings
        return
    from infra.broker import EmbeddedBroker

    Path(settings.home).mkdir(parents=True, exist_ok=True)
    embedded = EmbeddedBroker(log_file=Path(settings.home) / "broker.log")
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
    from infra.standin import ProviderStandIn

    standin = ProviderStandIn(echo=lambda line: print(f"stand-in provider: {line}", flush=True))
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


def notifier(settings: Settings, services: Any, url: str) -> list[Any]:
    """The notifications consumer (events -> outbox) and the sender (outbox -> providers)."""
    from infra.providers import SmsGateway, WhatsAppCloud, token_source
    from projections.delivery import Sender

    assert settings.kafka_bootstrap is not None
    consumer = notifications_consumer(settings, services, url, settings.kafka_bootstrap)
    whatsapp = (
        WhatsAppCloud(
            settings.whatsapp_base_url,
            settings.whatsapp_phone_number_id,
            token_source(settings.whatsapp_token, settings.whatsapp_token_file),
        )
        if settings.whatsapp_base_url
        else None
    )
    sms = SmsGateway(settings.sms_base_url, settings.sms_api_key) if settings.sms_base_url else None
    sender = Sender(
        url,
        whatsapp=whatsapp,
        sms=sms,
        clock=services.app.clock,
        probe_seconds=settings.notify_probe_seconds,
    )
    return [consumer, sender]


def notifications_consumer(settings: Settings, services: Any, url: str, bootstrap: str) -> Any:
    """The notifications consumer (events -> outbox), also what `retry-dead` replays with."""
    from datetime import timedelta

    from api.atr import atr_link
    from projections.messages import Links
    from projections.notifications import Notifications

    return Notifications(
        url,
        bootstrap,
        directory=services.app.directory,
        links=Links(report=lambda complaint, at: atr_link(services, complaint, at)),
        clock=services.app.clock,
        max_age=timedelta(hours=settings.notify_max_age_hours),
        topic=settings.kafka_topic,
        session_timeout_ms=session_timeout(settings),
    )


def session_timeout(settings: Settings) -> int:
    return settings.kafka_session_timeout_ms or 10_000


def read_side(settings: Settings, url: str) -> tuple[Any, Any]:
    from projections.projector import Projector
    from projections.relay import Relay

    assert settings.kafka_bootstrap is not None
    relay = Relay(
        url,
        settings.kafka_bootstrap,
        topic=settings.kafka_topic,
        partitions=settings.kafka_partitions,
    )
    projector = Projector(
        url,
        settings.kafka_bootstrap,
        topic=settings.kafka_topic,
        group=settings.kafka_group,
        session_timeout_ms=session_timeout(settings),
    )
    return relay, projector


def scheduler(settings: Settings, services: Any, url: str) -> Any:
    from datetime import timedelta

    from scheduler.jobs import Clockwork
    from scheduler.leadership import Leadership
    from scheduler.service import Scheduler

    clockwork = Clockwork(
        services.app,
        services.pool,
        lead=timedelta(hours=settings.reminder_lead_hours),
        review_size=settings.review_size,
        workers=settings.scheduler_workers,
    )
    return Scheduler(
        clockwork,
        Leadership(url),
        scan_seconds=settings.scan_seconds,
        review_at=settings.review_clock(),
        infographic_at=settings.infographic_clock(),
        checkpoint_minutes=settings.checkpoint_minutes,
        signing_key=settings.signing_key(),
    )


def load_directory(services: Any, path: Path) -> int:
    from domain import master_data
    from domain.directory import MasterData
    from domain.errors import InvalidCommand
    from domain.values import Identity, Role
    from infra.json_depth import MAX_JSON_DEPTH, too_deep

    try:
        text = path.read_bytes()
        if too_deep(text):
            raise SystemExit(
                f"cannot load the directory from {path}: "
                f"JSON may nest at most {MAX_JSON_DEPTH} levels deep"
            )
        data = master_data.checked(msgspec.json.decode(text, type=MasterData))
    except (OSError, msgspec.DecodeError, msgspec.ValidationError) as error:
        raise SystemExit(f"cannot load the directory from {path}: {error}") from None
    except InvalidCommand as refused:
        raise SystemExit(f"cannot load the directory from {path}: {refused.reason}") from None
    admin = Identity(id=BOOTSTRAP_ADMIN["sub"], role=Role.ADMIN)
    changes: int = services.app.load_directory(admin, data)
    return changes


def holds_directory(directory: Any) -> bool:
    """Whether the store holds master data already (loaded, or entered by an admin)."""
    return any(
        (
            directory.districts,
            directory.departments,
            directory.categories,
            directory.posts,
            directory.routes,
            directory.chains,
            directory.holidays,
        )
    )


def directory_to_load(held: Any, requested: Path | None, sample: Path) -> Path | None:
    """The master-data file `sampark run` loads at start: the one asked for (`--directory`),
    or the sample on a first start only. Once the store holds a directory, a start keeps it:
    loading the sample again would quietly undo what admins changed since (posts filled or
    vacated, routes, holidays)."""
    if requested is not None:
        return requested
    return None if holds_directory(held) else sample


def directory_at_start(services: Any, requested: Path | None, sample: Path) -> str:
    """Load the directory `directory_to_load` names, if any; says what was done."""
    path = directory_to_load(services.app.directory(), requested, sample)
    if path is None:
        held = services.app.directory()
        return (
            f"Directory: kept as stored ({len(held.posts)} posts, {len(held.routes)} routes); "
            "the sample is loaded on a first start only (load a file with "
            "`sampark directory load FILE`)"
        )
    changes = load_directory(services, path)
    return f"Directory: {changes} change(s) loaded from {path}"
