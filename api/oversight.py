"""Oversight over HTTP: the secretaries' daily review lists and the directory's gaps."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency

from api.guards import only_roles_allowed_to
from api.problems import Problem
from api.schemas import CodeQuery, checked
from api.services import Services
from domain import inputs
from domain.sla import INDIA
from domain.values import MIN_LEVEL, Identity, Role
from projections.agenda import Agenda, Gap, Pool, ReviewLine

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]


class ReviewList(msgspec.Struct, kw_only=True):
    day: date
    department: str
    queued: int  # put on the list by the scheduler this morning
    reviewed: int  # reviewed today, on the list or not
    items: list[ReviewLine]


class VacantPost(msgspec.Struct, kw_only=True):
    post: str
    department: str
    level: int
    chains: int  # escalation chains that lead through it


class VacantRoutePost(msgspec.Struct, kw_only=True):
    post: str
    department: str
    district: str | None
    routes: int  # routes that send new complaints to it
    complaints: int  # open complaints it holds, with nobody to act on them


class Gaps(msgspec.Struct, kw_only=True):
    blocked: list[Gap]  # complaints whose climb waits on the directory, grouped
    vacant_chain_posts: list[VacantPost]  # posts that will block the next climb through them
    vacant_route_posts: list[VacantRoutePost]  # vacant level-1 posts routed to or holding any
    unassigned: list[Pool]  # open complaints no post holds, by department and district


class ReviewController(Controller):
    path = "/v1/reviews"
    tags = ["oversight"]

    @get(
        "/today",
        sync_to_thread=True,
        summary="A secretary's review list for today",
        guards=[only_roles_allowed_to("review_list", "read a review list")],
    )
    def today(self, request: Req, services: Injected, department: CodeQuery = None) -> ReviewList:
        """Each morning the scheduler puts a department's most pressing pending complaints
        (overdue first, high priority first, oldest first) on its secretary's list. A
        secretary sees their own department's; an admin or auditor names one."""
        who = request.user
        department = checked("department", department, inputs.CODE.clean)
        if who.role == Role.SECRETARY:
            if department not in (None, who.department):
                raise Problem(
                    403, "a secretary sees their own department's list", field="department"
                )
            department = who.department
        elif department is None:
            raise Problem(400, "name the department", field="department")
        if department is None:
            raise Problem(403, "this secretary's token names no department")
        day = services.app.clock().astimezone(INDIA).date()
        with services.pool.connection() as conn:
            items = Agenda(conn).review_list(department, day)
        return ReviewList(
            day=day,
            department=department,
            queued=sum(1 for i in items if i.rank is not None),
            reviewed=sum(1 for i in items if i.reviewed_at is not None),
            items=items,
        )


@get(
    "/v1/directory/gaps",
    sync_to_thread=True,
    tags=["directory"],
    summary="Routing gaps",
    guards=[only_roles_allowed_to("directory_gaps", "see the directory's gaps")],
)
def directory_gaps(request: Req, services: Injected) -> Gaps:
    """Where the directory leaves complaints with nobody to act: complaints held with their
    holder because the next post of the chain is missing or vacant, and the vacant posts
    that would hold the next ones (fill the post, or set the chain, and the scheduler moves
    the held complaints at its next scan); vacant level-1 posts that routes send complaints
    to or that still hold some, with the complaints they hold; and the unassigned pool (no
    route, or a transfer to a department without one) by department and district, for an
    admin to assign or route."""
    directory = services.app.directory()
    through: dict[str, int] = {}
    for chain in directory.chains.values():
        for post in chain.posts:
            through[post] = through.get(post, 0) + 1
    vacant = [
        VacantPost(post=p.id, department=p.department, level=p.level, chains=through[p.id])
        for p in sorted(directory.posts.values(), key=lambda p: p.id)
        if p.holder is None and p.id in through
    ]
    routed: dict[str, int] = {}
    for route in directory.routes.values():
        routed[route.post] = routed.get(route.post, 0) + 1
    vacant_first = [
        p
        for p in sorted(directory.posts.values(), key=lambda p: p.id)
        if p.holder is None and p.level == MIN_LEVEL
    ]
    with services.pool.connection() as conn:
        agenda = Agenda(conn)
        blocked = agenda.gaps()
        held = agenda.held_by([p.id for p in vacant_first])
        pool = agenda.unassigned()
    vacant_routed = [p for p in vacant_first if p.id in routed or p.id in held]
    return Gaps(
        blocked=blocked,
        vacant_chain_posts=vacant,
        vacant_route_posts=[
            VacantRoutePost(
                post=p.id,
                department=p.department,
                district=p.district,
                routes=routed.get(p.id, 0),
                complaints=held.get(p.id, 0),
            )
            for p in vacant_routed
        ],
        unassigned=pool,
    )
