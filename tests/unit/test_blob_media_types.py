"""The evidence store knows what each file is from its bytes, once, when it is put; a type
that is not one we accept is application/octet-stream, however it came to be there."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from infra.adapters.blobs import BlobStore, media_type_of

MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
THREE_GP = b"\x00\x00\x00\x14ftyp3gp4\x00\x00\x00\x00isom"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (MP4, "video/mp4"),
        (THREE_GP, "video/3gpp"),
        (b"ID3\x04\x00\x00\x00", "audio/mpeg"),
        (b"<!doctype html><script>alert(1)</script>", None),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', None),
        (b"<?xml version='1.0'?><x/>", None),
        (b"alert(document.cookie)", None),
        (b"", None),
    ],
)
def test_a_file_is_known_by_its_first_bytes(content: bytes, expected: str | None) -> None:
    assert media_type_of(content) == expected


def test_the_store_keeps_each_files_type_beside_it(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    video = store.put(THREE_GP)
    page = store.put(b"<html><script>alert(1)</script></html>")
    assert store.media_type(video) == "video/3gpp"
    assert store.media_type(page) == "application/octet-stream"
    assert store.media_type("0" * 64) is None and store.media_type("not-a-digest") is None
    assert store.put(THREE_GP) == video and store.media_type(video) == "video/3gpp"


def test_a_file_stored_before_types_were_kept_is_judged_by_its_bytes(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    for content, expected in ((MP4, "video/mp4"), (b"<svg onload=alert(1)>", None)):
        sha = hashlib.sha256(content).hexdigest()
        store.path(sha).parent.mkdir(parents=True, exist_ok=True)
        store.path(sha).write_bytes(content)
        assert store.media_type(sha) == (expected or "application/octet-stream")


def test_a_recorded_type_we_do_not_accept_is_never_served(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"%PDF-1.4 but edited on disk")
    store.path(sha).with_suffix(".type").write_text("text/html")
    assert store.media_type(sha) == "application/octet-stream"
