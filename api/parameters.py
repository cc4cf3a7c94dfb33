"""Query parameters are parsed as the schema documents them, or refused with a 400 naming them.

Litestar converts a query string leniently (msgspec's lax mode): `filed_to=0.5` becomes the
first half-second of 1970, `limit=1e1` ten, `overdue=0` false, and a date-time without its
offset a naive time. The schema promises an RFC 3339 date-time, a date, a whole number,
`true` or `false`: this middleware holds every handler's query parameters of those types to
that text before the handler's own parsing, from the handler's signature, so a new
parameter is covered the day it is declared.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl

from litestar.enums import ScopeType
from litestar.handlers import HTTPRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.typing import FieldDefinition

from api.problems import Problem

# The text each type must be: (pattern, what to say when it is not).
TEXT: dict[type, tuple[re.Pattern[str], str]] = {
    datetime: (
        re.compile(
            r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})"
        ),
        "a date and time with its offset (RFC 3339), as 2026-11-22T10:00:00Z",
    ),
    date: (re.compile(r"\d{4}-\d{2}-\d{2}"), "a date, as 2026-11-22"),
    bool: (re.compile(r"true|false"), "true or false"),
    int: (re.compile(r"-?\d+"), "a whole number"),
}
Rules = dict[str, tuple[re.Pattern[str], str]]
_RULES = "sampark.query_rules"


def _documented_type(field: FieldDefinition) -> type | None:
    candidates = [t for t in field.inner_types if not t.is_none_type] if field.is_optional else []
    annotation = candidates[0].annotation if len(candidates) == 1 else field.annotation
    # bool before int, datetime before date: each is a subclass of the other.
    for kind in (bool, int, datetime, date):
        if isinstance(annotation, type) and issubclass(annotation, kind):
            return kind
    return None


def _rules_of(routes: list[Any]) -> dict[int, Rules]:
    """For each handler (by id), its query parameters' names and the text each must be."""
    found: dict[int, Rules] = {}
    for route in routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler, kwargs in route.route_handler_map.values():
            signature = handler.parsed_fn_signature.parameters
            rules: Rules = {}
            for param in kwargs.expected_query_params:
                kind = _documented_type(signature[param.field_name])
                if kind is not None:
                    rules[param.field_alias] = TEXT[kind]
            found[id(handler)] = rules
    return found


def check_query(rules: Rules, query_string: bytes) -> None:
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        rule = rules.get(name)
        if rule is not None and not rule[0].fullmatch(value):
            raise Problem(400, f"{name}: expected {rule[1]}", field=name)


class DocumentedQuery(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        app = scope["app"]
        rules_by_handler = app.state.get(_RULES)
        if rules_by_handler is None:
            rules_by_handler = app.state[_RULES] = _rules_of(app.routes)
        handler = scope.get("route_handler")
        rules = rules_by_handler.get(id(handler)) if isinstance(handler, HTTPRouteHandler) else None
        if rules and scope.get("query_string"):
            check_query(rules, scope["query_string"])
        await next_app(scope, receive, send)
