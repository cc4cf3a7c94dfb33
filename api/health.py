"""What operators and their machines ask of the API: liveness, readiness, and the figures for
Prometheus (`docs/operations.md`).

- `/health` and `/health/live`: the process answers.
- `/health/ready`: PostgreSQL answers, the broker where this process needs it, and every
  worker of this process went round its loop lately (`projections/health.py`); 503 problem
  otherwise, naming what failed.
- `/metrics`: the Prometheus text format (`prometheus-client`): this process's own figures
  and the pipeline's, read from the database when scraped (`projections/metrics.py`). With
  `SAMPARK_METRICS_TOKEN` set it asks for that token as a bearer; without one it is open in
  development and not served (404) in production. Not in the OpenAPI schema: its reader is
  Prometheus, and its format is Prometheus's.
"""

from __future__ import annotations

import hmac
from typing import Any

from litestar import MediaType, Request, Response, get
from litestar.di import NamedDependency
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.problems import problem_response
from api.services import Services
from projections.health import answer
from projections.metrics import scraped

Injected = NamedDependency[Services]


@get("/health", summary="Liveness", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/health/live", summary="Liveness: the process answers", sync_to_thread=False)
def live() -> dict[str, str]:
    return {"status": "ok"}


@get(
    "/health/ready",
    summary="Readiness: PostgreSQL, the broker where needed, and the workers' heartbeats",
    sync_to_thread=True,
)
def ready(services: Injected) -> Response[dict[str, Any]]:
    def database() -> None:
        with services.pool.connection(timeout=2) as conn:
            conn.execute("SELECT 1")

    is_ready, body = answer(services.readiness.checks(database))
    if is_ready:
        return Response(body)
    failing = ", ".join(f"{name}: {why}" for name, why in body["checks"].items() if why != "ok")
    return problem_response(503, f"not ready ({failing})", checks=body["checks"])


@get("/metrics", include_in_schema=False, sync_to_thread=True)
def metrics(request: Request[Any, Any, Any], services: Injected) -> Response[Any]:
    settings = services.settings
    token = settings.metrics_token
    if token is None and settings.environment == "production":
        return problem_response(404, "metrics are served with SAMPARK_METRICS_TOKEN set")
    if token is not None:
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return problem_response(401, "the metrics token is missing or wrong")
    body = generate_latest(scraped(services.pool, settings, services.app.clock()))
    return Response(body, media_type=MediaType.TEXT, headers={"Content-Type": CONTENT_TYPE_LATEST})
