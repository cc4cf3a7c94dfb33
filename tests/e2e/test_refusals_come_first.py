"""A caller whose role may never do a thing is told so before anything else is looked at: the
refusal does not depend on what the request names, so it tells nothing (whether a file was
uploaded, whether a date range is well formed)."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.conftest import Tokens, filed_by_a_citizen
from tests.support import ANALYST, JAIPUR_WATER_OFFICER, citizen, new_mobile, water_complaint

Client = TestClient[Any]
PNG = b"\x89PNG\r\n\x1a\n" + b"a photo of the repaired pipe" + b"\x03" * 64


def a_file(client: Client, tokens: Tokens) -> dict[str, Any]:
    uploaded: dict[str, Any] = client.post(
        "/v1/attachments",
        files={"file": ("repair.png", PNG, "image/png")},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    ).json()
    return uploaded


def test_an_analyst_learns_nothing_about_files_from_a_command_it_may_not_give(
    client: Client, tokens: Tokens
) -> None:
    mobile = new_mobile()
    filed = filed_by_a_citizen(client, tokens, mobile)
    uploaded = a_file(client, tokens)
    never = {**uploaded, "sha256": "0" * 64}
    analyst = tokens.headers(ANALYST)
    for files in ([uploaded], [never]):
        disposal = client.post(
            f"/v1/complaints/{filed['id']}/resolve",
            json={"outcome": "relief", "action_taken": "Pipe replaced", "attachments": files},
            headers=analyst,
        )
        assert disposal.status_code == 403, disposal.text
        filing = client.post(
            "/v1/complaints", json=water_complaint(new_mobile(), attachments=files), headers=analyst
        )
        assert filing.status_code == 403, filing.text


def test_a_citizen_is_refused_the_dashboards_whatever_days_it_asks_for(
    client: Client, tokens: Tokens
) -> None:
    mine = tokens.headers(citizen(new_mobile()))
    for days in ("", "?from=2026-11-10&to=2026-11-01", "?from=2020-01-01&to=2026-11-01"):
        answer = client.get(f"/v1/dashboards/districts{days}", headers=mine)
        assert answer.status_code == 403, (days, answer.text)
