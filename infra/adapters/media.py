"""A citizen's photo or voice note, fetched from the WhatsApp Cloud API.

A webhook names media by id only. Its bytes are two requests away, both with our token:
`GET {base}/{media_id}` answers `{"url": ..., "mime_type": ..., "file_size": ...}`, and
`GET {url}` the bytes. Nothing the provider says about the file is believed: the bytes are
read up to `max_bytes` and what they are is decided by the evidence store
(`infra/adapters/blobs.py`), like any upload.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

MEDIA_ID_CHARACTERS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._-")


class MediaUnavailable(Exception):
    """The media could not be had (gone, too big, the provider down): the citizen is asked
    to send it again."""


class WhatsAppMedia:
    def __init__(
        self,
        base_url: str,
        token: Callable[[], str],
        max_bytes: int,
        timeout: float = 15.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.max_bytes = max_bytes
        self.timeout = timeout

    def fetch(self, media_id: str) -> bytes:
        if not media_id or len(media_id) > 128 or not set(media_id) <= MEDIA_ID_CHARACTERS:
            raise MediaUnavailable("not a media id")
        headers = {"Authorization": f"Bearer {self.token()}"}
        try:
            with httpx.Client(timeout=self.timeout, headers=headers) as client:
                described = client.get(f"{self.base_url}/{media_id}")
                if described.status_code != 200:
                    raise MediaUnavailable(f"media {media_id}: HTTP {described.status_code}")
                url = described.json().get("url")
                if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                    raise MediaUnavailable(f"media {media_id}: no URL")
                return self._download(client, url)
        except (httpx.HTTPError, ValueError, AttributeError) as failed:
            raise MediaUnavailable(f"media {media_id}: {type(failed).__name__}") from failed

    def _download(self, client: httpx.Client, url: str) -> bytes:
        content = bytearray()
        with client.stream("GET", url) as answer:
            if answer.status_code != 200:
                raise MediaUnavailable(f"media download: HTTP {answer.status_code}")
            for chunk in answer.iter_bytes():
                content += chunk
                if len(content) > self.max_bytes:
                    raise MediaUnavailable(f"media over {self.max_bytes} bytes")
        if not content:
            raise MediaUnavailable("empty media")
        return bytes(content)
