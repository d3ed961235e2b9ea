"""The example domain: a multi-tenant shop with a catalogue, stock, orders and payments."""

from __future__ import annotations

from ..registration import Domain
from ..tables import Base
from .api import orders, payments, products
from .models import LIVE_PAYMENT_INDEX, LIVE_SKU_INDEX, TENANT_TABLES
from .services.orders import expire_reservations

SHOP = Domain(
    routers=(products.router, orders.router, payments.router),
    metadata=Base.metadata,
    tenant_tables=TENANT_TABLES,
    constraint_messages={
        LIVE_SKU_INDEX: "a product with this SKU already exists",
        LIVE_PAYMENT_INDEX: "this order already has a payment in progress",
        "ck_stock_items_reserved_within_on_hand": "stock cannot go below what open orders reserved",
        "fk_order_lines_product_id_products": "a product with orders cannot be removed",
    },
    jobs={"expire-reservations": expire_reservations},
)
