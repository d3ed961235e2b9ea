"""Map failures to HTTP answers: clients get a 4xx or 503 with a useful body, never a bare 500.

Services raise the kinds of exceptions.py and the database reports broken constraints; this
module alone knows which status code and body each one becomes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from .admission import DatabaseBusyError
from .exceptions import ConflictError, InvalidInputError, NotFoundError, ServiceError
from .tables import tenant_key

logger = logging.getLogger(__name__)

UNKNOWN_TENANT = "the organization in the token does not exist"
RETRY_AFTER_SECONDS = "1"
# SQLSTATE classes that mean "try again later": connection exception, insufficient resources
# (too many connections), operator intervention (shutting down, starting up, statement timeout).
UNAVAILABLE_SQLSTATE_CLASSES = {"08", "53", "57"}


class Problem(BaseModel):
    """The body of every error answer but 422: what went wrong, plus facts that help (optional)."""

    model_config = ConfigDict(extra="allow")

    detail: str


def problem(description: str) -> dict[str, Any]:
    """An OpenAPI `responses` entry for an error answered with a Problem body."""
    return {"model": Problem, "description": description}


def unprocessable(
    message: str, *, loc: tuple[str | int, ...] = ("body",), kind: str = "value_error", **ctx: str
) -> JSONResponse:
    """A 422 in the same shape as FastAPI's request validation errors, whatever found the fault."""
    error: dict[str, Any] = {"type": kind, "loc": list(loc), "msg": message}
    if ctx:
        error["ctx"] = ctx
    return JSONResponse({"detail": [error]}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def _sqlstate_and_constraint(error: DBAPIError) -> tuple[str, str | None]:
    # SQLAlchemy wraps the driver error; asyncpg's own exception (the cause) knows the constraint.
    driver_error = error.orig.__cause__ if error.orig is not None else None
    sqlstate = getattr(driver_error, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return str(sqlstate or ""), getattr(driver_error, "constraint_name", None)


def _error(status_code: int, detail: str, **extra: object) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status_code)


def constraint_messages(
    tenant_tables: tuple[str, ...], messages: Mapping[str, str]
) -> dict[str, str]:
    """Constraint name -> what the client did wrong: a domain's own messages, and for each
    tenant-owned table the foreign key to its organization (tables.tenant_key)."""
    return {**{tenant_key(table): UNKNOWN_TENANT for table in tenant_tables}, **messages}


def integrity_error_response(error: IntegrityError, messages: Mapping[str, str]) -> JSONResponse:
    """A constraint violation as the client's mistake: which rule, and what it means."""
    sqlstate, constraint = _sqlstate_and_constraint(error)
    detail = messages.get(constraint or "", "the request conflicts with existing data")
    # CHECK and NOT NULL violations are bad values; UNIQUE and FOREIGN KEY ones conflict with
    # stored state.
    if sqlstate in {"23502", "23514"}:
        return unprocessable(
            detail, kind="constraint_violation", constraint=constraint or "unknown"
        )
    return _error(status.HTTP_409_CONFLICT, detail, constraint=constraint or "unknown")


async def _invalid_request(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    # Never echo the input: it can be huge, or not representable as JSON at all (NaN, lone
    # surrogates), which would turn a 422 into a 500.
    return JSONResponse(
        {"detail": [{key: e[key] for key in ("type", "loc", "msg")} for e in error.errors()]},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if error.status_code != status.HTTP_405_METHOD_NOT_ALLOWED:
        return await http_exception_handler(request, error)
    # FastAPI names only the methods of the first route that matched the path; list them all,
    # asking every route (of included routers too) whether it would take the request.
    allowed = {
        method
        for route in iter_route_contexts(request.app.routes)
        for method in route.methods or ()
        if route.original_route.matches({**request.scope, "method": method})[0] is Match.FULL
    }
    headers = {"Allow": ", ".join(sorted(allowed))} if allowed else {}
    return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)


async def _invalid_input(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InvalidInputError)
    return unprocessable(str(error), loc=error.location)


def _answer_with(status_code: int) -> Any:
    # Registered per kind: a domain's subclass (e.g. a ConflictError) answers as its kind does.
    async def handler(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ServiceError)
        return _error(status_code, str(error), **error.facts)

    return handler


async def _too_deep(_: Request, error: Exception) -> JSONResponse:
    return _error(status.HTTP_400_BAD_REQUEST, "the request body is nested too deeply")


def _integrity(messages: Mapping[str, str]) -> Any:
    async def handler(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, IntegrityError)
        return integrity_error_response(error, messages)

    return handler


async def _data(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DBAPIError)
    sqlstate, _ = _sqlstate_and_constraint(error)
    if sqlstate.startswith("22"):  # class 22: data exception (out of range, bad encoding, ...)
        return unprocessable("a value is out of range or malformed", kind="data_exception")
    if (
        isinstance(error, OperationalError | InterfaceError)
        or sqlstate[:2] in UNAVAILABLE_SQLSTATE_CLASSES
        # A lost connection surfaces as whatever the driver was doing when it broke; SQLAlchemy
        # marks it invalidated (and drops it from the pool) whatever the error's class.
        or error.connection_invalidated
    ):
        return await _unavailable(request, error)
    logger.exception("unexpected database error", exc_info=error)
    return _error(status.HTTP_500_INTERNAL_SERVER_ERROR, "internal error")


async def _unavailable(_: Request, error: Exception) -> JSONResponse:
    logger.warning("database unavailable: %s", type(error).__name__)
    response = _error(status.HTTP_503_SERVICE_UNAVAILABLE, "the database is busy or unavailable")
    response.headers["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def install_error_handlers(app: FastAPI, constraint_messages: Mapping[str, str]) -> None:
    """Answer every failure the platform knows; `constraint_messages` explain the domain's
    constraints by name (see constraint_messages())."""
    app.add_exception_handler(NotFoundError, _answer_with(status.HTTP_404_NOT_FOUND))
    app.add_exception_handler(ConflictError, _answer_with(status.HTTP_409_CONFLICT))
    app.add_exception_handler(InvalidInputError, _invalid_input)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # json.loads recurses: a deeply nested body must be the client's error, not a crash.
    app.add_exception_handler(RecursionError, _too_deep)
    app.add_exception_handler(IntegrityError, _integrity(constraint_messages))
    app.add_exception_handler(DBAPIError, _data)
    app.add_exception_handler(DatabaseBusyError, _unavailable)
    app.add_exception_handler(PoolTimeoutError, _unavailable)
    app.add_exception_handler(ConnectionError, _unavailable)
