"""Prints the permissions table (`domain/permissions.py`) as markdown, for docs/security.md.
`tests/unit/test_docs.py` checks the document holds exactly this.

    python scripts/permissions_table.py
"""

from __future__ import annotations

from domain.permissions import PERMISSIONS, SERVICES, Scope
from domain.values import Role

ROLES = [r for r in Role if r != Role.SYSTEM]


def _rows(title: str, table: dict[str, dict[Role, Scope]]) -> list[str]:
    lines = [
        f"| {title} | " + " | ".join(r.value for r in ROLES) + " |",
        "| --- |" + " --- |" * len(ROLES),
    ]
    for action, roles in table.items():
        if set(roles) == {Role.SYSTEM}:
            continue
        cells = [roles[r].value if r in roles else "-" for r in ROLES]
        lines.append(f"| `{action}` | " + " | ".join(cells) + " |")
    return lines


def table() -> str:
    return (
        "\n".join(
            [
                *_rows("action on a complaint", PERMISSIONS),
                "",
                *_rows("endpoint on no one complaint", SERVICES),
            ]
        )
        + "\n"
    )


if __name__ == "__main__":
    print(table(), end="")
