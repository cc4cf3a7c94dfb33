"""Following a list's pages (`next_cursor`) to its end, as a client would."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient


def every_item(
    client: TestClient[Any], path: str, headers: dict[str, str], **params: Any
) -> list[Any]:
    """Every item of the list at `path`, page after page, in the order shown."""
    items: list[Any] = []
    cursor = None
    while True:
        answer = client.get(
            path, params={**params, **({"cursor": cursor} if cursor else {})}, headers=headers
        )
        assert answer.status_code == 200, answer.text
        page = answer.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
