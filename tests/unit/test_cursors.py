"""A cursor gives back exactly the position it was made from, and nothing but a cursor of the
same list's shape is taken for one."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from infra import cursors

AT = datetime(2026, 11, 30, 10, 15, 0, 123456, tzinfo=UTC)
ID = UUID("7d1c2a4e-1f3b-4c3d-9a8b-0e2f4d6a8c10")
INBOX = (cursors.flag, cursors.optional(cursors.moment), cursors.uuid)


def test_a_position_comes_back_as_it_was_given() -> None:
    assert cursors.decode(cursors.encode(AT, ID), cursors.moment, cursors.uuid) == (AT, ID)
    assert cursors.decode(cursors.encode(False, None, ID), *INBOX) == (False, None, ID)
    assert cursors.decode(cursors.encode(True, AT, ID), *INBOX) == (True, AT, ID)
    assert cursors.decode(cursors.encode(41), cursors.number) == (41,)


def test_a_cursor_is_url_safe_text() -> None:
    cursor = cursors.encode(AT, ID)
    assert cursor.isascii() and not set(cursor) & set("+/=")


@pytest.mark.parametrize(
    ("cursor", "parts"),
    [
        ("", (cursors.number,)),
        ("!!!", (cursors.number,)),
        ("not a cursor", (cursors.number,)),
        (cursors.encode(AT, ID), (cursors.number,)),  # another list's cursor
        (cursors.encode(41), (cursors.moment, cursors.uuid)),
        (cursors.encode("41"), (cursors.number,)),
        (cursors.encode(True), (cursors.number,)),  # a flag is not a number
        (cursors.encode(-1), (cursors.number,)),
        (cursors.encode(1, ID), INBOX),  # a number is not a flag
        (cursors.encode("2026-11-30T10:15:00", ID), (cursors.moment, cursors.uuid)),  # naive
        (cursors.encode(AT, "7d1c2a4e"), (cursors.moment, cursors.uuid)),
        (cursors.encode(None, ID), (cursors.moment, cursors.uuid)),  # only where optional
    ],
)
def test_anything_else_is_refused(cursor: str, parts: tuple[cursors.Part, ...]) -> None:
    with pytest.raises(ValueError, match="not a cursor this API gave out"):
        cursors.decode(cursor, *parts)
