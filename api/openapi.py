"""The schema tells the truth: every operation documents each status it can answer.

Litestar documents what a handler returns and, for bad input, a 400 in a shape of its own.
Our errors are RFC 9457 `application/problem+json` (`api/problems.py`), and which of them an
operation can answer follows from its kind: one that needs a bearer token can answer 401
and 403, one that names a resource in its path 404, a command 409 and 422, and so on. The
table `ANSWERS` says so once; `amend` applies it to the generated schema as it is first
served (the render plugins of `render_plugins` call it), together with what the generated
schema cannot know: which operations are public (the bearer token's exclusions), and the
media types of the report page, the evidence and the webhook's handshake (`OPERATIONS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from typing import Any

import msgspec
from litestar import Litestar, Request, Response
from litestar.openapi.plugins import (
    JsonRenderPlugin,
    OpenAPIRenderPlugin,
    ScalarRenderPlugin,
    SwaggerRenderPlugin,
)
from litestar.router import Router
from litestar.routes import HTTPRoute

from api.attachments import OPENS_IN_BROWSER
from api.exports import MEDIA_TYPES as EXPORT_MEDIA_TYPES
from api.exports import Format
from api.parameters import INT64, PRINTABLE, declared_query
from api.problems import PROBLEM_JSON
from infra.adapters.blobs import OCTET_STREAM

Schema = dict[str, Any]
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

# What each kind of operation can answer, beyond its success.
ANSWERS: dict[str, dict[int, str]] = {
    "input": {400: "Malformed input (a parameter, a header or the body); `field` names it"},
    "authenticated": {
        401: "No valid bearer token",
        403: "The caller's role or scope does not allow this",
    },
    "named": {404: "No such resource, or not one the caller may see"},
    "body": {413: "The body is too large"},
    "command": {
        409: "A stale `expected_version` (with `current_version`), an illegal move, another "
        "change to the complaint saved at the same moment (reload and retry), or the same "
        "Idempotency-Key still being answered",
        422: "The command breaks a rule (`field` names it), or an Idempotency-Key reused for "
        "another request",
    },
    "filing": {429: "Too many filings from this mobile number or address (see Retry-After)"},
    "upload": {415: "A media type not accepted, or content that is not what it claims to be"},
    "signed": {
        401: "The request is not signed (X-Hub-Signature-256)",
        403: "The signature does not match",
    },
    "handshake": {403: "The verification token does not match"},
    "report link": {403: "The report link is not valid, or has expired"},
    "open311 key": {403: "No valid `api_key` (filing and reading requests need one)"},
    "readiness": {
        503: "Not ready: PostgreSQL, the broker or a worker of this process does not answer "
        "(`checks` names each and what failed)"
    },
    "status": {429: "Too many status checks from this address or of this number (Retry-After)"},
    "stored": {
        503: "The event store or the read model cannot answer now; retry (a command with "
        "the same Idempotency-Key)"
    },
}

HEADERS: dict[int, dict[str, Schema]] = {
    401: {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}},
    429: {
        "Retry-After": {
            "description": "Seconds until a filing or a status check is accepted again",
            "schema": {"type": "integer"},
        }
    },
}

HTML = {"text/html": {"schema": {"type": "string"}}}
# What evidence is served as: a type a browser only shows, or an opaque download.
EVIDENCE_TYPES = (*sorted(OPENS_IN_BROWSER), OCTET_STREAM)
EVIDENCE = {media_type: {"schema": {"type": "string"}} for media_type in EVIDENCE_TYPES}
LOCATION = {
    "Location": {
        "description": "The complaint just filed: /v1/complaints/{id}",
        "schema": {"type": "string"},
        "required": True,
    }
}

LANGUAGE = {"type": "string", "enum": ["hi", "en"]}
UPLOAD = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary", "minLength": 1}},
                "required": ["file"],
            },
            # The bytes must be a file of that type: its signature is checked (else 415).
            "encoding": {"file": {"contentType": ", ".join(EVIDENCE_TYPES[:-1])}},
        }
    },
}

# Lists and figures also answer as files (`format=csv|xlsx`, `api/exports.py`), beside JSON.
FILES = {
    media_type: {"schema": {"type": "string", "format": "binary"}}
    for media_type in EXPORT_MEDIA_TYPES.values()
}
ATTACHMENT = {
    "Content-Disposition": {
        "description": 'With format=csv or xlsx: attachment; filename="<name>.<format>"',
        "schema": {"type": "string"},
    }
}
BINARY = {"schema": {"type": "string", "format": "binary"}}
DOCUMENT_HEADERS = {
    "Content-Disposition": {"description": 'inline; filename="..."', "schema": {"type": "string"}},
    "Sampark-Data-Version": {
        "description": "The read models' state it was made from: events applied, the last's time",
        "schema": {"type": "string"},
    },
}
EXPORTED = {"also": {200: FILES}, "headers": {200: ATTACHMENT}}
EXPORTS = (
    "/v1/complaints",
    "/v1/dashboards/districts",
    "/v1/dashboards/departments",
    "/v1/dashboards/posts",
    "/v1/dashboards/daily",
    "/v1/reports/index",
    "/v1/reports/training",
)

# What the generated schema cannot know about an operation: more kinds, and for some
# statuses the media types answered (a report page is HTML, evidence is what was uploaded).
OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/v1/complaints"): {"kinds": {"filing"}, "headers": {201: LOCATION}},
    ("post", "/v1/attachments"): {"kinds": {"upload"}, "requestBody": UPLOAD},
    ("get", "/v1/attachments/{sha256}"): {"content": {200: EVIDENCE}},
    ("get", "/atr/{token}"): {
        "kinds": {"report link"},
        "parameters": {"lang": LANGUAGE, "format": {"enum": ["html", "pdf"]}},
        "content": {
            200: {**HTML, "application/pdf": {"schema": {"type": "string"}}},
        },
    },
    # The citizen's form answers with the page again: thanked, or told why not (409).
    ("post", "/atr/{token}/feedback"): {
        "kinds": {"report link"},
        "parameters": {"lang": LANGUAGE},
        "content": {200: HTML, 409: HTML},
        "descriptions": {409: "The page again, saying why the feedback was not taken"},
    },
    # Likewise the withdrawal: the page again, withdrawn, or saying why not (409).
    ("post", "/atr/{token}/withdraw"): {
        "kinds": {"report link"},
        "parameters": {"lang": LANGUAGE},
        "content": {200: HTML, 409: HTML},
        "descriptions": {409: "The page again, saying why the complaint was not withdrawn"},
    },
    # The citizen's appeal under the Public Services Guarantee Act, from the report page.
    ("post", "/atr/{token}/appeal"): {
        "kinds": {"report link"},
        "parameters": {"lang": LANGUAGE},
        "content": {200: HTML, 409: HTML},
        "descriptions": {409: "The page again, saying why the appeal was not taken"},
    },
    # The answer to an officer's question (docs/hearings.md), the same way.
    ("post", "/atr/{token}/answer"): {
        "kinds": {"report link"},
        "parameters": {"lang": LANGUAGE},
        "content": {200: HTML, 409: HTML},
        "descriptions": {409: "The page again, saying why the answer was not taken"},
    },
    ("get", "/atr/{token}/evidence/{sha256}"): {
        "kinds": {"report link"},
        "content": {200: EVIDENCE},
    },
    ("get", "/v1/complaints/{ref}/receipt"): {"content": {200: {"application/pdf": BINARY}}},
    # The public status page: the check's form, or the status (by key); the same 404 page
    # for a number never issued, a wrong check and a key not valid.
    ("get", "/status/{registration_no}"): {
        "kinds": {"status"},
        "parameters": {"lang": LANGUAGE},
        "content": {200: HTML, 404: HTML, 429: HTML},
        "descriptions": {404: "No complaint matches (the same page whatever the reason)"},
    },
    ("post", "/status/{registration_no}"): {
        "kinds": {"status"},
        "parameters": {"lang": LANGUAGE},
        "content": {200: HTML, 404: HTML, 429: HTML},
        "descriptions": {404: "No complaint matches (the same page whatever the reason)"},
    },
    ("get", "/fonts/{name}"): {"content": {200: {"font/ttf": BINARY}}},
    ("get", "/documents/{token}"): {
        "kinds": {"report link"},
        "content": {
            200: {
                "application/pdf": BINARY,
                EXPORT_MEDIA_TYPES[Format.XLSX]: BINARY,
                "image/png": BINARY,
            }
        },
        "headers": {200: DOCUMENT_HEADERS},
    },
    ("get", "/health/ready"): {"kinds": {"readiness"}},
    ("get", "/v1/webhooks/whatsapp"): {
        "kinds": {"handshake"},
        "content": {200: {"text/plain": {"schema": {"type": "string"}}}},
    },
    ("post", "/v1/webhooks/whatsapp"): {"kinds": {"signed", "input"}},
    **{("get", path): EXPORTED for path in EXPORTS},
    # The documents of docs/reports.md (`api/reports.py`): pictures and files, not JSON.
    ("get", "/v1/reports/infographic"): {
        "content": {200: {"image/png": BINARY, "application/pdf": BINARY}},
        "headers": {200: DOCUMENT_HEADERS},
    },
    ("get", "/v1/reports/district"): {
        "content": {200: {"application/pdf": BINARY, EXPORT_MEDIA_TYPES[Format.XLSX]: BINARY}},
        "headers": {200: DOCUMENT_HEADERS},
    },
    ("get", "/v1/reports/monthly"): {
        "content": {200: {"application/pdf": BINARY, EXPORT_MEDIA_TYPES[Format.XLSX]: BINARY}},
        "headers": {200: DOCUMENT_HEADERS},
    },
    ("get", "/v1/reviews/report"): {
        "content": {200: {"application/pdf": BINARY}},
        "headers": {200: DOCUMENT_HEADERS},
    },
}
# Open311 GeoReport v2 (`api/open311.py`): JSON or XML by the path's extension, errors in
# the spec's own shape (`[{"code", "description"}]`, `<errors><error>`), not problem+json.
OPEN311_LIST = {"type": "array", "items": {"type": "object"}}
OPEN311_ERRORS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}
XML = {"application/xml": {"schema": {"type": "string"}}}
OPEN311: dict[tuple[str, str], dict[str, Any]] = {
    ("get", "/open311/v2/{name}"): {"kinds": {"open311 key"}, "answer": OPEN311_LIST},
    ("post", "/open311/v2/{name}"): {
        "kinds": {"open311 key", "command"},
        "answer": OPEN311_LIST,
    },
    ("get", "/open311/v2/services/{name}"): {"answer": {"type": "object"}},
    ("get", "/open311/v2/requests/{name}"): {"kinds": {"open311 key"}, "answer": OPEN311_LIST},
    ("get", "/open311/v2/tokens/{name}"): {"kinds": {"open311 key"}, "answer": OPEN311_LIST},
}
OPERATIONS.update(OPEN311)
UNSTORED = {
    ("get", "/health"),
    ("get", "/health/live"),
    ("get", "/v1/webhooks/whatsapp"),
    ("get", "/fonts/{name}"),
}  # no database behind them

PROBLEM_SCHEMA: Schema = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "field": {"type": "string", "description": "The input at fault"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
            },
        },
        "current_version": {"type": "integer"},
        "read_model_version": {"type": ["integer", "null"]},
        "retry_after_seconds": {"type": "integer"},
    },
    "additionalProperties": True,
}


def kinds_of(method: str, path: str, operation: Schema, public: Collection[str]) -> set[str]:
    """The kinds an operation is of, from its place in the schema and `OPERATIONS`."""
    kinds = set(OPERATIONS.get((method, path), {}).get("kinds", ()))
    parameters = operation.get("parameters", [])
    if parameters or "requestBody" in operation:
        kinds.add("input")
    if "requestBody" in operation:
        kinds.add("body")
    if any(p.get("in") == "path" for p in parameters):
        kinds.add("named")
    if not any(re.search(pattern, path) for pattern in public):
        kinds.add("authenticated")
        if method == "post":
            kinds.add("command")
    if (method, path) not in UNSTORED:
        kinds.add("stored")
    return kinds


def answers(kinds: Iterable[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for kind in sorted(kinds):
        for status, description in ANSWERS[kind].items():
            found.setdefault(status, description)
    return found


def _problem(description: str, status: int) -> Schema:
    response: Schema = {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
    }
    if status in HEADERS:
        response["headers"] = HEADERS[status]
    return response


class Parsed(msgspec.Struct, frozen=True):
    """The types an application's handlers parse their input into: a JSON body, by (method,
    path), and query parameters, by (method, path, name)."""

    bodies: dict[tuple[str, str], Any]
    queries: dict[tuple[str, str, str], Any]


def parsed_types(routes: Iterable[object]) -> Parsed:
    bodies: dict[tuple[str, str], Any] = {}
    queries: dict[tuple[str, str, str], Any] = {}
    for route in routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, kwargs) in route.route_handler_map.items():
            where = (method.lower(), route.path_format)
            signature = handler.parsed_fn_signature.parameters
            data = signature.get("data")
            if data is not None and data.is_subclass_of(msgspec.Struct):
                bodies[where] = data.annotation
            for name, declared in declared_query(handler, kwargs).items():
                queries[(*where, name)] = declared.raw
    return Parsed(bodies=bodies, queries=queries)


def amend(schema: Schema, public: Collection[str], parsed: Parsed | None = None) -> Schema:
    """Document every operation's answers, in place; `public` are the paths (regular
    expressions) that need no bearer token; `parsed` the types the input is parsed into,
    documented as msgspec checks them (every constraint, no unknown field; Litestar's own
    schema drops some). Amending twice changes nothing."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    if "Problem" in schemas:
        return schema
    schemas["Problem"] = PROBLEM_SCHEMA
    security = schema.get("security") or []
    schema["security"] = [s for i, s in enumerate(security) if s not in security[:i]]
    paths = schema.get("paths", {})
    if parsed is not None:
        _document_parsed(paths, schemas, parsed)
    for path, item in paths.items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _amend_operation(method, path, operation, public)
    _bound_integers(schema)
    _link(paths)
    return schema


