"""The directory: the state's master data ("Raj Masters") as an event-sourced aggregate.

Departments, districts, categories with the time allowed at each level, officer posts, the
routes that send a complaint to its level-1 post, and the escalation chain above it. Every
change is an event, so an auditor can see who changed which route, and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import Aggregate

from domain import guarantee, inputs
from domain.errors import InvalidCommand
from domain.guarantee import NotifiedService, ServiceClaim
from domain.sla import DEFAULT_SLA, INDIA, Calendar, Sla
from domain.values import MAX_LEVEL, MIN_LEVEL, Actor

DIRECTORY_ID = uuid5(NAMESPACE_URL, "sampark:directory")
_VACANT_MOBILE = "a vacant post has no mobile: name its holder with the number"


@dataclass(frozen=True)
class District:
    code: str
    name: str
    division: str
    name_hi: str | None = None  # the name in Hindi, as the state writes it (None: not given)


@dataclass(frozen=True)
class Category:
    department: str
    code: str
    name: str
    sla: Sla | None = None  # None: the department's
    name_hi: str | None = None


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    default_category: str
    sla: Sla = DEFAULT_SLA  # for its categories that set none of their own
    name_hi: str | None = None


def in_hindi(name: str, name_hi: str | None, language: str) -> str:
    """A directory name as a reader of `language` ("hi" or "en") reads it: the Hindi form
    where one is given, else the name as recorded."""
    return name_hi if language == "hi" and name_hi else name


@dataclass(frozen=True)
class Holiday:
    """A day the state's offices are closed: not counted in working-day deadlines."""

    day: date
    name: str


@dataclass(frozen=True)
class DiwasSession:
    """A Rajasthan Sampark Diwas: a district's monthly day of direct hearings, from
    `starts_at`, presided over by the collector (docs/hearings.md)."""

    district: str
    starts_at: datetime
    place: str  # where the citizens come (the collectorate), e-Mitra kiosks joining by video


@dataclass(frozen=True)
class Post:
    id: str
    designation: str
    department: str
    district: str | None  # None: a state-level post
    level: int
    holder: str | None  # the officer's name; None while vacant
    mobile: str | None = None  # the holder's number, where the post hears of its complaints
    # (WhatsApp, SMS); it goes with the holder: a vacant post has none
    name_hi: str | None = None  # the designation in Hindi

    @property
    def reachable_at(self) -> str | None:
        """Where to send the post's messages: its current holder's number, never a number
        left behind by an officer who has gone (None: the post hears it in its inbox)."""
        return self.mobile if self.holder is not None else None


@dataclass(frozen=True)
class Route:
    """Complaints of this department (and category, or any) in this district go to this post."""

    department: str
    category: str | None
    district: str
    post: str


@dataclass(frozen=True)
class Chain:
    """The posts a complaint climbs to above level 1, for one department and district."""

    department: str
    district: str
    posts: tuple[str, str, str]  # levels 2, 3 and 4


@dataclass(frozen=True)
class MasterData:
    """A whole directory, as loaded from a data file."""

    districts: tuple[District, ...]
    departments: tuple[Department, ...]
    categories: tuple[Category, ...]
    posts: tuple[Post, ...]
    routes: tuple[Route, ...]
    chains: tuple[Chain, ...]
    holidays: tuple[Holiday, ...] = ()
    # Services notified under the Public Services Guarantee Act (docs/guarantee.md).
    services: tuple[NotifiedService, ...] = ()
    diwas: tuple[DiwasSession, ...] = ()


# Where a post sits: routes, chains and the complaints it holds count on these. A post that
# moves (another department, district or level) is a new post, with its own id.
_PLACE = ("department", "district", "level")


def _shown(value: object) -> str:
    return "none (state level)" if value is None else repr(value)


def _keeps_its_place(current: Post, redefined: Post) -> None:
    """A post's designation, holder and number may change; where it sits may not."""
    for field in _PLACE:
        was, now = getattr(current, field), getattr(redefined, field)
        if was != now:
            raise InvalidCommand(
                f"post {current.id!r} is at {field} {_shown(was)}, not {_shown(now)}: a post "
                "keeps its place; define a new post for the new place and point routes and "
                "chains to it",
                field=field,
            )


class DirectoryEvent(Aggregate.Event):
    actor: Actor


class DirectoryCreated(Aggregate.Created):
    actor: Actor


