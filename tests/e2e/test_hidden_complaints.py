"""A complaint outside the reader's scope does not exist for it: every read answers exactly
as for a complaint never filed, whatever the request adds (`min_version`, a version, a
moment), and no command tells an outsider how many events the complaint has."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from domain.values import Identity
from tests.conftest import Pipeline, Tokens, filed_by_a_citizen
from tests.support import (
    AJMER_COLLECTOR,
    AJMER_WATER_OFFICER,
    AUDITOR,
    JAIPUR_COLLECTOR,
    POWER_HEAD,
    citizen,
)

Client = TestClient[Any]
NEVER_FILED = "JAI-2026-999999"

READS = [
    "",
    "?min_version=1",
    "?min_version=2",
    "?min_version=999",
    "/timeline",
    "/state?version=1",
    "/state?version=999",
    "/state?at=2026-11-02T05:00:00Z",
]
OUTSIDERS = [citizen("9414999999"), AJMER_COLLECTOR, AJMER_WATER_OFFICER, POWER_HEAD]


def answer(client: Client, tokens: Tokens, who: Identity, ref: str, read: str) -> Any:
    got = client.get(f"/v1/complaints/{ref}{read}", headers=tokens.headers(who))
    return got.status_code, got.json()


@pytest.mark.parametrize("outsider", OUTSIDERS, ids=lambda who: who.id)
def test_a_complaint_outside_the_scope_reads_as_one_never_filed(
    client: Client, tokens: Tokens, pipeline: Pipeline, outsider: Identity
) -> None:
    filed = filed_by_a_citizen(client, tokens)
    pipeline.settle()
    assert (
        client.get(
            f"/v1/complaints/{filed['id']}?min_version=2", headers=tokens.headers(JAIPUR_COLLECTOR)
        ).json()["version"]
        == 2
    )  # filed and routed: two events

    for read in READS:
        hidden = answer(client, tokens, outsider, filed["registration_no"], read)
        missing = answer(client, tokens, outsider, NEVER_FILED, read)
        assert hidden[0] == 404, (read, hidden)
        assert hidden == missing, read
        by_id = answer(client, tokens, outsider, filed["id"], read)
        assert by_id == hidden, read


def test_an_audit_check_is_refused_by_role_before_the_complaint_is_looked_up(
    client: Client, tokens: Tokens
) -> None:
    filed = filed_by_a_citizen(client, tokens)
    for who in (citizen("9414999999"), AJMER_COLLECTOR, JAIPUR_COLLECTOR):
        real = answer(client, tokens, who, filed["id"], "/audit")
        assert real[0] == 403
        assert real == answer(client, tokens, who, NEVER_FILED, "/audit")
    assert answer(client, tokens, AUDITOR, NEVER_FILED, "/audit")[0] == 404
    assert answer(client, tokens, AUDITOR, filed["id"], "/audit")[0] == 200


def test_a_command_tells_an_outsider_nothing_of_the_complaints_version(
    client: Client, tokens: Tokens
) -> None:
    filed = filed_by_a_citizen(client, tokens)
    url = f"/v1/complaints/{filed['id']}"
    stranger = client.post(
        f"{url}/remind",
        json={"expected_version": 999},
        headers=tokens.headers(citizen("9414999999")),
    )
    assert stranger.status_code == 404
    assert "version" not in stranger.text
    other_district = client.post(
        f"{url}/comments",
        json={"text": "noted", "expected_version": 999},
        headers=tokens.headers(AJMER_COLLECTOR),
    )
    assert other_district.status_code == 403
    assert "current_version" not in other_district.json()
    # In scope, a stale version is still a conflict that says where the complaint is.
    stale = client.post(
        f"{url}/comments",
        json={"text": "noted", "expected_version": 999},
        headers=tokens.headers(JAIPUR_COLLECTOR),
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 2


def test_a_citizens_command_on_anothers_complaint_answers_as_for_one_never_filed(
    client: Client, tokens: Tokens
) -> None:
    filed = filed_by_a_citizen(client, tokens)
    stranger = tokens.headers(citizen("9414999999"))
    for command, body in (
        ("remind", {}),
        ("remind", {"expected_version": 1}),
        ("close", {"reason": "no longer needed"}),
        ("feedback", {"satisfied": True, "rating": 5}),
    ):
        answers = [
            client.post(f"/v1/complaints/{ref}/{command}", json=body, headers=stranger)
            for ref in (filed["id"], filed["registration_no"], NEVER_FILED)
        ]
        hidden, by_number, missing = ((a.status_code, a.json()) for a in answers)
        assert hidden[0] == 404, (command, hidden)
        assert hidden == by_number == missing, (command, hidden, missing)
