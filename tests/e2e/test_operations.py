"""What the state's operations team watches: `/health/ready` follows PostgreSQL, the broker
and the workers; `/metrics` shows the relay's and the consumers' lag, the commands' outcomes,
the requests by route and the complaints beyond their deadline (the dashboards' figure, as
the oracle over the event store counts it); the pipeline status shows each worker's
heartbeat; and only the holder of the metrics token may scrape."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.services import Services
from infra.local.broker import EmbeddedBroker
from infra.settings import Settings
from projections import oracle
from projections.figures import FigureScope
from projections.health import Heartbeats, Readiness
from projections.rebuild import complaints_in_store, decoded_one
from projections.relay import Relay
from projections.rows import day_in_india
from tests.conftest import Pipeline, Tokens, filed_by_a_citizen
from tests.support import ANALYST, OPERATOR, TurnableClock
from tests.unit.test_alert_rules import documented

Client = Any
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def eventually(check: Callable[[], Any], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            raise AssertionError("never came true")
        time.sleep(0.1)
    return found


def scrape(client: Client, **headers: str) -> Samples:
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def own_broker() -> Iterator[list[EmbeddedBroker]]:
    """A broker of this test's own, which it stops and starts again (in a list: replaced)."""
    held = [EmbeddedBroker()]
    try:
        yield held
    finally:
        held[-1].stop()


def test_ready_turns_unready_when_the_broker_stops_and_ready_again_when_it_returns(
    client: Client, services: Services, settings: Settings, database: str, own_broker: list[Any]
) -> None:
    broker = own_broker[0]
    on_own = msgspec.structs.replace(settings, kafka_bootstrap=broker.bootstrap)
    pipeline = Pipeline(on_own, database)
    try:
        services.readiness = Readiness(
            bootstrap=broker.bootstrap, workers=[pipeline.relay, *pipeline.projectors]
        )
        ready = eventually(lambda: (r := client.get("/health/ready")).status_code == 200 and r)
        assert ready.json()["checks"] == {
            "database": "ok",
            "broker": "ok",
            "relay": "ok",
            "projector": "ok",
        }

        broker.stop()
        unready = client.get("/health/ready")
        assert unready.status_code == 503
        assert unready.headers["content-type"] == "application/problem+json"
        assert unready.json()["checks"]["broker"] == "no answer"
        assert unready.json()["checks"]["database"] == "ok"
        assert "broker: no answer" in unready.json()["detail"]
        assert client.get("/health/live").status_code == 200, "alive all the same"

        own_broker.append(EmbeddedBroker(port=broker.port))
        eventually(lambda: client.get("/health/ready").status_code == 200)
    finally:
        pipeline.stop()


def test_a_silent_worker_makes_the_process_unready() -> None:
    now = [1000.0]
    worker = Relay("postgresql://unused", "127.0.0.1:1")  # never run: only its beat is read
    readiness = Readiness(workers=[worker], stale_after=90, clock=lambda: now[0])
    checks = {c.name: c for c in readiness.checks(lambda: None)}
    assert not checks["relay"].ok and checks["relay"].detail == "not started yet"
    worker.beat()
    now[0] = worker.beat_at + 30  # type: ignore[operator]
    assert all(c.ok for c in readiness.checks(lambda: None))
    now[0] += 61
    (database, silent) = readiness.checks(lambda: None)
    assert database.ok and not silent.ok and silent.detail == "silent 91 s"


