"""A log line says which request and which complaint it is about, as one JSON object in
production and as readable text in development, and never carries a mobile number or the
secret part of a report link."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from uuid import uuid4

import pytest

from infra.logs import REQUEST_ID, OnceAMinute, about, formatter, install_context, now_about
from infra.security.redaction import install as install_redaction
from infra.settings import Settings


@pytest.fixture
def written() -> Iterator[tuple[logging.Logger, io.StringIO, logging.Handler]]:
    install_redaction()
    install_context()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger = logging.getLogger("sampark.test.lines")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield logger, out, handler
    finally:
        logger.removeHandler(handler)


def test_a_json_line_carries_the_request_and_the_complaint_and_no_personal_data(
    written: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, out, handler = written
    handler.setFormatter(formatter("json"))
    complaint = uuid4()
    token = REQUEST_ID.set("req-42")
    try:
        with about(complaint):
            logger.info("told %s: see /atr/eyJhbGciOi.secret-part", "+919876543210")
        logger.warning("after the complaint")
    finally:
        REQUEST_ID.reset(token)
    logger.info("outside any request")

    first, second, third = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["request_id"] == "req-42" and first["complaint_id"] == str(complaint)
    assert first["level"] == "INFO" and first["logger"] == "sampark.test.lines"
    assert first["message"] == "told <mobile>: see /atr/<link>"
    assert first["time"].endswith("+00:00")
    assert second["request_id"] == "req-42" and "complaint_id" not in second
    assert "request_id" not in third and "complaint_id" not in third


def test_a_traceback_in_a_json_line_is_redacted_and_kept_in_the_same_line(
    written: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, out, handler = written
    handler.setFormatter(formatter("json"))
    try:
        raise ValueError("no such mobile 9876543210")
    except ValueError:
        logger.exception("sending failed")
    (line,) = out.getvalue().splitlines()
    record = json.loads(line)
    assert "ValueError: no such mobile <mobile>" in record["exception"]
    assert "9876543210" not in line


def test_work_that_learns_its_complaint_halfway_names_it_until_its_about_ends(
    written: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, out, handler = written
    handler.setFormatter(formatter("json"))
    complaint = uuid4()
    with about(None):  # a WhatsApp turn: which complaint, the citizen says halfway
        logger.info("the menu")
        now_about(complaint)
        logger.info("a photo for it")
    logger.info("the next turn")
    before, during, after = (json.loads(line) for line in out.getvalue().splitlines())
    assert "complaint_id" not in before and "complaint_id" not in after
    assert during["complaint_id"] == str(complaint)


def test_a_text_line_names_its_request_and_complaint_after_the_message(
    written: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, out, handler = written
    handler.setFormatter(formatter("text"))
    token = REQUEST_ID.set("req-7")
    try:
        with about("5f0c3c4e-0000-4000-8000-000000000001"):
            logger.info("escalated")
    finally:
        REQUEST_ID.reset(token)
    assert (
        out.getvalue()
        .rstrip()
        .endswith("INFO escalated request=req-7 complaint=5f0c3c4e-0000-4000-8000-000000000001")
    )


def test_production_writes_json_and_development_text_unless_told() -> None:
    assert Settings(environment="production").logs_as == "json"
    assert Settings().logs_as == "text"
    assert Settings(log_format="json").logs_as == "json"
    with pytest.raises(SystemExit, match="SAMPARK_LOG_FORMAT"):
        Settings(log_format="xml").check()


def test_a_client_librarys_repeated_complaint_is_written_once_a_minute(
    written: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, out, handler = written
    handler.setFormatter(formatter("text"))
    now = [0.0]
    logger.addFilter(OnceAMinute(clock=lambda: now[0]))
    for _ in range(600):  # ten minutes of a broker away, a retry every second
        logger.error("Connection failed: %s", "KafkaConnectionError: 111 ECONNREFUSED")
        logger.error("Metadata refresh: failed %s", "ECONNREFUSED")
        now[0] += 1.0
    shown = out.getvalue().splitlines()
    assert len(shown) == 20, "each message once a minute"
    assert shown[2].endswith("ECONNREFUSED [59 more like this since, not shown]")
    assert "ECONNREFUSED" in shown[0]
