"""Oversight over HTTP: a secretary's daily review list, the directory's gaps, and a
complaint's deadline as the scheduler left it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.testing import TestClient

from api.services import Services
from scheduler.jobs import Clockwork
from tests.conftest import Pipeline, Tokens
from tests.support import (
    ADMIN,
    AUDITOR,
    JAIPUR_COLLECTOR,
    OPERATOR,
    START,
    WATER_SECRETARY,
    TurnableClock,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
DAY = timedelta(days=1)


def file(client: Client, tokens: Tokens, **body: Any) -> dict[str, Any]:
    answer = client.post(
        "/v1/complaints",
        json=water_complaint(new_mobile(), channel="helpline_181", **body),
        headers=tokens.headers(OPERATOR),
    )
    assert answer.status_code == 201, answer.text
    filed: dict[str, Any] = answer.json()
    return filed


def test_a_secretary_reviews_the_days_list(
    client: Client,
    tokens: Tokens,
    services: Services,
    clock: TurnableClock,
    pipeline: Pipeline,
) -> None:
    overdue = file(client, tokens)
    clock.now = START + 4 * DAY
    fresh = file(client, tokens, district="AJM")
    pipeline.settle()
    Clockwork(services.app, services.pool).queue_reviews()
    pipeline.settle()

    secretary = tokens.headers(WATER_SECRETARY)
    today = client.get("/v1/reviews/today", headers=secretary).json()
    assert today["department"] == "PHED" and today["day"] == "2026-11-06"
    assert [i["registration_no"] for i in today["items"]] == [
        overdue["registration_no"],
        fresh["registration_no"],
    ]
    assert (today["queued"], today["reviewed"]) == (2, 0)

    note = {"note": "Chief Engineer to visit Ward 12 tomorrow; report by Friday."}
    reviewed = client.post(
        f"/v1/complaints/{overdue['registration_no']}/review", json=note, headers=secretary
    )
    assert reviewed.status_code == 200, reviewed.text
    pipeline.settle()
    after = client.get("/v1/reviews/today", headers=secretary).json()
    first = after["items"][0]
    assert (first["reviewed_by"], first["note"]) == ("acs-phed", note["note"])
    assert after["reviewed"] == 1
    timeline = client.get(
        f"/v1/complaints/{overdue['id']}/timeline", headers=tokens.headers(AUDITOR)
    ).json()
    assert [e["type"] for e in timeline["events"]][-2:] == ["QueuedForReview", "ReviewRecorded"]


def test_review_lists_are_for_secretaries_and_overseers_only(
    client: Client, tokens: Tokens
) -> None:
    secretary = tokens.headers(WATER_SECRETARY)
    other = client.get("/v1/reviews/today?department=ENERGY", headers=secretary)
    assert other.status_code == 403 and other.json()["field"] == "department"
    unnamed = client.get("/v1/reviews/today", headers=tokens.headers(ADMIN))
    assert unnamed.status_code == 400 and unnamed.json()["field"] == "department"
    assert client.get("/v1/reviews/today", headers=tokens.headers(OPERATOR)).status_code == 403
    filed = file(client, tokens)
    not_a_secretary = client.post(
        f"/v1/complaints/{filed['id']}/review",
        json={"note": "looks fine"},
        headers=tokens.headers(JAIPUR_COLLECTOR),
    )
    assert not_a_secretary.status_code == 403
    empty = client.post(
        f"/v1/complaints/{filed['id']}/review", json={"note": ""}, headers=secretary
    )
    assert empty.status_code == 400 and empty.json()["field"] == "note"


def test_admins_see_the_complaints_a_vacant_post_holds_back(
    client: Client,
    tokens: Tokens,
    services: Services,
    clock: TurnableClock,
    pipeline: Pipeline,
) -> None:
    admin = tokens.headers(ADMIN)
    vacate = client.post(
        "/v1/directory/posts/PHED-JAI-L2/holder", json={"holder": None}, headers=admin
    )
    assert vacate.status_code == 200
    held = file(client, tokens)
    clock.now = START + 4 * DAY
    pipeline.settle()
    assert Clockwork(services.app, services.pool).scan_deadlines()["EscalationBlocked"] == 1
    pipeline.settle()

    gaps = client.get("/v1/directory/gaps", headers=admin).json()
    (gap,) = gaps["blocked"]
    assert (gap["department"], gap["district"], gap["level"], gap["post"]) == (
        "PHED",
        "JAI",
        2,
        "PHED-JAI-L2",
    )
    assert gap["complaints"] == 1 and gap["registration_nos"] == [held["registration_no"]]
    assert {"post": "PHED-JAI-L2", "department": "PHED", "level": 2, "chains": 1} in gaps[
        "vacant_chain_posts"
    ]
    shown = client.get(f"/v1/complaints/{held['id']}", headers=admin).json()
    assert shown["holder"] == "PHED-JAI-L1"
    assert "vacant" in shown["deadline"]["blocked"]
    assert client.get("/v1/directory/gaps", headers=tokens.headers(OPERATOR)).status_code == 403
