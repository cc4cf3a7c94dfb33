"""Hearings over HTTP (`domain/hearing.py`, docs/hearings.md): fix a hearing of the
complainant, then record it as held (with the directions) or missed."""

from __future__ import annotations

from functools import partial

from litestar import Controller, Response, post
from litestar.params import JSONBody

from api import schemas
from api.complaints import Injected, Ref, Req, on_complaint
from domain import inputs


class HearingController(Controller):
    path = "/v1/complaints"
    tags = ["complaints"]

    @post(
        "/{ref:str}/hearing",
        sync_to_thread=True,
        status_code=200,
        summary="Schedule a hearing of the complainant (the complainant is told on WhatsApp)",
    )
    def schedule(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.ScheduleHearing]
    ) -> Response[schemas.CommandResult]:
        on = schemas.checked("on", data.on, inputs.moment)
        assert on is not None
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(services.app.schedule_hearing, on=on, post=data.post, mode=data.mode),
        )

    @post(
        "/{ref:str}/hearing/record",
        sync_to_thread=True,
        status_code=200,
        summary="Record the scheduled hearing: held, with the directions given, or missed",
    )
    def record(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.RecordHearing]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(
                services.app.record_hearing, attended=data.attended, directions=data.directions
            ),
        )
