"""The story a newcomer plays by hand: a citizen files, the right officer disposes of it with
a photo, the citizen is satisfied, and the timeline tells who did what."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.conftest import Pipeline, Tokens
from tests.support import JAIPUR_WATER_OFFICER, citizen, new_mobile, water_complaint

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload_photo(client: TestClient[Any], headers: dict[str, str]) -> dict[str, Any]:
    answer = client.post(
        "/v1/attachments",
        files={"file": ("repaired-pipe.png", PNG, "image/png")},
        headers=headers,
    )
    assert answer.status_code == 201, answer.text
    photo: dict[str, Any] = answer.json()
    return photo


def test_a_water_complaint_from_filing_to_satisfied_closure(
    client: TestClient[Any], tokens: Tokens, pipeline: Pipeline
) -> None:
    mobile = new_mobile()
    ramesh = tokens.headers(citizen(mobile))
    officer = tokens.headers(JAIPUR_WATER_OFFICER)

    filed = client.post("/v1/complaints", json=water_complaint(mobile), headers=ramesh)
    assert filed.status_code == 201, filed.text
    complaint = filed.json()
    assert complaint["status"] == "assigned"
    assert complaint["holder"] == "PHED-JAI-L1"
    assert complaint["level"] == 1
    assert complaint["registration_no"].startswith("JAI-2026-")
    assert complaint["due_at"] is not None

    photo = upload_photo(client, officer)
    resolved = client.post(
        f"/v1/complaints/{complaint['id']}/resolve",
        json={
            "outcome": "relief",
            "action_taken": "Burst main pipe at Ward 12 replaced; supply restored.",
            "attachments": [photo],
            "expected_version": complaint["version"],
        },
        headers=officer,
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"

    feedback = client.post(
        f"/v1/complaints/{complaint['id']}/feedback",
        json={"satisfied": True, "rating": 5, "comment": "Water is back, thank you"},
        headers=ramesh,
    )
    assert feedback.status_code == 200, feedback.text
    assert feedback.json()["status"] == "closed"

    # The citizen can track it by registration number too.
    tracked = client.get(
        f"/v1/complaints/{complaint['registration_no']}",
        params={"min_version": feedback.json()["version"]},
        headers=ramesh,
    )
    assert tracked.status_code == 200, tracked.text
    assert tracked.json()["status"] == "closed"
    assert tracked.json()["resolution"]["evidence"] == [photo]
    assert tracked.json()["feedback"] == {
        "satisfied": True,
        "rating": 5,
        "comment": "Water is back, thank you",
    }

    timeline = client.get(f"/v1/complaints/{complaint['id']}/timeline", headers=officer)
    assert timeline.status_code == 200
    events = timeline.json()["events"]
    assert [(e["type"], e["actor"]["role"]) for e in events] == [
        ("Filed", "citizen"),
        ("Assigned", "citizen"),
        ("Resolved", "officer"),
        ("FeedbackGiven", "citizen"),
        ("Closed", "citizen"),
    ]
    assert [e["version"] for e in events] == [1, 2, 3, 4, 5]
    assert events[1]["data"]["trigger"] == "route"
    assert events[2]["actor"]["id"] == JAIPUR_WATER_OFFICER.id
    assert events[2]["data"]["evidence"][0]["sha256"] == photo["sha256"]

    downloaded = client.get(f"/v1/attachments/{photo['sha256']}", headers=ramesh)
    assert downloaded.status_code == 200
    assert downloaded.content == PNG
    assert downloaded.headers["content-type"] == "image/png"
