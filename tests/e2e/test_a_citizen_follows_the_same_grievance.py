"""Following over HTTP (issue 17, item 7): Ramesh files about the same burnt transformer Sita
reported; he is shown her complaint's registration number to follow (nothing of its words or
of her), follows it from his own, and cannot follow anything else: an id he was not offered,
one that does not exist, or one from someone else's complaint all get the same 404."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from litestar.testing import TestClient

from api.services import Services
from assist.store import Models
from tests.assisting import seed_model
from tests.conftest import Pipeline, Tokens, filed_by_a_citizen
from tests.e2e.test_duplicates_are_found import filing
from tests.support import JAIPUR_WATER_OFFICER, START, citizen, new_mobile

Client = TestClient[Any]
SITA_SAYS = (
    "Transformer burnt in Hamirgarh",
    "The transformer near the bus stand in Hamirgarh village burnt out three days ago, "
    "whole village dark.",
)
RAMESH_SAYS = (
    "हमीरगढ़ में ट्रांसफार्मर जला",
    "हमीरगढ़ गांव में बस स्टैंड के पास वाला ट्रांसफार्मर जल गया है, तीन दिन से गांव में अंधेरा है।",
)


def test_a_citizen_follows_only_what_the_assistant_offered(
    client: Client, services: Services, pipeline: Pipeline, tokens: Tokens
) -> None:
    with services.pool.connection() as conn:
        Models(conn).save(seed_model(), START)
    sita, ramesh, gopal = new_mobile(), new_mobile(), new_mobile()
    first = client.post(
        "/v1/complaints", json=filing(sita, *SITA_SAYS), headers=tokens.headers(citizen(sita))
    ).json()
    unrelated = filed_by_a_citizen(client, tokens, gopal)  # Gopal's dry taps, not offered
    pipeline.settle()

    his = tokens.headers(citizen(ramesh))
    filed = client.post("/v1/complaints", json=filing(ramesh, *RAMESH_SAYS), headers=his)
    assert filed.status_code == 201, filed.text
    mine = filed.json()
    assert mine["possible_duplicates"] == []  # a citizen sees no one else's complaints
    assert [(c["id"], c["registration_no"]) for c in mine["followable"]] == [
        (first["id"], first["registration_no"])
    ]
    offered = client.get(f"/v1/complaints/{mine['id']}/timeline", headers=his).json()["events"]
    assert [e["type"] for e in offered][-1] == "FollowOffered"

    def follow(target: str, own: str, who: dict[str, str]) -> Any:
        return client.post(f"/v1/complaints/{target}/follow", json={"complaint": own}, headers=who)

    for target in (unrelated["id"], str(uuid4()), "JAI-2026-999999"):
        refused = follow(target, mine["id"], his)
        assert (refused.status_code, refused.json()["detail"]) == (
            404,
            "no such complaint to follow",
        ), target
    # Gopal cannot follow from Ramesh's complaint, nor Sita's from his own (not offered).
    assert follow(first["id"], mine["id"], tokens.headers(citizen(gopal))).status_code == 404
    assert follow(first["id"], unrelated["id"], tokens.headers(citizen(gopal))).status_code == 404
    malformed = client.post(
        f"/v1/complaints/{first['id']}/follow", json={"complaint": "mine"}, headers=his
    )
    assert (malformed.status_code, malformed.json()["field"]) == (400, "complaint")
    officer = follow(first["id"], mine["id"], tokens.headers(JAIPUR_WATER_OFFICER))
    assert officer.status_code == 403  # the route's guard: not a role that follows
    assert services.app.complaint(mine["id"]).following is None

    done = follow(first["id"], mine["id"], his)
    assert done.status_code == 200, done.text
    assert done.json()["id"] == mine["id"]
    assert services.app.complaint(mine["id"]).following == first["id"]
    again = follow(first["id"], mine["id"], his)
    assert again.status_code == 409
    # Following wrote nothing on Sita's complaint: its story is hers.
    assert services.app.complaint(first["id"]).version == first["version"]
