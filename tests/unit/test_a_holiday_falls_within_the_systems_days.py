"""A holiday is a day the working-day deadlines skip: it must be one of the days the system
reasons about (2000 to 2099, as every other day that comes in), not a slip of the keyboard."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from domain.directory import Holiday, HolidayDeclared
from domain.errors import InvalidCommand
from domain.inputs import FIRST_DAY, LAST_DAY
from tests.support import START
from tests.unit import world


@pytest.mark.parametrize("day", [date(524, 1, 2), date(1999, 12, 31), date(2100, 1, 1)])
def test_a_holiday_outside_the_systems_days_is_refused_naming_the_day(day: date) -> None:
    directory = world.directory()
    with pytest.raises(InvalidCommand) as refused:
        directory.declare_holiday(Holiday(day, "Old"), world.ROOT, START)
    assert refused.value.field == "day"
    assert directory.collect_events() == []
    assert day not in directory.holidays


@pytest.mark.parametrize("day", [FIRST_DAY, date(2027, 1, 26), LAST_DAY])
def test_a_holiday_within_them_is_declared(day: date) -> None:
    directory = world.directory()
    directory.declare_holiday(Holiday(day, "Republic Day"), world.ROOT, START)
    (declared,) = directory.collect_events()
    assert isinstance(declared, HolidayDeclared)


def test_a_master_data_file_with_a_holiday_out_of_range_is_refused() -> None:
    data = world.master_data()
    bad = dataclasses.replace(data, holidays=(*data.holidays, Holiday(date(1947, 8, 15), "x")))
    with pytest.raises(InvalidCommand) as refused:
        world.directory().load(bad, world.ROOT, START)
    assert refused.value.field == "day"
