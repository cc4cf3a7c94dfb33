"""Prints the permissions table (`domain/permissions.py`) as markdown, for docs/security.md.
`tests/unit/test_docs.py` checks the document holds exactly this.

    python scripts/permissions_table.py
"""

from __future__ import annotations

from domain.permissions import PERMISSIONS
from domain.values import Role

ROLES = [r for r in Role if r != Role.SYSTEM]


def table() -> str:
    lines = [
        "| action | " + " | ".join(r.value for r in ROLES) + " |",
        "| --- |" + " --- |" * len(ROLES),
    ]
    for action, roles in PERMISSIONS.items():
        if set(roles) == {Role.SYSTEM}:
            continue
        cells = [roles[r].value if r in roles else "-" for r in ROLES]
        lines.append(f"| `{action}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(), end="")
