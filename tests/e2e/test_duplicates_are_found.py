"""Likely duplicates (`POST /v1/assist/duplicates`, and `possible_duplicates` at filing): the
same grievance by a neighbour in another language is found, the same problem in another
village is not, and only complaints the caller may see are named."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from api.services import Services
from assist.store import Models
from tests.assisting import seed_model
from tests.conftest import Pipeline, Tokens
from tests.support import OPERATOR, START, citizen, new_mobile


def filing(mobile: str, subject: str, description: str) -> dict[str, Any]:
    return {
        "complainant": {"name": "Sita Devi", "mobile": mobile},
        "district": "JAI",
        "department": "ENERGY",
        "category": "power-supply",
        "subject": subject,
        "description": description,
        "channel": "portal",
    }


def test_a_neighbours_filing_in_hindi_names_the_first_and_another_village_does_not(
    client: TestClient[Any], services: Services, pipeline: Pipeline, tokens: Tokens
) -> None:
    with services.pool.connection() as conn:
        Models(conn).save(seed_model(), START)
    first_mobile, neighbour = new_mobile(), new_mobile()
    first = client.post(
        "/v1/complaints",
        json=filing(
            first_mobile,
            "Transformer burnt in Hamirgarh",
            "The transformer near the bus stand in Hamirgarh village burnt out three days "
            "ago, whole village dark.",
        ),
        headers=tokens.headers(citizen(first_mobile)),
    )
    assert first.status_code == 201, first.text
    assert first.json()["possible_duplicates"] == []
    pipeline.settle()

    again = filing(
        neighbour,
        "हमीरगढ़ में ट्रांसफार्मर जला",
        "हमीरगढ़ गांव में बस स्टैंड के पास वाला ट्रांसफार्मर जल गया है, तीन दिन से गांव में अंधेरा है।",
    )
    ask = {k: again[k] for k in ("district", "subject", "description")}
    found = client.post("/v1/assist/duplicates", json=ask, headers=tokens.headers(OPERATOR))
    assert found.status_code == 200, found.text
    assert [c["registration_no"] for c in found.json()["candidates"]] == [
        first.json()["registration_no"]
    ]
    assert found.json()["candidates"][0]["score"] >= found.json()["threshold"]

    elsewhere = {
        **ask,
        "subject": "Transformer burnt in Asind",
        "description": "The transformer near the school in Asind burnt out yesterday, no "
        "electricity.",
    }
    assert (
        client.post(
            "/v1/assist/duplicates", json=elsewhere, headers=tokens.headers(OPERATOR)
        ).json()["candidates"]
        == []
    )

    # The neighbour, a citizen, may not see the first complaint: it is not named to them.
    filed = client.post("/v1/complaints", json=again, headers=tokens.headers(citizen(neighbour)))
    assert filed.status_code == 201, filed.text
    assert filed.json()["possible_duplicates"] == []
    # The helpline desk filing it for them sees it.
    desk = client.post(
        "/v1/complaints",
        json={
            **again,
            "complainant": {"name": "Ramesh", "mobile": new_mobile()},
            "channel": "helpline_181",
        },
        headers=tokens.headers(OPERATOR),
    )
    assert desk.status_code == 201, desk.text
    assert first.json()["registration_no"] in [
        c["registration_no"] for c in desk.json()["possible_duplicates"]
    ]

    bad = client.post(
        "/v1/assist/duplicates", json={**ask, "district": "NOPE"}, headers=tokens.headers(OPERATOR)
    )
    assert bad.status_code == 400 and "district" in bad.text
    bad = client.post(
        "/v1/assist/duplicates", json={**ask, "mobile": "12"}, headers=tokens.headers(OPERATOR)
    )
    assert bad.status_code == 400 and "mobile" in bad.text


def test_staff_link_a_complaint_to_the_first_and_the_read_side_follows(
    client: TestClient[Any], services: Services, pipeline: Pipeline, tokens: Tokens
) -> None:
    desk = tokens.headers(OPERATOR)

    def filed(subject: str) -> dict[str, Any]:
        answer = client.post(
            "/v1/complaints",
            json={**filing(new_mobile(), subject, "No light for days"), "channel": "helpline_181"},
            headers=desk,
        )
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    first, second, third = filed("Transformer burnt"), filed("Bijli nahi"), filed("No power")
    url = f"/v1/complaints/{second['id']}/link"
    linked = client.post(
        url, json={"duplicate_of": first["id"], "expected_version": second["version"]}, headers=desk
    )
    assert linked.status_code == 200, linked.text
    assert linked.json()["version"] == second["version"] + 1
    again = client.post(url, json={"duplicate_of": first["id"]}, headers=desk)
    assert again.status_code == 409, again.text
    for wrong in (third["id"], second["id"], "00000000-0000-4000-8000-000000000000"):
        refused = client.post(
            f"/v1/complaints/{third['id'] if wrong == second['id'] else second['id']}/link",
            json={"duplicate_of": wrong},
            headers=desk,
        )
        assert refused.status_code in (400, 409, 422), refused.text
    # A chain is refused: the third is linked to the first, not to a duplicate of it.
    chained = client.post(
        f"/v1/complaints/{third['id']}/link", json={"duplicate_of": second["id"]}, headers=desk
    )
    assert chained.status_code == 422 and "duplicate_of" in chained.text, chained.text

    pipeline.settle()
    seen = client.get(f"/v1/complaints/{second['id']}", headers=desk).json()
    assert seen["version"] == linked.json()["version"]
    timeline = client.get(f"/v1/complaints/{second['id']}/timeline", headers=desk).json()
    last = timeline["events"][-1]
    assert last["type"] == "Linked"
    assert last["data"]["duplicate_of_registration_no"] == first["registration_no"]
