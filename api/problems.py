"""RFC 9457 problem+json for every error: bad input names its field, never a 500."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from litestar import Litestar, MediaType, Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException, ValidationException
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope
from psycopg_pool import PoolTimeout

from domain.errors import (
    DomainError,
    Forbidden,
    IllegalMove,
    InvalidCommand,
    NotFound,
    StaleDecision,
)
from domain.errors import VersionConflict as DomainVersionConflict

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"

TITLES = {
    429: "Too many requests",
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    500: "Internal server error",
    503: "Service unavailable",
}


class Problem(HTTPException):
    """An error answered as problem+json, optionally naming the offending field."""

    def __init__(self, status: int, detail: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(status_code=status, detail=detail)
        self.field = field
        self.extra_members = extra


def problem_response(
    status: int, detail: str, *, field: str | None = None, **extra: Any
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if field is not None:
        body["field"] = field
    body.update({k: v for k, v in extra.items() if v is not None})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if extra.get("retry_after_seconds") is not None:
        headers = {"Retry-After": str(extra["retry_after_seconds"])}
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_MSGSPEC_PATH = re.compile(r"at `\$(?P<path>[^`]*)`")
_MSGSPEC_FIELD = re.compile(r"(?:missing required|unknown|invalid) field `(?P<name>[^`]+)`")


def field_from_message(message: str) -> str | None:
    """msgspec says where it failed (`at `$.complainant``) and sometimes which field is
    missing or unknown; together they name the field, as `complainant.mobile`."""
    path = _MSGSPEC_PATH.search(message)
    name = _MSGSPEC_FIELD.search(message)
    parts = [path.group("path").lstrip(".") if path else "", name.group("name") if name else ""]
    return ".".join(p for p in parts if p) or None


def on_validation(_: Request[Any, Any, Any], error: ValidationException) -> Response[Any]:
    errors: list[dict[str, Any]] = []
    for item in error.extra if isinstance(error.extra, list) else []:
        if isinstance(item, dict):
            message = str(item.get("message", ""))
            key = item.get("key")
            if item.get("source") == "body" or key == "data":
                # Litestar puts the path in `key` ("data" at the top) and msgspec may add
                # the name of a missing or unknown field to the message.
                path = "" if key in (None, "data") else str(key)
                field = ".".join(p for p in (path, field_from_message(message)) if p) or None
            else:
                field = key or field_from_message(message)
            errors.append({"field": field, "message": message})
    if not errors:
        errors.append({"field": field_from_message(str(error.detail)), "message": error.detail})
    first = errors[0]
    detail = f"{first['field']}: {first['message']}" if first["field"] else str(first["message"])
    return problem_response(400, detail, field=first["field"], errors=errors)


def on_http(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    if isinstance(error, Problem):
        return problem_response(
            error.status_code, error.detail, field=error.field, **error.extra_members
        )
    status = error.status_code
    detail = error.detail or TITLES.get(status, "Error")
    if status == 401:
        detail = "a valid bearer token is required"
    if status == 405:
        methods = allowed_methods(request.app, request.url.path) or []
        detail = f"{request.method} is not answered here; Allow: {', '.join(methods)}"
    return problem_response(status, detail)


def on_domain(_: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    if isinstance(error, DomainVersionConflict):
        return problem_response(409, error.reason, current_version=error.current_version)
    status = {
        InvalidCommand: 422,
        IllegalMove: 409,
        Forbidden: 403,
        NotFound: 404,
        StaleDecision: 503,
    }.get(type(error), 422)
    return problem_response(status, error.reason, field=error.field)


def allowed_methods(app: Litestar, path: str) -> list[str] | None:
    """The methods `path` answers (a static segment beats a parameter, as in routing), or
    None when no route has that path."""
    routes = app.state.get(_ROUTE_METHODS)
    if routes is None:
        routes = app.state[_ROUTE_METHODS] = _route_methods(app)
    path = path.rstrip("/") or "/"
    matches = [(static, methods) for regex, static, methods in routes if regex.fullmatch(path)]
    if not matches:
        return None
    best = max(static for static, _ in matches)
    found = set().union(*(methods for static, methods in matches if static == best))
    return sorted(found | {"OPTIONS"})


_ROUTE_METHODS = "sampark.route_methods"


def _route_methods(app: Litestar) -> list[tuple[re.Pattern[str], int, frozenset[str]]]:
    """Each path's methods, from every route registered for it (Litestar builds OPTIONS'
    `Allow` from the first registration of a path only)."""
    by_path: dict[str, tuple[re.Pattern[str], int, set[str]]] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        parts, static = [], 0
        for component in route.path_components:
            if isinstance(component, str):
                parts.append(re.escape(component))
                static += 1
            else:
                parts.append(".*" if component.type is Path else "[^/]+")
        regex = re.compile(("/" + "/".join(p for p in parts if p)).replace("//", "/"))
        entry = by_path.setdefault(route.path_format, (regex, static, set()))
        entry[2].update(m for m in route.methods if m != "OPTIONS")
    return [(regex, static, frozenset(methods)) for regex, static, methods in by_path.values()]


async def allow_header(message: Message, scope: Scope) -> None:
    """`Allow` on every 405 and on every answer to OPTIONS, listing all the path's methods."""
    if message["type"] != "http.response.start" or scope["type"] != ScopeType.HTTP:
        return
    status = message["status"]
    if status != 405 and not (scope.get("method") == "OPTIONS" and status < 400):
        return
    methods = allowed_methods(scope["app"], scope["path"])
    if methods is not None:
        MutableScopeHeaders.from_message(message)["Allow"] = ", ".join(methods)


def on_store_unreachable(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """The connection to PostgreSQL failed: whether a write landed is unknown here, so the
    client retries with the same Idempotency-Key, which makes the retry safe."""
    log.warning("event store unreachable: %s", error)
    return problem_response(
        503, "the event store could not be reached; retry with the same Idempotency-Key"
    )


def on_unexpected(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    log.exception("unexpected error", exc_info=error)
    return problem_response(500, "an unexpected error occurred; it has been logged")


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    ValidationException: on_validation,
    HTTPException: on_http,
    DomainError: on_domain,
    OperationalError: on_store_unreachable,
    InterfaceError: on_store_unreachable,
    psycopg.OperationalError: on_store_unreachable,  # our own tables (receipts, limits, ...)
    psycopg.InterfaceError: on_store_unreachable,
    PoolTimeout: on_store_unreachable,
    Exception: on_unexpected,
}

__all__ = [
    "EXCEPTION_HANDLERS",
    "MediaType",
    "Problem",
    "allow_header",
    "allowed_methods",
    "problem_response",
]
