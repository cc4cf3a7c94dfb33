"""Oversight over HTTP: the secretaries' daily review lists and the directory's gaps."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from api.guards import only_roles_allowed_to
from api.problems import Problem
from api.reports import document
from api.schemas import CodeQuery, checked
from api.services import Services
from domain import inputs
from domain.permissions import PERSONAL_DATA_IN, in_departments
from domain.sla import INDIA
from domain.values import MIN_LEVEL, Identity, Language, Role
from projections.agenda import Agenda, Gap, Pool, ReviewLine
from reports.publishing import make_review_report

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
        "/report",
        sync_to_thread=True,
        summary="The review report to the minister: a department's reviews of a day (PDF)",
        guards=[only_roles_allowed_to("review_report", "read a review report")],
    )
    def report(
        self,
        request: Req,
        services: Injected,
        department: CodeQuery = None,
        day: Annotated[date | None, QueryParameter(description="today (India) or before")] = None,
        lang: Annotated[Language, QueryParameter(description="hi (default) or en")] = (
            Language.HINDI
        ),
    ) -> Response[bytes]:
        """The complaints a department's secretary reviewed on `day` (today by default),
        with the secretary's notes and where each stands now (docs/reports.md). A secretary
        reads its department's, a minister its departments' (naming one when it has
        several); the complainant's words are shown only to the roles the permissions table
        lets see them, and each complaint so shown is logged."""
        who = request.user
        department = checked("department", department, inputs.CODE.clean)
        department = department or who.department
        if department is None and len(who.departments) == 1:
            department = who.departments[0]
        if department is None:
            raise Problem(400, "name the department", field="department")
        if not in_departments(who, "review_report", department):
            raise Problem(403, f"department {department} is outside your scope", field="department")
        directory = services.app.directory()
        if department not in directory.departments:
            raise Problem(
                400, f"department {department} is not in the directory", field="department"
            )
        now = services.app.clock()
        today = now.astimezone(INDIA).date()
        day = checked("day", day, inputs.day) or today
        if day > today:
            raise Problem(400, f"day must not be after {today.isoformat()}", field="day")
        personal = who.role in PERSONAL_DATA_IN["review_report"]
        content, version, shown = make_review_report(
            services.pool, directory, now, who.id, department, day, lang.value, personal=personal
        )
        if personal:
            services.looked(who, shown, "GET /v1/reviews/report")
        return document(
            content,
            "application/pdf",
            f"sampark-reviews-{department}-{day.isoformat()}-{lang.value}.pdf",
            version,
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
