"""The Public Services Guarantee Act's figures on the dashboards (`GET
/v1/dashboards/guarantee`): two applications unserved in two districts, appealed on different
days, one to a penalty and a revision; each reader's scope (the `dashboards` row of the
permissions table) and several windows, every figure equal to a slow fold of the event store
(`projections/oracle.act_figures`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar.testing import TestClient

from api.services import Services
from domain.values import Identity
from projections.oracle import act_figures
from scheduler.jobs import Clockwork
from tests.conftest import Pipeline, Tokens, filed_by_a_citizen
from tests.e2e.test_the_act_brings_its_officers_to_the_complaint import by_post
from tests.e2e.test_the_guarantee_act import connection_complaint
from tests.support import (
    ADMIN,
    ANALYST,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    WATER_MINISTER,
    WATER_SECRETARY,
    TurnableClock,
    citizen,
    new_mobile,
)

Client = TestClient[Any]
URL = "/v1/dashboards/guarantee"
FIGURES = (
    "filed",
    "lapsed",
    "first_appeals",
    "first_decided",
    "second_appeals",
    "second_decided",
    "penalties",
    "penalty_rupees",
    "revisions",
)
WINDOWS = (
    (date(2026, 11, 1), date(2026, 11, 30)),  # the month: every step
    (date(2026, 11, 7), date(2026, 11, 7)),  # the day the first appeals came
    (date(2026, 11, 8), date(2026, 11, 30)),  # after it: decisions, the second appeal, ...
    (date(2025, 12, 1), date(2026, 11, 2)),  # eleven months up to the filing day: filings only
)
# A reader, what it asks for, and the part of the state that leaves it.
SCOPES: list[tuple[Identity, dict[str, str], dict[str, str]]] = [
    (ADMIN, {}, {}),
    (ANALYST, {"district": "AJM"}, {"district": "AJM"}),
    (ADMIN, {"district": "JAI", "department": "PHED"}, {"district": "JAI", "department": "PHED"}),
    (JAIPUR_COLLECTOR, {}, {"district": "JAI"}),
    (WATER_SECRETARY, {"district": "AJM"}, {"department": "PHED", "district": "AJM"}),
    (WATER_MINISTER, {"department": "PHED"}, {"department": "PHED"}),
    (WATER_MINISTER, {"department": "ENERGY"}, {"department": "ENERGY"}),  # none notified
]


def appeal(client: Client, headers: dict[str, str], ref: str, stage: str) -> None:
    answer = client.post(
        f"/v1/complaints/{ref}/appeals/{stage}", json={"grounds": "Not served"}, headers=headers
    )
    assert answer.status_code == 200, answer.text


def decide(client: Client, tokens: Tokens, post: str, ref: str, **more: Any) -> None:
    answer = client.post(
        f"/v1/complaints/{ref}/appeals/decision",
        json={"decision": "allowed", "order": "Serve it", **more},
        headers=tokens.headers(by_post(post)),
    )
    assert answer.status_code == 200, answer.text


def test_the_acts_figures_on_the_dashboard_equal_the_event_stores(
    client: Client,
    tokens: Tokens,
    services: Services,
    pipeline: Pipeline,
    clock: TurnableClock,
) -> None:
    jaipur, ajmer = new_mobile(), new_mobile()
    in_jaipur, in_ajmer = tokens.headers(citizen(jaipur)), tokens.headers(citizen(ajmer))
    refs = []
    for mobile, headers, district in ((jaipur, in_jaipur, "JAI"), (ajmer, in_ajmer, "AJM")):
        body = connection_complaint(mobile, district=district)
        filed = client.post("/v1/complaints", json=body, headers=headers)
        assert filed.status_code == 201, filed.text
        refs.append(filed.json()["id"])
    plain = filed_by_a_citizen(client, tokens)["id"]  # outside the Act

    clock.advance(days=5)  # 7 November: both stipulated times are over
    pipeline.settle()
    Clockwork(services.app, services.pool, workers=1).pass_stipulated_times()
    appeal(client, in_jaipur, refs[0], "first")
    appeal(client, in_ajmer, refs[1], "first")
    clock.advance(days=2)
    decide(client, tokens, "PHED-JAI-L2", refs[0])
    decide(client, tokens, "PHED-AJM-L2", refs[1])
    clock.advance(days=8)
    appeal(client, in_jaipur, refs[0], "second")
    penalty = {"basis": "per_day", "reasons": "Late without cause"}
    decide(client, tokens, "PHED-HOD", refs[0], penalty=penalty)
    clock.advance(days=1)
    revision = client.post(
        f"/v1/complaints/{refs[0]}/revision",
        json={"grounds": "Pipes out of stock"},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    )
    assert revision.status_code == 200, revision.text
    pipeline.settle()

    timelines = [services.app.timeline(ref) for ref in (*refs, plain)]
    for who, asked, scope in SCOPES:
        for first, last in WINDOWS:
            params = {"from": first.isoformat(), "to": last.isoformat(), **asked}
            shown = client.get(URL, params=params, headers=tokens.headers(who))
            assert shown.status_code == 200, shown.text
            got = shown.json()
            slow = act_figures(timelines, first, last, **scope)
            assert {name: got[name] for name in FIGURES} == slow, (who.id, asked, first)
            assert got["appeals_received"] == slow["first_appeals"] + slow["second_appeals"]
            assert got["appeals_decided"] == slow["first_decided"] + slow["second_decided"]
            assert (got["district"], got["department"]) == (
                scope.get("district"),
                scope.get("department"),
            )

    # The fold is not trivially empty: the month in all holds every step.
    month = client.get(
        URL, params={"from": "2026-11-01", "to": "2026-11-30"}, headers=tokens.headers(ADMIN)
    ).json()
    assert {name: month[name] for name in FIGURES} == {
        "filed": 2,
        "lapsed": 2,
        "first_appeals": 2,
        "first_decided": 2,
        "second_appeals": 1,
        "second_decided": 1,
        "penalties": 1,
        "penalty_rupees": 2750,  # 11 days late at Rs 250 a day
        "revisions": 1,
    }
    assert (month["appeals_received"], month["appeals_decided"]) == (3, 3)


def test_the_acts_dashboard_is_refused_as_the_others_are(client: Client, tokens: Tokens) -> None:
    def problem(who: Identity, **params: str) -> tuple[int, str | None]:
        answer = client.get(URL, params=params, headers=tokens.headers(who))
        return answer.status_code, answer.json().get("field")

    assert problem(JAIPUR_COLLECTOR, district="AJM") == (403, "district")
    assert problem(WATER_SECRETARY, department="ENERGY") == (403, "department")
    assert problem(ADMIN, **{"from": "2025-11-01", "to": "2026-11-30"}) == (400, "from")
    assert problem(ADMIN, **{"from": "2026-11-30", "to": "2026-11-01"}) == (400, "from")
    assert problem(ADMIN, district="*") == (400, "district")
    assert problem(JAIPUR_WATER_OFFICER)[0] == 403  # officers have no dashboards
