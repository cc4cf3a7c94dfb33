"""Beside a running `sampark run`, a new user's `sampark projections verify` or `sampark audit
verify` needs no URL: the running embedded stack wrote its addresses under SAMPARK_HOME, and
the command uses them instead of starting a second embedded server. A file left by a stack
that is gone is ignored, and a second `sampark run` on the same home refuses to start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from infra.run.addresses import Addresses, running, running_broker, running_database, written
from tests.integration.test_cli import sampark


def test_a_command_uses_the_running_stacks_database_and_starts_no_server_of_its_own(
    tmp_path: Path, database: str, broker: str
) -> None:
    home = tmp_path / "home"
    stack = Addresses(
        pid=os.getpid(), api="http://127.0.0.1:18680", database_url=database, kafka_bootstrap=broker
    )
    with written(home, stack) as where:
        assert json.loads(where.read_text())["database_url"] == database
        assert oct(where.stat().st_mode & 0o777) == "0o600"
        assert running_database(home) == database and running_broker(home) == broker

        verified = sampark("projections", "verify", SAMPARK_HOME=str(home))
        audited = sampark("audit", "verify", SAMPARK_HOME=str(home))
        again = sampark("run", SAMPARK_HOME=str(home))
    assert not where.exists(), "removed when the stack stops"

    assert verified.returncode == 0, verified.stderr
    assert "the read models agree with the event store" in verified.stdout
    assert "using the database of the stack running under" in verified.stderr
    assert audited.returncode == 0, audited.stderr
    assert "chain(s) hold" in audited.stdout
    assert not (home / "postgres").exists(), "no second embedded server was started"
    assert again.returncode != 0
    assert "a stack is already running under" in again.stderr
    assert "http://127.0.0.1:18680" in again.stderr


def test_the_addresses_of_a_stack_that_is_gone_are_ignored(tmp_path: Path, database: str) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with written(tmp_path, Addresses(pid=gone.pid, api="", database_url=database)):
        assert running(tmp_path) is None
        assert running_database(tmp_path) is None
    silent = Addresses(
        pid=os.getpid(),
        api="",
        database_url="postgresql://sampark@127.0.0.1:1/sampark",
        kafka_bootstrap="127.0.0.1:1",
    )
    with written(tmp_path, silent):
        assert running(tmp_path) == silent, "its process is alive..."
        assert running_database(tmp_path) is None, "...but its database does not answer"
        assert running_broker(tmp_path) is None
    assert running(tmp_path) is None
