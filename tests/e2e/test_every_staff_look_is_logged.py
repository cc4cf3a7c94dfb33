"""Every read by staff that shows a complaint's personal data leaves a row in the who-looked
log: the complaint itself, a listing with names (search, inbox), its timeline, an earlier
state. A pseudonymous reader (an analyst) is shown no personal data and leaves none; nor does
the complainant reading its own complaint."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.conftest import Pipeline, Tokens, filed_by_a_citizen
from tests.support import (
    ANALYST,
    AUDITOR,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    WATER_SECRETARY,
    citizen,
    new_mobile,
)

Client = TestClient[Any]


def test_every_staff_read_of_personal_data_is_in_the_who_looked_log(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    mobile = new_mobile()
    filed = filed_by_a_citizen(client, tokens, mobile)
    url = f"/v1/complaints/{filed['id']}"
    pipeline.settle()
    reads = [
        (OPERATOR, "/v1/complaints", "GET /v1/complaints"),
        (WATER_SECRETARY, "/v1/complaints?district=JAI", "GET /v1/complaints"),
        (JAIPUR_WATER_OFFICER, "/v1/inbox", "GET /v1/inbox"),
        (JAIPUR_COLLECTOR, url, "GET /v1/complaints/{ref}"),
        (AUDITOR, f"{url}/timeline", "GET /v1/complaints/{ref}/timeline"),
        (JAIPUR_COLLECTOR, f"{url}/state?version=1", "GET /v1/complaints/{ref}/state"),
    ]
    for who, path, _ in reads:
        answer = client.get(path, headers=tokens.headers(who))
        assert answer.status_code == 200 and "Ramesh" in answer.text, (who.id, path)
    for path in ("/v1/complaints", url, f"{url}/timeline", f"{url}/state?version=1"):
        shown = client.get(path, headers=tokens.headers(ANALYST))
        assert shown.status_code == 200 and "Ramesh" not in shown.text, path
        client.get(path, headers=tokens.headers(citizen(mobile)))

    looks = client.get(
        "/v1/audit/access",
        params={"complaint": filed["id"]},
        headers=tokens.headers(AUDITOR),
    ).json()["items"]
    assert [(look["actor_id"], look["endpoint"]) for look in reversed(looks)] == [
        (who.id, endpoint) for who, _, endpoint in reads
    ]
