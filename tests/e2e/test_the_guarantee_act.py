"""A complaint about a service notified under the Public Services Guarantee Act, over HTTP and
through the whole pipeline: its stipulated time passes unserved, the scheduler records it,
the citizen appeals to the first appeal officer's post, then to the second appeal
authority's, which fines the designated officer by the Act's rule; the officer seeks
revision. Every step is on the timeline, and the Act's figures in the read model equal a
slow fold of the event store."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pypdfium2
from litestar.testing import TestClient

from api.services import Services
from domain.values import Channel, Complainant, Identity, Outcome, Role
from projections import guarantee
from projections.oracle import act_figures
from reports import monthly_data
from scheduler.jobs import Clockwork
from tests.conftest import Pipeline, Tokens, filed_by_a_citizen
from tests.e2e.test_action_taken_report import path_of
from tests.support import (
    ADMIN,
    JAIPUR_WATER_L2,
    JAIPUR_WATER_OFFICER,
    WATER_SECRETARY,
    TurnableClock,
    citizen,
    new_mobile,
    water_complaint,
)
from tests.unit.test_complaint_rules import PHOTO

Client = TestClient[Any]
CHIEF_ENGINEER = Identity(id="ce-phed", role=Role.OFFICER, post="PHED-HOD", department="PHED")
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def connection_complaint(mobile: str, **overrides: Any) -> dict[str, Any]:
    """Applied on 30 October for a new water connection (7 days: due by 6 November)."""
    fields = {
        "category": "new-connection",
        "service": "phed-new-connection",
        "applied_on": "2026-10-30",
        **overrides,
    }
    return water_complaint(mobile, **fields)


def test_an_unserved_application_is_appealed_twice_and_the_officer_fined(
    client: Client,
    tokens: Tokens,
    services: Services,
    pipeline: Pipeline,
    clock: TurnableClock,
) -> None:
    mobile = new_mobile()
    ramesh = tokens.headers(citizen(mobile))
    filed = client.post("/v1/complaints", json=connection_complaint(mobile), headers=ramesh)
    assert filed.status_code == 201, filed.text
    ref = filed.json()["id"]
    plain = filed_by_a_citizen(client, tokens)  # outside the Act: never in its figures
    early = client.post(
        f"/v1/complaints/{ref}/appeals/first", json={"grounds": "g"}, headers=ramesh
    )
    assert early.status_code == 409 and "nothing to appeal" in early.text

    clock.advance(days=5)  # 7 November in Jaipur: the stipulated time is over
    pipeline.settle()
    clockwork = Clockwork(services.app, services.pool, workers=1)
    assert clockwork.pass_stipulated_times() == {"StipulatedTimePassed": 1}
    pipeline.settle()
    assert clockwork.pass_stipulated_times() == {}  # once

    position = client.get(f"/v1/complaints/{ref}/guarantee", headers=ramesh).json()
    assert (position["due_on"], position["appeal_until"]) == ("2026-11-06", "2026-12-06")
    page = client.get(f"{path_of(services, UUID(ref))}?lang=en").text
    assert "Right to appeal" in page
    assert (
        "You may appeal to the first appeal officer (Executive Engineer, Jaipur) until 06-12-2026"
        in page
    )
    appeal = client.post(
        f"/v1/complaints/{ref}/appeals/first",
        json={"grounds": "No connection a week after I applied"},
        headers=ramesh,
    )
    assert appeal.status_code == 200, appeal.text
    pipeline.settle()
    before_l2 = client.get("/v1/appeals", headers=tokens.headers(JAIPUR_WATER_L2)).json()
    assert [(a["registration_no"], a["stage"], a["post"]) for a in before_l2] == [
        (filed.json()["registration_no"], 1, "PHED-JAI-L2")
    ]
    assert client.get("/v1/appeals", headers=tokens.headers(CHIEF_ENGINEER)).json() == []
    ruling = {"decision": "allowed", "order": "Connect within three days"}
    not_theirs = client.post(
        f"/v1/complaints/{ref}/appeals/decision",
        json=ruling,
        headers=tokens.headers(CHIEF_ENGINEER),
    )
    assert not_theirs.status_code == 403  # the appeal lies before the level-2 post
    decided = client.post(
        f"/v1/complaints/{ref}/appeals/decision",
        json=ruling,
        headers=tokens.headers(JAIPUR_WATER_L2),
    )
    assert decided.status_code == 200, decided.text

    clock.advance(days=10)  # 17 November: still not connected
    second = client.post(
        f"/v1/complaints/{ref}/appeals/second",
        json={"grounds": "Still no connection"},
        headers=ramesh,
    )
    assert second.status_code == 200, second.text
    too_low = {**ruling, "penalty": {"basis": "lump_sum", "amount": 100, "reasons": "x"}}
    refused = client.post(
        f"/v1/complaints/{ref}/appeals/decision",
        json=too_low,
        headers=tokens.headers(CHIEF_ENGINEER),
    )
    assert refused.status_code == 400 and "amount" in refused.text
    fined = client.post(
        f"/v1/complaints/{ref}/appeals/decision",
        json={
            "decision": "allowed",
            "order": "Connect at once",
            "penalty": {"basis": "per_day", "reasons": "Eleven days late without cause"},
        },
        headers=tokens.headers(CHIEF_ENGINEER),
    )
    assert fined.status_code == 200, fined.text
    revision = client.post(
        f"/v1/complaints/{ref}/revision",
        json={"grounds": "Pipes were out of stock"},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    )
    assert revision.status_code == 200, revision.text

    page = client.get(path_of(services, UUID(ref))).text  # in Hindi
    assert "पदाभिहित अधिकारी पर 2750 रुपये (11 दिन का विलंब)" in page
    position = client.get(f"/v1/complaints/{ref}/guarantee", headers=ramesh).json()
    penalty = position["penalty"]
    assert (penalty["post"], penalty["days_late"], penalty["amount"]) == ("PHED-JAI-L1", 11, 2750)
    timeline = client.get(f"/v1/complaints/{ref}/timeline", headers=ramesh).json()
    assert [e["type"] for e in timeline["events"]][2:] == [
        "StipulatedTimePassed",
        "FirstAppealFiled",
        "FirstAppealDecided",
        "SecondAppealFiled",
        "SecondAppealDecided",
        "PenaltyImposed",
        "RevisionSought",
    ]

    pipeline.settle()
    the_figures_add_up(services, [services.app.timeline(c) for c in (ref, plain["id"])])


def pdf_text(document: bytes) -> str:
    pdf = pypdfium2.PdfDocument(document)
    return "".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))


def the_figures_add_up(services: Services, timelines: list[Any]) -> None:
    """The read model's figures of the Act equal the slow fold's, in every scope, and the
    department's monthly data carries them."""
    with services.pool.connection() as conn:
        for scope in ({}, {"department": "PHED"}, {"department": "PHED", "district": "JAI"}):
            held = guarantee.figures(conn, *NOVEMBER, **scope)
            slow = act_figures(timelines, *NOVEMBER, **scope)
            assert {k: getattr(held, k) for k in slow} == slow
        assert guarantee.figures(conn, *NOVEMBER, department="ENERGY") == guarantee.Figures()
        phed = guarantee.figures(conn, *NOVEMBER, department="PHED")
        month = monthly_data.gather(
            conn, services.app.directory(), WATER_SECRETARY, "PHED", NOVEMBER[0], "en"
        )
    # The department's monthly data carries them, by district and in all.
    assert month.act_total == phed
    assert month.act_districts == {"JAI": phed}
    header, rows = monthly_data.act_table(month)
    assert header[0] == "District" and rows[-1] == ["Total", 1, 1, 1, 1, 1, 1, 1, 2750, 1]
    text = pdf_text(monthly_data.pdf(month))
    assert "Guaranteed Delivery of Public Services Act, 2011" in text
    assert "Second appeals\r\ndecided" in text
    assert slow == {
        "filed": 1,
        "lapsed": 1,
        "first_appeals": 1,
        "first_decided": 1,
        "second_appeals": 1,
        "second_decided": 1,
        "penalties": 1,
        "penalty_rupees": 2750,
        "revisions": 1,
    }


