"""A client written from /schema alone meets no surprise: every status an operation answers is
documented (errors as problem+json), success codes are the ones answered, parameters are
parsed as documented, and an unsupported method is a 405 that says which ones are."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.openapi import ANSWERS, UNSTORED, amend
from api.services import Services
from tests.conftest import Pipeline, Tokens
from tests.support import ADMIN, JAIPUR_WATER_OFFICER, OPERATOR, new_mobile, water_complaint

Client = TestClient[Any]
PROBLEM = "application/problem+json"


@pytest.fixture
def spec(client: Client) -> dict[str, Any]:
    answer = client.get("/schema/openapi.json")
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]


def test_every_error_an_operation_answers_is_documented_as_a_problem(
    spec: dict[str, Any],
) -> None:
    assert "Problem" in spec["components"]["schemas"]
    for method, path, operation in operations(spec):
        responses = operation["responses"]
        public = operation.get("security") == []
        named = any(p["in"] == "path" for p in operation.get("parameters", []))
        wanted = set()
        if operation.get("parameters") or "requestBody" in operation:
            wanted.add("400")
        if not public:
            wanted |= {"401", "403"}
        if named:
            wanted.add("404")
        if method == "post" and not public:
            wanted |= {"409", "422"}
        if (method, path) not in UNSTORED:  # health, the webhook's handshake, the font
            wanted.add("503")
        assert wanted <= set(responses), (method, path, sorted(responses))
        for code, response in responses.items():
            if path.startswith("/open311/"):  # the spec's own errors, as its clients parse them
                assert set(response["content"]) == {"application/json", "application/xml"}
            elif int(code) >= 400 and "text/html" not in response.get("content", {}):
                assert response["content"] == {
                    PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, (method, path, code)


def test_only_the_citizens_page_the_sent_documents_the_webhook_and_health_need_no_token(
    spec: dict[str, Any],
) -> None:
    public = {(method, path) for method, path, op in operations(spec) if op.get("security") == []}
    assert public == {
        ("get", "/health"),
        ("get", "/health/live"),
        ("get", "/health/ready"),
        ("get", "/atr/{token}"),
        ("post", "/atr/{token}/feedback"),
        ("post", "/atr/{token}/withdraw"),  # the same link: the complainant's withdrawal
        ("post", "/atr/{token}/appeal"),  # the citizen's appeal under the Act, from the page
        ("post", "/atr/{token}/answer"),  # the answer to an officer's question
        ("get", "/atr/{token}/evidence/{sha256}"),
        ("get", "/documents/{token}"),  # a signed link: the secretaries' monthly data
        ("get", "/v1/webhooks/whatsapp"),
        ("post", "/v1/webhooks/whatsapp"),
        # Open311 clients present an `api_key` instead (`api/open311.py`).
        ("get", "/open311/v2/{name}"),
        ("post", "/open311/v2/{name}"),
        ("get", "/open311/v2/services/{name}"),
        ("get", "/open311/v2/requests/{name}"),
        ("get", "/open311/v2/tokens/{name}"),
        ("get", "/status/{registration_no}"),  # the public status: the mobile's last digits
        ("post", "/status/{registration_no}"),  # or the receipt's signed key
        ("get", "/fonts/{name}"),  # the pages' Devanagari font
    }
    report = spec["paths"]["/atr/{token}"]["get"]["responses"]["200"]["content"]
    assert set(report) == {"text/html", "application/pdf"}


def test_filing_is_documented_and_answered_as_201_created_with_its_location(
    client: Client, spec: dict[str, Any], tokens: Tokens, pipeline: Pipeline
) -> None:
    filing = spec["paths"]["/v1/complaints"]["post"]["responses"]
    assert "Location" in filing["201"]["headers"]
    assert {"429", "422"} <= set(filing)
    assert "Retry-After" in filing["429"]["headers"]

    filed = client.post(
        "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
    )

    assert filed.status_code == 201
    assert filed.headers["Location"] == f"/v1/complaints/{filed.json()['id']}"
    pipeline.settle()
    shown = client.get(filed.headers["Location"], headers=tokens.headers(OPERATOR))
    assert shown.status_code == 200, shown.text
    assert shown.json()["id"] == filed.json()["id"]


def test_commands_and_directory_changes_are_documented_as_the_200_they_answer(
    client: Client, spec: dict[str, Any], tokens: Tokens
) -> None:
    for method, path, operation in operations(spec):
        if method == "post" and path not in ("/v1/complaints", "/v1/attachments"):
            assert set(operation["responses"]) & {"200", "201"} == {"200"}, path

    filed = client.post(
        "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
    ).json()
    commented = client.post(
        f"/v1/complaints/{filed['id']}/comments",
        json={"text": "Valve inspected"},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    )
    holiday = client.post(
        "/v1/directory/holidays",
        json={"day": "2026-12-25", "name": "Christmas"},
        headers=tokens.headers(ADMIN),
    )
    assert commented.status_code == 200, commented.text
    assert holiday.status_code == 200, holiday.text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("filed_to=0.5", "filed_to"),  # a number is not a date-time
        ("filed_from=1700000000", "filed_from"),
        ("filed_to=2026-11-22T10:00:00", "filed_to"),  # a date-time has its offset
        ("filed_to=2026-11-22", "filed_to"),
        ("limit=1e1", "limit"),
        ("limit=2.0", "limit"),
        ("overdue=1", "overdue"),
        ("level=", "level"),
        ("limit=9223372036854775808", "limit"),
        ("holder=%F3%9D%98%86", "holder"),  # a code is letters, digits, - and _
        ("district=a%00b", "district"),
        ("department=PHED%20", "department"),
        ("status=lost", "status"),
    ],
)
def test_search_parameters_are_parsed_as_documented(
    client: Client, tokens: Tokens, query: str, field: str
) -> None:
    answer = client.get(f"/v1/complaints?{query}", headers=tokens.headers(OPERATOR))
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["field"] == field


@pytest.mark.parametrize(
    "query",
    [
        "filed_to=2026-11-22T10:00:00Z",
        "filed_from=2026-11-22T10:00:00%2B05:30&filed_to=2026-11-23T10:00:00.123456-01:00",
        "overdue=false&limit=5&level=2",
    ],
)
def test_documented_values_are_accepted(client: Client, tokens: Tokens, query: str) -> None:
    answer = client.get(f"/v1/complaints?{query}", headers=tokens.headers(OPERATOR))
    assert answer.status_code == 200, answer.text


def test_other_operations_parse_dates_and_times_as_documented(
    client: Client, tokens: Tokens
) -> None:
    for url, field in (
        ("/v1/dashboards/daily?from=0.5", "from"),
        ("/v1/audit/access?to=12", "to"),
        (f"/v1/complaints/{'0' * 8}-0000-0000-0000-{'0' * 12}/state?at=1.5", "at"),
        ("/v1/directory/holidays?year=2026.0", "year"),
        ("/v1/directory/posts?level=9223372036854775808", "level"),
        ("/v1/reviews/today?department=%C3%97%C3%B8", "department"),
        ("/v1/audit/access?actor=admin%0001", "actor"),  # no control character anywhere
        ("/v1/audit/access?complaint=JAI%1F", "complaint"),
    ):
        answer = client.get(url, headers=tokens.headers(ADMIN))
        assert answer.status_code == 400, (url, answer.text)
        assert answer.json()["field"] == field


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/v1/complaints", "GET, OPTIONS, POST"),
        ("PUT", "/v1/complaints/JAI-2026-0000001", "GET, OPTIONS"),
        ("PATCH", "/v1/directory/posts/PHED-JAI-L1", "GET, OPTIONS"),
        ("GET", "/v1/complaints/JAI-2026-0000001/assign", "OPTIONS, POST"),
        ("DELETE", "/health", "GET, OPTIONS"),
    ],
)
def test_an_unanswered_method_is_a_405_that_names_the_answered_ones(
    client: Client, method: str, path: str, allowed: str
) -> None:
    answer = client.request(method, path)
    assert answer.status_code == 405
    assert answer.headers["Allow"] == allowed
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert allowed in answer.json()["detail"]


def test_options_lists_every_method_of_a_path(client: Client) -> None:
    assert client.options("/v1/complaints").headers["Allow"] == "GET, OPTIONS, POST"
    assert client.options("/v1/directory/holidays").headers["Allow"] == "GET, OPTIONS, POST"
    assert client.options("/v1/complaints/X/assign").headers["Allow"] == "OPTIONS, POST"


def test_a_new_operation_is_documented_by_its_kind_without_a_word_of_its_own() -> None:
    """The table, not the operation, says what a kind answers."""
    schema: dict[str, Any] = {
        "paths": {
            "/v1/complaints/{ref}/merge": {
                "post": {
                    "parameters": [{"name": "ref", "in": "path"}],
                    "requestBody": {},
                    "responses": {"200": {"description": "merged"}},
                }
            },
            "/atr/{token}/photo": {
                "get": {
                    "parameters": [{"name": "token", "in": "path"}],
                    "responses": {"200": {"description": "a photo"}},
                }
            },
        }
    }
    amend(schema, public=["^/atr/"])
    merge = schema["paths"]["/v1/complaints/{ref}/merge"]["post"]
    photo = schema["paths"]["/atr/{token}/photo"]["get"]
    expected = {"authenticated", "named", "command", "input", "body", "stored"}
    assert set(merge["responses"]) == {"200"} | {
        str(code) for kind in expected for code in ANSWERS[kind]
    }
    assert photo["security"] == []
    assert set(photo["responses"]) == {"200", "400", "404", "503"}


def test_production_serves_no_schema_unless_asked(services: Services) -> None:
    def schema_status(**settings: Any) -> int:
        configured = replace(
            services, settings=msgspec.structs.replace(services.settings, **settings)
        )
        with TestClient(app=create_app(configured)) as client:
            return client.get("/schema/openapi.json").status_code

    assert schema_status(environment="production") == 404
    assert schema_status(environment="production", public_schema=True) == 200
    assert schema_status(environment="development") == 200
    assert schema_status(environment="development", public_schema=False) == 404


def test_a_filing_links_to_everything_that_can_be_done_with_the_complaint(
    spec: dict[str, Any], client: Client, tokens: Tokens
) -> None:
    """The 201 of a filing and the answer of every command name the operations that take
    the complaint's id, so a client (or a stateful test) can follow a complaint's life."""
    paths = spec["paths"]
    by_id = {
        op["operationId"]: (method, path)
        for path, item in paths.items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }
    on_complaint = {i for i, (_, path) in by_id.items() if path.startswith("/v1/complaints/{ref}")}
    filed = paths["/v1/complaints"]["post"]["responses"]["201"]["links"]
    assert set(filed) == on_complaint
    assert all(link["parameters"] == {"ref": "$response.body#/id"} for link in filed.values())
    resolved = paths["/v1/complaints/{ref}/resolve"]["post"]["responses"]["200"]["links"]
    assert set(resolved) == on_complaint
    uploaded = paths["/v1/attachments"]["post"]["responses"]["201"]["links"]
    assert [by_id[i] for i in uploaded] == [("get", "/v1/attachments/{sha256}")]

    # Followed by hand: the id the filing answers is the one the linked operation takes.
    mobile = new_mobile()
    answer = client.post(
        "/v1/complaints", json=water_complaint(mobile), headers=tokens.headers(OPERATOR)
    ).json()
    assert (
        client.get(
            f"/v1/complaints/{answer['id']}/timeline", headers=tokens.headers(OPERATOR)
        ).status_code
        == 200
    )


def test_what_the_door_refuses_in_a_path_or_a_query_the_schema_refuses_too(
    spec: dict[str, Any], client: Client, tokens: Tokens
) -> None:
    """A C1 control character (U+0087) in a path or a query is refused at the door, and
    the schema's patterns say so: a generator that follows them never sends one."""
    import re

    for path, item in spec["paths"].items():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for parameter in op.get("parameters", []):
                if (
                    parameter["in"] in ("path", "query")
                    and parameter["schema"].get("type") == "string"
                ):
                    pattern = parameter["schema"]["pattern"]
                    assert not re.search(pattern, "a\u0087b"), (path, parameter["name"])
    admin = tokens.headers(ADMIN)
    assert client.get("/v1/complaints/%C2%87", headers=admin).status_code == 400
    assert (
        client.get("/v1/directory/categories?department=%C2%87E", headers=admin).status_code == 400
    )
