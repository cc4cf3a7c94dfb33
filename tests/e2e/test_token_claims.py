"""A token is taken only as its role defines it: claims a role has no use for, claims it
lacks, and claims of the wrong shape are refused at the door (401 problem+json), so no scope
is ever widened by a claim that was trusted later. The clock-skew leeway covers every time
claim, and `iat` is optional, as RFC 7519 has it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from litestar.testing import TestClient

from infra.security.tokens import AUDIENCE, ISSUER
from tests.conftest import SECRET, Pipeline
from tests.support import citizen, new_mobile, water_complaint

Client = TestClient[Any]


def token(**claims: Any) -> dict[str, str]:
    now = datetime.now(UTC)
    base = {
        "sub": "someone",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=1)).timestamp()),
    }
    payload = {k: v for k, v in (base | claims).items() if v is not None}
    return {"Authorization": f"Bearer {jwt.encode(payload, SECRET, algorithm='HS256')}"}


def refused_naming(answer: Any, claim: str) -> bool:
    return (
        answer.status_code == 401
        and answer.headers["content-type"].startswith("application/problem+json")
        and answer.json().get("field") == claim
    )


def test_a_post_claim_opens_no_inbox_but_an_officers(client: Client, pipeline: Pipeline) -> None:
    """A Jaipur water complaint waits in PHED-JAI-L1's inbox. A citizen, a collector of
    another district and a department head each present a token carrying that post: each is
    turned away at the door and shown no complainant's name."""
    mobile = new_mobile()
    filed = client.post(
        "/v1/complaints",
        json=water_complaint(mobile),
        headers=token(sub=citizen(mobile).id, role="citizen", mobile=mobile),
    )
    assert filed.status_code == 201
    pipeline.settle()
    the_post = "PHED-JAI-L1"
    officer = token(role="officer", post=the_post, district="JAI", department="PHED")
    assert [
        c["complainant_name"] for c in client.get("/v1/inbox", headers=officer).json()["items"]
    ] == ["Ramesh Kumar"]

    for pretender in (
        token(role="citizen", mobile=new_mobile(), post=the_post),
        token(role="collector", district="AJM", post=the_post),
        token(role="department_head", department="ENERGY", post=the_post),
        token(role="secretary", department="ENERGY", post=the_post),
        token(role="admin", post=the_post),
    ):
        answer = client.get("/v1/inbox", headers=pretender)
        assert refused_naming(answer, "post"), answer.text
        assert "Ramesh" not in answer.text


@pytest.mark.parametrize(
    ("claims", "claim"),
    [
        ({"role": "department_head", "department": "PHED", "district": "JAI"}, "district"),
        ({"role": "secretary", "department": "PHED", "mobile": "9876543210"}, "mobile"),
        ({"role": "analyst", "district": "JAI"}, "district"),
        ({"role": "citizen", "mobile": "9876543210", "district": "JAI"}, "district"),
        ({"role": "citizen"}, "mobile"),
        ({"role": "collector"}, "district"),
        ({"role": "officer", "district": "JAI", "department": "PHED"}, "post"),
        ({"role": "department_head"}, "department"),
    ],
    ids=lambda v: v if isinstance(v, str) else v["role"],
)
def test_each_role_carries_the_claims_of_its_scope_and_no_other(
    client: Client, claims: dict[str, Any], claim: str
) -> None:
    assert refused_naming(client.get("/v1/directory/districts", headers=token(**claims)), claim)


@pytest.mark.parametrize(
    "claims",
    [
        {"role": ["admin"]},
        {"role": {"is": "admin"}},
        {"role": 7},
        {"role": None},
        {"role": "system"},  # the scheduler's role is never given by a token
        {"role": "collector", "district": ["JAI", "AJM"]},
        {"role": "collector", "district": 42},
        {"role": "collector", "district": ""},
        {"role": "collector", "district": "JAI\x00"},
        {"role": "citizen", "mobile": 9876543210},
        {"role": "citizen", "mobile": "98765"},
        {"role": "officer", "post": {"id": "PHED-JAI-L1"}},
        {"role": "admin", "sub": 12},
        {"role": "admin", "sub": ["admin"]},
        {"role": "admin", "sub": ""},
        {"role": "admin", "extras": "admin"},
        {"role": "admin", "exp": "tomorrow"},
        {"role": "admin", "iat": "today"},
        {"role": "admin", "exp": 10**20},
        {"role": "admin", "aud": [AUDIENCE, 5]},
    ],
    ids=repr,
)
def test_a_claim_of_the_wrong_type_is_a_401_never_a_500(
    client: Client, claims: dict[str, Any]
) -> None:
    answer = client.get("/v1/directory/districts", headers=token(**claims))
    assert answer.status_code == 401, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_leeway_covers_exp_nbf_and_iat_and_iat_may_be_left_out(client: Client) -> None:
    """The default leeway is 30 seconds."""
    now = int(datetime.now(UTC).timestamp())

    def status(**claims: Any) -> int:
        return client.get(
            "/v1/directory/timeline", headers=token(role="auditor", **claims)
        ).status_code

    assert status(exp=now - 10) == 200  # expired by less than the skew
    assert status(iat=now + 10) == 200  # issued by a clock a little ahead
    assert status(nbf=now + 10) == 200
    assert status(iat=None) == 200  # iat is optional (RFC 7519, 4.1.6)
    assert status(exp=now - 300) == 401
    assert status(iat=now + 300) == 401
    assert status(nbf=now + 300) == 401
    assert status(exp=None) == 401  # exp is required here


def test_a_citizen_token_files_and_reads_as_before(client: Client) -> None:
    mobile = new_mobile()
    me = token(sub=citizen(mobile).id, role="citizen", mobile=mobile)
    filed = client.post("/v1/complaints", json=water_complaint(mobile), headers=me)
    assert filed.status_code == 201
    timeline = client.get(f"/v1/complaints/{filed.json()['id']}/timeline", headers=me)
    assert timeline.status_code == 200
