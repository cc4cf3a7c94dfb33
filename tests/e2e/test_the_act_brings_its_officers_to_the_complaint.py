"""The officers the Public Services Guarantee Act brings a complaint before read it: the first
appeal officer and the second appeal authority while the appeal lies before them and after
they decided it, and the designated officer it fined, each by its post alone (a token with
no district or department). Both ways of reading agree: the read model's (`GET
/v1/complaints/{id}`, the search) and the aggregate's (the timeline). An officer the Act
never brought it before is told it does not exist, as for a complaint never filed."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from litestar.testing import TestClient

from api.services import Services
from domain.values import Identity, Role
from scheduler.jobs import Clockwork
from tests.conftest import Pipeline, Tokens
from tests.e2e.test_the_guarantee_act import connection_complaint
from tests.support import AUDITOR, TurnableClock, citizen, new_mobile

Client = TestClient[Any]


def by_post(post: str) -> Identity:
    return Identity(id=f"officer-{post.lower()}", role=Role.OFFICER, post=post)


FIRST_APPEAL_OFFICER = by_post("PHED-JAI-L2")
SECOND_APPEAL_AUTHORITY = by_post("PHED-HOD")
DESIGNATED_OFFICER = by_post("PHED-JAI-L1")
UNRELATED = by_post("PHED-AJM-L2")  # the first appeal officer of another district


def reads(client: Client, tokens: Tokens, who: Identity, ref: str) -> bool:
    """Whether `who` reads the complaint every way: by id, in the search, on its timeline."""
    headers = tokens.headers(who)
    one = client.get(f"/v1/complaints/{ref}", headers=headers)
    found = client.get("/v1/complaints", params={"limit": 100}, headers=headers)
    timeline = client.get(f"/v1/complaints/{ref}/timeline", headers=headers)
    assert found.status_code == 200, found.text
    ways = (
        one.status_code == 200,
        ref in [item["id"] for item in found.json()["items"]],
        timeline.status_code == 200,
    )
    assert len(set(ways)) == 1, f"the ways of reading disagree for {who.post}: {ways}"
    return ways[0]


def test_the_appeal_officers_and_the_officer_fined_read_the_complaint(
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
    ref, registration_no = filed.json()["id"], filed.json()["registration_no"]
    pipeline.settle()
    assert not reads(client, tokens, FIRST_APPEAL_OFFICER, ref)  # nothing before it yet

    clock.advance(days=5)  # the stipulated time (7 days from 30 October) is over
    pipeline.settle()
    Clockwork(services.app, services.pool, workers=1).pass_stipulated_times()
    appealed = client.post(
        f"/v1/complaints/{ref}/appeals/first", json={"grounds": "No connection"}, headers=ramesh
    )
    assert appealed.status_code == 200, appealed.text
    pipeline.settle()
    assert reads(client, tokens, FIRST_APPEAL_OFFICER, ref)  # the appeal lies before it
    assert not reads(client, tokens, SECOND_APPEAL_AUTHORITY, ref)

    decided = client.post(
        f"/v1/complaints/{ref}/appeals/decision",
        json={"decision": "allowed", "order": "Connect within three days"},
        headers=tokens.headers(FIRST_APPEAL_OFFICER),
    )
    assert decided.status_code == 200, decided.text
    clock.advance(days=10)
    second = client.post(
        f"/v1/complaints/{ref}/appeals/second", json={"grounds": "Still none"}, headers=ramesh
    )
    assert second.status_code == 200, second.text
    fined = client.post(
        f"/v1/complaints/{ref}/appeals/decision",
        json={
            "decision": "allowed",
            "order": "Connect at once",
            "penalty": {"basis": "per_day", "reasons": "Late without cause"},
        },
        headers=tokens.headers(SECOND_APPEAL_AUTHORITY),
    )
    assert fined.status_code == 200, fined.text
    # The designated officer's post no longer holds it: moved to another department.
    moved = client.post(
        f"/v1/complaints/{ref}/transfer",
        json={"department": "ENERGY", "reason": "The pump has no power"},
        headers=tokens.headers(DESIGNATED_OFFICER),
    )
    assert moved.status_code == 200, moved.text
    pipeline.settle()
    assert client.get(f"/v1/complaints/{ref}", headers=ramesh).json()["holder"] != "PHED-JAI-L1"

    # Each post the Act brought it before reads it, the decided appeals' ones included.
    for officer in (FIRST_APPEAL_OFFICER, SECOND_APPEAL_AUTHORITY, DESIGNATED_OFFICER):
        assert reads(client, tokens, officer, ref), officer.post

    # Another officer is told what it would be told of a complaint never filed.
    hidden = client.get(f"/v1/complaints/{ref}", headers=tokens.headers(UNRELATED))
    never = client.get(f"/v1/complaints/{uuid4()}", headers=tokens.headers(UNRELATED))
    assert hidden.status_code == never.status_code == 404
    assert hidden.json() == never.json()
    assert not reads(client, tokens, UNRELATED, ref)

    # The who-looked log records the first appeal officer's reads.
    looks = client.get(
        "/v1/audit/access", params={"complaint": registration_no}, headers=tokens.headers(AUDITOR)
    ).json()["items"]
    assert ("officer-phed-jai-l2", "GET /v1/complaints/{ref}") in {
        (look["actor_id"], look["endpoint"]) for look in looks
    }
    assert "officer-phed-ajm-l2" not in {look["actor_id"] for look in looks}
