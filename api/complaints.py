"""Complaint commands and the event-store reads: current state, timeline, time travel."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import Annotated, Any, Protocol, cast
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from api import schemas, views
from api.assist import at_filing, duplicates_of
from api.attachments import may_refer_to, stored_media_type
from api.exports import Format, FormatQuery
from api.guards import only_roles_allowed_to
from api.idempotency import receipt_for, run_once
from api.openapi import filed_at
from api.problems import Problem
from api.search import NOTHING_FOUND, DialledMobile, export_search, search_endpoint, search_page
from api.services import Services
from domain import access, inputs
from domain.access import NO_SUCH_COMPLAINT
from domain.complaint import Complaint, complaint_id
from domain.values import (
    ASSISTANT,
    Attachment,
    Channel,
    Complainant,
    Identity,
    Offered,
    Priority,
    Role,
    Status,
)
from infra.loop_pools import fetch_one
from infra.security.rate_limits import client_address
from projections.queries import Search, decode_cursor, one_complaint
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
            raise Problem(404, NO_SUCH_COMPLAINT) from None
        return complaint_id(ref)


def attachments(
    services: Injected, who: Identity, refs: list[schemas.AttachmentIn]
) -> tuple[Attachment, ...]:
    """Every referenced file must be in the store, with the size the caller claims, and be
    one the caller may name (`api.attachments.may_refer_to`)."""
    found = []
    for index, ref in enumerate(refs):
        content = services.blobs.get(ref.sha256)
        if content is not None and not may_refer_to(services, who, ref.sha256):
            content = None  # answered as a file never uploaded: nothing is revealed
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
                sha256=ref.sha256,
                filename=ref.filename,
                media_type=stored_media_type(services.blobs, index, ref),
                size=ref.size,
            )
        )
    return tuple(found)


def seen_complaint(services: Services, ref: str, who: Identity) -> Complaint:
    """The complaint `ref` names, from the event store, if `who` may see it; otherwise a 404
    that reads the same as for a complaint never filed."""
    return services.app.complaint(parse_complaint_id(ref), by=who)


async def read_model_row(
    services: Services, who: Identity, complaint: UUID, min_version: int | None, endpoint: str
) -> ComplaintRow:
    """The read model's row for a complaint `who` may see, the look recorded for `endpoint`
    by the statement that reads it when the row is served (`Services.looker`), awaited on
    the event loop (`infra/loop_pools.py`). Scope comes first: one who may not see the
    complaint gets the 404 of a missing one, whatever `min_version` asks."""
    if min_version is not None:
        # Wait only for what the event store holds: an unknown complaint or a version never
        # written is answered at once.
        stored = await asyncio.to_thread(seen_complaint, services, str(complaint), who)
        if stored.version < min_version:
            raise Problem(
                404, f"the complaint has versions 1 to {stored.version}", field="min_version"
            )
    query, params = one_complaint(
        complaint, seen_by=who, looker=services.looker(who, endpoint), min_version=min_version or 0
    )
    deadline = time.monotonic() + services.settings.read_wait_seconds
    while True:
        found = await fetch_one(services.reads, query, params)
        row = ComplaintRow(*found) if found else None
        if row is not None and (min_version is None or row.version >= min_version):
            return row
        if min_version is None or time.monotonic() >= deadline:
            break
        await asyncio.sleep(0.02)
    if row is None and min_version is None:
        raise Problem(404, NO_SUCH_COMPLAINT)
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
    shaped: Callable[[schemas.CommandResult], Any] | None = None,
    who: Identity | None = None,
) -> Response[Any]:
    def answer(c: Complaint) -> Response[Any]:
        result = views.command_result(c)
        return Response(shaped(result) if shaped else result, status_code=status)

    def replay(aggregate_id: UUID, version: int) -> Response[Any]:
        return answer(services.app.complaint_at_version(aggregate_id, version))

    receipt = receipt_for(request, who or request.user, msgspec.json.encode(data))
    return run_once(services.receipts, receipt, write, answer, replay)


class Versioned(Protocol):
    """A command's body: its fields, and the version it expects the complaint to be at."""

    @property
    def expected_version(self) -> int | None: ...


