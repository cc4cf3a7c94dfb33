"""Every test under `tests/e2e/` carries the `e2e` marker: `pytest -m e2e` runs the whole
stack's tests, `pytest -m "not e2e"` the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Called with the whole session's items, whichever conftest holds it: mark only ours.
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)
