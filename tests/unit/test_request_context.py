"""Every line logged while a request is served carries the request's id (the caller's when
sound, a fresh one otherwise), which the response also carries; a request that names a
complaint by id or registration number has that complaint's id on its lines."""

from __future__ import annotations

import logging
from typing import Any
from uuid import uuid4

import pytest
from litestar import Litestar, Response, get, post
from litestar.params import FromPath
from litestar.testing import TestClient

from api.observing import Observed
from domain.complaint import complaint_id
from infra.logs import install_context
from infra.metrics import COMMANDS

log = logging.getLogger("sampark.test.requests")


@get("/v1/complaints/{ref:str}", sync_to_thread=True)
def look(ref: FromPath[str]) -> dict[str, str]:
    log.info("looked at %s", ref)
    return {"ref": ref}


@post("/v1/complaints/{ref:str}/poke", sync_to_thread=False, status_code=409)
def poke(ref: FromPath[str]) -> dict[str, str]:
    log.info("poked")
    return {"ref": ref}


APP = Litestar([look, poke], middleware=[Observed()], logging_config=None)


def lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "sampark.test.requests"]


def test_a_requests_lines_and_its_answer_carry_its_id_and_its_complaints(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_context()
    with TestClient(APP) as client, caplog.at_level(logging.INFO):
        given = client.get("/v1/complaints/JAI-2026-0000001", headers={"X-Request-Id": "lb-77"})
        made = client.get(f"/v1/complaints/{(known := uuid4())}")
        forged = client.get("/v1/complaints/x", headers={"X-Request-Id": "a b\x7f" * 30})
    first, second, third = lines(caplog)

    assert given.headers["X-Request-Id"] == "lb-77" == first.request_id  # type: ignore[attr-defined]
    assert first.complaint_id == str(complaint_id("JAI-2026-0000001"))  # type: ignore[attr-defined]
    assert len(made.headers["X-Request-Id"]) == 32
    assert second.request_id == made.headers["X-Request-Id"]  # type: ignore[attr-defined]
    assert second.complaint_id == str(known)  # type: ignore[attr-defined]
    assert forged.headers["X-Request-Id"] != "a b\x7f" * 30, "an unsound id is replaced"
    assert third.request_id == forged.headers["X-Request-Id"]  # type: ignore[attr-defined]


def test_a_command_is_counted_by_its_outcome() -> None:
    before = COMMANDS.labels("poke", "conflict")._value.get()
    with TestClient(APP) as client:
        assert client.post("/v1/complaints/JAI-2026-0000001/poke").status_code == 409
        assert client.get("/v1/complaints/JAI-2026-0000001").status_code == 200
    assert COMMANDS.labels("poke", "conflict")._value.get() == before + 1
    counted = {s.labels["command"] for family in COMMANDS.collect() for s in family.samples}
    assert "look" not in counted, "a read is not a command"


FILED_ID = "0b7d1f2a-3c4d-5e6f-8a9b-0c1d2e3f4a5b"


@post("/v1/complaints", sync_to_thread=False, status_code=201)
def file() -> Response[dict[str, str]]:
    return Response(
        {"id": FILED_ID}, status_code=201, headers={"Location": f"/v1/complaints/{FILED_ID}"}
    )


def like_uvicorn(app: Any) -> Any:
    """The server's access line, written as the answer starts, as uvicorn writes it."""

    async def serve(scope: Any, receive: Any, send: Any) -> None:
        async def sending(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.start":
                log.info('"%s %s" %d', scope["method"], scope["path"], message["status"])

        await app(scope, receive, sending)

    return serve


def test_the_access_line_of_a_filing_names_the_complaint_it_made(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_context()
    app = Litestar([file], middleware=[Observed()], logging_config=None)
    with TestClient(like_uvicorn(app)) as client, caplog.at_level(logging.INFO):
        filed = client.post("/v1/complaints")
    (access,) = lines(caplog)
    assert filed.status_code == 201
    assert access.complaint_id == FILED_ID  # type: ignore[attr-defined]
    assert access.request_id == filed.headers["X-Request-Id"]  # type: ignore[attr-defined]
