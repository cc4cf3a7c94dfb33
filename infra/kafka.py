"""Kafka clients for the complaint topic (kafka-python), tuned for Apache Kafka and Tansu."""

from __future__ import annotations

import time
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

COMPLAINT_TOPIC = "sampark.complaints"


def ensure_topic(bootstrap: str, topic: str, partitions: int) -> bool:
    """Create the topic when missing; True when it had to be created."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="sampark-admin")
    try:
        if topic in admin.list_topics():
            return False
        try:
            admin.create_topics([NewTopic(topic, partitions, 1)])
        except TopicAlreadyExistsError:
            return False
        return True
    finally:
        admin.close()


def producer(bootstrap: str) -> KafkaProducer:
    # One request in flight per connection keeps a complaint's events in order on retries.
    return KafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        retries=5,
        max_in_flight_requests_per_connection=1,
        linger_ms=2,
        max_block_ms=5000,  # a lost topic fails the send soon, and the relay starts over
        request_timeout_ms=10_000,
        client_id="sampark-relay",
        enable_idempotence=False,
    )


def consumer(
    bootstrap: str, group: str | None, *, session_timeout_ms: int = 10_000, **extra: Any
) -> KafkaConsumer:
    """A consumer that commits nothing to the broker: offsets live in PostgreSQL.

    Tansu holds a group join for about the session timeout, so the embedded stack uses a
    short one (1 s); Apache Kafka refuses less than its `group.min.session.timeout.ms`.
    """
    extra.setdefault("auto_offset_reset", "earliest")
    return KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=max(100, session_timeout_ms // 4),
        max_poll_records=500,
        fetch_max_wait_ms=20,  # Tansu holds a fetch for the whole wait: keep the lag low
        **extra,
    )


def holds(bootstrap: str, topic: str, acked: dict[int, int], timeout: float = 5.0) -> bool:
    """Whether the broker still holds the last message acknowledged in each partition.

    Read, not asked: Tansu's ListOffsets answers with the start of the last record batch,
    not the end of the log, so an end offset from it cannot be trusted.
    """
    reader = consumer(bootstrap, None, auto_offset_reset="earliest")
    try:
        partitions = [TopicPartition(topic, p) for p in acked]
        reader.assign(partitions)
        for tp in partitions:
            reader.seek(tp, acked[tp.partition])
        waiting = set(partitions)
        deadline = time.monotonic() + timeout
        while waiting and time.monotonic() < deadline:
            for tp, records in reader.poll(timeout_ms=200).items():
                if tp in waiting and records:
                    if records[0].offset != acked[tp.partition]:
                        return False
                    waiting.discard(tp)
                    reader.pause(tp)
        return not waiting
    finally:
        reader.close()


def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    """partition -> the offset the next message will get; empty when the topic is missing."""
    reader = consumer(bootstrap, None)
    try:
        partitions = reader.partitions_for_topic(topic) or set()
        ends = reader.end_offsets([TopicPartition(topic, p) for p in partitions])
        return {tp.partition: offset for tp, offset in ends.items()}
    finally:
        reader.close()
