"""What the API tells its operators about each request: an id (taken from `X-Request-Id` when
the caller, or our proxy, sent a sound one; made otherwise) on every log line of the request
and on the response, the complaint it is about on every line, and its figures for
Prometheus: each request counted and timed by route template and status (the names and labels
Litestar's Prometheus plugin gave them, counted here at a fraction of its cost per request),
and each command's outcome (`infra/metrics.py`)."""

from __future__ import annotations

import re
import time
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid4

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from domain.complaint import complaint_id
from infra.logs import COMPLAINT_ID, REQUEST_ID
from infra.metrics import (
    COMMANDS,
    HTTP_ERRORS,
    HTTP_IN_PROGRESS,
    HTTP_REQUESTS,
    HTTP_SECONDS,
    command_outcome,
)

HEADER = "X-Request-Id"
_HEADER = HEADER.lower().encode()  # as an ASGI message names it
SOUND_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
FILED = re.compile(r"/v1/complaints/([0-9a-f-]{36})")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

APP_NAME = "sampark"
UNCOUNTED = frozenset({"/metrics"})  # the scrape itself


@lru_cache(maxsize=1024)
def _in_progress(method: str, path: str) -> Any:
    return HTTP_IN_PROGRESS.labels(method, path, 200, APP_NAME)


@lru_cache(maxsize=4096)
def _answered(method: str, path: str, status: int) -> tuple[Any, Any, Any]:
    """The figures one answer counts in: its request, its duration and (a 5xx) its error.
    Looked up once per method, route and status, not per request."""
    labels = (method, path, status, APP_NAME)
    return (
        HTTP_REQUESTS.labels(*labels),
        HTTP_SECONDS.labels(*labels),
        HTTP_ERRORS.labels(*labels) if status >= 500 else None,
    )


def request_id(scope: Scope) -> str:
    """The caller's id when it is sound (our proxy's, say), else a fresh one."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            given = value.decode("latin-1")
            if SOUND_ID.fullmatch(given):
                return given
    return uuid4().hex


def about_complaint(scope: Scope) -> str | None:
    """The complaint a request names in its path (`{ref}`: an id or a registration number)."""
    ref = scope.get("path_params", {}).get("ref")
    if not isinstance(ref, str) or not 1 <= len(ref) <= 64:
        return None
    try:
        return str(UUID(ref))
    except ValueError:
        return str(complaint_id(ref))


class Observed(ASGIMiddleware):
    """Sets the request's id and complaint for its log lines, answers with the id, counts
    each request by route and status (with its duration, and its error for a 5xx) and each
    command (any method but GET, HEAD and OPTIONS) by its handler's name and outcome."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        rid = request_id(scope)
        request_token = REQUEST_ID.set(rid)
        complaint_token = COMPLAINT_ID.set(about_complaint(scope))
        handler = scope.get("route_handler")
        command = None
        if scope.get("method") not in SAFE_METHODS and handler is not None:
            command = handler.handler_name

        method = scope.get("method", "")
        path = scope.get("path_template")
        counted = path is not None and path not in UNCOUNTED
        answered = [500]  # the status sent (none sent: the server failed)
        if counted:
            _in_progress(method, path).inc()
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                answered[0] = message["status"]
                headers = [
                    (name, value)
                    for name, value in message.get("headers", ())
                    if name.lower() != _HEADER
                ]
                headers.append((_HEADER, rid.encode()))
                message["headers"] = headers
                location = next((v for n, v in headers if n.lower() == b"location"), b"")
                made = FILED.fullmatch(location.decode("latin-1"))
                if made:  # a filing: the rest of its lines (the access line) are about it
                    COMPLAINT_ID.set(made.group(1))
                if command is not None:
                    COMMANDS.labels(command, command_outcome(message["status"])).inc()
            await send(message)

        try:
            await next_app(scope, receive, sending)
        finally:
            if counted:
                _in_progress(method, path).dec()
                requests, seconds, errors = _answered(method, path, answered[0])
                requests.inc()
                seconds.observe(time.perf_counter() - started)
                if errors is not None:
                    errors.inc()
            COMPLAINT_ID.reset(complaint_token)
            REQUEST_ID.reset(request_token)
