"""The projector: a Kafka consumer group that keeps the read models.

Each polled batch is applied in one PostgreSQL transaction together with the offsets of its
partitions, so a crash anywhere leaves both as they were. On (re)assignment it seeks to the
offsets stored in PostgreSQL, not the broker's. Several projectors in one group share the
partitions; a complaint's events all travel in one partition, in order.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from kafka import ConsumerRebalanceListener, TopicPartition
from psycopg_pool import ConnectionPool

from infra import kafka
from infra.codec import MsgspecMapper, MsgspecTranscoder
from projections import envelope
from projections.apply import Applied, apply_events
from projections.store import LIVE, REBUILD_LOCK, ReadModels, migrate
from projections.worker import Worker

log = logging.getLogger(__name__)
GROUP = "sampark-read-models"
EPOCH_CHECK_SECONDS = 1.0


class TopicStartedOver(Exception):
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
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", (REBUILD_LOCK,))
            models = ReadModels(conn, LIVE)
            events = []
            offsets: dict[int, tuple[int, int, Any]] = {}
            for tp, records in sorted(batch.items(), key=lambda item: item[0].partition):
                epoch = self.epochs.get(tp.partition, 0)
                for record in records:
                    message = envelope.decode(record.value)
                    if message.relayepoch > epoch:
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
                    events.append(self.mapper.to_domain_event(envelope.stored_event(message)))
                    offsets[tp.partition] = (record.offset + 1, epoch, message.time)
                    self.epochs[tp.partition] = epoch
            applied = self.project(conn, events)
            self.save_offsets(models, offsets)
        self.totals += applied
        if applied.gaps:
            log.error("projector: %d event(s) after a missing one; see read.gaps", applied.gaps)
        return applied

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
