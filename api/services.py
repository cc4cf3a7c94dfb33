"""What the API needs at hand, built from settings: the application, receipts, blobs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from psycopg_pool import ConnectionPool

from domain.application import Policy, Sampark
from domain.feedback import Unsatisfied
from infra.blobs import BlobStore
from infra.receipts import ReceiptBook
from infra.settings import Settings
from infra.store import SequenceRegistrationNumbers, create_schema, eventsourcing_env, system_clock
from projections.store import migrate


@dataclass
class Services:
    settings: Settings
    app: Sampark
    pool: ConnectionPool
    receipts: ReceiptBook
    blobs: BlobStore

    def close(self) -> None:
        self.app.close()
        self.pool.close()


def open_services(
    settings: Settings, database_url: str, *, clock: Callable[[], datetime] = system_clock
) -> Services:
    create_schema(database_url)
    pool = ConnectionPool(
        database_url, min_size=1, max_size=8, kwargs={"autocommit": True}, open=True
    )
    with pool.connection() as conn, conn.transaction():
        migrate(conn)
    app = Sampark(
        clock=clock,
        registration_numbers=SequenceRegistrationNumbers(pool),
        policy=Policy(
            feedback_window=timedelta(days=settings.feedback_window_days),
            unsatisfied=Unsatisfied(settings.feedback_unsatisfied),
        ),
        env=eventsourcing_env(database_url),
    )
    return Services(
        settings=settings,
        app=app,
        pool=pool,
        receipts=ReceiptBook(pool),
        blobs=BlobStore(settings.blobs),
    )
