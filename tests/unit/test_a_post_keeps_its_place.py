"""A post keeps its place: routes and chains point to a post because of where it sits (its
department, district and level), so redefining it may rename it or change its holder, never
move it. A post that moves is a new post."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from domain.directory import Post, PostDefined
from domain.errors import InvalidCommand
from tests.support import START, citizen
from tests.unit import world

JAIPUR_AE = "PHED-JAI-L1"  # the level-1 water post the Jaipur water route leads to


def test_a_post_may_be_renamed_and_change_hands_where_it_sits() -> None:
    directory = world.directory()
    before = directory.posts[JAIPUR_AE]
    renamed = dataclasses.replace(
        before, designation="Assistant Engineer (Water), Jaipur", holder="Kavita Rathore"
    )
    directory.define_post(renamed, world.ROOT, START)
    (defined,) = directory.collect_events()
    assert isinstance(defined, PostDefined)
    assert directory.posts[JAIPUR_AE] == renamed


@pytest.mark.parametrize(
    ("move", "field"),
    [
        ({"department": "ENERGY"}, "department"),  # into another department
        ({"district": "AJM"}, "district"),  # into another district
        ({"district": None}, "district"),  # up to the state level
        ({"level": 3}, "level"),  # up the chain
        ({"department": "ENERGY", "district": "AJM", "level": 3}, "department"),
    ],
)
def test_a_post_that_routes_lead_to_cannot_be_moved_by_redefining_it(
    move: dict[str, object], field: str
) -> None:
    directory = world.directory()
    before = directory.posts[JAIPUR_AE]
    moved = dataclasses.replace(before, designation="Sub Inspector", **move)
    with pytest.raises(InvalidCommand, match="keeps its place") as refused:
        directory.define_post(moved, world.ROOT, START)
    assert refused.value.field == field
    assert directory.collect_events() == []
    assert directory.posts[JAIPUR_AE] == before
    # The next Jaipur water complaint still lands where the route says: level 1, water.
    complaint = world.file(directory, citizen("9876543210"), at=START + timedelta(hours=1))
    assert (complaint.holder, complaint.level) == (JAIPUR_AE, 1)


def test_a_master_data_file_that_moves_a_post_is_refused_whole() -> None:
    directory = world.directory()
    data = world.master_data()
    posts = tuple(dataclasses.replace(p, level=2) if p.id == JAIPUR_AE else p for p in data.posts)
    with pytest.raises(InvalidCommand) as refused:
        directory.load(dataclasses.replace(data, posts=posts), world.ROOT, START)
    assert refused.value.field == "level"
    assert directory.posts[JAIPUR_AE].level == 1


def test_a_post_that_moves_is_a_new_post() -> None:
    directory = world.directory()
    elsewhere = Post("PHED-AJM-L1-B", "Assistant Engineer", "PHED", "AJM", 1, "Neha Saini")
    directory.define_post(elsewhere, world.ROOT, START)
    assert directory.posts["PHED-AJM-L1-B"] == elsewhere
    assert directory.posts[JAIPUR_AE].district == "JAI"
