"""The directory over HTTP: anyone signed in reads it; only admins change it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from msgspec import Meta

from api import schemas
from api.guards import only_roles_allowed_to
from api.idempotency import receipt_for, run_once
from api.problems import Problem
from api.schemas import ActorOut, Base, Code, Mobile, Name, checked
from api.services import Services
from domain import guarantee, inputs
from domain.directory import (
    Category,
    Chain,
    Department,
    Directory,
    District,
    DiwasSession,
    Holiday,
    Post,
    Route,
)
from domain.guarantee import NotifiedService
from domain.sla import DEFAULT_SLA, Sla, Unit
from domain.values import Identity
from infra import cursors
from infra.eventstore.codec import event_fields

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]
Level = Annotated[int, Meta(ge=1, le=4)]
Amount = Annotated[int, Meta(ge=1, le=1_000_000)]


class SlaIn(Base):
    """Time allowed at L1..L4 in `unit`; CMO and VIP complaints get `urgent_factor` of it."""

    allowed: Annotated[list[Amount], Meta(min_length=4, max_length=4)]
    unit: Unit = Unit.CALENDAR_DAYS
    urgent_factor: Annotated[float, Meta(gt=0, le=1)] = 0.5

    def policy(self) -> Sla:
        a = self.allowed
        return Sla(
            allowed=(a[0], a[1], a[2], a[3]), unit=self.unit, urgent_factor=self.urgent_factor
        )


class DistrictIn(Base):
    code: Code
    name: Name
    division: Name
    name_hi: Name | None = None  # the name in Hindi (null: not given)


class DepartmentIn(Base):
    code: Code
    name: Name
    default_category: Code
    sla: SlaIn | None = None  # None: 7 calendar days at each level
    name_hi: Name | None = None


class CategoryIn(Base):
    department: Code
    code: Code
    name: Name
    sla: SlaIn | None = None  # None: the department's
    name_hi: Name | None = None


class ServiceIn(Base):
    """A service notified under the Public Services Guarantee Act (docs/guarantee.md)."""

    code: Code
    name: Name
    department: Code
    category: Code  # the complaints about the service are of this category
    stipulated_days: Annotated[int, Meta(ge=1, le=guarantee.MAX_STIPULATED_DAYS)]
    designated_officer: Name
    first_appeal_officer: Name
    second_appeal_authority: Name


class HolidayIn(Base):
    day: date
    name: Name


class HolidayKey(Base):
    day: date


class DiwasIn(Base):
    """A district's Rajasthan Sampark Diwas (docs/hearings.md)."""

    district: Code
    starts_at: Annotated[datetime, Meta(tz=True)]
    place: Name


class PostIn(Base):
    id: Code
    designation: Name
    department: Code
    level: Level
    district: Code | None = None
    holder: Name | None = None
    mobile: Mobile | None = None
    name_hi: Name | None = None  # the designation in Hindi


class HolderIn(Base):
    """Who holds the post now (null: vacant) and their mobile, where the post hears of its
    complaints (null or left out: in the inbox only). The previous holder's number goes."""

    holder: Name | None
    mobile: Mobile | None = None


class RouteIn(Base):
    department: Code
    district: Code
    post: Code
    category: Code | None = None


class RouteKey(Base):
    department: Code
    district: Code
    category: Code | None = None


class ChainIn(Base):
    department: Code
    district: Code
    posts: Annotated[list[Code], Meta(min_length=3, max_length=3)]


class DirectoryChange(msgspec.Struct):
    version: int


class DirectoryEntry(msgspec.Struct, kw_only=True):
    version: int
    type: str
    time: datetime
    actor: ActorOut
    data: dict[str, Any]


class DirectoryPage(msgspec.Struct, kw_only=True):
    items: list[DirectoryEntry]
    next_cursor: str | None


def _change(
    services: Injected,
    request: Req,
    data: msgspec.Struct,
    change: Callable[[Directory, datetime], object],
) -> Response[Any]:
    def write(receipt: dict[str, Any]) -> Directory:
        return services.app.change_directory(request.user, change, recorded_with=receipt)

    def answer(directory: Directory) -> Response[Any]:
        return Response(DirectoryChange(version=directory.version), status_code=200)

    def replay(_: UUID, version: int) -> Response[Any]:
        return Response(DirectoryChange(version=version), status_code=200)

    receipt = receipt_for(request, request.user, msgspec.json.encode(data))
    return run_once(services.receipts, receipt, write, answer, replay)


def _filtered(items: list[Any], **wanted: Any) -> list[Any]:
    return [
        item
        for item in items
        if all(value is None or getattr(item, key) == value for key, value in wanted.items())
    ]