def test_a_claim_under_the_act_is_refused_naming_its_field(
    client: Client, tokens: Tokens, services: Services
) -> None:
    mobile = new_mobile()
    ramesh = tokens.headers(citizen(mobile))
    for overrides, field in (
        ({"applied_on": "2026-11-03"}, "applied_on"),  # after the day it is filed
        ({"category": "water-supply"}, "service"),  # not the service's category
        ({"service": "no-such-service"}, "service"),
    ):
        answer = client.post(
            "/v1/complaints", json=connection_complaint(mobile, **overrides), headers=ramesh
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == field
    body = water_complaint(mobile, applied_on="2026-10-30")
    answer = client.post("/v1/complaints", json=body, headers=ramesh)
    assert (answer.status_code, answer.json()["field"]) == (422, "service")
    plain = filed_by_a_citizen(client, tokens, mobile)
    appeal = client.post(
        f"/v1/complaints/{plain['id']}/appeals/first", json={"grounds": "late"}, headers=ramesh
    )
    assert appeal.status_code == 409 and "not about a service notified" in appeal.text


def test_the_citizen_appeals_from_the_report_page(client: Client, services: Services) -> None:
    """A rejected application: the report page offers the appeal; the form files it, once."""
    mobile = new_mobile()
    complaint = services.app.file_complaint(
        by=citizen(mobile),
        complainant=Complainant(name="Asha", mobile=mobile),
        district="JAI",
        department="PHED",
        category="new-connection",
        subject="No connection",
        description="Applied a week ago",
        channel=Channel.PORTAL,
        service="phed-new-connection",
        applied_on=date(2026, 10, 30),
    ).id
    path = path_of(services, complaint)
    assert 'action="' + path + "/appeal" not in client.get(path).text  # nothing to appeal yet
    services.app.resolve(
        complaint,
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.REJECTED,
        action_taken="No pipeline in the lane",
        evidence=(PHOTO,),
    )
    page = client.get(f"{path}?lang=en").text
    assert f'action="{path}/appeal?lang=en"' in page and "Grounds of appeal" in page
    blank = client.post(f"{path}/appeal", data={"grounds": "  "})
    assert blank.status_code == 400
    taken = client.post(f"{path}/appeal?lang=en", data={"grounds": "The lane has a pipeline"})
    assert taken.status_code == 200 and "Your appeal is recorded" in taken.text
    assert "First appeal" in taken.text and "Grounds of appeal" not in taken.text
    again = client.post(f"{path}/appeal?lang=en", data={"grounds": "again"})
    assert again.status_code == 409 and "filed already" in again.text
    (appeal,) = [
        e for e in services.app.timeline(complaint) if type(e).__name__ == "FirstAppealFiled"
    ]
    assert appeal.actor.id == f"citizen-{mobile}"  # type: ignore[attr-defined]


def test_a_service_is_notified_in_the_directory_by_an_admin(
    client: Client, tokens: Tokens, services: Services
) -> None:
    service = {
        "code": "pwd-road-cut",
        "name": "Permission to cut a road",
        "department": "PWD",
        "category": "road-repair",
        "stipulated_days": 15,
        "designated_officer": "Assistant Engineer",
        "first_appeal_officer": "Executive Engineer",
        "second_appeal_authority": "Chief Engineer",
    }
    admin = tokens.headers(ADMIN)
    path = "/v1/directory/services"
    refused = client.post(path, json=service, headers=tokens.headers(JAIPUR_WATER_OFFICER))
    assert refused.status_code == 403
    too_long = client.post(path, json={**service, "stipulated_days": 400}, headers=admin)
    assert (too_long.status_code, too_long.json()["field"]) == (400, "stipulated_days")
    unknown = client.post(path, json={**service, "category": "no-such"}, headers=admin)
    assert (unknown.status_code, unknown.json()["field"]) == (422, "category")
    before = services.app.directory().version
    notified = client.post(path, json=service, headers=admin)
    assert notified.status_code == 200 and notified.json()["version"] == before + 1  # one event
    again = client.post(path, json=service, headers=admin)
    assert again.json()["version"] == before + 1  # the same notification again changes nothing
    listed = client.get(f"{path}?department=PWD", headers=tokens.headers(citizen(new_mobile())))
    assert [s["code"] for s in listed.json()] == ["pwd-road-cut"]
