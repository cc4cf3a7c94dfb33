"""The secretary's monthly data (`GET /v1/reports/monthly`): a department's month by
district and by level, as a PDF and an XLSX in Hindi and English, whose figures are the
dashboards' for the same department and month; read by the department's secretary and head
and its minister; the same bytes when made again; sent on the 1st to each department's
secretary through the outbox, with signed links, never twice."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from functools import partial
from typing import Any

import psycopg
import pypdfium2
from litestar.testing import TestClient

from api.services import Services
from infra.security.report_links import document_link
from infra.settings import Settings
from reports import monthly_data
from reports.infographic import figures_as_of
from reports.kept import Name, Shelf
from reports.sending import secretary_of
from scheduler.jobs import Clockwork
from tests.conftest import Pipeline, Tokens, filed_by_a_citizen
from tests.e2e.test_complaint_story import upload_photo
from tests.support import (
    ADMIN,
    ANALYST,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    WATER_HEAD,
    WATER_MINISTER,
    WATER_SECRETARY,
    TurnableClock,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
PATH = "/v1/reports/monthly"
NOVEMBER = date(2026, 11, 1)
WORDS_THAT_ADD_UP = (
    "brought_forward",
    "received",
    "disposed",
    "transferred_out",
    "withdrawn",
    "pending_end",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def a_month_of_complaints(client: Client, tokens: Tokens, pipeline: Pipeline) -> list[Any]:
    """In November: three PHED complaints (two in Jaipur, one CMO in Ajmer), one disposed
    of with relief and answered "satisfied"; an Energy complaint moved between departments
    three times, ending in PHED."""
    operator, admin = tokens.headers(OPERATOR), tokens.headers(ADMIN)
    filed = []
    for district, channel in (("JAI", "portal"), ("JAI", "portal"), ("AJM", "cmo")):
        mobile = new_mobile()
        body = water_complaint(mobile, district=district, channel=channel)
        answer = client.post("/v1/complaints", json=body, headers=operator)
        assert answer.status_code == 201, answer.text
        filed.append((answer.json(), mobile))
    officer = tokens.headers(JAIPUR_WATER_OFFICER)
    first, mobile = filed[0]
    resolve = {"outcome": "relief", "action_taken": "Valve repaired",
               "attachments": [upload_photo(client, officer)]}  # fmt: skip
    done = client.post(f"/v1/complaints/{first['id']}/resolve", json=resolve, headers=officer)
    assert done.status_code == 200, done.text
    feedback = client.post(
        f"/v1/complaints/{first['id']}/feedback",
        json={"satisfied": True},
        headers=tokens.headers(citizen(mobile)),
    )
    assert feedback.status_code == 200, feedback.text
    power = water_complaint(new_mobile(), department="ENERGY", category="transformer")
    moved = client.post("/v1/complaints", json=power, headers=operator).json()
    for department in ("PHED", "ENERGY", "PHED"):
        answer = client.post(
            f"/v1/complaints/{moved['id']}/transfer",
            json={"department": department, "reason": "not ours"},
            headers=admin,
        )
        assert answer.status_code == 200, answer.text
    pipeline.settle()
    return [f for f, _ in filed] + [moved]


def each_row_adds_up_as_printed(data: monthly_data.MonthlyData) -> None:
    """A secretary can check the district table by hand: brought forward + received -
    disposed - transferred out - withdrawn = pending at the month's end, on every row."""
    header, body = monthly_data.district_table(data)
    at = {name: header.index(data.word(name)) for name in WORDS_THAT_ADD_UP}
    for row in body:
        came = row[at["brought_forward"]] + row[at["received"]]
        went = row[at["disposed"]] + row[at["transferred_out"]] + row[at["withdrawn"]]
        assert came - went == row[at["pending_end"]], row
    assert any(row[at["transferred_out"]] for row in body)  # the moved one left PHED


