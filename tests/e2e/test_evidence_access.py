"""Evidence opens only for those who may see a complaint it belongs to."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.conftest import Pipeline, Tokens
from tests.support import (
    AJMER_COLLECTOR,
    ANALYST,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x09" * 48


def test_a_photo_of_the_repair_opens_for_the_complaints_readers_only(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    mobile = new_mobile()
    owner = citizen(mobile)
    filed = client.post(
        "/v1/complaints", json=water_complaint(mobile), headers=tokens.headers(owner)
    ).json()
    photo = client.post(
        "/v1/attachments",
        files={"file": ("repair.png", PNG, "image/png")},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    ).json()
    url = f"/v1/attachments/{photo['sha256']}"

    # Not yet attached to anything: only those who upload evidence may open it.
    assert client.get(url, headers=tokens.headers(JAIPUR_WATER_OFFICER)).status_code == 200
    assert client.get(url, headers=tokens.headers(ANALYST)).status_code == 404

    resolved = client.post(
        f"/v1/complaints/{filed['id']}/resolve",
        json={"outcome": "relief", "action_taken": "Pipe replaced", "attachments": [photo]},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    )
    assert resolved.status_code == 200
    pipeline.settle()
    for who, status in (
        (owner, 200),
        (JAIPUR_COLLECTOR, 200),
        (OPERATOR, 200),
        (citizen(new_mobile()), 404),
        (AJMER_COLLECTOR, 404),
    ):
        answer = client.get(url, headers=tokens.headers(who))
        assert answer.status_code == status, who
        if status == 200:
            assert answer.content == PNG
