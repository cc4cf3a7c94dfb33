"""The projector: a Kafka consumer group that keeps the read models.

Each polled batch is applied in one PostgreSQL transaction together with the offsets of its
partitions, so a crash anywhere leaves both as they were. On (re)assignment it seeks to the
offsets stored in PostgreSQL, not the broker's. Several projectors in one group share the
partitions; a complaint's events all travel in one partition, in order.

No record stops it: one it cannot decode, or whose applying raises, is set aside as a dead
letter and the rest of the batch is applied (`projections/setting_aside.py`). Only a lost
database (`TRANSIENT`) fails the batch, which is then polled again after the worker's backoff.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any
from uuid import UUID

import psycopg
from kafka import ConsumerRebalanceListener, TopicPartition
from psycopg_pool import ConnectionPool

from infra import locks
from infra.adapters import kafka
from infra.eventstore.codec import MsgspecMapper, MsgspecTranscoder
from projections import envelope
from projections.apply import TRANSIENT, Applied, apply_events
from projections.dead_letters import Letter, clear_failure, record_failure
from projections.setting_aside import Delivered, Retried, apply_or_set_aside, read_claim, replay
from projections.store import LIVE, ReadModels, migrate
from projections.worker import FailedAt, Failures, StartAgain, Worker

log = logging.getLogger(__name__)
GROUP = "sampark-read-models"
EPOCH_CHECK_SECONDS = 1.0


class TopicStartedOver(StartAgain):
    """The relay started a new epoch on a new topic while this consumer was reading."""


def group_for(group: str, epoch: int) -> str:
    """The consumer group that reads the topic of a relay epoch.

    A topic the broker lost and the relay filled again is read by a group of its own: a fresh
    group starts from the first offset, and no member of the old one can hold it up.
    """
    return group if epoch <= 1 else f"{group}.epoch{epoch}"


def relay_epoch(conn: Any, topic: str) -> int:
    found = (
        conn.execute("SELECT epoch FROM sampark.relay_state WHERE topic = %s", (topic,)).fetchone()
        if conn.execute("SELECT to_regclass('sampark.relay_state')").fetchone()[0]
        else None
    )
    return int(found[0]) if found else 0


class Projector(Worker):
    def __init__(
        self,
        database_url: str,
        bootstrap: str,
        *,
        topic: str = kafka.COMPLAINT_TOPIC,
        group: str = GROUP,
        poll_ms: int = 200,
        session_timeout_ms: int = 10_000,
    ) -> None:
        self.database_url = database_url
        self.bootstrap = bootstrap
        self.topic = topic
        self.group = group
        self.poll_ms = poll_ms
        self.session_timeout_ms = session_timeout_ms
        self.stopping = threading.Event()
        self.mapper = MsgspecMapper(transcoder=MsgspecTranscoder())
        self.epochs: dict[int, int] = {}  # partition -> relay epoch being read
        self.totals = Applied()
        self.assigned = threading.Event()
        self.relay_epoch_seen = 0
        self.current_group = group

    def run(self) -> None:
        with ConnectionPool(
            self.database_url, min_size=1, max_size=2, kwargs={"autocommit": True}
        ) as pool:
            with pool.connection() as conn, conn.transaction():
                self.prepare(conn)
                self.relay_epoch_seen = relay_epoch(conn, self.topic)
            self.current_group = group_for(self.group, self.relay_epoch_seen)
            kafka.await_topic(self.bootstrap, self.topic, self.stopping)  # the relay makes it
            consumer = kafka.consumer(
                self.bootstrap, self.current_group, session_timeout_ms=self.session_timeout_ms
            )
            consumer.subscribe([self.topic], listener=_SeekToStored(self, consumer, pool))
            checked = time.monotonic()
            try:
                while not self.stopping.is_set():
                    self.beat()
                    if time.monotonic() - checked > EPOCH_CHECK_SECONDS:
                        with pool.connection() as conn:
                            self.follow_relay_epoch(conn, consumer)
                        checked = time.monotonic()
                    batch = consumer.poll(timeout_ms=self.poll_ms)
                    if batch:
                        with pool.connection() as conn:
                            self.apply_batch(conn, consumer, batch)
            finally:
                consumer.close()

    def follow_relay_epoch(self, conn: Any, consumer: Any) -> None:
        """When the relay started over on a new topic, read each partition from its start.

        The relay records its new epoch before it publishes anything in it, so a projector
        never waits at an offset the new topic may never reach. If the epoch changes while this
        consumer runs, the broker was lost under it: start again with a fresh consumer and a
        fresh group membership rather than trust the old one to recover.
        """
        epoch = relay_epoch(conn, self.topic)
        if group_for(self.group, epoch) != self.current_group:
            raise TopicStartedOver(f"the relay moved to epoch {epoch}")
        self.relay_epoch_seen = epoch
        for tp in consumer.assignment():
            if self.epochs.get(tp.partition, 0) < epoch:
                log.warning(
                    "projector: relay epoch %d; reading partition %d from its start",
                    epoch,
                    tp.partition,
                )
                consumer.seek(tp, 0)
                self.epochs[tp.partition] = epoch

    def apply_batch(
        self, conn: Any, consumer: Any, batch: dict[TopicPartition, list[Any]]
    ) -> Applied:
        first = min(batch.items(), key=lambda item: item[0].partition)
        place = f"{self.topic}/{first[0].partition}@{first[1][0].offset}" if first[1] else ""
        try:
            applied = self._apply_batch(conn, consumer, batch)
        except Exception as error:  # the database, mostly: the worker backs off and says where
            raise FailedAt(place, error) from error
        if self.failures.count:
            self.recovered()
        return applied

    def _apply_batch(
        self, conn: Any, consumer: Any, batch: dict[TopicPartition, list[Any]]
    ) -> Applied:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", (locks.READ_MODELS,))
            models = ReadModels(conn, LIVE)
            delivered: list[Delivered] = []
            offsets: dict[int, tuple[int, int, Any]] = {}
            for tp, records in sorted(batch.items(), key=lambda item: item[0].partition):
                epoch = self.epochs.get(tp.partition, 0)
                for record in records:
                    try:
                        message: envelope.ComplaintCloudEvent | None = envelope.decode(record.value)
                    except Exception as error:  # not even an envelope: set it aside
                        message = None
                        unread: BaseException | None = error
                    else:
                        unread = None
                    if message is not None and message.relayepoch > epoch:
                        if record.offset != 0:
                            # The relay started over on a new topic: read it from its start.
                            log.warning(
                                "projector: epoch %d on partition %d; reading it again",
                                message.relayepoch,
                                tp.partition,
                            )
                            consumer.seek(tp, 0)
                            self.epochs[tp.partition] = message.relayepoch
                            break
                        epoch = message.relayepoch
                    delivered.append(self.read(conn, tp.partition, record, epoch, message, unread))
                    previous = offsets.get(tp.partition)
                    at = message.time if message else (previous[2] if previous else None)
                    offsets[tp.partition] = (record.offset + 1, epoch, at)
                    self.epochs[tp.partition] = epoch
            applied = self.apply_or_set_aside(conn, delivered)
            self.save_offsets(models, offsets)
        self.totals += applied
        if applied.gaps:
            log.error("projector: %d event(s) after a missing one; see read.gaps", applied.gaps)
        return applied

    def read(
        self,
        conn: Any,
        partition: int,
        record: Any,
        epoch: int,
        message: envelope.ComplaintCloudEvent | None,
        unread: BaseException | None,
    ) -> Delivered:
        """A record's event, decoded; or, with the error, what can be known of it."""
        complaint: UUID | None = None
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            complaint = UUID(message.subject if message else bytes(record.key or b"").decode())
        letter = Letter(
            topic=self.topic,
            relay_epoch=epoch,
            partition=partition,
            offset=record.offset,
            complaint_id=complaint,
            complaint_version=message.complaintversion if message else None,
            event_type=envelope.event_name(message.eventtopic) if message else None,
            record=bytes(record.value or b""),
        )
        if message is None:
            return Delivered(letter, error=unread)
        try:
            return Delivered(letter, event=self.decode(conn, message))
        except TRANSIENT:
            raise
        except Exception as error:
            return Delivered(letter, error=error)

    def decode(self, conn: Any, message: envelope.ComplaintCloudEvent) -> Any:
        return self.mapper.to_domain_event(envelope.stored_event(message, read_claim(conn)))

    def apply_or_set_aside(self, conn: Any, delivered: list[Delivered]) -> Applied:
        return apply_or_set_aside(conn, self.group, delivered, self.project, type(self).__name__)

    def retry_dead(self, conn: Any) -> Retried:
        """Replay this consumer's dead letters (`sampark projections retry-dead`)."""
        return replay(conn, self.group, self.decode, self.project)

    def failure(self, failures: Failures) -> None:
        with psycopg.connect(self.database_url, autocommit=True, connect_timeout=5) as conn:
            record_failure(
                conn, self.group, failures.count, failures.repeats, failures.place, failures.error
            )

    def recovered(self) -> None:
        try:
            with psycopg.connect(self.database_url, autocommit=True, connect_timeout=5) as conn:
                clear_failure(conn, self.group)
        except psycopg.Error:
            return  # said next time
        self.failures.count = self.failures.repeats = 0
        self.failures.place = None

    def prepare(self, conn: Any) -> None:
        """Make sure the tables this consumer writes exist."""
        migrate(conn)

    def project(self, conn: Any, events: list[Any]) -> Applied:
        """Apply a batch of events, in the transaction that also saves the offsets."""
        return apply_events(ReadModels(conn, LIVE), events)

    def save_offsets(self, models: ReadModels, offsets: dict[int, tuple[int, int, Any]]) -> None:
        models.save_offsets(self.current_group, self.topic, offsets)


class _SeekToStored(ConsumerRebalanceListener):  # type: ignore[misc]
    """On assignment, continue from the offsets saved with the read models."""

    def __init__(self, projector: Projector, consumer: Any, pool: ConnectionPool) -> None:
        self.projector = projector
        self.consumer = consumer
        self.pool = pool

    def on_partitions_revoked(self, revoked: Any) -> None:
        self.projector.assigned.clear()

    def on_partitions_assigned(self, assigned: Any) -> None:
        with self.pool.connection() as conn:
            stored = ReadModels(conn, LIVE).offsets(
                self.projector.current_group, self.projector.topic
            )
            current = relay_epoch(conn, self.projector.topic)
        for tp in assigned:
            offset, epoch = stored.get(tp.partition, (0, 0))
            if epoch < current:  # saved for a topic the broker has since lost
                offset, epoch = 0, current
            self.consumer.seek(tp, offset)
            self.projector.epochs[tp.partition] = epoch
        log.info("projector: assigned %s", sorted(tp.partition for tp in assigned))
        self.projector.assigned.set()
