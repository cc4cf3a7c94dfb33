"""Who looked: staff reading a complaint's personal data leave a trace auditors can query."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.conftest import Pipeline, Tokens, filed_by_a_citizen
from tests.support import (
    ADMIN,
    ANALYST,
    AUDITOR,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    citizen,
    new_mobile,
)

Client = TestClient[Any]


def test_auditors_see_which_staff_read_a_complaint_and_where(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    mobile = new_mobile()
    filed = filed_by_a_citizen(client, tokens, mobile)
    url = f"/v1/complaints/{filed['id']}"
    pipeline.settle()
    client.get(f"{url}/timeline", headers=tokens.headers(JAIPUR_COLLECTOR))
    client.get(f"{url}/state?version=1", headers=tokens.headers(JAIPUR_COLLECTOR))
    client.get(url, headers=tokens.headers(OPERATOR))
    client.get("/v1/inbox", headers=tokens.headers(JAIPUR_WATER_OFFICER))
    client.get(url, headers=tokens.headers(ANALYST))  # pseudonymised: nothing to record
    client.get(url, headers=tokens.headers(citizen(mobile)))  # their own: not recorded

    looks = client.get(
        "/v1/audit/access",
        params={"complaint": filed["registration_no"]},
        headers=tokens.headers(AUDITOR),
    )
    assert looks.status_code == 200
    seen = [(look["actor_id"], look["endpoint"]) for look in reversed(looks.json()["items"])]
    assert seen == [
        ("collector-jaipur", "GET /v1/complaints/{ref}/timeline"),
        ("collector-jaipur", "GET /v1/complaints/{ref}/state"),
        ("helpline-181-agent-07", "GET /v1/complaints/{ref}"),
        ("ae-phed-jaipur", "GET /v1/inbox"),
    ]
    by_collector = client.get(
        "/v1/audit/access", params={"actor": "collector-jaipur"}, headers=tokens.headers(ADMIN)
    ).json()["items"]
    assert {look["complaint"] for look in by_collector} == {filed["id"]}
    assert (
        client.get("/v1/audit/access", headers=tokens.headers(JAIPUR_COLLECTOR)).status_code == 403
    )
    naive = client.get(
        "/v1/audit/access", params={"from": "2026-11-01T00:00:00"}, headers=tokens.headers(AUDITOR)
    )
    assert naive.status_code == 400 and naive.json()["field"] == "from"
