"""Every complaint endpoint x every role x in and out of scope, as the permissions table says.

For each case a fresh complaint is put in a state where the action is possible (disposed of
before feedback, and so on), then the endpoint is called over HTTP. The expected answer
comes from `domain/permissions.py`: permitted here -> 2xx; not permitted but visible -> 403;
not visible: a read is a 404 for anyone (the complaint does not exist for the caller), a
command a 403 for staff and a 404 for a citizen (who learns nothing of others' complaints);
no token -> 401.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient

from api.services import Services
from domain.access import may_see
from domain.permissions import PERMISSIONS, Scope, permits
from domain.values import Channel, Complainant, Identity, Outcome, Role
from tests.conftest import Pipeline, Tokens
from tests.support import JAIPUR_WATER_OFFICER, OPERATOR
from tests.unit.test_complaint_rules import PHOTO

Client = TestClient[Any]
MOBILE = "9700000001"

# For each role: one identity in the scope of a Jaipur water complaint held by PHED-JAI-L1,
# and (where the role has a scope short of the state) one outside it.
IDENTITIES: dict[Role, dict[bool, Identity]] = {
    Role.CITIZEN: {
        True: Identity(id="citizen-own", role=Role.CITIZEN, mobile=MOBILE),
        False: Identity(id="citizen-other", role=Role.CITIZEN, mobile="9700000002"),
    },
    Role.OFFICER: {
        True: JAIPUR_WATER_OFFICER,
        False: Identity(
            id="ae-ajmer", role=Role.OFFICER, post="PHED-AJM-L1", district="AJM", department="PHED"
        ),
    },
    Role.COLLECTOR: {
        True: Identity(id="dm-jaipur", role=Role.COLLECTOR, district="JAI"),
        False: Identity(id="dm-ajmer", role=Role.COLLECTOR, district="AJM"),
    },
    Role.DEPARTMENT_HEAD: {
        True: Identity(id="ce-phed", role=Role.DEPARTMENT_HEAD, department="PHED"),
        False: Identity(id="md-discom", role=Role.DEPARTMENT_HEAD, department="ENERGY"),
    },
    Role.SECRETARY: {
        True: Identity(id="acs-phed", role=Role.SECRETARY, department="PHED"),
        False: Identity(id="acs-energy", role=Role.SECRETARY, department="ENERGY"),
    },
    Role.OPERATOR: {True: OPERATOR},
    Role.ANALYST: {True: Identity(id="analyst", role=Role.ANALYST)},
    Role.AUDITOR: {True: Identity(id="auditor", role=Role.AUDITOR)},
    Role.ADMIN: {True: Identity(id="admin", role=Role.ADMIN)},
}


@dataclass(frozen=True)
class Endpoint:
    action: str
    method: str
    path: str  # {id} is the complaint
    body: dict[str, Any] | None = None
    prepare: str = "open"  # the complaint's state before the call


PNG = b"\x89PNG\r\n\x1a\n" + b"\x05" * 40


def evidence(services: Services) -> dict[str, Any]:
    """A photo in the evidence store, as a resolution refers to it."""
    return {
        "sha256": services.blobs.put(PNG),
        "filename": "repaired.png",
        "media_type": "image/png",
        "size": len(PNG),
    }


ENDPOINTS = [
    Endpoint("see", "GET", "/v1/complaints/{id}/timeline"),
    Endpoint("see", "GET", "/v1/complaints/{id}/state?version=1"),
    Endpoint("assign", "POST", "/v1/complaints/{id}/assign", {"post": "PHED-JAI-L2"}),
    Endpoint(
        "transfer", "POST", "/v1/complaints/{id}/transfer", {"department": "ENERGY", "reason": "r"}
    ),
    Endpoint("escalate", "POST", "/v1/complaints/{id}/escalate", {"reason": "slow"}),
    Endpoint("raise_priority", "POST", "/v1/complaints/{id}/priority", {"reason": "urgent"}),
    Endpoint(
        "resolve",
        "POST",
        "/v1/complaints/{id}/resolve",
        {"outcome": "relief", "action_taken": "done", "attachments": ["EVIDENCE"]},
    ),
    Endpoint(
        "give_feedback",
        "POST",
        "/v1/complaints/{id}/feedback",
        {"satisfied": True, "rating": 5},
        "resolved",
    ),
    Endpoint("reopen", "POST", "/v1/complaints/{id}/reopen", {"reason": "again"}, "resolved"),
    Endpoint("close", "POST", "/v1/complaints/{id}/close", {"reason": "done"}, "resolved"),
    Endpoint("remind", "POST", "/v1/complaints/{id}/remind", {}),
    Endpoint("withdraw", "POST", "/v1/complaints/{id}/withdraw", {"reason": "the pump works"}),
    Endpoint("comment", "POST", "/v1/complaints/{id}/comments", {"text": "noted"}),
    Endpoint("review", "POST", "/v1/complaints/{id}/review", {"note": "call the XEN"}),
    # FIRST: an earlier complaint of the same place, filed for the request.
    Endpoint("link", "POST", "/v1/complaints/{id}/link", {"duplicate_of": "FIRST"}),
    Endpoint("audit", "GET", "/v1/complaints/{id}/audit"),
    Endpoint("receipt", "GET", "/v1/complaints/{id}/receipt"),
    # The clock that waits: asked by the holder, answered by the complainant or an office.
    Endpoint("clarify", "POST", "/v1/complaints/{id}/clarify", {"question": "Your bill?"}),
    Endpoint("answer", "POST", "/v1/complaints/{id}/answer", {"answer": "Sent"}, "waiting"),
    Endpoint("interim_reply", "POST", "/v1/complaints/{id}/interim-reply", {"note": "Soon"}),
    Endpoint(
        "hear",
        "POST",
        "/v1/complaints/{id}/hearing",
        {"on": "2026-12-05T05:30:00Z", "post": "PHED-JAI-L1", "mode": "video"},
    ),
    # Jaipur's Sampark Diwas of December in the sample directory (the third Thursday).
    Endpoint("list_for_diwas", "POST", "/v1/complaints/{id}/diwas", {"day": "2026-12-17"}),
]

CASES = [
    (endpoint, role, inside)
    for endpoint in ENDPOINTS
    for role, identities in IDENTITIES.items()
    for inside in identities
]


def new_complaint(services: Services, state: str) -> UUID:
    complaint = services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Asha", mobile=MOBILE),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="No water",
        description="Ward 1",
        channel=Channel.HELPLINE_181,
    ).id
    if state == "resolved":
        services.app.resolve(
            complaint,
            by=JAIPUR_WATER_OFFICER,
            outcome=Outcome.RELIEF,
            action_taken="Fixed",
            evidence=(PHOTO,),
        )
    if state == "waiting":
        services.app.seek_clarification(
            complaint, by=JAIPUR_WATER_OFFICER, question="Please send the bill"
        )
    return complaint


def expected(action: str, who: Identity, services: Services, complaint: UUID) -> int:
    found = services.app.complaint(complaint)
    if permits(who, action, found):
        return 200
    if action in ("audit", "receipt") and who.role not in PERMISSIONS[action]:
        return 403  # refused by role, before the complaint is even looked up
    if not may_see(who, found) and (action == "see" or who.role == Role.CITIZEN):
        return 404  # what one may not read does not exist for it
    return 403


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[f"{e.method} {e.path}" for e in ENDPOINTS])
def test_the_table_decides(
    client: Client, tokens: Tokens, services: Services, endpoint: Endpoint
) -> None:
    """One endpoint, as every role in and out of scope, each on a fresh complaint."""
    wrong = []
    for role, inside in [(r, i) for r, ids in IDENTITIES.items() for i in ids]:
        complaint = new_complaint(services, endpoint.prepare)
        who = IDENTITIES[role][inside]
        want = expected(endpoint.action, who, services, complaint)
        url = endpoint.path.replace("{id}", str(complaint))
        if endpoint.method == "GET":
            answer = client.get(url, headers=tokens.headers(who))
        else:
            body = dict(endpoint.body or {})
            if "attachments" in body:
                body["attachments"] = [evidence(services)]
            if body.get("duplicate_of") == "FIRST":
                body["duplicate_of"] = str(new_complaint(services, "open"))
            answer = client.post(url, json=body, headers=tokens.headers(who))
        if answer.status_code != want:
            wrong.append((role.value, "in" if inside else "out", answer.status_code, want))
        elif want != 200:  # a refusal writes nothing
            written = services.app.complaint(complaint).version
            if written != (2 if endpoint.prepare == "open" else 3):
                wrong.append((role.value, "in" if inside else "out", "wrote", written))
    assert wrong == []


def test_without_a_token_every_endpoint_is_a_401(client: Client, services: Services) -> None:
    complaint = new_complaint(services, "resolved")
    for endpoint in ENDPOINTS:
        url = endpoint.path.replace("{id}", str(complaint))
        call = client.get if endpoint.method == "GET" else client.post
        assert call(url).status_code == 401, url  # type: ignore[operator]


def test_the_read_model_view_follows_the_same_table(
    client: Client, tokens: Tokens, services: Services, pipeline: Pipeline
) -> None:
    complaint = new_complaint(services, "open")
    pipeline.settle()
    found = services.app.complaint(complaint)
    for role, identities in IDENTITIES.items():
        for inside, who in identities.items():
            answer = client.get(f"/v1/complaints/{complaint}", headers=tokens.headers(who))
            want = expected("see", who, services, complaint)
            assert answer.status_code == want, (role, inside, answer.text)
            if want == 200:
                shown = answer.json()["complainant"]
                assert (shown is None) == (who.role == Role.ANALYST)
            listed = client.get("/v1/complaints", headers=tokens.headers(who)).json()
            ids = [c["id"] for c in listed.get("items", [])]
            assert (str(complaint) in ids) == may_see(who, found), (role, inside)


def test_every_role_in_the_table_is_tried_in_and_out_of_its_scope() -> None:
    for action, roles in PERMISSIONS.items():
        for role, scope in roles.items():
            if role == Role.SYSTEM:
                continue  # no token is ever minted for the scheduler
            assert role in IDENTITIES, (action, role)
            assert (False in IDENTITIES[role]) == (scope != Scope.STATE), (action, role)
    assert len(CASES) == len(ENDPOINTS) * sum(len(i) for i in IDENTITIES.values())


# --- the endpoints that act on no one complaint ---------------------------------------------


@dataclass(frozen=True)
class Service:
    service: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    ok: int = 200
    department: str | None = None  # the department whose data the request asks for


SERVICE_ENDPOINTS = [
    Service("search", "GET", "/v1/complaints"),
    Service("search_by_complainant", "GET", "/v1/complaints?name=Asha"),
    Service("inbox", "GET", "/v1/inbox"),
    Service("dashboards", "GET", "/v1/dashboards/districts"),
    Service("dashboards", "GET", "/v1/dashboards/daily"),
    Service("dashboards", "GET", "/v1/dashboards/departments"),
    Service("dashboards", "GET", "/v1/dashboards/posts"),
    Service("review_list", "GET", "/v1/reviews/today?department=PHED", department="PHED"),
    Service("pipeline", "GET", "/v1/pipeline/status"),
    Service("who_looked", "GET", "/v1/audit/access"),
    Service("directory_read", "GET", "/v1/directory/districts"),
    Service("directory_read", "GET", "/v1/directory/posts/PHED-JAI-L1"),
    Service("directory_history", "GET", "/v1/directory/timeline"),
    Service("directory_gaps", "GET", "/v1/directory/gaps"),
    Service("directory_change", "POST", "/v1/directory/posts/PHED-AJM-L2/holder", {"holder": "X"}),
    Service(
        "directory_change", "POST", "/v1/directory/holidays", {"day": "2026-12-31", "name": "Y"}
    ),
]
SERVICE_CASES = [
    (endpoint, who)
    for endpoint in SERVICE_ENDPOINTS
    for identities in IDENTITIES.values()
    for who in identities.values()
]


def test_the_services_table_decides(client: Client, tokens: Tokens) -> None:
    """All service endpoints x all identities in one test (they change nothing a later case
    reads), so the matrix costs one database, not a hundred and eighty."""
    from domain.permissions import SERVICES, uses

    wrong = []
    for endpoint, who in SERVICE_CASES:
        if endpoint.method == "GET":
            answer = client.get(endpoint.path, headers=tokens.headers(who))
        else:
            answer = client.post(endpoint.path, json=endpoint.body, headers=tokens.headers(who))
        allowed = uses(who, endpoint.service)
        if allowed and endpoint.department is not None:
            scope = SERVICES[endpoint.service][who.role]
            allowed = scope != Scope.DEPARTMENT or who.department == endpoint.department
        want = endpoint.ok if allowed else 403
        if answer.status_code != want:
            wrong.append((endpoint.path, who.id, answer.status_code, want))
    assert wrong == []
    assert len(SERVICE_CASES) == len(SERVICE_ENDPOINTS) * 14


def test_filing_follows_the_table(client: Client, tokens: Tokens) -> None:
    from domain.permissions import uses
    from tests.support import water_complaint

    for identities in IDENTITIES.values():
        for who in identities.values():
            mobile = who.mobile or "9700000009"
            body = water_complaint(
                mobile, channel="portal" if who.role == Role.CITIZEN else "helpline_181"
            )
            answer = client.post("/v1/complaints", json=body, headers=tokens.headers(who))
            assert answer.status_code == (201 if uses(who, "file") else 403), (who, answer.text)
