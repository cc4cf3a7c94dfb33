"""The content-addressed store for evidence: a file's name is its SHA-256.

Beside each file the store keeps the media type its bytes were found to be when it was put
(`<sha256>.type`), so what a file is served as is decided once, from the bytes, and never
by what a caller says about them. Bytes of no type we recognise are
`application/octet-stream`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

SHA256 = re.compile(r"^[0-9a-f]{64}$")
OCTET_STREAM = "application/octet-stream"


def _is_iso_media(head: bytes, third_generation: bool) -> bool:
    """MP4 and 3GP are both ISO media files (`ftyp` box); the major brand tells them apart:
    3GPP's brands start `3g` (3gp4, 3gp5, 3g2a...)."""
    return head[4:8] == b"ftyp" and head[8:10].startswith(b"3g") == third_generation


# The types evidence may have, each recognised by its first bytes (its "magic number").
SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "application/pdf": lambda h: h.startswith(b"%PDF-"),
    "image/jpeg": lambda h: h.startswith(b"\xff\xd8\xff"),
    "image/png": lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/webp": lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP",
    "video/mp4": lambda h: _is_iso_media(h, third_generation=False),
    "video/3gpp": lambda h: _is_iso_media(h, third_generation=True),
    "audio/mpeg": lambda h: h.startswith((b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    "audio/ogg": lambda h: h.startswith(b"OggS"),  # WhatsApp's voice notes (Opus in Ogg)
}


def media_type_of(content: bytes) -> str | None:
    """What the bytes are, by their signature; None when they match none we accept."""
    head = content[:16]
    for media_type, matches in SIGNATURES.items():
        if matches(head):
            return media_type
    return None


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if not SHA256.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def _type_path(self, sha256: str) -> Path:
        return self.path(sha256).with_suffix(".type")

    def _uploaders_path(self, sha256: str) -> Path:
        return self.path(sha256).with_suffix(".by")

    @staticmethod
    def _uploader_line(uploader: str) -> bytes:
        # Uploaders are kept as hashes: a citizen's id holds their mobile number.
        return hashlib.sha256(uploader.encode()).hexdigest().encode() + b"\n"

    def put(self, content: bytes, uploader: str | None = None) -> str:
        """Store `content` (once, however often it is sent) with the media type its bytes
        are, and note who uploaded it; returns its SHA-256."""
        digest = hashlib.sha256(content).hexdigest()
        target = self.path(digest)
        # The type first: a file in the store always has its type beside it.
        if not self._type_path(digest).exists():
            media_type = media_type_of(content) or OCTET_STREAM
            self._write(self._type_path(digest), media_type.encode())
        if uploader is not None and not self.uploaded_by(digest, uploader):
            self._uploaders_path(digest).parent.mkdir(parents=True, exist_ok=True)
            with self._uploaders_path(digest).open("ab") as out:
                out.write(self._uploader_line(uploader))
        if not target.exists():
            self._write(target, content)
        return digest

    def uploaded_by(self, sha256: str, uploader: str) -> bool | None:
        """Whether `uploader` sent this file (None: a file stored before uploaders were
        noted, or put by the system)."""
        try:
            uploaders = self._uploaders_path(sha256).read_bytes()
        except FileNotFoundError:
            return None
        return self._uploader_line(uploader) in uploaders.splitlines(keepends=True)

    def _write(self, target: Path, content: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)

    def exists(self, sha256: str) -> bool:
        return bool(SHA256.match(sha256)) and self.path(sha256).exists()

    def get(self, sha256: str) -> bytes | None:
        return self.path(sha256).read_bytes() if self.exists(sha256) else None

    def media_type(self, sha256: str) -> str | None:
        """The type recorded when the file was put (None for a file not in the store). A
        file stored before types were recorded is judged by its bytes now."""
        if not self.exists(sha256):
            return None
        try:
            recorded = self._type_path(sha256).read_text().strip()
        except FileNotFoundError:
            content = self.get(sha256)
            recorded = (media_type_of(content) if content else None) or OCTET_STREAM
        return recorded if recorded in SIGNATURES else OCTET_STREAM
