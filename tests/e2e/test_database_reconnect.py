"""PostgreSQL restarts, fails over or drops idle sessions: the API's pools must not hand the
next requests connections that are already dead. A lost connection costs at most the request
that found it, and nothing when the API was quiet."""

from __future__ import annotations

import itertools
import time
from typing import Any

import psycopg
from litestar.testing import TestClient

from infra.eventstore.store import WRITER_QUIET_SECONDS
from tests.conftest import Tokens
from tests.support import OPERATOR, citizen, new_mobile, water_complaint

Client = TestClient  # type: ignore[type-arg]
_keys = itertools.count(1)


def drop_every_connection_of(database: str) -> int:
    """What a database restart does to the API: every other session of `database` ends."""
    with psycopg.connect(database, autocommit=True) as conn:
        ended = conn.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert ended is not None
    return int(ended[0])


def a_morning_of_filings(client: Client, tokens: Tokens, rounds: int) -> list[int]:
    """Citizens file their own complaints (rate limits, receipts), a 181 operator files for
    callers, and the operator searches: every connection the API keeps is used."""
    answers = []
    for _ in range(rounds):
        mobile = new_mobile()
        key = {"Idempotency-Key": f"filing-{next(_keys)}"}
        for who, body in (
            (citizen(mobile), water_complaint(mobile)),
            (OPERATOR, water_complaint(new_mobile())),
        ):
            filed = client.post("/v1/complaints", json=body, headers=tokens.headers(who, **key))
            answers.append(filed.status_code)
        searched = client.get("/v1/complaints", headers=tokens.headers(OPERATOR))
        answers.append(searched.status_code)
    return answers


def busy_api(client: Client, tokens: Tokens) -> None:
    assert set(a_morning_of_filings(client, tokens, rounds=3)) == {200, 201}


def test_a_database_restart_while_the_api_is_quiet_costs_no_request(
    client: Client, tokens: Tokens, database: str
) -> None:
    busy_api(client, tokens)
    time.sleep(WRITER_QUIET_SECONDS + 0.2)
    assert drop_every_connection_of(database) > 0

    answers = a_morning_of_filings(client, tokens, rounds=4)

    assert answers == [201, 201, 200] * 4


def test_connections_dropped_mid_morning_cost_at_most_the_request_that_found_them(
    client: Client, tokens: Tokens, database: str
) -> None:
    busy_api(client, tokens)
    assert drop_every_connection_of(database) > 0

    answers: list[Any] = a_morning_of_filings(client, tokens, rounds=4)

    assert answers[0] in (201, 503)  # the writer found its connection dead: retry
    assert answers[1:] == [201, 200, *([201, 201, 200] * 3)]
