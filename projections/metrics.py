"""The pipeline's figures for Prometheus, read from the database when scraped: how far the
relay and the consumers are behind, dead letters, the outbox by state, halted senders, the
open complaints beyond their deadline, and how old each worker's heartbeat is.

The same numbers as `GET /v1/pipeline/status` (`projections/status.py`) and the dashboards'
`pending_beyond_deadline` (`projections/figures.py`, checked against the oracle), made into
gauges with `prometheus-client`. Served by the API's `/metrics` beside the process's own
figures (`infra/metrics.py`); a worker process serves only its own (the same database
figures from every process would be the same series many times over).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from psycopg_pool import ConnectionPool

from infra.settings import Settings
from projections.figures import FigureScope
from projections.health import heartbeats
from projections.notify.outbox import GROUP as NOTIFICATIONS_GROUP
from projections.queries import ReadQueries
from projections.rows import day_in_india
from projections.status import dead_letters, notifications_status, pipeline_status
from projections.store import LIVE


def _gauge(name: str, documentation: str, labels: Iterable[str] = ()) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=list(labels))


def beyond_deadline(conn: Any, now: datetime) -> int:
    """The open complaints whose deadline has passed, in the whole state: the dashboards'
    `pending_beyond_deadline` for the state."""
    today = day_in_india(now)
    ((_, ledger),) = ReadQueries(conn, LIVE).ledgers(FigureScope(), "total", today, today, now)
    return ledger.beyond_deadline


def pipeline_figures(conn: Any, settings: Settings, now: datetime) -> list[Metric]:
    status = pipeline_status(conn, settings.kafka_topic, settings.kafka_group, now)
    notifications = notifications_status(conn, settings.kafka_topic, now)
    relay_events = _gauge(
        "sampark_relay_lag_events", "Stored events the relay has not yet published"
    )
    relay_events.add_metric([], status["relay"]["lag_events"])
    relay_seconds = _gauge(
        "sampark_relay_lag_seconds", "Age of the oldest stored event the relay has not published"
    )
    relay_seconds.add_metric([], status["relay"]["lag_seconds"])
    lag_events = _gauge(
        "sampark_consumer_lag_events",
        "Published events a consumer group has not yet applied (the read models' projector, "
        "the notifications); absent while unknown (a new relay epoch)",
        ["group"],
    )
    lag_seconds = _gauge(
        "sampark_consumer_lag_seconds",
        "How long a consumer group's oldest unapplied event has waited",
        ["group"],
    )
    for group, consumer in (
        ("read-models", status["projector"]),
        ("notifications", notifications["consumer"]),
    ):
        if consumer["lag_events"] is not None:
            lag_events.add_metric([group], consumer["lag_events"])
        lag_seconds.add_metric([group], consumer["lag_seconds"])
    dead = _gauge(
        "sampark_dead_letters",
        "Records a consumer set aside: failed, or held behind a failed one of its complaint",
        ["group", "kind"],
    )
    projector = status["projector"]
    dead.add_metric(["read-models", "failed"], projector["dead_letters_failed"])
    dead.add_metric(["read-models", "held"], projector["dead_letters_held"])
    letters = {"failed": 0, "held": 0}
    letters.update(dead_letters(conn).get(NOTIFICATIONS_GROUP, {}))
    dead.add_metric(["notifications", "failed"], letters["failed"])
    dead.add_metric(["notifications", "held"], letters["held"])
    outbox = _gauge("sampark_outbox_messages", "Messages in the outbox, by state", ["state"])
    halted = _gauge(
        "sampark_notification_senders_halted",
        "Senders halted because the provider refuses our credentials",
    )
    unsent = _gauge(
        "sampark_outbox_oldest_unsent_seconds",
        "Age of the oldest message not yet sent (pending, retrying or sending); 0 when none",
    )
    box = notifications["outbox"] or {"messages": {}, "senders": [], "oldest_unsent": None}
    for state, count in sorted(box["messages"].items()):
        outbox.add_metric([state], count)
    halted.add_metric([], sum(1 for s in box["senders"] if s["state"] == "halted"))
    oldest = box["oldest_unsent"]
    unsent.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
    overdue = _gauge(
        "sampark_complaints_beyond_deadline",
        "Open complaints whose deadline has passed (the state's pending_beyond_deadline)",
    )
    overdue.add_metric([], beyond_deadline(conn, now))
    beats = _gauge(
        "sampark_worker_heartbeat_age_seconds",
        "Seconds since the freshest heartbeat of each kind of worker, in any process",
        ["worker"],
    )
    freshest: dict[str, float] = {}
    for beat in heartbeats(conn, now):
        freshest[beat["worker"]] = min(
            beat["age_seconds"], freshest.get(beat["worker"], float("inf"))
        )
    for worker, age in sorted(freshest.items()):
        beats.add_metric([worker], age)
    return [
        relay_events,
        relay_seconds,
        lag_events,
        lag_seconds,
        dead,
        outbox,
        halted,
        unsent,
        overdue,
        beats,
    ]


class _Scrape(Collector):
    """This process's own figures and the pipeline's, for one scrape."""

    def __init__(self, pool: ConnectionPool[Any], settings: Settings, now: datetime) -> None:
        self.pool, self.settings, self.now = pool, settings, now

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
        with self.pool.connection() as conn:
            yield from pipeline_figures(conn, self.settings, self.now)


def scraped(pool: ConnectionPool[Any], settings: Settings, now: datetime) -> CollectorRegistry:
    """A registry to expose once: the process's figures, then the pipeline's."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Scrape(pool, settings, now))
    return registry
