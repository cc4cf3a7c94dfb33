"""Hostile input, generated: schemathesis sends examples built from our own OpenAPI schema
(valid and invalid, with Hindi, emoji and NUL bytes where strings go) to every operation.
No answer may be a 5xx, and every documented answer must match its schema.

Bounded: `EXAMPLES` per operation, as the admin (who may call nearly everything). The schema
is read once from an app with no database behind it; each operation's examples then go to a
live app on a fresh test database.
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
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import create_app
from api.services import Services
from infra.settings import Settings
from tests.conftest import Tokens
from tests.support import ADMIN

EXAMPLES = 12


class Delegate:
    """An ASGI app that passes every call on to `target`."""

    target: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.target(scope, receive, send)


APP = Delegate()
APP.target = create_app(SimpleNamespace(settings=Settings()))  # type: ignore[arg-type]
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


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_breaks_the_api(case: Any, tokens: Tokens, live: None) -> None:
    SENT.append(case.operation.label)
    case.call_and_validate(
        headers=tokens.headers(ADMIN), checks=[not_a_server_error, response_schema_conformance]
    )
