"""What the API needs at hand, built from settings: the application, receipts, blobs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from psycopg_pool import ConnectionPool

from domain.application import Policy, Sampark
from domain.disclosure import Disclosure, Reader, reader
from domain.feedback import Unsatisfied
from domain.values import Identity
from infra import locks
from infra.adapters.blobs import BlobStore
from infra.eventstore.receipts import ReceiptBook
from infra.eventstore.store import (
    SamparkRecorder,
    SequenceRegistrationNumbers,
    checked_pool,
    create_schema,
    eventsourcing_env,
    system_clock,
)
from infra.security.access_log import AccessLog, Looker
from infra.security.rate_limits import RateLimiter
from infra.settings import Settings
from projections.store import migrate


@dataclass
class Services:
    settings: Settings
    app: Sampark
    pool: ConnectionPool
    receipts: ReceiptBook
    blobs: BlobStore
    looks: AccessLog
    limits: RateLimiter
    audit_key: Ed25519PublicKey  # verifies the signed audit checkpoints
    disclosure: Disclosure  # what each reader is shown; keys citizens' pseudonyms

    def looker(self, who: Identity, endpoint: str) -> Looker | None:
        """The entry a look by `who` is recorded with, if its looks are recorded: staff
        shown personal data are; a citizen reading its own and a pseudonymous reader are
        not (`domain/disclosure.py`)."""
        if reader(who) != Reader.STAFF:
            return None
        return Looker(actor_id=who.id, actor_role=who.role, endpoint=endpoint, at=self.app.clock())

    def looked(self, who: Identity, complaints: Iterable[UUID], endpoint: str) -> None:
        """Record that `who` was shown these complaints' personal data (if `looker` says
        its looks are recorded), in a statement of its own."""
        looker = self.looker(who, endpoint)
        if looker is not None:
            self.looks.record(looker.actor_id, looker.actor_role, complaints, endpoint, looker.at)

    def close(self) -> None:
        if isinstance(self.app.recorder, SamparkRecorder):
            self.app.recorder.close()
        self.app.close()
        self.pool.close()


def open_services(
    settings: Settings, database_url: str, *, clock: Callable[[], datetime] = system_clock
) -> Services:
    create_schema(database_url)
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
        receipts=ReceiptBook(pool),
        blobs=BlobStore(settings.blobs),
        looks=AccessLog(pool),
        limits=RateLimiter(pool),
        audit_key=settings.signing_key().public_key(),
        disclosure=Disclosure(settings.pseudonym_secret()),
    )


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
