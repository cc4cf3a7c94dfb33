"""No stored event stops the read side.

Events are immutable: one stored before today's rules (a NUL in a citizen's comment, a
megabyte of text, an outcome no longer known, a rating of the wrong type, an event class
since renamed) stays in the event store forever. Here such events are written straight into
the store, bypassing the domain, among complaints filed the ordinary way; the relay, the
projector and the notifications consumer run over them, and every other complaint still
reaches search, the dashboards, the officer's inbox, the scheduler's agenda and the outbox.
What cannot be applied waits as a dead letter, counted in the pipeline status, until an
admin replays it after a fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import msgspec
import psycopg
import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import register_topic
from litestar.testing import TestClient

from api.services import Services
from domain.complaint import Complaint
from domain.events import FeedbackGiven
from domain.values import Channel, Complainant, Outcome
from infra.security.report_links import report_link
from infra.settings import Settings
from projections.agenda import Agenda
from projections.notify.messages import Links
from projections.notify.notifications import Notifications
from projections.projector import Projector
from projections.queries import ReadQueries, Search
from projections.rebuild import rebuild, verify
from projections.safe import CLIPPED, REPLACEMENT, TEXT_LIMIT
from projections.status import pipeline_status
from tests.conftest import Pipeline, Tokens
from tests.support import ADMIN, ANALYST, JAIPUR_WATER_OFFICER, OPERATOR, new_mobile
from tests.unit.test_complaint_rules import PHOTO

MEGABYTE = 1024 * 1024


# --- the story's pieces ---------------------------------------------------------------------


def file(services: Services, subject: str, district: str = "JAI") -> Complaint:
    return services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Sunita Devi", mobile=new_mobile()),
        district=district,
        department="PHED",
        category="water-supply",
        subject=subject,
        description="Ordinary complaint: no water in the ward.",
        channel=Channel.HELPLINE_181,
    )


def disposed(services: Services, subject: str) -> Complaint:
    complaint = file(services, subject)
    return services.app.resolve(
        complaint.id,
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Valve repaired",
        evidence=(PHOTO,),
    )


def stored_state(database: str, complaint: UUID, version: int) -> dict[str, Any]:
    with psycopg.connect(database) as conn:
        row = conn.execute(
            "SELECT state FROM sampark_events WHERE originator_id = %s AND originator_version = %s",
            (complaint, version),
        ).fetchone()
    assert row is not None
    decoded: dict[str, Any] = msgspec.json.decode(bytes(row[0]))
    return decoded


def store_straight(
    services: Services, complaint: UUID, version: int, topic: str, state: dict[str, Any] | bytes
) -> None:
    """Write a stored event into the event store as it is, past every rule of the domain."""
    data = state if isinstance(state, bytes) else msgspec.json.encode(state)
    services.app.recorder.insert_events([StoredEvent(complaint, version, topic, data)])


def feedback(**fields: Any) -> dict[str, Any]:
    return {
        "timestamp": "2026-11-02T05:00:00Z",
        "actor": {"id": "citizen-9000000999", "role": "citizen"},
        "satisfied": False,
        "rating": 2,
        "comment": None,
        **fields,
    }


def eventually(check: Callable[[], Any], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        if found := check():
            return found
        if time.monotonic() > deadline:
            raise AssertionError("never came true")
        time.sleep(0.1)


class NotificationsConsumer:
    def __init__(self, services: Services, settings: Settings, database: str) -> None:
        assert settings.kafka_bootstrap is not None
        self.consumer = Notifications(
            database,
            settings.kafka_bootstrap,
            directory=services.app.directory,
            links=Links(report=lambda complaint, at: report_link(services.settings, complaint, at)),
            clock=services.app.clock,
            max_age=timedelta(days=3650),
            topic=settings.kafka_topic,
            group=f"{settings.kafka_group}.notify",
            poll_ms=50,
            session_timeout_ms=1000,
        )
        self.thread = threading.Thread(
            target=lambda: self.consumer.run_until_stopped(backoff=0.1), daemon=True
        )
        self.thread.start()
        assert self.consumer.assigned.wait(30), "the notifications consumer got no partitions"

    def stop(self) -> None:
        self.consumer.stop()
        self.thread.join(timeout=15)


@pytest.fixture
def notifications(
    services: Services, settings: Settings, database: str
) -> Iterator[NotificationsConsumer]:
    running = NotificationsConsumer(services, settings, database)
    try:
        yield running
    finally:
        running.stop()


def dead_letters(database: str, group: str) -> dict[tuple[UUID, int], tuple[str, str, int]]:
    """(complaint, version) -> (kind, error, attempts)"""
    with psycopg.connect(database) as conn:
        rows = conn.execute(
            "SELECT complaint_id, complaint_version, kind, error, attempts "
            "FROM sampark.dead_letters WHERE consumer_group = %s",
            (group,),
        ).fetchall()
    return {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows}


def status(database: str, settings: Settings, group: str) -> dict[str, Any]:
    with psycopg.connect(database) as conn:
        return pipeline_status(conn, settings.kafka_topic, group, datetime.now(UTC))


def held_row(database: str, complaint: UUID) -> tuple[Any, ...]:
    with psycopg.connect(database) as conn:
        row = conn.execute(
            "SELECT version, status, feedback_comment, feedback_rating FROM read.complaints "
            "WHERE id = %s",
            (complaint,),
        ).fetchone()
    assert row is not None
    return tuple(row)


def assert_they_flow(
    services: Services, database: str, ordinary: list[Complaint], answered: Complaint
) -> None:
    """Search, the dashboards, the officer's inbox, the agenda and the outbox hold them."""
    before = ordinary
    with psycopg.connect(database) as conn:
        reads = ReadQueries(conn)
        # Search
        found = reads.search(
            OPERATOR, Search(words="ordinary"), cursor=None, limit=50, now=datetime.now(UTC)
        )
        assert {r.id for r in found.rows} >= {c.id for c in ordinary} | {answered.id}
        # Dashboards: every complaint filed is counted, the poisoned ones' too.
        figures = reads.dashboard(
            ANALYST,
            "district",
            before[0].filed_at.date() - timedelta(days=1),
            services.app.clock().date() + timedelta(days=1),
            datetime.now(UTC),
        )
        assert sum(f["registered"] for f in figures) == 13
        # The officer's inbox
        inbox = {r.id for r in reads.inbox(JAIPUR_WATER_OFFICER, limit=200).rows}
        assert {c.id for c in ordinary if c.district == "JAI"} <= inbox
        # The scheduler's agenda: past their deadline, every ordinary one is due to climb.
        due = {k[1] for k in Agenda(conn).past_due(services.app.clock() + timedelta(days=30))}
        assert {c.id for c in ordinary} <= due
        # The outbox: each ordinary complaint's "filed" message is queued.
        queued = {
            r[0]
            for r in conn.execute(
                "SELECT complaint_id FROM notify.messages WHERE template = 'sampark_filed'"
            )
        }
        assert {c.id for c in ordinary} | {answered.id} <= queued


