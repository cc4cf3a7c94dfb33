"""The services container, opened from settings: the application on the event store, the
read side's schema migrated, and what the API needs at hand (`api/services.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from api.services import Services
from assist.assistant import Assistant
from domain.application import Policy, Sampark
from domain.disclosure import Disclosure
from domain.feedback import Unsatisfied
from infra import locks, migrations
from infra.adapters.blobs import BlobStore
from infra.adapters.media import WhatsAppMedia
from infra.adapters.providers import token_source
from infra.eventstore.receipts import ReceiptBook
from infra.eventstore.store import (
    SequenceRegistrationNumbers,
    checked_pool,
    create_functions,
    eventsourcing_env,
    system_clock,
)
from infra.loop_pools import LoopPools
from infra.security.access_log import AccessLog
from infra.security.rate_limits import RateLimiter
from infra.settings import Settings
from projections.store import migrate


def open_services(
    settings: Settings, database_url: str, *, clock: Callable[[], datetime] = system_clock
) -> Services:
    migrations.at_start(database_url, settings.environment)
    create_functions(database_url)
    # Each connection is checked as it is handed out: after PostgreSQL restarts or drops
    # the API's connections, no request is given a dead one.
    pool = checked_pool(
        database_url, min_size=1, max_size=8, kwargs={"autocommit": True}, open=True
    )
    with pool.connection() as conn, conn.transaction():
        migrate(conn)
    # The event store's tables are created when the application starts; processes that
    # start together (two schedulers, say) take turns, or PostgreSQL may refuse one.
    with psycopg.connect(database_url, autocommit=True) as turn:
        turn.execute("SELECT pg_advisory_lock(%s)", (locks.STARTUP,))
        app = _application(settings, database_url, clock, pool)
    return Services(
        settings=settings,
        app=app,
        pool=pool,
        reads=LoopPools(database_url),
        receipts=ReceiptBook(pool),
        blobs=BlobStore(settings.blobs),
        looks=AccessLog(pool),
        limits=RateLimiter(pool),
        audit_key=settings.signing_key().public_key(),
        disclosure=Disclosure(settings.pseudonym_secret()),
        assistant=Assistant(pool, poll_seconds=settings.assist_poll_seconds),
        media=(
            WhatsAppMedia(
                settings.whatsapp_base_url,
                token_source(settings.whatsapp_token, settings.whatsapp_token_file),
                max_bytes=settings.max_upload_bytes,
            )
            if settings.whatsapp_base_url
            else None
        ),
    )


@contextmanager
def opened(
    settings: Settings, database_url: str, *, clock: Callable[[], datetime] = system_clock
) -> Iterator[Services]:
    """The services container for the length of a `with` block, closed however it ends."""
    services = open_services(settings, database_url, clock=clock)
    try:
        yield services
    finally:
        services.close()


def _application(
    settings: Settings,
    database_url: str,
    clock: Callable[[], datetime],
    pool: ConnectionPool[Any],
) -> Sampark:
    return Sampark(
        clock=clock,
        registration_numbers=SequenceRegistrationNumbers(pool),
        policy=Policy(
            feedback_window=timedelta(days=settings.feedback_window_days),
            unsatisfied=Unsatisfied(settings.feedback_unsatisfied),
        ),
        env=eventsourcing_env(database_url),
    )
