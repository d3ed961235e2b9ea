from __future__ import annotations

from decimal import Decimal

import pytest

from {{ cookiecutter.package_name }}.shop.domain.payments import (
    TRANSITIONS,
    InvalidTransitionError,
    Payment,
    PaymentEvent,
    PaymentStatus,
    apply,
)

# Part of `make test-critical`, the fast subset pull requests get first.
pytestmark = pytest.mark.critical

AMOUNT = Decimal("30.00")
NON_REFUND_EVENTS = [event for event in PaymentEvent if event is not PaymentEvent.REFUND]


def _in(status: PaymentStatus, captured: str = "0", refunded: str = "0") -> Payment:
    return Payment(status, AMOUNT, Decimal(captured), Decimal(refunded))


def test_the_happy_path_authorize_capture_refund_in_two_parts() -> None:
    payment = apply(apply(_in(PaymentStatus.PENDING), PaymentEvent.AUTHORIZE), PaymentEvent.CAPTURE)
    assert (payment.status, payment.captured) == (PaymentStatus.CAPTURED, AMOUNT)
    payment = apply(payment, PaymentEvent.REFUND, Decimal("10.00"))
    assert (payment.status, payment.refundable) == (PaymentStatus.PARTIALLY_REFUNDED, Decimal(20))
    payment = apply(payment, PaymentEvent.REFUND, Decimal("20.00"))
    assert (payment.status, payment.refunded) == (PaymentStatus.REFUNDED, AMOUNT)


@pytest.mark.parametrize(
    ("status", "event"),
    [
        (status, event)
        for status in PaymentStatus
        for event in NON_REFUND_EVENTS
        if (status, event) not in TRANSITIONS
    ],
)
def test_every_other_event_is_rejected_with_the_state_named(
    status: PaymentStatus, event: PaymentEvent
) -> None:
    with pytest.raises(InvalidTransitionError, match=f"cannot {event} a payment that is {status}"):
        apply(_in(status), event)


@pytest.mark.parametrize(
    "status",
    [
        s
        for s in PaymentStatus
        if s not in {PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED}
    ],
)
def test_only_captured_payments_can_be_refunded(status: PaymentStatus) -> None:
    with pytest.raises(InvalidTransitionError, match="cannot refund"):
        apply(_in(status), PaymentEvent.REFUND, Decimal("1.00"))


def test_refunds_never_exceed_what_was_captured() -> None:
    partly = _in(PaymentStatus.PARTIALLY_REFUNDED, captured="30.00", refunded="25.00")
    with pytest.raises(InvalidTransitionError, match=r"only 5\.00 of the captured amount is left"):
        apply(partly, PaymentEvent.REFUND, Decimal("5.01"))


@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("-1")])
def test_refunds_need_a_positive_amount(amount: Decimal | None) -> None:
    with pytest.raises(InvalidTransitionError, match="needs an amount above 0"):
        apply(_in(PaymentStatus.CAPTURED, captured="30.00"), PaymentEvent.REFUND, amount)


def test_other_events_take_no_amount() -> None:
    with pytest.raises(InvalidTransitionError, match="capture takes no amount"):
        apply(_in(PaymentStatus.AUTHORIZED), PaymentEvent.CAPTURE, Decimal("1.00"))
