"""The complaint topic is ours: only the relay creates it, with the configured partitions,
whoever comes first and however often the broker forgets it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import msgspec
import pytest

from api.services import Services
from infra.adapters import kafka
from infra.local.broker import EmbeddedBroker
from infra.settings import Settings
from projections.projector import Projector
from projections.rebuild import verify
from projections.relay import Relay
from tests.integration.test_read_side_failures import registered, some_history


@pytest.fixture
def own_broker() -> Iterator[EmbeddedBroker]:
    broker = EmbeddedBroker()
    try:
        yield broker
    finally:
        broker.stop()


def topics(bootstrap: str) -> dict[str, int | None]:
    client = kafka.admin(bootstrap)
    try:
        return {name: kafka.partition_count(client, name) for name in client.list_topics()}
    finally:
        client.close()


def start(worker: Relay | Projector) -> threading.Thread:
    thread = threading.Thread(target=lambda: worker.run_until_stopped(backoff=0.1), daemon=True)
    thread.start()
    return thread


def test_a_subscriber_that_comes_first_does_not_make_the_topic(own_broker: EmbeddedBroker) -> None:
    reader = kafka.consumer(own_broker.bootstrap, "early-readers", session_timeout_ms=1000)
    try:
        reader.subscribe(["complaints.early"])
        for _ in range(10):
            reader.poll(timeout_ms=100)
        assert "complaints.early" not in topics(own_broker.bootstrap)
    finally:
        reader.close()
    assert kafka.ensure_topic(own_broker.bootstrap, "complaints.early", 5) is True
    assert topics(own_broker.bootstrap)["complaints.early"] == 5


def test_a_projector_started_before_the_relay_reads_a_topic_of_the_configured_size(
    services: Services, settings: Settings, database: str, own_broker: EmbeddedBroker
) -> None:
    configured = msgspec.structs.replace(settings, kafka_bootstrap=own_broker.bootstrap)
    projector = Projector(
        database,
        own_broker.bootstrap,
        topic=configured.kafka_topic,
        group=configured.kafka_group,
        poll_ms=50,
        session_timeout_ms=1000,
    )
    relay = Relay(
        database,
        own_broker.bootstrap,
        topic=configured.kafka_topic,
        partitions=configured.kafka_partitions,
        idle_wait=0.05,
    )
    threads = [start(projector)]
    try:
        some_history(services, 6)
        time.sleep(1.5)  # the projector is up, waiting for its topic
        assert configured.kafka_topic not in topics(own_broker.bootstrap)
        threads.append(start(relay))
        assert projector.assigned.wait(30)
        assert topics(own_broker.bootstrap)[configured.kafka_topic] == configured.kafka_partitions
        deadline = time.monotonic() + 30
        while (differences := verify(database)) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert differences == [] and registered(database) == 6

        own_broker.restart()  # memory storage: the topic is gone, the projector still reads
        time.sleep(1.5)
        assert configured.kafka_topic not in topics(own_broker.bootstrap)
        some_history(services, 3)  # the relay finds the topic gone and makes it again
        deadline = time.monotonic() + 60
        while (differences := verify(database)) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert differences == [] and registered(database) == 9
        assert topics(own_broker.bootstrap)[configured.kafka_topic] == configured.kafka_partitions
    finally:
        relay.stop()
        projector.stop()
        for thread in threads:
            thread.join(timeout=15)
