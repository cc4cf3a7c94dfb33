"""A route change is suggested only when one destination takes a clear majority of a cell's
moves and enough complaints (`assist/routing.py`)."""

from __future__ import annotations

from collections import Counter

from assist.routing import ENOUGH, MAJORITY, CellHealth, Destination

TO_L2 = Destination("post", "PHED", post="PHED-JAI-L2")
TO_POWER = Destination("category", "ENERGY", "power-supply")


def cell(**moves: int) -> CellHealth:
    destinations = Counter({TO_L2: moves.get("l2", 0), TO_POWER: moves.get("power", 0)})
    return CellHealth("JAI", "PHED", "water-supply", 100, sum(destinations.values()), destinations)


def test_a_clear_majority_of_enough_complaints_suggests_its_destination() -> None:
    assert cell(l2=ENOUGH).suggestion() == TO_L2
    assert cell(power=8, l2=4).suggestion() == TO_POWER  # two thirds


def test_too_few_or_no_clear_majority_suggests_nothing() -> None:
    assert cell(l2=ENOUGH - 1).suggestion() is None
    assert cell(l2=10, power=10).suggestion() is None
    below = int(MAJORITY * 30) - 1
    assert cell(l2=below, power=30 - below).suggestion() is None
    assert cell().suggestion() is None
