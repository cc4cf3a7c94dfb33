"""The long-running workers, put together from settings: the relay and the projector (the
read side), the scheduler, and the notifier (the notifications consumer and the sender)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from psycopg_pool import ConnectionPool

from domain.application import Sampark
from infra.adapters.providers import SmsGateway, WhatsAppCloud, token_source
from infra.security.report_links import document_link, report_link
from infra.settings import Settings
from projections.notify.delivery import Sender
from projections.notify.messages import Links
from projections.notify.notifications import Notifications
from projections.projector import Projector
from projections.relay import Relay
from projections.worker import Worker
from scheduler.jobs import Clockwork
from scheduler.leadership import Leadership
from scheduler.service import Scheduler


def notifier(settings: Settings, app: Sampark, url: str) -> list[Worker]:
    """The notifications consumer (events -> outbox) and the sender (outbox -> providers)."""
    assert settings.kafka_bootstrap is not None
    consumer = notifications_consumer(settings, app, url, settings.kafka_bootstrap)
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
        clock=app.clock,
        probe_seconds=settings.notify_probe_seconds,
    )
    return [consumer, sender]


def notifications_consumer(
    settings: Settings, app: Sampark, url: str, bootstrap: str
) -> Notifications:
    """The notifications consumer (events -> outbox), also what `retry-dead` replays with."""
    return Notifications(
        url,
        bootstrap,
        directory=app.directory,
        links=Links(report=lambda complaint, at: report_link(settings, complaint, at)),
        clock=app.clock,
        max_age=timedelta(hours=settings.notify_max_age_hours),
        topic=settings.kafka_topic,
        session_timeout_ms=session_timeout(settings),
    )


def session_timeout(settings: Settings) -> int:
    return settings.kafka_session_timeout_ms or 10_000


def read_side(settings: Settings, url: str) -> tuple[Relay, Projector]:
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


def scheduler(settings: Settings, app: Sampark, pool: ConnectionPool, url: str) -> Scheduler:
    clockwork = Clockwork(
        app,
        pool,
        lead=timedelta(hours=settings.reminder_lead_hours),
        review_size=settings.review_size,
        workers=settings.scheduler_workers,
        link=partial(document_link, settings),
        publishers=tuple(p.strip() for p in settings.infographic_posts.split(",") if p.strip()),
    )
    return Scheduler(
        clockwork,
        Leadership(url),
        scan_seconds=settings.scan_seconds,
        review_at=settings.review_clock(),
        infographic_at=settings.infographic_clock(),
        assist_train_at=settings.assist_train_clock(),
        checkpoint_minutes=settings.checkpoint_minutes,
        signing_key=settings.signing_key(),
    )
