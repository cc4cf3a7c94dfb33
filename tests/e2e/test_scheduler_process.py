"""The real `sampark scheduler`, twice over: with deadlines of seconds, a neglected complaint
climbs L1 to L4 on its own and is marked overdue there, each step exactly once, while the two
processes share the work through the leadership lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.services import Services
from domain.directory import Category
from domain.events import DeadlineMissed, Escalated
from domain.sla import Sla, Unit
from domain.values import Channel, Complainant, Trigger
from tests.conftest import Pipeline
from tests.support import ADMIN, OPERATOR, TurnableClock, new_mobile

DRILL = Category(
    "PHED", "drill-seconds", "Drill: two seconds a level", Sla((2, 2, 2, 2), Unit.SECONDS)
)


def start_scheduler(database: str, home: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMPARK_")}
    env |= {
        "SAMPARK_DATABASE_URL": database,
        "SAMPARK_HOME": str(home),
        "SAMPARK_SCAN_SECONDS": "0.5",
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "infra.run.cli", "scheduler"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def test_two_scheduler_processes_walk_a_complaint_up_the_ladder_once(
    services: Services,
    clock: TurnableClock,
    pipeline: Pipeline,
    database: str,
    tmp_path: Path,
) -> None:
    services.app.change_directory(ADMIN, lambda d, at: d.define_category(DRILL, ADMIN.actor, at))
    logs = [tmp_path / "scheduler-1.log", tmp_path / "scheduler-2.log"]
    schedulers = [
        start_scheduler(database, tmp_path / f"home-{n}", log) for n, log in enumerate(logs)
    ]
    try:
        clock.now = datetime.now(UTC)  # the processes keep real time
        complaint = services.app.file_complaint(
            by=OPERATOR,
            complainant=Complainant(name="Mohan Lal", mobile=new_mobile()),
            district="JAI",
            department="PHED",
            category=DRILL.code,
            subject="Drill",
            description="A complaint nobody acts on.",
            channel=Channel.HELPLINE_181,
        ).id
        deadline = time.monotonic() + 90
        events: list[Any] = []
        while time.monotonic() < deadline:
            events = services.app.timeline(complaint)
            if any(isinstance(e, DeadlineMissed) for e in events):
                break
            if any(s.poll() is not None for s in schedulers):
                break  # a scheduler died: the assertions below show its log
            time.sleep(0.2)
        time.sleep(1.5)  # three more scans: nothing more may happen
        events = services.app.timeline(complaint)
    finally:
        for process in schedulers:
            process.send_signal(signal.SIGTERM)
        codes = [process.wait(timeout=30) for process in schedulers]
    output = "\n".join(log.read_text() for log in logs)
    climbs = [e for e in events if isinstance(e, Escalated)]
    assert [(e.from_level, e.to_level) for e in climbs] == [(1, 2), (2, 3), (3, 4)], output
    assert all(e.trigger == Trigger.DEADLINE for e in climbs), output
    assert [e.holder for e in climbs] == ["PHED-JAI-L2", "PHED-HOD", "PHED-STATE"], output
    assert len([e for e in events if isinstance(e, DeadlineMissed)]) == 1, output
    assert codes == [0, 0], output
    assert output.count("this scheduler leads") >= 1
