"""The search over the read model (`GET /v1/complaints`): a page, or every match as a file,
and what the who-looked log is told of it (docs/security.md, "Who looked")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Response
from litestar.params import QueryParameter

from api import exports, schemas, views
from api.exports import Format
from api.problems import Problem
from api.services import Services
from domain.values import Identity
from projections.queries import OutOfScope, Page, ReadQueries, Search

# A complainant's mobile as a desk agent types it: `+91`, `0`, spaces and hyphens allowed
# (`domain.inputs.dialled_mobile` makes it the ten digits every filing stores).
DialledMobile = Annotated[
    str | None,
    QueryParameter(
        min_length=10,
        max_length=20,
        pattern=r"^[0-9+ ().-]+$",
        description="The complainant's mobile number: ten digits starting 6-9, optionally "
        "with +91, 91 or 0 in front and spaces or hyphens between",
    ),
]
# An export of a search is every match, up to this many (docs/api.md, "Formats").
EXPORT_CAP = 100_000
EXPORT_PAGE = 1_000
# Who-looked's entry for a search by a person's mobile or name that showed no complaint.
NOTHING_FOUND = UUID(int=0)


def search_endpoint(wanted: Search, format: Format) -> str:
    """The search as the who-looked log names it: the person it looked for, the file made."""
    asked = [*wanted.by_complainant, *([f"format={format}"] if format != Format.JSON else [])]
    return "GET /v1/complaints" + ("?" + "&".join(asked) if asked else "")


def search_page(
    services: Services,
    who: Identity,
    wanted: Search,
    cursor: str | None,
    limit: int,
    now: datetime,
) -> Page:
    try:
        with services.pool.connection() as conn:
            return ReadQueries(conn).search(who, wanted, cursor=cursor, limit=limit, now=now)
    except OutOfScope as refused:
        raise Problem(403, str(refused), field=refused.field) from None


def export_search(
    services: Services,
    who: Identity,
    wanted: Search,
    cursor: str | None,
    now: datetime,
    endpoint: str,
    format: Format,
) -> Response[Any]:
    """Every complaint the search finds, as a file: counted first (over the cap is a 400,
    before anything is sent), then read a page at a time as the file is written, each
    page's complaints logged in the who-looked log as they are sent."""
    try:
        with services.pool.connection() as conn:
            found = ReadQueries(conn).count(who, wanted, now=now, at_most=EXPORT_CAP + 1)
    except OutOfScope as refused:
        raise Problem(403, str(refused), field=refused.field) from None
    if found > EXPORT_CAP:
        raise Problem(
            400,
            f"the search finds more than {EXPORT_CAP:,} complaints, more than one export "
            "holds: narrow it (status, district, department, filed_from, filed_to, ...)",
            field="format",
        )
    if wanted.by_complainant and not found:
        services.looked(who, [NOTHING_FOUND], endpoint)

    def rows() -> Iterator[schemas.ComplaintSummary]:
        after = cursor
        while True:
            page = search_page(services, who, wanted, after, EXPORT_PAGE, now)
            services.looked(who, (r.id for r in page.rows), endpoint)
            yield from (views.summary(r, who, now) for r in page.rows)
            if page.next_cursor is None:
                return
            after = page.next_cursor

    header = list(schemas.ComplaintSummary.__struct_fields__)
    name = f"complaints-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return exports.download(format, name, header, exports.struct_rows(rows()))
