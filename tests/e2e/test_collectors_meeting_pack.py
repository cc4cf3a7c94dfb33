"""The collector's meeting pack (`GET /v1/reports/district?district=&week=`): the district's
week department by department, each figure the dashboard's for the same district and week;
CMO/VIP and inter-departmental pending; the oldest pending; a PDF that opens and an XLSX a
spreadsheet reads, in Hindi and English; the same bytes when made again; a collector sees
only its own district."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import openpyxl
import psycopg
import pypdfium2
import pytest
from litestar.testing import TestClient

from domain.values import Identity
from reports import meeting_pack
from reports.kept import Shelf
from tests.conftest import Pipeline, Tokens
from tests.support import (
    AJMER_COLLECTOR,
    ANALYST,
    JAIPUR_COLLECTOR,
    OPERATOR,
    START,
    WATER_SECRETARY,
    TurnableClock,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
MONDAY = START.date()  # 2026-11-02
WEEK = "2026-W45"
PATH = "/v1/reports/district"


@pytest.fixture
def a_week_in_jaipur(
    client: Client, tokens: Tokens, pipeline: Pipeline, clock: TurnableClock
) -> None:
    """Four water complaints in Jaipur (one from the CMO, one transferred to power) and
    one in Ajmer, filed on the week's Monday; then the clock moves to the next Monday."""
    ids = []
    for district, channel in (("JAI", "cmo"), ("JAI", "portal"), ("JAI", "portal"),
                              ("JAI", "portal"), ("AJM", "portal")):  # fmt: skip
        body = water_complaint(new_mobile(), district=district, channel=channel)
        answer = client.post("/v1/complaints", json=body, headers=tokens.headers(OPERATOR))
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["id"])
    moved = client.post(
        f"/v1/complaints/{ids[1]}/transfer",
        json={"department": "ENERGY", "reason": "The pump has no power"},
        headers=tokens.headers(JAIPUR_COLLECTOR),
    )
    assert moved.status_code == 200, moved.text
    pipeline.settle()
    clock.advance(days=7)


def get(client: Client, tokens: Tokens, who: Identity, **params: str) -> Any:
    return client.get(PATH, params=params, headers=tokens.headers(who))


def test_the_figures_are_the_dashboards_for_the_district_and_week(
    a_week_in_jaipur: None, client: Client, tokens: Tokens, services: Any
) -> None:
    with services.pool.connection() as conn:
        pack = meeting_pack.gather(
            conn, services.app.directory(), JAIPUR_COLLECTOR, "JAI", MONDAY, "en"
        )
    sunday = MONDAY + timedelta(days=6)
    dashboard = client.get(
        "/v1/dashboards/departments",
        params={"from": MONDAY.isoformat(), "to": sunday.isoformat()},
        headers=tokens.headers(JAIPUR_COLLECTOR),
    ).json()["rows"]
    assert pack.rows == dashboard
    # CMO first; then the figures a meeting looks at.
    assert pack.departments() == ["PHED", "ENERGY"]
    phed, energy = pack.row("PHED"), pack.row("ENERGY")
    assert (phed["received"], phed["pending"], phed["pending_cmo_vip"]) == (4, 3, 1)
    assert (energy["received"], energy["pending"]) == (1, 1)
    assert pack.transferred == {"ENERGY": 1}
    assert [p.department for p in pack.oldest] == ["PHED", "ENERGY", "PHED", "PHED"]
    assert pack.oldest[0].cmo_vip and pack.oldest[1].transfers == 1
    assert pack.change("PHED", "relief_pct") is None  # nothing disposed either week


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_the_pdf_renders_and_the_xlsx_opens(
    a_week_in_jaipur: None, client: Client, tokens: Tokens, lang: str
) -> None:
    document = get(client, tokens, JAIPUR_COLLECTOR, week=WEEK, lang=lang)
    assert document.status_code == 200, document.text
    assert document.headers["content-type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(document.content)
    page = pdf[0]
    width, height = page.render(scale=1).to_pil().size
    assert width > height  # landscape A4
    text = page.get_textpage().get_text_range()
    assert ("जयपुर" if lang == "hi" else "Jaipur") in text and "JAI-2026-" in text
    sheet = get(client, tokens, ANALYST, district="JAI", week=WEEK, lang=lang, format="xlsx")
    assert sheet.status_code == 200, sheet.text
    book = openpyxl.load_workbook(io.BytesIO(sheet.content), read_only=True)
    assert book.sheetnames == ["departments", "oldest pending"]
    rows = [list(r) for r in book["departments"].iter_rows(values_only=True)]
    # brought forward, received, disposed, moved out, withdrawn, pending
    assert [r[1:7] for r in rows[2:]] == [[0, 4, 0, 1, 0, 3], [0, 1, 0, 0, 0, 1]]
    for row in rows[2:]:  # each row adds up as printed
        assert row[1] + row[2] - row[3] - row[4] - row[5] == row[6], row


def test_made_twice_it_is_the_same_bytes_and_recorded(
    a_week_in_jaipur: None, client: Client, tokens: Tokens, database: str
) -> None:
    for form in ("pdf", "xlsx"):
        once = get(client, tokens, JAIPUR_COLLECTOR, week=WEEK, format=form)
        again = get(client, tokens, JAIPUR_COLLECTOR, week=WEEK, format=form)
        assert once.status_code == again.status_code == 200
        assert once.content == again.content, form
    with psycopg.connect(database) as conn:
        made = Shelf(conn).made("district_pack")
    assert len(made) == 4 and {m["made_by"] for m in made} == {JAIPUR_COLLECTOR.id}
    assert {(m["subject"], m["period"]) for m in made} == {("JAI", MONDAY.isoformat())}


def test_a_collector_sees_its_own_district_only(
    a_week_in_jaipur: None, client: Client, tokens: Tokens
) -> None:
    assert get(client, tokens, AJMER_COLLECTOR, week=WEEK).status_code == 200  # its own
    other = get(client, tokens, AJMER_COLLECTOR, district="JAI", week=WEEK)
    assert other.status_code == 403 and "district" in other.text
    assert get(client, tokens, WATER_SECRETARY, district="JAI").status_code == 403
    for params, field in (
        ({"week": "2026-W46"}, "week"),  # the current week has not ended
        ({"week": "2026-48"}, "week"),
        ({"week": "2026-W54"}, "week"),
        ({"district": "XYZ"}, "district"),
    ):
        answer = get(client, tokens, ANALYST, **{"district": "JAI", **params})
        assert answer.status_code == 400, (params, answer.text)
        assert field in answer.text
    assert get(client, tokens, ANALYST, week=WEEK).status_code == 400  # which district?