class OnComplaint(Protocol):
    """A command of the application on one complaint, its own fields already given
    (`functools.partial(services.app.escalate, reason=...)`, checked by mypy)."""

    def __call__(
        self,
        complaint_id: UUID,
        /,
        *,
        by: Identity,
        expected_version: int | None,
        recorded_with: Mapping[str, Any],
    ) -> Complaint: ...


def on_complaint(
    services: Services, request: Req, ref: str, data: Versioned, command: OnComplaint
) -> Response[Any]:
    """Send `command` for the complaint `ref`, once per Idempotency-Key. Scope comes before
    the version (`Sampark._command`): a 409 would tell an outsider how many events it has."""
    complaint = parse_complaint_id(ref)
    return _command(
        services,
        request,
        cast(msgspec.Struct, data),
        lambda receipt: command(
            complaint,
            by=request.user,
            expected_version=data.expected_version,
            recorded_with=receipt,
        ),
    )


def _limit_citizens(
    services: Services, request: Req, who: Identity, channel: Channel, mobile: str
) -> None:
    """A citizen files at most so many complaints per mobile and per client address. Only a
    filing the caller has the right to make is counted (its own mobile, a citizen's
    channel): refused attempts under someone else's number cannot use up that person's
    quota. The address is the client's as `SAMPARK_TRUSTED_PROXIES` lets us know it."""
    if who.role != Role.CITIZEN:
        return
    access.check_filer(who, channel, mobile)
    settings, now = services.settings, services.app.clock()
    address = client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        settings.trusted_proxy_networks(),
    )
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


