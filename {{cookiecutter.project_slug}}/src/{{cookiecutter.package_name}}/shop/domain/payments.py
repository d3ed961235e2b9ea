"""The payment state machine: which event may happen in which state, and what it leads to.

pending -> authorized -> captured -> partially_refunded -> refunded
pending -> failed | voided;  authorized -> voided;  captured/partially_refunded -> refunded
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from ...exceptions import ConflictError
from .money import ZERO


class PaymentStatus(StrEnum):
    PENDING = "pending"
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"
    FAILED = "failed"


class PaymentEvent(StrEnum):
    AUTHORIZE = "authorize"
    CAPTURE = "capture"
    REFUND = "refund"
    VOID = "void"
    FAIL = "fail"


TERMINAL = frozenset({PaymentStatus.REFUNDED, PaymentStatus.VOIDED, PaymentStatus.FAILED})
REFUNDABLE = frozenset({PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED})
# Events other than refunds, by the state they may happen in; refunds depend on the amount too.
TRANSITIONS: dict[tuple[PaymentStatus, PaymentEvent], PaymentStatus] = {
    (PaymentStatus.PENDING, PaymentEvent.AUTHORIZE): PaymentStatus.AUTHORIZED,
    (PaymentStatus.PENDING, PaymentEvent.FAIL): PaymentStatus.FAILED,
    (PaymentStatus.PENDING, PaymentEvent.VOID): PaymentStatus.VOIDED,
    (PaymentStatus.AUTHORIZED, PaymentEvent.CAPTURE): PaymentStatus.CAPTURED,
    (PaymentStatus.AUTHORIZED, PaymentEvent.VOID): PaymentStatus.VOIDED,
}


class InvalidTransitionError(ConflictError):
    """The event is not allowed in the payment's current state."""

    def __init__(
        self, status: PaymentStatus, event: PaymentEvent, reason: str | None = None
    ) -> None:
        self.status = status
        self.event = event
        message = reason or f"cannot {event.value} a payment that is {status.value}"
        super().__init__(message, status=status.value, event=event.value)


@dataclass(frozen=True)
class Payment:
    """The money-relevant state of a payment; amounts in the order's currency."""

    status: PaymentStatus
    amount: Decimal
    captured: Decimal = ZERO
    refunded: Decimal = ZERO

    @property
    def refundable(self) -> Decimal:
        return self.captured - self.refunded


def apply(payment: Payment, event: PaymentEvent, amount: Decimal | None = None) -> Payment:
    """The payment after `event`; refunds take an amount, other events none."""
    if event is PaymentEvent.REFUND:
        return _refund(payment, amount)
    if amount is not None:
        raise InvalidTransitionError(payment.status, event, f"{event.value} takes no amount")
    status = TRANSITIONS.get((payment.status, event))
    if status is None:
        raise InvalidTransitionError(payment.status, event)
    captured = payment.amount if event is PaymentEvent.CAPTURE else payment.captured
    return replace(payment, status=status, captured=captured)


def _refund(payment: Payment, amount: Decimal | None) -> Payment:
    if payment.status not in REFUNDABLE:
        raise InvalidTransitionError(payment.status, PaymentEvent.REFUND)
    if amount is None or amount <= ZERO:
        raise InvalidTransitionError(
            payment.status, PaymentEvent.REFUND, "a refund needs an amount above 0"
        )
    if amount > payment.refundable:
        raise InvalidTransitionError(
            payment.status,
            PaymentEvent.REFUND,
            f"cannot refund {amount}: only {payment.refundable} of the captured amount is left",
        )
    refunded = payment.refunded + amount
    status = (
        PaymentStatus.REFUNDED if refunded == payment.captured else PaymentStatus.PARTIALLY_REFUNDED
    )
    return replace(payment, status=status, refunded=refunded)
