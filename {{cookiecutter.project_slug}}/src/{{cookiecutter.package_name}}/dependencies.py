"""Every dependency a route declares, in one place: callers, sessions, readers, paging.

This is where a request meets the running app's services (state.py); the modules that build
them (auth.py, db.py, reads.py) know nothing of requests. Routes that only need a role to be
held list it in their decorator (`dependencies=[ADMIN]`), so a handler's parameters are the
values it uses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request, Security, status
from fastapi.security import HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import InvalidTokenError, Principal, Role, check_role
from .db import confine_to_tenant
from .reads import Reader
from .state import services

# Where BearerAuth keeps the verified caller: in the request's own scope, not in request.state,
# which starts as a copy of whatever the app's lifespan yields.
_PRINCIPAL = f"{__name__}.principal"


class BearerAuth(HTTPBearer):
    """The dependency that authenticates a request: the caller, holding at least `role`.

    401 without a valid bearer token, 403 without the role. One dependency does what a chain
    (bearer scheme -> principal -> role check) would, because FastAPI pays for every dependency
    on every request. The token is verified once per request however many
    dependencies ask (a role and a tenant session).
    """

    def __init__(self, role: Role | None = None) -> None:
        super().__init__(
            auto_error=False,
            scheme_name="HTTPBearer",  # one security scheme in the OpenAPI document for all roles
            description="JWT from the configured OIDC issuer",
        )
        self.role = role

    # Returns the Principal where HTTPBearer returns the credentials.
    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        principal: Principal | None = request.scope.get(_PRINCIPAL)
        if principal is None:
            principal = await self._verify(request)
            request.scope[_PRINCIPAL] = principal
        return principal if self.role is None else check_role(principal, self.role)

    async def _verify(self, request: Request) -> Principal:
        challenge = {"WWW-Authenticate": "Bearer"}
        credentials = await super().__call__(request)
        if credentials is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token", challenge)
        try:
            return await services(request.app).verifier.verify(credentials.credentials)
        except InvalidTokenError as error:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(error), challenge) from error


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; handlers commit, the rest rolls back."""
    async with services(request.app).database.session() as session:
        yield session


async def get_reader(request: Request) -> Reader:
    # async: FastAPI runs sync dependencies in a thread pool, a costly hop on every request.
    return services(request.app).reader


# The caller, verified, holding at least the role named (any role for CurrentPrincipal).
CurrentPrincipal = Annotated[Principal, Security(BearerAuth())]
Viewer = Annotated[Principal, Security(BearerAuth(Role.VIEWER))]
Clerk = Annotated[Principal, Security(BearerAuth(Role.CLERK))]
Admin = Annotated[Principal, Security(BearerAuth(Role.ADMIN))]

# For a route decorator's `dependencies=[...]`: the role is required, the caller not passed on.
VIEWER = Security(BearerAuth(Role.VIEWER))
CLERK = Security(BearerAuth(Role.CLERK))
ADMIN = Security(BearerAuth(Role.ADMIN))


async def tenant_session(
    principal: CurrentPrincipal, session: Annotated[AsyncSession, Depends(get_session)]
) -> AsyncSession:
    """The request's session, confined to the caller's tenant."""
    await confine_to_tenant(session, principal.tenant_id)
    return session


TenantSession = Annotated[AsyncSession, Depends(tenant_session)]
ReaderDep = Annotated[Reader, Depends(get_reader)]

# Query parameters shared by list endpoints; bounded so no value reaches the database unchecked.
Limit = Annotated[int, Query(ge=1, le=100, description="Items per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")]
