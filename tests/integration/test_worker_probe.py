"""A worker process shows itself on `SAMPARK_METRICS_PORT`: `/health/ready` while PostgreSQL
answers and its workers go round, `/metrics` with its own figures, and its heartbeats in the
database, where the pipeline status finds them."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import httpx
import msgspec
import psycopg

from infra.local.broker import free_port
from infra.run.probe import observed
from infra.settings import Settings
from projections.health import heartbeats
from projections.worker import Worker


class Clockwork(Worker):
    """A worker that goes round its loop until stopped."""

    def __init__(self) -> None:
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.05):
            self.beat()


def test_a_worker_process_serves_its_health_and_figures_and_writes_its_heartbeat(
    settings: Settings, database: str
) -> None:
    port = free_port()
    on_port = msgspec.structs.replace(settings, metrics_port=port)
    worker = Clockwork()
    base = f"http://127.0.0.1:{port}"
    with observed(on_port, database, [worker], needs_broker=False):
        assert httpx.get(f"{base}/health/live").json() == {"status": "ok"}
        before = httpx.get(f"{base}/health/ready")
        assert before.status_code == 503
        assert before.json()["checks"] == {"database": "ok", "clockwork": "not started yet"}

        thread = threading.Thread(target=worker.run_until_stopped, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 20
            while httpx.get(f"{base}/health/ready").status_code != 200:
                assert time.monotonic() < deadline, "never ready"
                time.sleep(0.1)
            figures = httpx.get(f"{base}/metrics").text
            assert 'sampark_worker_last_beat_timestamp_seconds{worker="clockwork"}' in figures
            deadline = time.monotonic() + 20
            while True:
                with psycopg.connect(database) as conn:
                    beats = heartbeats(conn, datetime.now(UTC))
                if any(b["worker"] == "clockwork" for b in beats):
                    break
                assert time.monotonic() < deadline, "no heartbeat written"
                time.sleep(0.2)
            assert httpx.get(f"{base}/nothing").status_code == 404
        finally:
            worker.stop()
            thread.join(timeout=10)
