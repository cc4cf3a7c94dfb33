"""One table of bad values, walked through every way into the system: the JSON API (filing,
commands, the directory), the report page's form, the WhatsApp webhook, the CLI, the
directory loader and the query parameters. Each way gives the same answer: refused, naming
the field (the webhook, which must answer the provider 200, records nothing), and nothing is
written to the event store. Text that is not in NFC is welcome, and stored in NFC.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient

from api.services import Services
from infra.run.cli import parser
from infra.run.directory import load_directory
from tests.conftest import Tokens
from tests.e2e.ways_in import (
    awaiting_reply,
    disposed,
    refused,
    report_path,
    stored_events,
    text_reply,
    unchanged,
    webhook,
)
from tests.support import (
    ADMIN,
    AUDITOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    citizen,
    new_mobile,
    water_complaint,
)

__all__ = ["awaiting_reply", "unchanged"]  # fixtures
Client = TestClient[Any]

# The one table: each value is refused by every kind of text and every code.
BAD = [
    pytest.param("bad\x00service", id="NUL"),
    pytest.param("bad\x07service", id="bell"),
    pytest.param("bad\x1b[2Jservice", id="escape"),
    pytest.param("bad\x7fservice", id="DEL"),
    pytest.param("bad\x85service", id="C1-next-line"),
    pytest.param("bad\ufeff\x08service", id="backspace"),
    pytest.param("x" * 20_000, id="over-long"),  # past the longest kind of text (10,000)
]
NOT_NFC = "Re\u0301ka Devi"  # "e" and a combining acute: the same name as "Réka Devi"
NFC = "Réka Devi"


# --- the JSON API ------------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD)
def test_the_json_api_refuses_it_when_filing(
    client: Client, tokens: Tokens, database: str, bad: str
) -> None:
    before = stored_events(database)
    for where in (
        "subject",
        "description",
        "complainant.name",
        "complainant.address",
        "district",
        "location.ward",
        "location.landmark",
        "location.pincode",
    ):
        body = water_complaint(new_mobile())
        if where.startswith("complainant."):
            body["complainant"][where.split(".")[1]] = bad
        elif where.startswith("location."):
            body["location"] = {where.split(".")[1]: bad}
        else:
            body[where] = bad
        refused(client.post("/v1/complaints", json=body, headers=tokens.headers(OPERATOR)), where)
    assert stored_events(database) == before


@pytest.mark.parametrize("bad", BAD)
def test_the_json_api_refuses_it_in_every_command(
    client: Client, tokens: Tokens, services: Services, database: str, bad: str
) -> None:
    mobile = new_mobile()
    filed = client.post(
        "/v1/complaints", json=water_complaint(mobile), headers=tokens.headers(OPERATOR)
    ).json()["id"]
    resolved = disposed(services)
    before = stored_events(database)
    for path, body, field, who in [
        (f"/v1/complaints/{filed}/comments", {"text": bad}, "text", JAIPUR_WATER_OFFICER),
        (f"/v1/complaints/{filed}/escalate", {"reason": bad}, "reason", JAIPUR_WATER_OFFICER),
        (f"/v1/complaints/{filed}/assign", {"post": bad}, "post", ADMIN),
        (
            f"/v1/complaints/{filed}/transfer",
            {"department": "ENERGY", "reason": bad},
            "reason",
            ADMIN,
        ),
        (f"/v1/complaints/{filed}/remind", {"note": bad}, "note", OPERATOR),
        (f"/v1/complaints/{filed}/withdraw", {"reason": bad}, "reason", citizen(mobile)),
        (
            f"/v1/complaints/{resolved}/feedback",
            {"satisfied": False, "rating": 2, "comment": bad},
            "comment",
            OPERATOR,
        ),
        ("/v1/directory/districts", {"code": "NEW", "name": bad, "division": "X"}, "name", ADMIN),
        ("/v1/directory/districts", {"code": bad, "name": "New", "division": "X"}, "code", ADMIN),
    ]:
        refused(client.post(path, json=body, headers=tokens.headers(who)), field)
    assert stored_events(database) == before


def test_the_json_api_stores_text_in_nfc(client: Client, tokens: Tokens) -> None:
    body = water_complaint(new_mobile(), subject=NOT_NFC, description=f"{NOT_NFC}\r\nward 9")
    body["complainant"]["name"] = NOT_NFC
    filed = client.post("/v1/complaints", json=body, headers=tokens.headers(OPERATOR))
    assert filed.status_code == 201, filed.text
    state = client.get(
        f"/v1/complaints/{filed.json()['id']}/state?version=1", headers=tokens.headers(ADMIN)
    ).json()
    assert state["subject"] == NFC and state["complainant"]["name"] == NFC
    assert state["description"] == f"{NFC}\nward 9"


# --- the report page's form ----------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD)
def test_the_report_page_form_refuses_it(
    client: Client, services: Services, database: str, bad: str
) -> None:
    path = report_path(services, disposed(services))
    before = stored_events(database)
    answer = client.post(f"{path}/feedback", data={"satisfied": "no", "comment": bad})
    refused(answer, "comment")
    refused(client.post(f"{path}/feedback", data={"satisfied": "no", "rating": bad}), "rating")
    refused(client.post(f"{path}/withdraw", data={"reason": bad}), "reason")
    assert stored_events(database) == before


def test_the_report_page_form_stores_text_in_nfc(client: Client, services: Services) -> None:
    complaint = disposed(services)
    answer = client.post(
        f"{report_path(services, complaint)}/feedback",
        data={"satisfied": "no", "rating": "2", "comment": NOT_NFC},
    )
    assert answer.status_code == 200, answer.text
    assert services.app.complaint(complaint).feedback.comment == NFC  # type: ignore[union-attr]


# --- the WhatsApp webhook ------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD)
def test_the_webhook_records_nothing_from_it(
    client: Client,
    services: Services,
    database: str,
    awaiting_reply: tuple[UUID, str, str],
    bad: str,
) -> None:
    complaint, mobile, report = awaiting_reply
    before = stored_events(database)
    for payload in (
        text_reply(mobile, "wamid.in.text", report, f"not satisfied 2 {bad}"),
        text_reply(mobile, bad, report, "not satisfied 2"),
        text_reply(mobile, "wamid.in.context", bad, "not satisfied 2"),
        text_reply(bad, "wamid.in.from", report, "not satisfied 2"),
    ):
        answer = webhook(client, services, payload)
        assert answer.status_code == 200 and answer.json() == {"recorded": 0}, answer.text
    assert stored_events(database) == before
    assert services.app.complaint(complaint).feedback is None


def test_the_webhook_stores_text_in_nfc(
    client: Client, services: Services, awaiting_reply: tuple[UUID, str, str]
) -> None:
    complaint, mobile, report = awaiting_reply
    answer = webhook(client, services, text_reply(mobile, "wamid.in.nfc", report, f"2 {NOT_NFC}"))
    assert answer.json() == {"recorded": 1}
    feedback = services.app.complaint(complaint).feedback
    assert feedback is not None and feedback.comment == NFC and feedback.rating == 2


# --- the CLI and the directory loader -------------------------------------------------------


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("option", ["--sub", "--district", "--department", "--post", "--mobile"])
def test_the_cli_refuses_it_naming_the_option(
    capsys: pytest.CaptureFixture[str], bad: str, option: str
) -> None:
    arguments = ["token", "--role", "officer", "--sub", "ae-phed-jaipur", option, bad]
    with pytest.raises(SystemExit) as exited:
        parser().parse_args(arguments)
    assert exited.value.code != 0
    assert f"argument {option}:" in capsys.readouterr().err


def master_data(**district: str) -> dict[str, Any]:
    return {
        "districts": [{"code": "NEW", "name": "Newtown", "division": "Jaipur", **district}],
        "departments": [],
        "categories": [],
        "posts": [],
        "routes": [],
        "chains": [],
    }


@pytest.mark.parametrize("bad", BAD)
def test_the_directory_loader_refuses_it_naming_the_field(
    services: Services, database: str, tmp_path: Path, bad: str
) -> None:
    before = stored_events(database)
    for field in ("code", "name", "division"):
        data = tmp_path / "directory.json"
        data.write_text(json.dumps(master_data(**{field: bad})))
        with pytest.raises(SystemExit) as exited:
            load_directory(services.app, data)
        assert f"districts[0].{field}" in str(exited.value.code)
    assert stored_events(database) == before


def test_the_directory_loader_refuses_a_post_s_broken_mobile(
    services: Services, tmp_path: Path
) -> None:
    data = master_data()
    data["posts"] = [
        {
            "id": "PHED-NEW-L1",
            "designation": "Assistant Engineer",
            "department": "PHED",
            "district": "NEW",
            "level": 1,
            "holder": None,
            "mobile": "12345",
        }
    ]
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SystemExit) as exited:
        load_directory(services.app, path)
    assert "posts[0].mobile" in str(exited.value.code)


def test_the_directory_loader_stores_text_in_nfc(services: Services, tmp_path: Path) -> None:
    data = tmp_path / "directory.json"
    data.write_text(json.dumps(master_data(name=NOT_NFC)))
    assert load_directory(services.app, data) == 1
    assert services.app.directory().districts["NEW"].name == NFC


# --- query parameters ---------------------------------------------------------------------

PARAMETERS = [
    ("/v1/complaints", "district", ADMIN),
    ("/v1/complaints", "department", ADMIN),
    ("/v1/complaints", "category", ADMIN),
    ("/v1/complaints", "holder", ADMIN),
    ("/v1/complaints", "q", ADMIN),
    ("/v1/audit/access", "actor", AUDITOR),
    ("/v1/reviews/today", "department", ADMIN),
    ("/v1/directory/posts", "department", ADMIN),
    ("/v1/dashboards/daily", "to", ADMIN),
]


@pytest.mark.parametrize("bad", BAD)
def test_every_query_parameter_refuses_it_naming_itself(
    client: Client, tokens: Tokens, unchanged: None, bad: str
) -> None:
    for path, name, who in PARAMETERS:
        answer = client.get(path, params={name: bad}, headers=tokens.headers(who))
        assert answer.status_code == 400, (path, name, answer.text)
        refused(answer, name)