# Where an answer names a resource that other operations take in their path: the complaint a
# command answers with (its `id`), the file an upload stored (its `sha256`). Published as
# OpenAPI links, so a client (or a stateful test) can follow a filing through its life.
LINKS = (
    ("ref", "/id", re.compile(r"^/v1/complaints(/\{ref\}/[a-z]+)?$")),
    ("sha256", "/sha256", re.compile(r"^/v1/attachments$")),
)


def _link(paths: Schema) -> None:
    for name, pointer, sources in LINKS:
        targets = {
            operation["operationId"]: operation
            for path, item in paths.items()
            if re.findall(r"\{(\w+)\}", path) == [name]  # the answer gives all it needs
            for operation in item.values()
            if isinstance(operation, dict) and "operationId" in operation
        }
        for path, item in paths.items():
            if not sources.match(path) or "post" not in item:
                continue
            for code in ("200", "201"):
                answer = item["post"].get("responses", {}).get(code)
                if answer is None:
                    continue
                answer["links"] = {
                    target: {
                        "operationId": target,
                        "parameters": {name: f"$response.body#{pointer}"},
                    }
                    for target in sorted(targets)
                }


def _document_parsed(paths: Schema, schemas: Schema, parsed: Parsed) -> None:
    types = [*parsed.bodies.values(), *parsed.queries.values()]
    refs, exact = msgspec.json.schema_components(types, ref_template="#/components/schemas/{name}")
    schemas.update(exact)
    body_refs = dict(zip(parsed.bodies, refs, strict=False))
    query_refs = dict(zip(parsed.queries, refs[len(parsed.bodies) :], strict=True))
    for (method, path), ref in body_refs.items():
        body = paths.get(path, {}).get(method, {}).get("requestBody", {})
        for content in body.get("content", {}).values():
            content["schema"] = ref
    for (method, path, name), ref in query_refs.items():
        for parameter in paths.get(path, {}).get(method, {}).get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] == name:
                documented = {**ref, **_not_null(parameter.get("schema", {}))}
                if documented.get("type") == "string" and "pattern" not in documented:
                    documented["pattern"] = PRINTABLE
                parameter["schema"] = documented


