"""`sampark simulate`: a history written through the domain, which the read side agrees with."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg

from api.services import Services
from infra.eventstore.audit import verify_chain
from infra.run.simulation import simulate
from projections.rebuild import rebuild, verify
from projections.store import migrate


def test_a_simulated_history_has_every_kind_of_move_and_the_read_models_agree_with_it(
    services: Services, database: str
) -> None:
    now = datetime.now(UTC)
    done = simulate(services.app, 400, 60, seed=7, now=now)

    assert done.complaints == 400
    with psycopg.connect(database) as conn:
        moves = dict(
            conn.execute(
                "SELECT split_part(topic, ':', 2), count(*) FROM sampark_events "
                "WHERE topic LIKE 'domain.events:%%' GROUP BY 1"
            ).fetchall()
        )
        assert moves["Filed"] == 400
        assert done.events == sum(moves.values())
        for kind in ("Assigned", "Transferred", "Escalated", "Resolved", "FeedbackGiven"):
            assert moves.get(kind, 0) > 0, kind
        assert moves.get("Reopened", 0) > 0 and moves.get("Closed", 0) > 0
        # Some complaints waited for their complainant: most answered (docs/hearings.md). Each
        # answered with a chance of 4 in 5, so with a dozen asked all may be (one run in five).
        assert moves.get("ClarificationSought", 0) >= moves.get("ClarificationAnswered", 0) > 0
        sample = conn.execute(
            "SELECT DISTINCT originator_id FROM sampark_events "
            "WHERE topic = 'domain.events:Escalated' LIMIT 20"
        ).fetchall()
        assert all(verify_chain(conn, row[0]).holds for row in sample)
    assert all(
        e.timestamp <= now for row in sample for e in services.app.timeline(row[0])
    )  # nothing in the future

    rebuild(database)
    with psycopg.connect(database) as conn:  # some filings in the towns name a place
        (placed,) = conn.execute(
            "SELECT count(*) FROM read.complaints WHERE location_pincode IS NOT NULL "
            "AND location_latitude IS NOT NULL"
        ).fetchone() or (0,)
    assert 0 < placed < 400
    assert verify(database) == []
    with psycopg.connect(database) as conn:  # built after the replay, every one of them
        migrate(conn, "read_as_declared")
        indexes = {
            schema: {
                (table, definition.replace(f"{schema}.", ""))
                for table, definition in conn.execute(
                    "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = %s", (schema,)
                )
            }
            for schema in ("read", "read_as_declared")
        }
        conn.rollback()
    assert indexes["read"] == indexes["read_as_declared"]


def test_the_same_seed_gives_the_same_history(services: Services) -> None:
    now = datetime.now(UTC)
    first = simulate(services.app, 50, 30, seed=11, now=now)
    second = simulate(services.app, 50, 30, seed=11, now=now)
    assert first.events == second.events
