"""The sender: works through the outbox, WhatsApp first and SMS as the fallback.

Each due message is claimed (`FOR UPDATE SKIP LOCKED`: several senders share the work),
sent, and its new state saved in a transaction of its own. A transient failure is retried with
exponential backoff up to a cap; after the last attempt, or at once on a permanent refusal
(not a WhatsApp number), the message falls back to SMS; when SMS fails too it is `failed`,
and counted. When the provider refuses our credentials (an expired token) the sender halts:
it says so in the logs and in `GET /v1/pipeline/status`, leaves every message as it was, and
tries again every `probe_seconds`, so the queue resumes by itself once the token is fixed.

A crash between the provider's answer and the commit sends that message again on restart:
the providers offer no idempotency key, so delivery is at least once for a crashed sender.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from psycopg_pool import ConnectionPool

from infra.providers import AuthFailed, Permanent, Transient
from projections.outbox import Outbox, Queued, migrate
from projections.worker import Worker

log = logging.getLogger(__name__)
WHATSAPP, SMS = "whatsapp", "sms"


class TemplateSender(Protocol):
    def send(
        self, mobile: str, template: str, language: str, params: list[str], buttons: bool
    ) -> str: ...


class TextSender(Protocol):
    def send_text(self, mobile: str, text: str) -> str: ...


@dataclass(frozen=True)
class Backoff:
    first: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(hours=1)
    attempts: int = 6  # per channel

    def after(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed attempt."""
        return min(self.cap, self.first * (1 << max(0, attempts - 1)))


class Sender(Worker):
    def __init__(
        self,
        database_url: str,
        *,
        whatsapp: TemplateSender | None,
        sms: TextSender | None,
        clock: Callable[[], datetime],
        backoff: Backoff | None = None,
        batch: int = 20,
        idle_seconds: float = 1.0,
        probe_seconds: float = 30.0,
        name: str = "notifier",
    ) -> None:
        self.database_url = database_url
        self.whatsapp = whatsapp
        self.sms = sms
        self.clock = clock
        self.backoff = backoff or Backoff()
        self.batch = batch
        self.idle_seconds = idle_seconds
        self.probe_seconds = probe_seconds
        self.name = name
        self.stopping = threading.Event()
        self.halted: str | None = None

    def run(self) -> None:
        with ConnectionPool(
            self.database_url, min_size=1, max_size=2, kwargs={"autocommit": True}
        ) as pool:
            with pool.connection() as conn:
                migrate(conn)
            while not self.stopping.is_set():
                worked = self.send_due(pool)
                if self.halted:
                    self.stopping.wait(self.probe_seconds)
                elif worked == 0:
                    self.stopping.wait(self.idle_seconds)

    def send_due(self, pool: ConnectionPool[Any]) -> int:
        """One pass over the due messages; returns how many were settled one way or another."""
        worked = 0
        with pool.connection() as conn:
            outbox = Outbox(conn)
            for _ in range(self.batch):
                # One transaction per message: its state is saved the moment it is sent.
                with conn.transaction():
                    claimed = outbox.claim(self.clock(), 1)
                    if not claimed:
                        break
                    try:
                        self._deliver(outbox, claimed[0])
                    except AuthFailed as refused:
                        self._halt(outbox, str(refused))
                        return worked
                    if self.halted is not None:
                        self._resume(outbox)
                worked += 1
        return worked

    def _deliver(self, outbox: Outbox, message: Queued) -> None:
        now = self.clock()
        channel = message.channel
        try:
            if channel == WHATSAPP and self.whatsapp is not None:
                provider_id = self.whatsapp.send(
                    message.mobile,
                    message.template,
                    message.language,
                    message.params,
                    message.buttons,
                )
            elif self.sms is not None:
                channel = SMS
                provider_id = self.sms.send_text(message.mobile, message.text)
            else:
                raise Permanent(f"no provider for {channel}")
        except Transient as error:
            if message.attempts + 1 < self.backoff.attempts:
                wait = self.backoff.after(message.attempts + 1)
                outbox.retry(message.id, channel, str(error), now + wait)
            else:
                self._give_up_on(outbox, message, channel, f"gave up: {error}", now)
            return
        except Permanent as error:
            self._give_up_on(outbox, message, channel, str(error), now)
            return
        outbox.sent(message.id, channel, provider_id, now)

    def _give_up_on(
        self, outbox: Outbox, message: Queued, channel: str, error: str, now: datetime
    ) -> None:
        if channel == WHATSAPP and self.sms is not None:
            log.warning("message %d: WhatsApp failed (%s); falling back to SMS", message.id, error)
            outbox.fall_back(message.id, SMS, error, now)
        else:
            log.warning("message %d failed for good: %s", message.id, error)
            outbox.failed(message.id, error)

    def _halt(self, outbox: Outbox, reason: str) -> None:
        if self.halted is None:
            log.error(
                "the message provider refuses our credentials: %s. Sending is HALTED; no "
                "message is lost, the queue resumes once the token is fixed "
                "(SAMPARK_WHATSAPP_TOKEN or SAMPARK_WHATSAPP_TOKEN_FILE).",
                reason,
            )
        self.halted = reason
        outbox.set_sender(self.name, "halted", reason, self.clock())

    def _resume(self, outbox: Outbox) -> None:
        if self.halted is not None:
            log.warning("the message provider accepts our credentials again; sending resumes")
        self.halted = None
        outbox.set_sender(self.name, "running", None, self.clock())
