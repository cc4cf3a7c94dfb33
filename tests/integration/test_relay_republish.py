"""After the broker loses the topic, the relay publishes the log again once: a relay stopped in
the middle of that republish picks it up where it stopped, in the same epoch, and a broker
slow to show what it holds is asked again rather than taken for one that lost everything."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import msgspec
import psycopg
import pytest

from api.services import Services
from infra.adapters import kafka
from infra.local.broker import EmbeddedBroker
from infra.settings import Settings
from projections.rebuild import verify
from projections.relay import Relay, RelayState
from tests.conftest import Pipeline
from tests.integration.test_read_side_failures import registered, some_history


class RelayStoppedMidRepublish(Relay):
    """Publishes in small batches and dies once, three batches into a republish, after the
    broker took the third batch and before its place was saved; back, it finds the broker
    slow to answer (its first look gets no time at all)."""

    batches_in_new_epoch = 0
    died_in_epoch: int | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batch_size = 5

    def relay_batch(
        self, conn: Any, producer: Any, batch: list[tuple[Any, ...]], state: RelayState
    ) -> RelayState:
        if state.epoch > 1 and type(self).died_in_epoch is None:
            type(self).batches_in_new_epoch += 1
            if type(self).batches_in_new_epoch == 3:
                type(self).died_in_epoch = state.epoch
                self.publish(producer, batch, state.epoch)
                self.probe_seconds = 0.0
                raise RuntimeError("relay killed in the middle of a republish")
        return super().relay_batch(conn, producer, batch, state)


def relay_state(database: str, topic: str) -> tuple[int, int]:
    with psycopg.connect(database) as conn:
        found = conn.execute(
            "SELECT position, epoch FROM sampark.relay_state WHERE topic = %s", (topic,)
        ).fetchone()
    assert found is not None
    return found[0], found[1]


@pytest.fixture
def own_broker() -> Iterator[EmbeddedBroker]:
    broker = EmbeddedBroker()
    try:
        yield broker
    finally:
        broker.stop()


def test_a_relay_stopped_while_republishing_resumes_the_same_epoch(
    services: Services, settings: Settings, database: str, own_broker: EmbeddedBroker
) -> None:
    configured = msgspec.structs.replace(settings, kafka_bootstrap=own_broker.bootstrap)
    RelayStoppedMidRepublish.batches_in_new_epoch = 0
    RelayStoppedMidRepublish.died_in_epoch = None
    pipeline = Pipeline(configured, database, relay_class=RelayStoppedMidRepublish)
    try:
        some_history(services, 12)
        pipeline.settle()
        own_broker.restart()  # memory storage: the topic is gone
        some_history(services, 2)
        deadline = time.monotonic() + 90
        while (differences := verify(database)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert RelayStoppedMidRepublish.died_in_epoch == 2
        assert pipeline.relay.unanswered == 0, "it asked again until the broker answered"
        assert relay_state(database, configured.kafka_topic)[1] == 2, "no third epoch"
        assert differences == []
        assert registered(database) == 14
        with psycopg.connect(database) as conn:
            head = conn.execute("SELECT max(notification_id) FROM sampark_events").fetchone()
        assert head is not None and relay_state(database, configured.kafka_topic)[0] == head[0]
    finally:
        pipeline.stop()


def test_a_look_at_the_log_that_runs_out_of_time_cannot_tell_a_slow_broker_from_a_lost_one(
    own_broker: EmbeddedBroker,
) -> None:
    kafka.ensure_topic(own_broker.bootstrap, "complaints.probe", 2)
    producer = kafka.producer(own_broker.bootstrap)
    acks = [producer.send("complaints.probe", b"event", partition=0) for _ in range(3)]
    producer.flush()
    last = max(ack.get(timeout=10).offset for ack in acks)
    producer.close()
    bootstrap = own_broker.bootstrap
    assert kafka.holds(bootstrap, "complaints.probe", {0: last}, timeout=10) is True
    assert kafka.holds(bootstrap, "complaints.probe", {0: last}, timeout=0) is None
    assert kafka.holds(bootstrap, "complaints.probe", {0: last, 5: 0}, timeout=10) is False
