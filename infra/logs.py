"""The logs: JSON lines in production (`SAMPARK_LOG_FORMAT=json`), readable text in
development, each line carrying the request and the complaint it is about.

The request id and the complaint id live in context variables, set by the API for each request
(`api/observing.py`) and by the workers around each complaint they handle (`about`, or
`now_about` when the complaint is known only halfway). They are
copied onto each log record as it is made (the record factory, the same place the redaction
of `infra/security/redaction.py` happens), so a line written later by another thread (the
queue handler Litestar puts on the root logger) still carries them.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from infra.security import redaction

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
COMPLAINT_ID: ContextVar[str | None] = ContextVar("complaint_id", default=None)
TEXT_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
QUIET = ("fontTools",)  # fpdf2's font subsetting says some thirty lines a document at INFO


@contextmanager
def about(complaint: UUID | str | None) -> Iterator[None]:
    """Every line logged inside is about `complaint`."""
    token = COMPLAINT_ID.set(str(complaint) if complaint is not None else None)
    try:
        yield
    finally:
        COMPLAINT_ID.reset(token)


def now_about(complaint: UUID | str) -> None:
    """From here to the end of the enclosing `about`, every line is about `complaint`: for
    work that learns its complaint halfway (a WhatsApp conversation, when the citizen chooses
    one). Call it inside an `about`, whose end puts the context back as it was."""
    COMPLAINT_ID.set(str(complaint))


class OnceAMinute(logging.Filter):
    """Lets a message that keeps coming (the same logger and template: a client library
    saying "connection refused" at each of its retries) through at most once every `every`
    seconds, saying how many like it were held back since."""

    def __init__(self, every: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.every = every
        self.clock = clock
        self.last: dict[tuple[str, str], float] = {}
        self.held: Counter[tuple[str, str]] = Counter()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = self.clock()
        last = self.last.get(key)
        if last is not None and now - last < self.every:
            self.held[key] += 1
            return False
        self.last[key] = now
        held = self.held.pop(key, 0)
        if held:
            record.msg = f"{record.msg} [{held} more like this since, not shown]"
        return True


def once_a_minute(prefix: str) -> None:
    """Put one `OnceAMinute` on every logger under `prefix` that exists now (a filter on a
    logger applies to its own records only, so each gets it)."""
    repeats = OnceAMinute()
    for name in [n for n in logging.root.manager.loggerDict if n.split(".")[0] == prefix]:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OnceAMinute) for f in logger.filters):
            logger.addFilter(repeats)


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, the request and
    complaint ids when known, and the traceback (already redacted) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "complaint_id"):
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = redaction.redact(self.formatException(record.exc_info))
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


class Text(logging.Formatter):
    """The readable line, with `request=` and `complaint=` after the message when known."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:
        text = super().formatMessage(record)
        for label, name in (("request", "request_id"), ("complaint", "complaint_id")):
            value = getattr(record, name, None)
            if value is not None:
                text += f" {label}={value}"
        return text


def formatter(kind: str = "text") -> logging.Formatter:
    """The formatter for `kind` (json or text); also named in logging configurations
    (`{"()": "infra.logs.formatter", "kind": ...}`)."""
    return JsonLines() if kind == "json" else Text()


_installed: list[bool] = []


def install_context() -> None:
    """Copy the context's ids onto each record as it is made (once per process)."""
    if _installed:
        return
    make = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        record.request_id = REQUEST_ID.get()
        record.complaint_id = COMPLAINT_ID.get()
        return record

    _installed.append(True)
    logging.setLogRecordFactory(factory)


def configure(kind: str) -> None:
    """The process's logging: the root logger writes `kind` lines to stderr at INFO; every
    record is redacted and carries its context."""
    redaction.install()
    install_context()
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(kind))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)


def litestar_formatters(kind: str) -> dict[str, dict[str, Any]]:
    """The formatters Litestar's logging configuration uses (it replaces the root logger's
    handlers when the app starts): ours, so its lines are the same as every other."""
    return {"standard": {"()": "infra.logs.formatter", "kind": kind}}
