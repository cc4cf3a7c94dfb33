"""Group commit against the real PostgreSQL: commands written together keep their own answers,
the notification log stays gap-free and in commit order, and failures leave nothing half done.

A `Door` holds the first batch until the commands behind it have queued, so the next batch
is known to hold all of them: what is tested is a real batch, not a hopeful race.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.persistence import OperationalError
from litestar.testing import TestClient

from api.services import Services
from domain.complaint import Complaint
from domain.errors import VersionConflict
from infra.eventstore.audit import verify_chain
from infra.eventstore.recording import Command, GroupCommit, Outcome
from infra.eventstore.store import SamparkRecorder
from tests.conftest import Tokens
from tests.integration.test_event_store import file_water_complaint
from tests.support import ADMIN, JAIPUR_WATER_OFFICER, OPERATOR, new_mobile, water_complaint


class Door:
    """Wraps the recorder's write: the first batch waits until `behind` commands queue."""

    def __init__(self, recorder: SamparkRecorder, behind: int) -> None:
        self.group: GroupCommit = recorder._group
        self.write = self.group._write
        self.behind = behind
        self.batches: list[int] = []
        self.reached = threading.Event()  # the first batch is at the door
        self.group._write = self

    def __call__(self, commands: Sequence[Command]) -> list[Outcome]:
        if not self.reached.is_set():
            self.reached.set()
            deadline = time.monotonic() + 10
            while len(self.group._waiting) < self.behind and time.monotonic() < deadline:
                time.sleep(0.005)
        self.batches.append(len(commands))
        return self.write(commands)


@pytest.fixture
def recorder(services: Services) -> SamparkRecorder:
    assert isinstance(services.app.recorder, SamparkRecorder)
    return services.app.recorder


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=8) as executor:
        yield executor


def comment_on(services: Services, complaint: Complaint, text: str) -> Callable[[], Complaint]:
    return lambda: services.app.comment(complaint.id, by=JAIPUR_WATER_OFFICER, text=text)


def start_behind_door(
    pool: ThreadPoolExecutor, door: Door, gate: Callable[[], Any], *rest: Callable[[], Any]
) -> list[Future[Any]]:
    first = pool.submit(gate)
    assert door.reached.wait(timeout=10)
    return [first, *(pool.submit(command) for command in rest)]


def notification_ids(database: str, *complaints: UUID) -> list[int]:
    with psycopg.connect(database) as conn:
        rows = conn.execute(
            "SELECT notification_id FROM sampark_events WHERE originator_id = ANY(%s) "
            "ORDER BY notification_id",
            (list(complaints),),
        ).fetchall()
    return [row[0] for row in rows]


def test_commands_written_together_each_get_their_own_answer(
    services: Services, recorder: SamparkRecorder, pool: ThreadPoolExecutor, database: str
) -> None:
    gate, first, second, contested = (file_water_complaint(services) for _ in range(4))
    door = Door(recorder, behind=4)

    futures = start_behind_door(
        pool,
        door,
        comment_on(services, gate, "At the door"),
        comment_on(services, first, "Inspected the pipeline"),
        comment_on(services, second, "Tanker sent"),
        comment_on(services, contested, "One of two"),
        comment_on(services, contested, "Two of two"),
    )
    answers = [f.exception(timeout=10) or f.result() for f in futures]

    assert door.batches == [1, 4]  # the four behind the door went in one transaction
    conflicts = [a for a in answers if isinstance(a, VersionConflict)]
    assert len(conflicts) == 1, answers  # the second write to `contested` lost, alone
    assert conflicts[0].current_version == 3
    assert [a.version for a in answers if isinstance(a, Complaint)] == [3, 3, 3, 3]
    contested_now = services.app.complaint(contested.id)
    assert contested_now.version == 3
    comments = [getattr(e, "text", None) for e in services.app.timeline(contested.id)][2:]
    assert comments in (["One of two"], ["Two of two"])


def test_the_notification_log_has_no_gaps_while_many_clients_write(
    services: Services, pool: ThreadPoolExecutor, database: str
) -> None:
    with psycopg.connect(database) as conn:
        before = conn.execute("SELECT max(notification_id) FROM sampark_events").fetchone()
    complaints = list(pool.map(lambda _: file_water_complaint(services), range(120)))

    with psycopg.connect(database) as conn:
        after = conn.execute(
            "SELECT notification_id FROM sampark_events WHERE notification_id > %s "
            "ORDER BY notification_id",
            (before[0] if before else 0,),
        ).fetchall()
        ids = [row[0] for row in after]
        assert ids == list(range(ids[0], ids[0] + len(ids)))  # no gaps, nothing doubled
        assert len(ids) == sum(c.version for c in complaints)
        for complaint in complaints[:10]:
            assert verify_chain(conn, complaint.id).holds


