"""Helpers the tests share: a clock the test turns, identities, and sample requests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.access import citizen as citizen_identity
from domain.values import Identity, Role

START = datetime(2026, 11, 2, 4, 30, tzinfo=UTC)  # 10:00 in Jaipur, a Monday


@dataclass
class TurnableClock:
    """Time stands still until the test moves it; every reading is a little later."""

    now: datetime = START
    tick: timedelta = field(default=timedelta(milliseconds=1))

    def __call__(self) -> datetime:
        self.now += self.tick
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


_mobiles = itertools.count(9_000_000_001)


def new_mobile() -> str:
    return str(next(_mobiles))


def citizen(mobile: str) -> Identity:
    return citizen_identity(mobile)


OPERATOR = Identity(id="helpline-181-agent-07", role=Role.OPERATOR)
JAIPUR_WATER_OFFICER = Identity(
    id="ae-phed-jaipur", role=Role.OFFICER, post="PHED-JAI-L1", district="JAI", department="PHED"
)
JAIPUR_WATER_L2 = Identity(
    id="xen-phed-jaipur", role=Role.OFFICER, post="PHED-JAI-L2", district="JAI", department="PHED"
)
AJMER_WATER_OFFICER = Identity(
    id="ae-phed-ajmer", role=Role.OFFICER, post="PHED-AJM-L1", district="AJM", department="PHED"
)
JAIPUR_POWER_OFFICER = Identity(
    id="ae-energy-jaipur",
    role=Role.OFFICER,
    post="ENERGY-JAI-L1",
    district="JAI",
    department="ENERGY",
)
JAIPUR_COLLECTOR = Identity(id="collector-jaipur", role=Role.COLLECTOR, district="JAI")
AJMER_COLLECTOR = Identity(id="collector-ajmer", role=Role.COLLECTOR, district="AJM")
WATER_HEAD = Identity(id="ce-phed", role=Role.DEPARTMENT_HEAD, department="PHED")
POWER_HEAD = Identity(id="md-discom", role=Role.DEPARTMENT_HEAD, department="ENERGY")
WATER_SECRETARY = Identity(id="acs-phed", role=Role.SECRETARY, department="PHED")
WATER_MINISTER = Identity(id="minister-phed", role=Role.MINISTER, departments=("ENERGY", "PHED"))
ANALYST = Identity(id="analyst-01", role=Role.ANALYST)
AUDITOR = Identity(id="auditor-01", role=Role.AUDITOR)
ADMIN = Identity(id="admin-01", role=Role.ADMIN)


def water_complaint(mobile: str, **overrides: Any) -> dict[str, Any]:
    """The body of `POST /v1/complaints` for a Jaipur water-supply complaint."""
    body: dict[str, Any] = {
        "complainant": {"name": "Ramesh Kumar", "mobile": mobile},
        "district": "JAI",
        "department": "PHED",
        "category": "water-supply",
        "subject": "No water supply for three days",
        "description": "Ward 12, Malviya Nagar: taps dry since Monday.",
        "channel": "portal",
    }
    body.update(overrides)
    return body
