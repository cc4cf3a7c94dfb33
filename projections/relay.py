"""The relay: the event store's notification log, in order, onto the complaint topic.

It follows the log from its saved position (catch-up, then live on LISTEN/NOTIFY with a
short poll as a fallback), publishes each complaint event as a CloudEvent keyed by complaint
id, and saves its position only after the broker acknowledged the batch. A crash between the
two publishes the batch again: the projector skips what it already applied.

If the broker lost the topic (the embedded broker keeps nothing across restarts), the relay
sees it, starts a new epoch and publishes the whole log again; the projector, seeing the new
epoch, reads the new topic from its start. The new epoch is recorded before the topic is made
again, and the republish saves its position batch by batch like any publishing: a relay
stopped in the middle resumes it, in the same epoch, from where it stopped. Only evidence
starts an epoch (the topic missing, a partition missing, another message where ours was); a
broker too slow to show what it holds is asked again later, with more patience, never taken
for one that lost it.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import psycopg
from eventsourcing.persistence import StoredEvent

from infra import locks
from infra.adapters import kafka
from projections import envelope
from projections.worker import Worker

log = logging.getLogger(__name__)

COMPLAINT_EVENT_TOPIC = "domain.events:"
EVENTS_TABLE = "sampark_events"
NOTIFY_CHANNEL = "sampark_events"


class BrokerSilent(Exception):
    """The broker did not answer whether it holds what it acknowledged."""


@dataclass
class RelayState:
    position: int = 0  # the last notification id published and acknowledged
    epoch: int = 1
    acked: dict[int, int] = field(default_factory=dict)  # partition -> highest acked offset


class Relay(Worker):
    def __init__(
        self,
        database_url: str,
        bootstrap: str,
        *,
        topic: str = kafka.COMPLAINT_TOPIC,
        partitions: int = 6,
        batch_size: int = 500,
        idle_wait: float = 0.5,
        probe_seconds: float = 5.0,
    ) -> None:
        self.database_url = database_url
        self.bootstrap = bootstrap
        self.topic = topic
        self.partitions = partitions
        self.batch_size = batch_size
        self.idle_wait = idle_wait
        self.stopping = threading.Event()
        self.published = 0
        self.probe_seconds = probe_seconds  # the first wait for the broker to show its log
        self.unanswered = 0  # probes in a row the broker did not answer in time

    # --- state in PostgreSQL ------------------------------------------------------------

    def load_state(self, conn: psycopg.Connection[Any]) -> RelayState:
        row = conn.execute(
            "SELECT position, epoch, acked FROM sampark.relay_state WHERE topic = %s",
            (self.topic,),
        ).fetchone()
        if row is None:
            return RelayState()
        return RelayState(row[0], row[1], {int(p): o for p, o in row[2].items()})

    def save_state(self, conn: psycopg.Connection[Any], state: RelayState) -> None:
        conn.execute(
            "INSERT INTO sampark.relay_state (topic, position, epoch, acked) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (topic) DO UPDATE SET position = "
            "excluded.position, epoch = excluded.epoch, acked = excluded.acked, updated_at = now()",
            (self.topic, state.position, state.epoch, json.dumps(state.acked)),
        )

    def start_over(self, conn: psycopg.Connection[Any], state: RelayState, why: str) -> RelayState:
        log.warning("relay: %s; publishing the whole log again as epoch %d", why, state.epoch + 1)
        fresh = RelayState(position=0, epoch=state.epoch + 1)
        self.save_state(conn, fresh)
        # A broker that lost the log may have lost the topic with it, and nobody else makes
        # it (auto-creation is off): made here, after the new epoch is recorded.
        kafka.ensure_topic(self.bootstrap, self.topic, self.partitions)
        return fresh

    def check_topic(self, conn: psycopg.Connection[Any], state: RelayState) -> RelayState:
        """Make the topic when missing, and start over if the broker no longer holds what it
        acknowledged; otherwise go on from the saved position, in the same epoch."""
        if not kafka.topic_exists(self.bootstrap, self.topic) and state.acked:
            # Recorded first: a relay stopped right after making the topic starts the new
            # epoch's republish from its start, not a probe of a topic that never held it.
            state = self.start_over(conn, state, "the topic was missing")
        kafka.ensure_topic(self.bootstrap, self.topic, self.partitions)
        if not state.acked:
            return state
        patience = min(60.0, max(0.01, self.probe_seconds) * (1 << min(12, self.unanswered)))
        verdict = kafka.holds(self.bootstrap, self.topic, state.acked, timeout=patience)
        if verdict is None:
            self.unanswered += 1
            raise BrokerSilent(
                f"the broker did not show within {patience:.0f} s whether it still holds epoch "
                f"{state.epoch} up to notification {state.position}; asking again, not "
                "starting over"
            )
        self.unanswered = 0
        if not verdict:
            return self.start_over(conn, state, "the broker lost acknowledged messages")
        return state

    # --- the loop -----------------------------------------------------------------------

    def wait_to_be_the_relay(self, conn: psycopg.Connection[Any]) -> bool:
        """One relay per topic publishes; another waits, ready to take over when it dies.

        The lock belongs to this connection's session, so a crashed relay releases it."""
        while not self.stopping.is_set():
            found = conn.execute(
                "SELECT pg_try_advisory_lock(%s, hashtext(%s))", (locks.RELAY, self.topic)
            ).fetchone()
            if found and found[0]:
                return True
            self.beat()  # a standby relay is alive, ready to take over
            self.stopping.wait(self.idle_wait)
        return False

    def fetch(self, conn: psycopg.Connection[Any], after: int) -> list[tuple[Any, ...]]:
        return conn.execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {EVENTS_TABLE} WHERE notification_id > %s "
            f"ORDER BY notification_id LIMIT %s",
            (after, self.batch_size),
        ).fetchall()

    def publish(self, producer: Any, batch: list[tuple[Any, ...]], epoch: int) -> list[Any]:
        sent = []
        for notification_id, originator_id, version, topic, state in batch:
            if not topic.startswith(COMPLAINT_EVENT_TOPIC):
                continue  # directory events stay on the write side
            stored = StoredEvent(originator_id, version, topic, bytes(state))
            message = envelope.encode(envelope.wrap(notification_id, stored, epoch))
            sent.append(
                producer.send(
                    self.topic,
                    key=str(originator_id).encode(),
                    value=message,
                    headers=[("content-type", envelope.CONTENT_TYPE.encode())],
                )
            )
        producer.flush()
        return [future.get(timeout=30) for future in sent]

    def run(self) -> None:
        with (
            psycopg.connect(self.database_url, autocommit=True) as conn,
            psycopg.connect(self.database_url, autocommit=True) as listener,
        ):
            if not self.wait_to_be_the_relay(conn):
                return
            state = self.check_topic(conn, self.load_state(conn))
            listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
            producer = kafka.producer(self.bootstrap)
            log.info("relay: from notification %d, epoch %d", state.position, state.epoch)
            try:
                while not self.stopping.is_set():
                    self.beat()
                    batch = self.fetch(conn, state.position)
                    if not batch:
                        for _ in listener.notifies(timeout=self.idle_wait, stop_after=1):
                            pass
                        continue
                    state = self.relay_batch(conn, producer, batch, state)
            finally:
                producer.close(timeout=5)

    def relay_batch(
        self,
        conn: psycopg.Connection[Any],
        producer: Any,
        batch: list[tuple[Any, ...]],
        state: RelayState,
    ) -> RelayState:
        acks = self.publish(producer, batch, state.epoch)
        acked = dict(state.acked)
        for ack in acks:
            if ack.offset < acked.get(ack.partition, -1):
                return self.start_over(conn, state, f"partition {ack.partition} went back")
            acked[ack.partition] = max(ack.offset, acked.get(ack.partition, -1))
        after = RelayState(position=batch[-1][0], epoch=state.epoch, acked=acked)
        self.save_state(conn, after)
        self.published += len(acks)
        return after
