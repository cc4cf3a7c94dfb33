"""`/documents/{token}`: a document the scheduler sent by a signed link (the secretary's
monthly data, the infographic announced to its publishers), opened without logging in: the
link is the permission, for DOCUMENT_DAYS. The copy served is the one kept when it was sent
(`reports.kept`)."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from api.problems import Problem
from api.reports import MEDIA_TYPES, SHEET_TYPES, document
from api.services import Services
from infra.security.report_links import document_of
from infra.security.signing import BadToken
from reports.kept import Name, Shelf

Injected = NamedDependency[Services]
# Each format kept, by its name in `reports.kept`.
TYPES = {kind.value: media for kind, media in (*MEDIA_TYPES.items(), *SHEET_TYPES.items())}


@get(
    "/documents/{token:str}",
    sync_to_thread=True,
    tags=["reports"],
    summary="A document sent by a signed link (the secretary's monthly data)",
)
def sent_document(token: FromPath[str], services: Injected) -> Response[bytes]:
    try:
        name = Name(*document_of(services.settings, token, services.app.clock()))
    except BadToken:
        raise Problem(403, "the link is not valid, or has expired") from None
    with services.pool.connection() as conn:
        kept = Shelf(conn).kept(name)
    if kept is None:
        raise Problem(404, "no such document")
    filename = f"sampark-{name.kind}-{name.subject}-{name.period}-{name.language}.{name.format}"
    return document(kept.content, TYPES[name.format], filename, kept.data_version)
