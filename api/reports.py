"""What the state sees, as documents (docs/reports.md): made from the dashboards' figures
for the caller's scope, recorded with who asked and which data they were made from."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from api import exports
from api.exports import Format, FormatQuery
from api.guards import only_roles_allowed_to
from api.problems import Problem
from api.schemas import checked
from api.services import Services
from domain import inputs
from domain.permissions import in_departments
from domain.values import Identity, Language, Role
from projections.figures import OutsideScope
from projections.queries import OutOfScope
from projections.rows import day_in_india
from reports import infographic, monthly_index, training
from reports.publishing import (
    Picture,
    Sheet,
    infographic_copy,
    make_meeting_pack,
    make_monthly_data,
)
from reports.ranking import INDICATORS

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]
LanguageQuery = Annotated[Language, QueryParameter(name="lang", description="hi (default) or en")]


MEDIA_TYPES = {Picture.PNG: "image/png", Picture.PDF: "application/pdf"}
SHEET_TYPES = {
    Sheet.PDF: "application/pdf",
    Sheet.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WEEK = re.compile(r"(\d{4})-W(\d{2})")
MONTH = re.compile(r"(\d{4})-(\d{2})")


def first_of(month: str) -> date:
    """The first day of a month, `2026-10`; 400 naming `month` otherwise."""
    found = MONTH.fullmatch(month)
    try:
        if found is None:
            raise ValueError
        first = date(int(found[1]), int(found[2]), 1)
    except ValueError:
        raise Problem(400, "month is a month: 2026-10", field="month") from None
    return checked("month", first, inputs.day) or first


def ended_month(now: datetime, month: str | None) -> date:
    """The first day of `month` (by default the last that has ended); 400 naming `month`
    when it has not ended."""
    latest = (day_in_india(now).replace(day=1) - timedelta(days=1)).replace(day=1)
    first = first_of(month) if month is not None else latest
    if first > latest:
        raise Problem(400, f"month must have ended: {latest:%Y-%m} at the latest", field="month")
    return first


def last_whole_week(now: datetime) -> date:
    """The Monday of the last week (Monday to Sunday, India) that has ended."""
    today = day_in_india(now)
    return today - timedelta(days=today.weekday() + 7)


def monday_of(week: str) -> date:
    """The Monday of an ISO week, `2026-W48`; 400 naming `week` otherwise."""
    found = WEEK.fullmatch(week)
    try:
        if found is None:
            raise ValueError
        monday = date.fromisocalendar(int(found[1]), int(found[2]), 1)
    except ValueError:
        raise Problem(400, "week is an ISO week: 2026-W48", field="week") from None
    return checked("week", monday, inputs.day) or monday


DATA_VERSION = "Sampark-Data-Version"


def document(content: bytes, media_type: str, filename: str, version: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            DATA_VERSION: version,
        },
    )


class ReportController(Controller):
    path = "/v1/reports"
    tags = ["reports"]

    @get(
        "/infographic",
        sync_to_thread=True,
        summary="The state's daily infographic: a day and its month to date (PNG 1080x1350, PDF)",
        guards=[only_roles_allowed_to("infographic", "fetch the infographic")],
    )
    def infographic(
        self,
        request: Req,
        services: Injected,
        day: Annotated[date | None, QueryParameter(description="a day that has ended")] = None,
        lang: LanguageQuery = Language.HINDI,
        format: Annotated[Picture, QueryParameter(description="png (default) or pdf")] = (
            Picture.PNG
        ),
    ) -> Response[bytes]:
        last = infographic.last_whole_day(services.app.clock())
        day = checked("day", day, inputs.day) or last
        if day > last:
            raise Problem(
                400, f"day must have ended: {last.isoformat()} at the latest", field="day"
            )
        filename = f"sampark-infographic-{day.isoformat()}-{lang.value}.{format.value}"
        content, version = infographic_copy(
            services.pool,
            services.app.directory(),
            services.app.clock(),
            day,
            lang.value,
            format,
            request.user.id,
        )
        return document(content, MEDIA_TYPES[format], filename, version)

    @get(
        "/district",
        sync_to_thread=True,
        summary="A collector's meeting pack: the district's week, department by department",
        guards=[only_roles_allowed_to("district_pack", "fetch a district's meeting pack")],
    )
    def district_pack(
        self,
        request: Req,
        services: Injected,
        district: Annotated[
            str | None, QueryParameter(max_length=200, description="a collector's own")
        ] = None,
        week: Annotated[
            str | None, QueryParameter(max_length=8, description="an ISO week that has ended")
        ] = None,
        lang: LanguageQuery = Language.HINDI,
        format: Annotated[Sheet, QueryParameter(description="pdf (default) or xlsx")] = Sheet.PDF,
    ) -> Response[bytes]:
        who = request.user
        now = services.app.clock()
        latest = last_whole_week(now)
        monday = monday_of(week) if week is not None else latest
        if monday > latest:
            raise Problem(400, f"week must have ended: {latest:%G-W%V} at the latest", field="week")
        district = district or (who.district if who.role == Role.COLLECTOR else None)
        if not district:
            raise Problem(400, "district must name the district", field="district")
        directory = services.app.directory()
        if district not in directory.districts:
            raise Problem(400, f"district {district} is not in the directory", field="district")
        try:
            content, version = make_meeting_pack(
                services.pool, directory, now, who, district, monday, lang.value, format
            )
        except OutOfScope as refused:
            raise Problem(403, str(refused)) from None
        except OutsideScope as refused:
            raise Problem(403, str(refused), field=refused.field) from None
        filename = f"sampark-district-{district}-{monday:%G-W%V}-{lang.value}.{format.value}"
        return document(content, SHEET_TYPES[format], filename, version)

    @get(
        "/monthly",
        sync_to_thread=True,
        summary="The secretary's monthly data: a department's month by district and level",
        guards=[only_roles_allowed_to("monthly_data", "fetch a department's monthly data")],
    )
    def monthly(
        self,
        request: Req,
        services: Injected,
        department: Annotated[
            str | None, QueryParameter(max_length=200, description="a secretary's own")
        ] = None,
        month: Annotated[
            str | None, QueryParameter(max_length=7, description="a month that has ended")
        ] = None,
        lang: LanguageQuery = Language.HINDI,
        format: Annotated[Sheet, QueryParameter(description="pdf (default) or xlsx")] = Sheet.PDF,
    ) -> Response[bytes]:
        who = request.user
        now = services.app.clock()
        first = ended_month(now, month)
        department = department or who.department
        if department is None and len(who.departments) == 1:
            department = who.departments[0]
        directory = services.app.directory()
        if not department or department not in directory.departments:
            raise Problem(400, "department must name a department", field="department")
        if not in_departments(who, "monthly_data", department):
            raise Problem(403, f"department {department} is outside your scope", field="department")
        try:
            content, version = make_monthly_data(
                services.pool, directory, now, who, department, first, lang.value, format
            )
        except OutOfScope as refused:
            raise Problem(403, str(refused)) from None
        except OutsideScope as refused:
            raise Problem(403, str(refused), field=refused.field) from None
        filename = f"sampark-monthly-{department}-{first:%Y-%m}-{lang.value}.{format.value}"
        return document(content, SHEET_TYPES[format], filename, version)

    @get(
        "/index",
        sync_to_thread=True,
        summary="The ranking index of departments or districts for a month (docs/reports.md)",
        guards=[only_roles_allowed_to("ranking_index", "read the ranking index")],
    )
    def ranking_index(
        self,
        request: Req,
        services: Injected,
        month: Annotated[
            str | None, QueryParameter(max_length=7, description="a month that has ended")
        ] = None,
        by: Annotated[
            str, QueryParameter(max_length=10, description="department (default) or district")
        ] = "department",
        format: FormatQuery = Format.JSON,
    ) -> Response[Any]:
        now = services.app.clock()
        latest = (day_in_india(now).replace(day=1) - timedelta(days=1)).replace(day=1)
        first = first_of(month) if month is not None else latest
        if first > latest:
            raise Problem(
                400, f"month must have ended: {latest:%Y-%m} at the latest", field="month"
            )
        if by not in monthly_index.BY:
            raise Problem(400, "by is department or district", field="by")
        with services.pool.connection() as conn:
            ranked = monthly_index.standings(conn, by, first)
        rows = [s.as_dict() for s in ranked]
        if format != Format.JSON:
            flat = [exports.flattened(r) for r in rows]
            header = [by, *(name for name in (flat[0] if flat else {}) if name != "key")]
            cells = ([r["key"], *(r[n] for n in header[1:])] for r in flat)
            return exports.download(format, f"index-{by}-{first:%Y-%m}", header, cells)
        first_day, last_day = monthly_index.month_days(first)
        return Response(
            {
                "month": f"{first:%Y-%m}",
                "by": by,
                "first_day": first_day.isoformat(),
                "last_day": last_day.isoformat(),
                "indicators": [
                    {"name": i.name, "weight": i.weight,
                     "better": "higher" if i.higher_is_better else "lower"}
                    for i in INDICATORS
                ],
                "rows": rows,
            }
        )  # fmt: skip

    @get(
        "/training",
        sync_to_thread=True,
        summary="Training needs: a department's posts whose work most often came back, a month",
        guards=[only_roles_allowed_to("training_needs", "read the training needs")],
    )
    def training_needs(
        self,
        request: Req,
        services: Injected,
        department: Annotated[
            str | None, QueryParameter(max_length=200, description="a head's or secretary's own")
        ] = None,
        month: Annotated[
            str | None, QueryParameter(max_length=7, description="a month that has ended")
        ] = None,
        format: FormatQuery = Format.JSON,
    ) -> Response[Any]:
        who = request.user
        now = services.app.clock()
        latest = (day_in_india(now).replace(day=1) - timedelta(days=1)).replace(day=1)
        first = first_of(month) if month is not None else latest
        if first > latest:
            ended = f"month must have ended: {latest:%Y-%m} at the latest"
            raise Problem(400, ended, field="month")
        department = department or who.department
        directory = services.app.directory()
        if not department or department not in directory.departments:
            raise Problem(400, "department must name a department", field="department")
        try:
            with services.pool.connection() as conn:
                posts = training.needs(conn, directory, who, department, first)
        except OutOfScope as refused:
            raise Problem(403, str(refused)) from None
        except OutsideScope as refused:
            raise Problem(403, str(refused), field=refused.field) from None
        if format != Format.JSON:
            header = ["post", "designation", "district", "disposed", "reopened"]
            header += ["not_satisfied", "transferred_away", "came_back"]
            cells = ([p[name] for name in header] for p in posts)
            return exports.download(format, f"training-{department}-{first:%Y-%m}", header, cells)
        return Response({"department": department, "month": f"{first:%Y-%m}", "posts": posts})
