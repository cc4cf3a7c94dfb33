"""Array parameters as PostgreSQL array literals.

psycopg adapts a list element by element in Python (80 µs for the eleven short lists of one
recorded command, a third of a filing's Python time; most of a rebuild batch's counters);
a literal is one string, and PostgreSQL parses it in C. Cast it in the statement:
`%s::uuid[]`, `%s::bytea[]`, `%s::date[]`.
"""

from __future__ import annotations

from collections.abc import Iterable


def array_literal(values: Iterable[object]) -> str:
    return "{" + ",".join(map(_element, values)) + "}"


def _element(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return '"\\\\x' + value.hex() + '"'
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
