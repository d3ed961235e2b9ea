"""Every constraint the schema declares rejects the rows it exists to reject.

Each case breaks exactly one rule on otherwise valid rows (PostgreSQL checks CHECK constraints in
name order, so each statement keeps every other rule satisfied).
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.integration.conftest import Shop

# An id no row has: pointing a foreign key at it must fail.
GHOST = uuid.UUID("00000000-0000-4000-8000-00000000dead")

VIOLATIONS = {
    "ck_stock_items_on_hand_non_negative": (
        "UPDATE stock_items SET on_hand = -1, reserved = 0 WHERE product_id = :product"
    ),
    "ck_stock_items_reserved_non_negative": (
        "UPDATE stock_items SET reserved = -1 WHERE product_id = :product"
    ),
    "ck_stock_items_reserved_within_on_hand": (
        "UPDATE stock_items SET reserved = on_hand + 1 WHERE product_id = :product"
    ),
    "fk_stock_items_organization_id_organizations": (
        "UPDATE stock_items SET organization_id = :ghost WHERE product_id = :product"
    ),
    "fk_stock_items_product_id_products": (
        "UPDATE stock_items SET product_id = :ghost WHERE product_id = :product"
    ),
    "ck_orders_status_known": "UPDATE orders SET status = 'shipped' WHERE id = :order",
    "ck_orders_total_is_subtotal_less_discount": (
        "UPDATE orders SET total = total + 1 WHERE id = :order"
    ),
    "ck_orders_discount_within_subtotal": (
        "UPDATE orders SET discount_total = subtotal + 1, total = -1 WHERE id = :order"
    ),
    "fk_orders_organization_id_organizations": (
        "UPDATE orders SET organization_id = :ghost WHERE id = :order"
    ),
    "ck_order_lines_quantity_positive": (
        "UPDATE order_lines SET quantity = 0, line_total = 0, discount = 0 WHERE order_id = :order"
    ),
    "ck_order_lines_line_total_is_price_times_quantity": (
        "UPDATE order_lines SET line_total = line_total + 1 WHERE order_id = :order"
    ),
    "ck_order_lines_discount_within_line": (
        "UPDATE order_lines SET discount = line_total + 1 WHERE order_id = :order"
    ),
    "fk_order_lines_order_id_orders": (
        "UPDATE order_lines SET order_id = :ghost WHERE order_id = :order"
    ),
    "fk_order_lines_product_id_products": (
        "UPDATE order_lines SET product_id = :ghost WHERE order_id = :order"
    ),
    "fk_order_lines_organization_id_organizations": (
        "UPDATE order_lines SET organization_id = :ghost WHERE order_id = :order"
    ),
    "ck_payments_status_known": "UPDATE payments SET status = 'lost' WHERE id = :payment",
    "ck_payments_amount_positive": (
        "UPDATE payments SET amount = 0, captured = 0, refunded = 0 WHERE id = :payment"
    ),
    "ck_payments_captured_within_amount": (
        "UPDATE payments SET captured = amount + 1 WHERE id = :payment"
    ),
    "ck_payments_refunded_within_captured": (
        "UPDATE payments SET refunded = captured + 1 WHERE id = :payment"
    ),
    "fk_payments_order_currency": "UPDATE payments SET currency = 'USD' WHERE id = :payment",
    "fk_payments_organization_id_organizations": (
        "UPDATE payments SET organization_id = :ghost WHERE id = :payment"
    ),
    "uq_payments_live_per_order": (
        "INSERT INTO payments (id, organization_id, order_id, currency, status, amount)"
        " SELECT gen_random_uuid(), organization_id, order_id, currency, 'pending', amount"
        " FROM payments WHERE id = :payment"
    ),
    "fk_products_organization_id_organizations": (
        "UPDATE products SET organization_id = :ghost WHERE id = :product"
    ),
    "ck_products_price_non_negative": "UPDATE products SET price = -0.01 WHERE id = :product",
    "uq_products_live_sku": (
        "INSERT INTO products (id, organization_id, sku, name, price) SELECT gen_random_uuid(),"
        " organization_id, sku, name, price FROM products WHERE id = :product"
    ),
    "ck_organizations_currency_iso_4217": (
        "UPDATE organizations SET currency = 'eur' WHERE id = :organization"
    ),
}


@pytest.mark.parametrize(("constraint", "statement"), VIOLATIONS.items(), ids=VIOLATIONS.keys())
async def test_the_database_rejects_rows_that_break_a_rule(
    db_session: AsyncSession, shop: Shop, constraint: str, statement: str
) -> None:
    ids = {
        "organization": shop.organization_id,
        "product": shop.product_id,
        "order": shop.order_id,
        "payment": shop.payment_id,
        "ghost": GHOST,
    }
    used = {name: value for name, value in ids.items() if f":{name}" in statement}
    with pytest.raises(IntegrityError) as violation:
        async with db_session.begin_nested():
            await db_session.execute(text(statement), used)
    assert f'"{constraint}"' in str(violation.value.orig)
