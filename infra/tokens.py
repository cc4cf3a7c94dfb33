"""Bearer tokens: JWTs carrying the role and its scope.

Development signs them with `SAMPARK_JWT_SECRET` (HS256, minted by `sampark token`).
Production verifies tokens from an identity provider: RS256 or ES256, with the public keys in
a JWKS file (`SAMPARK_JWT_JWKS_FILE`) chosen by the token's `kid`, so keys rotate by adding
the new one, then removing the old. Either way the expiry, not-before, issuer and audience
are checked, with a small allowance for clock skew.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from litestar.security.jwt import Token

ISSUER = "sampark"
AUDIENCE = "sampark-api"
ALGORITHM = "HS256"
ASYMMETRIC = frozenset({"RS256", "ES256"})
SCOPE_CLAIMS = ("district", "department", "post", "mobile")


def load_jwks(path: str) -> dict[str, jwt.PyJWK]:
    """The public keys of a JWKS file, by `kid`; only RS256 and ES256 keys are taken."""
    data = json.loads(Path(path).read_text())
    keys = {}
    for entry in data.get("keys", []):
        key = jwt.PyJWK(entry)
        if entry.get("kid") and key.algorithm_name in ASYMMETRIC:
            keys[entry["kid"]] = key
    if not keys:
        raise SystemExit(f"{path} holds no RS256 or ES256 key with a kid")
    return keys


def token_class(keys: dict[str, jwt.PyJWK] | None, leeway_seconds: int) -> type[Token]:
    """A Litestar `Token` that verifies with the JWKS keys (by kid) when given, else HS256."""

    class VerifiedToken(Token):
        @classmethod
        def decode_payload(
            cls,
            encoded_token: str,
            secret: str,
            algorithms: list[str],
            issuer: str | Sequence[str] | None = None,
            audience: str | Sequence[str] | None = None,
            options: Any = None,
        ) -> Any:
            key: Any = secret
            allowed = [ALGORITHM]
            if keys is not None:
                header = jwt.get_unverified_header(encoded_token)
                found = keys.get(str(header.get("kid")))
                if found is None:
                    raise jwt.InvalidTokenError("no key with this kid")
                key, allowed = found.key, [found.algorithm_name]
            return jwt.decode(
                encoded_token,
                key=key,
                algorithms=allowed,
                issuer=issuer,  # type: ignore[arg-type]
                audience=audience,
                options=options,
                leeway=leeway_seconds,
            )

    return VerifiedToken


def mint(
    secret: str,
    *,
    role: str,
    sub: str,
    district: str | None = None,
    department: str | None = None,
    post: str | None = None,
    mobile: str | None = None,
    lifetime: timedelta = timedelta(hours=12),
    now: datetime | None = None,
) -> str:
    now = now or datetime.now(UTC)
    scope = {"district": district, "department": department, "post": post, "mobile": mobile}
    token = Token(
        sub=sub,
        iat=now,
        exp=now + lifetime,
        iss=ISSUER,
        aud=AUDIENCE,
        extras={"role": role} | {k: v for k, v in scope.items() if v is not None},
    )
    return token.encode(secret=secret, algorithm=ALGORITHM)
