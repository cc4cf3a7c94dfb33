"""Bearer tokens: JWTs carrying the role and its scope.

Development signs them with `SAMPARK_JWT_SECRET` (HS256, minted by `sampark token`).
Production verifies tokens from an identity provider: RS256 or ES256, with the public keys in
a JWKS file (`SAMPARK_JWT_JWKS_FILE`) chosen by the token's `kid`, so keys rotate by adding
the new one, then removing the old. Either way the expiry, not-before, issued-at (optional),
issuer and audience are checked, the times with a small allowance for clock skew. Which
claims a role may carry is `api/auth.py`'s business.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self

import jwt
import msgspec
from litestar.exceptions import ImproperlyConfiguredException, NotAuthorizedException
from litestar.security.jwt import Token

ISSUER = "sampark"
AUDIENCE = "sampark-api"
ALGORITHM = "HS256"
ASYMMETRIC = frozenset({"RS256", "ES256"})
# The claims that scope a token, and `desk`: the e-Mitra kiosk or 181 desk an operator works at.
SCOPE_CLAIMS = ("district", "department", "post", "mobile", "departments", "desk")
# The registered claims Litestar's `Token` holds as fields; every other claim is an extra.
REGISTERED = ("exp", "sub", "iat", "iss", "aud", "jti")


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
    """A Litestar `Token` that verifies with the JWKS keys (by kid) when given, else HS256.

    PyJWT checks `exp`, `nbf` and `iat` with the leeway; Litestar's own `Token.decode` would
    check `exp` and `iat` again without it, and refuse a token without `iat` (optional in
    RFC 7519), so decoding is done here, once."""

    class VerifiedToken(Token):
        def __post_init__(self) -> None:
            """The times were checked (with the leeway) when the token was decoded."""
            if not self.sub:
                raise ImproperlyConfiguredException("sub must be a non-empty string")

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

        @classmethod
        def decode(
            cls,
            encoded_token: str,
            secret: str,
            algorithm: str,
            audience: str | Sequence[str] | None = None,
            issuer: str | Sequence[str] | None = None,
            require_claims: Sequence[str] | None = None,
            verify_exp: bool = True,
            verify_nbf: bool = True,
            strict_audience: bool = False,
        ) -> Self:
            options = {
                "verify_aud": bool(audience),
                "verify_iss": bool(issuer),
                "verify_exp": verify_exp,
                "verify_nbf": verify_nbf,
                "verify_iat": True,
                "require": list(require_claims or ()),
            }
            try:
                payload = cls.decode_payload(
                    encoded_token, secret, [algorithm], issuer, audience, options
                )
                if not isinstance(payload, dict):
                    raise jwt.InvalidTokenError("the payload is not an object")
                token = {name: payload.pop(name) for name in REGISTERED if name in payload}
                for name in ("exp", "iat"):
                    if name in token:
                        token[name] = datetime.fromtimestamp(token[name], tz=UTC)
                # `Token.encode` (so `mint`) nests the extra claims under "extras"; an
                # identity provider puts them at the top level.
                nested = payload.pop("extras", {})
                if not isinstance(nested, dict):
                    raise jwt.InvalidTokenError("extras is not an object")
                return msgspec.convert(token | {"extras": nested | payload}, cls, strict=True)
            except (
                jwt.InvalidTokenError,
                ImproperlyConfiguredException,
                msgspec.ValidationError,
                OverflowError,
                OSError,
                TypeError,
                ValueError,
            ) as error:
                raise NotAuthorizedException("Invalid token") from error

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
    departments: list[str] | None = None,
    desk: str | None = None,
    lifetime: timedelta = timedelta(hours=12),
    now: datetime | None = None,
) -> str:
    now = now or datetime.now(UTC)
    scope: dict[str, str | list[str] | None] = {
        "district": district,
        "department": department,
        "post": post,
        "mobile": mobile,
        "departments": departments,
        "desk": desk,
    }
    token = Token(
        sub=sub,
        iat=now,
        exp=now + lifetime,
        iss=ISSUER,
        aud=AUDIENCE,
        extras={"role": role} | {k: v for k, v in scope.items() if v is not None},
    )
    return token.encode(secret=secret, algorithm=ALGORITHM)
