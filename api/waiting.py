"""The clock that waits, over HTTP: a question to the complainant, the answer, the disposal of
an unanswered complaint, and an interim reply (`domain/clarification.py`)."""

from __future__ import annotations

from functools import partial

from litestar import Controller, Response, post
from litestar.params import JSONBody

from api import schemas
from api.complaints import Injected, Ref, Req, on_complaint


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
