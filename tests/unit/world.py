"""A small directory, built in memory, for the domain's unit tests.

Jaipur and Ajmer have water (PHED) and power (ENERGY) offices; Bikaner has a water office but
no route for power, so power complaints from Bikaner wait in the state-level pool.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from domain.complaint import Complaint
from domain.directory import (
    Category,
    Chain,
    Department,
    Directory,
    District,
    Holiday,
    MasterData,
    Post,
    Route,
)
from domain.sla import Sla, Unit
from domain.values import Actor, Channel, Complainant, Identity, Role
from tests.support import START

ROOT = Actor(id="admin-01", role=Role.ADMIN)
WATER_DAYS = (3, 3, 5, 7)
POWER_DAYS = (1, 2, 3, 5)
WORKING = Unit.WORKING_DAYS
HOLIDAYS = (Holiday(date(2026, 11, 24), "Guru Nanak Jayanti"),)


def _posts(department: str, districts: list[str]) -> list[Post]:
    posts = [
        Post(f"{department}-HOD", "Head of department", department, None, 3, "H. O. D."),
        Post(f"{department}-STATE", "Secretary", department, None, 4, "S. Secretary"),
    ]
    for d in districts:
        posts.append(Post(f"{department}-{d}-L1", "Assistant Engineer", department, d, 1, "A. E."))
        posts.append(Post(f"{department}-{d}-L2", "Executive Engineer", department, d, 2, "X. E."))
    return posts


def master_data() -> MasterData:
    districts = (
        District("JAI", "Jaipur", "Jaipur"),
        District("AJM", "Ajmer", "Ajmer"),
        District("BKN", "Bikaner", "Bikaner"),
    )
    departments = (
        Department("PHED", "Public Health Engineering", "water-supply"),
        Department("ENERGY", "Energy", "power-supply"),
    )
    categories = (
        Category("PHED", "water-supply", "Drinking water supply", Sla(WATER_DAYS)),
        Category("PHED", "contaminated-water", "Contaminated water", Sla((2, 2, 3, 5))),
        Category("PHED", "new-connection", "New connection", Sla((5, 3, 3, 5), WORKING)),
        Category("ENERGY", "power-supply", "Power supply", Sla(POWER_DAYS)),
        Category("ENERGY", "meter-billing", "Billing", None),  # the department's default
    )
    posts = [
        *_posts("PHED", ["JAI", "AJM", "BKN"]),
        *_posts("ENERGY", ["JAI", "AJM"]),
        Post("ENERGY-JAI-CONTROL-ROOM", "AE (Control Room)", "ENERGY", "JAI", 1, None),
    ]
    routes = (
        [Route("PHED", None, d, f"PHED-{d}-L1") for d in ("JAI", "AJM", "BKN")]
        + [Route("ENERGY", None, d, f"ENERGY-{d}-L1") for d in ("JAI", "AJM")]
        + [Route("ENERGY", "power-supply", "JAI", "ENERGY-JAI-CONTROL-ROOM")]
    )
    chains = [
        Chain(dep, d, (f"{dep}-{d}-L2", f"{dep}-HOD", f"{dep}-STATE"))
        for dep, ds in (("PHED", ("JAI", "AJM", "BKN")), ("ENERGY", ("JAI", "AJM")))
        for d in ds
    ]
    return MasterData(
        districts=districts,
        departments=departments,
        categories=categories,
        posts=tuple(posts),
        routes=tuple(routes),
        chains=tuple(chains),
        holidays=HOLIDAYS,
    )


def directory() -> Directory:
    built = Directory.create(ROOT, START)
    built.load(master_data(), ROOT, START)
    built.collect_events()
    return built


def file(
    directory: Directory,
    by: Identity,
    *,
    at: datetime = START,
    registration_no: str = "JAI-2026-0000001",
    **overrides: Any,
) -> Complaint:
    mobile = by.mobile or "9876543210"
    fields: dict[str, Any] = {
        "complainant": Complainant(name="Ramesh Kumar", mobile=mobile),
        "district": "JAI",
        "department": "PHED",
        "category": "water-supply",
        "subject": "No water supply",
        "description": "Taps dry for three days in Ward 12.",
        "channel": Channel.PORTAL,
        "attachments": (),
    }
    fields.update(overrides)
    return Complaint.file(
        by=by, registration_no=registration_no, directory=directory, at=at, **fields
    )
