"""Map failures to HTTP answers: clients get a 4xx or 503 with a useful body, never a bare 500."""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from .domain.discounts import DiscountError
from .domain.payments import InvalidTransitionError
from .domain.pricing import PricingError
from .models import LIVE_PAYMENT_INDEX, LIVE_SKU_INDEX

logger = logging.getLogger(__name__)

# Constraint name -> what the client did wrong.
CONSTRAINT_MESSAGES = {
    LIVE_SKU_INDEX: "a product with this SKU already exists",
    LIVE_PAYMENT_INDEX: "this order already has a payment in progress",
    "fk_products_organization_id_organizations": "the organization in the token does not exist",
    "ck_stock_items_reserved_within_on_hand": "stock cannot go below what open orders reserved",
    "fk_order_lines_product_id_products": "a product with orders cannot be removed",
}
RETRY_AFTER_SECONDS = "1"


class NotFoundError(Exception):
    def __init__(self, resource: str, key: object) -> None:
        super().__init__(f"{resource} {key} not found")


class InvalidReferenceError(ValueError):
    """The body refers to something that does not exist for this tenant (422)."""


class ConflictError(Exception):
    """The request is valid but the resource's current state does not allow it (409)."""


class InsufficientStockError(ConflictError):
    def __init__(self, product_id: uuid.UUID, available: int) -> None:
        self.product_id = product_id
        self.available = available
        super().__init__(f"not enough stock for product {product_id}: {available} available")


def _sqlstate_and_constraint(error: DBAPIError) -> tuple[str, str | None]:
    # SQLAlchemy wraps the driver error; asyncpg's own exception (the cause) knows the constraint.
    driver_error = error.orig.__cause__ if error.orig is not None else None
    sqlstate = getattr(driver_error, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return str(sqlstate or ""), getattr(driver_error, "constraint_name", None)


def _error(status_code: int, detail: str, **extra: object) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status_code)


def integrity_error_response(error: IntegrityError) -> JSONResponse:
    """A constraint violation as the client's mistake: which rule, and what it means."""
    sqlstate, constraint = _sqlstate_and_constraint(error)
    detail = CONSTRAINT_MESSAGES.get(constraint or "", "the request conflicts with existing data")
    # CHECK and NOT NULL violations are bad values; UNIQUE and FOREIGN KEY ones conflict with
    # stored state.
    bad_value = sqlstate in {"23502", "23514"}
    code = status.HTTP_422_UNPROCESSABLE_CONTENT if bad_value else status.HTTP_409_CONFLICT
    return _error(code, detail, constraint=constraint or "unknown")


async def _not_found(_: Request, error: Exception) -> JSONResponse:
    return _error(status.HTTP_404_NOT_FOUND, str(error))


async def _conflict(_: Request, error: Exception) -> JSONResponse:
    extra: dict[str, object] = {}
    if isinstance(error, InsufficientStockError):
        extra = {"product_id": str(error.product_id), "available": error.available}
    return _error(status.HTTP_409_CONFLICT, str(error), **extra)


async def _invalid_transition(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InvalidTransitionError)
    return _error(
        status.HTTP_409_CONFLICT, str(error), status=error.status.value, event=error.event.value
    )


async def _unprocessable(_: Request, error: Exception) -> JSONResponse:
    return _error(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error))


async def _too_deep(_: Request, error: Exception) -> JSONResponse:
    return _error(status.HTTP_400_BAD_REQUEST, "the request body is nested too deeply")


async def _integrity(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, IntegrityError)
    return integrity_error_response(error)


async def _data(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DBAPIError)
    sqlstate, _ = _sqlstate_and_constraint(error)
    if sqlstate.startswith("22"):  # class 22: data exception (out of range, bad encoding, ...)
        return _error(status.HTTP_422_UNPROCESSABLE_CONTENT, "a value is out of range or malformed")
    if isinstance(error, OperationalError | InterfaceError):
        return await _unavailable(request, error)
    logger.exception("unexpected database error", exc_info=error)
    return _error(status.HTTP_500_INTERNAL_SERVER_ERROR, "internal error")


async def _unavailable(_: Request, error: Exception) -> JSONResponse:
    logger.warning("database unavailable: %s", type(error).__name__)
    response = _error(status.HTTP_503_SERVICE_UNAVAILABLE, "the database is busy or unavailable")
    response.headers["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(ConflictError, _conflict)
    app.add_exception_handler(InvalidTransitionError, _invalid_transition)
    app.add_exception_handler(InvalidReferenceError, _unprocessable)
    app.add_exception_handler(PricingError, _unprocessable)
    app.add_exception_handler(DiscountError, _unprocessable)
    # json.loads recurses: a deeply nested body must be the client's error, not a crash.
    app.add_exception_handler(RecursionError, _too_deep)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(DBAPIError, _data)
    app.add_exception_handler(PoolTimeoutError, _unavailable)
    app.add_exception_handler(ConnectionError, _unavailable)
