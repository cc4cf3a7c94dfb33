"""Each table's shape is in one place: the tables outside the read models are made and changed
only by the numbered migrations (`infra/migrations/`), never by the module that uses them; the
read schemas' DDL (`projections/schema.sql`) is written for any read schema (`{schema}`)."""

from __future__ import annotations

import re
from pathlib import Path

from infra import migrations

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "projections", "assist", "api", "scheduler", "infra", "reports")
DDL = re.compile(
    r'\b(?:CREATE|ALTER|DROP)\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|SEQUENCE|SCHEMA)\b[^;"]*', re.I
)
MIGRATED = re.compile(r"\b(?:sampark|notify|assist|reports)\b(?!_)")


def test_no_module_makes_or_changes_a_migrated_table() -> None:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix not in (".py", ".sql") or migrations.FOLDER in path.parents:
                continue
            for statement in DDL.findall(path.read_text(encoding="utf-8")):
                if MIGRATED.search(statement):
                    found.append(f"{path.relative_to(ROOT)}: {statement.splitlines()[0]}")
    assert found == [], "DDL of a migrated table outside infra/migrations/"


def test_the_migrations_are_numbered_one_after_another() -> None:
    known = migrations.known()
    assert [m.version for m in known] == list(range(1, len(known) + 1))
    assert all(m.sql.strip() for m in known)
