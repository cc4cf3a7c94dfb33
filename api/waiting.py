"""The clock that waits, over HTTP: a question to the complainant, the answer, the disposal of
an unanswered complaint, and an interim reply (`domain/clarification.py`)."""

from __future__ import annotations

from datetime import date
from functools import partial

import msgspec
from litestar import Controller, Response, get, post
from litestar.params import JSONBody

from api import schemas
from api.complaints import Injected, Ref, Req, on_complaint
from api.guards import only_roles_allowed_to
from api.read import Day, Department, District, LastDay, figures_window
from projections.waiting import figures


class WaitingController(Controller):
    path = "/v1/complaints"
    tags = ["complaints"]

    @post(
        "/{ref:str}/clarify",
        sync_to_thread=True,
        status_code=200,
        summary="Ask the complainant for information or a document (the deadline pauses)",
    )
    def clarify(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Clarify]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(services.app.seek_clarification, question=data.question),
        )

    @post(
        "/{ref:str}/answer",
        sync_to_thread=True,
        status_code=200,
        summary="The complainant's answer (the deadline resumes with the time left)",
    )
    def answer(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Answer]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(services.app.answer_clarification, answer=data.answer),
        )

    @post(
        "/{ref:str}/dispose-unanswered",
        sync_to_thread=True,
        status_code=200,
        summary="Dispose of a complaint whose question went unanswered in time",
    )
    def dispose_unanswered(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Versioned]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(services, request, ref, data, services.app.dispose_unanswered)

    @post(
        "/{ref:str}/interim-reply",
        sync_to_thread=True,
        status_code=200,
        summary="An interim reply to the complainant (the complaint stays open)",
    )
    def interim_reply(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.InterimReply]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services, request, ref, data, partial(services.app.reply_interim, note=data.note)
        )


class WaitingFigures(msgspec.Struct, kw_only=True):
    """`GET /v1/dashboards/waiting`: the clock that waits, in figures (docs/hearings.md)."""

    first_day: date
    last_day: date
    district: str | None
    department: str | None
    asked: int  # questions asked of complainants in the window
    answered: int  # answers received in the window
    lapsed: int  # waits ended unanswered (disposed of as such)
    paused_days: float  # days the clocks stood still, of the waits ended in the window
    interim_replies: int
    waiting_at_end: int  # complaints waiting for their complainant at the window's end


class WaitingDashboard(Controller):
    path = "/v1/dashboards"
    tags = ["read side"]
    guards = [only_roles_allowed_to("dashboards", "read the dashboards")]

    @get("/waiting", sync_to_thread=True, summary="Questions to complainants and paused time")
    def waiting(
        self,
        request: Req,
        services: Injected,
        first: Day = None,
        last: LastDay = None,
        district: District = None,
        department: Department = None,
    ) -> WaitingFigures:
        """The scope's waiting figures over a window of days (30 to today by default), kept
        apart from the Sampark deadline figures of the other dashboards."""
        first, last, scope = figures_window(
            request, services.app.clock(), first, last, district, department
        )
        with services.pool.connection() as conn:
            found = figures(conn, scope, first, last)
        return WaitingFigures(
            first_day=first,
            last_day=last,
            district=scope.district,
            department=scope.department,
            asked=found.asked,
            answered=found.answered,
            lapsed=found.lapsed,
            paused_days=round(found.paused_seconds / 86_400, 2),
            interim_replies=found.interim_replies,
            waiting_at_end=found.waiting_at_end,
        )