def file_complaint(
    services: Services,
    request: Req,
    who: Identity,
    data: schemas.FileComplaint,
    status: int = 201,
) -> Response[schemas.FiledResult]:
    """File `data` as `who`, once per Idempotency-Key: the filing of every way in that files
    (the JSON API, Open311)."""
    # The right to file first: the files named tell nothing to one who may not file.
    access.check_filer(who, data.channel, data.complainant.mobile)
    evidence = attachments(services, who, data.attachments)
    person = data.complainant
    where = at_filing(services, data.subject, data.description, data.department, data.category)
    place = data.location.value() if data.location else None
    repeats = duplicates_of(
        services,
        who,
        data.district,
        data.subject,
        data.description,
        person.mobile,
        point=place.point if place else None,
    )
    # What the complainant may follow (`docs/assist.md`, "Following"): for a citizen, who
    # sees no one else's complaints, found in the assistant's own scope.
    offered = repeats
    if who.role == Role.CITIZEN:
        offered = duplicates_of(
            services,
            ASSISTANT,
            data.district,
            data.subject,
            data.description,
            person.mobile,
            point=place.point if place else None,
        )

    def file_once(receipt: dict[str, Any]) -> Complaint:
        # Counted inside the once-per-key run: a retry of the same filing is not counted.
        _limit_citizens(services, request, who, data.channel, person.mobile)
        return services.app.file_complaint(
            by=who,
            complainant=Complainant(
                name=person.name.strip(),
                mobile=person.mobile,
                email=person.email,
                address=person.address,
                language=person.language,
            ),
            district=data.district,
            department=where.department,
            category=where.category,
            subject=data.subject,
            description=data.description,
            channel=data.channel,
            attachments=evidence,
            assistant=where.assistant,
            risk=where.risk,
            location=place,
            service=data.service,
            applied_on=data.applied_on,
            offered=tuple(Offered(str(c.id), c.registration_no) for c in offered),
            recorded_with=receipt,
        )

    def with_repeats(result: schemas.CommandResult) -> schemas.FiledResult:
        fields = msgspec.structs.asdict(result)
        return schemas.FiledResult(**fields, possible_duplicates=repeats, followable=offered)

    return _command(services, request, data, file_once, status=status, shaped=with_repeats, who=who)


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
    ) -> Response[schemas.FiledResult]:
        return file_complaint(services, request, request.user, data)

    @post("/{ref:str}/assign", sync_to_thread=True, status_code=200, summary="Assign to a post")
    def assign(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Assign]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services, request, ref, data, partial(services.app.assign, post=data.post)
        )

    @post(
        "/{ref:str}/transfer",
        sync_to_thread=True,
        status_code=200,
        summary="Transfer to another department",
    )
    def transfer(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Transfer]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(
                services.app.transfer,
                department=data.department,
                category=data.category,
                reason=data.reason,
            ),
        )

    @post(
        "/{ref:str}/triage",
        sync_to_thread=True,
        status_code=200,
        summary="The helpline desk's department and category for a complaint awaiting triage",
    )
    def triage(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Triage]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(services.app.triage, department=data.department, category=data.category),
        )

    @post("/{ref:str}/escalate", sync_to_thread=True, status_code=200, summary="Escalate one level")
    def escalate(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.WithReason]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services, request, ref, data, partial(services.app.escalate, reason=data.reason)
        )

    @post(
        "/{ref:str}/priority",
        sync_to_thread=True,
        status_code=200,
        summary="Raise to high priority",
    )
    def raise_priority(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.WithReason]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services, request, ref, data, partial(services.app.raise_priority, reason=data.reason)
        )

    @post(
        "/{ref:str}/link",
        sync_to_thread=True,
        status_code=200,
        summary="Link to an earlier complaint as its duplicate",
    )
    def link(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Link]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services, request, ref, data, partial(services.app.link, duplicate_of=data.duplicate_of)
        )

    @post(
        "/{ref:str}/resolve",
        sync_to_thread=True,
        status_code=200,
        summary="Dispose of, with evidence",
    )
    def resolve(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Resolve]
    ) -> Response[schemas.CommandResult]:
        # The command's own rule first: the files named tell nothing to one who may not act.
        access.require(request.user, services.app.complaint(parse_complaint_id(ref)), "resolve")
        evidence = attachments(services, request.user, data.attachments)
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(
                services.app.resolve,
                outcome=data.outcome,
                action_taken=data.action_taken,
                evidence=evidence,
            ),
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
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(
                services.app.give_feedback,
                satisfied=data.satisfied,
                rating=data.rating,
                comment=data.comment,
            ),
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
        return on_complaint(
            services, request, ref, data, partial(services.app.reopen, reason=data.reason)
        )

    @post("/{ref:str}/close", sync_to_thread=True, status_code=200, summary="Close")
    def close(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.WithReason]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services, request, ref, data, partial(services.app.close_complaint, reason=data.reason)
        )

    @post(
        "/{ref:str}/remind",
        sync_to_thread=True,
        status_code=200,
        summary="The complainant's reminder",
    )
    def remind(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Remind]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services, request, ref, data, partial(services.app.remind, note=data.note)
        )

    @post(
        "/{ref:str}/withdraw",
        sync_to_thread=True,
        status_code=200,
        summary="The complainant withdraws an open complaint, saying why",
        guards=[only_roles_allowed_to("withdraw", "withdraw a complaint")],
    )
    def withdraw(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Withdraw]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services, request, ref, data, partial(services.app.withdraw, reason=data.reason)
        )

    @post(
        "/{ref:str}/follow",
        sync_to_thread=True,
        status_code=200,
        summary="Follow an open complaint about the same grievance, from one's own",
        guards=[only_roles_allowed_to("follow", "follow a complaint")],
    )
    def follow(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Follow]
    ) -> Response[schemas.CommandResult]:
        """`ref` is the complaint to follow; `complaint`, the caller's own, records it."""
        following = parse_complaint_id(ref)
        return _command(
            services,
            request,
            data,
            lambda receipt: services.app.follow(
                data.complaint,
                by=request.user,
                following=following,
                expected_version=data.expected_version,
                recorded_with=receipt,
            ),
        )

    @post("/{ref:str}/comments", sync_to_thread=True, status_code=200, summary="A staff comment")
    def comment(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Comment]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(services.app.comment, text=data.text, visibility=data.visibility),
        )

    @post("/{ref:str}/review", sync_to_thread=True, status_code=200, summary="A secretary's review")
    def review(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[schemas.Review]
    ) -> Response[schemas.CommandResult]:
        return on_complaint(
            services, request, ref, data, partial(services.app.record_review, note=data.note)
        )

    # --- reads, from the event store ----------------------------------------------------

    @get("/", sync_to_thread=True, summary="Search complaints (read model)")
    def search(
        self,
        request: Req,
        services: Injected,
        status: FromQuery[Status | None] = None,
        district: schemas.CodeQuery = None,
        department: schemas.CodeQuery = None,
        category: schemas.CodeQuery = None,
        level: Annotated[int | None, QueryParameter(ge=1, le=4)] = None,
        holder: schemas.CodeQuery = None,
        priority: FromQuery[Priority | None] = None,
        channel: FromQuery[Channel | None] = None,
        filed_from: FromQuery[datetime | None] = None,
        filed_to: FromQuery[datetime | None] = None,
        overdue: FromQuery[bool | None] = None,
        q: Annotated[
            str | None,
            QueryParameter(
                min_length=1, max_length=inputs.SEARCH_WORDS.max_length, pattern=schemas.TEXT
            ),
        ] = None,
        mobile: DialledMobile = None,
        name: Annotated[
            str | None,
            QueryParameter(
                min_length=1,
                max_length=inputs.NAME.max_length,
                pattern=inputs.NAME.pattern,
                description="The complainant's name or part of it: any case and spacing, "
                "each word part of the name as filed, or close to it",
            ),
        ] = None,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        format: FormatQuery = Format.JSON,
    ) -> Response[schemas.ComplaintPage]:
        """`mobile` and `name` find a complaint by who filed it (the 181 desk and staff in
        their scope; logged as a read of personal data). `format=csv` or `xlsx` exports every
        match from `cursor` on, not a page, up to `EXPORT_CAP` complaints."""
        district, department, category, holder = (
            schemas.checked(field, value, inputs.CODE.clean)
            for field, value in (
                ("district", district),
                ("department", department),
                ("category", category),
                ("holder", holder),
            )
        )
        filed_from = schemas.checked("filed_from", filed_from, inputs.moment)
        filed_to = schemas.checked("filed_to", filed_to, inputs.moment)
        q = schemas.checked("q", q, inputs.SEARCH_WORDS.clean)
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
            mobile=schemas.checked("mobile", mobile, inputs.dialled_mobile),
            name=schemas.checked("name", name, inputs.NAME.clean),
        )
        if cursor is not None:
            try:
                decode_cursor(cursor)
            except ValueError as bad:
                raise Problem(400, str(bad), field="cursor") from None
        who, now = request.user, services.app.clock()
        endpoint = search_endpoint(wanted, format)
        if format != Format.JSON:
            return export_search(services, who, wanted, cursor, now, endpoint, format)
        page = search_page(services, who, wanted, cursor, limit, now)
        services.looked(who, (r.id for r in page.rows), endpoint)
        if wanted.by_complainant and not page.rows:
            services.looked(who, [NOTHING_FOUND], endpoint)
        return Response(
            schemas.ComplaintPage(
                items=[views.summary(r, who, now) for r in page.rows],
                next_cursor=page.next_cursor,
            )
        )

    @get("/{ref:str}", summary="The complaint as it is now (read model)")
    async def current(
        self,
        request: Req,
        services: Injected,
        ref: Ref,
        min_version: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> schemas.ComplaintOut:
        """With `min_version`, waits a few seconds for the read model to hold that version,
        so a frontend reads its own writes."""
        row = await read_model_row(
            services, request.user, parse_complaint_id(ref), min_version, "GET /v1/complaints/{ref}"
        )
        return views.complaint_from_row(row, request.user)

    @get("/{ref:str}/timeline", sync_to_thread=True, summary="Every event, in order")
    def timeline(self, request: Req, services: Injected, ref: Ref) -> schemas.Timeline:
        complaint = seen_complaint(services, ref, request.user)
        events = services.app.timeline(complaint.id)
        services.looked(request.user, [complaint.id], "GET /v1/complaints/{ref}/timeline")
        return schemas.Timeline(
            id=complaint.id,
            registration_no=complaint.registration_no,
            events=views.timeline(events, request.user, services.disclosure),
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
        complaint_ref = seen_complaint(services, ref, request.user).id  # scope: today's
        if (version is None) == (at is None):
            raise Problem(400, "give exactly one of version or at", field="version")
        if version is not None:
            then = services.app.complaint_at_version(complaint_ref, version)
        else:
            at = schemas.checked("at", at, inputs.moment)
            assert at is not None
            then = services.app.complaint_as_of(complaint_ref, at)
        services.looked(request.user, [complaint_ref], "GET /v1/complaints/{ref}/state")
        return views.complaint_out(then, request.user)
