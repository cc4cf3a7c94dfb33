"""docs/events.md, the public contract, names every event and every one of its fields."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from domain import directory
from domain.events import COMPLAINT_EVENTS

DOC = (Path(__file__).parents[2] / "docs" / "events.md").read_text()
ENVELOPE = {"originator_id", "originator_version", "timestamp", "actor", "originator_topic"}
DIRECTORY_EVENTS = [
    directory.DirectoryCreated,
    directory.DistrictDefined,
    directory.DepartmentDefined,
    directory.CategoryDefined,
    directory.PostDefined,
    directory.PostHolderChanged,
    directory.RouteSet,
    directory.RouteRemoved,
    directory.ChainSet,
    directory.HolidayDeclared,
    directory.HolidayCancelled,
    directory.ServiceNotified,
]


def test_every_event_and_field_is_documented() -> None:
    for event in [*COMPLAINT_EVENTS, *DIRECTORY_EVENTS]:
        row = next(
            (line for line in DOC.splitlines() if line.startswith(f"| `{event.__name__}` |")), None
        )
        assert row is not None, f"{event.__name__} is not in docs/events.md"
        for field in dataclasses.fields(event):  # type: ignore[arg-type]
            if field.name not in ENVELOPE:
                assert f"`{field.name}`" in row, f"{event.__name__}.{field.name} is not documented"


def test_the_json_schemas_in_the_document_are_the_current_ones() -> None:
    from scripts.event_schemas import schemas

    assert schemas().strip() in DOC, "run: python scripts/event_schemas.py, paste into docs"


def test_the_permissions_table_in_the_security_document_is_the_current_one() -> None:
    from scripts.permissions_table import table

    security = (Path(__file__).parents[2] / "docs" / "security.md").read_text()
    assert table() in security, "run: python scripts/permissions_table.py, paste into docs"


def test_the_readme_layout_names_every_package_and_only_folders_that_exist() -> None:
    root = Path(__file__).parents[2]
    readme = (root / "README.md").read_text()
    layout = readme[readme.index("## Layout") :]
    packages = {
        str(init.parent.relative_to(root))
        for top in ("domain", "api", "projections", "scheduler", "infra")
        for init in (root / top).rglob("__init__.py")
    }
    for package in packages:
        assert f"`{package}/" in layout, f"README's Layout does not name {package}/"
    tops = ("domain/", "api/", "projections/", "scheduler/", "infra/")
    named = [f for f in re.findall(r"`((?:[a-z_]+/)+)", layout) if f.startswith(tops)]
    assert len(named) >= len(packages)
    for folder in named:
        assert (root / folder).is_dir(), f"README's Layout names {folder}, which is not there"
