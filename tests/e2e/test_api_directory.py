"""The directory over HTTP: everyone signed in reads it, admins change it, auditors see how."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.conftest import Tokens
from tests.paging import every_item
from tests.support import ADMIN, AUDITOR, JAIPUR_COLLECTOR, OPERATOR, citizen, water_complaint

Client = TestClient[Any]


def test_the_sample_directory_covers_every_district_of_rajasthan(
    client: Client, tokens: Tokens
) -> None:
    headers = tokens.headers(citizen("9876543210"))
    districts = client.get("/v1/directory/districts", headers=headers).json()
    assert len(districts) == 41
    jaipur = {"code": "JAI", "name": "Jaipur", "division": "Jaipur", "name_hi": "जयपुर"}
    assert jaipur in districts
    departments = client.get("/v1/directory/departments", headers=headers).json()
    assert len(departments) >= 10
    water = client.get("/v1/directory/categories", params={"department": "PHED"}, headers=headers)
    assert {c["code"] for c in water.json()} >= {"water-supply", "contaminated-water"}
    posts = client.get(
        "/v1/directory/posts", params={"department": "PHED", "district": "JAI"}, headers=headers
    ).json()
    assert [(p["id"], p["level"]) for p in posts] == [("PHED-JAI-L1", 1), ("PHED-JAI-L2", 2)]
    chain = client.get(
        "/v1/directory/chains", params={"department": "PHED", "district": "JAI"}, headers=headers
    ).json()
    assert chain == [
        {
            "department": "PHED",
            "district": "JAI",
            "posts": ["PHED-JAI-L2", "PHED-HOD", "PHED-STATE"],
        }
    ]
    missing = client.get("/v1/directory/posts/NOPE", headers=headers)
    assert missing.status_code == 404


def test_an_admin_gives_a_hindi_name_by_the_rule_of_names(client: Client, tokens: Tokens) -> None:
    admin = tokens.headers(ADMIN)
    district = {"code": "JAI", "name": "Jaipur", "division": "Jaipur", "name_hi": "जयपुर शहर"}
    assert client.post("/v1/directory/districts", json=district, headers=admin).status_code == 200
    districts = client.get("/v1/directory/districts", headers=admin).json()
    assert district in districts
    broken = client.post(
        "/v1/directory/categories",
        json={"department": "PHED", "code": "water-supply", "name": "Water", "name_hi": "\x07"},
        headers=admin,
    )
    assert broken.status_code == 400 and broken.json()["field"] == "name_hi", broken.text


def test_an_admin_reroutes_and_new_complaints_follow_the_new_route(
    client: Client, tokens: Tokens
) -> None:
    admin = tokens.headers(ADMIN)
    post = {
        "id": "PHED-JAI-TANKER-CELL",
        "designation": "Assistant Engineer (Tanker Cell), Jaipur",
        "department": "PHED",
        "district": "JAI",
        "level": 1,
        "holder": "Neha Saini",
    }
    assert client.post("/v1/directory/posts", json=post, headers=admin).status_code == 200
    route = {
        "department": "PHED",
        "category": "water-supply",
        "district": "JAI",
        "post": "PHED-JAI-TANKER-CELL",
    }
    changed = client.post("/v1/directory/routes", json=route, headers=admin)
    assert changed.status_code == 200, changed.text

    filed = client.post(
        "/v1/complaints", json=water_complaint("9876543210"), headers=tokens.headers(OPERATOR)
    )
    assert filed.json()["holder"] == "PHED-JAI-TANKER-CELL"

    history = every_item(client, "/v1/directory/timeline", tokens.headers(AUDITOR))
    assert [(e["type"], e["actor"]["id"]) for e in history[-2:]] == [
        ("PostDefined", ADMIN.id),
        ("RouteSet", ADMIN.id),
    ]
    assert history[-1]["data"]["route"]["post"] == "PHED-JAI-TANKER-CELL"


def test_a_vacant_post_is_recorded_as_such(client: Client, tokens: Tokens) -> None:
    answer = client.post(
        "/v1/directory/posts/PHED-JAI-L1/holder",
        json={"holder": None},
        headers=tokens.headers(ADMIN),
    )
    assert answer.status_code == 200
    post = client.get("/v1/directory/posts/PHED-JAI-L1", headers=tokens.headers(ADMIN)).json()
    assert post["holder"] is None


def test_only_admins_change_the_directory_and_bad_changes_name_the_field(
    client: Client, tokens: Tokens
) -> None:
    route = {"department": "PHED", "district": "JAI", "post": "ENERGY-JAI-L1"}
    assert (
        client.post(
            "/v1/directory/routes", json=route, headers=tokens.headers(JAIPUR_COLLECTOR)
        ).status_code
        == 403
    )
    wrong = client.post("/v1/directory/routes", json=route, headers=tokens.headers(ADMIN))
    assert wrong.status_code == 422 and wrong.json()["field"] == "post"
    malformed = client.post(
        "/v1/directory/categories",
        json={"department": "PHED", "code": "tanker", "name": "Tanker", "sla": {"allowed": [1, 2]}},
        headers=tokens.headers(ADMIN),
    )
    assert malformed.status_code == 400 and malformed.json()["field"] == "sla.allowed"
    unknown_unit = client.post(
        "/v1/directory/categories",
        json={
            "department": "PHED",
            "code": "tanker",
            "name": "Tanker",
            "sla": {"allowed": [1, 1, 1, 1], "unit": "fortnights"},
        },
        headers=tokens.headers(ADMIN),
    )
    assert unknown_unit.status_code == 400 and unknown_unit.json()["field"] == "sla.unit"
    assert client.get("/v1/directory/timeline", headers=tokens.headers(OPERATOR)).status_code == 403


def test_a_retried_directory_change_is_recorded_once(client: Client, tokens: Tokens) -> None:
    headers = tokens.headers(ADMIN, **{"Idempotency-Key": "holder-change-1"})
    body = {"holder": "Pooja Verma"}
    first = client.post("/v1/directory/posts/PHED-AJM-L1/holder", json=body, headers=headers)
    again = client.post("/v1/directory/posts/PHED-AJM-L1/holder", json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    history = every_item(client, "/v1/directory/timeline", tokens.headers(AUDITOR))
    assert [e["type"] for e in history].count("PostHolderChanged") == 1


def test_deadlines_follow_the_category_policy_and_the_states_holidays(
    client: Client, tokens: Tokens
) -> None:
    admin = tokens.headers(ADMIN)
    tanker = {
        "department": "PHED",
        "code": "tanker",
        "name": "Water tanker",
        "sla": {"allowed": [2, 2, 3, 3], "unit": "working_days"},
    }
    assert client.post("/v1/directory/categories", json=tanker, headers=admin).status_code == 200
    # The test clock starts on Monday 2 November 2026, 10:00 in Jaipur.
    holiday = {"day": "2026-11-03", "name": "Local holiday"}
    assert client.post("/v1/directory/holidays", json=holiday, headers=admin).status_code == 200
    listed = client.get("/v1/directory/holidays?year=2026", headers=admin).json()
    assert {"day": "2026-11-03", "name": "Local holiday"} in listed

    filed = client.post(
        "/v1/complaints",
        json=water_complaint("9876500001", category="tanker", channel="helpline_181"),
        headers=tokens.headers(OPERATOR),
    ).json()
    # Two working days from Monday, skipping the Tuesday holiday: Thursday, same time.
    assert filed["due_at"].startswith("2026-11-05T04:30")

    cancel = client.post("/v1/directory/holidays/cancel", json={"day": "2026-11-03"}, headers=admin)
    assert cancel.status_code == 200
    again = client.post("/v1/directory/holidays/cancel", json={"day": "2026-11-03"}, headers=admin)
    assert again.status_code == 422 and again.json()["field"] == "day"
