"""The content-addressed store for evidence: a file's name is its SHA-256."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if not SHA256.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def put(self, content: bytes) -> str:
        """Store `content` (once, however often it is sent); returns its SHA-256."""
        digest = hashlib.sha256(content).hexdigest()
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
        return digest

    def exists(self, sha256: str) -> bool:
        return bool(SHA256.match(sha256)) and self.path(sha256).exists()

    def get(self, sha256: str) -> bytes | None:
        return self.path(sha256).read_bytes() if self.exists(sha256) else None
