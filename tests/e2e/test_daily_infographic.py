"""The daily infographic (`GET /v1/reports/infographic`): the state's day and month to date
as a picture, whose every figure is the dashboards' for the same days; a PNG of 1080 x 1350
and a PDF that opens, in Hindi and English; the same bytes when made again from the same
events; recorded with who made it and from which data; the morning's copy kept and served."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import psycopg
import pypdfium2
import pytest
from litestar.testing import TestClient
from PIL import Image

from api.services import Services
from reports import infographic
from reports.kept import Name, Shelf
from reports.publishing import Picture, make_infographic
from scheduler.jobs import Clockwork
from tests.conftest import Pipeline, Tokens
from tests.e2e.test_complaint_story import upload_photo
from tests.support import (
    ANALYST,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    START,
    TurnableClock,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
DAY = START.date()  # 2026-11-02, a Monday (the clock starts at 10:00 in Jaipur)
PATH = "/v1/reports/infographic"


@pytest.fixture
def a_day_of_complaints(
    client: Client, tokens: Tokens, pipeline: Pipeline, clock: TurnableClock
) -> None:
    """Three complaints in Jaipur and one in Ajmer filed on DAY; one disposed of with
    relief and answered "satisfied"; then the clock moves to the next morning."""
    officer = tokens.headers(JAIPUR_WATER_OFFICER)
    filed = []
    for district in ("JAI", "JAI", "JAI", "AJM"):
        mobile = new_mobile()
        body = water_complaint(mobile, district=district)
        answer = client.post("/v1/complaints", json=body, headers=tokens.headers(OPERATOR))
        assert answer.status_code == 201, answer.text
        filed.append((answer.json()["id"], mobile))
    first, mobile = filed[0]
    resolved = client.post(
        f"/v1/complaints/{first}/resolve",
        json={"outcome": "relief", "action_taken": "Valve repaired",
              "attachments": [upload_photo(client, officer)]},
        headers=officer,
    )  # fmt: skip
    assert resolved.status_code == 200, resolved.text
    answer = client.post(
        f"/v1/complaints/{first}/feedback",
        json={"satisfied": True},
        headers=tokens.headers(citizen(mobile)),
    )
    assert answer.status_code == 200, answer.text
    pipeline.settle()
    clock.advance(days=1)  # the next morning: DAY has ended


def dashboard(client: Client, tokens: Tokens, by: str, first: date, last: date) -> Any:
    answer = client.get(
        f"/v1/dashboards/{by}",
        params={"from": first.isoformat(), "to": last.isoformat()},
        headers=tokens.headers(ANALYST),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["rows"]


def test_every_figure_is_the_dashboards(
    a_day_of_complaints: None, client: Client, tokens: Tokens, services: Services
) -> None:
    with services.pool.connection() as conn:
        shown = infographic.gather(conn, services.app.directory(), DAY, "en")
    first = DAY.replace(day=1)
    days = dashboard(client, tokens, "daily", first, DAY)
    assert shown.today == days[-1]
    assert shown.today["registered"] == 4 and shown.today["disposed"] == 1
    assert shown.month["registered"] == sum(d["registered"] for d in days) == 4
    assert shown.month["disposed"] == sum(d["disposed"] for d in days) == 1
    assert shown.month["pending"] == days[-1]["pending"] == 3
    assert shown.month["relief_pct"] == 100.0 and shown.month["satisfaction_pct"] == 100.0
    districts = {r["key"]: r for r in dashboard(client, tokens, "districts", first, DAY)}
    assert shown.districts == districts
    assert districts["JAI"]["relief_pct"] == 100.0 and districts["AJM"]["relief_pct"] is None
    departments = dashboard(client, tokens, "departments", first, DAY)
    assert [s.key for s in shown.departments] == [r["key"] for r in departments] == ["PHED"]


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_the_picture_is_1080_by_1350_and_the_pdf_renders(
    a_day_of_complaints: None, client: Client, tokens: Tokens, lang: str
) -> None:
    params = {"day": DAY.isoformat(), "lang": lang}
    picture = client.get(PATH, params=params, headers=tokens.headers(JAIPUR_COLLECTOR))
    assert picture.status_code == 200, picture.text
    assert picture.headers["content-type"] == "image/png"
    assert "events applied" in picture.headers["sampark-data-version"]
    image = Image.open(io.BytesIO(picture.content))
    assert image.format == "PNG" and image.size == (1080, 1350)
    document = client.get(PATH, params={**params, "format": "pdf"}, headers=tokens.headers(ANALYST))
    assert document.status_code == 200 and document.headers["content-type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(document.content)
    page = pdf[0]
    assert page.render(scale=2).to_pil().size == (1080, 1350)
    text = page.get_textpage().get_text_range()
    assert ("राजस्थान" if lang == "hi" else "Rajasthan Sampark") in text


def test_made_twice_it_is_the_same_bytes_and_each_making_is_recorded(
    a_day_of_complaints: None,
    client: Client,
    tokens: Tokens,
    services: Services,
    database: str,
    clock: TurnableClock,
) -> None:
    params = {"day": DAY.isoformat(), "lang": "hi"}
    once = client.get(PATH, params=params, headers=tokens.headers(ANALYST))
    # No event between: the copy made from the same data is served, nothing is made again.
    again = client.get(PATH, params=params, headers=tokens.headers(JAIPUR_COLLECTOR))
    assert once.status_code == again.status_code == 200
    assert once.content == again.content
    with psycopg.connect(database) as conn:
        assert [m["made_by"] for m in Shelf(conn).made("infographic")] == [ANALYST.id] * 2
    # Made again from the same events: the same bytes, recorded as made by whoever made it.
    files, _ = make_infographic(
        services.pool, services.app.directory(), clock.now, DAY, "hi", JAIPUR_COLLECTOR.id
    )
    assert files[Picture.PNG] == once.content
    with psycopg.connect(database) as conn:
        made = Shelf(conn).made("infographic")
    png = [m for m in made if m["format"] == "png"]
    assert [m["made_by"] for m in png] == [ANALYST.id, JAIPUR_COLLECTOR.id]
    assert png[0]["sha256"] == png[1]["sha256"] and png[0]["period"] == DAY.isoformat()
    assert all("events applied" in m["data_version"] for m in made)


def test_an_event_applied_makes_it_again(
    a_day_of_complaints: None,
    client: Client,
    tokens: Tokens,
    services: Services,
    database: str,
    pipeline: Pipeline,
) -> None:
    params = {"day": DAY.isoformat(), "lang": "en", "format": "pdf"}
    once = client.get(PATH, params=params, headers=tokens.headers(ANALYST))
    filed = client.post(
        "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
    )
    assert filed.status_code == 201, filed.text
    pipeline.settle()
    again = client.get(PATH, params=params, headers=tokens.headers(ANALYST))
    assert once.headers["sampark-data-version"] != again.headers["sampark-data-version"]
    with psycopg.connect(database) as conn:
        made = [m for m in Shelf(conn).made("infographic") if m["format"] == "pdf"]
    assert [m["data_version"] for m in made] == [
        once.headers["sampark-data-version"],
        again.headers["sampark-data-version"],
    ]


def test_the_morning_copy_is_kept_and_served_as_published(
    a_day_of_complaints: None,
    client: Client,
    tokens: Tokens,
    services: Services,
    clock: TurnableClock,
) -> None:
    clockwork = Clockwork(services.app, services.pool)
    made = clockwork.make_infographic()  # yesterday's: DAY
    assert made == {f"infographic {DAY} hi": 1, f"infographic {DAY} en": 1}
    # A second start of the scheduler finds the day's copies kept: nothing made or recorded.
    with services.pool.connection() as conn:
        recorded = len(Shelf(conn).made("infographic"))
    assert clockwork.make_infographic() == {}
    with services.pool.connection() as conn:
        assert len(Shelf(conn).made("infographic")) == recorded == 4
    with services.pool.connection() as conn:
        shelf = Shelf(conn)
        kept = {lang: shelf.kept(Name("infographic", "state", str(DAY), lang, "png"))
                for lang in ("hi", "en")}  # fmt: skip
    assert all(copy is not None and copy.made_by == "scheduler" for copy in kept.values())
    for lang, copy in kept.items():
        served = client.get(
            PATH, params={"day": DAY.isoformat(), "lang": lang}, headers=tokens.headers(ANALYST)
        )
        assert copy is not None and served.content == copy.content
    # Made again from the same events: the same bytes, kept again.
    files, _ = make_infographic(
        services.pool, services.app.directory(), clock.now, DAY, "en", "scheduler", keep=True
    )
    assert kept["en"] is not None and files[Picture.PNG] == kept["en"].content


def test_only_a_day_that_has_ended_and_only_staff(
    a_day_of_complaints: None, client: Client, tokens: Tokens, clock: TurnableClock
) -> None:
    today = (clock.now + timedelta(hours=5, minutes=30)).date()
    for params, field in (
        ({"day": today.isoformat()}, "day"),
        ({"day": "1999-01-01"}, "day"),
        ({"lang": "fr"}, "lang"),
        ({"format": "gif"}, "format"),
    ):
        answer = client.get(PATH, params=params, headers=tokens.headers(ANALYST))
        assert answer.status_code == 400, (params, answer.text)
        assert field in answer.text
    refused = client.get(PATH, headers=tokens.headers(citizen(new_mobile())))
    assert refused.status_code == 403
