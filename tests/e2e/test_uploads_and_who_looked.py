"""A complainant's own upload (an Aadhaar card, a bill) is personal data: analysts never get
it, and every download of a complaint's file by staff is in the who-looked log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from api.services import Services
from infra.security.report_links import report_link
from tests.conftest import Pipeline, Tokens
from tests.support import (
    ANALYST,
    AUDITOR,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
AADHAAR = b"\xff\xd8\xff\xe0" + b"aadhaar card of the complainant" + b"\x01" * 64
REPAIR = b"\x89PNG\r\n\x1a\n" + b"the repaired pipe" + b"\x02" * 64


def disposed_with_an_aadhaar_card(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> tuple[dict[str, Any], str, str]:
    """A citizen files with a photo of their Aadhaar card; the officer disposes of the
    complaint with a photo of the repair."""
    mobile = new_mobile()
    owner = tokens.headers(citizen(mobile))
    card = client.post(
        "/v1/attachments", files={"file": ("aadhaar.jpg", AADHAAR, "image/jpeg")}, headers=owner
    ).json()
    filed = client.post(
        "/v1/complaints", json=water_complaint(mobile, attachments=[card]), headers=owner
    ).json()
    repair = client.post(
        "/v1/attachments",
        files={"file": ("repair.png", REPAIR, "image/png")},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    ).json()
    resolved = client.post(
        f"/v1/complaints/{filed['id']}/resolve",
        json={"outcome": "relief", "action_taken": "Pipe replaced", "attachments": [repair]},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    )
    assert resolved.status_code == 200
    pipeline.settle()
    return filed, card["sha256"], repair["sha256"]


def test_analysts_see_the_disposal_evidence_but_never_a_complainants_own_upload(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    _, card, repair = disposed_with_an_aadhaar_card(client, tokens, pipeline)
    analyst = tokens.headers(ANALYST)
    assert client.get(f"/v1/attachments/{card}", headers=analyst).status_code == 404
    seen = client.get(f"/v1/attachments/{repair}", headers=analyst)
    assert seen.status_code == 200 and seen.content == REPAIR
    # Those who handle the complaint still open the card.
    for who in (JAIPUR_COLLECTOR, OPERATOR):
        answer = client.get(f"/v1/attachments/{card}", headers=tokens.headers(who))
        assert answer.status_code == 200 and answer.content == AADHAAR, who


def test_analysts_do_not_get_a_complainants_upload_even_when_reused_as_evidence(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    mobile = new_mobile()
    owner = tokens.headers(citizen(mobile))
    card = client.post(
        "/v1/attachments", files={"file": ("aadhaar.jpg", AADHAAR, "image/jpeg")}, headers=owner
    ).json()
    filed = client.post(
        "/v1/complaints", json=water_complaint(mobile, attachments=[card]), headers=owner
    ).json()
    client.post(
        f"/v1/complaints/{filed['id']}/resolve",
        json={"outcome": "relief", "action_taken": "Verified identity", "attachments": [card]},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    )
    pipeline.settle()
    answer = client.get(f"/v1/attachments/{card['sha256']}", headers=tokens.headers(ANALYST))
    assert answer.status_code == 404


def test_every_staff_download_of_a_complaints_file_is_in_the_who_looked_log(
    client: Client, tokens: Tokens, pipeline: Pipeline, services: Services
) -> None:
    filed, card, repair = disposed_with_an_aadhaar_card(client, tokens, pipeline)
    client.get(f"/v1/attachments/{card}", headers=tokens.headers(JAIPUR_COLLECTOR))
    client.get(f"/v1/attachments/{repair}", headers=tokens.headers(OPERATOR))
    client.get(f"/v1/attachments/{repair}", headers=tokens.headers(ANALYST))  # no personal data
    # The complainant, from the report link: their own, not recorded.
    link = report_link(services.settings, UUID(filed["id"]), services.app.clock())
    report = link.removeprefix(services.settings.public_url)
    assert client.get(f"{report}/evidence/{repair}").status_code == 200

    looks = client.get(
        "/v1/audit/access",
        params={"complaint": filed["registration_no"]},
        headers=tokens.headers(AUDITOR),
    ).json()["items"]
    seen = [(look["actor_id"], look["endpoint"]) for look in reversed(looks)]
    assert seen == [
        ("collector-jaipur", "GET /v1/attachments/{sha256}"),
        ("helpline-181-agent-07", "GET /v1/attachments/{sha256}"),
    ]


def test_a_file_not_yet_filed_opens_only_for_whoever_uploaded_it(
    client: Client, tokens: Tokens, services: Services
) -> None:
    mobile = new_mobile()
    card = client.post(
        "/v1/attachments",
        files={"file": ("aadhaar.jpg", AADHAAR, "image/jpeg")},
        headers=tokens.headers(citizen(mobile)),
    ).json()
    url = f"/v1/attachments/{card['sha256']}"
    assert client.get(url, headers=tokens.headers(citizen(mobile))).status_code == 200
    for stranger in (citizen(new_mobile()), JAIPUR_WATER_OFFICER, OPERATOR, ANALYST):
        assert client.get(url, headers=tokens.headers(stranger)).status_code == 404, stranger
    # Someone else sending the same bytes has uploaded them too.
    client.post(
        "/v1/attachments",
        files={"file": ("copy.jpg", AADHAAR, "image/jpeg")},
        headers=tokens.headers(OPERATOR),
    )
    assert client.get(url, headers=tokens.headers(OPERATOR)).status_code == 200
    assert services.blobs.uploaded_by(card["sha256"], "nobody") is False


def test_nobody_attaches_a_file_someone_else_uploaded_and_then_opens_it(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    """A citizen's Aadhaar photo, uploaded but not yet filed, cannot be named in another
    citizen's filing or an officer's disposal by someone who learnt its hash: to them it is
    a file never uploaded, and they never get to open it."""
    owner_mobile = new_mobile()
    owner = tokens.headers(citizen(owner_mobile))
    card = client.post(
        "/v1/attachments", files={"file": ("aadhaar.jpg", AADHAAR, "image/jpeg")}, headers=owner
    ).json()
    thief_mobile = new_mobile()
    thief = tokens.headers(citizen(thief_mobile))
    stolen = client.post(
        "/v1/complaints", json=water_complaint(thief_mobile, attachments=[card]), headers=thief
    )
    assert stolen.status_code == 422
    assert stolen.json()["field"] == "attachments[0]"
    assert client.get(f"/v1/attachments/{card['sha256']}", headers=thief).status_code == 404

    other = client.post("/v1/complaints", json=water_complaint(thief_mobile), headers=thief).json()
    officer = tokens.headers(JAIPUR_WATER_OFFICER)
    disposal = client.post(
        f"/v1/complaints/{other['id']}/resolve",
        json={"outcome": "relief", "action_taken": "Pipe replaced", "attachments": [card]},
        headers=officer,
    )
    assert disposal.status_code == 422
    assert disposal.json()["field"] == "attachments[0]"
    # The owner still files with it.
    filed = client.post(
        "/v1/complaints", json=water_complaint(owner_mobile, attachments=[card]), headers=owner
    )
    assert filed.status_code == 201
