"""What must never reach a log line: tokens, report links, mobile numbers."""

from __future__ import annotations

import logging

import pytest

from infra.security.redaction import Redact, redact


@pytest.mark.parametrize(
    ("line", "cleaned"),
    [
        ("Authorization: Bearer eyJhbGciOi.abc-def_1.xyz", "Authorization: Bearer <token>"),
        (
            '"GET /atr/YXRyfGMw.0p7yxXU-IW?lang=en HTTP/1.1" 200',
            '"GET /atr/<link>?lang=en HTTP/1.1" 200',
        ),
        ("invalid number 919811100000", "invalid number <mobile>"),
        ("sent to +919811100000 and 9876543210", "sent to <mobile> and <mobile>"),
        ("complaint JAI-2026-0000042 version 12345", "complaint JAI-2026-0000042 version 12345"),
    ],
)
def test_secrets_and_numbers_are_masked(line: str, cleaned: str) -> None:
    assert redact(line) == cleaned


def test_the_filter_rewrites_the_record(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("sampark.test.redaction")
    logger.addFilter(Redact())
    with caplog.at_level(logging.INFO):
        logger.info("message to %s failed", "9811100000")
    assert caplog.records[-1].getMessage() == "message to <mobile> failed"
