"""The routing map's health (`GET /v1/assist/routing`) is what the event store says, and a
cell whose complaints officers keep moving to one place suggests that route."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any
from uuid import UUID

import psycopg
from litestar.testing import TestClient

from api.services import Services
from domain.complaint import Complaint
from domain.errors import DomainError
from domain.values import Channel, Complainant
from projections.rebuild import complaints_in_store, decoded_one
from tests.conftest import Pipeline, Tokens
from tests.support import ADMIN, OPERATOR

PLACES = [("JAI", "PHED", "water-supply"), ("AJM", "PHED", "water-supply")]
PLACES += [("JAI", "ENERGY", "power-supply"), ("AJM", "ENERGY", "power-supply")]


def file(services: Services, place: tuple[str, str, str], n: int) -> UUID:
    district, department, category = place
    return services.app.file_complaint(
        by=ADMIN,
        complainant=Complainant(name="Sita Devi", mobile=f"98{n:08d}"),
        district=district,
        department=department,
        category=category,
        subject="Supply",
        description="Nothing for days",
        channel=Channel.PORTAL,
    ).id


def posts_of(services: Services, c: Complaint) -> list[str]:
    return sorted(
        p.id
        for p in services.app.directory().posts.values()
        if p.department == c.department and p.district in (None, c.district)
    )


def slow_health(database: str) -> dict[tuple[str, str, str], Any]:
    """Fold every complaint with the domain's aggregate, one event at a time, and look at
    what changed: where the map put it, and the first time an officer moved it."""
    routed: Counter[tuple[str, str, str]] = Counter()
    moves: dict[tuple[str, str, str], Counter[tuple[Any, ...]]] = {}
    with psycopg.connect(database) as conn:
        for stored in complaints_in_store(conn):
            c: Complaint | None = None
            cell: tuple[str, str, str] | None = None
            mapped, moved = None, False
            for event in map(decoded_one, stored):
                before = c.department if c is not None else None  # mutate works in place
                c = event.mutate(c)
                assert c is not None
                name = type(event).__name__
                if moved:
                    continue
                if name == "Filed":
                    cell = (c.district, c.department, c.category)
                elif name == "Triaged" or (name == "Assigned" and event.trigger == "route"):
                    cell, mapped = (c.district, c.department, c.category), c.holder
                elif before is not None and c.department != before:
                    moves.setdefault(cell, Counter())[("category", c.department, c.category)] += 1
                    moved = True
                elif name == "Assigned" and mapped is None:
                    mapped = c.holder  # from the pool: there was no map to correct
                elif name == "Assigned" and c.holder != mapped:
                    moves.setdefault(cell, Counter())[("post", c.department, c.holder)] += 1
                    moved = True
            if cell is not None:
                routed[cell] += 1
    return {cell: (routed[cell], dict(found)) for cell, found in moves.items()}


def test_the_routing_health_is_what_the_event_store_says(
    client: TestClient[Any],
    services: Services,
    pipeline: Pipeline,
    tokens: Tokens,
    database: str,
) -> None:
    rng = random.Random(16)
    app = services.app
    complaints = [file(services, PLACES[1 + i % 3], i) for i in range(12)]  # not Jaipur water
    # Six Jaipur water complaints routed to the map's post and moved by hand to one other.
    misrouted = [file(services, PLACES[0], 100 + i) for i in range(6)]
    other = next(
        p
        for p in posts_of(services, app.complaint(misrouted[0]))
        if p != app.complaint(misrouted[0]).holder
    )
    for complaint_id in misrouted:
        app.assign(complaint_id, by=ADMIN, post=other)
    for _ in range(40):
        complaint_id = rng.choice(complaints)
        c = app.complaint(complaint_id)
        try:
            if rng.random() < 0.5:
                to = "ENERGY" if c.department == "PHED" else "PHED"
                app.transfer(
                    complaint_id, by=ADMIN, department=to, category=None, reason="not ours"
                )
            else:
                app.assign(complaint_id, by=ADMIN, post=rng.choice(posts_of(services, c)))
        except DomainError:
            pass
    pipeline.settle()

    assert client.get("/v1/assist/routing", headers=tokens.headers(OPERATOR)).status_code == 403
    answer = client.get("/v1/assist/routing", headers=tokens.headers(ADMIN))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    got = {
        (c["district"], c["department"], c["category"]): (
            c["routed"],
            {
                (
                    d["kind"],
                    d["department"],
                    d["post"] if d["kind"] == "post" else d["category"],
                ): d["complaints"]
                for d in c["destinations"]
            },
        )
        for c in body["cells"]
    }
    assert got == slow_health(database)
    assert all(c["moved"] == sum(d["complaints"] for d in c["destinations"]) for c in body["cells"])

    jaipur_water = next(
        c for c in body["cells"] if (c["district"], c["category"]) == ("JAI", "water-supply")
    )
    assert jaipur_water["moved"] == 6
    assert jaipur_water["suggestion"] == {
        "action": "set_route",
        "department": "PHED",
        "category": "water-supply",
        "district": "JAI",
        "post": other,
        "to_department": None,
        "to_category": None,
    }
    assert all(
        c["suggestion"] is None
        for c in body["cells"]
        if max(d["complaints"] for d in c["destinations"]) < body["enough"]
    )