class DirectoryController(Controller):
    path = "/v1/directory"
    tags = ["directory"]

    # --- reading ------------------------------------------------------------------------

    @get("/districts", sync_to_thread=True)
    def districts(self, services: Injected) -> list[District]:
        return sorted(services.app.directory().districts.values(), key=lambda d: d.name)

    @get("/departments", sync_to_thread=True)
    def departments(self, services: Injected) -> list[Department]:
        return sorted(services.app.directory().departments.values(), key=lambda d: d.code)

    @get("/categories", sync_to_thread=True)
    def categories(
        self, services: Injected, department: FromQuery[str | None] = None
    ) -> list[Category]:
        items = sorted(
            services.app.directory().categories.values(), key=lambda c: (c.department, c.code)
        )
        return _filtered(items, department=department)

    @get("/posts", sync_to_thread=True)
    def posts(
        self,
        services: Injected,
        department: FromQuery[str | None] = None,
        district: FromQuery[str | None] = None,
        level: FromQuery[int | None] = None,
    ) -> list[Post]:
        items = sorted(services.app.directory().posts.values(), key=lambda p: p.id)
        return _filtered(items, department=department, district=district, level=level)

    @get("/posts/{post_id:str}", sync_to_thread=True)
    def post_detail(self, services: Injected, post_id: FromPath[str]) -> Post:
        found = services.app.directory().posts.get(post_id)
        if found is None:
            raise Problem(404, f"no post {post_id!r}")
        return found

    @get("/routes", sync_to_thread=True)
    def routes(
        self,
        services: Injected,
        department: FromQuery[str | None] = None,
        district: FromQuery[str | None] = None,
    ) -> list[Route]:
        items = sorted(
            services.app.directory().routes.values(),
            key=lambda r: (r.department, r.district, r.category or ""),
        )
        return _filtered(items, department=department, district=district)

    @get("/chains", sync_to_thread=True)
    def chains(
        self,
        services: Injected,
        department: FromQuery[str | None] = None,
        district: FromQuery[str | None] = None,
    ) -> list[Chain]:
        items = sorted(
            services.app.directory().chains.values(), key=lambda c: (c.department, c.district)
        )
        return _filtered(items, department=department, district=district)

    @get("/holidays", sync_to_thread=True, summary="The state's holidays (not working days)")
    def holidays(self, services: Injected, year: FromQuery[int | None] = None) -> list[Holiday]:
        items = sorted(services.app.directory().holidays.values(), key=lambda h: h.day)
        return [h for h in items if year is None or h.day.year == year]

    @get("/diwas", sync_to_thread=True, summary="Rajasthan Sampark Diwas sessions")
    def diwas(
        self,
        services: Injected,
        district: FromQuery[str | None] = None,
        year: FromQuery[int | None] = None,
    ) -> list[DiwasSession]:
        items = sorted(
            services.app.directory().diwas.values(), key=lambda s: (s.starts_at, s.district)
        )
        return [
            s
            for s in _filtered(items, district=district)
            if year is None or s.starts_at.year == year
        ]

    @get(
        "/timeline",
        sync_to_thread=True,
        summary="Every change to the directory: who, what, when",
        guards=[only_roles_allowed_to("directory_history", "read the directory's history")],
    )
    def timeline(
        self,
        request: Req,
        services: Injected,
        cursor: schemas.Cursor = None,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 200,
    ) -> DirectoryPage:
        """The directory's changes, oldest first, a page at a time (`next_cursor`)."""
        try:
            after = cursors.decode(cursor, cursors.number)[0] if cursor is not None else None
        except ValueError as bad:
            raise Problem(400, str(bad), field="cursor") from None
        events = services.app.directory_timeline(after=after, limit=limit + 1)
        page = events[:limit]
        return DirectoryPage(
            items=[
                DirectoryEntry(
                    version=e.originator_version,
                    type=type(e).__name__,
                    time=e.timestamp,
                    actor=ActorOut(id=e.actor.id, role=e.actor.role),  # type: ignore[attr-defined]
                    data=event_fields(e),
                )
                for e in page
            ],
            next_cursor=cursors.encode(page[-1].originator_version)
            if len(events) > limit
            else None,
        )

    # --- changing (admins) --------------------------------------------------------------

    @post("/districts", sync_to_thread=True, status_code=200)
    def define_district(
        self, request: Req, services: Injected, data: JSONBody[DistrictIn]
    ) -> Response[Any]:
        district = District(
            code=data.code, name=data.name, division=data.division, name_hi=data.name_hi
        )
        return _change(
            services,
            request,
            data,
            lambda d, at: d.define_district(district, request.user.actor, at),
        )

    @post("/departments", sync_to_thread=True, status_code=200)
    def define_department(
        self, request: Req, services: Injected, data: JSONBody[DepartmentIn]
    ) -> Response[Any]:
        department = Department(
            code=data.code,
            name=data.name,
            default_category=data.default_category,
            sla=data.sla.policy() if data.sla else DEFAULT_SLA,
            name_hi=data.name_hi,
        )
        return _change(
            services,
            request,
            data,
            lambda d, at: d.define_department(department, request.user.actor, at),
        )

    @post("/categories", sync_to_thread=True, status_code=200)
    def define_category(
        self, request: Req, services: Injected, data: JSONBody[CategoryIn]
    ) -> Response[Any]:
        category = Category(
            department=data.department,
            code=data.code,
            name=data.name,
            sla=data.sla.policy() if data.sla else None,
            name_hi=data.name_hi,
        )
        return _change(
            services,
            request,
            data,
            lambda d, at: d.define_category(category, request.user.actor, at),
        )

    @post("/posts", sync_to_thread=True, status_code=200)
    def define_post(
        self, request: Req, services: Injected, data: JSONBody[PostIn]
    ) -> Response[Any]:
        post_ = Post(
            id=data.id,
            designation=data.designation,
            department=data.department,
            district=data.district,
            level=data.level,
            holder=data.holder,
            mobile=data.mobile,
            name_hi=data.name_hi,
        )
        return _change(
            services, request, data, lambda d, at: d.define_post(post_, request.user.actor, at)
        )

    @post(
        "/posts/{post_id:str}/holder",
        sync_to_thread=True,
        status_code=200,
        summary="An officer takes over a post",
    )
    def change_holder(
        self,
        request: Req,
        services: Injected,
        post_id: FromPath[str],
        data: JSONBody[HolderIn],
    ) -> Response[Any]:
        return _change(
            services,
            request,
            data,
            lambda d, at: d.change_holder(
                post_id, data.holder, request.user.actor, at, mobile=data.mobile
            ),
        )

    @post("/routes", sync_to_thread=True, status_code=200)
    def set_route(self, request: Req, services: Injected, data: JSONBody[RouteIn]) -> Response[Any]:
        route = Route(
            department=data.department,
            category=data.category,
            district=data.district,
            post=data.post,
        )
        return _change(
            services, request, data, lambda d, at: d.set_route(route, request.user.actor, at)
        )

    @post("/routes/remove", sync_to_thread=True, status_code=200)
    def remove_route(
        self, request: Req, services: Injected, data: JSONBody[RouteKey]
    ) -> Response[Any]:
        return _change(
            services,
            request,
            data,
            lambda d, at: d.remove_route(
                data.department, data.category, data.district, request.user.actor, at
            ),
        )

    @get(
        "/services",
        sync_to_thread=True,
        summary="The services notified under the Public Services Guarantee Act",
    )
    def notified_services(
        self, services: Injected, department: FromQuery[str | None] = None
    ) -> list[NotifiedService]:
        items = sorted(
            services.app.directory().services.values(), key=lambda s: (s.department, s.code)
        )
        return _filtered(items, department=department)

    @post(
        "/services",
        sync_to_thread=True,
        status_code=200,
        summary="Notify a service under the Act, or change its notification",
    )
    def notify_service(
        self, request: Req, services: Injected, data: JSONBody[ServiceIn]
    ) -> Response[Any]:
        service = NotifiedService(**msgspec.structs.asdict(data))
        return _change(
            services, request, data, lambda d, at: d.notify_service(service, request.user.actor, at)
        )

    @post("/chains", sync_to_thread=True, status_code=200)
    def set_chain(self, request: Req, services: Injected, data: JSONBody[ChainIn]) -> Response[Any]:
        p = data.posts
        chain = Chain(department=data.department, district=data.district, posts=(p[0], p[1], p[2]))
        return _change(
            services, request, data, lambda d, at: d.set_chain(chain, request.user.actor, at)
        )

    @post("/holidays", sync_to_thread=True, status_code=200, summary="Declare a holiday")
    def declare_holiday(
        self, request: Req, services: Injected, data: JSONBody[HolidayIn]
    ) -> Response[Any]:
        holiday = Holiday(day=data.day, name=data.name)
        return _change(
            services,
            request,
            data,
            lambda d, at: d.declare_holiday(holiday, request.user.actor, at),
        )

    @post("/diwas", sync_to_thread=True, status_code=200, summary="Fix a Sampark Diwas")
    def schedule_diwas(
        self, request: Req, services: Injected, data: JSONBody[DiwasIn]
    ) -> Response[Any]:
        starts_at = checked("starts_at", data.starts_at, inputs.moment)
        assert starts_at is not None
        session = DiwasSession(district=data.district, starts_at=starts_at, place=data.place)
        return _change(
            services,
            request,
            data,
            lambda d, at: d.schedule_diwas(session, request.user.actor, at),
        )

    @post("/holidays/cancel", sync_to_thread=True, status_code=200, summary="Cancel a holiday")
    def cancel_holiday(
        self, request: Req, services: Injected, data: JSONBody[HolidayKey]
    ) -> Response[Any]:
        return _change(
            services,
            request,
            data,
            lambda d, at: d.cancel_holiday(data.day, request.user.actor, at),
        )
