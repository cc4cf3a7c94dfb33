"""`make run` a second time: the directory admins changed through the API is kept, not
replaced by the sample again, and the welcome text says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from infra.security.tokens import mint
from infra.settings import DEVELOPMENT_SECRET
from tests.e2e.test_sampark_run import free_port, wait_for_output

HOLDER = "/v1/directory/posts/PHED-JAI-L1/holder"


def start(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.run.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, wait_for_output(process, "Ctrl-C stops everything", timeout=120)


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0


def test_a_post_vacated_through_the_api_stays_vacant_after_a_restart(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMPARK_")}
    env |= {"SAMPARK_HOME": str(tmp_path / "home"), "SAMPARK_PORT": str(port)}
    admin = {"Authorization": f"Bearer {mint(DEVELOPMENT_SECRET, role='admin', sub='admin-01')}"}
    base = f"http://127.0.0.1:{port}"

    first, said_first = start(env)
    try:
        vacated = httpx.post(base + HOLDER, json={"holder": None}, headers=admin, timeout=30)
        assert vacated.status_code == 200, vacated.text
    finally:
        stop(first)

    second, said_second = start(env)
    try:
        post = httpx.get(f"{base}/v1/directory/posts/PHED-JAI-L1", headers=admin).json()
        assert (post["holder"], post["mobile"]) == (None, None), "the vacancy stands"
    finally:
        stop(second)
    assert "change(s) loaded from" in said_first and "directory.json" in said_first
    assert "Directory: kept as stored" in said_second
