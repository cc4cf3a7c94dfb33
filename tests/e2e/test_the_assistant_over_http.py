"""The assistant through HTTP: classify, file with only a subject and a description (routed
by a confident choice, or left for the helpline desk's triage), urgency raised as the
assistant's act, and every bad input a 4xx naming its field."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from api.services import Services
from assist.store import Models
from tests.assisting import seed_model
from tests.conftest import Pipeline, Tokens
from tests.support import ANALYST, OPERATOR, START, citizen, new_mobile

Client = TestClient[Any]


def store(services: Services, route_threshold: float, urgent_threshold: float = 0.5) -> int:
    with services.pool.connection() as conn:
        return Models(conn).save(seed_model(route_threshold, urgent_threshold), START)


def without_category(mobile: str, subject: str, description: str) -> dict[str, Any]:
    return {
        "complainant": {"name": "Sita Devi", "mobile": mobile},
        "district": "JAI",
        "subject": subject,
        "description": description,
        "channel": "portal",
    }


def test_classify_names_its_model_and_refuses_bad_words(
    client: Client, services: Services, tokens: Tokens
) -> None:
    operator = tokens.headers(OPERATOR)
    body = {"subject": "bijli ka bill galat", "description": "is mahine 9000 ka bill aaya"}
    assert client.post("/v1/assist/classify", json=body, headers=operator).status_code == 409
    version = store(services, route_threshold=0.2)
    answer = client.post("/v1/assist/classify", json=body, headers=operator)
    assert answer.status_code == 200, answer.text
    shown = answer.json()
    assert shown["model_version"] == version
    assert shown["suggestions"][0] == {
        "department": "ENERGY",
        "category": "meter-billing",
        "score": shown["suggestions"][0]["score"],
    }
    assert set(shown["urgent"]) == {"flag", "score", "reasons"}
    for bad, field in (
        ({**body, "subject": "  "}, "subject"),
        ({**body, "description": "a\x00b"}, "description"),
        ({**body, "district": "Jaipur!"}, "district"),
        ({**body, "district": "XYZ"}, "district"),
        ({"subject": "x"}, "description"),
    ):
        refused = client.post("/v1/assist/classify", json=bad, headers=operator)
        assert refused.status_code == 400, (bad, refused.text)
        assert field in refused.text
    assert (
        client.post("/v1/assist/classify", json=body, headers=tokens.headers(ANALYST)).status_code
        == 403
    )


def test_a_hinglish_complaint_lands_with_the_officer_and_says_the_assistant_chose(
    client: Client, services: Services, tokens: Tokens
) -> None:
    version = store(services, route_threshold=0.0)
    mobile = new_mobile()
    sita = tokens.headers(citizen(mobile))
    body = without_category(
        mobile, "transformer jal gaya", "hamare mohalle ka transformer 3 din se jala pada hai"
    )
    filed = client.post("/v1/complaints", json=body, headers=sita)
    assert filed.status_code == 201, filed.text
    assert filed.json()["holder"] == "ENERGY-JAI-L1"
    timeline = client.get(f"/v1/complaints/{filed.json()['id']}/timeline", headers=sita).json()
    first = timeline[0] if isinstance(timeline, list) else timeline["events"][0]
    assert first["type"] == "Filed"
    assert first["data"]["category"] == "transformer"
    assert first["data"]["assistant"]["model_version"] == version
    assert first["data"]["assistant"]["routed"] is True


def test_an_unsure_filing_waits_for_the_desk_who_routes_it(
    client: Client, services: Services, tokens: Tokens, pipeline: Pipeline
) -> None:
    store(services, route_threshold=1.01)  # sure of nothing
    mobile = new_mobile()
    body = without_category(mobile, "pani nahi aa raha", "5 din se nal me pani nahi aaya")
    filed = client.post("/v1/complaints", json=body, headers=tokens.headers(citizen(mobile)))
    assert filed.status_code == 201, filed.text
    assert filed.json()["status"] == "unassigned" and filed.json()["holder"] is None
    pipeline.settle()
    operator = tokens.headers(OPERATOR)
    queue = client.get("/v1/triage", headers=operator)
    assert queue.status_code == 200, queue.text
    (waiting,) = queue.json()["items"]
    assert waiting["complaint"]["id"] == filed.json()["id"]
    assert waiting["suggestions"][0]["department"] == "PHED"
    assert client.get("/v1/triage", headers=tokens.headers(citizen(mobile))).status_code == 403
    routed = client.post(
        f"/v1/complaints/{filed.json()['id']}/triage",
        json={"department": "PHED", "category": "water-supply"},
        headers=operator,
    )
    assert routed.status_code == 200, routed.text
    assert routed.json()["holder"] == "PHED-JAI-L1"
    pipeline.settle()
    assert client.get("/v1/triage", headers=operator).json()["items"] == []


def test_a_risk_to_life_raises_the_priority_and_shouting_does_not(
    client: Client, services: Services, tokens: Tokens
) -> None:
    store(services, route_threshold=0.0, urgent_threshold=0.5)
    mobile = new_mobile()
    sita = tokens.headers(citizen(mobile))
    danger = client.post(
        "/v1/complaints",
        json=without_category(
            mobile,
            "bijli ka taar road pe gira",
            "taar toot ke gali me gira hai, current chalu hai, bachhe wahan khelte hai",
        ),
        headers=sita,
    )
    assert danger.status_code == 201, danger.text
    timeline = client.get(f"/v1/complaints/{danger.json()['id']}/timeline", headers=sita).json()
    events = timeline if isinstance(timeline, list) else timeline["events"]
    raised = [e for e in events if e["type"] == "PriorityRaised"]
    assert len(raised) == 1 and "risk to life" in raised[0]["data"]["reason"]
    shouting = client.post(
        "/v1/complaints",
        json={
            **without_category(
                mobile, "bahut urgent!!!", "turant turant ration card me naam jodo, bahut urgent"
            ),
        },
        headers=sita,
    )
    assert shouting.status_code == 201, shouting.text
    timeline = client.get(f"/v1/complaints/{shouting.json()['id']}/timeline", headers=sita).json()
    events = timeline if isinstance(timeline, list) else timeline["events"]
    assert not [e for e in events if e["type"] == "PriorityRaised"]


def test_a_category_needs_its_department_and_no_model_needs_both(
    client: Client, tokens: Tokens
) -> None:
    mobile = new_mobile()
    sita = tokens.headers(citizen(mobile))
    body = without_category(mobile, "pani nahi", "nal sukha hai")
    lone = client.post("/v1/complaints", json={**body, "category": "water-supply"}, headers=sita)
    assert lone.status_code == 400 and "department" in lone.text
    untrained = client.post("/v1/complaints", json=body, headers=sita)
    assert untrained.status_code == 422 and "category" in untrained.text
    named = client.post(
        "/v1/complaints",
        json={**body, "department": "PHED", "category": "water-supply"},
        headers=sita,
    )
    assert named.status_code == 201, named.text
