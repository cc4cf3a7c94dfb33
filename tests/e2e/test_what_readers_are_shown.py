"""What each reader is shown of one complaint's story.

Ramesh files about his dry taps, the Jaipur water office disposes of it, he answers that he
is not satisfied, the collector writes a note for the office and one for Ramesh, and the
department's secretary notes what must happen. An analyst studies the complaint without
learning who Ramesh is; Ramesh reads the public part of the story, with staff named by post
and office; the collector reads all of it."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import TestClient

from api.services import Services
from domain.values import Outcome
from tests.conftest import Pipeline, Tokens
from tests.support import (
    ANALYST,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    WATER_SECRETARY,
    citizen,
    new_mobile,
    water_complaint,
)
from tests.unit.test_complaint_rules import PHOTO

Client = TestClient[Any]
PSEUDONYM = re.compile(r"^citizen-[0-9a-f]{8}$")
INTERNAL_NOTE = "Complainant Ramesh is the sarpanch's brother; handle carefully"
PUBLIC_NOTE = "A tanker will come to Ward 12 every morning until the pipe is repaired"
REVIEW_NOTE = "CE PHED to act within 24 h"
FEEDBACK = "Ramesh here, still no water at house 14"


def the_story(client: Client, tokens: Tokens, services: Services, mobile: str) -> dict[str, Any]:
    ramesh = tokens.headers(citizen(mobile))
    filed: dict[str, Any] = client.post(
        "/v1/complaints",
        json=water_complaint(mobile, description="Ward 12, house 14 (Ramesh Kumar): taps dry."),
        headers=ramesh,
    ).json()
    services.app.resolve(
        filed["id"],
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Valve at Ramesh Kumar's lane replaced",
        evidence=(PHOTO,),
    )
    url = f"/v1/complaints/{filed['id']}"
    answered = client.post(
        f"{url}/feedback",
        json={"satisfied": False, "rating": 2, "comment": FEEDBACK},
        headers=ramesh,
    )
    assert answered.status_code == 200, answered.text
    collector = tokens.headers(JAIPUR_COLLECTOR)
    noted = client.post(f"{url}/comments", json={"text": INTERNAL_NOTE}, headers=collector)
    assert noted.status_code == 200
    reviewed = client.post(
        f"{url}/review", json={"note": REVIEW_NOTE}, headers=tokens.headers(WATER_SECRETARY)
    )
    assert reviewed.status_code == 200, reviewed.text
    return filed


def test_an_analyst_studies_a_complaint_without_learning_who_filed_it(
    client: Client, tokens: Tokens, services: Services, pipeline: Pipeline
) -> None:
    mobile = new_mobile()
    filed = the_story(client, tokens, services, mobile)
    again = client.post(
        "/v1/complaints", json=water_complaint(mobile), headers=tokens.headers(citizen(mobile))
    ).json()
    someone_else = new_mobile()
    other = client.post(
        "/v1/complaints",
        json=water_complaint(someone_else),
        headers=tokens.headers(citizen(someone_else)),
    ).json()
    pipeline.settle()
    analyst = tokens.headers(ANALYST)
    personal = (mobile, "Ramesh", "house 14", "sarpanch", "tanker", "24 h", "Valve")

    timeline = client.get(f"/v1/complaints/{filed['id']}/timeline", headers=analyst)
    assert timeline.status_code == 200
    assert not [word for word in personal if word in timeline.text]
    events = timeline.json()["events"]
    citizens = {e["actor"]["id"] for e in events if e["actor"]["role"] == "citizen"}
    assert len(citizens) == 1  # the filing and the feedback: one person, one pseudonym
    (pseudonym,) = citizens
    assert PSEUDONYM.match(pseudonym), pseudonym
    [comment, *_] = [e for e in events if e["type"] == "CommentAdded"]
    assert comment["data"]["text"] is None and comment["data"]["visibility"] == "internal"
    [feedback] = [e for e in events if e["type"] == "FeedbackGiven"]
    assert feedback["data"] == {"satisfied": False, "rating": 2, "comment": None}

    def filer(complaint: dict[str, Any]) -> str:
        shown = client.get(f"/v1/complaints/{complaint['id']}/timeline", headers=analyst).json()
        return str(shown["events"][0]["actor"]["id"])

    assert filer(again) == pseudonym  # stable: repeat complainants can be counted
    assert filer(other) != pseudonym

    current = client.get(f"/v1/complaints/{filed['id']}", headers=analyst)
    assert current.status_code == 200
    assert not [word for word in personal if word in current.text]
    shown = current.json()
    assert shown["complainant"] is None and shown["description"] is None
    assert shown["resolution"]["action_taken"] is None and shown["feedback"]["comment"] is None
    assert shown["category"] == "water-supply" and shown["resolution"]["outcome"] == "relief"

    listed = client.get("/v1/complaints", headers=analyst)
    assert listed.status_code == 200 and len(listed.json()["items"]) == 3
    assert not [word for word in personal if word in listed.text]
    by_words = client.get("/v1/complaints", params={"q": "Ramesh"}, headers=analyst)
    assert by_words.status_code == 403


def test_the_complainant_reads_the_public_story_with_staff_named_by_post_and_office(
    client: Client, tokens: Tokens, services: Services
) -> None:
    mobile = new_mobile()
    filed = the_story(client, tokens, services, mobile)
    url = f"/v1/complaints/{filed['id']}/timeline"

    ramesh = tokens.headers(citizen(mobile))
    mine = client.get(url, headers=ramesh)
    assert mine.status_code == 200
    for internal in (INTERNAL_NOTE, REVIEW_NOTE, "collector-jaipur", "acs-phed", "ae-phed-jaipur"):
        assert internal not in mine.text, internal
    assert [e["type"] for e in mine.json()["events"]] == [
        "Filed",
        "Assigned",
        "Resolved",
        "FeedbackGiven",
        "Reopened",
    ]

    # The collector writes a note for Ramesh too.
    public = client.post(
        f"/v1/complaints/{filed['id']}/comments",
        json={"text": PUBLIC_NOTE, "visibility": "public"},
        headers=tokens.headers(JAIPUR_COLLECTOR),
    )
    assert public.status_code == 200, public.text
    events = client.get(url, headers=ramesh).json()["events"]
    assert [e["type"] for e in events] == [
        "Filed",
        "Assigned",
        "Resolved",
        "FeedbackGiven",
        "Reopened",
        "CommentAdded",
    ]
    actors = {e["type"]: e["actor"] for e in events}
    assert actors["Resolved"] == {"id": "PHED-JAI-L1", "role": "officer"}
    assert actors["CommentAdded"] == {"id": "collector-JAI", "role": "collector"}
    assert actors["FeedbackGiven"] == {"id": citizen(mobile).id, "role": "citizen"}
    assert events[-1]["data"]["text"] == PUBLIC_NOTE

    everything = client.get(url, headers=tokens.headers(JAIPUR_COLLECTOR)).json()["events"]
    assert [e["type"] for e in everything][-3:] == [
        "CommentAdded",
        "ReviewRecorded",
        "CommentAdded",
    ]
    assert {e["actor"]["id"] for e in everything} >= {"collector-jaipur", "acs-phed"}


def test_the_complainant_is_not_told_how_many_internal_notes_and_reviews_there_are(
    client: Client, tokens: Tokens, services: Services, pipeline: Pipeline
) -> None:
    mobile = new_mobile()
    filed = the_story(client, tokens, services, mobile)
    pipeline.settle()
    url = f"/v1/complaints/{filed['id']}"
    mine = client.get(url, headers=tokens.headers(citizen(mobile))).json()
    assert mine["comment_count"] is None and mine["review_count"] is None
    staff = client.get(url, headers=tokens.headers(JAIPUR_COLLECTOR)).json()
    assert staff["comment_count"] == 1 and staff["review_count"] == 1