def _bound_integers(node: Any) -> None:
    """An integer is a 64-bit one (msgspec refuses a larger one): say so where no bound is."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            node.setdefault("minimum", INT64[0])
            node.setdefault("maximum", INT64[1])
        for value in node.values():
            _bound_integers(value)
    elif isinstance(node, list):
        for value in node:
            _bound_integers(value)


def _not_null(schema: Schema) -> Schema:
    """A parameter in the URL is absent or a string, never JSON's null."""
    for key in ("oneOf", "anyOf"):
        branches = [b for b in schema.get(key, []) if b.get("type") != "null"]
        if key in schema and len(branches) == 1:
            outer = {k: v for k, v in schema.items() if k != key}
            return {**branches[0], **outer}
        if key in schema:
            schema[key] = branches
    return schema


def _amend_operation(method: str, path: str, operation: Schema, public: Collection[str]) -> None:
    kinds = kinds_of(method, path, operation, public)
    special = OPERATIONS.get((method, path), {})
    for parameter in operation.get("parameters", []):
        if "schema" in parameter:
            parameter["schema"] = _not_null(parameter["schema"])
        if parameter["in"] == "path" and parameter.get("schema", {}).get("type") == "string":
            parameter["schema"].setdefault("pattern", PRINTABLE)  # `api/limits.py` refuses it
        parameter["schema"] = {
            **parameter.get("schema", {}),
            **special.get("parameters", {}).get(parameter["name"], {}),
        }
    responses: Schema = operation["responses"]
    if "authenticated" not in kinds:
        operation["security"] = []
    for status, description in answers(kinds).items():
        code = str(status)
        if code in responses and status != 400:
            continue
        responses[code] = _problem(description, status)
    for status, content in special.get("content", {}).items():
        description = special.get("descriptions", {}).get(status, "")
        responses.setdefault(str(status), {"description": description})["content"] = content
    for status, content in special.get("also", {}).items():  # beside what is generated
        responses[str(status)].setdefault("content", {}).update(content)
    for status, headers in special.get("headers", {}).items():
        responses[str(status)].setdefault("headers", {}).update(headers)
    if "requestBody" in special:
        operation["requestBody"] = special["requestBody"]
    if "answer" in special:  # Open311's own formats, answers and errors alike
        for code, response in responses.items():
            schema = special["answer"] if code.startswith("2") else OPEN311_ERRORS
            response["content"] = {"application/json": {"schema": schema}, **XML}


