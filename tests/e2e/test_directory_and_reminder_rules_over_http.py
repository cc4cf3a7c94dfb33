"""Three rules of the domain, as a client meets them: a post keeps its place, a complaint's
reminder comes at most once a day, and a holiday is a day the system reasons about. Each
refusal is problem+json naming what was wrong, and nothing is written."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.conftest import Tokens
from tests.paging import every_item
from tests.support import (
    ADMIN,
    AUDITOR,
    OPERATOR,
    TurnableClock,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
PROBLEM = "application/problem+json"


def directory_changes(client: Client, tokens: Tokens) -> int:
    return len(every_item(client, "/v1/directory/timeline", tokens.headers(AUDITOR)))


def test_a_post_that_routes_lead_to_keeps_its_department_district_and_level(
    client: Client, tokens: Tokens
) -> None:
    admin = tokens.headers(ADMIN)
    before = client.get("/v1/directory/posts/LSG-BKN-L1", headers=admin).json()
    changes = directory_changes(client, tokens)
    moved = {
        "id": "LSG-BKN-L1",
        "designation": "Sub Inspector",
        "department": "POLICE",
        "district": "JAI",
        "level": 3,
    }
    refused = client.post("/v1/directory/posts", json=moved, headers=admin)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert refused.json()["field"] == "department"
    assert client.get("/v1/directory/posts/LSG-BKN-L1", headers=admin).json() == before
    assert directory_changes(client, tokens) == changes

    renamed = {**before, "designation": "Executive Officer (Municipal Board), Bikaner"}
    assert client.post("/v1/directory/posts", json=renamed, headers=admin).status_code == 200
    after = client.get("/v1/directory/posts/LSG-BKN-L1", headers=admin).json()
    assert (after["department"], after["district"], after["level"]) == ("LSG", "BKN", 1)
    assert after["designation"] == renamed["designation"]


def test_six_reminders_in_a_second_are_one_reminder(
    client: Client, tokens: Tokens, clock: TurnableClock
) -> None:
    mobile = new_mobile()
    ramesh = tokens.headers(citizen(mobile))
    filed = client.post("/v1/complaints", json=water_complaint(mobile), headers=ramesh).json()
    url = f"/v1/complaints/{filed['id']}"
    answers = [client.post(f"{url}/remind", json={}, headers=ramesh) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] + [409] * 5
    refusal = answers[1]
    assert refusal.headers["content-type"].startswith(PROBLEM)
    assert "next can be sent from" in refusal.json()["detail"]
    events = client.get(f"{url}/timeline", headers=tokens.headers(OPERATOR)).json()["events"]
    assert [e["type"] for e in events].count("ReminderReceived") == 1

    clock.advance(hours=24)
    assert client.post(f"{url}/remind", json={}, headers=ramesh).status_code == 200


def test_a_holiday_before_2000_is_refused_naming_the_day(client: Client, tokens: Tokens) -> None:
    admin = tokens.headers(ADMIN)
    changes = directory_changes(client, tokens)
    for day in ("0524-01-02", "1999-12-31", "2100-01-01"):
        refused = client.post(
            "/v1/directory/holidays", json={"day": day, "name": "Old"}, headers=admin
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith(PROBLEM)
        assert refused.json()["field"] == "day"
    assert directory_changes(client, tokens) == changes
