"""Whatever events arrive, in whatever order, a payment's money stays consistent."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.shop.domain.money import ZERO
from {{ cookiecutter.package_name }}.shop.domain.payments import (
    TERMINAL,
    InvalidTransitionError,
    Payment,
    PaymentEvent,
    PaymentStatus,
    apply,
)

amounts = st.integers(min_value=1, max_value=10**8).map(lambda n: Decimal(n) / 100)
events = st.tuples(st.sampled_from(PaymentEvent), st.none() | amounts)


@given(amounts, st.lists(events, max_size=25))
def test_any_event_sequence_keeps_the_invariants(
    amount: Decimal, sequence: list[tuple[PaymentEvent, Decimal | None]]
) -> None:
    payment = Payment(PaymentStatus.PENDING, amount)
    for event, event_amount in sequence:
        before = payment
        try:
            payment = apply(payment, event, event_amount)
        except InvalidTransitionError:
            assert payment == before  # a rejected event changes nothing
            continue
        assert before.status not in TERMINAL, "terminal states accept no event"
        assert ZERO <= payment.refunded <= payment.captured <= payment.amount
        assert payment.refunded >= before.refunded, "refunds only accumulate"
        if payment.captured:
            assert payment.captured == payment.amount
        refunded_fully = payment.refunded == payment.captured and payment.captured > 0
        assert (payment.status is PaymentStatus.REFUNDED) == refunded_fully