# --- the stories --------------------------------------------------------------------------


def test_every_other_complaint_flows_past_events_the_read_side_cannot_take_as_they_are(
    services: Services,
    settings: Settings,
    database: str,
    pipeline: Pipeline,
    notifications: NotificationsConsumer,
) -> None:
    before = [file(services, f"ordinary before {n}") for n in range(3)]
    # A complaint disposed of the ordinary way gives a well-formed Resolved to copy.
    model = disposed(services, "model disposal")
    resolved = stored_state(database, model.id, model.version)

    # The poisoned events, each on a complaint of its own, straight into the store.
    nul = disposed(services, "feedback with a NUL")
    store_straight(
        services,
        nul.id,
        nul.version + 1,
        "domain.events:FeedbackGiven",
        feedback(comment="bad\x00service"),
    )
    huge = disposed(services, "feedback of a megabyte")
    store_straight(
        services,
        huge.id,
        huge.version + 1,
        "domain.events:FeedbackGiven",
        feedback(comment="x" * MEGABYTE),
    )
    unknown_outcome = file(services, "disposed with an outcome no longer known")
    store_straight(
        services,
        unknown_outcome.id,
        unknown_outcome.version + 1,
        "domain.events:Resolved",
        {**resolved, "outcome": "teleported"},
    )
    # ... and a later event of that complaint, which must not be applied over the gap.
    store_straight(
        services,
        unknown_outcome.id,
        unknown_outcome.version + 2,
        "domain.events:FeedbackGiven",
        feedback(comment="later"),
    )
    wrong_type = disposed(services, "feedback rated in words")
    store_straight(
        services,
        wrong_type.id,
        wrong_type.version + 1,
        "domain.events:FeedbackGiven",
        feedback(rating="five"),
    )
    renamed = disposed(services, "feedback under an old class name")
    store_straight(
        services,
        renamed.id,
        renamed.version + 1,
        "domain.events:FeedbackRecorded",
        feedback(comment="recorded under the old name", rating=4),
    )

    after = [file(services, f"ordinary after {n}", d) for n, d in enumerate(["JAI", "JAI", "AJM"])]
    answered = disposed(services, "ordinary disposed after")
    services.app.give_feedback(answered.id, by=OPERATOR, satisfied=True, rating=5)

    pipeline.settle(timeout=60)
    group, notify_group = pipeline.projectors[0].group, notifications.consumer.group
    eventually(lambda: len(dead_letters(database, notify_group)) == 4)

    assert_they_flow(services, database, [*before, *after], answered)

    # What a read model cannot hold is made safe, and applied.
    assert held_row(database, nul.id)[2] == f"bad{REPLACEMENT}service"
    comment = held_row(database, huge.id)[2]
    assert len(comment) == TEXT_LIMIT and comment.endswith(CLIPPED)
    # What cannot be applied is set aside; its complaint is kept as of before.
    assert held_row(database, unknown_outcome.id)[:2] == (unknown_outcome.version, "assigned")
    letters = dead_letters(database, group)
    assert {k: v[0] for k, v in letters.items()} == {
        (unknown_outcome.id, unknown_outcome.version + 1): "failed",
        (unknown_outcome.id, unknown_outcome.version + 2): "held",
        (wrong_type.id, wrong_type.version + 1): "failed",
        (renamed.id, renamed.version + 1): "failed",
    }
    assert "teleported" in letters[(unknown_outcome.id, unknown_outcome.version + 1)][1]
    assert "rating" in letters[(wrong_type.id, wrong_type.version + 1)][1]
    assert set(dead_letters(database, notify_group)) == set(letters)

    # Counted in the pipeline status, per consumer.
    read_side = status(database, settings, settings.kafka_group)
    projector = read_side["projector"]
    assert (projector["lag_events"], projector["dead_letters"], projector["dead_letters_held"]) == (
        0,
        4,
        1,
    )
    assert read_side["dead_letters"] == {group: 4, notify_group: 4}

    # Verify agrees with the made-safe values and names the complaints kept as of before.
    differences = verify(database)
    assert len(differences) == 3, differences
    assert all("cannot be applied" in d for d in differences)

    # The fix: the renamed class is known again. Replay: what now applies is removed.
    register_topic("domain.events:FeedbackRecorded", FeedbackGiven)
    with psycopg.connect(database, autocommit=True) as conn:
        retried = pipeline.projectors[0].retry_dead(conn)
        notified = notifications.consumer.retry_dead(conn)
    assert (retried.applied, retried.failed, retried.held) == (1, 2, 1)
    assert (notified.applied, notified.failed, notified.held) == (1, 2, 1)
    assert held_row(database, renamed.id)[2:] == ("recorded under the old name", 4)
    letters = dead_letters(database, group)
    assert set(letters) == {
        (unknown_outcome.id, unknown_outcome.version + 1),
        (unknown_outcome.id, unknown_outcome.version + 2),
        (wrong_type.id, wrong_type.version + 1),
    }
    assert all(attempts == 2 for _, _, attempts in letters.values())
    assert status(database, settings, settings.kafka_group)["projector"]["dead_letters"] == 3
    assert len(verify(database)) == 2


