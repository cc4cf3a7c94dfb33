"""Who looked, in one round trip: the statement that reads a complaint's row under the
caller's scope records the look, only when the row is shown, and commits it asynchronously
for that statement alone (docs/security.md, "Who looked")."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg
from litestar.testing import TestClient

from api.services import Services
from infra.security.access_log import Looker
from projections.queries import ReadQueries
from tests.conftest import Pipeline, Tokens
from tests.support import (
    AJMER_COLLECTOR,
    JAIPUR_COLLECTOR,
    OPERATOR,
    new_mobile,
    water_complaint,
)

ENDPOINT = "GET /v1/complaints/{ref}"


def filed(client: TestClient[Any], tokens: Tokens, pipeline: Pipeline) -> UUID:
    answer = client.post(
        "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
    )
    assert answer.status_code == 201, answer.text
    pipeline.settle()
    return UUID(answer.json()["id"])


def looks_at(database: str, complaint: UUID) -> list[tuple[str, str]]:
    with psycopg.connect(database) as conn:
        return [
            (r[0], r[1])
            for r in conn.execute(
                "SELECT actor_id, endpoint FROM sampark.access_log WHERE complaint_id = %s "
                "ORDER BY id",
                (complaint,),
            )
        ]


def test_a_complaint_out_of_scope_is_a_404_and_no_look(
    client: TestClient[Any], tokens: Tokens, pipeline: Pipeline, database: str
) -> None:
    jaipur = filed(client, tokens, pipeline)

    outsider = client.get(f"/v1/complaints/{jaipur}", headers=tokens.headers(AJMER_COLLECTOR))
    insider = client.get(f"/v1/complaints/{jaipur}", headers=tokens.headers(JAIPUR_COLLECTOR))

    assert outsider.status_code == 404 and insider.status_code == 200
    assert looks_at(database, jaipur) == [(JAIPUR_COLLECTOR.id, ENDPOINT)]


def test_a_row_older_than_the_version_waited_for_is_not_a_look(
    client: TestClient[Any], tokens: Tokens, pipeline: Pipeline, services: Services, database: str
) -> None:
    complaint = filed(client, tokens, pipeline)
    looker = services.looker(JAIPUR_COLLECTOR, ENDPOINT)
    assert looker is not None
    with services.pool.connection() as conn:
        queries = ReadQueries(conn)
        row = queries.complaint(complaint, seen_by=JAIPUR_COLLECTOR)
        assert row is not None
        waiting = queries.complaint(
            complaint, seen_by=JAIPUR_COLLECTOR, looker=looker, min_version=row.version + 1
        )
        assert waiting == row  # the caller goes on waiting: nothing was shown yet
        assert looks_at(database, complaint) == []
        assert queries.complaint(
            complaint, seen_by=JAIPUR_COLLECTOR, looker=looker, min_version=row.version
        )
    assert looks_at(database, complaint) == [(JAIPUR_COLLECTOR.id, ENDPOINT)]


def test_the_look_commits_asynchronously_and_the_connection_stays_synchronous(
    client: TestClient[Any], tokens: Tokens, pipeline: Pipeline, database: str
) -> None:
    complaint = filed(client, tokens, pipeline)
    looker = Looker(
        actor_id=OPERATOR.id, actor_role=OPERATOR.role, endpoint=ENDPOINT, at=_now(database)
    )
    with psycopg.connect(database) as conn:  # a transaction of our own, to look inside it
        assert ReadQueries(conn).complaint(complaint, seen_by=OPERATOR, looker=looker)
        inside = conn.execute("SHOW synchronous_commit").fetchone()
        conn.commit()
        after = conn.execute("SHOW synchronous_commit").fetchone()
    assert inside == ("off",)  # the transaction that wrote the entry commits asynchronously
    assert after == ("on",)  # the next use of the connection waits for its commits again
    assert looks_at(database, complaint) == [(OPERATOR.id, ENDPOINT)]


def _now(database: str) -> Any:
    with psycopg.connect(database) as conn:
        found = conn.execute("SELECT now()").fetchone()
    assert found is not None
    return found[0]
