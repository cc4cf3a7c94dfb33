"""The read side never loses or doubles an event: crashes, duplicates, two projectors, a
broker that forgets everything, a rebuild under load, and a row corrupted by hand."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import psycopg
import pytest

from api.services import Services
from domain.values import Channel, Complainant, Outcome
from infra.local.broker import EmbeddedBroker
from infra.settings import Settings
from projections.projector import Projector
from projections.rebuild import rebuild, verify
from projections.relay import Relay, RelayState
from tests.conftest import Pipeline
from tests.support import JAIPUR_COLLECTOR, JAIPUR_WATER_OFFICER, OPERATOR, new_mobile
from tests.unit.test_complaint_rules import PHOTO

DISTRICTS = ["JAI", "AJM", "KOT", "UDR"]


def some_history(services: Services, count: int) -> None:
    """Complaints across districts; a third disposed of, some escalated, some with feedback."""
    for n in range(count):
        mobile = new_mobile()
        complaint = services.app.file_complaint(
            by=OPERATOR,
            complainant=Complainant(name=f"Citizen {n}", mobile=mobile),
            district=DISTRICTS[n % len(DISTRICTS)],
            department="PHED",
            category="water-supply",
            subject=f"Water problem {n}",
            description="No supply in the ward.",
            channel=Channel.HELPLINE_181,
        )
        if complaint.district == "JAI" and n % 3 == 0:
            services.app.resolve(
                complaint.id,
                by=JAIPUR_WATER_OFFICER,
                outcome=Outcome.RELIEF,
                action_taken="Valve repaired",
                evidence=(PHOTO,),
            )
            services.app.give_feedback(complaint.id, by=OPERATOR, satisfied=n % 2 == 0, rating=4)
        elif complaint.district == "JAI":
            services.app.escalate(complaint.id, by=JAIPUR_COLLECTOR, reason="no action")


def registered(database: str) -> int:
    with psycopg.connect(database) as conn:
        row = conn.execute("SELECT coalesce(sum(filed), 0) FROM read.flows").fetchone()
    assert row is not None
    return int(row[0])


def settle_and_verify(pipeline: Pipeline, database: str) -> None:
    pipeline.settle()
    assert verify(database) == []


def test_a_filed_complaint_reaches_the_read_models_and_verify_agrees(
    services: Services, pipeline: Pipeline, database: str
) -> None:
    some_history(services, 12)
    settle_and_verify(pipeline, database)
    assert registered(database) == 12


class RelayThatDiesBeforeSavingItsPlace(Relay):
    """Publishes a batch, then crashes before recording that it did: the topic gets it twice."""

    crashed = False

    def save_state(self, conn: Any, state: RelayState) -> None:
        if state.acked and not self.crashed:
            type(self).crashed = True
            raise RuntimeError("relay crashed after the broker acknowledged")
        super().save_state(conn, state)


def test_a_relay_crash_after_publishing_doubles_messages_but_not_counts(
    services: Services, settings: Settings, database: str
) -> None:
    some_history(services, 10)
    pipeline = Pipeline(settings, database, relay_class=RelayThatDiesBeforeSavingItsPlace)
    try:
        pipeline.settle()
        assert RelayThatDiesBeforeSavingItsPlace.crashed
        totals = pipeline.projectors[0].totals
        assert totals.duplicates > 0, "the redelivered batch should have been seen and skipped"
        assert verify(database) == []
        assert registered(database) == 10
    finally:
        pipeline.stop()


class ProjectorThatDiesMidBatch(Projector):
    """Applies a batch, then crashes before the transaction commits."""

    crashes = 0

    def save_offsets(self, models: Any, offsets: Any) -> None:
        if type(self).crashes < 2:
            type(self).crashes += 1
            raise RuntimeError("projector crashed in the middle of a batch")
        super().save_offsets(models, offsets)


def test_a_projector_crash_mid_batch_leaves_every_count_exact(
    services: Services, settings: Settings, database: str
) -> None:
    some_history(services, 10)
    assert settings.kafka_bootstrap is not None
    crashing = ProjectorThatDiesMidBatch(
        database,
        settings.kafka_bootstrap,
        topic=settings.kafka_topic,
        group=settings.kafka_group,
        poll_ms=50,
        session_timeout_ms=1000,
    )
    pipeline = Pipeline(settings, database, projector=crashing)
    try:
        pipeline.settle()
        assert ProjectorThatDiesMidBatch.crashes == 2
        assert verify(database) == []
        assert registered(database) == 10
    finally:
        pipeline.stop()


def test_two_projectors_share_the_partitions_and_agree(
    services: Services, pipeline: Pipeline, database: str
) -> None:
    second = pipeline.add_projector()
    some_history(services, 24)
    settle_and_verify(pipeline, database)
    first = pipeline.projectors[0]
    assert first.totals.applied > 0 and second.totals.applied > 0, "both took a share"
    assert registered(database) == 24


def test_the_read_models_converge_after_the_broker_forgets_everything(
    services: Services, settings: Settings, database: str
) -> None:
    import msgspec

    own = EmbeddedBroker()
    configured = msgspec.structs.replace(settings, kafka_bootstrap=own.bootstrap)
    pipeline = Pipeline(configured, database)
    try:
        some_history(services, 8)
        pipeline.settle()
        own.restart()  # memory storage: the topic and the group are gone
        some_history(services, 8)
        deadline = time.monotonic() + 60
        while (differences := verify(database)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert differences == []
        assert registered(database) == 16
    finally:
        pipeline.stop()
        own.stop()


def test_a_rebuild_under_load_swaps_in_a_complete_copy(
    services: Services, pipeline: Pipeline, database: str
) -> None:
    some_history(services, 10)
    pipeline.settle()
    done = rebuild(database)
    assert done.applied > 0
    some_history(services, 6)  # the projector goes on writing into the new copy
    settle_and_verify(pipeline, database)
    assert registered(database) == 16


def test_verify_finds_a_row_and_a_counter_changed_by_hand(
    services: Services, pipeline: Pipeline, database: str, settings: Settings
) -> None:
    some_history(services, 6)
    settle_and_verify(pipeline, database)
    with psycopg.connect(database) as conn:
        conn.execute(
            "UPDATE read.complaints SET status = 'closed' "
            "WHERE id = (SELECT id FROM read.complaints ORDER BY id LIMIT 1)"
        )
        conn.execute(
            "UPDATE read.flows SET filed = filed + 1 "
            "WHERE ctid = (SELECT ctid FROM read.flows WHERE filed > 0 LIMIT 1)"
        )
    differences = verify(database)
    # The row, the counter, and the figures the counter feeds (one line per scope/window).
    in_tables = [d for d in differences if not d.startswith("figures of")]
    assert len(in_tables) == 2
    assert any("status is 'closed'" in d for d in in_tables)
    assert any("filed is" in d for d in in_tables)

    command = subprocess.run(
        [sys.executable, "-m", "infra.run.cli", "projections", "verify"],
        env={"SAMPARK_DATABASE_URL": database, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert command.returncode == 1
    assert f"{len(differences)} difference(s)" in command.stdout


@pytest.fixture(autouse=True)
def _fresh_crash_flags() -> None:
    RelayThatDiesBeforeSavingItsPlace.crashed = False
    ProjectorThatDiesMidBatch.crashes = 0


def test_a_second_relay_waits_and_takes_over_when_the_first_stops(
    services: Services, pipeline: Pipeline, settings: Settings, database: str
) -> None:
    import threading

    assert settings.kafka_bootstrap is not None
    standby = Relay(
        database,
        settings.kafka_bootstrap,
        topic=settings.kafka_topic,
        partitions=settings.kafka_partitions,
        idle_wait=0.05,
    )
    thread = threading.Thread(target=standby.run_until_stopped, daemon=True)
    thread.start()
    try:
        some_history(services, 6)
        pipeline.settle()
        assert standby.published == 0, "only one relay publishes"
        pipeline.relay.stop()
        some_history(services, 6)
        settle_and_verify(pipeline, database)
        assert standby.published > 0, "the standby took over"
        assert registered(database) == 12
    finally:
        standby.stop()
        thread.join(timeout=15)
