"""The directory at start and from a file: `sampark directory load FILE`, and what
`sampark run` loads (the sample on a first start only)."""

from __future__ import annotations

from pathlib import Path

import msgspec

from domain import master_data
from domain.application import Sampark
from domain.directory import Directory, MasterData
from domain.errors import InvalidCommand
from domain.values import Identity, Role
from infra.security.json_depth import MAX_JSON_DEPTH, too_deep

SAMPLE_DIRECTORY = Path(__file__).resolve().parents[2] / "data" / "directory.json"
BOOTSTRAP_ADMIN = Identity(id="sampark-bootstrap", role=Role.ADMIN)


def load_directory(app: Sampark, path: Path) -> int:
    """Load a master-data file as the bootstrap admin; the number of changes recorded."""
    try:
        text = path.read_bytes()
        if too_deep(text):
            raise SystemExit(
                f"cannot load the directory from {path}: "
                f"JSON may nest at most {MAX_JSON_DEPTH} levels deep"
            )
        data = master_data.checked(msgspec.json.decode(text, type=MasterData))
    except (OSError, msgspec.DecodeError, msgspec.ValidationError) as error:
        raise SystemExit(f"cannot load the directory from {path}: {error}") from None
    except InvalidCommand as refused:
        raise SystemExit(f"cannot load the directory from {path}: {refused.reason}") from None
    return app.load_directory(BOOTSTRAP_ADMIN, data)


def holds_directory(directory: Directory) -> bool:
    """Whether the store holds master data already (loaded, or entered by an admin)."""
    return any(
        (
            directory.districts,
            directory.departments,
            directory.categories,
            directory.posts,
            directory.routes,
            directory.chains,
            directory.holidays,
            directory.services,
            directory.diwas,
        )
    )


def directory_to_load(held: Directory, requested: Path | None, sample: Path) -> Path | None:
    """The master-data file `sampark run` loads at start: the one asked for (`--directory`),
    or the sample on a first start only. Once the store holds a directory, a start keeps it:
    loading the sample again would quietly undo what admins changed since (posts filled or
    vacated, routes, holidays)."""
    if requested is not None:
        return requested
    return None if holds_directory(held) else sample


def directory_at_start(
    app: Sampark, requested: Path | None, sample: Path = SAMPLE_DIRECTORY
) -> str:
    """Load the directory `directory_to_load` names, if any; says what was done."""
    path = directory_to_load(app.directory(), requested, sample)
    if path is None:
        held = app.directory()
        return (
            f"Directory: kept as stored ({len(held.posts)} posts, {len(held.routes)} routes); "
            "the sample is loaded on a first start only (load a file with "
            "`sampark directory load FILE`)"
        )
    changes = load_directory(app, path)
    return f"Directory: {changes} change(s) loaded from {path}"
