"""What every table builds on: the declarative base and its naming convention, timestamps, and
the tenant table that row-level security scopes every tenant-owned row to."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, MetaData, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Constraint names follow one convention so migrations and error messages can name them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamps:
    # Read server-set timestamps back with INSERT/UPDATE ... RETURNING instead of a second query.
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 (SQLAlchemy's declarative hook)

    # clock_timestamp(), not now(): rows written in one transaction keep their creation order.
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True),
        server_default=func.clock_timestamp(),
        onupdate=func.clock_timestamp(),
    )


class Organization(Timestamps, Base):
    """A tenant: every business row belongs to exactly one."""

    __tablename__ = "organizations"
    __table_args__ = (CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso_4217"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))


def tenant_column() -> Mapped[uuid.UUID]:
    """The owning organization of a tenant-owned row."""
    return mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)


def tenant_key(table: str) -> str:
    """The name the naming convention gives a tenant-owned table's tenant_column() key."""
    names = {
        "table_name": table,
        "column_0_name": "organization_id",
        "referred_table_name": Organization.__tablename__,
    }
    return NAMING_CONVENTION["fk"] % names


def one_of(column: str, values: type[StrEnum]) -> str:
    """A CHECK expression that keeps `column` to the values of an enum."""
    return f"{column} IN ({', '.join(repr(value.value) for value in values)})"
