"""Who may do what to a Jaipur water complaint held by the Jaipur water office (PHED-JAI-L1).

One row per endpoint and caller: each caller either in scope (2xx), or out of scope: reading,
404 for anyone (nothing about the complaint is revealed); acting, 403 for staff and 404 for
a citizen who is not the complainant.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from domain.values import Identity
from tests.conftest import Pipeline, Tokens
from tests.support import (
    ADMIN,
    AJMER_COLLECTOR,
    AJMER_WATER_OFFICER,
    ANALYST,
    AUDITOR,
    JAIPUR_COLLECTOR,
    JAIPUR_POWER_OFFICER,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    POWER_HEAD,
    WATER_HEAD,
    WATER_SECRETARY,
    citizen,
    water_complaint,
)

Client = TestClient[Any]
COMPLAINANT_MOBILE = "9414000001"
COMPLAINANT = citizen(COMPLAINANT_MOBILE)
STRANGER = citizen("9414000002")

READ = ("GET", "", None)
TIMELINE = ("GET", "/timeline", None)
COMMENT = ("POST", "/comments", {"text": "noted"})
ESCALATE = ("POST", "/escalate", {"reason": "pending too long"})
TRANSFER = ("POST", "/transfer", {"department": "ENERGY", "reason": "pump has no power"})
ASSIGN = ("POST", "/assign", {"post": "PHED-JAI-L2"})
REMIND = ("POST", "/remind", {"note": "any news?"})
PRIORITY = ("POST", "/priority", {"reason": "whole ward"})

CASES: list[tuple[tuple[str, str, Any], Identity, int]] = [
    (READ, COMPLAINANT, 200),
    (READ, STRANGER, 404),
    (READ, JAIPUR_WATER_OFFICER, 200),
    (READ, AJMER_WATER_OFFICER, 404),
    (READ, JAIPUR_COLLECTOR, 200),
    (READ, AJMER_COLLECTOR, 404),
    (READ, WATER_HEAD, 200),
    (READ, POWER_HEAD, 404),
    (READ, WATER_SECRETARY, 200),
    (READ, ANALYST, 200),
    (READ, AUDITOR, 200),
    (READ, OPERATOR, 200),
    (TIMELINE, STRANGER, 404),
    (TIMELINE, AUDITOR, 200),
    (COMMENT, JAIPUR_WATER_OFFICER, 200),
    (COMMENT, COMPLAINANT, 403),
    (COMMENT, AUDITOR, 403),
    (COMMENT, AJMER_COLLECTOR, 403),
    (ESCALATE, JAIPUR_COLLECTOR, 200),
    (ESCALATE, WATER_HEAD, 200),
    (ESCALATE, ADMIN, 200),
    (ESCALATE, JAIPUR_WATER_OFFICER, 403),
    (ESCALATE, POWER_HEAD, 403),
    (ESCALATE, COMPLAINANT, 403),
    (TRANSFER, JAIPUR_WATER_OFFICER, 200),
    (TRANSFER, JAIPUR_COLLECTOR, 200),
    (TRANSFER, JAIPUR_POWER_OFFICER, 403),
    (TRANSFER, AJMER_COLLECTOR, 403),
    (ASSIGN, JAIPUR_COLLECTOR, 200),
    (ASSIGN, WATER_HEAD, 200),
    (ASSIGN, JAIPUR_WATER_OFFICER, 403),
    (REMIND, COMPLAINANT, 200),
    (REMIND, OPERATOR, 200),
    (REMIND, STRANGER, 404),
    (REMIND, JAIPUR_WATER_OFFICER, 403),
    (PRIORITY, JAIPUR_COLLECTOR, 200),
    (PRIORITY, WATER_HEAD, 403),
    (PRIORITY, COMPLAINANT, 403),
]


READS = [c for c in CASES if c[0] is READ]
COMMANDS = [c for c in CASES if c[0] is not READ]


def file_one(client: Client, tokens: Tokens) -> dict[str, Any]:
    filed: dict[str, Any] = client.post(
        "/v1/complaints",
        json=water_complaint(COMPLAINANT_MOBILE),
        headers=tokens.headers(COMPLAINANT),
    ).json()
    return filed


@pytest.mark.parametrize(
    ("who", "status"), [(w, s) for _, w, s in READS], ids=[w.id for _, w, _ in READS]
)
def test_who_reads_the_complaint(
    client: Client, tokens: Tokens, pipeline: Pipeline, who: Identity, status: int
) -> None:
    filed = file_one(client, tokens)
    pipeline.settle()
    answer = client.get(f"/v1/complaints/{filed['id']}", headers=tokens.headers(who))
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize(
    ("request_", "who", "status"),
    COMMANDS,
    ids=[f"{r[1]}-{w.id}" for r, w, _ in COMMANDS],
)
def test_scope(
    client: Client, tokens: Tokens, request_: tuple[str, str, Any], who: Identity, status: int
) -> None:
    filed = file_one(client, tokens)
    method, suffix, body = request_
    answer = client.request(
        method, f"/v1/complaints/{filed['id']}{suffix}", json=body, headers=tokens.headers(who)
    )
    assert answer.status_code == status, answer.text
