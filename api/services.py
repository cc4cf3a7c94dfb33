"""What the API needs at hand: the application, receipts, blobs, the access log, rate limits.

The composition root builds it (`infra/run/services.py`); the controllers only use it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from psycopg_pool import ConnectionPool

from assist.assistant import Assistant
from domain.application import Sampark
from domain.disclosure import Disclosure, Reader, reader
from domain.values import Identity
from infra.adapters.blobs import BlobStore
from infra.adapters.media import WhatsAppMedia
from infra.eventstore.receipts import ReceiptBook
from infra.eventstore.store import SamparkRecorder
from infra.loop_pools import LoopPools
from infra.security.access_log import AccessLog, Looker
from infra.security.rate_limits import RateLimiter
from infra.settings import Settings
from projections.health import Readiness


@dataclass
class Services:
    settings: Settings
    app: Sampark
    pool: ConnectionPool
    reads: LoopPools  # the async handlers' connections (one complaint's read)
    receipts: ReceiptBook
    blobs: BlobStore
    looks: AccessLog
    limits: RateLimiter
    audit_key: Ed25519PublicKey  # verifies the signed audit checkpoints
    disclosure: Disclosure  # what each reader is shown; keys citizens' pseudonyms
    assistant: Assistant  # the newest trained model (`docs/assist.md`)
    media: WhatsAppMedia | None = None  # citizens' photos and voice notes (docs/whatsapp.md)
    # What `/health/ready` checks beyond PostgreSQL: the broker and the workers of this
    # process (`sampark run` runs them beside the API; `sampark serve` none).
    readiness: Readiness = field(default_factory=Readiness)

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
        self.reads.forget_closed_loops()
