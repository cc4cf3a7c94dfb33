"""What came in from the open internet and once stopped the system, or answered 500: each is
now a clear answer at the door, and the complaints behind it keep flowing."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient

from api.services import Services
from infra.security.signing import hub_signature
from tests.conftest import Pipeline, Tokens
from tests.e2e.ways_in import (
    awaiting_reply,
    disposed,
    refused,
    report_path,
    stored_events,
    text_reply,
    webhook,
)
from tests.support import ADMIN, AUDITOR, OPERATOR, WATER_SECRETARY, new_mobile, water_complaint

Client = TestClient[Any]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
__all__ = ["awaiting_reply"]  # a fixture


def test_a_feedback_comment_the_read_side_cannot_hold_is_refused_and_complaints_keep_flowing(
    client: Client, services: Services, tokens: Tokens, pipeline: Pipeline, database: str
) -> None:
    path = report_path(services, disposed(services))
    pipeline.settle()
    before = stored_events(database)

    answer = client.post(
        f"{path}/feedback", content=b"satisfied=no&comment=bad%00service", headers=FORM
    )

    refused(answer, "comment")
    assert stored_events(database) == before
    filed = client.post(
        "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
    )
    pipeline.settle()
    found = client.get(
        "/v1/complaints", params={"district": "JAI"}, headers=tokens.headers(ADMIN)
    ).json()
    assert filed.json()["id"] in [item["id"] for item in found["items"]]


def test_a_report_page_comment_is_bounded_like_every_other_comment(
    client: Client, services: Services, database: str
) -> None:
    path = report_path(services, disposed(services))
    before = stored_events(database)
    answer = client.post(f"{path}/feedback", data={"satisfied": "no", "comment": "x" * 900_000})
    refused(answer, "comment")
    assert "2000" in answer.json()["detail"]
    assert stored_events(database) == before


@pytest.mark.parametrize(
    ("path", "name", "who"),
    [
        ("/v1/complaints", "district", ADMIN),
        ("/v1/complaints", "department", ADMIN),
        ("/v1/complaints", "category", ADMIN),
        ("/v1/complaints", "holder", ADMIN),
        ("/v1/audit/access", "actor", AUDITOR),
        ("/v1/reviews/today", "department", ADMIN),
        ("/v1/reviews/today", "department", WATER_SECRETARY),
    ],
)
def test_a_filter_naming_a_code_is_checked_as_a_code(
    client: Client, tokens: Tokens, path: str, name: str, who: Any
) -> None:
    answer = client.get(path, params={name: "a\x00b"}, headers=tokens.headers(who))
    assert answer.status_code == 400
    refused(answer, name)


def test_a_dashboard_is_asked_only_about_the_years_the_system_knows(
    client: Client, tokens: Tokens
) -> None:
    for name, value in [("to", "0001-01-05"), ("from", "0001-01-01"), ("to", "9999-12-31")]:
        for by in ("daily", "districts", "departments"):
            answer = client.get(
                f"/v1/dashboards/{by}", params={name: value}, headers=tokens.headers(ADMIN)
            )
            assert answer.status_code == 400, answer.text
            refused(answer, name)


@pytest.mark.parametrize(
    ("name", "value"),
    [("filed_from", "0001-01-01T00:00:00+05:30"), ("filed_to", "9999-12-31T23:00:00-05:00")],
)
def test_a_search_between_moments_is_asked_only_about_the_years_the_system_knows(
    client: Client, tokens: Tokens, name: str, value: str
) -> None:
    answer = client.get("/v1/complaints", params={name: value}, headers=tokens.headers(ADMIN))
    refused(answer, name)


def deeply_nested(levels: int = 50_000) -> bytes:
    return b'{"subject": ' + b"[" * levels + b"]" * levels + b"}"


def test_json_nested_past_any_document_of_ours_is_refused_before_it_is_parsed(
    client: Client, services: Services, tokens: Tokens, database: str
) -> None:
    before = stored_events(database)
    headers = tokens.headers(OPERATOR, **{"Content-Type": "application/json"})
    for path in ("/v1/complaints", "/v1/directory/districts"):
        answer = client.post(path, content=deeply_nested(), headers=headers)
        assert answer.status_code == 400, answer.text
        refused(answer, "body")
    body = deeply_nested()
    signed = client.post(
        "/v1/webhooks/whatsapp",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": hub_signature(services.settings.whatsapp_app_secret, body),
        },
    )
    assert signed.status_code == 200 and signed.json() == {"recorded": 0}  # the provider's
    unsigned = client.post(
        "/v1/webhooks/whatsapp", content=body, headers={"Content-Type": "application/json"}
    )
    assert unsigned.status_code == 401  # the signature is checked before the depth
    assert stored_events(database) == before


def test_a_document_of_ordinary_depth_is_welcome(client: Client, tokens: Tokens) -> None:
    nested: Any = "x"
    for _ in range(20):
        nested = [nested]
    answer = client.post(
        "/v1/complaints",
        json=water_complaint(new_mobile(), subject=nested),
        headers=tokens.headers(OPERATOR),
    )
    refused(answer, "subject")  # the wrong type, said as such: the depth was no problem


def test_the_body_limit_holds_for_the_form_and_the_webhook_too(
    client: Client, services: Services, database: str
) -> None:
    path = report_path(services, disposed(services))
    before = stored_events(database)
    form = client.post(
        f"{path}/feedback", content=b"satisfied=no&comment=" + b"x" * 2_000_000, headers=FORM
    )
    assert form.status_code == 413, form.text
    hook = client.post(
        "/v1/webhooks/whatsapp",
        content=b'{"entry": "' + b"x" * 2_000_000 + b'"}',
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=00"},
    )
    assert hook.status_code == 413, hook.text
    assert stored_events(database) == before


def shapes(mobile: str, report: str) -> list[Any]:
    """Signed bodies the provider's format allows or a broken provider might send."""
    good = text_reply(mobile, "wamid.in.shape", report, "not satisfied 2")
    message = good["entry"][0]["changes"][0]["value"]["messages"][0]

    def with_message(**changes: Any) -> dict[str, Any]:
        return text_reply(mobile, "wamid.in.shape", report, "x") | {
            "entry": [{"changes": [{"value": {"messages": [message | changes]}}]}]
        }

    return [
        {"entry": "x"},
        {"entry": ["x"]},
        {"entry": [{"changes": "x"}]},
        {"entry": [{"changes": [{"value": None}]}]},
        {"entry": [{"changes": [{"value": "x"}]}]},
        {"entry": [{"changes": [{"value": {"messages": "x"}}]}]},
        {"entry": [{"changes": [{"value": {"messages": ["x", 5, None]}}]}]},
        {"entry": [{"changes": [{"value": {"statuses": [{"id": "wamid.x"}]}}]}]},
        with_message(text=None),
        with_message(text={"body": None}),
        with_message(text={"body": 5}),
        with_message(type="interactive", interactive=None),
        with_message(type="interactive", interactive={"button_reply": None}),
        with_message(type="button", button=None),
        with_message(type="button", button={"payload": ["SATISFIED"]}),
        with_message(context=None, text={"body": "hello"}),
        with_message(context="x"),
        with_message(context={"id": None}, text={"body": "hello"}),
        with_message(id=None),
        with_message(**{"from": 919876543210}),
        None,
        "x",
        [1, 2],
        {},
        b"not json at all",
        b'{"entry": [',
        b"\xff\xfe\x00",
    ]


def test_the_webhook_answers_any_signed_shape_and_records_nothing_it_does_not_understand(
    client: Client,
    services: Services,
    database: str,
    awaiting_reply: tuple[UUID, str, str],
) -> None:
    complaint, mobile, report = awaiting_reply
    before = stored_events(database)
    for shape in shapes(mobile, report):
        answer = webhook(client, services, shape)
        assert answer.status_code == 200, (repr(shape)[:200], answer.text)
        assert answer.json() == {"recorded": 0}, shape
    assert stored_events(database) == before
    assert services.app.complaint(complaint).feedback is None
    # And the good reply next to them is still understood.
    good = webhook(client, services, text_reply(mobile, "wamid.in.good", report, "no 2"))
    assert good.json() == {"recorded": 1}
