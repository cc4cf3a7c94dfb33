"""Hostile input, generated: schemathesis sends examples built from our own OpenAPI schema
(valid and invalid, with Hindi, emoji and NUL bytes where strings go) to every operation.
No answer may be a 5xx, and every answer must be one the schema documents: its status, its
media type, its headers and its body.

Bounded: `EXAMPLES` per operation and role, as an admin (who may call nearly everything), an
officer and a citizen (whose scopes refuse much: those refusals must be documented too). The
schema is read once from an app with no database behind it; each operation's examples then go
to a live app on a fresh test database.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar.testing import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.services import Services
from domain.values import Identity
from infra.loop_pools import LoopPools
from infra.settings import Settings
from tests.conftest import Tokens
from tests.support import ADMIN, JAIPUR_WATER_OFFICER, citizen

EXAMPLES = 6
ROLES = [ADMIN, JAIPUR_WATER_OFFICER, citizen("9876543210")]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class Delegate:
    """An ASGI app that passes every call on to `target`."""

    target: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.target(scope, receive, send)


APP = Delegate()
APP.target = create_app(
    SimpleNamespace(settings=Settings(), reads=LoopPools(""))  # type: ignore[arg-type]
)
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", APP)


SENT: list[str] = []  # one entry per example sent


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    print(f"\nschemathesis: {len(SENT)} examples over {len(set(SENT))} operations")


@pytest.fixture
def live(services: Services) -> Iterator[None]:
    app = create_app(services)
    with TestClient(app=app):  # runs the app's startup
        APP.target = app
        yield


@pytest.mark.parametrize("who", ROLES, ids=lambda who: who.role.value)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_breaks_the_api_or_gets_an_undocumented_answer(
    case: Any, who: Identity, tokens: Tokens, live: None
) -> None:
    SENT.append(case.operation.label)
    case.call_and_validate(headers=tokens.headers(who), checks=CHECKS)