class TriggerRefusing:
    """A read-model table that refuses one value: applying that event raises."""

    CREATE = """
    CREATE FUNCTION read.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.feedback_comment = 'refused by the table' THEN
            RAISE EXCEPTION 'this table refuses it';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON read.complaints
        FOR EACH ROW EXECUTE FUNCTION read.refuse();
    """
    DROP = "DROP TRIGGER refuse ON read.complaints; DROP FUNCTION read.refuse();"


def test_an_event_whose_applying_fails_waits_with_its_complaint_and_is_replayed_after_the_fix(
    services: Services, settings: Settings, database: str, pipeline: Pipeline
) -> None:
    refused = disposed(services, "its feedback is refused")
    pipeline.settle()
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(TriggerRefusing.CREATE)
    # In one stretch: the refused feedback, a later event of the same complaint, others.
    others = [file(services, f"ordinary {n}") for n in range(2)]
    # Not satisfied: the complaint goes back to its officer at once (a later event).
    answered = services.app.give_feedback(
        refused.id, by=OPERATOR, satisfied=False, rating=1, comment="refused by the table"
    )
    later = services.app.comment(refused.id, by=JAIPUR_WATER_OFFICER, text="Visiting again")
    assert later.version >= answered.version + 1 >= refused.version + 2
    others += [file(services, f"ordinary {n}") for n in range(2, 4)]
    pipeline.settle()

    with psycopg.connect(database) as conn:
        held = {r[0] for r in conn.execute("SELECT id FROM read.complaints WHERE version >= 2")}
    assert {c.id for c in others} <= held
    assert held_row(database, refused.id)[:2] == (refused.version, "resolved")
    group = pipeline.projectors[0].group
    letters = dead_letters(database, group)
    assert {k: v[0] for k, v in letters.items()} == {
        (refused.id, refused.version + 1): "failed",
        **{(refused.id, v): "held" for v in range(refused.version + 2, later.version + 1)},
    }
    waiting = later.version - refused.version - 1
    assert "this table refuses it" in letters[(refused.id, refused.version + 1)][1]

    # Replayed while it still fails: kept, with one more attempt each.
    still = sampark_retry_dead(settings, database, group)
    assert still.returncode == 1, still.stderr
    assert f"0 applied and removed, 1 still failing, {waiting} held behind those" in still.stdout
    assert {v[2] for v in dead_letters(database, group).values()} == {2}

    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(TriggerRefusing.DROP)
    fixed = sampark_retry_dead(settings, database, group)
    assert fixed.returncode == 0, fixed.stderr
    assert f"{waiting + 1} applied and removed, 0 still failing" in fixed.stdout
    assert dead_letters(database, group) == {}
    assert held_row(database, refused.id)[0:3:2] == (later.version, "refused by the table")
    assert verify(database) == []


