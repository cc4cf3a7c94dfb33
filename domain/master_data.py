"""A master-data file read by the same input rules as the directory's HTTP commands.

Codes are codes, names are names (NFC, no control characters), a post's mobile is a mobile
number and a holiday falls on a day the system reasons about. A broken value is an
`InvalidCommand` naming where it is, as `posts[3].mobile`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from domain import inputs
from domain.directory import (
    Category,
    Chain,
    Department,
    District,
    DiwasSession,
    Holiday,
    MasterData,
    Post,
    Route,
)
from domain.guarantee import NotifiedService

Rule = Callable[[Any, str], Any]

# Each field of each record, and the rule it obeys; a field not named has no input rule.
RULES: dict[type, dict[str, Rule]] = {
    District: {
        "code": inputs.CODE.clean,
        "name": inputs.NAME.clean,
        "division": inputs.NAME.clean,
        "name_hi": inputs.NAME.clean,
    },
    Department: {
        "code": inputs.CODE.clean,
        "name": inputs.NAME.clean,
        "default_category": inputs.CODE.clean,
        "name_hi": inputs.NAME.clean,
    },
    Category: {
        "department": inputs.CODE.clean,
        "code": inputs.CODE.clean,
        "name": inputs.NAME.clean,
        "name_hi": inputs.NAME.clean,
    },
    Post: {
        "id": inputs.CODE.clean,
        "designation": inputs.NAME.clean,
        "department": inputs.CODE.clean,
        "district": inputs.CODE.clean,
        "holder": inputs.NAME.clean,
        "mobile": inputs.MOBILE.clean,
        "name_hi": inputs.NAME.clean,
    },
    Route: {
        "department": inputs.CODE.clean,
        "category": inputs.CODE.clean,
        "district": inputs.CODE.clean,
        "post": inputs.CODE.clean,
    },
    Chain: {
        "department": inputs.CODE.clean,
        "district": inputs.CODE.clean,
        "posts": lambda posts, field: tuple(
            inputs.CODE.clean(post, f"{field}[{index}]") for index, post in enumerate(posts)
        ),
    },
    Holiday: {"day": inputs.day, "name": inputs.NAME.clean},
    NotifiedService: {
        "code": inputs.CODE.clean,
        "name": inputs.NAME.clean,
        "department": inputs.CODE.clean,
        "category": inputs.CODE.clean,
        "designated_officer": inputs.NAME.clean,
        "first_appeal_officer": inputs.NAME.clean,
        "second_appeal_authority": inputs.NAME.clean,
    },
    DiwasSession: {
        "district": inputs.CODE.clean,
        "starts_at": inputs.moment,
        "place": inputs.NAME.clean,
    },
}


def _record(record: Any, where: str) -> Any:
    changes = {}
    for name, rule in RULES[type(record)].items():
        value = getattr(record, name)
        if value is not None:
            clean = rule(value, f"{where}.{name}")
            if clean != value:
                changes[name] = clean
    return dataclasses.replace(record, **changes) if changes else record


def checked(data: MasterData) -> MasterData:
    """`data` with every value by its rule (text in NFC), or `InvalidCommand` naming it."""
    return dataclasses.replace(
        data,
        **{
            part.name: tuple(
                _record(record, f"{part.name}[{index}]")
                for index, record in enumerate(getattr(data, part.name))
            )
            for part in dataclasses.fields(data)
        },
    )
