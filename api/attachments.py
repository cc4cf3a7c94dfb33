"""Evidence uploads into the content-addressed store, and downloads by SHA-256.

What a file is comes from its bytes, once, at upload (`infra/adapters/blobs.py` keeps it beside the
file); a command's `attachments[i].media_type` must agree with it, and every download is
served as that type. Only images, PDFs, audio and video open in the browser; anything else
is a download (`Content-Disposition: attachment`), and nothing is sniffed.

Who may download: whoever may see a complaint that carries the file, except that analysts
(shown no personal data) get only disposal evidence, never a complainant's own upload. A file
not yet attached to any complaint opens only for whoever uploaded it. Every staff download
of a complaint's file is in the who-looked log.
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from api import schemas
from api.guards import only_roles_allowed_to
from api.idempotency import answer_once, receipt_for
from api.problems import Problem
from api.services import Services
from domain.disclosure import shows_personal_data
from domain.permissions import uses
from domain.values import Identity
from infra.adapters.blobs import OCTET_STREAM, SIGNATURES, BlobStore, media_type_of
from projections.carriers import Carrier, carriers

Injected = NamedDependency[Services]
MULTIPART_OVERHEAD = 64 * 1024
DEFAULT_MAX_UPLOAD = 25 * 1024 * 1024
ALLOWED = ", ".join(sorted(SIGNATURES))

# What a browser shows rather than runs: everything else is handed over as a download.
OPENS_IN_BROWSER = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/webp",
        "video/mp4",
        "video/3gpp",
        "audio/mpeg",
        "audio/ogg",
    }
)
_NOT_A_TOKEN = re.compile(r"[^A-Za-z0-9._-]")


def stored_media_type(blobs: BlobStore, index: int, ref: schemas.AttachmentIn) -> str:
    """The media type of an uploaded file a command refers to: the one found in its bytes at
    upload. A reference that says otherwise is refused (400 naming
    `attachments[i].media_type`), so an event never records a type the file is not."""
    stored = blobs.media_type(ref.sha256) or OCTET_STREAM
    said = ref.media_type.split(";")[0].strip().lower()
    if said != stored:
        raise Problem(
            400,
            f"attachment {ref.sha256} is {stored}, not {ref.media_type}",
            field=f"attachments[{index}].media_type",
        )
    return stored


def file_response(
    content: bytes, media_type: str | None, filename: str | None = None, **headers: str
) -> Response[bytes]:
    """A stored file as the browser should get it: as its stored type when that is one a
    browser only shows, otherwise as an opaque download."""
    shown = media_type if media_type in OPENS_IN_BROWSER else None
    disposition = "inline" if shown else "attachment"
    if filename:
        plain = _NOT_A_TOKEN.sub("_", filename)[:255] or "file"
        encoded = quote(filename, safe="", errors="replace")
        disposition += f"; filename=\"{plain}\"; filename*=UTF-8''{encoded}"
    return Response(
        content,
        media_type=shown or OCTET_STREAM,
        headers={"Content-Disposition": disposition, **headers},
    )


def readable(who: Identity, found: list[Carrier]) -> list[UUID]:
    """The complaints through which `who` may open the file."""
    if not shows_personal_data(who) and any(c.filed for c in found):
        return []  # a complainant's own upload, whatever else it is attached to
    return [c.complaint for c in found if c.visible]


def _uploaded_by(blobs: BlobStore, who: Identity, sha256: str) -> bool:
    """A file attached to no complaint yet opens only for whoever uploaded it (for a file
    stored before uploaders were noted: for anyone who uploads evidence)."""
    if not uses(who, "upload_evidence"):
        return False
    return blobs.uploaded_by(sha256, who.id) is not False


def may_refer_to(services: Services, who: Identity, sha256: str) -> bool:
    """Whether `who` may name an uploaded file in a command: a file it uploaded itself, or
    one it may already open through a complaint it sees (an officer reusing a complainant's
    photo as evidence). Anyone else's unattached upload is, to `who`, a file never uploaded:
    knowing its hash must not let a caller attach it and then open it."""
    if services.blobs.uploaded_by(sha256, who.id) is not False:
        return True  # its own upload, or one stored before uploaders were noted
    with services.pool.connection() as conn:
        return bool(readable(who, carriers(conn, who, sha256)))


class AttachmentController(Controller):
    path = "/v1/attachments"
    tags = ["attachments"]

    @post(
        "/",
        status_code=201,
        request_max_body_size=DEFAULT_MAX_UPLOAD + MULTIPART_OVERHEAD,
        sync_to_thread=True,
        summary="Upload evidence (multipart, field `file`)",
        guards=[only_roles_allowed_to("upload_evidence", "upload evidence")],
    )
    def upload(
        self,
        request: Request[Identity, Any, Any],
        services: Injected,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[Any]:
        upload = data.get("file")
        if not isinstance(upload, UploadFile):
            raise Problem(400, "send the file as a multipart part named file", field="file")
        limit = services.settings.max_upload_bytes
        content = upload.file.read(limit + 1)
        if len(content) > limit:
            raise Problem(413, f"a file may be at most {limit} bytes", field="file")
        if not content:
            raise Problem(400, "the file is empty", field="file")
        declared = (upload.content_type or "").split(";")[0].strip().lower()
        if declared not in SIGNATURES:
            raise Problem(
                415,
                f"{declared or 'this type'} is not accepted; send one of {ALLOWED}",
                field="file",
            )
        if media_type_of(content) != declared:
            raise Problem(415, f"the file's content is not {declared}", field="file")
        filename = (upload.filename or "upload").replace("/", "_").replace("\\", "_")
        filename = filename.replace("\x00", "")[:255] or "upload"
        digest = hashlib.sha256()
        for part in (content, declared.encode(), filename.encode()):
            digest.update(part)

        def store() -> bytes:
            sha = services.blobs.put(content, uploader=request.user.id)
            ref = schemas.Uploaded(
                sha256=sha,
                filename=filename,
                media_type=services.blobs.media_type(sha) or OCTET_STREAM,
                size=len(content),
            )
            return msgspec.json.encode(ref)

        receipt = receipt_for(request, request.user, digest.digest())
        body, replayed = answer_once(services.receipts, receipt, store)
        headers = {"Idempotent-Replayed": "true"} if replayed else None
        return Response(
            msgspec.json.decode(body, type=schemas.Uploaded), status_code=201, headers=headers
        )

    @get("/{sha256:str}", sync_to_thread=True, summary="Download evidence")
    def download(
        self, request: Request[Identity, Any, Any], services: Injected, sha256: FromPath[str]
    ) -> Response[bytes]:
        """A file attached to complaints opens for whoever may see one of them (analysts:
        evidence only); a file not yet attached to any, for whoever uploaded it."""
        content = services.blobs.get(sha256)
        if content is None:
            raise Problem(404, "no such attachment")
        with services.pool.connection() as conn:
            found = carriers(conn, request.user, sha256)
        through = readable(request.user, found)
        if not through and (found or not _uploaded_by(services.blobs, request.user, sha256)):
            raise Problem(404, "no such attachment")
        services.looked(request.user, through, "GET /v1/attachments/{sha256}")
        return file_response(
            content,
            services.blobs.media_type(sha256),
            **{"Cache-Control": "private, max-age=31536000, immutable"},
        )
