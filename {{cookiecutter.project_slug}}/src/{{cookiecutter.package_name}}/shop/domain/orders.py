"""The life of an order: reserved until paid, cancelled or expired."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    RESERVED = "reserved"  # placed; stock reserved until paid, cancelled or expired
    PAID = "paid"  # payment captured; stock has left the warehouse
    CANCELLED = "cancelled"
    EXPIRED = "expired"
