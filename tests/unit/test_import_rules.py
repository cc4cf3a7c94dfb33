"""The house's rules, read from the source (`docs/architecture.md`, "The packages"): the
domain imports nothing of ours and nothing outside the standard library and eventsourcing;
each package imports only the packages below it; only the composition root (`infra/run/`)
imports `api`, `projections` and `scheduler` together, and nothing else imports it."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = ("domain", "projections", "assist", "reports", "api", "scheduler", "infra")
COMPOSITION_ROOT = "infra.run"
DOMAIN_LIBRARIES = {"eventsourcing"}  # besides the standard library
# Which of our packages each may import (itself included); the composition root, all.
MAY_IMPORT = {
    "domain": {"domain"},
    "infra": {"infra", "domain"},
    "projections": {"projections", "infra", "domain"},
    "assist": {"assist", "projections", "infra", "domain"},
    "reports": {"reports", "projections", "infra", "domain"},
    "scheduler": {"scheduler", "assist", "reports", "projections", "infra", "domain"},
    "api": {"api", "assist", "reports", "projections", "infra", "domain"},
    COMPOSITION_ROOT: {*OURS, COMPOSITION_ROOT},
}


def part_of(module: str) -> str:
    """The package a module belongs to, for the rules: the composition root counts apart
    from the rest of `infra` (nothing but itself may import it)."""
    if module == COMPOSITION_ROOT or module.startswith(COMPOSITION_ROOT + "."):
        return COMPOSITION_ROOT
    return module.split(".", maxsplit=1)[0]


def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def imported(path: Path) -> tuple[tuple[int, str], ...]:
    """Each module a file imports, absolute, with its line (relative imports resolved)."""
    return tuple(_imported(path))


def _imported(path: Path) -> Iterator[tuple[int, str]]:
    package = module_of(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                yield node.lineno, ".".join([*base, *([node.module] if node.module else [])])
            else:
                assert node.module is not None
                yield node.lineno, node.module


def sources() -> list[Path]:
    return sorted(p for package in OURS for p in (ROOT / package).rglob("*.py"))


def test_the_rules_cover_every_source_file() -> None:
    assert len(sources()) > 50  # the walk finds the code (it would pass vacuously otherwise)


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_module_imports_only_what_its_package_may(path: Path) -> None:
    module = module_of(path)
    allowed = MAY_IMPORT[part_of(module)]
    broken = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for line, name in imported(path)
        if name.split(".")[0] in OURS and part_of(name) not in allowed
    ]
    assert not broken, f"{module} may import only {sorted(allowed)}: " + "; ".join(broken)


@pytest.mark.parametrize(
    "path", sorted((ROOT / "domain").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_the_domain_needs_only_the_standard_library_and_eventsourcing(path: Path) -> None:
    foreign = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for line, name in imported(path)
        if (top := name.split(".")[0]) != "domain"
        and top not in sys.stdlib_module_names
        and top not in DOMAIN_LIBRARIES
    ]
    assert not foreign, "; ".join(foreign)


def test_only_the_composition_root_imports_the_api() -> None:
    outside = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sources()
        if not module_of(path).startswith(("api", COMPOSITION_ROOT))
        for line, name in imported(path)
        if name == "api" or name.startswith("api.")
    ]
    assert not outside, "imports api outside infra/run/: " + ", ".join(outside)
