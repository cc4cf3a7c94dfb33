"""On the report page the complainant reads the officer's question (as text, whatever it
says), answers it, and the deadline resumes; a second answer, or one without words, is
refused on the page itself."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

from litestar.testing import TestClient

from api.services import Services
from domain.events import ClarificationAnswered
from domain.values import Channel, Complainant, Language
from tests.conftest import Pipeline, Tokens
from tests.e2e.test_report_page_is_safe import BREAKOUT, PAGE_TAGS, SCRIPT, markup_of, path_of
from tests.support import (
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    TurnableClock,
    new_mobile,
)

Client = TestClient[Any]


def waiting_in_jaipur(client: Client, tokens: Tokens) -> dict[str, Any]:
    answer = client.get(
        "/v1/dashboards/waiting?from=2026-11-01&to=2026-11-30",
        headers=tokens.headers(JAIPUR_COLLECTOR),
    )
    assert answer.status_code == 200, answer.text
    figures: dict[str, Any] = answer.json()
    assert figures["district"] == "JAI"  # a collector's own district
    return figures


def test_the_complainant_answers_the_question_on_the_report_page(
    client: Client, services: Services, tokens: Tokens, pipeline: Pipeline, clock: TurnableClock
) -> None:
    complaint = services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Asha", mobile=new_mobile(), language=Language.ENGLISH),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="No water",
        description="Ward 12",
        channel=Channel.HELPLINE_181,
    ).id
    question = f"Which pipe? {SCRIPT} {BREAKOUT}"
    services.app.seek_clarification(complaint, by=JAIPUR_WATER_OFFICER, question=question)
    path = path_of(services, complaint)
    pipeline.settle()
    before = waiting_in_jaipur(client, tokens)
    assert before["waiting_at_end"] >= 1 and before["asked"] >= 1

    page = client.get(path).text
    assert markup_of(page) <= PAGE_TAGS
    shown = [html.unescape(text) for text in re.findall(r"<dd>(.*?)</dd>", page, re.S)]
    assert question in shown and "the deadline waits for your answer" in shown
    assert f'action="{path}/answer?lang=en"' in page

    clock.now += timedelta(days=2)
    empty = client.post(f"{path}/answer", data={"answer": "  "})
    assert empty.status_code == 400
    answered = client.post(f"{path}/answer", data={"answer": "The one by the temple"})
    assert answered.status_code == 200 and "Your answer is recorded" in answered.text
    assert 'action="' + path + "/answer" not in answered.text  # no question waits now
    again = client.post(f"{path}/answer", data={"answer": "again"})
    assert again.status_code == 409 and "no question waits" in again.text

    (recorded,) = [
        e for e in services.app.timeline(complaint) if isinstance(e, ClarificationAnswered)
    ]
    assert recorded.answer == "The one by the temple"
    assert recorded.actor.role == "citizen"
    assert services.app.complaint(complaint).due_at is not None
    pipeline.settle()
    after = waiting_in_jaipur(client, tokens)
    assert after["answered"] == before["answered"] + 1
    assert after["waiting_at_end"] == before["waiting_at_end"] - 1
    assert after["paused_days"] >= before["paused_days"] + 2
