"""The security headers every response carries, pages, JSON, problems and files alike.

- `X-Content-Type-Options: nosniff`: a file is what its Content-Type says, never guessed.
- `Referrer-Policy: no-referrer`: the citizen's report link holds its token; it must not leak
  to whatever the page links to.
- `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`: nothing of ours is framed.
- `Content-Security-Policy: default-src 'none'` unless the response brings its own (the report
  page brings a strict one with a per-response nonce for its style, `page_policy`); the
  OpenAPI viewer under the schema path, which loads its scripts from a CDN, gets only
  `frame-ancestors 'none'`.

Applied in a `before_send` hook, so responses made by exception handlers and by the router
(404, 405) carry them too.
"""

from __future__ import annotations

import secrets

from litestar.types import Message, Scope

NO_FRAMING = "frame-ancestors 'none'"
EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
NOTHING_LOADS = f"default-src 'none'; {NO_FRAMING}"


def nonce() -> str:
    """A fresh value for one response's `nonce-` source."""
    return secrets.token_urlsafe(18)


def page_policy(style_nonce: str) -> str:
    """A page's CSP: its own inline style (by nonce), images and fonts from us, forms posted
    to us, no scripts, no plugins, no framing, no `<base>`."""
    return "; ".join(
        (
            "default-src 'none'",
            f"style-src 'nonce-{style_nonce}'",
            "img-src 'self'",
            "font-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            NO_FRAMING,
        )
    )


def _documentation_path(scope: Scope) -> str | None:
    app = scope.get("litestar_app")
    config = getattr(app, "openapi_config", None)
    return getattr(config, "path", None)


# The same, as the raw header pairs an ASGI message carries (names in lower case).
_EVERY_RESPONSE = [
    (name.lower().encode(), value.encode()) for name, value in EVERY_RESPONSE.items()
]
_CSP = b"content-security-policy"


async def security_headers(message: Message, scope: Scope) -> None:
    """The `before_send` hook: add what a response does not already set (one pass over the
    message's headers: every response goes through here)."""
    if message["type"] != "http.response.start":
        return
    headers = message.setdefault("headers", [])
    if not isinstance(headers, list):
        headers = message["headers"] = list(headers)
    present = {name.lower() for name, _ in headers}
    headers.extend(pair for pair in _EVERY_RESPONSE if pair[0] not in present)
    if _CSP not in present:
        documentation = _documentation_path(scope)
        path = str(scope.get("path", ""))
        viewer = documentation is not None and (
            path == documentation or path.startswith(documentation.rstrip("/") + "/")
        )
        headers.append((_CSP, (NO_FRAMING if viewer else NOTHING_LOADS).encode()))
