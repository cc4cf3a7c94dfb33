"""Authentication: Litestar's JWT support turns a bearer token into an `Identity`.

A token's claims are taken only as the caller's role defines them (`claims_of` in
`domain/permissions.py`): a claim the role has no use for (a `post` on a citizen, a collector
or a department head; a `district` on a secretary), a claim the role needs and lacks, or a
claim of the wrong type or shape is a 401, never trusted later and never a 500.

A token verified once is remembered by its exact text until it expires (`remembering`), so a
client sending the same token on every request pays for its signature and claims once.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.security.jwt import JWTAuth, Token

from api.problems import Problem
from domain.permissions import claims_of
from domain.values import Identity, Role
from infra.security.tokens import ALGORITHM, AUDIENCE, ISSUER, SCOPE_CLAIMS, load_jwks, token_class

ROLES = {role.value: role for role in Role if role != Role.SYSTEM}
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
SHAPES = {
    "district": CODE,
    "department": CODE,
    "post": CODE,
    "mobile": re.compile(r"[6-9][0-9]{9}"),
    "desk": CODE,
}
MAX_SUBJECT = 200
MAX_DEPARTMENTS = 64  # a minister's departments


def refused(detail: str, claim: str) -> Problem:
    return Problem(401, f"the bearer token is not valid: {detail}", field=claim)


def identity_from_claims(sub: object, extras: dict[str, Any]) -> Identity:
    """The caller, from a verified token's claims; `Problem(401)` naming the claim that does
    not belong to the token's role."""
    role_name = extras.get("role")
    if not isinstance(role_name, str) or role_name not in ROLES:
        raise refused("role must name one of " + ", ".join(sorted(ROLES)), "role")
    role = ROLES[role_name]
    if not isinstance(sub, str) or not 1 <= len(sub) <= MAX_SUBJECT or not sub.isprintable():
        raise refused(f"sub must be 1 to {MAX_SUBJECT} printable characters", "sub")
    required, allowed = claims_of(role)
    scope: dict[str, Any] = {}
    for name in SCOPE_CLAIMS:
        value = extras.get(name)
        if value is None:
            if name in required:
                raise refused(f"{Role(role).a} token must carry {name}", name)
            continue
        if name not in allowed:
            raise refused(f"{Role(role).a} token carries no {name}", name)
        if name == "departments":
            scope[name] = departments_claim(value)
            continue
        if not isinstance(value, str) or not SHAPES[name].fullmatch(value):
            raise refused(f"{name} is not a valid {name}", name)
        scope[name] = value
    return Identity(id=sub, role=role, **scope)


def departments_claim(value: object) -> tuple[str, ...]:
    """A minister's `departments`: a list of 1 to MAX_DEPARTMENTS department codes."""
    if (
        not isinstance(value, list)
        or not 1 <= len(value) <= MAX_DEPARTMENTS
        or not all(isinstance(v, str) and CODE.fullmatch(v) for v in value)
    ):
        raise refused(
            f"departments is a list of 1 to {MAX_DEPARTMENTS} department codes", "departments"
        )
    return tuple(sorted(set(value)))


async def identity_from_token(token: Token, _: ASGIConnection[Any, Any, Any, Any]) -> Identity:
    return identity_from_claims(token.sub, token.extras)


REMEMBERED_TOKENS = 4096


def remembering(
    verified: type[Token],
    leeway_seconds: int,
    size: int = REMEMBERED_TOKENS,
    clock: Callable[[], float] = time.time,
) -> type[Token]:
    """`verified`, remembering the last `size` tokens it verified, by their exact text, for
    as long as they are valid (until `exp`, with the same leeway). Nothing a token says can
    change while it is valid: its signature, issuer, audience and not-before held when it
    was verified and still hold; only its expiry is checked again."""
    seen: OrderedDict[str, Token] = OrderedDict()

    def decode(cls: type[Token], encoded_token: str, *args: Any, **kwargs: Any) -> Token:
        token = seen.get(encoded_token)
        if token is not None and clock() < token.exp.timestamp() + leeway_seconds:
            seen.move_to_end(encoded_token)
            return token
        token = verified.decode(encoded_token, *args, **kwargs)
        seen[encoded_token] = token
        if len(seen) > size:
            seen.popitem(last=False)
        return token

    return type("RememberedToken", (verified,), {"decode": classmethod(decode)})


def jwt_auth(
    secret: str, *, jwks_file: str | None = None, leeway_seconds: int = 30
) -> JWTAuth[Identity, Token]:
    keys = load_jwks(jwks_file) if jwks_file else None
    return JWTAuth[Identity, Token](
        retrieve_user_handler=identity_from_token,
        token_secret=secret,
        algorithm=ALGORITHM,
        token_cls=remembering(token_class(keys, leeway_seconds), leeway_seconds),
        accepted_issuers=[ISSUER],
        accepted_audiences=[AUDIENCE],
        require_claims=["exp", "sub"],
        verify_expiry=True,
        verify_not_before=True,
        # The citizen's report page and the provider's webhook carry signatures of their own.
        exclude=[
            "^/schema",
            "^/health",
            "^/metrics$",
            "^/atr/",
            "^/fonts/",
            "^/status/",
            "^/documents/",
            "^/v1/webhooks/",
            "^/open311/",
        ],
    )
