"""The API served as `sampark serve` serves it, for tests whose client speaks real HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import msgspec
import uvicorn

from api.app import create_app
from infra.local.broker import free_port
from infra.run.cli import server_config
from infra.run.services import open_services
from infra.settings import Settings


@contextmanager
def api_server(settings: Settings, database: str) -> Iterator[str]:
    """The API as `sampark serve` runs it (uvicorn, `server_config`), on a free port."""
    services = open_services(settings, database)
    port = free_port()
    server = uvicorn.Server(
        server_config(create_app(services), msgspec.structs.replace(settings, port=port))
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "the API did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        services.close()
