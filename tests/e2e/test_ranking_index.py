"""The ranking index (`GET /v1/reports/index?month=&by=`): every indicator is the
dashboard's figure for the same month, normalised and weighted as docs/reports.md says,
ranked best first, with the change since the month before."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from reports.ranking import INDICATORS, ranking
from tests.conftest import Pipeline, Tokens
from tests.e2e.test_complaint_story import upload_photo
from tests.support import (
    ANALYST,
    JAIPUR_POWER_OFFICER,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    WATER_SECRETARY,
    TurnableClock,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
PATH = "/v1/reports/index"


def file(client: Client, tokens: Tokens, **body: Any) -> str:
    answer = client.post(
        "/v1/complaints",
        json=water_complaint(new_mobile(), **body),
        headers=tokens.headers(OPERATOR),
    )
    assert answer.status_code == 201, answer.text
    filed: str = answer.json()["id"]
    return filed


@pytest.fixture
def november(client: Client, tokens: Tokens, pipeline: Pipeline, clock: TurnableClock) -> None:
    """Water disposes of two of three with relief; power of one of two, rejected; then the
    clock moves into December."""
    water = tokens.headers(JAIPUR_WATER_OFFICER)
    power = tokens.headers(JAIPUR_POWER_OFFICER)
    waters = [file(client, tokens) for _ in range(3)]
    powers = [file(client, tokens, department="ENERGY", category="transformer")
              for _ in range(2)]  # fmt: skip
    clock.advance(days=2)
    for complaint, officer, outcome in (
        (waters[0], water, "relief"),
        (waters[1], water, "relief"),
        (powers[0], power, "rejected"),
    ):
        answer = client.post(
            f"/v1/complaints/{complaint}/resolve",
            json={
                "outcome": outcome,
                "action_taken": "Done",
                "attachments": [upload_photo(client, officer)],
            },
            headers=officer,
        )
        assert answer.status_code == 200, answer.text
    pipeline.settle()
    clock.advance(days=30)  # 2026-12-04


def test_the_indicators_are_the_dashboards_and_the_ranks_follow_the_index(
    november: None, client: Client, tokens: Tokens
) -> None:
    answer = client.get(PATH, params={"month": "2026-11"}, headers=tokens.headers(ANALYST))
    assert answer.status_code == 200, answer.text
    index = answer.json()
    assert index["first_day"] == "2026-11-01" and index["last_day"] == "2026-11-30"
    assert [i["weight"] for i in index["indicators"]] == [i.weight for i in INDICATORS]
    rows = {r["key"]: r for r in index["rows"]}
    assert list(rows) == ["PHED", "ENERGY"]  # relief and in time beat a rejection
    assert rows["PHED"]["rank"] == 1 and rows["ENERGY"]["rank"] == 2
    assert rows["PHED"]["previous_rank"] is None and rows["PHED"]["change"] is None
    # Each indicator is the dashboard's figure for the month (as of its end).
    dashboard = client.get(
        "/v1/dashboards/departments",
        params={"from": "2026-11-01", "to": "2026-11-30"},
        headers=tokens.headers(ANALYST),
    ).json()["rows"]
    for row in dashboard:
        shown = rows[row["key"]]["indicators"]
        for name in ("relief_pct", "disposed_within_deadline_pct", "reopen_rate_pct"):
            assert shown[name] == row[name], name
        assert shown["average_days_to_dispose"] == row["average_days_to_dispose"]
    assert rows["PHED"]["indicators"]["relief_pct"] == 100.0
    assert rows["ENERGY"]["indicators"]["relief_pct"] == 0.0
    # The same rows ranked by the documented rule give the same answer.
    again = ranking(dashboard)
    assert [s.key for s in again] == list(rows)


def test_the_change_since_the_month_before(
    november: None, client: Client, tokens: Tokens, clock: TurnableClock
) -> None:
    clock.advance(days=31)  # into January: December ranks with November before it
    answer = client.get(PATH, params={"month": "2026-12"}, headers=tokens.headers(ANALYST))
    rows = {r["key"]: r for r in answer.json()["rows"]}
    assert rows["PHED"]["previous_rank"] == 1 and rows["ENERGY"]["previous_rank"] == 2


def test_by_district_as_a_file_and_who_may_read_it(
    november: None, client: Client, tokens: Tokens
) -> None:
    secretary = tokens.headers(WATER_SECRETARY)
    by_district = client.get(PATH, params={"month": "2026-11", "by": "district"},
                             headers=secretary)  # fmt: skip
    assert by_district.status_code == 200
    assert [r["key"] for r in by_district.json()["rows"]] == ["JAI"]
    sheet = client.get(PATH, params={"month": "2026-11", "format": "csv"}, headers=secretary)
    assert sheet.status_code == 200 and sheet.text.splitlines()[0].startswith("\ufeffdepartment")
    for params, field in (
        ({"month": "2026-12"}, "month"),  # not ended
        ({"month": "2026-13"}, "month"),
        ({"by": "post"}, "by"),
    ):
        answer = client.get(PATH, params=params, headers=tokens.headers(ANALYST))
        assert answer.status_code == 400 and field in answer.text, params
    for who in (citizen(new_mobile()), JAIPUR_WATER_OFFICER):
        assert client.get(PATH, headers=tokens.headers(who)).status_code == 403
