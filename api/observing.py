"""What the API tells its operators about each request: an id (taken from `X-Request-Id` when
the caller, or our proxy, sent a sound one; made otherwise) on every log line of the request
and on the response, the complaint it is about on every line, and its figures for
Prometheus: Litestar's request counts and latency by route template and status, and each
command's outcome (`infra/metrics.py`)."""

from __future__ import annotations

import re
from uuid import UUID, uuid4

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.plugins.prometheus import PrometheusConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from domain.complaint import complaint_id
from infra.logs import COMPLAINT_ID, REQUEST_ID
from infra.metrics import COMMANDS, command_outcome

HEADER = "X-Request-Id"
SOUND_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
FILED = re.compile(r"/v1/complaints/([0-9a-f-]{36})")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Request counts and latency: labelled by the route's template (`/v1/complaints/{ref:str}`),
# never the raw path (which holds registration numbers, and grows without end).
HTTP_FIGURES = PrometheusConfig(
    app_name="sampark",
    prefix="sampark_http",
    group_path=True,
    exclude_unhandled_paths=True,
    exclude=["^/metrics$"],
    buckets=[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
    """Sets the request's id and complaint for its log lines, answers with the id, and counts
    each command (any method but GET, HEAD and OPTIONS) by its handler's name and outcome."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        rid = request_id(scope)
        request_token = REQUEST_ID.set(rid)
        complaint_token = COMPLAINT_ID.set(about_complaint(scope))
        handler = scope.get("route_handler")
        command = None
        if scope.get("method") not in SAFE_METHODS and handler is not None:
            command = handler.handler_name

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                headers[HEADER] = rid
                made = FILED.fullmatch(headers.get("location") or "")
                if made:  # a filing: the rest of its lines (the access line) are about it
                    COMPLAINT_ID.set(made.group(1))
                if command is not None:
                    COMMANDS.labels(command, command_outcome(message["status"])).inc()
            await send(message)

        try:
            await next_app(scope, receive, sending)
        finally:
            COMPLAINT_ID.reset(complaint_token)
            REQUEST_ID.reset(request_token)
