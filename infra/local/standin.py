"""A local stand-in for the message providers: the WhatsApp Cloud API and an SMS gateway.

`make run` starts one when no provider is configured and prints what it receives (and serves
the media files put in `<SAMPARK_HOME>/standin-media/`, named by media id, as a citizen's photos
and voice notes); the tests
use it to see exactly what was sent and to play the provider's failures: an outage (5xx),
a number that is not on WhatsApp, an invalid number, an expired token, a slow answer (the
message is accepted at once, the 200 comes `answer_delay` seconds later).

Message ids are unique across restarts, like the real provider's (`wamid.` and a random
uuid), so a restarted stand-in never names a new message like an old one.

    WhatsApp: POST {base}/v21.0/{phone_number_id}/messages   (Bearer token)
    SMS:      POST {base}/sms/send                           (Bearer key)
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

WHATSAPP_VERSION = "v21.0"
MEDIA_ID = re.compile(r"[0-9A-Za-z._-]{1,128}")


class ProviderStandIn:
    def __init__(
        self,
        *,
        token: str = "standin-whatsapp-token",
        sms_key: str = "standin-sms-key",
        echo: Callable[[str], None] | None = None,
        port: int = 0,
        message_ids: Callable[[str], str] | None = None,
        media_dir: Path | None = None,
    ) -> None:
        self.tokens = {token}
        self.sms_key = sms_key
        self.echo = echo
        self.received: list[dict[str, Any]] = []  # every accepted message, in order
        self.refused: list[dict[str, Any]] = []
        self.outage = 0  # answer this many next requests with 503
        self.not_on_whatsapp: set[str] = set()
        self.invalid_numbers: set[str] = set()
        self.answer_delay = 0.0  # seconds between accepting a message and saying so
        self.media: dict[str, bytes] = {}  # media id -> bytes a citizen "sent" (GET {id})
        self.media_dir = media_dir  # and files there, named by media id (`sampark run`)
        self._message_id = message_ids or (lambda channel: f"{channel}.{uuid.uuid4().hex}")
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def whatsapp_base(self) -> str:
        return f"{self.base_url}/{WHATSAPP_VERSION}"

    @property
    def sms_base(self) -> str:
        return f"{self.base_url}/sms"

    def start(self) -> ProviderStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def whatsapp_to(self, mobile: str) -> list[dict[str, Any]]:
        return [m for m in self.received if m["channel"] == "whatsapp" and m["to"].endswith(mobile)]

    # --- the provider's behaviour ---------------------------------------------------------

    def answer(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        with self._lock:
            if self.outage > 0:
                self.outage -= 1
                return 503, {"error": {"message": "Service temporarily unavailable", "code": 2}}
            auth = headers.get("authorization", "").removeprefix("Bearer ")
            if path.startswith(f"/{WHATSAPP_VERSION}/") and path.endswith("/messages"):
                return self._whatsapp(auth, body)
            if path == "/sms/send":
                return self._sms(auth, body)
            return 404, {"error": {"message": f"no such endpoint {path}"}}

    def _whatsapp(self, token: str, body: Any) -> tuple[int, Any]:
        if token not in self.tokens:
            self.refused.append({"channel": "whatsapp", "reason": "token", "body": body})
            return 401, {
                "error": {
                    "message": "Error validating access token: Session has expired.",
                    "type": "OAuthException",
                    "code": 190,
                }
            }
        to = str(body.get("to", ""))
        if to[-10:] in self.not_on_whatsapp:
            self.refused.append({"channel": "whatsapp", "reason": "not on whatsapp", "to": to})
            return 400, {"error": {"message": "Message undeliverable", "code": 131026}}
        message_id = self._message_id("wamid")
        if body.get("type") in ("text", "interactive"):
            self._record(_session_message(message_id, to, body))
            return 200, {"messaging_product": "whatsapp", "messages": [{"id": message_id}]}
        template = body.get("template", {})
        params = [
            p.get("text")
            for c in template.get("components", [])
            if c.get("type") == "body"
            for p in c.get("parameters", [])
        ]
        self._record(
            {
                "channel": "whatsapp",
                "id": message_id,
                "to": to,
                "template": template.get("name"),
                "language": template.get("language", {}).get("code"),
                "params": params,
                "buttons": [
                    c["parameters"][0]["payload"]
                    for c in template.get("components", [])
                    if c.get("type") == "button"
                ],
            }
        )
        return 200, {"messaging_product": "whatsapp", "messages": [{"id": message_id}]}

    def _sms(self, key: str, body: Any) -> tuple[int, Any]:
        if key != self.sms_key:
            return 401, {"error": "bad api key"}
        to = str(body.get("to", ""))
        if to[-10:] in self.invalid_numbers or not to.isdigit():
            self.refused.append({"channel": "sms", "reason": "invalid number", "to": to})
            return 400, {"error": f"invalid number {to}"}
        message_id = self._message_id("sms")
        self._record({"channel": "sms", "id": message_id, "to": to, "text": body.get("text")})
        return 200, {"id": message_id}

    def fetch(self, path: str, headers: dict[str, str]) -> tuple[int, Any, str]:
        """The Cloud API's media: `GET /v21.0/{id}` describes it, `GET /media/{id}` is it."""
        if headers.get("authorization", "").removeprefix("Bearer ") not in self.tokens:
            return 401, {"error": {"message": "Invalid OAuth access token", "code": 190}}, ""
        media_id = path.rsplit("/", 1)[-1]
        content = self._media(media_id)
        if content is None:
            return 404, {"error": {"message": f"no media {media_id}", "code": 100}}, ""
        if path.startswith("/media/"):
            return 200, content, "application/octet-stream"
        described = {
            "messaging_product": "whatsapp",
            "url": f"{self.base_url}/media/{media_id}",
            "file_size": len(content),
            "id": media_id,
        }
        return 200, described, "application/json"

    def _media(self, media_id: str) -> bytes | None:
        if media_id in self.media:
            return self.media[media_id]
        if self.media_dir is None or not MEDIA_ID.fullmatch(media_id):
            return None
        found = self.media_dir / media_id
        return found.read_bytes() if found.is_file() else None

    def _record(self, message: dict[str, Any]) -> None:
        self.received.append(message)
        if self.echo is not None:
            shown = message.get("text") or f"{message['template']} {message['params']}"
            self.echo(f"[{message['channel']} -> +{message['to']}, {message['id']}] {shown}")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = {}
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, answer = standin.answer(self.path, headers, body)
                if status == 200 and standin.answer_delay:
                    time.sleep(standin.answer_delay)  # accepted, but the sender does not know
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, answer, media_type = standin.fetch(self.path, headers)
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", media_type or "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _session_message(message_id: str, to: str, body: dict[str, Any]) -> dict[str, Any]:
    """A free-form message as the log keeps it: its text and the choices it offered."""
    interactive = body.get("interactive") or {}
    action = interactive.get("action") or {}
    choices = [b.get("reply", {}).get("id") for b in action.get("buttons", [])] + [
        row.get("id") for section in action.get("sections", []) for row in section.get("rows", [])
    ]
    text = (body.get("text") or {}).get("body") or (interactive.get("body") or {}).get("text")
    return {
        "channel": "whatsapp",
        "id": message_id,
        "to": to,
        "template": None,
        "session": body.get("type"),
        "text": text,
        "choices": choices,
        "params": [],
        "buttons": [],
    }
