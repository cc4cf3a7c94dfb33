"""The directory over HTTP keeps who holds each post and where they hear of their complaints,
and its gaps show every complaint that has nobody to act on it."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.conftest import Pipeline, Tokens
from tests.paging import every_item
from tests.support import ADMIN, OPERATOR, new_mobile, water_complaint

Client = TestClient[Any]
HOLDER = "/v1/directory/posts/PHED-JAI-L1/holder"


def file(client: Client, tokens: Tokens, **body: Any) -> dict[str, Any]:
    answer = client.post(
        "/v1/complaints",
        json=water_complaint(new_mobile(), channel="helpline_181", **body),
        headers=tokens.headers(OPERATOR),
    )
    assert answer.status_code == 201, answer.text
    filed: dict[str, Any] = answer.json()
    return filed


def test_a_new_holder_is_named_with_their_own_mobile(client: Client, tokens: Tokens) -> None:
    admin = tokens.headers(ADMIN)
    taken = client.post(
        HOLDER, json={"holder": "Suresh Meena", "mobile": "9414012345"}, headers=admin
    )
    assert taken.status_code == 200, taken.text
    post = client.get("/v1/directory/posts/PHED-JAI-L1", headers=admin).json()
    assert (post["holder"], post["mobile"]) == ("Suresh Meena", "9414012345")

    vacated = client.post(HOLDER, json={"holder": None}, headers=admin)
    assert vacated.status_code == 200, vacated.text
    post = client.get("/v1/directory/posts/PHED-JAI-L1", headers=admin).json()
    assert (post["holder"], post["mobile"]) == (None, None)
    timeline = every_item(client, "/v1/directory/timeline", admin)
    assert timeline[-1]["data"] == {"post": "PHED-JAI-L1", "holder": None, "mobile": None}


def test_a_holders_mobile_is_checked_and_a_vacant_post_has_none(
    client: Client, tokens: Tokens
) -> None:
    admin = tokens.headers(ADMIN)
    before = client.get("/v1/directory/posts/PHED-JAI-L1", headers=admin).json()
    for body in (
        {"holder": "Suresh Meena", "mobile": "12345"},
        {"holder": "Suresh Meena", "mobile": "9414012345\u0000"},
        {"holder": None, "mobile": "9414012345"},
    ):
        refused = client.post(HOLDER, json=body, headers=admin)
        assert refused.status_code in (400, 422), (body, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "mobile" in refused.text
    assert client.get("/v1/directory/posts/PHED-JAI-L1", headers=admin).json() == before


def test_the_gaps_show_complaints_at_a_vacant_first_post_and_in_the_pool(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    admin = tokens.headers(ADMIN)
    assert client.post(HOLDER, json={"holder": None}, headers=admin).status_code == 200
    stranded = file(client, tokens)
    assert stranded["holder"] == "PHED-JAI-L1"  # routed to a post nobody holds
    unrouted = client.post(
        "/v1/directory/routes/remove",
        json={"department": "PHED", "district": "AJM"},
        headers=admin,
    )
    assert unrouted.status_code == 200, unrouted.text
    pooled = [file(client, tokens, district="AJM") for _ in range(2)]
    assert {p["status"] for p in pooled} == {"unassigned"}
    pipeline.settle()

    gaps = client.get("/v1/directory/gaps", headers=admin).json()
    (vacant,) = [g for g in gaps["vacant_route_posts"] if g["post"] == "PHED-JAI-L1"]
    assert vacant == {
        "post": "PHED-JAI-L1",
        "department": "PHED",
        "district": "JAI",
        "routes": 1,
        "complaints": 1,
    }
    (pool,) = gaps["unassigned"]
    assert (pool["department"], pool["district"], pool["complaints"]) == ("PHED", "AJM", 2)
    assert pool["registration_nos"] == [p["registration_no"] for p in pooled]

    # Routed elsewhere now, the vacant post still holds the complaint nobody acts on.
    assert (
        client.post(
            "/v1/directory/routes/remove",
            json={"department": "PHED", "district": "JAI"},
            headers=admin,
        ).status_code
        == 200
    )
    gaps = client.get("/v1/directory/gaps", headers=admin).json()
    (vacant,) = [g for g in gaps["vacant_route_posts"] if g["post"] == "PHED-JAI-L1"]
    assert (vacant["routes"], vacant["complaints"]) == (0, 1)
