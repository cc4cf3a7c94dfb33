"""Withdrawal (issue 17, item 5), over HTTP and from the report page: Ramesh takes back one
open complaint through the API and Sita another from the page her link opens; no one else
may, nothing is written by a refusal, a withdrawn complaint cannot be withdrawn again, and
the collector's figures count them as withdrawn (neither disposed of nor relief) and still
add up."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from api.services import Services
from infra.security.report_links import report_link
from tests.conftest import Pipeline, Tokens, filed_by_a_citizen
from tests.e2e.test_api_read_side import balances
from tests.support import JAIPUR_COLLECTOR, JAIPUR_WATER_OFFICER, OPERATOR, citizen, new_mobile

Client = TestClient[Any]


def test_the_complainant_withdraws_and_the_figures_count_it_apart(
    client: Client, tokens: Tokens, services: Services, pipeline: Pipeline
) -> None:
    ramesh = new_mobile()
    filed = filed_by_a_citizen(client, tokens, ramesh)
    kept = filed_by_a_citizen(client, tokens)
    url = f"/v1/complaints/{filed['id']}/withdraw"
    reason = {"reason": "The pipeline was repaired; water is back."}

    for who, status in (
        (OPERATOR, 403),  # refused by the route's guard, before the body is read
        (JAIPUR_WATER_OFFICER, 403),
        (JAIPUR_COLLECTOR, 403),
        (citizen(new_mobile()), 404),  # another citizen: no such complaint
    ):
        refused = client.post(url, json=reason, headers=tokens.headers(who))
        assert refused.status_code == status, (who.role, refused.text)
    assert services.app.complaint(filed["id"]).version == filed["version"]  # nothing written

    mine = tokens.headers(citizen(ramesh))
    blank = client.post(url, json={"reason": "  "}, headers=mine)
    assert (blank.status_code, blank.json()["field"]) == (400, "reason")
    stale = client.post(url, json={**reason, "expected_version": 1}, headers=mine)
    assert stale.status_code == 409 and stale.json()["current_version"] == filed["version"]

    done = client.post(url, json=reason, headers=mine)
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["due_at"]) == ("withdrawn", None)
    again = client.post(url, json=reason, headers=mine)
    assert again.status_code == 409, again.text

    timeline = client.get(f"/v1/complaints/{filed['id']}/timeline", headers=mine).json()
    last = timeline["events"][-1]
    assert (last["type"], last["data"]["reason"], last["data"]["holder"]) == (
        "Withdrawn",
        reason["reason"],
        "PHED-JAI-L1",
    )

    pipeline.settle()
    shown = client.get(f"/v1/complaints/{filed['id']}", headers=mine).json()
    assert (shown["status"], shown["deadline"]) == ("withdrawn", None)
    collector = tokens.headers(JAIPUR_COLLECTOR)
    (district,) = client.get("/v1/dashboards/districts", headers=collector).json()["rows"]
    assert balances(district)
    assert (district["received"], district["withdrawn"], district["disposed"]) == (2, 1, 0)
    assert district["pending"] == district["pending_now"] == 1
    assert district["relief_pct"] is None  # a withdrawal is no disposal
    (post,) = client.get(
        "/v1/dashboards/posts", params={"department": "PHED"}, headers=collector
    ).json()["rows"]
    assert post["key"] == "PHED-JAI-L1" and post["withdrawn"] == 1 and balances(post)
    assert client.get(f"/v1/complaints/{kept['id']}", headers=collector).json()["status"] == (
        "assigned"
    )


def test_the_report_page_offers_withdrawal_while_open_and_takes_it(
    client: Client, tokens: Tokens, services: Services
) -> None:
    filed = filed_by_a_citizen(client, tokens)
    link = report_link(services.settings, filed["id"], services.app.clock())
    path = link.removeprefix(services.settings.public_url)

    page = client.get(path, params={"lang": "en"})
    assert page.status_code == 200
    assert f'action="{path}/withdraw?lang=en"' in page.text
    assert "Withdraw the complaint" in page.text

    blank = client.post(f"{path}/withdraw", data={"reason": " "}, headers={"Accept": "text/html"})
    assert blank.status_code == 400
    assert services.app.complaint(filed["id"]).status == "assigned"

    script = "<script>alert(1)</script> solved"
    done = client.post(f"{path}/withdraw", params={"lang": "en"}, data={"reason": script})
    assert done.status_code == 200, done.text
    assert "Your complaint is withdrawn" in done.text
    assert "withdrawn by you" in done.text
    assert "Withdraw the complaint" not in done.text  # no form once withdrawn
    assert done.headers["content-security-policy"].startswith("default-src 'none'")
    withdrawn = services.app.complaint(filed["id"])
    assert withdrawn.status == "withdrawn"
    assert services.app.timeline(filed["id"])[-1].reason == script  # type: ignore[attr-defined]
    assert script not in done.text  # the page shows no reason, and escapes what it shows

    twice = client.post(f"{path}/withdraw", params={"lang": "en"}, data={"reason": "again"})
    assert twice.status_code == 409
    assert "cannot withdraw a complaint that is withdrawn" in twice.text
