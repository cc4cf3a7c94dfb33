"""Rajasthan Sampark Diwas over HTTP (docs/hearings.md): listing a complaint for its
district's session, and the day's list (JSON) or its proceedings (PDF, Hindi or English)."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Response, post
from litestar import get as get_route
from litestar.params import FromPath, JSONBody, QueryParameter

from api import schemas
from api.complaints import Injected, Ref, Req, on_complaint
from api.guards import only_roles_allowed_to
from api.problems import Problem
from domain import inputs
from domain.permissions import SERVICES, Scope
from domain.values import Language
from projections.hearings import diwas_list
from reports import diwas as proceedings


class DiwasListing(Controller):
    path = "/v1/complaints"
    tags = ["complaints"]

    @post(
        "/{ref:str}/diwas",
        sync_to_thread=True,
        status_code=200,
        summary="List for the district's Rajasthan Sampark Diwas (collector, or on request)",
    )
    def list_for_diwas(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.ListForDiwas]
    ) -> Response[schemas.CommandResult]:
        day = schemas.checked("day", data.day, inputs.day)
        assert day is not None
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(services.app.list_for_diwas, day=day, mode=data.mode),
        )


class DiwasController(Controller):
    path = "/v1/diwas"
    tags = ["hearings"]
    guards = [only_roles_allowed_to("diwas", "read a Sampark Diwas' list")]

    @get_route(
        "/{district:str}/{day:str}",
        sync_to_thread=True,
        summary="A district's Sampark Diwas: the day's list in turn (JSON), or its proceedings",
    )
    def day(
        self,
        request: Req,
        services: Injected,
        district: FromPath[str],
        day: FromPath[str],
        format: Annotated[str, QueryParameter(description="json (default) or pdf")] = "json",
        lang: Annotated[Language, QueryParameter(description="hi (default) or en")] = (
            Language.HINDI
        ),
    ) -> Response[Any]:
        """The complaints listed for `district`'s session on `day`, each in its turn, with
        what came of its hearing; `format=pdf` draws the proceedings. A collector reads its
        own district's; each complaint shown is logged as looked at."""
        who = request.user
        code = schemas.checked("district", district, inputs.CODE.clean)
        assert code is not None
        try:
            on = schemas.checked("day", date.fromisoformat(day), inputs.day)
        except ValueError:
            raise Problem(400, "day is a date: 2026-12-17", field="day") from None
        assert on is not None
        if SERVICES["diwas"].get(who.role) == Scope.DISTRICT and who.district != code:
            raise Problem(403, f"district {code} is outside your scope", field="district")
        directory = services.app.directory()
        session = directory.diwas_on(code, on)
        if session is None:
            raise Problem(404, f"no Sampark Diwas in {code} on {on.isoformat()}")
        with services.pool.connection() as conn:
            listed = diwas_list(conn, code, on)
        services.looked(who, (x.complaint_id for x in listed), "GET /v1/diwas")
        if format == "pdf":
            place = directory.districts.get(code)
            content = proceedings.pdf(
                proceedings.Proceedings(
                    district=place.name if place else code,
                    day=on,
                    place=session.place,
                    listed=listed,
                    department_names={c: d.name for c, d in directory.departments.items()},
                    language=lang.value,
                    as_of=services.app.clock(),
                )
            )
            return Response(
                content,
                media_type="application/pdf",
                headers={
                    "Content-Disposition": (
                        f'inline; filename="sampark-diwas-{code}-{on.isoformat()}-{lang.value}.pdf"'
                    )
                },
            )
        if format != "json":
            raise Problem(400, "format is json or pdf", field="format")
        return Response(
            schemas.DiwasDay(
                district=code,
                day=on,
                starts_at=session.starts_at,
                place=session.place,
                items=[
                    schemas.DiwasLine(
                        turn=x.turn,
                        id=x.complaint_id,
                        registration_no=x.registration_no,
                        department=x.department,
                        subject=x.subject,
                        listed_at=x.listed_at,
                        listed_by_role=x.listed_by_role,
                        post=x.post,
                        mode=x.mode,  # type: ignore[arg-type]
                        attended=x.attended,
                        directions=x.directions,
                        recorded_at=x.recorded_at,
                    )
                    for x in listed
                ],
            )
        )
