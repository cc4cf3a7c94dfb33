"""Query parameters are parsed as the schema documents them, or refused with a 400 naming them.

Litestar converts a query string leniently (msgspec's lax mode) and does not apply the
constraints of a type inside `Optional[...]`: `filed_to=0.5` became the first half-second of
1970, `limit=1e1` ten, `overdue=0` false, a date-time without its offset a naive time, and a
code with a NUL or a space went through. The schema (`api/openapi.py`) documents each query
parameter from its declared type with msgspec; this middleware holds every value to the same
type before the handler runs: no control character, its text (an RFC 3339 date-time, a date,
a whole number within 64 bits, `true` or `false`), then every constraint of the type (a
code's pattern and length, an enum's values). A parameter is covered the day it is declared.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar._kwargs import KwargsModel
from litestar.enums import ScopeType
from litestar.handlers import HTTPRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.typing import FieldDefinition

from api.problems import Problem
from domain import inputs

INT64 = (-(2**63), 2**63 - 1)  # msgspec's integers; the schema bounds them so

# The text a value of each type must be: (pattern, what to say when it is not).
TEXT: dict[type, tuple[re.Pattern[str], str]] = {
    datetime: (
        re.compile(
            r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})"
        ),
        "a date and time with its offset (RFC 3339), as 2026-11-22T10:00:00Z",
    ),
    date: (re.compile(r"\d{4}-\d{2}-\d{2}"), "a date, as 2026-11-22"),
    bool: (re.compile(r"true|false"), "true or false"),
    int: (re.compile(r"-?\d{1,19}"), "a whole number"),
}


# No query parameter carries a control character (a NUL would reach PostgreSQL as a 500).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
PRINTABLE = inputs.PARAMETER.pattern  # what `api/limits.py` lets through, as the schema says


class Rule(msgspec.Struct, frozen=True):
    type: Any  # the declared type, None taken out
    text: tuple[re.Pattern[str], str] | None


Rules = dict[str, Rule]
_RULES = "sampark.query_rules"


def _declared(field: FieldDefinition) -> FieldDefinition:
    inner = [t for t in field.inner_types if not t.is_none_type] if field.is_optional else []
    return inner[0] if len(inner) == 1 else field


def _text_of(field: FieldDefinition) -> tuple[re.Pattern[str], str] | None:
    # bool before int, datetime before date: each is a subclass of the other.
    for kind in (bool, int, datetime, date):
        if isinstance(field.annotation, type) and issubclass(field.annotation, kind):
            return TEXT[kind]
    return None


def declared_query(handler: HTTPRouteHandler, kwargs: KwargsModel) -> dict[str, FieldDefinition]:
    """A handler's query parameters by name, each with its declared type (None taken out):
    what they are parsed into here and documented as in the schema."""
    signature = handler.parsed_fn_signature.parameters
    return {
        param.field_alias: _declared(signature[param.field_name])
        for param in kwargs.expected_query_params
    }


def rules_of(routes: list[Any]) -> dict[int, Rules]:
    """For each handler (by id), its query parameters: the type and the text each must be."""
    found: dict[int, Rules] = {}
    for route in routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler, kwargs in route.route_handler_map.values():
            found[id(handler)] = {
                name: Rule(type=declared.raw, text=_text_of(declared))
                for name, declared in declared_query(handler, kwargs).items()
            }
    return found


def check_query(rules: Rules, query_string: bytes) -> None:
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        rule = rules.get(name)
        if rule is None:
            continue
        if CONTROL.search(value):
            raise Problem(400, f"{name}: control characters are not allowed", field=name)
        if rule.text is not None and not rule.text[0].fullmatch(value):
            raise Problem(400, f"{name}: expected {rule.text[1]}", field=name)
        try:
            parsed = msgspec.convert(value, rule.type, strict=False)
        except msgspec.ValidationError as error:
            raise Problem(400, f"{name}: {error}", field=name) from None
        if isinstance(parsed, int) and not INT64[0] <= parsed <= INT64[1]:
            raise Problem(400, f"{name}: a whole number of at most 64 bits", field=name)


class DocumentedQuery(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        app = scope["app"]
        rules_by_handler = app.state.get(_RULES)
        if rules_by_handler is None:
            rules_by_handler = app.state[_RULES] = rules_of(app.routes)
        handler = scope.get("route_handler")
        rules = rules_by_handler.get(id(handler)) if isinstance(handler, HTTPRouteHandler) else None
        if rules and scope.get("query_string"):
            check_query(rules, scope["query_string"])
        await next_app(scope, receive, send)
