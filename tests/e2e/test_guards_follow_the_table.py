"""Every endpoint that acts on no one complaint lets through exactly the roles the
permissions table lists for it: any other role is refused with a 403 that names the role,
before anything the request names (a complaint, a window of days, a cursor, a body) is
looked at or compared."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from api.app import create_app
from api.guards import RolesAllowed
from api.services import Services
from domain.permissions import PERMISSIONS, SERVICES
from domain.values import Identity, Role
from infra.settings import Settings
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

# A request for each guarded route, with well-formed parameters it would refuse or never
# find (a malformed one is refused as such for everyone, by the declared parameters' rules).
# Which routes are guarded, and by which entry, is read from the app itself.
REQUESTS: dict[tuple[str, str], str] = {
    ("POST", "/v1/attachments"): "/v1/attachments",
    ("GET", "/v1/complaints/{ref:str}/audit"): "/v1/complaints/JAI-2026-999999/audit",
    ("GET", "/v1/audit/access"): (
        "/v1/audit/access?from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z&cursor=x"
    ),
    ("GET", "/v1/directory/timeline"): "/v1/directory/timeline?cursor=not-a-cursor",
    ("GET", "/v1/reviews/today"): "/v1/reviews/today?department=NOPE",
    ("GET", "/v1/directory/gaps"): "/v1/directory/gaps",
    ("GET", "/v1/pipeline/status"): "/v1/pipeline/status",
    ("GET", "/v1/reports/infographic"): "/v1/reports/infographic?day=2099-01-01&lang=en",
    ("GET", "/v1/reports/district"): "/v1/reports/district?district=NOPE&week=2099-W01",
    ("GET", "/v1/reports/index"): "/v1/reports/index?month=2099-01&by=department",
    ("GET", "/v1/reports/training"): "/v1/reports/training?department=NOPE&month=2099-01",
    ("GET", "/v1/triage"): "/v1/triage?cursor=not-a-cursor",
    ("POST", "/v1/assist/classify"): "/v1/assist/classify",
    ("GET", "/v1/reviews/report"): "/v1/reviews/report?department=NOPE&day=2099-01-01",
    ("GET", "/v1/reports/monthly"): "/v1/reports/monthly?department=NOPE&month=2099-01",
    ("GET", "/v1/assist/routing"): "/v1/assist/routing",
    ("POST", "/v1/assist/duplicates"): "/v1/assist/duplicates",
    ("POST", "/v1/complaints/{ref:str}/withdraw"): "/v1/complaints/JAI-2026-999999/withdraw",
    ("POST", "/v1/complaints/{ref:str}/follow"): "/v1/complaints/JAI-2026-999999/follow",
    ("GET", "/v1/appeals"): "/v1/appeals",
    ("GET", "/v1/complaints/{ref:str}/receipt"): "/v1/complaints/JAI-2026-999999/receipt",
    ("GET", "/v1/diwas/{district:str}/{day:str}"): "/v1/diwas/NOPE/2099-01-01",
}
A_BACKWARD_WINDOW = "?from=2026-11-10&to=2026-11-01"


def guarded_routes(app: Litestar) -> dict[tuple[str, str], RolesAllowed]:
    """Every route of the app whose guards include one made from the table."""
    found: dict[tuple[str, str], RolesAllowed] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for resolved in handler.resolve_guards():
                guard = getattr(resolved, "func", resolved)  # Litestar wraps each guard
                if isinstance(guard, RolesAllowed):
                    for method in handler.http_methods - {"OPTIONS"}:
                        found[(method, route.path)] = guard
    return found


# The routes need only the settings to be laid out; no request is made of this app.
GUARDED = guarded_routes(create_app(cast(Services, SimpleNamespace(settings=Settings()))))


def request_for(route: tuple[str, str]) -> str:
    """The request to make of a guarded route: listed above, or a dashboard's window."""
    if route in REQUESTS:
        return REQUESTS[route]
    assert route[1].startswith("/v1/dashboards/"), f"no request listed for {route}"
    return route[1] + A_BACKWARD_WINDOW


def test_the_app_guards_routes_from_the_table() -> None:
    assert {entry.entry for entry in GUARDED.values()} >= {"dashboards", "audit", "pipeline"}
    assert set(REQUESTS) <= set(GUARDED), set(REQUESTS) - set(GUARDED)


@pytest.mark.parametrize("route", sorted(GUARDED), ids="{0[0]} {0[1]}".format)
def test_a_role_the_table_does_not_list_is_refused_before_its_request_is_read(
    client: Client, tokens: Tokens, route: tuple[str, str]
) -> None:
    method, guard = route[0], GUARDED[route]
    refused = [role for role in ONE_OF_EACH if role not in guard.roles]
    assert refused, f"every role may use {guard.entry}: nothing to test"
    for role in refused:
        answer = client.request(
            method, request_for(route), headers=tokens.headers(ONE_OF_EACH[role]), content=b"\xff"
        )
        assert answer.status_code == 403, (role, answer.text)
        assert answer.json()["detail"].startswith(f"{role.a} may not"), answer.text


@pytest.mark.parametrize("route", sorted(GUARDED), ids="{0[0]} {0[1]}".format)
def test_a_role_the_table_lists_gets_past_the_guard(
    client: Client, tokens: Tokens, route: tuple[str, str]
) -> None:
    method, guard = route[0], GUARDED[route]
    for role in sorted(guard.roles - {Role.SYSTEM}):
        answer = client.request(
            method, request_for(route), headers=tokens.headers(ONE_OF_EACH[role]), content=b"\xff"
        )
        problem = "problem+json" in answer.headers.get("content-type", "")
        refusal = answer.json()["detail"] if problem else ""
        assert not refusal.startswith(f"{role.a} may not"), (role, answer.text)


def test_every_guard_names_an_entry_of_the_table() -> None:
    for guard in GUARDED.values():
        assert guard.roles == frozenset(SERVICES.get(guard.entry) or PERMISSIONS[guard.entry])


@pytest.mark.parametrize("route", sorted(GUARDED), ids="{0[0]} {0[1]}".format)
def test_asking_which_methods_a_guarded_path_answers_needs_no_role(
    client: Client, route: tuple[str, str]
) -> None:
    answer = client.options(request_for(route))
    assert answer.status_code == 204, answer.text
    assert "GET" in answer.headers["allow"] or "POST" in answer.headers["allow"]
