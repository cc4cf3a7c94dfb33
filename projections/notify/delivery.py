"""The sender: works through the outbox, WhatsApp first and SMS as the fallback.

Each due message is claimed first: its state becomes `sending`, with the claim's id and the
sender's name, in a transaction committed BEFORE the provider is asked (`FOR UPDATE SKIP
LOCKED`: several senders share the work, none takes a claimed message). The provider's answer
is then recorded against that claim. A transient failure is retried with exponential backoff
up to a cap; after the last attempt, or at once on a permanent refusal (not a WhatsApp
number), the message falls back to SMS; when SMS fails too it is `failed`, and counted. When
the provider refuses our credentials (an expired token) the sender halts: it says so in the
logs and in `GET /v1/pipeline/status`, puts the claim back untried, and tries again every
`probe_seconds`, so the queue resumes by itself once the token is fixed.

A claim without a recorded answer is a send whose outcome is unknown: the sender died after
its request went out, or the answer never came back. Each live sender holds a PostgreSQL
advisory lock named after itself, so the others see at once when it is gone; its claims are
then settled by the rule in `projections/notify/uncertain.py` (the Action Taken Report is sent
again, once; anything else is marked `uncertain` and never sent again). Nothing is sent
again in a loop: a message is claimed once per attempt, and attempts are capped.

Every line logged about a message names its complaint (`infra.logs.about`); a conversation's
answer, about no complaint, names none.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from uuid import uuid4

import psycopg
from psycopg_pool import ConnectionPool

from infra import locks
from infra.adapters.providers import AuthFailed, Permanent, Transient, Unconfirmed
from infra.logs import about
from infra.metrics import SENDER_HALTED, SENDS
from projections.notify.outbox import Outbox, Queued
from projections.worker import Reports, Worker, jittered

log = logging.getLogger(__name__)
WHATSAPP, SMS = "whatsapp", "sms"
# What came of an attempt, to be recorded against its claim.
SENT, RETRY, FALL_BACK, FAILED, DOUBT, RELEASE = (
    "sent",
    "retry",
    "fall_back",
    "failed",
    "doubt",
    "release",
)


class TemplateSender(Protocol):
    def send(
        self, mobile: str, template: str, language: str, params: list[str], buttons: bool
    ) -> str | None: ...

    def send_session(self, mobile: str, message: dict[str, Any]) -> str | None: ...


class TextSender(Protocol):
    def send_text(self, mobile: str, text: str) -> str | None: ...


@dataclass(frozen=True)
class Backoff:
    first: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(hours=1)
    attempts: int = 6  # per channel

    def after(self, attempts: int) -> timedelta:
        """The longest wait after the `attempts`-th failed attempt."""
        return min(self.cap, self.first * (1 << min(30, max(0, attempts - 1))))

    def jittered(self, attempts: int, rng: random.Random) -> timedelta:
        """The wait after the `attempts`-th failed attempt: between half and all of `after`,
        so that messages (and senders) that failed together are not tried again in step."""
        return timedelta(seconds=jittered(self.after(attempts).total_seconds(), rng))


# The sender's own loop, when a pass fails (the database went away): 1 s doubling to a
# minute, with jitter so that several senders do not come back in step.
PASS_BACKOFF = Backoff(first=timedelta(seconds=1), cap=timedelta(minutes=1))
RECORD_TRIES = 5  # passes that try to record an answer the database refused


@dataclass(frozen=True)
class Answer:
    """What came of one attempt at a claimed message."""

    claim: Queued
    outcome: str  # SENT, RETRY, FALL_BACK, FAILED, DOUBT or RELEASE
    channel: str
    at: datetime
    provider_id: str | None = None
    error: str | None = None
    retry_at: datetime | None = None


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
        claim_lease: timedelta = timedelta(minutes=10),
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
        self.claim_lease = claim_lease  # a claim older than this is settled even if its
        # sender still looks alive (the provider's timeout is seconds, not minutes)
        self.name = name
        self.claimant = ""
        self.stopping = threading.Event()
        self.halted: str | None = None
        self.unrecorded: list[Answer] = []  # answers the database would not take yet
        self.record_failures = 0
        self.failed_passes = 0
        self.rng = random.Random()
        self.reports = Reports()  # a pass failing over and over is reported once a minute

    def run(self) -> None:
        with (
            ConnectionPool(
                self.database_url, min_size=1, max_size=2, kwargs={"autocommit": True}
            ) as pool,
            psycopg.connect(self.database_url, autocommit=True) as lifeline,
        ):
            self.claimant = self._claim_a_name(lifeline)
            while not self.stopping.is_set():
                self.beat()
                lifeline.execute("SELECT 1")  # lost: our claims are settled by others; rerun
                try:
                    worked = self.send_due(pool)
                except Exception:
                    self.failed_passes += 1
                    wait = PASS_BACKOFF.jittered(self.failed_passes, self.rng).total_seconds()
                    if (unreported := self.reports.due()) is not None:
                        log.exception(
                            "sender: pass failed (%d in a row, %d since the last report); "
                            "next in %.1f s",
                            self.failed_passes,
                            unreported,
                            wait,
                        )
                    self.stopping.wait(wait)
                    continue
                self.failed_passes = 0
                if self.halted:
                    self.stopping.wait(self.probe_seconds)
                elif worked == 0:
                    self.stopping.wait(self.idle_seconds)

    def _claim_a_name(self, lifeline: psycopg.Connection[Any]) -> str:
        """A name for this sender's claims, locked by its session for as long as it lives."""
        while True:
            name = f"{self.name}:{uuid4().hex}"
            found = lifeline.execute(
                "SELECT pg_try_advisory_lock(%s, hashtext(%s))", (locks.SENDER, name)
            ).fetchone()
            if found and found[0]:
                return name

    def send_due(self, pool: ConnectionPool[Any]) -> int:
        """One pass over the due messages; returns how many were settled one way or another."""
        worked = 0
        with pool.connection() as conn:
            outbox = Outbox(conn)
            while self.unrecorded:
                self._record_again(conn, outbox, self.unrecorded[0])
            self._settle_abandoned(conn, outbox)
            for _ in range(self.batch):
                with conn.transaction():  # committed before the provider is asked
                    claimed = outbox.claim(self.clock(), self.claimant)
                if not claimed:
                    break
                with about(claimed[0].complaint_id):  # every line of its sending names it
                    answer = self._attempt(claimed[0])
                    try:
                        self._record(conn, outbox, answer)
                    except Exception:
                        self.unrecorded.append(answer)
                        raise
                if answer.outcome == RELEASE:
                    self._halt(conn, outbox, answer.error or "refused")
                    return worked
                if self.halted is not None:
                    self._resume(conn, outbox)
                worked += 1
        return worked

    def _record_again(self, conn: psycopg.Connection[Any], outbox: Outbox, answer: Answer) -> None:
        """An answer the database would not take: tried again on each pass, a few times; then
        left to the claim lease and the uncertain-send rule, so it never blocks the queue."""
        try:
            with about(answer.claim.complaint_id):
                self._record(conn, outbox, answer)
        except Exception:
            self.record_failures += 1
            if self.record_failures >= RECORD_TRIES:
                with about(answer.claim.complaint_id):
                    log.error(
                        "message %d: its answer (%s) could not be recorded in %d tries; the "
                        "uncertain-send rule settles it when its claim lapses",
                        answer.claim.id,
                        answer.outcome,
                        self.record_failures,
                    )
                self.unrecorded.remove(answer)
                self.record_failures = 0
            raise
        self.unrecorded.remove(answer)
        self.record_failures = 0

    def _settle_abandoned(self, conn: psycopg.Connection[Any], outbox: Outbox) -> None:
        """Claims of senders that are gone are settled by the uncertain-send rule."""
        now = self.clock()
        with conn.transaction():
            gone = [c for c in outbox.claimants() if c != self.claimant and outbox.gone(c)]
            doubts = outbox.abandoned(gone, now - self.claim_lease, now)
        for doubt in doubts:
            with about(doubt.complaint_id):
                log.warning(
                    "message %d (%s): %s stopped with it in flight; %s",
                    doubt.id,
                    doubt.template,
                    doubt.claimed_by,
                    "sent again (at least once)" if doubt.sent_again else "marked uncertain",
                )

    def _attempt(self, claim: Queued) -> Answer:
        started = time.perf_counter()
        answer = self._attempt_once(claim)
        SENDS.labels(answer.channel, answer.outcome).observe(time.perf_counter() - started)
        return answer

    def _attempt_once(self, claim: Queued) -> Answer:
        now = self.clock()
        channel = claim.channel
        try:
            in_window = claim.session_until is not None and now < claim.session_until
            if channel == WHATSAPP and self.whatsapp is not None and claim.session and in_window:
                provider_id = self.whatsapp.send_session(claim.mobile, claim.session)
            elif channel == WHATSAPP and self.whatsapp is not None:
                provider_id = self.whatsapp.send(
                    claim.mobile, claim.template, claim.language, claim.params, claim.buttons
                )
            elif self.sms is not None:
                channel = SMS
                provider_id = self.sms.send_text(claim.mobile, claim.text)
            else:
                raise Permanent(f"no provider for {channel}")
        except AuthFailed as refused:
            return Answer(claim, RELEASE, channel, now, error=str(refused))
        except Unconfirmed as unknown:
            return Answer(claim, DOUBT, channel, now, error=f"no answer: {unknown}")
        except Permanent as refused:
            return self._give_up_on(claim, channel, str(refused), now)
        except Exception as error:  # Transient, or a fault of ours before any answer came
            reason = str(error)
            if not isinstance(error, Transient):
                log.exception("message %d: sending failed unexpectedly", claim.id)
                reason = f"{type(error).__name__}: {error}"
            if claim.attempts + 1 < self.backoff.attempts:
                wait = self.backoff.jittered(claim.attempts + 1, self.rng)
                return Answer(claim, RETRY, channel, now, error=reason, retry_at=now + wait)
            return self._give_up_on(claim, channel, f"gave up: {reason}", now)
        return Answer(claim, SENT, channel, now, provider_id=provider_id)

    def _give_up_on(self, claim: Queued, channel: str, error: str, now: datetime) -> Answer:
        if channel == WHATSAPP and self.sms is not None:
            log.warning("message %d: WhatsApp failed (%s); falling back to SMS", claim.id, error)
            return Answer(claim, FALL_BACK, SMS, now, error=error, retry_at=now)
        log.warning("message %d failed for good: %s", claim.id, error)
        return Answer(claim, FAILED, channel, now, error=error)

    def _record(self, conn: psycopg.Connection[Any], outbox: Outbox, answer: Answer) -> None:
        """Record an answer against its claim. Once the provider has accepted a message, no
        failure here sends it again: what cannot be recorded in full is recorded as sent
        without details, and what cannot be recorded at all stays claimed (this sender
        retries the record; if it dies, the uncertain-send rule settles it)."""
        try:
            with conn.transaction():
                ours = self._write(outbox, answer)
        except Exception:
            if answer.outcome != SENT or conn.closed:
                raise
            log.exception("message %d: recording the provider's answer failed", answer.claim.id)
            with conn.transaction():
                ours = outbox.sent(answer.claim, answer.channel, None, answer.at)
        if not ours:
            log.warning(
                "message %d: its claim was settled by another sender before the answer (%s) "
                "was recorded",
                answer.claim.id,
                answer.outcome,
            )

    def _write(self, outbox: Outbox, answer: Answer) -> bool:
        claim, at = answer.claim, answer.at
        match answer.outcome:
            case "sent":
                return outbox.sent(claim, answer.channel, answer.provider_id, at)
            case "retry":
                assert answer.retry_at is not None
                return outbox.retry(claim, answer.channel, answer.error or "", answer.retry_at)
            case "fall_back":
                return outbox.fall_back(claim, answer.channel, answer.error or "", at)
            case "failed":
                return outbox.failed(claim, answer.error or "")
            case "doubt":
                doubt = outbox.doubt(claim, answer.error or "no answer", at)
                if doubt is not None:
                    log.warning(
                        "message %d (%s): %s; %s",
                        claim.id,
                        claim.template,
                        answer.error,
                        "sent again (at least once)" if doubt.sent_again else "marked uncertain",
                    )
                return doubt is not None
            case _:
                return outbox.release(claim)

    def _halt(self, conn: psycopg.Connection[Any], outbox: Outbox, reason: str) -> None:
        if self.halted is None:
            log.error(
                "the message provider refuses our credentials: %s. Sending is HALTED; no "
                "message is lost, the queue resumes once the token is fixed "
                "(SAMPARK_WHATSAPP_TOKEN or SAMPARK_WHATSAPP_TOKEN_FILE).",
                reason,
            )
        self.halted = reason
        SENDER_HALTED.set(1)
        with conn.transaction():
            outbox.set_sender(self.name, "halted", reason, self.clock())

    def _resume(self, conn: psycopg.Connection[Any], outbox: Outbox) -> None:
        if self.halted is not None:
            log.warning("the message provider accepts our credentials again; sending resumes")
        self.halted = None
        SENDER_HALTED.set(0)
        with conn.transaction():
            outbox.set_sender(self.name, "running", None, self.clock())
