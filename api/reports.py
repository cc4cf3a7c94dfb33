"""What the state sees, as documents (docs/reports.md): made from the dashboards' figures
for the caller's scope, recorded with who asked and which data they were made from."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
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
from reports.kept import Name, Shelf, data_version

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]
LanguageQuery = Annotated[Language, QueryParameter(name="lang", description="hi (default) or en")]


class Picture(StrEnum):
    PNG = "png"
    PDF = "pdf"


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


def make_infographic(
    services: Services, day: date, language: str, by: str, *, keep: bool = False
) -> tuple[dict[Picture, bytes], str]:
    """The state's infographic for `day` as PDF and PNG, and the data version they were
    made from; recorded (and kept, for the scheduler's copies, which are those published)."""
    now = services.app.clock()
    with services.pool.connection() as conn:
        version = data_version(conn)
        info = infographic.gather(conn, services.app.directory(), day, language)
        made = infographic.pdf(info)
        files = {Picture.PDF: made, Picture.PNG: infographic.png(made)}
        shelf = Shelf(conn)
        for picture, content in files.items():
            name = Name("infographic", "state", day.isoformat(), language, picture.value)
            (shelf.keep if keep else shelf.record)(name, content, version, by, now)
    return files, version


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
        files, version = make_infographic(services, day, lang.value, request.user.id)
        return document(files[format], MEDIA_TYPES[format], filename, version)
