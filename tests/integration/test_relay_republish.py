"""After the broker loses the topic, the relay publishes the log again once: a relay stopped in
the middle of that republish picks it up where it stopped, in the same epoch."""

from __future__ import annotations

import time
from typing import Any

import msgspec
import psycopg

from api.services import Services
from infra.broker import EmbeddedBroker
from infra.settings import Settings
from projections.rebuild import verify
from projections.relay import Relay, RelayState
from tests.conftest import Pipeline
from tests.integration.test_read_side_failures import registered, some_history


class RelayStoppedMidRepublish(Relay):
    """Publishes in small batches, and dies once, three batches into a republish."""

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
                raise RuntimeError("relay killed in the middle of a republish")
        return super().relay_batch(conn, producer, batch, state)


def relay_state(database: str, topic: str) -> tuple[int, int]:
    with psycopg.connect(database) as conn:
        found = conn.execute(
            "SELECT position, epoch FROM sampark.relay_state WHERE topic = %s", (topic,)
        ).fetchone()
    assert found is not None
    return found[0], found[1]


def test_a_relay_stopped_while_republishing_resumes_the_same_epoch(
    services: Services, settings: Settings, database: str
) -> None:
    own = EmbeddedBroker()
    configured = msgspec.structs.replace(settings, kafka_bootstrap=own.bootstrap)
    RelayStoppedMidRepublish.batches_in_new_epoch = 0
    RelayStoppedMidRepublish.died_in_epoch = None
    pipeline = Pipeline(configured, database, relay_class=RelayStoppedMidRepublish)
    try:
        some_history(services, 12)
        pipeline.settle()
        own.restart()  # memory storage: the topic is gone
        some_history(services, 2)
        deadline = time.monotonic() + 90
        while (differences := verify(database)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert RelayStoppedMidRepublish.died_in_epoch == 2
        assert relay_state(database, configured.kafka_topic)[1] == 2
        assert differences == []
        assert registered(database) == 14
    finally:
        pipeline.stop()
        own.stop()
