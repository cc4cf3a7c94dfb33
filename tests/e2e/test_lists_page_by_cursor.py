"""Every list that can grow pages with a cursor: an officer working through a long inbox, an
auditor through who looked, an admin through the directory's history. Items added while they
page neither repeat an item nor push one out; a cursor the API never gave is a 400."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient

from infra import cursors
from tests.conftest import Pipeline, Tokens
from tests.support import (
    ADMIN,
    AUDITOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    TurnableClock,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
NONE_YET = datetime.max.replace(tzinfo=UTC)  # no deadline: after every deadline


def file(client: Client, tokens: Tokens, channel: str = "helpline_181") -> str:
    answer = client.post(
        "/v1/complaints",
        json=water_complaint(new_mobile(), channel=channel),
        headers=tokens.headers(OPERATOR),
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def page(client: Client, path: str, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    answer = client.get(path, params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def inbox_key(item: dict[str, Any]) -> tuple[bool, datetime, UUID]:
    """The inbox's order: high priority first, then the nearest deadline (none last), id."""
    due = datetime.fromisoformat(item["due_at"]) if item["due_at"] else NONE_YET
    return (item["priority"] != "high", due, UUID(item["id"]))


def test_an_officer_pages_through_an_inbox_that_grows_meanwhile(
    client: Client, tokens: Tokens, pipeline: Pipeline, clock: TurnableClock
) -> None:
    there = []
    for n in range(11):
        there.append(file(client, tokens, channel="cmo" if n % 4 == 0 else "helpline_181"))
        clock.advance(minutes=7)
    pipeline.settle()
    officer = tokens.headers(JAIPUR_WATER_OFFICER)

    shown: list[dict[str, Any]] = []
    cursor = None
    while True:
        answer = page(
            client, "/v1/inbox", officer, limit=3, **({"cursor": cursor} if cursor else {})
        )
        assert len(answer["items"]) <= 3
        shown += answer["items"]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
        # New complaints arrive while the officer reads: urgent ones land on pages already
        # read, the others (later deadlines) at the end.
        file(client, tokens, channel="cmo")
        file(client, tokens)
        pipeline.settle()

    ids = [item["id"] for item in shown]
    assert len(ids) == len(set(ids)), "an item came twice"
    assert set(there) <= set(ids), "an item there from the start was skipped"
    assert [inbox_key(i) for i in shown] == sorted(inbox_key(i) for i in shown)
    assert any(i["priority"] == "high" for i in shown[:3])
    # Past every deadline of normal priority come only those without one (none here).
    past_deadlines = cursors.encode(True, None, UUID(int=0))
    assert page(client, "/v1/inbox", officer, cursor=past_deadlines)["items"] == [
        i for i in shown if i["priority"] != "high" and i["due_at"] is None
    ]


def test_an_auditor_pages_through_who_looked_while_staff_keep_reading(
    client: Client, tokens: Tokens, pipeline: Pipeline, clock: TurnableClock
) -> None:
    complaints = [file(client, tokens) for _ in range(3)]
    pipeline.settle()
    operator = tokens.headers(OPERATOR)
    for n in range(10):
        client.get(f"/v1/complaints/{complaints[n % 3]}", headers=operator)
        clock.advance(seconds=n % 2)  # some looks share their moment: the id breaks the tie
    auditor = tokens.headers(AUDITOR)
    everything = page(client, "/v1/audit/access", auditor, actor=OPERATOR.id, limit=1000)
    assert everything["next_cursor"] is None
    there = everything["items"]

    shown: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"actor": OPERATOR.id, "limit": 4}
        answer = page(
            client, "/v1/audit/access", auditor, **params, **({"cursor": cursor} if cursor else {})
        )
        shown += answer["items"]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
        clock.advance(seconds=1)
        client.get(f"/v1/complaints/{complaints[0]}", headers=operator)  # newer: on page one

    assert shown == there
    assert [look["at"] for look in shown] == sorted((look["at"] for look in shown), reverse=True)


def test_an_admin_pages_through_the_directory_history_while_it_changes(
    client: Client, tokens: Tokens
) -> None:
    admin = tokens.headers(ADMIN)
    versions: list[int] = []
    cursor = None
    added = 0
    while True:
        answer = page(
            client,
            "/v1/directory/timeline",
            admin,
            limit=200,
            **({"cursor": cursor} if cursor else {}),
        )
        versions += [entry["version"] for entry in answer["items"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
        day = date(2031, 1, 1) + timedelta(days=added)
        added += 1
        made = client.post(
            "/v1/directory/holidays",
            json={"day": day.isoformat(), "name": f"Holiday {added}"},
            headers=admin,
        )
        assert made.status_code == 200, made.text

    assert added >= 1, "the history fits one page: the test shows nothing"
    assert versions == list(range(1, len(versions) + 1))  # each change once, in order, to the end


FORGED = [
    "bm90LWEtY3Vyc29y",  # base64 of "not-a-cursor"
    "WzEsMiwzXQ",  # [1,2,3]: JSON, of no list's shape
    "!!!",
    "WyIyMDI2LTExLTMwVDEwOjAwOjAwIiwiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAwIl0",
]


@pytest.mark.parametrize("forged", FORGED)
@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/v1/inbox", JAIPUR_WATER_OFFICER),
        ("/v1/audit/access", AUDITOR),
        ("/v1/directory/timeline", ADMIN),
        ("/v1/complaints", OPERATOR),
    ],
)
def test_a_cursor_the_api_never_gave_is_refused_naming_it(
    client: Client, tokens: Tokens, path: str, who: Any, forged: str
) -> None:
    answer = client.get(path, params={"cursor": forged}, headers=tokens.headers(who))
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["field"] == "cursor"