def test_the_monthly_data_is_the_dashboards_for_the_department_and_month(
    client: Client,
    tokens: Tokens,
    pipeline: Pipeline,
    services: Services,
    clock: TurnableClock,
) -> None:
    complaints = a_month_of_complaints(client, tokens, pipeline)
    clock.now = figures_as_of(date(2026, 11, 30))  # the month has just ended
    secretary = tokens.headers(WATER_SECRETARY)
    with services.pool.connection() as conn:
        data = monthly_data.gather(
            conn, services.app.directory(), WATER_SECRETARY, "PHED", NOVEMBER, "en"
        )

    def dashboard(by: str) -> list[Any]:
        window = {"from": "2026-11-01", "to": "2026-11-30", "department": "PHED"}
        answer = client.get(f"/v1/dashboards/{by}", params=window, headers=secretary)
        assert answer.status_code == 200, answer.text
        return list(answer.json()["rows"])

    assert data.districts == dashboard("districts")
    assert [data.total] == dashboard("departments")
    assert data.posts == [r for r in dashboard("posts") if r["key"]]
    # Received: three filed, and the moved one transferred in twice.
    assert data.total["received"] == 5 and data.total["disposed"] == 1
    assert data.total["relief_pct"] == 100.0 and data.total["pending_cmo_vip"] == 1
    # The complaints now of the department filed in the month, by their category now.
    assert data.categories == [("water-supply", 4)]
    assert [t.registration_no for t in data.transferred] == [complaints[-1]["registration_no"]]
    # The same, counted the slow way: Transferred events per complaint in the event store.
    with services.pool.connection() as conn:
        moved = conn.execute(
            "SELECT originator_id FROM sampark_events WHERE topic = 'domain.events:Transferred' "
            "GROUP BY 1 HAVING count(*) > 2"
        ).fetchall()
    assert [str(m) for (m,) in moved] == [complaints[-1]["id"]]
    assert {s.key for s in data.index} == {"PHED", "ENERGY"}
    each_row_adds_up_as_printed(data)

    # The PDF opens and every page renders; the workbook holds a sheet per table.
    answer = client.get(PATH, params={"month": "2026-11", "lang": "en"}, headers=secretary)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(answer.content)
    text = ""
    for n in range(len(pdf)):
        assert pdf[n].render(scale=0.5).to_pil().size[0] > 0
        text += pdf[n].get_textpage().get_text_range()
    assert "Public Health Engineering" in text and complaints[-1]["registration_no"] in text
    assert "Ramesh" not in text and "No water supply" not in text  # no personal data
    book = client.get(PATH, params={"month": "2026-11", "format": "xlsx"}, headers=secretary)
    assert book.status_code == 200 and book.headers["content-type"] == XLSX
    sheets = zipfile.ZipFile(io.BytesIO(book.content)).namelist()
    assert sum(name.startswith("xl/worksheets/sheet") for name in sheets) == 7
    again_book = client.get(PATH, params={"month": "2026-11", "format": "xlsx"}, headers=secretary)
    assert again_book.content == book.content

    # Made again from the same events, by another reader: the same bytes, each recorded.
    minister = tokens.headers(WATER_MINISTER)
    again = client.get(
        PATH, params={"month": "2026-11", "lang": "en", "department": "PHED"}, headers=minister
    )
    assert again.status_code == 200 and again.content == answer.content
    head = client.get(PATH, params={"month": "2026-11"}, headers=tokens.headers(WATER_HEAD))
    assert head.status_code == 200
    with services.pool.connection() as conn:
        made = Shelf(conn).made("monthly_data")
    assert [(m["made_by"], m["format"], m["language"]) for m in made] == [
        (WATER_SECRETARY.id, "pdf", "en"),
        (WATER_SECRETARY.id, "xlsx", "hi"),
        (WATER_SECRETARY.id, "xlsx", "hi"),
        (WATER_MINISTER.id, "pdf", "en"),
        (WATER_HEAD.id, "pdf", "hi"),
    ]
    assert made[0]["sha256"] == made[3]["sha256"] and made[0]["period"] == "2026-11"

    # Scope: a secretary its department, a minister its departments; a month that has ended.
    for who, params, status, field in (
        (WATER_SECRETARY, {"department": "ENERGY"}, 403, "department"),
        (WATER_MINISTER, {"department": "REVENUE"}, 403, "department"),
        (WATER_MINISTER, {}, 400, "department"),
        (ANALYST, {}, 400, "department"),
        (WATER_SECRETARY, {"month": "2026-12"}, 400, "month"),
        (WATER_SECRETARY, {"format": "docx"}, 400, "format"),
    ):
        refused = client.get(PATH, params=params, headers=tokens.headers(who))
        assert refused.status_code == status, (who.id, params, refused.text)
        assert field in refused.text
    assert client.get(PATH, headers=tokens.headers(JAIPUR_COLLECTOR)).status_code == 403


