"""Deadline arithmetic: how long each level has to dispose of a complaint. Pure; no clock.

A service-level agreement (`Sla`) gives the time allowed at L1, L2, L3 and L4 in one unit:
calendar days by default, or working days (skipping weekends and the state's holidays), or
hours, minutes and seconds (for urgent categories, demos and tests). Complaints sent by the
CMO or the VIP cell get a shorter clock: the time allowed times the policy's urgent factor,
rounded up to a whole unit, and never less than one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# India's time: working days, the figures' days, the review lists' mornings and the
# registration numbers' years begin and end at midnight here.
INDIA = ZoneInfo("Asia/Kolkata")
WEEKEND = frozenset({5, 6})  # Saturday and Sunday: state offices work five days a week


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    HOURS = "hours"
    MINUTES = "minutes"
    SECONDS = "seconds"


_LENGTH = {
    Unit.CALENDAR_DAYS: timedelta(days=1),
    Unit.HOURS: timedelta(hours=1),
    Unit.MINUTES: timedelta(minutes=1),
    Unit.SECONDS: timedelta(seconds=1),
}


@dataclass(frozen=True)
class Sla:
    """The time allowed at each level, and how much of it an urgent complaint gets."""

    allowed: tuple[int, int, int, int]  # at L1, L2, L3, L4, in `unit`
    unit: Unit = Unit.CALENDAR_DAYS
    urgent_factor: float = 0.5  # CMO and VIP complaints get this share of the time

    def problem(self) -> str | None:
        """What is wrong with this policy, if anything."""
        if len(self.allowed) != 4 or min(self.allowed) < 1:
            return "allowed needs four whole numbers, one per level, each at least 1"
        if not 0 < self.urgent_factor <= 1:
            return "urgent_factor must be above 0 and at most 1"
        return None


DEFAULT_SLA = Sla(allowed=(7, 7, 7, 7))


@dataclass(frozen=True)
class Calendar:
    """Which days are working days: not a weekend, not one of the state's holidays."""

    holidays: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in WEEKEND and day not in self.holidays

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same time of day, `days` working days later (in India).

        A start on a day off counts from the beginning of the next working day, so a
        complaint filed on a Sunday with one working day is due at the end of Monday.
        """
        local = start.astimezone(INDIA)
        if not self.is_working_day(local.date()):
            local = datetime.combine(self._next_working_day(local.date()), time(), INDIA)
        day = local.date()
        for _ in range(days):
            day = self._next_working_day(day)
        return datetime.combine(day, local.timetz()).astimezone(start.tzinfo)

    def _next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


def time_allowed(sla: Sla, level: int, *, urgent: bool) -> int:
    """How many units a complaint gets at `level`."""
    amount = sla.allowed[level - 1]
    return max(1, math.ceil(amount * sla.urgent_factor)) if urgent else amount


def due_at(sla: Sla, level: int, start: datetime, *, calendar: Calendar, urgent: bool) -> datetime:
    """The moment by which a complaint at `level`, held since `start`, must be disposed of."""
    amount = time_allowed(sla, level, urgent=urgent)
    if sla.unit == Unit.WORKING_DAYS:
        return calendar.add_working_days(start, amount)
    return start + amount * _LENGTH[sla.unit]
