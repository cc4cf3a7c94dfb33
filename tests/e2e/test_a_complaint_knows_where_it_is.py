"""A complaint's location (issue 17, item 2): Sita files about the broken hand pump with its
pincode, ward, landmark and the point her phone gives; the water office that holds it and
Sita see all of it, an analyst the pincode and ward only; a broken location is refused by
name and files nothing; and a neighbour's filing at the same spot, in other words, is named
as its likely duplicate, while the same words a town away are not."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from api.services import Services
from assist.store import Models
from tests.assisting import seed_model
from tests.conftest import Pipeline, Tokens
from tests.support import ANALYST, JAIPUR_WATER_OFFICER, OPERATOR, START, citizen, new_mobile

Client = TestClient[Any]
HAND_PUMP = {
    "pincode": "302012",
    "latitude": 26.9124,
    "longitude": 75.7873,
    "ward": "वार्ड 12, झोटवाड़ा",
    "landmark": "Near the Hanuman temple, house of Sita Devi",
}


def hand_pump(mobile: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "complainant": {"name": "Sita Devi", "mobile": mobile},
        "district": "JAI",
        "department": "PHED",
        "category": "water-supply",
        "subject": "Hand pump broken",
        "description": "The hand pump by the temple gives no water since Sunday.",
        "channel": "portal",
        "location": HAND_PUMP,
    }
    body.update(overrides)
    return body


def test_the_holder_and_the_complainant_see_where_it_is_an_analyst_only_the_ward(
    client: Client, tokens: Tokens, services: Services, pipeline: Pipeline
) -> None:
    sita = new_mobile()
    filed = client.post(
        "/v1/complaints", json=hand_pump(sita), headers=tokens.headers(citizen(sita))
    )
    assert filed.status_code == 201, filed.text
    url = f"/v1/complaints/{filed.json()['id']}"
    assert filed.json()["holder"] == JAIPUR_WATER_OFFICER.post
    pipeline.settle()  # the read row holds it

    for who in (JAIPUR_WATER_OFFICER, citizen(sita)):
        shown = client.get(url, headers=tokens.headers(who))
        assert shown.status_code == 200, shown.text
        assert shown.json()["location"] == HAND_PUMP

    analyst = tokens.headers(ANALYST)
    studied = client.get(url, headers=analyst).json()
    assert studied["location"] == {
        "pincode": "302012",
        "latitude": None,
        "longitude": None,
        "ward": "वार्ड 12, झोटवाड़ा",
        "landmark": None,
    }
    timeline = client.get(f"{url}/timeline", headers=analyst).json()["events"]
    assert timeline[0]["type"] == "Filed"
    assert timeline[0]["data"]["location"] == {"pincode": "302012", "ward": "वार्ड 12, झोटवाड़ा"}

    # Filed without a location, a complaint has none, for everyone.
    plain = hand_pump(sita)
    del plain["location"]
    other = client.post("/v1/complaints", json=plain, headers=tokens.headers(citizen(sita)))
    assert other.status_code == 201, other.text
    pipeline.settle()
    assert (
        client.get(f"/v1/complaints/{other.json()['id']}", headers=analyst).json()["location"]
        is None
    )


def test_a_broken_location_is_refused_by_name_and_files_nothing(
    client: Client, tokens: Tokens, services: Services
) -> None:
    operator = tokens.headers(OPERATOR)
    for broken, field in (
        ({"latitude": 26.9}, "location.longitude"),
        ({"longitude": 75.8}, "location.latitude"),
        ({"latitude": 28.6139, "longitude": 77.209 + 2}, "location.longitude"),  # past Delhi
        ({"latitude": 19.07, "longitude": 72.87}, "location.latitude"),  # Mumbai
        ({"pincode": "110001"}, "location.pincode"),
        ({"pincode": 302012}, "location.pincode"),
        ({"ward": "Ward\u000012"}, "location.ward"),
        ({"landmark": "x" * 301}, "location.landmark"),
        ({"floor": 2}, "location.floor"),
    ):
        mobile = new_mobile()
        body = hand_pump(mobile, location=broken, channel="helpline_181")
        refused = client.post("/v1/complaints", json=body, headers=operator)
        assert refused.status_code == 400, (broken, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["field"] == field, (broken, refused.json())
        mine = client.get("/v1/complaints", headers=tokens.headers(citizen(mobile)))
        assert mine.json()["items"] == [], broken


def test_a_neighbours_filing_at_the_same_spot_is_named_and_one_a_town_away_is_not(
    client: Client, tokens: Tokens, services: Services, pipeline: Pipeline
) -> None:
    # The topic is the trained model's, as in service (its threshold is set on the model's).
    with services.pool.connection() as conn:
        Models(conn).save(seed_model(), START)
    operator = tokens.headers(OPERATOR)
    first = client.post(
        "/v1/complaints",
        json=hand_pump(new_mobile(), channel="helpline_181"),
        headers=operator,
    )
    assert first.status_code == 201, first.text
    pipeline.settle()

    # Different words, no place name in common: only the points can tell.
    words = {
        "district": "JAI",
        "subject": "Hand pump broken",
        "description": "No water from the hand pump near my house since Sunday.",
    }
    across_the_lane = {**HAND_PUMP, "latitude": 26.9130, "longitude": 75.7879}
    chomu = {**HAND_PUMP, "latitude": 27.1680, "longitude": 75.7240}  # 29 km north

    def candidates(location: dict[str, Any] | None) -> list[str]:
        ask = {**words, **({"location": location} if location else {})}
        found = client.post("/v1/assist/duplicates", json=ask, headers=operator)
        assert found.status_code == 200, found.text
        return [c["registration_no"] for c in found.json()["candidates"]]

    assert candidates(across_the_lane) == [first.json()["registration_no"]]
    assert candidates(chomu) == []
    assert candidates(None) == []
