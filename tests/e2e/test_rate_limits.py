"""Spam at the front door: citizens' filings are limited per mobile and per address."""

from __future__ import annotations

from typing import Any

import msgspec
import psycopg
from litestar.testing import TestClient

from api.app import create_app
from infra.run.services import open_services
from infra.settings import Settings
from tests.conftest import Tokens
from tests.support import OPERATOR, TurnableClock, citizen, new_mobile, water_complaint

Client = TestClient[Any]


def test_a_citizen_filing_too_often_is_told_when_to_come_back(
    settings: Settings, database: str, clock: TurnableClock, tokens: Tokens
) -> None:
    strict = msgspec.structs.replace(
        settings,
        file_limit_per_mobile=2,
        file_limit_per_mobile_seconds=3600,
        file_limit_per_address=3,
        file_limit_per_address_seconds=600,
    )
    services = open_services(strict, database, clock=clock)
    try:
        with TestClient(app=create_app(services)) as client:
            mobile = new_mobile()
            me = tokens.headers(citizen(mobile))
            for _ in range(2):
                assert (
                    client.post(
                        "/v1/complaints", json=water_complaint(mobile), headers=me
                    ).status_code
                    == 201
                )
            third = client.post("/v1/complaints", json=water_complaint(mobile), headers=me)
            assert third.status_code == 429
            assert third.headers["content-type"].startswith("application/problem+json")
            assert 1 <= int(third.headers["Retry-After"]) <= 3600
            with psycopg.connect(database) as conn:  # the third wrote nothing
                filed = conn.execute(
                    "SELECT count(*) FROM sampark_events WHERE topic LIKE '%%:Filed'"
                ).fetchone()
            assert filed == (2,)

            # Others behind the same address: two more, then the address is full too.
            for _ in range(1):
                other = new_mobile()
                assert (
                    client.post(
                        "/v1/complaints",
                        json=water_complaint(other),
                        headers=tokens.headers(citizen(other)),
                    ).status_code
                    == 201
                )
            crowd = new_mobile()
            refused = client.post(
                "/v1/complaints",
                json=water_complaint(crowd),
                headers=tokens.headers(citizen(crowd)),
            )
            assert refused.status_code == 429 and "address" in refused.json()["detail"]

            # Staff are not limited this way: the helpline files on.
            for _ in range(5):
                assert (
                    client.post(
                        "/v1/complaints",
                        json=water_complaint(new_mobile(), channel="helpline_181"),
                        headers=tokens.headers(OPERATOR),
                    ).status_code
                    == 201
                )

            # An hour later the citizen may file again.
            clock.advance(hours=1)
            again = client.post("/v1/complaints", json=water_complaint(mobile), headers=me)
            assert again.status_code == 201
    finally:
        services.close()
