"""Evidence uploads into the content-addressed store, and downloads by SHA-256."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from api import schemas
from api.idempotency import answer_once, receipt_for
from api.problems import Problem
from api.services import Services
from domain.permissions import uses
from domain.values import Identity
from projections.queries import ReadQueries

Injected = NamedDependency[Services]
MULTIPART_OVERHEAD = 64 * 1024
DEFAULT_MAX_UPLOAD = 25 * 1024 * 1024


def _is_mp4(head: bytes) -> bool:
    return head[4:8] == b"ftyp"


SIGNATURES: dict[str, Any] = {
    "application/pdf": lambda h: h.startswith(b"%PDF-"),
    "image/jpeg": lambda h: h.startswith(b"\xff\xd8\xff"),
    "image/png": lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/webp": lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP",
    "video/mp4": _is_mp4,
    "video/3gpp": _is_mp4,
    "audio/mpeg": lambda h: h.startswith((b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
}
ALLOWED = ", ".join(sorted(SIGNATURES))


def media_type_of(content: bytes) -> str | None:
    """What the bytes are, by their signature; the declared type must agree."""
    head = content[:16]
    for media_type, matches in SIGNATURES.items():
        if matches(head):
            return media_type
    return None


class AttachmentController(Controller):
    path = "/v1/attachments"
    tags = ["attachments"]

    @post(
        "/",
        status_code=201,
        request_max_body_size=DEFAULT_MAX_UPLOAD + MULTIPART_OVERHEAD,
        sync_to_thread=True,
        summary="Upload evidence (multipart, field `file`)",
    )
    def upload(
        self,
        request: Request[Identity, Any, Any],
        services: Injected,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[Any]:
        if not uses(request.user, "upload_evidence"):
            raise Problem(403, f"a {request.user.role} does not upload evidence")
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
            sha = services.blobs.put(content)
            ref = schemas.Uploaded(
                sha256=sha, filename=filename, media_type=declared, size=len(content)
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
        """A file attached to complaints opens for whoever may see one of them; a file not
        yet attached to any, for those who upload evidence."""
        content = services.blobs.get(sha256)
        if content is None:
            raise Problem(404, "no such attachment")
        with services.pool.connection() as conn:
            found = ReadQueries(conn).attached(request.user, sha256)
        if found.visible == 0 and (found.anywhere > 0 or not uses(request.user, "upload_evidence")):
            raise Problem(404, "no such attachment")
        return Response(
            content,
            media_type=media_type_of(content) or "application/octet-stream",
            headers={"Cache-Control": "private, max-age=31536000, immutable"},
        )
