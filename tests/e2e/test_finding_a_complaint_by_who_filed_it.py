"""A caller to the 181 desk rarely knows the registration number: the desk finds the complaint
by the complainant's mobile number, however it is read out, or by the name, however it is
heard. Staff find only within the scope they see; analysts never search by a person; every
such search is in the who-looked log, even one that found nothing."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.conftest import Pipeline, Tokens
from tests.support import (
    AJMER_COLLECTOR,
    ANALYST,
    AUDITOR,
    JAIPUR_COLLECTOR,
    OPERATOR,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]


def file(client: Client, tokens: Tokens, mobile: str, name: str = "Ramesh Kumar") -> str:
    body = water_complaint(mobile, channel="helpline_181")
    body["complainant"]["name"] = name
    answer = client.post("/v1/complaints", json=body, headers=tokens.headers(OPERATOR))
    assert answer.status_code == 201, answer.text
    complaint: str = answer.json()["id"]
    return complaint


def found(client: Client, tokens: Tokens, who: Any = OPERATOR, **params: str) -> list[str]:
    answer = client.get("/v1/complaints", params=params, headers=tokens.headers(who))
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


def test_the_desk_finds_a_complaint_by_the_mobile_however_it_is_read_out(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    mobile = new_mobile()
    complaint = file(client, tokens, mobile)
    file(client, tokens, new_mobile())  # someone else's
    pipeline.settle()
    spellings = [
        mobile,
        f"+91{mobile}",
        f"+91 {mobile[:5]} {mobile[5:]}",
        f"0{mobile}",
        f"91-{mobile[:5]}-{mobile[5:]}",
        f"0091 {mobile}",
    ]
    for spelling in spellings:
        assert found(client, tokens, mobile=spelling) == [complaint], spelling
    for wrong in ("12345 67890", f"+92{mobile}", f"{mobile}1", "5" + mobile[1:]):
        refused = client.get(
            "/v1/complaints", params={"mobile": wrong}, headers=tokens.headers(OPERATOR)
        )
        assert refused.status_code == 400 and refused.json()["field"] == "mobile", wrong


def test_a_name_is_found_whatever_the_case_the_spacing_or_the_part_typed(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    sunita = file(client, tokens, new_mobile(), "Sunita Devi Sharma")
    in_hindi = file(client, tokens, new_mobile(), "सुनीता देवी")
    ramesh = file(client, tokens, new_mobile(), "Ramesh Kumar Meena")
    pipeline.settle()
    assert found(client, tokens, name="sunita") == [sunita]
    assert found(client, tokens, name="  SUNITA   sharma ") == [sunita]
    assert found(client, tokens, name="devi shar") == [sunita]  # a word half heard
    assert found(client, tokens, name="sharma Sunita") == [sunita]  # in any order
    assert found(client, tokens, name="Sunitha Sharma") == []  # a spelling is not guessed
    assert found(client, tokens, name="सुनीता") == [in_hindi]  # as filed, in Devanagari
    assert found(client, tokens, name="देवी") == [in_hindi]
    assert found(client, tokens, name="kumar MEENA") == [ramesh]
    assert found(client, tokens, name="100%_") == []  # LIKE's wildcards are only characters
    assert found(client, tokens, name="Mahendra Singh") == []


def test_staff_find_only_within_their_scope_and_analysts_never(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    mobile = new_mobile()
    complaint = file(client, tokens, mobile, "Kamla Bai")  # a Jaipur complaint
    pipeline.settle()
    assert found(client, tokens, JAIPUR_COLLECTOR, mobile=mobile) == [complaint]
    assert found(client, tokens, JAIPUR_COLLECTOR, name="kamla") == [complaint]
    assert found(client, tokens, AJMER_COLLECTOR, mobile=mobile) == []
    assert found(client, tokens, AJMER_COLLECTOR, name="kamla") == []
    assert found(client, tokens, citizen(mobile), mobile=mobile) == [complaint]
    for who, field, value in (
        (ANALYST, "mobile", mobile),
        (ANALYST, "name", "Kamla"),
        (citizen(new_mobile()), "mobile", mobile),  # another's number
    ):
        refused = client.get("/v1/complaints", params={field: value}, headers=tokens.headers(who))
        assert refused.status_code == 403, (who.id, field, refused.text)
        assert refused.json()["field"] == field


def test_every_search_for_a_person_is_in_the_who_looked_log(
    client: Client, tokens: Tokens, pipeline: Pipeline
) -> None:
    mobile = new_mobile()
    complaint = file(client, tokens, mobile, "Bhanwar Lal")
    pipeline.settle()
    assert found(client, tokens, mobile=f"+91 {mobile}") == [complaint]
    assert found(client, tokens, JAIPUR_COLLECTOR, name="bhanwar") == [complaint]
    looks = client.get(
        "/v1/audit/access", params={"complaint": complaint}, headers=tokens.headers(AUDITOR)
    ).json()["items"]
    assert [(look["actor_id"], look["endpoint"]) for look in reversed(looks)] == [
        (OPERATOR.id, "GET /v1/complaints?mobile"),
        (JAIPUR_COLLECTOR.id, "GET /v1/complaints?name"),
    ]

    # Fishing for a person who has no complaint in the caller's scope leaves a trace too.
    assert found(client, tokens, AJMER_COLLECTOR, mobile=mobile) == []
    looks = client.get(
        "/v1/audit/access", params={"actor": AJMER_COLLECTOR.id}, headers=tokens.headers(AUDITOR)
    ).json()["items"]
    assert [(look["complaint"], look["endpoint"]) for look in looks] == [
        ("00000000-0000-0000-0000-000000000000", "GET /v1/complaints?mobile")
    ]
