"""Every answer tells the browser not to guess types, not to leak the address (a report link
holds its token), not to be framed, and to load nothing it was not told to: JSON, problems,
pages, PDFs and files alike."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient

from api.services import Services
from infra.security.report_links import report_link
from tests.conftest import Pipeline, Tokens
from tests.support import (
    ANALYST,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x03" * 64
BROWSER = {"Accept": "text/html,*/*;q=0.8"}


def assert_guarded(answer: Any, what: str) -> None:
    headers = answer.headers
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") == "no-referrer", what
    assert headers.get("x-frame-options") == "DENY", what
    assert "frame-ancestors 'none'" in headers.get("content-security-policy", ""), what


@pytest.fixture
def answers(client: Client, tokens: Tokens, pipeline: Pipeline, services: Services) -> Any:
    mobile = new_mobile()
    officer = tokens.headers(JAIPUR_WATER_OFFICER)
    filed = client.post(
        "/v1/complaints", json=water_complaint(mobile), headers=tokens.headers(citizen(mobile))
    )
    upload = client.post(
        "/v1/attachments", files={"file": ("pipe.png", PNG, "image/png")}, headers=officer
    )
    photo = upload.json()
    resolved = client.post(
        f"/v1/complaints/{filed.json()['id']}/resolve",
        json={"outcome": "relief", "action_taken": "Pipe replaced", "attachments": [photo]},
        headers=officer,
    )
    pipeline.settle()
    link = report_link(services.settings, UUID(filed.json()["id"]), services.app.clock())
    report = link.removeprefix(services.settings.public_url)
    collector = tokens.headers(JAIPUR_COLLECTOR)
    return {
        "liveness (JSON)": client.get("/health"),
        "a command (JSON, 201)": filed,
        "an upload (JSON, 201)": upload,
        "a command (JSON, 200)": resolved,
        "a search (JSON)": client.get("/v1/complaints", headers=collector),
        "the OpenAPI document": client.get("/schema/openapi.json"),
        "no token (401 problem)": client.get("/v1/complaints"),
        "a role refused (403 problem)": client.post(
            "/v1/attachments",
            files={"file": ("a.png", PNG, "image/png")},
            headers=tokens.headers(ANALYST),
        ),
        "no such route (404 problem)": client.get("/v1/nothing-here"),
        "wrong method (405 problem)": client.delete("/health"),
        "bad input (400 problem)": client.post("/v1/complaints", json={}, headers=collector),
        "the report page": client.get(report),
        "the report as PDF": client.get(f"{report}?format=pdf"),
        "the feedback page": client.post(f"{report}/feedback", data={"satisfied": "yes"}),
        "a forged report link (403 problem)": client.get(f"{report}=="),
        "a forged report link (403 page)": client.get(f"{report}==", headers=BROWSER),
        "evidence from the report": client.get(f"{report}/evidence/{photo['sha256']}"),
        "an attachment": client.get(f"/v1/attachments/{photo['sha256']}", headers=collector),
        "an unconfigured webhook handshake (403 problem)": client.get(
            "/v1/webhooks/whatsapp", params={"hub.mode": "subscribe", "hub.challenge": "1"}
        ),
    }


def test_every_answer_carries_the_security_headers(answers: dict[str, Any]) -> None:
    for what, answer in answers.items():
        assert answer.status_code < 500, what
        assert_guarded(answer, what)


def test_only_the_documentation_viewer_may_load_anything(answers: dict[str, Any]) -> None:
    for what, answer in answers.items():
        policy = answer.headers["content-security-policy"]
        assert policy.startswith("default-src 'none'") or what == "the OpenAPI document", what


def test_the_documentation_viewer_still_loads(client: Client) -> None:
    viewer = client.get("/schema/swagger")
    assert viewer.status_code == 200
    assert_guarded(viewer, "the documentation viewer")
    assert "default-src" not in viewer.headers["content-security-policy"]


def test_the_answers_checked_are_the_ones_meant(answers: dict[str, Any]) -> None:
    for what, answer in answers.items():
        meant = re.search(r"\b([1-5][0-9][0-9])\b", what)
        assert answer.status_code == (int(meant.group(1)) if meant else 200), what
