"""Who reaches an endpoint: Litestar guards read from the one permissions table.

An endpoint that acts on no one complaint names its entry of `domain.permissions.SERVICES`
(or of `PERMISSIONS`, for an action whose role is known before the complaint is looked at);
a role the entry does not list is refused with a 403 before its parameters or body are read,
so the refusal depends on nothing the request names. The scope within the role (a
collector's district, a secretary's department) is still each query's own business.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from domain.errors import Forbidden
from domain.permissions import PERMISSIONS, SERVICES
from domain.values import Identity, Role


@dataclass(frozen=True)
class RolesAllowed:
    """A Litestar guard letting through the roles the table lists under `entry`; anyone else
    is told `"<a role> may not <doing>"`. It names its entry, so the guarded routes can be
    listed from the app itself."""

    entry: str
    doing: str
    roles: frozenset[Role]

    def __call__(
        self, connection: ASGIConnection[Any, Identity, Any, Any], _: BaseRouteHandler
    ) -> None:
        if connection.scope.get("method") == "OPTIONS":
            return  # asks only which methods the path answers: no token is read for it
        who = connection.user
        if who.role not in self.roles:
            raise Forbidden(f"{who.role.a} may not {self.doing}")


def only_roles_allowed_to(entry: str, doing: str) -> Guard:
    """The guard of an endpoint that acts on no one complaint (see `RolesAllowed`)."""
    return RolesAllowed(entry, doing, frozenset(SERVICES.get(entry) or PERMISSIONS[entry]))
