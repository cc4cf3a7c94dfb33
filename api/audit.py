"""Auditors' endpoints: whether a complaint's history is intact."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from api import schemas
from api.complaints import Ref, parse_complaint_id, seen_complaint
from api.guards import only_roles_allowed_to
from api.problems import Problem
from api.schemas import checked
from api.services import Services
from domain import access, inputs
from domain.values import Identity
from infra.eventstore.audit import signed_head, verify_chain, verify_signature

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]


class CheckpointOut(msgspec.Struct, kw_only=True):
    id: int | None
    taken_at: datetime | None
    signature_valid: bool
    covers_version: int | None  # this complaint's version the checkpoint signed
    matches: bool | None  # whether the chain still holds what was signed
    problems: list[str]


class AuditOut(msgspec.Struct, kw_only=True):
    complaint: UUID
    events: int
    chain_holds: bool
    first_broken_version: int | None
    reason: str | None
    checkpoint: CheckpointOut


@get(
    "/v1/complaints/{ref:str}/audit",
    sync_to_thread=True,
    tags=["audit"],
    summary="Integrity",
    # Refused before the complaint is looked up: the same answer whether it exists.
    guards=[only_roles_allowed_to("audit", "check the audit chain")],
)
def complaint_audit(request: Req, services: Injected, ref: Ref) -> AuditOut:
    """Recomputes the complaint's hash chain from the stored events and checks it against
    the latest signed checkpoint."""
    found = seen_complaint(services, ref, request.user)
    access.require(request.user, found, "audit")
    complaint = found.id
    with services.pool.connection() as conn:
        chain = verify_chain(conn, complaint)
        # The signature only: the whole root is `sampark audit verify`'s job, not a request's.
        checkpoint = verify_signature(conn, services.audit_key)
        signed = signed_head(conn, checkpoint.id, complaint)
    covers = signed.version if signed else None
    matches = signed.matches if signed else None
    return AuditOut(
        complaint=complaint,
        events=chain.events,
        chain_holds=chain.holds and matches is not False,
        first_broken_version=chain.first_broken_version or (covers if matches is False else None),
        reason=chain.reason or ("differs from the signed checkpoint" if matches is False else None),
        checkpoint=CheckpointOut(
            id=checkpoint.id,
            taken_at=checkpoint.taken_at,
            signature_valid=checkpoint.signature_valid,
            covers_version=covers,
            matches=matches,
            problems=checkpoint.problems,
        ),
    )


class LookOut(msgspec.Struct, kw_only=True):
    at: datetime
    actor_id: str
    actor_role: str
    complaint: UUID
    endpoint: str


class LookPage(msgspec.Struct, kw_only=True):
    items: list[LookOut]
    next_cursor: str | None


@get(
    "/v1/audit/access",
    sync_to_thread=True,
    tags=["audit"],
    summary="Who looked at what",
    guards=[only_roles_allowed_to("who_looked", "read who looked at what")],
)
def who_looked(
    request: Req,
    services: Injected,
    complaint: FromQuery[str | None] = None,
    actor: Annotated[
        str | None, QueryParameter(min_length=1, max_length=inputs.IDENTIFIER.max_length)
    ] = None,
    since: Annotated[datetime | None, QueryParameter(name="from")] = None,
    until: Annotated[datetime | None, QueryParameter(name="to")] = None,
    cursor: schemas.Cursor = None,
    limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
) -> LookPage:
    """Every time staff were shown a complaint's personal data: newest first, a page at a
    time (`next_cursor`)."""
    actor = checked("actor", actor, inputs.IDENTIFIER.clean)
    since = checked("from", since, inputs.moment)
    until = checked("to", until, inputs.moment)
    try:
        found = services.looks.find(
            complaint=parse_complaint_id(complaint) if complaint else None,
            actor=actor,
            since=since,
            until=until,
            cursor=cursor,
            limit=limit,
        )
    except ValueError as bad:
        raise Problem(400, str(bad), field="cursor") from None
    return LookPage(
        items=[
            LookOut(
                at=look.at,
                actor_id=look.actor_id,
                actor_role=look.actor_role,
                complaint=look.complaint_id,
                endpoint=look.endpoint,
            )
            for look in found.looks
        ],
        next_cursor=found.next_cursor,
    )
