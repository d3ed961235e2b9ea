"""Every dependency a route declares, in one place: callers, sessions, readers, paging.

Routers import their parameter types from here; the functions behind them live with what they
provide (auth.py, db.py, reads.py). Routes that only need a role to be held list it in their
decorator (`dependencies=[ADMIN]`), so a handler's parameters are the values it uses.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Security
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import BearerAuth, Principal, Role
from .db import confine_to_tenant, get_session
from .reads import Reader, get_reader

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
