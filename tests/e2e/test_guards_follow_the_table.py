"""Every endpoint that acts on no one complaint lets through exactly the roles the
permissions table lists for it: any other role is refused with a 403 that names the role,
before anything the request names (a complaint, a window of days, a cursor, a body) is
looked at or compared."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from domain.permissions import PERMISSIONS, SERVICES
from domain.values import Identity, Role
from tests.conftest import Tokens
from tests.support import (
    ADMIN,
    ANALYST,
    AUDITOR,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    WATER_HEAD,
    WATER_MINISTER,
    WATER_SECRETARY,
    citizen,
)

Client = TestClient[Any]
ONE_OF_EACH: dict[Role, Identity] = {
    Role.CITIZEN: citizen("9414000001"),
    Role.OPERATOR: OPERATOR,
    Role.OFFICER: JAIPUR_WATER_OFFICER,
    Role.COLLECTOR: JAIPUR_COLLECTOR,
    Role.DEPARTMENT_HEAD: WATER_HEAD,
    Role.SECRETARY: WATER_SECRETARY,
    Role.MINISTER: WATER_MINISTER,
    Role.ANALYST: ANALYST,
    Role.AUDITOR: AUDITOR,
    Role.ADMIN: ADMIN,
}

# Each guarded endpoint, with well-formed parameters it would refuse or never find (a
# malformed one is refused as such for everyone, by the declared parameters' rules).
GUARDED: dict[str, tuple[str, str]] = {
    "upload_evidence": ("POST", "/v1/attachments"),
    "audit": ("GET", "/v1/complaints/JAI-2026-999999/audit"),
    "who_looked": (
        "GET",
        "/v1/audit/access?from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z&cursor=x",
    ),
    "directory_history": ("GET", "/v1/directory/timeline?cursor=not-a-cursor"),
    "review_list": ("GET", "/v1/reviews/today?department=NOPE"),
    "directory_gaps": ("GET", "/v1/directory/gaps"),
    "dashboards": ("GET", "/v1/dashboards/districts?from=2026-11-10&to=2026-11-01"),
    "pipeline": ("GET", "/v1/pipeline/status"),
    "infographic": ("GET", "/v1/reports/infographic?day=2099-01-01&lang=en"),
    "district_pack": ("GET", "/v1/reports/district?district=NOPE&week=2099-W01"),
    "ranking_index": ("GET", "/v1/reports/index?month=2099-01&by=department"),
    "training_needs": ("GET", "/v1/reports/training?department=NOPE&month=2099-01"),
    "review_report": ("GET", "/v1/reviews/report?department=NOPE&day=2099-01-01"),
    "monthly_data": ("GET", "/v1/reports/monthly?department=NOPE&month=2099-01"),
}


def allowed(entry: str) -> frozenset[Role]:
    return frozenset(SERVICES.get(entry) or PERMISSIONS[entry])


@pytest.mark.parametrize("entry", sorted(GUARDED))
def test_a_role_the_table_does_not_list_is_refused_before_its_request_is_read(
    client: Client, tokens: Tokens, entry: str
) -> None:
    method, path = GUARDED[entry]
    refused = [role for role in ONE_OF_EACH if role not in allowed(entry)]
    assert refused, f"every role may use {entry}: nothing to test"
    for role in refused:
        answer = client.request(
            method, path, headers=tokens.headers(ONE_OF_EACH[role]), content=b"\xff"
        )
        assert answer.status_code == 403, (role, answer.text)
        assert answer.json()["detail"].startswith(f"{role.a} may not"), answer.text


@pytest.mark.parametrize("entry", sorted(GUARDED))
def test_a_role_the_table_lists_gets_past_the_guard(
    client: Client, tokens: Tokens, entry: str
) -> None:
    method, path = GUARDED[entry]
    for role in sorted(allowed(entry) - {Role.SYSTEM}):
        answer = client.request(
            method, path, headers=tokens.headers(ONE_OF_EACH[role]), content=b"\xff"
        )
        problem = "problem+json" in answer.headers.get("content-type", "")
        refusal = answer.json()["detail"] if problem else ""
        assert not refusal.startswith(f"{role.a} may not"), (role, answer.text)


def test_every_guarded_entry_is_in_the_table() -> None:
    assert set(GUARDED) <= set(SERVICES) | set(PERMISSIONS)


@pytest.mark.parametrize("entry", sorted(GUARDED))
def test_asking_which_methods_a_guarded_path_answers_needs_no_role(
    client: Client, entry: str
) -> None:
    _, path = GUARDED[entry]
    answer = client.options(path)
    assert answer.status_code == 204, answer.text
    assert "GET" in answer.headers["allow"] or "POST" in answer.headers["allow"]
