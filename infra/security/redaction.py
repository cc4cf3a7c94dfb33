"""Keeping secrets and personal data out of the logs.

Every log record is cleaned as it is made, whichever logger makes it and whichever handler
writes it (uvicorn's access log, Litestar's queue handler, which replaces the root logger's
handlers when the app starts, a test's own handler): mobile numbers become `<mobile>`, bearer
tokens `<token>`, and the signed part of citizens' report links `<link>`.

A record keeps its shape: the message template and each argument are cleaned in place, so a
formatter that reads the arguments themselves (uvicorn's access formatter unpacks the client,
method, path, version and status) still writes its line. Only when cleaning the parts is not
enough (a number split across two arguments, a number passed as an int) is the record
flattened into its cleaned text; every line is written, none is dropped.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable, Mapping
from typing import Any

PATTERNS = (
    (re.compile(r"(?i)bearer\s+[\w.~+/=-]+"), "Bearer <token>"),
    (re.compile(r"/atr/[\w.=-]+"), "/atr/<link>"),
    (re.compile(r"(?<!\d)(?:\+?91)?[6-9]\d{9}(?!\d)"), "<mobile>"),
)


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _clean(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def _cleaned_args(args: Any) -> Any:
    if isinstance(args, tuple):
        return tuple(_clean(a) for a in args)
    if isinstance(args, Mapping):
        return {k: _clean(v) for k, v in args.items()}
    return args


def clean_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact `record` in place, keeping its template and arguments where that suffices."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: logging reports it when the record is written
        return record
    cleaned = redact(message)
    if cleaned != message:
        msg, args = _clean(record.msg), _cleaned_args(record.args)
        try:
            kept = (msg % args) if args else str(msg)
        except Exception:
            kept = None
        if kept == cleaned:
            record.msg, record.args = msg, args
        else:
            record.msg, record.args = cleaned, ()
    if record.exc_info and not record.exc_text:
        # Tracebacks quote values (a SQL parameter, a URL): render the text now, cleaned.
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


class Redact(logging.Filter):
    """The same cleaning as a filter, for a handler or logger configured by hand."""

    def filter(self, record: logging.LogRecord) -> bool:
        clean_record(record)
        return True


_installed: list[Callable[..., logging.LogRecord]] = []


def install() -> None:
    """Clean every record as it is made (once per process, however often called)."""
    if _installed:
        return
    make = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return clean_record(make(*args, **kwargs))

    _installed.append(make)
    logging.setLogRecordFactory(factory)
