"""What a worker process (relay, projector, notifier, scheduler) shows its operators: its
workers' heartbeats written to the database, and, on `SAMPARK_METRICS_PORT`, `/metrics` (its
own figures, `infra/metrics.py`, by `prometheus-client`), `/health/live` and `/health/ready`
(the same checks as the API's: `projections/health.py`)."""

from __future__ import annotations

import hmac
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import psycopg
from prometheus_client import make_wsgi_app

from infra.run.lifecycle import running
from infra.settings import Settings
from projections.health import PROBE_TIMEOUT, Heartbeats, Readiness, answer
from projections.worker import Worker

log = logging.getLogger(__name__)
StartResponse = Callable[..., Any]


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None  # a scrape every few seconds is not news


def probe_app(settings: Settings, url: str, readiness: Readiness) -> Callable[..., Iterable[bytes]]:
    """The WSGI application of the probe port."""
    figures = make_wsgi_app()

    def database() -> None:
        with psycopg.connect(url, connect_timeout=int(PROBE_TIMEOUT)) as conn:
            conn.execute("SELECT 1")

    def json_answer(start: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
        start(status, [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    def app(environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            token = settings.metrics_token
            given = environ.get("HTTP_AUTHORIZATION", "")
            if token is not None and not hmac.compare_digest(
                given.encode(), f"Bearer {token}".encode()
            ):
                return json_answer(start, "401 Unauthorized", {"status": 401})
            result: Iterable[bytes] = figures(environ, start)
            return result
        if path in ("/health", "/health/live"):
            return json_answer(start, "200 OK", {"status": "ok"})
        if path == "/health/ready":
            ready, body = answer(readiness.checks(database))
            return json_answer(start, "200 OK" if ready else "503 Service Unavailable", body)
        return json_answer(start, "404 Not Found", {"status": 404})

    return app


@contextmanager
def observed(
    settings: Settings, url: str, workers: Sequence[Worker], *, needs_broker: bool
) -> Iterator[Readiness]:
    """For the length of the block: the workers' heartbeats written, and the probe port
    served when `SAMPARK_METRICS_PORT` is set."""
    readiness = Readiness(
        bootstrap=settings.kafka_bootstrap if needs_broker else None, workers=workers
    )
    server: WSGIServer | None = None
    if settings.metrics_port is not None:
        server = make_server(
            settings.host,
            settings.metrics_port,
            probe_app(settings, url, readiness),
            handler_class=_Quiet,
        )
        threading.Thread(target=server.serve_forever, name="probe", daemon=True).start()
        log.info(
            "metrics and health on http://%s:%d (/metrics, /health/ready)",
            settings.host,
            settings.metrics_port,
        )
    try:
        with running([Heartbeats(url, workers)], daemon=True):
            yield readiness
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
