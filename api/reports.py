"""What the state sees, as documents (docs/reports.md): made from the dashboards' figures
for the caller's scope, recorded with who asked and which data they were made from."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from api.guards import only_roles_allowed_to
from api.problems import Problem
from api.schemas import checked
from api.services import Services
from domain import inputs
from domain.values import Identity, Language
from reports import infographic
from reports.kept import Name, Shelf
from reports.publishing import Picture, make_infographic

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]
LanguageQuery = Annotated[Language, QueryParameter(name="lang", description="hi (default) or en")]


MEDIA_TYPES = {Picture.PNG: "image/png", Picture.PDF: "application/pdf"}
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
        name = Name("infographic", "state", day.isoformat(), lang.value, format.value)
        with services.pool.connection() as conn:
            kept = Shelf(conn).kept(name)
        if kept is not None:  # the morning's copy, as published
            return document(kept.content, MEDIA_TYPES[format], filename, kept.data_version)
        files, version = make_infographic(
            services.pool,
            services.app.directory(),
            services.app.clock(),
            day,
            lang.value,
            request.user.id,
        )
        return document(files[format], MEDIA_TYPES[format], filename, version)
