"""The read side over HTTP: inboxes, dashboards, and the pipeline's own health."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from api import exports, schemas, views
from api.exports import Format, FormatQuery
from api.guards import only_roles_allowed_to
from api.problems import Problem
from api.schemas import checked
from api.services import Services
from domain import inputs
from domain.values import Identity
from projections.figures import FigureScope, OutsideScope
from projections.health import heartbeats
from projections.queries import OutOfScope, ReadQueries, dashboard_scope
from projections.rows import day_in_india
from projections.status import notifications_status, pipeline_status

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]
MAX_DAYS = 366
POSTS_PAGE, MAX_POSTS = 100, 500  # the dashboard per post's page: by default, at most


class InboxController(Controller):
    path = "/v1/inbox"
    tags = ["read side"]

    @get("/", sync_to_thread=True, summary="My pending complaints: priority first, then due time")
    def inbox(
        self,
        request: Req,
        services: Injected,
        cursor: schemas.Cursor = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> schemas.ComplaintPage:
        now = services.app.clock()
        try:
            with services.pool.connection() as conn:
                page = ReadQueries(conn).inbox(request.user, cursor=cursor, limit=limit)
        except OutOfScope as refused:
            raise Problem(403, str(refused)) from None
        except ValueError as bad:
            raise Problem(400, str(bad), field="cursor") from None
        services.looked(request.user, (r.id for r in page.rows), "GET /v1/inbox")
        return schemas.ComplaintPage(
            items=[views.summary(r, request.user, now) for r in page.rows],
            next_cursor=page.next_cursor,
        )


Day = Annotated[date | None, QueryParameter(name="from")]
LastDay = Annotated[date | None, QueryParameter(name="to")]
District = Annotated[str | None, QueryParameter(max_length=200)]
Department = Annotated[str | None, QueryParameter(max_length=200)]
Post = Annotated[str | None, QueryParameter(max_length=200)]


def figures_window(
    request: Req,
    now: datetime,
    first: date | None,
    last: date | None,
    district: str | None,
    department: str | None,
) -> tuple[date, date, FigureScope]:
    """A dashboard's window (30 days to today by default, at most `MAX_DAYS`) and the
    caller's scope narrowed to `district` and `department` (the `dashboards` row of the
    permissions table), for the dashboards of one row: refused as the others refuse."""
    last = checked("to", last, inputs.day) or day_in_india(now)
    first = checked("from", first, inputs.day) or last - timedelta(days=29)
    if first > last:
        raise Problem(400, "from must not be after to", field="from")
    if (last - first).days >= MAX_DAYS:
        raise Problem(400, f"a dashboard covers at most {MAX_DAYS} days", field="from")
    for name, value in (("district", district), ("department", department)):
        if value is not None and (not value.strip() or value == "*"):
            raise Problem(400, f"{name} must name one {name}", field=name)
    try:
        scope = dashboard_scope(request.user, department).narrowed(
            district=district, department=department
        )
    except OutOfScope as refused:
        raise Problem(403, str(refused)) from None
    except OutsideScope as refused:
        raise Problem(403, str(refused), field=refused.field) from None
    return first, last, scope


def dashboard_file(
    format: Format, by: str, first: date, last: date, rows: list[dict[str, Any]]
) -> Response[Any]:
    """A dashboard as a file: a row per district, department, post or day, headed by what
    it is (the JSON's `key`), then each figure under its name in docs/read-models.md."""
    flat = [exports.flattened(row) for row in rows]
    figures = [name for name in (flat[0] if flat else {}) if name != "key"]
    header = [by, *figures]
    cells = ([row["key"], *(row.get(name) for name in figures)] for row in flat)
    return exports.download(format, f"dashboard-{by}-{first}-{last}", header, cells)


class DashboardController(Controller):
    """The figures of docs/read-models.md ("The figures"), one row per district,
    department, post or day of the caller's scope; `district`, `department` and `post`
    narrow it (a collector's stays their district, a secretary's their department)."""

    path = "/v1/dashboards"
    tags = ["read side"]
    guards = [only_roles_allowed_to("dashboards", "read the dashboards")]

    def _dashboard(
        self,
        request: Req,
        services: Services,
        by: str,
        first: date | None,
        last: date | None,
        narrowed: dict[str, str | None],
        format: Format,
        *,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Response[schemas.Dashboard]:
        now = services.app.clock()
        first = checked("from", first, inputs.day)
        last = checked("to", last, inputs.day)
        last = last or day_in_india(now)
        first = first or last - timedelta(days=29)
        if first > last:
            raise Problem(400, "from must not be after to", field="from")
        if (last - first).days >= MAX_DAYS:
            raise Problem(400, f"a dashboard covers at most {MAX_DAYS} days", field="from")
        for name, value in narrowed.items():
            if value is not None and (not value.strip() or value == "*"):
                raise Problem(400, f"{name} must name one {name}", field=name)
        if format != Format.JSON:
            limit = None  # a file holds every row from the cursor on, not a page
        try:
            with services.pool.connection() as conn:
                page = ReadQueries(conn).dashboard_page(
                    request.user, by, first, last, now, cursor=cursor, limit=limit, **narrowed
                )
        except OutOfScope as refused:
            raise Problem(403, str(refused)) from None
        except OutsideScope as refused:
            raise Problem(403, str(refused), field=refused.field) from None
        except ValueError as bad:
            raise Problem(400, str(bad), field="cursor") from None
        if format != Format.JSON:
            return dashboard_file(format, by, first, last, page.rows)
        return Response(
            schemas.Dashboard(
                by=by,
                first_day=first.isoformat(),
                last_day=last.isoformat(),
                rows=page.rows,
                next_cursor=page.next_cursor,
            )
        )

    @get("/districts", sync_to_thread=True, summary="Figures per district")
    def districts(
        self,
        request: Req,
        services: Injected,
        first: Day = None,
        last: LastDay = None,
        district: District = None,
        department: Department = None,
        post: Post = None,
        format: FormatQuery = Format.JSON,
    ) -> Response[schemas.Dashboard]:
        narrowed = {"district": district, "department": department, "post": post}
        return self._dashboard(request, services, "district", first, last, narrowed, format)

    @get("/departments", sync_to_thread=True, summary="Figures per department")
    def departments(
        self,
        request: Req,
        services: Injected,
        first: Day = None,
        last: LastDay = None,
        district: District = None,
        department: Department = None,
        post: Post = None,
        format: FormatQuery = Format.JSON,
    ) -> Response[schemas.Dashboard]:
        narrowed = {"district": district, "department": department, "post": post}
        return self._dashboard(request, services, "department", first, last, narrowed, format)

    @get("/posts", sync_to_thread=True, summary="Figures per officer post, a page at a time")
    def posts(
        self,
        request: Req,
        services: Injected,
        first: Day = None,
        last: LastDay = None,
        district: District = None,
        department: Department = None,
        post: Post = None,
        format: FormatQuery = Format.JSON,
        cursor: schemas.Cursor = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_POSTS)] = POSTS_PAGE,
    ) -> Response[schemas.Dashboard]:
        """The posts in the order of their ids, `limit` of them after `cursor` (the state
        has hundreds of posts); `format=csv` or `xlsx` holds every post from `cursor` on."""
        narrowed = {"district": district, "department": department, "post": post}
        return self._dashboard(
            request, services, "post", first, last, narrowed, format, cursor=cursor, limit=limit
        )

    @get("/daily", sync_to_thread=True, summary="Figures per day (Asia/Kolkata)")
    def daily(
        self,
        request: Req,
        services: Injected,
        first: Day = None,
        last: LastDay = None,
        district: District = None,
        department: Department = None,
        post: Post = None,
        format: FormatQuery = Format.JSON,
    ) -> Response[schemas.Dashboard]:
        narrowed = {"district": district, "department": department, "post": post}
        return self._dashboard(request, services, "day", first, last, narrowed, format)


@get(
    "/v1/pipeline/status",
    sync_to_thread=True,
    tags=["read side"],
    summary="Read-side lag",
    guards=[only_roles_allowed_to("pipeline", "watch the pipeline")],
)
def pipeline(request: Req, services: Injected) -> dict[str, Any]:
    settings = services.settings
    now = services.app.clock()
    with services.pool.connection() as conn:
        status = pipeline_status(conn, settings.kafka_topic, settings.kafka_group, now)
        status["notifications"] = notifications_status(conn, settings.kafka_topic, now)
        status["workers"] = heartbeats(conn, now)
    return status
