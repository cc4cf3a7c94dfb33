"""Every command endpoint: the common answers (401, 404, 400 naming the field), and the
whole second half of a complaint's life over HTTP: transfer, escalate, reopen, close."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.conftest import Tokens
from tests.support import (
    ADMIN,
    JAIPUR_COLLECTOR,
    JAIPUR_POWER_OFFICER,
    OPERATOR,
    WATER_HEAD,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
UNKNOWN = "1c7d0f4e-58a4-4b5e-8f0e-1f3f0c2d9a77"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x02" * 40

# endpoint, a valid body, a malformed body, and the field the 400 must name
COMMANDS = [
    ("assign", {"post": "PHED-JAI-L2"}, {"post": 7}, "post"),
    ("transfer", {"department": "ENERGY", "reason": "pump"}, {"department": "ENERGY"}, "reason"),
    ("escalate", {"reason": "late"}, {"reason": ""}, "reason"),
    ("priority", {"reason": "ward"}, {}, "reason"),
    (
        "resolve",
        {"outcome": "relief", "action_taken": "x", "attachments": []},
        {"outcome": "solved", "action_taken": "x", "attachments": []},
        "outcome",
    ),
    ("feedback", {"satisfied": True, "rating": 5}, {"satisfied": True, "rating": 9}, "rating"),
    ("reopen", {"reason": "again"}, {"reason": "x", "expected_version": 0}, "expected_version"),
    ("close", {"reason": "done"}, {"reason": "done", "extra": 1}, "extra"),
    ("remind", {"note": "any news?"}, {"note": 5}, "note"),
    ("comments", {"text": "noted"}, {"txt": "noted"}, "txt"),  # unknown fields are refused
    ("clarify", {"question": "Which ward?"}, {"question": "\u0000"}, "question"),
    ("answer", {"answer": "Ward 7"}, {"answer": ["Ward 7"]}, "answer"),
    ("dispose-unanswered", {}, {"expected_version": 0}, "expected_version"),
    ("interim-reply", {"note": "Soon"}, {"note": " "}, "note"),
    (
        "hearing",
        {"on": "2026-12-05T05:30:00Z", "post": "PHED-JAI-L1", "mode": "video"},
        {"on": "2026-12-05T05:30:00", "post": "PHED-JAI-L1", "mode": "video"},  # no timezone
        "on",
    ),
    ("hearing/record", {"attended": True, "directions": "x"}, {"attended": "yes"}, "attended"),
    ("diwas", {"day": "2026-12-17"}, {"day": "2026-12-17", "mode": "phone"}, "mode"),
]


@pytest.mark.parametrize(("name", "good", "bad", "field"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_each_command_refuses_the_unauthenticated_the_unknown_and_the_malformed(
    client: Client,
    tokens: Tokens,
    name: str,
    good: dict[str, Any],
    bad: dict[str, Any],
    field: str,
) -> None:
    assert client.post(f"/v1/complaints/{UNKNOWN}/{name}", json=good).status_code == 401
    unknown = client.post(
        f"/v1/complaints/{UNKNOWN}/{name}", json=good, headers=tokens.headers(ADMIN)
    )
    assert unknown.status_code == 404, unknown.text
    malformed = client.post(
        f"/v1/complaints/{UNKNOWN}/{name}", json=bad, headers=tokens.headers(ADMIN)
    )
    assert malformed.status_code == 400, malformed.text
    assert malformed.json()["field"] == field


def test_a_complaint_transferred_escalated_resolved_reopened_and_closed_over_http(
    client: Client, tokens: Tokens
) -> None:
    mobile = new_mobile()
    ramesh = tokens.headers(citizen(mobile))
    filed = client.post("/v1/complaints", json=water_complaint(mobile), headers=ramesh).json()
    url = f"/v1/complaints/{filed['id']}"

    def post(suffix: str, body: dict[str, Any], who: Any) -> dict[str, Any]:
        answer = client.post(f"{url}/{suffix}", json=body, headers=tokens.headers(who))
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    moved = post(
        "transfer", {"department": "ENERGY", "reason": "The pump has no power"}, JAIPUR_COLLECTOR
    )
    assert (moved["holder"], moved["level"]) == ("ENERGY-JAI-CONTROL-ROOM", 1)
    climbed = post("escalate", {"reason": "No action for two days"}, JAIPUR_COLLECTOR)
    assert (climbed["holder"], climbed["level"]) == ("ENERGY-JAI-L2", 2)

    xen = JAIPUR_POWER_OFFICER.__class__(
        id="xen-energy-jaipur",
        role=JAIPUR_POWER_OFFICER.role,
        post="ENERGY-JAI-L2",
        district="JAI",
        department="ENERGY",
    )
    photo = client.post(
        "/v1/attachments",
        files={"file": ("transformer.png", PNG, "image/png")},
        headers=tokens.headers(xen),
    ).json()
    post(
        "resolve",
        {"outcome": "relief", "action_taken": "Transformer replaced", "attachments": [photo]},
        xen,
    )
    # "Not satisfied" sends it back to the officer who disposed of it, at once.
    reopened = post(
        "feedback",
        {"satisfied": False, "rating": 2, "comment": "Voltage still low"},
        citizen(mobile),
    )
    assert (reopened["status"], reopened["holder"], reopened["level"]) == (
        "reopened",
        "ENERGY-JAI-L2",
        2,
    )
    post(
        "resolve",
        {"outcome": "relief", "action_taken": "Stabiliser fitted", "attachments": [photo]},
        xen,
    )
    again = post("reopen", {"reason": "Checking the stabiliser"}, JAIPUR_COLLECTOR)
    assert again["status"] == "reopened"
    post(
        "resolve",
        {"outcome": "relief", "action_taken": "Stabiliser checked", "attachments": [photo]},
        xen,
    )
    closed = post("close", {"reason": "Verified on site"}, JAIPUR_COLLECTOR)
    assert closed["status"] == "closed"

    late = client.post(f"{url}/remind", json={}, headers=ramesh)
    assert late.status_code == 409
    # The department head of the old department no longer has it in scope.
    assert (
        client.post(
            f"{url}/escalate", json={"reason": "x"}, headers=tokens.headers(WATER_HEAD)
        ).status_code
        == 403
    )
    events = client.get(f"{url}/timeline", headers=tokens.headers(OPERATOR)).json()["events"]
    assert [e["type"] for e in events] == [
        "Filed",
        "Assigned",
        "Transferred",
        "Escalated",
        "Resolved",
        "FeedbackGiven",
        "Reopened",
        "Resolved",
        "Reopened",
        "Resolved",
        "Closed",
    ]


def test_an_oversized_json_body_is_a_413(client: Client, tokens: Tokens) -> None:
    body = water_complaint(new_mobile(), description="x" * 1_100_000)
    answer = client.post("/v1/complaints", json=body, headers=tokens.headers(OPERATOR))
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_api_documents_itself_at_schema(client: Client) -> None:
    page = client.get("/schema")
    assert page.status_code == 200 and "html" in page.headers["content-type"]
    spec = client.get("/schema/openapi.json").json()
    assert "/v1/complaints/{ref}/resolve" in spec["paths"]
    assert "BearerToken" in spec["components"]["securitySchemes"]
