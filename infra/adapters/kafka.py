"""Kafka clients for the complaint topic (kafka-python), tuned for Apache Kafka and Tansu.

Only the relay creates the complaint topic (`ensure_topic`, with `SAMPARK_KAFKA_PARTITIONS`
partitions); no client here lets the broker create it as a side effect of asking for it (a
consumer that subscribes first, or after the broker lost the topic, would otherwise get the
broker's default partition count). Consumers wait for the topic instead (`await_topic`).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from infra.logs import once_a_minute

log = logging.getLogger(__name__)
# While the broker is away kafka-python logs "connection refused" at ERROR on every retry,
# several times a second: each such message is written once a minute.
once_a_minute("kafka")
COMPLAINT_TOPIC = "sampark.complaints"
NO_AUTO_CREATE = {"allow_auto_create_topics": False}


def _never_auto_create(client: Any) -> Any:
    """kafka-python 3.0 takes `allow_auto_create_topics` but does not hand it to the cluster
    metadata that builds its Metadata requests (they ask with auto-creation on); set it there.
    """
    cluster = getattr(client, "_cluster", None) or getattr(client, "_metadata", None)
    if cluster is None:
        cluster = client._manager.cluster
    cluster.config["allow_auto_create_topics"] = False
    return client


def admin(bootstrap: str) -> KafkaAdminClient:
    return _never_auto_create(
        KafkaAdminClient(bootstrap_servers=bootstrap, client_id="sampark-admin")
    )


def ensure_topic(bootstrap: str, topic: str, partitions: int) -> bool:
    """Create the topic when missing; True when it had to be created."""
    client = admin(bootstrap)
    try:
        if topic in client.list_topics():
            found = partition_count(client, topic)
            if found != partitions:
                log.warning(
                    "topic %s has %s partitions, not the %d configured (SAMPARK_KAFKA_PARTITIONS)"
                    "; it was created elsewhere: delete it, or set the setting to match",
                    topic,
                    found,
                    partitions,
                )
            return False
        try:
            client.create_topics([NewTopic(topic, partitions, 1)])
        except TopicAlreadyExistsError:
            return False
        log.info("created topic %s with %d partitions", topic, partitions)
        return True
    finally:
        client.close()


def partition_count(client: KafkaAdminClient, topic: str) -> int | None:
    for described in client.describe_topics([topic]):
        if described.get("name") == topic and not described.get("error_code"):
            return len(described.get("partitions") or [])
    return None


def await_topic(bootstrap: str, topic: str, stopping: threading.Event, every: float = 0.2) -> bool:
    """Wait until the topic exists (the relay creates it); False when stopped first.

    A consumer subscribes only then: subscribing first would not create it (auto-creation is
    off) but kafka-python would notice the topic only at a later metadata refresh.
    """
    client = admin(bootstrap)
    waited = time.monotonic()
    told = waited
    try:
        while not stopping.is_set():
            if topic in client.list_topics():
                return True
            if time.monotonic() - told > 10:
                log.warning(
                    "waiting %.0f s for topic %s: the relay creates it",
                    time.monotonic() - waited,
                    topic,
                )
                told = time.monotonic()
            stopping.wait(every)
        return False
    finally:
        client.close()


def producer(bootstrap: str) -> KafkaProducer:
    # One request in flight per connection keeps a complaint's events in order on retries.
    return _never_auto_create(
        KafkaProducer(
            bootstrap_servers=bootstrap,
            acks="all",
            retries=5,
            max_in_flight_requests_per_connection=1,
            linger_ms=2,
            max_block_ms=5000,  # a lost topic fails the send soon, and the relay starts over
            request_timeout_ms=10_000,
            client_id="sampark-relay",
            enable_idempotence=False,
            **NO_AUTO_CREATE,
        )
    )


def consumer(
    bootstrap: str, group: str | None, *, session_timeout_ms: int = 10_000, **extra: Any
) -> KafkaConsumer:
    """A consumer that commits nothing to the broker: offsets live in PostgreSQL.

    Tansu holds a group join for about the session timeout, so the embedded stack uses a
    short one (1 s); Apache Kafka refuses less than its `group.min.session.timeout.ms`.
    """
    extra.setdefault("auto_offset_reset", "earliest")
    return _never_auto_create(
        KafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=group,
            enable_auto_commit=False,
            session_timeout_ms=session_timeout_ms,
            heartbeat_interval_ms=max(100, session_timeout_ms // 4),
            max_poll_records=500,
            fetch_max_wait_ms=20,  # Tansu holds a fetch for the whole wait: keep the lag low
            **NO_AUTO_CREATE,
            **extra,
        )
    )


def topic_exists(bootstrap: str, topic: str) -> bool:
    client = admin(bootstrap)
    try:
        return topic in client.list_topics()
    finally:
        client.close()


def holds(bootstrap: str, topic: str, acked: dict[int, int], timeout: float = 5.0) -> bool | None:
    """Whether the broker still holds the last message acknowledged in each partition: True,
    False (seen: a partition is missing, or its log has another message at that offset), or
    None when the broker did not show it in time (slow is not lost: ask again later).

    Read, not asked: Tansu's ListOffsets answers with the start of the last record batch,
    not the end of the log, so an end offset from it cannot be trusted.
    """
    reader = consumer(bootstrap, None, auto_offset_reset="earliest")
    try:
        known = reader.partitions_for_topic(topic)
        if known is not None and any(p not in known for p in acked):
            return False
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
        return True if not waiting else None
    finally:
        reader.close()
