"""Values a read model can hold: the one place text from an event is made safe to write.

Events are immutable, and one stored before today's rules may hold what PostgreSQL text
cannot (a NUL, a lone surrogate) or more than a read model should keep (a megabyte comment).
Every text value the read side writes goes through `safe_text`: a character PostgreSQL cannot
hold becomes U+FFFD, and text over its bound is clipped, ending in "…". `sampark projections
verify` compares with the same made-safe values. The bounds are documented in
docs/read-models.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import msgspec

TEXT_LIMIT = 20_000  # characters of free text (a description, a comment, a note)
CODE_LIMIT = 200  # characters of a value in an indexed column (a code, a post, a number)
REPLACEMENT = "\ufffd"
CLIPPED = "\u2026"
_UNHOLDABLE = re.compile("[\x00\ud800-\udfff]")  # NUL, and surrogates UTF-8 cannot encode


def safe_text(value: str, limit: int = TEXT_LIMIT) -> str:
    """`value` as a read model can hold it (the same object when nothing had to change)."""
    if len(value) > limit:
        value = value[: limit - 1] + CLIPPED
    if _UNHOLDABLE.search(value) is None:
        return value
    return _UNHOLDABLE.sub(REPLACEMENT, value)


def safe_json(value: Any, limit: int = TEXT_LIMIT) -> Any:
    """A JSON value (for a jsonb column) with every string in it made safe, keys included."""
    if isinstance(value, str):
        return safe_text(value, limit)
    if isinstance(value, list):
        return [safe_json(v, limit) for v in value]
    if isinstance(value, dict):
        return {safe_text(str(k), limit): safe_json(v, limit) for k, v in value.items()}
    return value


def left_as_they_are(values: Iterable[str], limit: int = TEXT_LIMIT) -> bool:
    """Whether `safe_text` leaves every one of `values` as it is, checked at once (most
    values are)."""
    texts = tuple(values)
    return not texts or (
        max(map(len, texts)) <= limit and _UNHOLDABLE.search("".join(texts)) is None
    )


def json_left_as_it_is(value: Any, limit: int = TEXT_LIMIT) -> bool:
    """Whether `safe_json` leaves `value` as it is (a JSON value whose keys are strings),
    checked at once on its JSON: no longer than `limit` (so neither is any string in it), no
    NUL (JSON writes it as an escape), no lone surrogate (UTF-8 cannot encode one). Unsure
    (say, a backslash before "u0000") is answered no."""
    try:
        encoded = msgspec.json.encode(value)
    except Exception:
        return False
    return len(encoded) <= limit and b"\\u0000" not in encoded