def test_sent_on_the_first_to_each_secretary_once_with_links_that_open(
    client: Client,
    tokens: Tokens,
    pipeline: Pipeline,
    services: Services,
    settings: Settings,
    clock: TurnableClock,
    database: str,
) -> None:
    a_month_of_complaints(client, tokens, pipeline)
    clock.now = figures_as_of(date(2026, 11, 30))
    link = partial(document_link, settings)
    directory = services.app.directory()
    secretaries = {d: secretary_of(directory, d) for d in directory.departments}
    reachable = {d for d, post in secretaries.items() if post and post.reachable_at}
    assert "PHED" in reachable

    sent = Clockwork(services.app, services.pool, link=link).send_monthly_data()
    assert sent["monthly data 2026-11 sent"] == len(reachable)
    # Run again, and by a second scheduler: nothing more is made or sent.
    again = Clockwork(services.app, services.pool, link=link).send_monthly_data()
    assert again["monthly data 2026-11 sent"] == 0
    with psycopg.connect(database) as conn:
        messages = conn.execute(
            "SELECT key, mobile, params FROM notify.messages "
            "WHERE template = 'sampark_monthly_data' ORDER BY key"
        ).fetchall()
        kept_copies = conn.execute(
            "SELECT count(*) FROM reports.made "
            "WHERE kind = 'monthly_data' AND made_by = 'scheduler'"
        ).fetchone()
    assert [k for k, _, _ in messages] == sorted(
        f"monthly_data:{d}:2026-11:secretary" for d in reachable
    )
    assert kept_copies == (3 * len(reachable),)
    _, mobile, params = next(m for m in messages if ":PHED:" in m[0])
    assert mobile == secretaries["PHED"].reachable_at  # type: ignore[union-attr]
    # The links open without a login: the kept copies, as sent.
    path = params[2].removeprefix(settings.public_url)
    opened = client.get(path)
    assert opened.status_code == 200 and opened.headers["content-type"] == "application/pdf"
    with services.pool.connection() as conn:
        kept = Shelf(conn).kept(Name("monthly_data", "PHED", "2026-11", "hi", "pdf"))
    assert kept is not None and opened.content == kept.content
    workbook = client.get(params[4].removeprefix(settings.public_url))
    assert workbook.status_code == 200 and workbook.headers["content-type"] == XLSX
    assert client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 403


def test_the_infographic_is_announced_to_its_publishers_once_a_day(
    client: Client,
    tokens: Tokens,
    pipeline: Pipeline,
    services: Services,
    settings: Settings,
    clock: TurnableClock,
    database: str,
) -> None:
    filed = client.post(
        "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
    )
    assert filed.status_code == 201
    pipeline.settle()
    clock.advance(days=1)
    publisher = secretary_of(services.app.directory(), "PHED")
    assert publisher is not None
    link = partial(document_link, settings)

    def scheduler() -> Clockwork:
        return Clockwork(services.app, services.pool, link=link, publishers=(publisher.id,))

    first = scheduler().make_infographic()
    assert first["infographic 2026-11-02 announced"] == 1
    assert scheduler().make_infographic() == {}  # a restart: kept, announced: nothing
    with psycopg.connect(database) as conn:
        rows = conn.execute(
            "SELECT mobile, params FROM notify.messages WHERE template = 'sampark_infographic'"
        ).fetchall()
    assert len(rows) == 1 and rows[0][0] == publisher.reachable_at
    picture = client.get(rows[0][1][1].removeprefix(settings.public_url))
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"


def test_a_first_start_reports_no_month_or_day_before_the_first_complaint(
    client: Client,
    tokens: Tokens,
    pipeline: Pipeline,
    services: Services,
    settings: Settings,
    clock: TurnableClock,
    database: str,
) -> None:
    link = partial(document_link, settings)
    directory = services.app.directory()
    publisher = secretary_of(directory, "PHED")
    assert publisher is not None

    def scheduler() -> Clockwork:
        return Clockwork(services.app, services.pool, link=link, publishers=(publisher.id,))

    def made_and_queued() -> tuple[int, int]:
        counted = []
        with psycopg.connect(database) as conn:
            for table in ("reports.made", "notify.messages"):  # made when first needed
                exists = conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()
                row = (
                    conn.execute(f"SELECT count(*) FROM {table}").fetchone()
                    if exists and exists[0]
                    else (0,)
                )
                counted.append(row[0] if row else 0)
        return counted[0], counted[1]

    # A new store, started on 2 November: October and 1 November saw nothing.
    assert scheduler().send_monthly_data()["monthly data 2026-10: no complaint by the month's end"]
    assert scheduler().make_infographic() == {"infographic 2026-11-01: nothing happened by then": 1}
    assert made_and_queued() == (0, 0)
    # The first complaint is filed that day: the day after, its infographic is made.
    filed_by_a_citizen(client, tokens)
    pipeline.settle()
    clock.advance(days=1)
    assert scheduler().make_infographic()["infographic 2026-11-02 hi"] == 1
    assert made_and_queued()[0] > 0