def test_a_batch_that_fails_unforeseen_is_written_command_by_command(
    services: Services, recorder: SamparkRecorder, pool: ThreadPoolExecutor, database: str
) -> None:
    gate, healthy, tampered = (file_water_complaint(services) for _ in range(3))
    with psycopg.connect(database) as conn:  # a hash row where the next event must go
        conn.execute(
            "INSERT INTO sampark.event_hashes VALUES (%s, 3, %s, %s)",
            (tampered.id, bytes(32), bytes(32)),
        )
    door = Door(recorder, behind=2)

    futures = start_behind_door(
        pool,
        door,
        comment_on(services, gate, "At the door"),
        comment_on(services, healthy, "Valve replaced"),
        comment_on(services, tampered, "Never written"),
    )
    answers = [f.exception(timeout=10) or f.result() for f in futures]

    assert door.batches == [1, 2, 1, 1]  # the batch of two failed, then each on its own
    assert isinstance(answers[1], Complaint) and answers[1].version == 3
    assert isinstance(answers[2], VersionConflict)
    assert services.app.complaint(tampered.id).version == 2  # nothing of it was written


def test_a_connection_lost_mid_write_fails_that_batch_and_the_next_write_reconnects(
    services: Services, recorder: SamparkRecorder, database: str
) -> None:
    complaint = file_water_complaint(services)
    assert recorder._writer is not None
    writer_pid = recorder._writer.info.backend_pid
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (writer_pid,))

    with pytest.raises(OperationalError):  # the API answers 503: retry with the same key
        services.app.comment(complaint.id, by=JAIPUR_WATER_OFFICER, text="Lost with the line")
    assert services.app.complaint(complaint.id).version == 2  # not half written

    again = services.app.comment(complaint.id, by=JAIPUR_WATER_OFFICER, text="Sent again")
    assert again.version == 3
    assert recorder._writer is not None and recorder._writer.info.backend_pid != writer_pid


def test_a_filing_decided_on_an_old_directory_is_decided_again_on_the_new_one(
    services: Services, recorder: SamparkRecorder, pool: ThreadPoolExecutor
) -> None:
    gate = file_water_complaint(services)
    assert gate.holder == "PHED-JAI-L1"  # where a Jaipur water complaint goes today
    before = services.app.directory()
    door = Door(recorder, behind=2)

    def reroute() -> None:
        services.app.change_directory(
            ADMIN, lambda d, at: d.remove_route("PHED", None, "JAI", ADMIN.actor, at)
        )

    futures = start_behind_door(pool, door, comment_on(services, gate, "At the door"), reroute)
    deadline = time.monotonic() + 10
    while not door.group._waiting and time.monotonic() < deadline:  # the change queued first
        time.sleep(0.005)
    filing = pool.submit(lambda: file_water_complaint(services))  # decided on the old one
    results = [f.result(timeout=10) for f in [*futures, filing]]

    assert door.batches == [1, 2, 1]  # refused in the batch after the change; decided again
    complaint = results[-1]
    assert isinstance(complaint, Complaint)
    assert complaint.holder is None and complaint.status == "unassigned"
    assert services.app.directory().version > before.version


def test_a_filing_whose_directory_keeps_moving_is_refused_with_503_and_writes_nothing(
    services: Services,
    client: TestClient[Any],
    tokens: Tokens,
    database: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cache keeps saying the directory is one version behind the store: every decision
    is refused by the recorder, and after its attempts the caller is asked to come back."""
    app = services.app
    current, (directory_id, version) = app._directory_for_decision()
    monkeypatch.setattr(
        app, "_directory_for_decision", lambda: (current, (directory_id, version - 1))
    )
    with psycopg.connect(database) as conn:
        before = conn.execute("SELECT max(notification_id) FROM sampark_events").fetchone()

    answer = client.post(
        "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
    )

    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "try again" in answer.json()["detail"]
    with psycopg.connect(database) as conn:
        after = conn.execute("SELECT max(notification_id) FROM sampark_events").fetchone()
    assert after == before
