"""Who looked, when the API dies: every complaint `sampark serve` showed to staff is in the
access log, even when the process is killed (SIGKILL, no shutdown) the moment its answers
arrive. The entry is committed by the statement that reads the row, before the answer is sent
(docs/security.md, "Who looked")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import psycopg
from litestar.testing import TestClient

from infra.local.broker import free_port
from tests.conftest import SECRET, Pipeline, Tokens
from tests.e2e.test_access_log import wait_until_serving
from tests.support import OPERATOR, new_mobile, water_complaint

READERS = 4
READS_EACH = 60


def test_every_read_served_before_the_api_was_killed_is_in_the_access_log(
    client: TestClient[Any], tokens: Tokens, pipeline: Pipeline, tmp_path: Path, database: str
) -> None:
    filed = [
        client.post(
            "/v1/complaints", json=water_complaint(new_mobile()), headers=tokens.headers(OPERATOR)
        ).json()["id"]
        for _ in range(12)
    ]
    pipeline.settle()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMPARK_")}
    env |= {
        "SAMPARK_DATABASE_URL": database,
        "SAMPARK_HOME": str(tmp_path / "home"),
        "SAMPARK_PORT": str(port),
        "SAMPARK_JWT_SECRET": SECRET,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.run.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    served: Counter[str] = Counter()
    lock = threading.Lock()

    def read(first: int) -> None:
        with httpx.Client(base_url=url, headers=tokens.headers(OPERATOR)) as http:
            for n in range(first, first + READS_EACH):
                complaint = filed[n % len(filed)]
                answer = http.get(f"/v1/complaints/{complaint}")
                assert answer.status_code == 200
                with lock:
                    served[answer.json()["id"]] += 1

    try:
        wait_until_serving(url, process)
        readers = [threading.Thread(target=read, args=(i,)) for i in range(READERS)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()
        process.send_signal(signal.SIGKILL)  # right after the last answer: no shutdown at all
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)

    assert process.returncode == -signal.SIGKILL
    assert sum(served.values()) == READERS * READS_EACH
    with psycopg.connect(database) as conn:
        logged = Counter(
            str(complaint)
            for (complaint,) in conn.execute(
                "SELECT complaint_id FROM sampark.access_log "
                "WHERE actor_id = %s AND endpoint = 'GET /v1/complaints/{ref}'",
                (OPERATOR.id,),
            )
        )
    assert logged == served
