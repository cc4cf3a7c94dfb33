"""The door's own limits, checked before any handler parses a thing.

- Every query parameter, on every route, is text on one line: no control characters, at most
  2,000 characters, valid UTF-8; it reaches the handler in NFC. A handler then applies the
  parameter's own rule (a code, a day). A path with a control character is refused too.
- A body other than a multipart upload (JSON, a form, the webhook's raw JSON) is at most
  `MAX_BODY_BYTES`, counted as it arrives, whatever `Content-Length` says.
- A body that may be JSON nests at most `MAX_JSON_DEPTH` levels, measured on the bytes
  before a parser recurses into them (a route marked `OWN_JSON_CHECK` measures it itself).

Each refusal is problem+json: 400 naming the parameter, 413 for size.
"""

from __future__ import annotations

from urllib.parse import quote, unquote_to_bytes, urlencode

from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPRequestEvent, Receive, ReceiveMessage, Scope, Send

from api.problems import Problem
from domain import inputs
from domain.errors import InvalidCommand
from infra.security.json_depth import MAX_JSON_DEPTH, too_deep

MAX_BODY_BYTES = 1_000_000
# A route whose handler reads a signed body itself (the WhatsApp webhook) measures its depth
# after checking the signature, and answers the sender as the sender's protocol expects.
OWN_JSON_CHECK = "checks_its_own_json"
PATH = inputs.Text("path", 2_000)
WITHOUT_BODY = frozenset({"GET", "HEAD", "OPTIONS"})
NOT_JSON = ("multipart/form-data", "application/x-www-form-urlencoded")


def _decoded(part: bytes, field: str | None) -> str:
    try:
        return unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "the query is not valid UTF-8", field=field) from None


def checked_query(raw: bytes) -> bytes | None:
    """The query's parameters through the rule for a query parameter; the query to pass on
    when normalising changed it (None when it stands as sent)."""
    pairs: list[tuple[str, str]] = []
    changed = False
    for part in raw.split(b"&"):
        if not part:
            continue
        raw_name, _, raw_value = part.partition(b"=")
        name = _decoded(raw_name, None)
        value = _decoded(raw_value, name)
        try:
            clean_name = inputs.PARAMETER.clean(name, "a parameter's name") if name else name
        except InvalidCommand as refused:
            shown = name.encode("unicode_escape").decode("ascii")
            raise Problem(400, refused.reason, field=shown) from None
        try:
            clean = inputs.PARAMETER.clean(value, clean_name) if value else value
        except InvalidCommand as refused:
            raise Problem(400, refused.reason, field=clean_name) from None
        changed = changed or clean != value or clean_name != name
        pairs.append((clean_name, clean))
    return urlencode(pairs, quote_via=quote).encode("ascii") if changed else None


def check_path(path: str) -> None:
    try:
        PATH.clean(path, "path")
    except InvalidCommand as refused:
        raise Problem(400, refused.reason, field="path") from None


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


async def read_body(receive: Receive, declared: str) -> bytes:
    """The whole body, refused (413) once it passes the limit."""
    too_large = Problem(413, f"a request body may be at most {MAX_BODY_BYTES} bytes")
    if declared.strip().isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away: the handler sees an empty body and the disconnect
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the buffered body on once, then defers to the client's."""
    sent = False

    async def again() -> ReceiveMessage:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        event: HTTPRequestEvent = {"type": "http.request", "body": body, "more_body": False}
        return event

    return again


def input_limits(app: ASGIApp) -> ASGIApp:
    """Litestar middleware: the limits above, before the handler runs."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        check_path(scope.get("path", ""))
        query = checked_query(scope.get("query_string", b""))
        if query is not None:
            scope["query_string"] = query  # what Litestar reads the parameters from
        content_type = _header(scope, b"content-type").lower()
        if scope.get("method", "GET") not in WITHOUT_BODY and not content_type.startswith(
            "multipart/form-data"  # uploads: their route sets its own, larger limit
        ):
            body = await read_body(receive, _header(scope, b"content-length"))
            handler = scope.get("route_handler")
            own_check = handler is not None and handler.opt.get(OWN_JSON_CHECK, False)
            if (
                not own_check
                and not content_type.startswith(NOT_JSON)
                and too_deep(body, MAX_JSON_DEPTH)
            ):
                raise Problem(
                    400, f"JSON may nest at most {MAX_JSON_DEPTH} levels deep", field="body"
                )
            receive = replaying(body, receive)
        await app(scope, receive, send)

    return middleware