class DistrictDefined(DirectoryEvent):
    district: District

    def apply(self, directory: Directory) -> None:
        directory.districts[self.district.code] = self.district


class DepartmentDefined(DirectoryEvent):
    department: Department

    def apply(self, directory: Directory) -> None:
        directory.departments[self.department.code] = self.department


class CategoryDefined(DirectoryEvent):
    category: Category

    def apply(self, directory: Directory) -> None:
        key = (self.category.department, self.category.code)
        directory.categories[key] = self.category


class PostDefined(DirectoryEvent):
    post: Post

    def apply(self, directory: Directory) -> None:
        directory.posts[self.post.id] = self.post


class PostHolderChanged(DirectoryEvent):
    """Another officer holds the post (or nobody: vacant). The post's number is the new
    holder's (None: none given), never the one who left. Payloads from before `mobile` was
    recorded read as None: the old holder's number is dropped with them."""

    post: str
    holder: str | None
    mobile: str | None = None

    def apply(self, directory: Directory) -> None:
        directory.posts[self.post] = replace(
            directory.posts[self.post], holder=self.holder, mobile=self.mobile
        )


class RouteSet(DirectoryEvent):
    route: Route

    def apply(self, directory: Directory) -> None:
        r = self.route
        directory.routes[(r.department, r.category, r.district)] = r


class RouteRemoved(DirectoryEvent):
    department: str
    category: str | None
    district: str

    def apply(self, directory: Directory) -> None:
        directory.routes.pop((self.department, self.category, self.district), None)


class ChainSet(DirectoryEvent):
    chain: Chain

    def apply(self, directory: Directory) -> None:
        directory.chains[(self.chain.department, self.chain.district)] = self.chain


class HolidayDeclared(DirectoryEvent):
    holiday: Holiday

    def apply(self, directory: Directory) -> None:
        directory.holidays[self.holiday.day] = self.holiday


class HolidayCancelled(DirectoryEvent):
    day: date

    def apply(self, directory: Directory) -> None:
        del directory.holidays[self.day]


class ServiceNotified(DirectoryEvent):
    """A service notified under the Public Services Guarantee Act, or its notification
    changed (a new stipulated time counts for complaints filed after it)."""

    service: NotifiedService

    def apply(self, directory: Directory) -> None:
        directory.services[self.service.code] = self.service


class DiwasScheduled(DirectoryEvent):
    """A district's Rajasthan Sampark Diwas fixed (or moved within its day, or re-placed)."""

    session: DiwasSession

    def apply(self, directory: Directory) -> None:
        directory.diwas[
            (self.session.district, self.session.starts_at.astimezone(INDIA).date())
        ] = self.session


