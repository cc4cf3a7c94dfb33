"""Training needs (`GET /v1/reports/training?department=&month=`): the posts whose disposals
came back (reopened, "not satisfied") or who sent complaints away as not theirs, counted as
the dashboard by post counts them; a department's own only."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.conftest import Pipeline, Tokens
from tests.e2e.test_complaint_story import upload_photo
from tests.support import (
    ANALYST,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    POWER_HEAD,
    WATER_SECRETARY,
    TurnableClock,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
PATH = "/v1/reports/training"


@pytest.fixture
def november(client: Client, tokens: Tokens, pipeline: Pipeline, clock: TurnableClock) -> None:
    """Jaipur's water officer disposes of one complaint, whose complainant is not satisfied
    (it is reopened), and sends another to the power department."""
    officer = tokens.headers(JAIPUR_WATER_OFFICER)
    mobile = new_mobile()
    filed = [
        client.post("/v1/complaints", json=water_complaint(m),
                    headers=tokens.headers(OPERATOR)).json()["id"]
        for m in (mobile, new_mobile())
    ]  # fmt: skip
    resolved = client.post(
        f"/v1/complaints/{filed[0]}/resolve",
        json={"outcome": "relief", "action_taken": "Valve repaired",
              "attachments": [upload_photo(client, officer)]},
        headers=officer,
    )  # fmt: skip
    assert resolved.status_code == 200, resolved.text
    unhappy = client.post(
        f"/v1/complaints/{filed[0]}/feedback",
        json={"satisfied": False},
        headers=tokens.headers(citizen(mobile)),
    )
    assert unhappy.status_code == 200, unhappy.text
    away = client.post(
        f"/v1/complaints/{filed[1]}/transfer",
        json={"department": "ENERGY", "reason": "The pump has no power"},
        headers=officer,
    )
    assert away.status_code == 200, away.text
    pipeline.settle()
    clock.advance(days=30)


def test_the_posts_whose_work_came_back_as_the_dashboard_counts(
    november: None, client: Client, tokens: Tokens
) -> None:
    answer = client.get(PATH, params={"month": "2026-11"}, headers=tokens.headers(WATER_SECRETARY))
    assert answer.status_code == 200, answer.text
    posts = answer.json()["posts"]
    assert [p["post"] for p in posts] == ["PHED-JAI-L1"]
    listed = posts[0]
    assert (listed["disposed"], listed["reopened"], listed["not_satisfied"]) == (1, 1, 1)
    assert listed["transferred_away"] == 1 and listed["came_back"] == 3
    row = next(
        r
        for r in client.get(
            "/v1/dashboards/posts",
            params={"from": "2026-11-01", "to": "2026-11-30"},
            headers=tokens.headers(WATER_SECRETARY),
        ).json()["rows"]
        if r["key"] == "PHED-JAI-L1"
    )
    assert listed["reopened"] == row["received_by_kind"]["reopened"]
    assert listed["not_satisfied"] == row["feedback"]["not_satisfied"]
    assert listed["transferred_away"] == row["transferred_out_by_kind"]["to_department"]


def test_a_department_sees_its_own_posts_only(
    november: None, client: Client, tokens: Tokens
) -> None:
    own = client.get(PATH, params={"month": "2026-11"}, headers=tokens.headers(POWER_HEAD))
    assert own.status_code == 200 and own.json()["posts"] == []
    other = client.get(
        PATH, params={"month": "2026-11", "department": "PHED"}, headers=tokens.headers(POWER_HEAD)
    )
    assert other.status_code == 403 and "department" in other.text
    assert client.get(PATH, headers=tokens.headers(ANALYST)).status_code == 400  # which one?
    assert client.get(PATH, headers=tokens.headers(JAIPUR_WATER_OFFICER)).status_code == 403
    sheet = client.get(
        PATH,
        params={"month": "2026-11", "department": "PHED", "format": "xlsx"},
        headers=tokens.headers(ANALYST),
    )
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"
