"""Search, inboxes, dashboards and the pipeline's health, over HTTP from the read models."""

from __future__ import annotations

import itertools
from typing import Any

import psycopg
from litestar.testing import TestClient

from projections import oracle
from projections.rebuild import compare_figures, complaints_in_store, decoded_one
from tests.conftest import Pipeline, Tokens, filed_by_a_citizen
from tests.support import (
    ADMIN,
    AJMER_COLLECTOR,
    ANALYST,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    WATER_HEAD,
    WATER_SECRETARY,
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
    filed = filed_by_a_citizen(client, tokens, mobile)
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
    assert inbox["next_cursor"] is None
    assert [i["id"] for i in inbox["items"]] == [urgent["id"], normal["id"], later["id"]]
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
    assert row["median_days_to_dispose"] == 2  # filed on the 2nd, disposed on the 4th
    assert balances(row)

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
    for bad in ({"post": "P" * 201}, {"district": " "}, {"department": "*"}):
        refused = client.get("/v1/dashboards/posts", params=bad, headers=tokens.headers(ADMIN))
        assert refused.status_code == 400, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["field"] == next(iter(bad))


def balances(row: dict[str, Any]) -> bool:
    return (
        row["brought_forward"]
        + row["received"]
        - row["disposed"]
        - row["transferred_out"]
        - row["withdrawn"]
        == row["pending"]
    )


def test_a_collectors_figures_add_up_through_transfers_and_reopenings(
    client: Client, tokens: Tokens, pipeline: Pipeline, clock: TurnableClock, database: str
) -> None:
    """Jaipur files three water complaints; one goes to ENERGY, one is disposed, reopened by
    the collector and disposed again. Each department's row and the district's add up, a
    transfer is received where it lands, and the figures are those replayed from the store."""
    officer = tokens.headers(JAIPUR_WATER_OFFICER)
    collector = tokens.headers(JAIPUR_COLLECTOR)
    photo = client.post(
        "/v1/attachments", files={"file": ("atr.png", PNG, "image/png")}, headers=officer
    ).json()
    water = [file(client, tokens) for _ in range(3)]
    clock.advance(days=1)
    moved = client.post(
        f"/v1/complaints/{water[0]['id']}/transfer",
        json={"department": "ENERGY", "reason": "a transformer, not a pipe"},
        headers=collector,
    )
    assert moved.status_code == 200, moved.text
    resolve = {"outcome": "relief", "action_taken": "Valve repaired", "attachments": [photo]}
    done = client.post(f"/v1/complaints/{water[1]['id']}/resolve", json=resolve, headers=officer)
    assert done.status_code == 200, done.text
    again = client.post(
        f"/v1/complaints/{water[1]['id']}/reopen", json={"reason": "still dry"}, headers=collector
    )
    assert again.status_code == 200, again.text
    clock.advance(days=1)
    resolve["outcome"] = "rejected"
    assert client.post(
        f"/v1/complaints/{water[1]['id']}/resolve", json=resolve, headers=officer
    ).is_success
    pipeline.settle()

    by_department = client.get("/v1/dashboards/departments", headers=collector).json()["rows"]
    rows = {r["key"]: r for r in by_department}
    assert all(balances(r) for r in by_department)
    phed, energy = rows["PHED"], rows["ENERGY"]
    assert phed["received_by_kind"] == {
        "filed": 3,
        "transferred_in": 0,
        "reassigned_in": 0,
        "reopened": 1,
    }
    assert (phed["disposed"], phed["transferred_out"], phed["pending"]) == (2, 1, 1)
    assert phed["disposed_by_outcome"]["relief"] == 1 and phed["relief_pct"] == 50.0
    assert phed["reopen_rate_pct"] == 50.0
    assert (energy["received_by_kind"]["transferred_in"], energy["pending"]) == (1, 1)

    (district,) = client.get("/v1/dashboards/districts", headers=collector).json()["rows"]
    assert balances(district)
    # Within the district a transfer is no movement in or out.
    assert (district["received"], district["disposed"], district["transferred_out"]) == (4, 2, 0)
    assert district["pending"] == district["pending_now"] == 2

    daily = client.get("/v1/dashboards/daily", headers=collector).json()["rows"]
    assert all(balances(r) for r in daily)
    for day, following in itertools.pairwise(daily):
        assert day["pending"] == following["brought_forward"]

    posts = client.get(
        "/v1/dashboards/posts", params={"department": "PHED"}, headers=collector
    ).json()["rows"]
    assert all(balances(r) for r in posts) and {r["key"] for r in posts} == {"PHED-JAI-L1"}

    the_posts_come_a_page_at_a_time(client, tokens.headers(ANALYST))

    # A collector's figures stay in their district; a secretary's in their department.
    elsewhere = client.get(
        "/v1/dashboards/departments", params={"district": "AJM"}, headers=collector
    )
    assert elsewhere.status_code == 403 and elsewhere.json()["field"] == "district"
    secretary = client.get(
        "/v1/dashboards/districts",
        params={"department": "ENERGY"},
        headers=tokens.headers(WATER_SECRETARY),
    )
    assert secretary.status_code == 403 and secretary.json()["field"] == "department"

    with psycopg.connect(database) as conn:
        lives = [oracle.history(decoded_one(r) for r in c) for c in complaints_in_store(conn)]
        assert compare_figures(conn, lives, clock.now) == []


def the_posts_come_a_page_at_a_time(client: Client, analyst: dict[str, str]) -> None:
    """The state's posts come a page at a time, in the order of their ids: the pages
    together are the whole list, each post once; a file holds every post from a cursor on."""
    whole = client.get("/v1/dashboards/posts", params={"limit": 500}, headers=analyst).json()
    assert whole["next_cursor"] is None and len(whole["rows"]) >= 2
    paged: list[dict[str, Any]] = []
    cursors: list[str] = []
    params: dict[str, Any] = {"limit": 1}
    while True:
        page = client.get("/v1/dashboards/posts", params=params, headers=analyst).json()
        assert len(page["rows"]) == 1
        paged += page["rows"]
        if page["next_cursor"] is None:
            break
        cursors.append(page["next_cursor"])
        params["cursor"] = page["next_cursor"]
    assert paged == whole["rows"] == sorted(whole["rows"], key=lambda r: r["key"])
    rest = client.get(
        "/v1/dashboards/posts",
        params={"cursor": cursors[0], "format": "csv", "limit": 1},
        headers=analyst,
    )
    assert rest.status_code == 200 and len(rest.text.strip().splitlines()) == len(paged)
    for bad in ({"cursor": "not-ours"}, {"limit": 0}, {"limit": 501}):
        refused = client.get("/v1/dashboards/posts", params=bad, headers=analyst)
        assert refused.status_code == 400, refused.text
        assert refused.json()["field"] == next(iter(bad))


def test_the_pipeline_reports_its_lag(client: Client, tokens: Tokens, pipeline: Pipeline) -> None:
    file(client, tokens)
    pipeline.settle()
    status = client.get("/v1/pipeline/status", headers=tokens.headers(ADMIN)).json()
    assert status["relay"]["position"] == status["event_store_head"]
    assert status["relay"]["lag_events"] == 0
    assert status["projector"]["lag_events"] == 0
    assert status["projector"]["gaps"] == 0
    assert client.get("/v1/pipeline/status", headers=tokens.headers(OPERATOR)).status_code == 403
