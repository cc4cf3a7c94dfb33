"""Authentication: Litestar's JWT support turns a bearer token into an `Identity`."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.security.jwt import JWTAuth, Token

from domain.values import Identity, Role
from infra.tokens import ALGORITHM, AUDIENCE, ISSUER, load_jwks, token_class

ROLES = {role.value for role in Role if role != Role.SYSTEM}


async def identity_from_token(
    token: Token, _: ASGIConnection[Any, Any, Any, Any]
) -> Identity | None:
    """The caller's identity; `None` (so a 401) when the token names no known role."""
    role = token.extras.get("role")
    if role not in ROLES:
        return None

    def claim(name: str) -> str | None:
        value = token.extras.get(name)
        return value if isinstance(value, str) and value else None

    return Identity(
        id=token.sub,
        role=Role(role),
        district=claim("district"),
        department=claim("department"),
        post=claim("post"),
        mobile=claim("mobile"),
    )


def jwt_auth(
    secret: str, *, jwks_file: str | None = None, leeway_seconds: int = 30
) -> JWTAuth[Identity, Token]:
    keys = load_jwks(jwks_file) if jwks_file else None
    return JWTAuth[Identity, Token](
        retrieve_user_handler=identity_from_token,
        token_secret=secret,
        algorithm=ALGORITHM,
        token_cls=token_class(keys, leeway_seconds),
        accepted_issuers=[ISSUER],
        accepted_audiences=[AUDIENCE],
        require_claims=["exp", "sub"],
        verify_expiry=True,
        verify_not_before=True,
        # The citizen's report page and the provider's webhook carry signatures of their own.
        exclude=["^/schema", "^/health", "^/atr/", "^/v1/webhooks/"],
    )