def test_metrics_show_the_lag_the_commands_and_the_deadlines_moving(
    client: Client,
    services: Services,
    settings: Settings,
    database: str,
    tokens: Tokens,
    clock: TurnableClock,
) -> None:
    before = scrape(client)
    filed = filed_by_a_citizen(client, tokens)
    refused = client.post(
        "/v1/complaints", json={"district": "JAI"}, headers=tokens.headers(ANALYST)
    )
    assert refused.status_code in (400, 403, 422)

    waiting = scrape(client)
    assert value(waiting, "sampark_relay_lag_events") >= 2, "filed and assigned, not yet relayed"
    assert value(waiting, "sampark_commands_total", command="file", outcome="accepted") == (
        value(before, "sampark_commands_total", command="file", outcome="accepted") + 1
    )
    assert value(waiting, "sampark_commands_total", command="file", outcome="refused") == (
        value(before, "sampark_commands_total", command="file", outcome="refused") + 1
    )
    routes = {
        dict(labels).get("path") for name, labels in waiting if name.startswith("sampark_http")
    }
    assert "/v1/complaints" in routes
    assert not any(filed["registration_no"] in str(key) for key in waiting), "no raw paths"
    assert value(waiting, "sampark_complaints_beyond_deadline") == 0

    pipeline = Pipeline(settings, database)
    heartbeats = Heartbeats(database, [pipeline.relay, *pipeline.projectors], every=0.1)
    beating = threading.Thread(target=heartbeats.run_until_stopped, daemon=True)
    beating.start()
    try:
        pipeline.settle()
        caught_up = scrape(client)
        assert value(caught_up, "sampark_relay_lag_events") == 0
        assert value(caught_up, "sampark_consumer_lag_events", group="read-models") == 0

        clock.advance(days=40)  # every deadline of the filing has passed
        now = services.app.clock()
        overdue = scrape(client)
        with psycopg.connect(database) as conn:
            lives = [oracle.history(decoded_one(r) for r in s) for s in complaints_in_store(conn)]
        today = day_in_india(now)
        want = oracle.ledger(lives, FigureScope(), today, today, now).beyond_deadline
        assert value(overdue, "sampark_complaints_beyond_deadline") == want == 1
        shown = {name for name, _ in overdue if name.startswith("sampark_")}
        assert all(documented(name) for name in shown), "every figure is in docs/operations.md"

        def beats() -> Any:
            status = client.get("/v1/pipeline/status", headers=tokens.headers(ANALYST)).json()
            kinds = {w["worker"] for w in status["workers"]}
            return {"relay", "projector"} <= kinds and status["workers"]

        workers = eventually(beats)
        assert all(w["process"] == heartbeats.process for w in workers)
        assert all(w["failures"] == 0 for w in workers)
    finally:
        heartbeats.stop()
        beating.join(timeout=10)
        pipeline.stop()


def test_only_the_holder_of_the_metrics_token_scrapes(
    client: Client, services: Services, settings: Settings
) -> None:
    services.settings = msgspec.structs.replace(settings, metrics_token="scrape-" + "x" * 32)
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer scrape-wrong"})
    assert wrong.status_code == 401
    assert wrong.headers["content-type"] == "application/problem+json"
    assert scrape(client, Authorization="Bearer scrape-" + "x" * 32)

    services.settings = msgspec.structs.replace(settings, environment="production")
    assert client.get("/metrics").status_code == 404, "production without a token: not served"


def test_every_request_is_counted_and_timed_by_its_route_and_status(
    client: Client, tokens: Tokens
) -> None:
    filed = filed_by_a_citizen(client, tokens)
    one = {"method": "GET", "path": "/v1/complaints/{ref}/timeline", "app_name": "sampark"}
    before = scrape(client)

    for ref in (filed["id"], filed["registration_no"], "JAI-2026-9999999"):
        client.get(f"/v1/complaints/{ref}/timeline", headers=tokens.headers(OPERATOR))
    after = scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("sampark_http_requests_total", **one, status_code="200") == 2
    assert grew("sampark_http_requests_total", **one, status_code="404") == 1
    assert grew("sampark_http_request_duration_seconds_count", **one, status_code="200") == 2
    assert grew("sampark_http_request_duration_seconds_sum", **one, status_code="200") > 0
    assert grew("sampark_http_requests_error_total", **one, status_code="404") == 0
    assert value(after, "sampark_http_requests_in_progress", **one, status_code="200") == 0
    assert not any("/metrics" in str(key) for key in after), "the scrape is not counted"
    assert not any(filed["registration_no"] in str(key) for key in after), "no raw paths"
