"""Complaint commands and the event-store reads: current state, timeline, time travel."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from api import schemas, views
from api.idempotency import receipt_for, run_once
from api.openapi import filed_at
from api.problems import Problem
from api.schemas import Code
from api.services import Services
from domain.complaint import Complaint, complaint_id
from domain.values import Attachment, Channel, Complainant, Identity, Priority, Role, Status
from projections.queries import OutOfScope, ReadQueries, Search
from projections.rows import ComplaintRow

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]
Ref = FromPath[str]  # a complaint's id or its registration number


def parse_complaint_id(ref: Ref) -> UUID:
    """A complaint is named by its id or by its registration number."""
    try:
        return UUID(ref)
    except ValueError:
        if not 1 <= len(ref) <= 64:
            raise Problem(404, "no such complaint") from None
        return complaint_id(ref)


def attachments(services: Injected, refs: list[schemas.AttachmentRef]) -> tuple[Attachment, ...]:
    """Every referenced file must be in the store, with the size the caller claims."""
    found = []
    for index, ref in enumerate(refs):
        content = services.blobs.get(ref.sha256)
        if content is None or len(content) != ref.size:
            raise Problem(
                422,
                f"attachment {ref.sha256} was not uploaded (POST /v1/attachments first)"
                if content is None
                else f"attachment {ref.sha256} has {len(content)} bytes, not {ref.size}",
                field=f"attachments[{index}]",
            )
        found.append(
            Attachment(
                sha256=ref.sha256, filename=ref.filename, media_type=ref.media_type, size=ref.size
            )
        )
    return tuple(found)


def read_model_row(services: Services, complaint: UUID, min_version: int | None) -> ComplaintRow:
    if min_version is not None:
        # Wait only for what the event store holds: an unknown complaint or a version never
        # written is answered at once.
        stored = services.app.complaint(complaint).version
        if stored < min_version:
            raise Problem(404, f"the complaint has versions 1 to {stored}", field="min_version")
    deadline = time.monotonic() + services.settings.read_wait_seconds
    while True:
        with services.pool.connection() as conn:
            row = ReadQueries(conn).complaint(complaint)
        if row is not None and (min_version is None or row.version >= min_version):
            return row
        if min_version is None or time.monotonic() >= deadline:
            break
        time.sleep(0.02)
    if row is None and min_version is None:
        raise Problem(404, "no such complaint")
    raise Problem(
        503,
        f"version {min_version} is not yet in the read model; try again",
        field="min_version",
        read_model_version=row.version if row else None,
        retry_after_seconds=1,
    )


def _command(
    services: Injected,
    request: Req,
    data: msgspec.Struct,
    write: Callable[[dict[str, Any]], Complaint],
    status: int = 200,
) -> Response[Any]:
    def answer(c: Complaint) -> Response[Any]:
        return Response(views.command_result(c), status_code=status)

    def replay(aggregate_id: UUID, version: int) -> Response[Any]:
        return answer(services.app.complaint_at_version(aggregate_id, version))

    receipt = receipt_for(request, request.user, msgspec.json.encode(data))
    return run_once(services.receipts, receipt, write, answer, replay)


def _on_complaint(
    services: Services,
    request: Req,
    ref: str,
    data: Any,
    command: str,
    **fields: Any,
) -> Response[Any]:
    """Send `command` (a method of the application) for the complaint `ref`, once per key."""
    run = getattr(services.app, command)
    return _command(
        services,
        request,
        data,
        lambda receipt: run(
            parse_complaint_id(ref),
            by=request.user,
            expected_version=data.expected_version,
            **fields,
            **receipt,
        ),
    )


def _limit_citizens(services: Services, request: Req, mobile: str) -> None:
    """A citizen files at most so many complaints per mobile and per client address."""
    if request.user.role != Role.CITIZEN:
        return
    settings, now = services.settings, services.app.clock()
    address = request.client.host if request.client else "unknown"
    for key, limit, seconds, what in (
        (
            f"file:mobile:{mobile}",
            settings.file_limit_per_mobile,
            settings.file_limit_per_mobile_seconds,
            "this mobile number",
        ),
        (
            f"file:address:{address}",
            settings.file_limit_per_address,
            settings.file_limit_per_address_seconds,
            "this address",
        ),
    ):
        wait = services.limits.take(key, limit, seconds, now)
        if wait is not None:
            raise Problem(
                429,
                f"too many complaints from {what}; try again in {int(wait)} seconds",
                retry_after_seconds=int(wait),
            )


class ComplaintController(Controller):
    path = "/v1/complaints"
    tags = ["complaints"]

    @post(
        "/",
        sync_to_thread=True,
        status_code=201,
        after_request=filed_at,
        summary="File a complaint",
    )
    def file(
        self,
        request: Req,
        services: Injected,
        data: JSONBody[schemas.FileComplaint],
    ) -> Response[schemas.CommandResult]:
        _limit_citizens(services, request, data.complainant.mobile)
        evidence = attachments(services, data.attachments)
        person = data.complainant
        return _command(
            services,
            request,
            data,
            lambda receipt: services.app.file_complaint(
                by=request.user,
                complainant=Complainant(
                    name=person.name.strip(),
                    mobile=person.mobile,
                    email=person.email,
                    address=person.address,
                    language=person.language,
                ),
                district=data.district,
                department=data.department,
                category=data.category,
                subject=data.subject,
                description=data.description,
                channel=data.channel,
                attachments=evidence,
                **receipt,
            ),
            status=201,
        )

    @post("/{ref:str}/assign", sync_to_thread=True, status_code=200, summary="Assign to a post")
    def assign(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Assign]
    ) -> Response[schemas.CommandResult]:
        return _on_complaint(services, request, ref, data, "assign", post=data.post)

    @post(
        "/{ref:str}/transfer",
        sync_to_thread=True,
        status_code=200,
        summary="Transfer to another department",
    )
    def transfer(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Transfer]
    ) -> Response[schemas.CommandResult]:
        return _on_complaint(
            services,
            request,
            ref,
            data,
            "transfer",
            department=data.department,
            category=data.category,
            reason=data.reason,
        )

    @post("/{ref:str}/escalate", sync_to_thread=True, status_code=200, summary="Escalate one level")
    def escalate(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.WithReason]
    ) -> Response[schemas.CommandResult]:
        return _on_complaint(services, request, ref, data, "escalate", reason=data.reason)

    @post(
        "/{ref:str}/priority",
        sync_to_thread=True,
        status_code=200,
        summary="Raise to high priority",
    )
    def raise_priority(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.WithReason]
    ) -> Response[schemas.CommandResult]:
        return _on_complaint(services, request, ref, data, "raise_priority", reason=data.reason)

    @post(
        "/{ref:str}/resolve",
        sync_to_thread=True,
        status_code=200,
        summary="Dispose of, with evidence",
    )
    def resolve(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Resolve]
    ) -> Response[schemas.CommandResult]:
        evidence = attachments(services, data.attachments)
        return _on_complaint(
            services,
            request,
            ref,
            data,
            "resolve",
            outcome=data.outcome,
            action_taken=data.action_taken,
            evidence=evidence,
        )

    @post(
        "/{ref:str}/feedback",
        sync_to_thread=True,
        status_code=200,
        summary="The complainant's feedback",
    )
    def feedback(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.GiveFeedback]
    ) -> Response[schemas.CommandResult]:
        return _on_complaint(
            services,
            request,
            ref,
            data,
            "give_feedback",
            satisfied=data.satisfied,
            rating=data.rating,
            comment=data.comment,
        )

    @post(
        "/{ref:str}/reopen",
        sync_to_thread=True,
        status_code=200,
        summary="Reopen a disposed complaint",
    )
    def reopen(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.WithReason]
    ) -> Response[schemas.CommandResult]:
        return _on_complaint(services, request, ref, data, "reopen", reason=data.reason)

    @post("/{ref:str}/close", sync_to_thread=True, status_code=200, summary="Close")
    def close(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.WithReason]
    ) -> Response[schemas.CommandResult]:
        return _on_complaint(services, request, ref, data, "close_complaint", reason=data.reason)

    @post(
        "/{ref:str}/remind",
        sync_to_thread=True,
        status_code=200,
        summary="The complainant's reminder",
    )
    def remind(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Remind]
    ) -> Response[schemas.CommandResult]:
        return _on_complaint(services, request, ref, data, "remind", note=data.note)

    @post("/{ref:str}/comments", sync_to_thread=True, status_code=200, summary="A staff comment")
    def comment(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Comment]
    ) -> Response[schemas.CommandResult]:
        return _on_complaint(services, request, ref, data, "comment", text=data.text)

    @post("/{ref:str}/review", sync_to_thread=True, status_code=200, summary="A secretary's review")
    def review(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Review]
    ) -> Response[schemas.CommandResult]:
        return _on_complaint(services, request, ref, data, "record_review", note=data.note)

    # --- reads, from the event store ----------------------------------------------------

    @get("/", sync_to_thread=True, summary="Search complaints (read model)")
    def search(
        self,
        request: Req,
        services: Injected,
        status: FromQuery[Status | None] = None,
        district: FromQuery[Code | None] = None,
        department: FromQuery[Code | None] = None,
        category: FromQuery[Code | None] = None,
        level: Annotated[int | None, QueryParameter(ge=1, le=4)] = None,
        holder: FromQuery[Code | None] = None,
        priority: FromQuery[Priority | None] = None,
        channel: FromQuery[Channel | None] = None,
        filed_from: FromQuery[datetime | None] = None,
        filed_to: FromQuery[datetime | None] = None,
        overdue: FromQuery[bool | None] = None,
        q: Annotated[
            str | None, QueryParameter(min_length=1, max_length=200, pattern=schemas.TEXT)
        ] = None,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> schemas.ComplaintPage:
        for name, moment in (("filed_from", filed_from), ("filed_to", filed_to)):
            if moment is not None and moment.tzinfo is None:
                raise Problem(
                    400, f"{name} needs a timezone, e.g. 2026-11-01T00:00:00Z", field=name
                )
        wanted = Search(
            status=status,
            district=district,
            department=department,
            category=category,
            level=level,
            holder=holder,
            priority=priority,
            channel=channel,
            filed_from=filed_from,
            filed_to=filed_to,
            overdue=overdue,
            words=q,
        )
        now = services.app.clock()
        try:
            with services.pool.connection() as conn:
                page = ReadQueries(conn).search(
                    request.user, wanted, cursor=cursor, limit=limit, now=now
                )
        except OutOfScope as refused:
            raise Problem(403, str(refused)) from None
        except ValueError as bad:
            raise Problem(400, str(bad), field="cursor") from None
        services.looked(request.user, (r.id for r in page.rows), "GET /v1/complaints")
        return schemas.ComplaintPage(
            items=[views.summary(r, request.user, now) for r in page.rows],
            next_cursor=page.next_cursor,
        )

    @get("/{ref:str}", sync_to_thread=True, summary="The complaint as it is now (read model)")
    def current(
        self,
        request: Req,
        services: Injected,
        ref: Ref,
        min_version: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> schemas.ComplaintOut:
        """With `min_version`, waits a few seconds for the read model to hold that version,
        so a frontend reads its own writes."""
        complaint = parse_complaint_id(ref)
        row = read_model_row(services, complaint, min_version)
        with services.pool.connection() as conn:
            visible = ReadQueries(conn).visible(request.user, complaint)
        if not visible:
            if request.user.role == Role.CITIZEN:
                raise Problem(404, "no such complaint")
            raise Problem(403, f"complaint {row.registration_no} is outside your scope")
        services.looked(request.user, [complaint], "GET /v1/complaints/{ref}")
        return views.complaint_from_row(row, request.user)

    @get("/{ref:str}/timeline", sync_to_thread=True, summary="Every event, in order")
    def timeline(self, request: Req, services: Injected, ref: Ref) -> schemas.Timeline:
        complaint = services.app.complaint(parse_complaint_id(ref), by=request.user)
        events = services.app.timeline(complaint.id)
        services.looked(request.user, [complaint.id], "GET /v1/complaints/{ref}/timeline")
        return schemas.Timeline(
            id=complaint.id,
            registration_no=complaint.registration_no,
            events=[views.timeline_entry(e, request.user) for e in events],
        )

    @get("/{ref:str}/state", sync_to_thread=True, summary="The complaint as it was then")
    def state(
        self,
        request: Req,
        services: Injected,
        ref: Ref,
        version: Annotated[int | None, QueryParameter(ge=1)] = None,
        at: FromQuery[datetime | None] = None,
    ) -> schemas.ComplaintOut:
        complaint_ref = parse_complaint_id(ref)
        services.app.complaint(complaint_ref, by=request.user)  # scope check on today's state
        if (version is None) == (at is None):
            raise Problem(400, "give exactly one of version or at", field="version")
        if version is not None:
            then = services.app.complaint_at_version(complaint_ref, version)
        else:
            assert at is not None
            if at.tzinfo is None:
                raise Problem(400, "at needs a timezone, e.g. 2026-11-22T10:00:00Z", field="at")
            then = services.app.complaint_as_of(complaint_ref, at)
        services.looked(request.user, [complaint_ref], "GET /v1/complaints/{ref}/state")
        return views.complaint_out(then, request.user)
