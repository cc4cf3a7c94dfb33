"""Satisfaction is what citizens said: "satisfied" without a number is no rating of 5 (nor
"not satisfied" a 1), whether it comes from the JSON API or the report page."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from api.services import Services
from domain.events import FeedbackGiven
from domain.values import Language
from tests.conftest import Pipeline, Tokens
from tests.e2e.test_action_taken_report import disposed, path_of
from tests.e2e.test_complaint_story import upload_photo
from tests.support import JAIPUR_WATER_OFFICER, citizen, new_mobile, water_complaint

Client = TestClient[Any]


def test_a_citizen_may_answer_satisfied_without_a_rating_over_the_api(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    mobile = new_mobile()
    ramesh, officer = tokens.headers(citizen(mobile)), tokens.headers(JAIPUR_WATER_OFFICER)
    complaint = client.post("/v1/complaints", json=water_complaint(mobile), headers=ramesh).json()
    resolved = client.post(
        f"/v1/complaints/{complaint['id']}/resolve",
        json={
            "outcome": "relief",
            "action_taken": "Valve repaired",
            "attachments": [upload_photo(client, officer)],
        },
        headers=officer,
    )
    assert resolved.status_code == 200, resolved.text
    out_of_range = client.post(
        f"/v1/complaints/{complaint['id']}/feedback",
        json={"satisfied": True, "rating": 0},
        headers=ramesh,
    )
    assert out_of_range.status_code == 400 and "rating" in out_of_range.text
    answer = client.post(
        f"/v1/complaints/{complaint['id']}/feedback", json={"satisfied": True}, headers=ramesh
    )
    assert answer.status_code == 200, answer.text
    shown = client.get(
        f"/v1/complaints/{complaint['id']}",
        params={"min_version": answer.json()["version"]},
        headers=ramesh,
    )
    assert shown.json()["feedback"] == {"satisfied": True, "rating": None, "comment": None}


def test_the_report_pages_buttons_alone_record_no_rating(
    client: Client, services: Services
) -> None:
    for answer in ("yes", "no"):
        complaint = disposed(services, Language.ENGLISH)
        page = client.post(f"{path_of(services, complaint)}/feedback", data={"satisfied": answer})
        assert page.status_code == 200, page.text
        (given,) = [e for e in services.app.timeline(complaint) if isinstance(e, FeedbackGiven)]
        assert (given.satisfied, given.rating) == (answer == "yes", None)