def sampark_retry_dead(
    settings: Settings, database: str, group: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SAMPARK_")} | {
        "SAMPARK_DATABASE_URL": database,
        "SAMPARK_KAFKA_TOPIC": settings.kafka_topic,
        "SAMPARK_KAFKA_GROUP": settings.kafka_group,
        "SAMPARK_HOME": settings.home,
    }
    return subprocess.run(
        [sys.executable, "-m", "infra.run.cli", "projections", "retry-dead", "--group", group],
        check=False,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_relay_carries_past_a_stored_event_no_one_can_read(
    services: Services,
    settings: Settings,
    database: str,
    pipeline: Pipeline,
    client: TestClient[Any],
    tokens: Tokens,
) -> None:
    """Not JSON at all, a header of the wrong shape, a state too big for the broker: the
    relay publishes each (the big one as a claim check on the event store) and goes on."""
    store_straight(services, uuid4(), 1, "domain.events:Filed", b"\x00 not json at all")
    store_straight(services, uuid4(), 1, "domain.events:Filed", {"timestamp": 5, "actor": "x"})
    big = disposed(services, "feedback bigger than a broker message")
    store_straight(
        services,
        big.id,
        big.version + 1,
        "domain.events:FeedbackGiven",
        feedback(comment="y" * (2 * MEGABYTE)),
    )
    afterwards = file(services, "filed after them")
    pipeline.settle(timeout=60)
    with psycopg.connect(database) as conn:
        assert ReadQueries(conn).complaint(afterwards.id) is not None
    assert len(held_row(database, big.id)[2]) == TEXT_LIMIT
    letters = dead_letters(database, pipeline.projectors[0].group)
    assert len(letters) == 2
    assert all(kind == "failed" for kind, _, _ in letters.values())
    watched = client.get("/v1/pipeline/status", headers=tokens.headers(ADMIN)).json()
    assert watched["projector"]["dead_letters"] == 2
    assert watched["notifications"]["consumer"]["dead_letters"] == 0


def test_a_rebuild_sets_aside_what_the_projector_sets_aside(
    services: Services, settings: Settings, database: str, pipeline: Pipeline
) -> None:
    odd = file(services, "disposed with an outcome no longer known")
    model = disposed(services, "model")
    store_straight(
        services,
        odd.id,
        odd.version + 1,
        "domain.events:Resolved",
        {**stored_state(database, model.id, model.version), "outcome": "teleported"},
    )
    nul = disposed(services, "a NUL")
    store_straight(
        services,
        nul.id,
        nul.version + 1,
        "domain.events:FeedbackGiven",
        feedback(comment="a\x00b"),
    )
    early = file(services, "disposed years before it was filed")
    store_straight(
        services,
        early.id,
        early.version + 1,
        "domain.events:Resolved",
        {**stored_state(database, model.id, model.version), "timestamp": "2020-01-01T05:00:00Z"},
    )
    file(services, "ordinary")
    pipeline.settle()
    assert held_row(database, early.id)[:2] == (early.version, "assigned")  # the projector's
    done = rebuild(database)
    assert done.set_aside == 2
    assert held_row(database, odd.id)[:2] == (odd.version, "assigned")
    assert held_row(database, early.id)[:2] == (early.version, "assigned")
    assert held_row(database, nul.id)[2] == f"a{REPLACEMENT}b"
    # Verify names the two complaints whose events were set aside, and nothing else.
    named = {line.split(":")[0] for line in verify(database)}
    assert named == {f"complaint {c.registration_no}" for c in (odd, early)}


class ProjectorThatCannotSaveItsPlace(Projector):
    """Every batch fails at the end, at the same record, until the test lets it through."""

    stuck = threading.Event()

    def save_offsets(self, models: Any, offsets: Any) -> None:
        if self.stuck.is_set():
            raise RuntimeError("cannot save the offsets")
        super().save_offsets(models, offsets)


def test_a_consumer_failing_again_at_the_same_record_shows_in_the_pipeline_status(
    services: Services, settings: Settings, database: str
) -> None:
    assert settings.kafka_bootstrap is not None
    ProjectorThatCannotSaveItsPlace.stuck.set()
    stuck = ProjectorThatCannotSaveItsPlace(
        database,
        settings.kafka_bootstrap,
        topic=settings.kafka_topic,
        group=settings.kafka_group,
        poll_ms=50,
        session_timeout_ms=1000,
    )
    pipeline = Pipeline(settings, database, projector=stuck)
    try:
        file(services, "waits for the projector")

        def failing() -> Any:
            found = status(database, settings, settings.kafka_group)["projector"]["failing"]
            return found if found and found["repeats"] >= 2 else None

        seen = eventually(failing)
        assert seen["at_record"].startswith(f"{settings.kafka_topic}/")
        assert "cannot save the offsets" in seen["error"]
        assert seen["failures"] >= 3
        ProjectorThatCannotSaveItsPlace.stuck.clear()
        pipeline.settle(timeout=60)
        assert status(database, settings, settings.kafka_group)["projector"]["failing"] is None
    finally:
        ProjectorThatCannotSaveItsPlace.stuck.clear()
        pipeline.stop()
