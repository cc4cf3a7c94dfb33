"""Search, inboxes, dashboards and the pipeline's health, over HTTP from the read models."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.conftest import Pipeline, Tokens
from tests.support import (
    ADMIN,
    AJMER_COLLECTOR,
    ANALYST,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    WATER_HEAD,
    TurnableClock,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x03" * 40


def file(client: Client, tokens: Tokens, **body: Any) -> dict[str, Any]:
    mobile = body.pop("mobile", None) or new_mobile()
    answer = client.post(
        "/v1/complaints", json=water_complaint(mobile, **body), headers=tokens.headers(OPERATOR)
    )
    assert answer.status_code == 201, answer.text
    filed: dict[str, Any] = answer.json()
    return filed


def test_a_frontend_reads_its_own_write(client: Client, tokens: Tokens, pipeline: Pipeline) -> None:
    mobile = new_mobile()
    filed = client.post(
        "/v1/complaints", json=water_complaint(mobile), headers=tokens.headers(citizen(mobile))
    ).json()
    seen = client.get(
        f"/v1/complaints/{filed['id']}",
        params={"min_version": filed["version"]},
        headers=tokens.headers(citizen(mobile)),
    )
    assert seen.status_code == 200, seen.text
    assert seen.json()["version"] == filed["version"]
    assert seen.json()["holder"] == "PHED-JAI-L1"
    never = client.get(
        f"/v1/complaints/{filed['id']}",
        params={"min_version": 99},
        headers=tokens.headers(citizen(mobile)),
    )
    assert never.status_code == 404 and never.json()["field"] == "min_version"  # at once

    pipeline.stop()  # the read side falls behind the next write
    reminded = client.post(
        f"/v1/complaints/{filed['id']}/remind", json={}, headers=tokens.headers(citizen(mobile))
    ).json()
    behind = client.get(
        f"/v1/complaints/{filed['id']}",
        params={"min_version": reminded["version"]},
        headers=tokens.headers(citizen(mobile)),
    )
    assert behind.status_code == 503  # written, not yet readable: try again
    assert behind.json()["read_model_version"] == filed["version"]


def test_search_filters_pages_and_scopes(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    ids = [file(client, tokens, subject=f"Tanker needed in ward {n}")["id"] for n in range(5)]
    file(client, tokens, district="AJM", subject="Pipeline burst near the bus stand")
    file(client, tokens, department="ENERGY", category="power-supply", subject="No power")
    pipeline.settle()

    admin = tokens.headers(ADMIN)
    first = client.get(
        "/v1/complaints",
        params={"district": "JAI", "department": "PHED", "limit": 3},
        headers=admin,
    ).json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    rest = client.get(
        "/v1/complaints",
        params={
            "district": "JAI",
            "department": "PHED",
            "limit": 3,
            "cursor": first["next_cursor"],
        },
        headers=admin,
    ).json()
    assert rest["next_cursor"] is None
    pages = [i["id"] for i in first["items"] + rest["items"]]
    assert pages == list(reversed(ids)), "newest first, each exactly once"

    burst = client.get("/v1/complaints", params={"q": "burst"}, headers=admin).json()["items"]
    assert [i["district"] for i in burst] == ["AJM"]
    power = client.get("/v1/complaints", params={"department": "ENERGY"}, headers=admin).json()
    assert [i["holder"] for i in power["items"]] == ["ENERGY-JAI-CONTROL-ROOM"]

    ajmer = client.get("/v1/complaints", headers=tokens.headers(AJMER_COLLECTOR)).json()
    assert {i["district"] for i in ajmer["items"]} == {"AJM"}
    analyst = client.get("/v1/complaints", headers=tokens.headers(ANALYST)).json()
    assert all(i["complainant_name"] is None for i in analyst["items"])

    bad = client.get("/v1/complaints", params={"cursor": "not-ours"}, headers=admin)
    assert bad.status_code == 400 and bad.json()["field"] == "cursor"
    assert client.get("/v1/complaints", params={"level": 9}, headers=admin).status_code == 400
    assert client.get("/v1/complaints", params={"limit": 500}, headers=admin).status_code == 400


def test_the_inbox_puts_high_priority_first_then_the_nearest_deadline(
    client: Client, tokens: Tokens, pipeline: Pipeline, clock: TurnableClock
) -> None:
    normal = file(client, tokens)
    clock.advance(hours=1)
    urgent = file(client, tokens, channel="cmo")
    clock.advance(hours=1)
    later = file(client, tokens)
    pipeline.settle()
    inbox = client.get("/v1/inbox", headers=tokens.headers(JAIPUR_WATER_OFFICER)).json()
    assert [i["id"] for i in inbox] == [urgent["id"], normal["id"], later["id"]]
    assert client.get("/v1/inbox", headers=tokens.headers(ANALYST)).status_code == 403


def test_dashboards_count_what_happened_in_each_scope(
    client: Client, tokens: Tokens, pipeline: Pipeline, clock: TurnableClock
) -> None:
    officer = tokens.headers(JAIPUR_WATER_OFFICER)
    photo = client.post(
        "/v1/attachments", files={"file": ("fixed.png", PNG, "image/png")}, headers=officer
    ).json()
    jaipur = [file(client, tokens) for _ in range(4)]
    file(client, tokens, district="AJM")
    clock.advance(days=2)
    for complaint, outcome in zip(jaipur[:2], ["relief", "rejected"], strict=True):
        client.post(
            f"/v1/complaints/{complaint['id']}/resolve",
            json={"outcome": outcome, "action_taken": "Done", "attachments": [photo]},
            headers=officer,
        )
    client.post(
        f"/v1/complaints/{jaipur[2]['id']}/escalate",
        json={"reason": "slow"},
        headers=tokens.headers(JAIPUR_COLLECTOR),
    )
    clock.advance(days=2)  # past the 3-day deadline of the two still pending at level 1
    pipeline.settle()

    collector = client.get(
        "/v1/dashboards/districts", headers=tokens.headers(JAIPUR_COLLECTOR)
    ).json()
    (row,) = collector["rows"]
    assert row["key"] == "JAI"
    assert (row["registered"], row["disposed"], row["pending"]) == (4, 2, 2)
    assert row["relief_pct"] == 50.0
    assert row["escalations"] == {"l2": 1, "l3": 0, "l4": 0}
    assert row["pending_beyond_deadline"] == 1  # the escalated one has a fresh deadline
    assert row["pending_by_age"]["0_7"] == 2
    assert 1.9 < row["median_days_to_dispose"] < 2.1

    state = client.get("/v1/dashboards/districts", headers=tokens.headers(ANALYST)).json()
    assert {r["key"] for r in state["rows"]} == {"JAI", "AJM"}
    departments = client.get(
        "/v1/dashboards/departments", headers=tokens.headers(WATER_HEAD)
    ).json()
    assert [r["key"] for r in departments["rows"]] == ["PHED"]
    daily = client.get(
        "/v1/dashboards/daily",
        params={"from": "2026-11-01", "to": "2026-11-10"},
        headers=tokens.headers(ADMIN),
    ).json()
    assert sum(r["registered"] for r in daily["rows"]) == 5

    assert client.get("/v1/dashboards/districts", headers=officer).status_code == 403
    wrong = client.get(
        "/v1/dashboards/daily",
        params={"from": "2026-11-10", "to": "2026-11-01"},
        headers=tokens.headers(ADMIN),
    )
    assert wrong.status_code == 400 and wrong.json()["field"] == "from"


def test_the_pipeline_reports_its_lag(client: Client, tokens: Tokens, pipeline: Pipeline) -> None:
    file(client, tokens)
    pipeline.settle()
    status = client.get("/v1/pipeline/status", headers=tokens.headers(ADMIN)).json()
    assert status["relay"]["position"] == status["event_store_head"]
    assert status["relay"]["lag_events"] == 0
    assert status["projector"]["lag_events"] == 0
    assert status["projector"]["gaps"] == 0
    assert client.get("/v1/pipeline/status", headers=tokens.headers(OPERATOR)).status_code == 403
