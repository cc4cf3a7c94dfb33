"""The review report to the minister (`GET /v1/reviews/report`): the complaints a
department's secretary reviewed on a day, with the notes and where each stands now, as a
PDF in Hindi and English; a secretary reads its department's, a minister its departments'
(its dashboards too), shown the complainant's words only where the permissions table says,
and then logged; the same events make the same bytes, and every making is recorded."""

from __future__ import annotations

from typing import Any

import psycopg
import pypdfium2
from litestar.testing import TestClient

from api.services import Services
from infra.security.tokens import mint
from reports.kept import Shelf
from tests.conftest import SECRET, Pipeline, Tokens
from tests.support import (
    ANALYST,
    OPERATOR,
    WATER_MINISTER,
    WATER_SECRETARY,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
PATH = "/v1/reviews/report"
NOTES = ("Chief Engineer to visit Ward 12 tomorrow", "Tanker twice a day until the main is fixed")


def text_of(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    assert len(document) >= 1
    page = document[0]
    assert page.render(scale=1).to_pil().size[0] > page.render(scale=1).to_pil().size[1]
    return "".join(document[n].get_textpage().get_text_range() for n in range(len(document)))


def looks_by(database: str, actor: str) -> list[Any]:
    with psycopg.connect(database) as conn:
        return conn.execute(
            "SELECT complaint_id, endpoint FROM sampark.access_log WHERE actor_id = %s ORDER BY id",
            (actor,),
        ).fetchall()


def test_the_secretary_reports_its_days_reviews_to_the_minister(
    client: Client, tokens: Tokens, pipeline: Pipeline, services: Services, database: str
) -> None:
    secretary, minister = tokens.headers(WATER_SECRETARY), tokens.headers(WATER_MINISTER)
    reviewed = []
    for note in NOTES:
        filed = client.post(
            "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
        )
        assert filed.status_code == 201, filed.text
        answer = client.post(
            f"/v1/complaints/{filed.json()['id']}/review", json={"note": note}, headers=secretary
        )
        assert answer.status_code == 200, answer.text
        reviewed.append(filed.json())
    other = client.post(  # filed, never reviewed: not in the report
        "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
    )
    pipeline.settle()

    # The secretary: its department's, the complainant's words shown, and logged.
    answer = client.get(PATH, params={"lang": "en"}, headers=secretary)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    shown = text_of(answer.content)
    for complaint, note in zip(reviewed, NOTES, strict=True):
        assert complaint["registration_no"] in shown and note in shown
    assert other.json()["registration_no"] not in shown
    assert "No water supply" in shown and "Ramesh" not in shown
    assert "pending, level 1" in shown
    looked = looks_by(database, WATER_SECRETARY.id)
    assert sorted(str(c) for c, _ in looked) == sorted(c["id"] for c in reviewed)
    assert {endpoint for _, endpoint in looked} == {"GET /v1/reviews/report"}

    # The minister: one of its departments, named; the notes, not the complainant's words.
    unnamed = client.get(PATH, headers=minister)
    assert unnamed.status_code == 400 and unnamed.json()["field"] == "department"
    for_minister = client.get(PATH, params={"department": "PHED", "lang": "en"}, headers=minister)
    assert for_minister.status_code == 200, for_minister.text
    shown = text_of(for_minister.content)
    assert all(note in shown for note in NOTES) and "No water supply" not in shown
    assert looks_by(database, WATER_MINISTER.id) == []
    not_its = client.get(PATH, params={"department": "REVENUE"}, headers=minister)
    assert not_its.status_code == 403 and not_its.json()["field"] == "department"
    others = client.get(PATH, params={"department": "ENERGY"}, headers=secretary)
    assert others.status_code == 403 and others.json()["field"] == "department"

    # The same events: the same bytes; each making recorded with who and which data.
    again = client.get(PATH, params={"department": "PHED", "lang": "en"}, headers=minister)
    assert again.content == for_minister.content
    hindi = client.get(PATH, params={"department": "PHED"}, headers=minister)
    assert "माननीय मंत्री महोदय" in text_of(hindi.content)
    with services.pool.connection() as conn:
        made = Shelf(conn).made("review_report")
    assert [m["made_by"] for m in made] == [WATER_SECRETARY.id] + [WATER_MINISTER.id] * 3
    assert made[1]["sha256"] == made[2]["sha256"] != made[0]["sha256"]
    assert all(m["data_version"] == answer.headers["sampark-data-version"] for m in made)

    # A day to come is refused, naming it.
    ahead = client.get(PATH, params={"day": "2099-01-01"}, headers=secretary)
    assert ahead.status_code == 400 and ahead.json()["field"] == "day"


def test_a_minister_reads_its_departments_dashboards_only(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    filed = client.post(
        "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
    )
    assert filed.status_code == 201
    pipeline.settle()
    path = "/v1/dashboards/districts"
    minister = tokens.headers(WATER_MINISTER)
    mine = client.get(path, params={"department": "PHED"}, headers=minister)
    assert mine.status_code == 200, mine.text
    as_analyst = client.get(path, params={"department": "PHED"}, headers=tokens.headers(ANALYST))
    assert mine.json() == as_analyst.json() and mine.json()["rows"]
    for params in ({}, {"department": "REVENUE"}):
        refused = client.get(path, params=params, headers=minister)
        assert refused.status_code == 403 and refused.json()["field"] == "department", params
    # Its departments come from the token only as a list of department codes.
    for departments in (None, [], ["PHED", "not a code!"]):
        token = mint(SECRET, role="minister", sub="minister-x", departments=departments)
        answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401 and answer.json()["field"] == "departments"
    token = mint(SECRET, role="minister", sub="m", departments=["PHED"], district="JAI")
    assert client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 401
