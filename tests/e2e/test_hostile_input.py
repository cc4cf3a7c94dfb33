"""Input from the open internet: Hindi and emoji are welcome and kept byte for byte; SQL,
huge strings, huge pages and bodies, broken JSON and wrong content types each get a clear
4xx, and nothing is written."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient

from tests.conftest import Pipeline, Tokens
from tests.support import ADMIN, OPERATOR, new_mobile, water_complaint

Client = TestClient[Any]


def stored_events(database: str) -> int:
    with psycopg.connect(database) as conn:
        found = conn.execute("SELECT count(*) FROM sampark_events").fetchone()
    return int(found[0]) if found else 0


def test_hindi_and_emoji_are_kept_exactly(client: Client, tokens: Tokens) -> None:
    words = "पानी नहीं आ रहा 🚱 — वार्ड १२, मालवीय नगर; \u2018नल सूखे\u2019 💧"
    filed = client.post(
        "/v1/complaints",
        json=water_complaint(new_mobile(), subject="पानी नहीं 🚱", description=words),
        headers=tokens.headers(OPERATOR),
    )
    assert filed.status_code == 201
    state = client.get(
        f"/v1/complaints/{filed.json()['id']}/state?version=1", headers=tokens.headers(ADMIN)
    ).json()
    assert state["description"] == words and state["subject"] == "पानी नहीं 🚱"


@pytest.mark.parametrize(
    "fragment",
    [
        "'; DROP TABLE read.complaints; --",
        "1 OR 1=1",
        "%' OR '%'='",
        "\\x00",
        "$$; SELECT pg_sleep(5)",
    ],
)
def test_sql_in_filters_is_only_ever_data(
    client: Client, tokens: Tokens, pipeline: Pipeline, database: str, fragment: str
) -> None:
    client.post(
        "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
    )
    pipeline.settle()
    for params in ({"q": fragment}, {"holder": fragment}, {"district": fragment}):
        answer = client.get("/v1/complaints", params=params, headers=tokens.headers(ADMIN))
        assert answer.status_code in (200, 400), answer.text
        if answer.status_code == 200:
            assert answer.json()["items"] == []
    with psycopg.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM read.complaints").fetchone() == (1,)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": "x" * 301}, "subject"),
        ({"description": "y" * 10_001}, "description"),
        ({"complainant": {"name": "z" * 201, "mobile": "9876543210"}}, "complainant.name"),
    ],
)
def test_very_long_strings_are_refused_naming_the_field(
    client: Client, tokens: Tokens, database: str, change: dict[str, Any], field: str
) -> None:
    before = stored_events(database)
    body = water_complaint(new_mobile()) | change
    answer = client.post("/v1/complaints", json=body, headers=tokens.headers(OPERATOR))
    assert answer.status_code == 400 and answer.json()["field"] == field
    assert stored_events(database) == before


def test_oversized_pages_and_bodies(client: Client, tokens: Tokens, database: str) -> None:
    page = client.get("/v1/complaints", params={"limit": 10_000}, headers=tokens.headers(ADMIN))
    assert page.status_code == 400 and page.json()["field"] == "limit"
    cursor = client.get(
        "/v1/complaints", params={"cursor": "A" * 5_000}, headers=tokens.headers(ADMIN)
    )
    assert cursor.status_code == 400
    before = stored_events(database)
    huge = client.post(
        "/v1/complaints",
        content=b'{"subject": "' + b"x" * 2_000_000 + b'"}',
        headers=tokens.headers(OPERATOR, **{"Content-Type": "application/json"}),
    )
    assert huge.status_code == 413
    assert stored_events(database) == before


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b'{"subject": "no closing brace"', "application/json", 400),
        (b"\xff\xfe\x00\x01", "application/json", 400),
        (b"[1, 2, 3]", "application/json", 400),
        (b"subject=hello", "application/x-www-form-urlencoded", 400),
        (b"<complaint/>", "application/xml", 400),
    ],
)
def test_broken_json_and_wrong_content_types_are_a_4xx(
    client: Client, tokens: Tokens, database: str, content: bytes, content_type: str, status: int
) -> None:
    before = stored_events(database)
    answer = client.post(
        "/v1/complaints",
        content=content,
        headers=tokens.headers(OPERATOR, **{"Content-Type": content_type}),
    )
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert stored_events(database) == before
