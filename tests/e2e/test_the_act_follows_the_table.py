"""The Act's commands over HTTP, as every role in and out of scope, answer as the permissions
table says (`first_appeal`, `second_appeal`, `decide_appeal`, `seek_revision`): permitted
-> 200; visible but not permitted -> 403; not visible -> 404 for a citizen, 403 for staff.
Each case on a fresh complaint about a notified service, put where the command is possible."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient

from api.services import Services
from domain.guarantee import AppealDecision, PenaltyBasis
from domain.values import Channel, Complainant, Identity, Outcome, Role
from tests.conftest import Tokens
from tests.e2e.test_access_matrix import IDENTITIES, MOBILE, expected
from tests.support import JAIPUR_WATER_L2, JAIPUR_WATER_OFFICER, OPERATOR, citizen
from tests.unit.test_complaint_rules import PHOTO

Client = TestClient[Any]
CHIEF_ENGINEER = Identity(id="ce-phed", role=Role.OFFICER, post="PHED-HOD", department="PHED")
EVERYONE = [(who, inside) for ids in IDENTITIES.values() for inside, who in ids.items()] + [
    (JAIPUR_WATER_L2, True),
    (CHIEF_ENGINEER, True),
]
COMMANDS = [
    ("first_appeal", "appeals/first", {"grounds": "rejected without reason"}, "rejected"),
    ("decide_appeal", "appeals/decision", {"decision": "allowed", "order": "serve"}, "appealed"),
    ("second_appeal", "appeals/second", {"grounds": "still not served"}, "decided"),
    ("seek_revision", "revision", {"grounds": "no stock"}, "penalised"),
]


def prepared(services: Services, state: str) -> UUID:
    """A Jaipur new-connection complaint under the Act, rejected, and then as far as `state`."""
    app, owner = services.app, citizen(MOBILE)
    complaint = app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Asha", mobile=MOBILE),
        district="JAI",
        department="PHED",
        category="new-connection",
        subject="No connection",
        description="Applied a month ago",
        channel=Channel.HELPLINE_181,
        service="phed-new-connection",
        applied_on=date(2026, 10, 20),
    ).id
    app.resolve(
        complaint,
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.REJECTED,
        action_taken="No",
        evidence=(PHOTO,),
    )
    steps = ["rejected", "appealed", "decided", "penalised"]
    if steps.index(state) >= 1:
        app.first_appeal(complaint, by=owner, grounds="wrongly rejected")
    if steps.index(state) >= 2:
        app.decide_appeal(
            complaint, by=JAIPUR_WATER_L2, decision=AppealDecision.ALLOWED, order="serve"
        )
    if steps.index(state) >= 3:
        app.second_appeal(complaint, by=owner, grounds="not served")
        app.decide_appeal(
            complaint,
            by=CHIEF_ENGINEER,
            decision=AppealDecision.ALLOWED,
            order="serve at once",
            penalty=PenaltyBasis.LUMP_SUM,
            amount=1000,
            reasons="rejected without cause",
        )
    return complaint


@pytest.mark.parametrize(
    ("action", "path", "body", "state"), COMMANDS, ids=[c[0] for c in COMMANDS]
)
def test_the_table_decides_the_acts_commands(
    client: Client,
    tokens: Tokens,
    services: Services,
    action: str,
    path: str,
    body: dict[str, Any],
    state: str,
) -> None:
    wrong, permitted = [], 0
    for who, inside in EVERYONE:
        complaint = prepared(services, state)
        want = expected(action, who, services, complaint)
        answer = client.post(
            f"/v1/complaints/{complaint}/{path}", json=body, headers=tokens.headers(who)
        )
        if answer.status_code != want:
            wrong.append((who.id, "in" if inside else "out", answer.status_code, want))
        permitted += want == 200
    assert wrong == []
    assert permitted, "somebody may take each of the Act's steps"
