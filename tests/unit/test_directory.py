"""The directory: master data as events, validated, and loaded without repeating itself."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from domain.directory import (
    Category,
    Chain,
    Directory,
    Holiday,
    HolidayDeclared,
    PostDefined,
    PostHolderChanged,
    Route,
    RouteRemoved,
)
from domain.errors import InvalidCommand
from domain.sla import Sla
from tests.support import START
from tests.unit import world


def test_loading_the_same_master_data_twice_records_nothing_the_second_time() -> None:
    directory = Directory.create(world.ROOT, START)
    first = directory.load(world.master_data(), world.ROOT, START)
    assert first == len(directory.pending_events) - 1  # all but the creation
    directory.collect_events()
    assert directory.load(world.master_data(), world.ROOT, START) == 0
    assert directory.collect_events() == []


def test_a_changed_file_records_only_its_differences() -> None:
    directory = world.directory()
    data = world.master_data()
    posts = tuple(
        dataclasses.replace(p, holder="Kavita Rathore") if p.id == "PHED-JAI-L1" else p
        for p in data.posts
    )
    assert directory.load(dataclasses.replace(data, posts=posts), world.ROOT, START) == 1
    (changed,) = directory.collect_events()
    assert isinstance(changed, PostDefined)
    assert directory.posts["PHED-JAI-L1"].holder == "Kavita Rathore"


def test_an_officer_transferred_out_leaves_the_post_vacant_then_filled() -> None:
    directory = world.directory()
    directory.change_holder("PHED-JAI-L1", None, world.ROOT, START)
    directory.change_holder("PHED-JAI-L1", "Suresh Meena", world.ROOT, START)
    events = directory.collect_events()
    assert [type(e) for e in events] == [PostHolderChanged, PostHolderChanged]
    assert directory.posts["PHED-JAI-L1"].holder == "Suresh Meena"


@pytest.mark.parametrize(
    ("route", "field"),
    [
        (Route("PHED", None, "JAI", "NO-SUCH-POST"), "post"),
        (Route("PHED", None, "JAI", "ENERGY-JAI-L1"), "post"),  # another department's post
        (Route("PHED", None, "JAI", "PHED-JAI-L2"), "post"),  # not a level-1 post
        (Route("PHED", "potholes", "JAI", "PHED-JAI-L1"), "category"),
        (Route("PHED", None, "XYZ", "PHED-JAI-L1"), "district"),
    ],
)
def test_a_route_must_lead_to_a_level_one_post_of_its_department(route: Route, field: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        world.directory().set_route(route, world.ROOT, START)
    assert refused.value.field == field


def test_a_chain_names_the_level_two_three_and_four_posts_in_order() -> None:
    directory = world.directory()
    with pytest.raises(InvalidCommand) as refused:
        directory.set_chain(
            Chain("PHED", "JAI", ("PHED-HOD", "PHED-JAI-L2", "PHED-STATE")), world.ROOT, START
        )
    assert refused.value.field == "posts[0]"


def test_a_category_allows_some_time_at_every_level() -> None:
    with pytest.raises(InvalidCommand) as refused:
        world.directory().define_category(
            Category("PHED", "tanker", "Water tanker", Sla((0, 1, 1, 1))), world.ROOT, START
        )
    assert refused.value.field == "sla"


def test_an_urgent_factor_shortens_the_clock_and_never_lengthens_it() -> None:
    with pytest.raises(InvalidCommand) as refused:
        world.directory().define_category(
            Category("PHED", "tanker", "Water tanker", Sla((1, 1, 1, 1), urgent_factor=1.5)),
            world.ROOT,
            START,
        )
    assert refused.value.field == "sla"


def test_a_category_without_deadlines_of_its_own_keeps_its_departments() -> None:
    directory = world.directory()
    assert directory.sla("ENERGY", "meter-billing") == directory.departments["ENERGY"].sla
    assert directory.sla("PHED", "water-supply").allowed == world.WATER_DAYS


def test_holidays_are_declared_once_and_can_be_cancelled() -> None:
    directory = world.directory()
    diwali = Holiday(date(2026, 11, 8), "Diwali")
    directory.declare_holiday(diwali, world.ROOT, START)
    directory.declare_holiday(diwali, world.ROOT, START)
    assert [type(e) for e in directory.collect_events()] == [HolidayDeclared]
    assert date(2026, 11, 8) in directory.calendar().holidays
    directory.cancel_holiday(date(2026, 11, 8), world.ROOT, START)
    assert date(2026, 11, 8) not in directory.calendar().holidays
    with pytest.raises(InvalidCommand) as refused:
        directory.cancel_holiday(date(2026, 11, 8), world.ROOT, START)
    assert refused.value.field == "day"


def test_removing_a_route_sends_new_complaints_to_the_pool() -> None:
    directory = world.directory()
    directory.remove_route("PHED", None, "AJM", world.ROOT, START)
    assert isinstance(directory.collect_events()[-1], RouteRemoved)
    assert directory.level_one_post("PHED", "water-supply", "AJM") is None
    assert directory.level_one_post("PHED", "water-supply", "JAI") is not None
