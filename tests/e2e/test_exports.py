"""The search and every dashboard answer as files a spreadsheet opens (`format=csv|xlsx`):
the JSON answer's rows and columns, flattened, for exactly what the caller may see. Excel
must show Hindi (UTF-8 with a byte order mark), and text a citizen wrote must never run as
a formula on the desk that opens it."""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

import openpyxl
import pytest
from litestar.testing import TestClient

from api import search
from api.exports import flattened
from api.openapi import EXPORTS
from tests.conftest import Pipeline, Tokens
from tests.support import (
    AJMER_COLLECTOR,
    ANALYST,
    AUDITOR,
    JAIPUR_COLLECTOR,
    OPERATOR,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What citizens might write that a spreadsheet would run: each must arrive as text.
FORMULAS = ['=HYPERLINK("http://x","click")', "+91 call me", "-1+2", "@SUM(A1)", "=1+1"]


def file(client: Client, tokens: Tokens, **body: Any) -> str:
    name = body.pop("name", "Ramesh Kumar")
    complaint = water_complaint(new_mobile(), channel="helpline_181", **body)
    complaint["complainant"]["name"] = name
    answer = client.post("/v1/complaints", json=complaint, headers=tokens.headers(OPERATOR))
    assert answer.status_code == 201, answer.text
    filed: str = answer.json()["id"]
    return filed


def get(client: Client, tokens: Tokens, who: Any, path: str, **params: Any) -> Any:
    answer = client.get(path, params=params, headers=tokens.headers(who))
    assert answer.status_code == 200, answer.text
    return answer


def as_csv(value: Any) -> str:
    """A JSON value as the CSV should write it, formulas made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return str(value)


def csv_rows(answer: Any) -> list[list[str]]:
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith(codecs.BOM_UTF8)  # Excel then reads it as UTF-8
    text = answer.content[len(codecs.BOM_UTF8) :].decode("utf-8")
    assert text.endswith("\r\n")  # RFC 4180 line ends
    return list(csv.reader(io.StringIO(text, newline="")))


def xlsx_rows(answer: Any) -> list[list[Any]]:
    assert answer.headers["content-type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.fixture
def filed(client: Client, tokens: Tokens, pipeline: Pipeline) -> list[str]:
    """Complaints in Jaipur, one in Hindi and some whose subject is a formula, and one in
    Ajmer."""
    ids = [file(client, tokens, name="सुनीता देवी", subject="तीन दिन से पानी नहीं आया")]
    ids += [file(client, tokens, subject=formula) for formula in FORMULAS]
    file(client, tokens, district="AJM")
    pipeline.settle()
    return ids


def test_a_search_as_csv_is_the_json_rows_with_hindi_intact_and_formulas_inert(
    client: Client, tokens: Tokens, filed: list[str]
) -> None:
    params = {"district": "JAI"}
    items = get(client, tokens, OPERATOR, "/v1/complaints", limit=100, **params).json()["items"]
    answer = get(client, tokens, OPERATOR, "/v1/complaints", format="csv", limit=2, **params)
    assert answer.headers["content-disposition"].startswith('attachment; filename="complaints-')
    assert answer.headers["content-disposition"].endswith('.csv"')
    header, *rows = csv_rows(answer)
    assert header == list(items[0])
    assert rows == [[as_csv(item[c]) for c in header] for item in items]  # all, not `limit`
    assert {item["id"] for item in items} == set(filed)
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_id[filed[0]]["complainant_name"] == "सुनीता देवी"
    assert by_id[filed[0]]["subject"] == "तीन दिन से पानी नहीं आया"
    subjects = sorted(by_id[i]["subject"] for i in filed[1:])
    assert subjects == sorted("'" + formula for formula in FORMULAS)
    print(answer.content.decode("utf-8-sig"))  # as a desk would see it (pytest -s)


def test_a_search_as_xlsx_opens_with_the_same_values(
    client: Client, tokens: Tokens, filed: list[str]
) -> None:
    items = get(client, tokens, OPERATOR, "/v1/complaints", limit=100).json()["items"]
    answer = get(client, tokens, OPERATOR, "/v1/complaints", format="xlsx")
    assert answer.headers["content-disposition"].endswith('.xlsx"')
    header, *rows = xlsx_rows(answer)
    assert header == list(items[0])
    assert rows == [[item[c] for c in header] for item in items]  # text stays text
    book = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True)
    kinds = {cell.data_type for row in book.active.iter_rows() for cell in row}
    assert "f" not in kinds  # a subject "=1+1" is the text "=1+1", not a formula
    hindi = next(row for row in rows if row[0] == filed[0])
    assert hindi[header.index("complainant_name")] == "सुनीता देवी"
    for row in rows:
        print(row)  # as a desk would see it (pytest -s)


def test_an_export_pages_through_every_match_up_to_its_cap(
    client: Client, tokens: Tokens, filed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "EXPORT_PAGE", 2)  # several pages for a few complaints
    _, *rows = csv_rows(get(client, tokens, OPERATOR, "/v1/complaints", format="csv"))
    assert len(rows) == len(filed) + 1 and len({row[0] for row in rows}) == len(rows)
    _, *rows = xlsx_rows(get(client, tokens, OPERATOR, "/v1/complaints", format="xlsx"))
    assert len(rows) == len(filed) + 1

    monkeypatch.setattr(search, "EXPORT_CAP", len(filed))
    for format in ("csv", "xlsx"):
        refused = client.get(
            "/v1/complaints", params={"format": format}, headers=tokens.headers(OPERATOR)
        )
        assert refused.status_code == 400 and refused.json()["field"] == "format"
        assert "narrow" in refused.json()["detail"]
    narrowed = get(client, tokens, OPERATOR, "/v1/complaints", format="csv", district="JAI")
    assert len(csv_rows(narrowed)) == len(filed) + 1  # the header and every match


def test_an_export_holds_only_what_the_caller_may_see(
    client: Client, tokens: Tokens, filed: list[str]
) -> None:
    _, *ajmer = csv_rows(get(client, tokens, AJMER_COLLECTOR, "/v1/complaints", format="csv"))
    assert len(ajmer) == 1 and ajmer[0][0] not in filed
    jaipur = csv_rows(get(client, tokens, JAIPUR_COLLECTOR, "/v1/complaints", format="csv"))
    assert {row[0] for row in jaipur[1:]} == set(filed)

    for format in ("csv", "xlsx"):
        answer = get(client, tokens, ANALYST, "/v1/complaints", format=format)
        header, *rows = csv_rows(answer) if format == "csv" else xlsx_rows(answer)
        assert len(rows) == len(filed) + 1
        for column in ("complainant_name", "subject"):
            assert {row[header.index(column)] for row in rows} <= {"", None}, column
    raw = get(client, tokens, ANALYST, "/v1/complaints", format="csv").content.decode("utf-8-sig")
    assert "सुनीता" not in raw and "Ramesh" not in raw and "HYPERLINK" not in raw


def test_every_complaint_a_staff_export_shows_is_in_the_who_looked_log(
    client: Client, tokens: Tokens, filed: list[str]
) -> None:
    get(client, tokens, JAIPUR_COLLECTOR, "/v1/complaints", format="csv")
    get(client, tokens, ANALYST, "/v1/complaints", format="xlsx")  # no personal data: no entry
    for complaint in filed:
        looks = client.get(
            "/v1/audit/access", params={"complaint": complaint}, headers=tokens.headers(AUDITOR)
        ).json()["items"]
        assert [(look["actor_id"], look["endpoint"]) for look in looks] == [
            (JAIPUR_COLLECTOR.id, "GET /v1/complaints?format=csv")
        ]


@pytest.mark.parametrize("by", ["districts", "departments", "posts", "daily"])
def test_every_dashboard_answers_as_csv_and_xlsx_with_the_json_figures(
    client: Client, tokens: Tokens, filed: list[str], by: str
) -> None:
    path = f"/v1/dashboards/{by}"
    for who in (JAIPUR_COLLECTOR, ANALYST):
        dashboard = get(client, tokens, who, path).json()
        expected = [flattened(row) for row in dashboard["rows"]]
        assert expected, "the window holds the complaints just filed"
        header, *rows = csv_rows(get(client, tokens, who, path, format="csv"))
        assert header == [dashboard["by"], *list(expected[0])[1:]]
        assert "received_by_kind.filed" in header  # named as in docs/read-models.md
        assert rows == [[as_csv(v) for v in row.values()] for row in expected]
        header, *cells = xlsx_rows(get(client, tokens, who, path, format="xlsx"))
        assert cells == [list(row.values()) for row in expected]
    refused = client.get(path, params={"format": "pdf"}, headers=tokens.headers(AUDITOR))
    assert refused.status_code == 400 and refused.json()["field"] == "format"


def test_the_schema_says_which_operations_answer_with_files(client: Client) -> None:
    schema = client.get("/schema/openapi.json").json()
    for path in EXPORTS:
        operation = schema["paths"][path]["get"]
        answers = operation["responses"]["200"]["content"]
        assert {"application/json", "text/csv", XLSX} <= set(answers), path
        assert "Content-Disposition" in operation["responses"]["200"]["headers"]
        formats = next(p for p in operation["parameters"] if p["name"] == "format")["schema"]
        if "$ref" in formats:
            formats = schema["components"]["schemas"][formats["$ref"].split("/")[-1]]
        assert set(formats["enum"]) == {"json", "csv", "xlsx"}, formats
