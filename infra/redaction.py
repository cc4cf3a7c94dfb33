"""Keeping secrets and personal data out of the logs.

A logging filter, installed on every handler by the `sampark` CLI, rewrites each record
before it is written: mobile numbers become `<mobile>`, bearer tokens `<token>`, and the
signed part of citizens' report links `<link>`.
"""

from __future__ import annotations

import logging
import re

PATTERNS = (
    (re.compile(r"(?i)bearer\s+[\w.~+/=-]+"), "Bearer <token>"),
    (re.compile(r"/atr/[\w.=-]+"), "/atr/<link>"),
    (re.compile(r"(?<!\d)(?:\+?91)?[6-9]\d{9}(?!\d)"), "<mobile>"),
)


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class Redact(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install() -> None:
    """On every handler of the root logger, and on uvicorn's access log."""
    for name in ("", "uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.addFilter(Redact())
        for handler in logger.handlers:
            handler.addFilter(Redact())
