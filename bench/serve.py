"""Serve one app for the HTTP benchmark, both under the same uvicorn settings.

python -m bench.serve sampark PORT    # the API on SAMPARK_DATABASE_URL
python -m bench.serve bare PORT       # a bare Litestar handler returning a constant struct
"""

from __future__ import annotations

import sys
from typing import Any

import msgspec
import uvicorn
from litestar import Litestar, get


class Constant(msgspec.Struct):
    id: str
    status: str
    level: int


CONSTANT = Constant(id="JAI-2026-0000001", status="assigned", level=1)


@get("/v1/complaints/{ref:str}", sync_to_thread=True)
def constant(ref: str) -> Constant:
    return CONSTANT


def app(kind: str) -> Any:
    if kind == "bare":
        return Litestar(route_handlers=[constant])
    from api.app import create_app
    from infra.run.services import open_services
    from infra.settings import Settings

    settings = Settings.from_env()
    assert settings.database_url, "SAMPARK_DATABASE_URL names the database to serve"
    return create_app(open_services(settings, settings.database_url))


if __name__ == "__main__":
    uvicorn.run(app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
