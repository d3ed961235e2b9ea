"""What a domain hands the platform: its routers, tables, constraint messages and jobs.

The platform (settings, database and tenancy, auth, errors, admission, limits, observability,
health) never imports a domain. A domain builds one `Domain`, and domain.py names the one this
service serves; the app, the migrations and the job runner read it from there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import APIRouter
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession

# A scheduled job: runs as the database owner, across tenants, and returns how many rows it
# changed. The runner (jobs.py) commits.
Job = Callable[[AsyncSession, datetime], Awaitable[int]]


@dataclass(frozen=True)
class Domain:
    # Built on routing.DomainRouter, so literal paths win over path parameters.
    routers: tuple[APIRouter, ...]
    # The tables' metadata, for migrations (alembic's autogenerate compares against it).
    metadata: MetaData
    # Tables row-level security confines to the caller's tenant (each has an organization_id).
    tenant_tables: tuple[str, ...]
    # Constraint name -> what the client did wrong, for answers to violations.
    constraint_messages: Mapping[str, str] = field(default_factory=dict)
    jobs: Mapping[str, Job] = field(default_factory=dict)