def filed_at(response: Response[Any]) -> Response[Any]:
    """A filing's 201 names the complaint it made (`Location`), as the schema says."""
    if response.status_code == 201 and getattr(response.content, "id", None) is not None:
        response.headers["Location"] = f"/v1/complaints/{response.content.id}"
    return response


class Amended(OpenAPIRenderPlugin):
    """Serves another render plugin's page from the amended schema."""

    def __init__(
        self, inner: OpenAPIRenderPlugin, amend: Callable[[Schema, Litestar], Schema]
    ) -> None:
        super().__init__(
            path=inner.paths, media_type=inner.media_type, favicon=inner.favicon, style=inner.style
        )
        self.inner = inner
        self._amend = amend

    def render(self, request: Request[Any, Any, Any], openapi_schema: Schema) -> bytes:
        return self.inner.render(request, self._amend(openapi_schema, request.app))

    def receive_router(self, router: Router) -> None:
        self.inner.receive_router(router)


def render_plugins(public: Collection[str]) -> list[OpenAPIRenderPlugin]:
    """`/schema/openapi.json`, Swagger UI at `/schema`, Scalar at `/schema/scalar`."""

    def amended(schema: Schema, app: Litestar) -> Schema:
        return amend(schema, public, parsed_types(app.routes))

    return [
        Amended(plugin, amended)
        for plugin in (
            SwaggerRenderPlugin(),
            JsonRenderPlugin(),
            ScalarRenderPlugin(path="/scalar"),
        )
    ]
