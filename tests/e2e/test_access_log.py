"""The API's access log, as an operator reads it from `sampark serve`: one line per request,
every line written, and no citizen's mobile number or report link in any of them."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import uvicorn.config
from uvicorn.logging import AccessFormatter

from infra.local.broker import free_port
from infra.security.redaction import Redact, clean_record, install

MOBILE = "9876543210"
REPORT_LINK = "/atr/YXRyfGMw.0p7yxXU-IW4fQ2"


def wait_until_serving(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "sampark serve stopped at start"
        try:
            httpx.get(f"{url}/health", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("sampark serve never answered")


def test_every_request_is_in_the_access_log_with_personal_data_masked(
    tmp_path: Path, database: str
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMPARK_")}
    env |= {
        "SAMPARK_DATABASE_URL": database,
        "SAMPARK_HOME": str(tmp_path / "home"),
        "SAMPARK_PORT": str(port),
    }
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "infra.run.cli", "serve"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            wait_until_serving(url, process)
            # A citizen looks up their complaints by number, opens the report link from
            # WhatsApp, and answers its feedback form.
            httpx.get(f"{url}/v1/complaints", params={"mobile": MOBILE})
            httpx.get(f"{url}{REPORT_LINK}")
            httpx.post(f"{url}{REPORT_LINK}/feedback", data={"satisfied": "yes"})
            httpx.get(f"{url}/v1/complaints/91{MOBILE}/timeline")
            time.sleep(0.5)
        finally:
            process.terminate()
            process.wait(timeout=30)
    written = log.read_text()

    assert "Logging error" not in written
    assert MOBILE not in written
    assert "YXRyfGMw" not in written
    lines = [line for line in written.splitlines() if " HTTP/1.1" in line]
    assert any('"GET /v1/complaints?mobile=<mobile> HTTP/1.1" 401' in line for line in lines)
    assert any('"GET /atr/<link> HTTP/1.1"' in line for line in lines)
    assert any('"POST /atr/<link>/feedback HTTP/1.1"' in line for line in lines)
    assert any('"GET /v1/complaints/<mobile>/timeline HTTP/1.1" 401' in line for line in lines)


def test_uvicorn_formats_the_cleaned_access_record() -> None:
    """uvicorn's formatter unpacks the record's five arguments: cleaning keeps them."""
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("10.0.0.7:51234", "GET", f"{REPORT_LINK}?mobile={MOBILE}", "1.1", 200),
        None,
    )
    assert Redact().filter(record)
    config = uvicorn.config.LOGGING_CONFIG["formatters"]["access"]
    formatter = AccessFormatter(config["fmt"], use_colors=False)
    assert formatter.format(record) == (
        'INFO:     10.0.0.7:51234 - "GET /atr/<link>?mobile=<mobile> HTTP/1.1" 200 OK'
    )


def test_a_number_the_template_cannot_clean_still_leaves_its_line() -> None:
    record = logging.LogRecord(
        "sampark", logging.INFO, __file__, 1, "sent to %d at %s", (int(MOBILE), "noon"), None
    )
    clean_record(record)
    assert record.getMessage() == "sent to <mobile> at noon"


def test_tracebacks_are_masked_too() -> None:
    try:
        raise ValueError(f"no complaint for {MOBILE}")
    except ValueError:
        record = logging.LogRecord(
            "sampark", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    clean_record(record)
    text = logging.Formatter().format(record)
    assert "no complaint for <mobile>" in text
    assert MOBILE not in text


def test_records_are_cleaned_whichever_handler_writes_them() -> None:
    """Litestar replaces the root logger's handlers at start: cleaning cannot live on them."""
    install()
    written: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: written.append(handler.format(record))  # type: ignore[method-assign]
    logger = logging.getLogger("sampark.test.any-handler")
    logger.addHandler(handler)
    try:
        logger.warning("no complaint for %s", MOBILE)
    finally:
        logger.removeHandler(handler)
    assert written == ["no complaint for <mobile>"]