class Directory(Aggregate):
    """The master data that routing and escalation read."""

    def __init__(self) -> None:
        self.districts: dict[str, District] = {}
        self.departments: dict[str, Department] = {}
        self.categories: dict[tuple[str, str], Category] = {}
        self.posts: dict[str, Post] = {}
        self.routes: dict[tuple[str, str | None, str], Route] = {}
        self.chains: dict[tuple[str, str], Chain] = {}
        self.holidays: dict[date, Holiday] = {}
        self.services: dict[str, NotifiedService] = {}
        self.diwas: dict[tuple[str, date], DiwasSession] = {}  # (district, day in India)

    @classmethod
    def create(cls, actor: Actor, at: datetime) -> Directory:
        return cls._create(DirectoryCreated, id=DIRECTORY_ID, actor=actor, timestamp=at)

    # --- what routing and escalation ask -------------------------------------------------

    def category(self, department: str, code: str) -> Category | None:
        return self.categories.get((department, code))

    def sla(self, department: str, category: str) -> Sla:
        """The deadlines of a category: its own, else its department's."""
        found = self.category(department, category)
        if found is not None and found.sla is not None:
            return found.sla
        owner = self.departments.get(department)
        return owner.sla if owner else DEFAULT_SLA

    def calendar(self) -> Calendar:
        return Calendar(frozenset(self.holidays))

    def level_one_post(self, department: str, category: str, district: str) -> Post | None:
        """The post a new complaint goes to: a category route first, else the department's."""
        route = self.routes.get((department, category, district)) or self.routes.get(
            (department, None, district)
        )
        return self.posts.get(route.post) if route else None

    def post_at_level(self, department: str, district: str, level: int) -> Post | None:
        """The post that holds complaints at `level` (2..4) of this department and district."""
        chain = self.chains.get((department, district))
        if chain is None or not MIN_LEVEL < level <= MAX_LEVEL:
            return None
        return self.posts.get(chain.posts[level - 2])

    def check_filing(self, department: str, category: str, district: str) -> Category:
        """The category a complaint may be filed under, or an error naming the bad field."""
        if district not in self.districts:
            raise InvalidCommand(f"unknown district {district!r}", field="district")
        if department not in self.departments:
            raise InvalidCommand(f"unknown department {department!r}", field="department")
        found = self.category(department, category)
        if found is None:
            raise InvalidCommand(
                f"department {department!r} has no category {category!r}", field="category"
            )
        return found

    def check_service_claim(
        self,
        service: str | None,
        applied_on: date | None,
        department: str,
        category: str,
        at: datetime,
        designated_post: str | None,
    ) -> ServiceClaim | None:
        """What a complaint about a notified service carries: both the service and the day
        of application, or neither; the service of the complaint's department and category."""
        if service is None and applied_on is None:
            return None
        if service is None:
            raise InvalidCommand("applied_on comes with a notified service", field="service")
        if applied_on is None:
            raise InvalidCommand(
                "a complaint about a notified service needs the day you applied",
                field="applied_on",
            )
        found = self.services.get(service)
        if found is None:
            raise InvalidCommand(f"no notified service {service!r}", field="service")
        if (found.department, found.category) != (department, category):
            raise InvalidCommand(
                f"the notified service {service!r} is of department {found.department!r}, "
                f"category {found.category!r}: file the complaint there",
                field="service",
            )
        return guarantee.claim_for(found, applied_on, at, designated_post)

    # --- commands: each change is an event ---------------------------------------------

    def define_district(self, district: District, actor: Actor, at: datetime) -> None:
        if self.districts.get(district.code) != district:
            self.trigger_event(DistrictDefined, district=district, actor=actor, timestamp=at)

    def define_department(self, department: Department, actor: Actor, at: datetime) -> None:
        if problem := department.sla.problem():
            raise InvalidCommand(problem, field="sla")
        if self.departments.get(department.code) != department:
            self.trigger_event(DepartmentDefined, department=department, actor=actor, timestamp=at)

    def define_category(self, category: Category, actor: Actor, at: datetime) -> None:
        if category.department not in self.departments:
            raise InvalidCommand(f"unknown department {category.department!r}", field="department")
        if category.sla is not None and (problem := category.sla.problem()):
            raise InvalidCommand(problem, field="sla")
        if self.category(category.department, category.code) != category:
            self.trigger_event(CategoryDefined, category=category, actor=actor, timestamp=at)

    def define_post(self, post: Post, actor: Actor, at: datetime) -> None:
        if post.department not in self.departments:
            raise InvalidCommand(f"unknown department {post.department!r}", field="department")
        if post.district is not None and post.district not in self.districts:
            raise InvalidCommand(f"unknown district {post.district!r}", field="district")
        if not MIN_LEVEL <= post.level <= MAX_LEVEL:
            raise InvalidCommand("level must be between 1 and 4", field="level")
        if post.holder is None and post.mobile is not None:
            raise InvalidCommand(_VACANT_MOBILE, field="mobile")
        current = self.posts.get(post.id)
        if current is not None:
            _keeps_its_place(current, post)
        if current != post:
            self.trigger_event(PostDefined, post=post, actor=actor, timestamp=at)

    def change_holder(
        self,
        post: str,
        holder: str | None,
        actor: Actor,
        at: datetime,
        mobile: str | None = None,
    ) -> None:
        """`holder` takes over `post` (None: it is vacant), reachable at `mobile` (None: in
        the inbox only). The previous holder's number goes with them."""
        if post not in self.posts:
            raise InvalidCommand(f"unknown post {post!r}", field="post")
        if holder is None and mobile is not None:
            raise InvalidCommand(_VACANT_MOBILE, field="mobile")
        current = self.posts[post]
        if (current.holder, current.mobile) != (holder, mobile):
            self.trigger_event(
                PostHolderChanged,
                post=post,
                holder=holder,
                mobile=mobile,
                actor=actor,
                timestamp=at,
            )

    def set_route(self, route: Route, actor: Actor, at: datetime) -> None:
        if route.district not in self.districts:
            raise InvalidCommand(f"unknown district {route.district!r}", field="district")
        if route.department not in self.departments:
            raise InvalidCommand(f"unknown department {route.department!r}", field="department")
        if route.category is not None and not self.category(route.department, route.category):
            raise InvalidCommand(f"unknown category {route.category!r}", field="category")
        post = self.posts.get(route.post)
        if post is None:
            raise InvalidCommand(f"unknown post {route.post!r}", field="post")
        if post.department != route.department or post.level != MIN_LEVEL:
            raise InvalidCommand(
                f"post {route.post!r} is not a level-1 post of {route.department!r}",
                field="post",
            )
        if self.routes.get((route.department, route.category, route.district)) != route:
            self.trigger_event(RouteSet, route=route, actor=actor, timestamp=at)

    def remove_route(
        self, department: str, category: str | None, district: str, actor: Actor, at: datetime
    ) -> None:
        if (department, category, district) not in self.routes:
            raise InvalidCommand("no such route", field="district")
        self.trigger_event(
            RouteRemoved,
            department=department,
            category=category,
            district=district,
            actor=actor,
            timestamp=at,
        )

    def set_chain(self, chain: Chain, actor: Actor, at: datetime) -> None:
        if chain.department not in self.departments:
            raise InvalidCommand(f"unknown department {chain.department!r}", field="department")
        if chain.district not in self.districts:
            raise InvalidCommand(f"unknown district {chain.district!r}", field="district")
        for index, post_id in enumerate(chain.posts):
            post = self.posts.get(post_id)
            level = index + 2
            if post is None or post.department != chain.department or post.level != level:
                raise InvalidCommand(
                    f"{post_id!r} is not a level-{level} post of {chain.department!r}",
                    field=f"posts[{index}]",
                )
        if self.chains.get((chain.department, chain.district)) != chain:
            self.trigger_event(ChainSet, chain=chain, actor=actor, timestamp=at)

    def declare_holiday(self, holiday: Holiday, actor: Actor, at: datetime) -> None:
        inputs.day(holiday.day, "day")
        if not holiday.name.strip():
            raise InvalidCommand("a holiday needs a name", field="name")
        if self.holidays.get(holiday.day) != holiday:
            self.trigger_event(HolidayDeclared, holiday=holiday, actor=actor, timestamp=at)

    def cancel_holiday(self, day: date, actor: Actor, at: datetime) -> None:
        if day not in self.holidays:
            raise InvalidCommand(f"{day.isoformat()} is not a holiday", field="day")
        self.trigger_event(HolidayCancelled, day=day, actor=actor, timestamp=at)

    def notify_service(self, service: NotifiedService, actor: Actor, at: datetime) -> None:
        if self.category(service.department, service.category) is None:
            raise InvalidCommand(
                f"department {service.department!r} has no category {service.category!r}",
                field="category",
            )
        if problem := service.problem():
            raise InvalidCommand(problem[0], field=problem[1])
        if self.services.get(service.code) != service:
            self.trigger_event(ServiceNotified, service=service, actor=actor, timestamp=at)

    def schedule_diwas(self, session: DiwasSession, actor: Actor, at: datetime) -> None:
        """Fix a district's Sampark Diwas: one session a district and day."""
        if session.district not in self.districts:
            raise InvalidCommand(f"unknown district {session.district!r}", field="district")
        inputs.moment(session.starts_at, "starts_at")
        if not session.place.strip():
            raise InvalidCommand("a Sampark Diwas needs a place", field="place")
        day = session.starts_at.astimezone(INDIA).date()
        if self.diwas.get((session.district, day)) != session:
            self.trigger_event(DiwasScheduled, session=session, actor=actor, timestamp=at)

    def diwas_on(self, district: str, day: date) -> DiwasSession | None:
        return self.diwas.get((district, day))

    def load(self, data: MasterData, actor: Actor, at: datetime) -> int:
        """Bring the directory in line with `data`; only differences become events."""
        before = len(self.pending_events)
        steps: Iterable[tuple[Any, Iterable[Any]]] = (
            (self.define_district, data.districts),
            (self.define_department, data.departments),
            (self.define_category, data.categories),
            (self.define_post, data.posts),
            (self.set_route, data.routes),
            (self.set_chain, data.chains),
            (self.declare_holiday, data.holidays),
            (self.notify_service, data.services),
            (self.schedule_diwas, data.diwas),
        )
        for define, items in steps:
            for item in items:
                define(item, actor, at)
        return len(self.pending_events) - before
