"""Bearer tokens: JWTs signed with `SAMPARK_JWT_SECRET`, carrying the role and its scope.

They are Litestar `Token`s, so the API's JWT middleware reads exactly what `mint` writes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar.security.jwt import Token

ISSUER = "sampark"
ALGORITHM = "HS256"
SCOPE_CLAIMS = ("district", "department", "post", "mobile")


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
        extras={"role": role} | {k: v for k, v in scope.items() if v is not None},
    )
    return token.encode(secret=secret, algorithm=ALGORITHM)
