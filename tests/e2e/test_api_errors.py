"""Every wrong request gets a clear problem+json answer that names what is wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from litestar.testing import TestClient

from infra.security.tokens import mint
from tests.conftest import SECRET, Pipeline, Tokens
from tests.support import (
    AJMER_WATER_OFFICER,
    ANALYST,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]


def expired_token() -> str:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    claims = {
        "sub": "x",
        "role": "admin",
        "iss": "sampark",
        "iat": yesterday,
        "exp": yesterday + timedelta(hours=1),
    }
    return jwt.encode(claims, SECRET, algorithm="HS256")


def file(client: Client, tokens: Tokens, mobile: str | None = None, **body: Any) -> dict[str, Any]:
    mobile = mobile or new_mobile()
    answer = client.post(
        "/v1/complaints",
        json=water_complaint(mobile, **body),
        headers=tokens.headers(citizen(mobile)),
    )
    assert answer.status_code == 201, answer.text
    filed: dict[str, Any] = answer.json()
    filed["mobile"] = mobile
    return filed


def problem(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = answer.json()
    assert body["status"] == status
    assert body["detail"]
    return body


# --- authentication -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer not-a-token",
        "Bearer " + mint("some-other-secret-0123456789-0123456789", role="admin", sub="x"),
        "Bearer " + expired_token(),
        "Bearer " + mint(SECRET, role="superuser", sub="x"),
    ],
    ids=["missing", "garbage", "forged", "expired", "unknown-role"],
)
def test_without_a_valid_token_the_answer_is_401(client: Client, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = client.post("/v1/complaints", json=water_complaint("9876543210"), headers=headers)
    problem(answer, 401)
    assert answer.headers["www-authenticate"] == "Bearer"


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"complainant": {"name": "Ramesh"}}, "complainant.mobile"),
        ({"complainant": {"name": "Ramesh", "mobile": "12345"}}, "complainant.mobile"),
        ({"channel": "telegram"}, "channel"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 301}, "subject"),
        ({"district": 42}, "district"),
        ({"priority": "high"}, "priority"),
        (
            {
                "attachments": [
                    {"sha256": "nothex", "filename": "a", "media_type": "image/png", "size": 1}
                ]
            },
            "attachments[0].sha256",
        ),
    ],
)
def test_malformed_fields_are_a_400_naming_the_field(
    client: Client, tokens: Tokens, change: dict[str, Any], field: str
) -> None:
    mobile = new_mobile()
    body = water_complaint(mobile)
    body.update(change)
    answer = client.post("/v1/complaints", json=body, headers=tokens.headers(OPERATOR))
    assert problem(answer, 400)["field"] == field


def test_a_body_that_is_not_json_is_a_400(client: Client, tokens: Tokens) -> None:
    answer = client.post(
        "/v1/complaints",
        content=b"{not json",
        headers=tokens.headers(OPERATOR, **{"Content-Type": "application/json"}),
    )
    problem(answer, 400)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"district": "XYZ"}, "district"),
        ({"department": "NOPE"}, "department"),
        ({"category": "potholes"}, "category"),
    ],
)
def test_unknown_master_data_is_a_422_naming_the_field(
    client: Client, tokens: Tokens, change: dict[str, Any], field: str
) -> None:
    answer = client.post(
        "/v1/complaints",
        json=water_complaint(new_mobile(), **change),
        headers=tokens.headers(OPERATOR),
    )
    assert problem(answer, 422)["field"] == field


def test_evidence_must_have_been_uploaded(client: Client, tokens: Tokens) -> None:
    filed = file(client, tokens)
    ghost = {"sha256": "d" * 64, "filename": "ghost.png", "media_type": "image/png", "size": 10}
    answer = client.post(
        f"/v1/complaints/{filed['id']}/resolve",
        json={"outcome": "relief", "action_taken": "done", "attachments": [ghost]},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    )
    assert problem(answer, 422)["field"] == "attachments[0]"


# --- not found, conflicts, forbidden ---------------------------------------------------------


def test_an_unknown_complaint_is_a_404(client: Client, tokens: Tokens) -> None:
    for ref in ("0b7a3c2e-3f6e-4c38-9d1e-6a0c6f1c2b11", "JAI-2026-9999999"):
        problem(client.get(f"/v1/complaints/{ref}", headers=tokens.headers(OPERATOR)), 404)


def test_a_citizen_learns_nothing_of_another_citizens_complaint(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    filed = file(client, tokens)
    pipeline.settle()
    stranger = tokens.headers(citizen(new_mobile()))
    problem(client.get(f"/v1/complaints/{filed['id']}", headers=stranger), 404)
    own = tokens.headers(citizen(filed["mobile"]))
    assert client.get(f"/v1/complaints/{filed['id']}", headers=own).status_code == 200
    problem(client.get(f"/v1/complaints/{filed['id']}/timeline", headers=stranger), 404)


def test_a_stale_expected_version_is_a_409_with_the_current_version(
    client: Client, tokens: Tokens
) -> None:
    filed = file(client, tokens)
    answer = client.post(
        f"/v1/complaints/{filed['id']}/comments",
        json={"text": "site visit planned", "expected_version": 1},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    )
    assert problem(answer, 409)["current_version"] == 2


def test_an_illegal_move_is_a_409_with_the_reason(client: Client, tokens: Tokens) -> None:
    filed = file(client, tokens)
    answer = client.post(
        f"/v1/complaints/{filed['id']}/feedback",
        json={"satisfied": False, "rating": 1},
        headers=tokens.headers(citizen(filed["mobile"])),
    )
    assert "after disposal" in problem(answer, 409)["detail"]


def test_out_of_scope_staff_get_a_403(client: Client, tokens: Tokens) -> None:
    filed = file(client, tokens)
    answer = client.post(
        f"/v1/complaints/{filed['id']}/resolve",
        json={"outcome": "relief", "action_taken": "done", "attachments": []},
        headers=tokens.headers(AJMER_WATER_OFFICER),
    )
    problem(answer, 403)
    cmo = client.post(
        "/v1/complaints",
        json=water_complaint(filed["mobile"], channel="cmo"),
        headers=tokens.headers(citizen(filed["mobile"])),
    )
    assert problem(cmo, 403)["field"] == "channel"


def test_analysts_see_no_personal_data(client: Client, tokens: Tokens, pipeline: Pipeline) -> None:
    filed = file(client, tokens)
    pipeline.settle()
    seen = client.get(f"/v1/complaints/{filed['id']}", headers=tokens.headers(ANALYST)).json()
    assert seen["complainant"] is None
    timeline = client.get(
        f"/v1/complaints/{filed['id']}/timeline", headers=tokens.headers(ANALYST)
    ).json()
    assert "complainant" not in timeline["events"][0]["data"]
    staff = client.get(f"/v1/complaints/{filed['id']}", headers=tokens.headers(JAIPUR_COLLECTOR))
    assert staff.json()["complainant"]["mobile"] == filed["mobile"]


# --- time travel -------------------------------------------------------------------------


def test_state_takes_exactly_one_of_version_or_a_zoned_time(client: Client, tokens: Tokens) -> None:
    filed = file(client, tokens)
    url = f"/v1/complaints/{filed['id']}/state"
    headers = tokens.headers(JAIPUR_COLLECTOR)
    at_one = client.get(url, params={"version": 1}, headers=headers)
    assert at_one.status_code == 200
    assert (at_one.json()["status"], at_one.json()["holder"]) == ("unassigned", None)
    problem(client.get(url, headers=headers), 400)
    problem(
        client.get(url, params={"version": 1, "at": "2026-11-02T10:00:00Z"}, headers=headers), 400
    )
    assert (
        problem(client.get(url, params={"at": "2026-11-02T10:00:00"}, headers=headers), 400)[
            "field"
        ]
        == "at"
    )
    assert (
        problem(client.get(url, params={"version": 0}, headers=headers), 400)["field"] == "version"
    )
    problem(client.get(url, params={"version": 99}, headers=headers), 404)
    problem(client.get(url, params={"at": "2020-01-01T00:00:00Z"}, headers=headers), 404)


def test_a_nul_character_is_refused_naming_the_field(client: Client, tokens: Tokens) -> None:
    answer = client.post(
        "/v1/complaints",
        json=water_complaint(new_mobile(), description="taps dry\u0000 since Monday"),
        headers=tokens.headers(OPERATOR),
    )
    assert problem(answer, 400)["field"] == "description"
    search = client.get(
        "/v1/complaints", params={"q": "dry\u0000"}, headers=tokens.headers(OPERATOR)
    )
    assert problem(search, 400)["field"] == "q"
