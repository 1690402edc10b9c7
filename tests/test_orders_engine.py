"""Order rules that are tables: Magento's error-code mapping, item statuses, increment ids and
the state transitions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine import orders
from engine.orders import ALLOWED_TRANSITIONS, ItemStatus, PlaceOrderCode
from models import OrderState, SalesOrderItem


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ('Could not find a cart with ID "abc"', PlaceOrderCode.CART_NOT_FOUND),
        ("The cart isn't active.", PlaceOrderCode.CART_NOT_ACTIVE),
        ("Guest email for cart is missing.", PlaceOrderCode.GUEST_EMAIL_MISSING),
        (orders.SERVER_ERROR, PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
        (orders.OUT_OF_STOCK, PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
        (orders.SHIPPING_METHOD_MISSING, PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
        (orders.SHIPPING_ADDRESS_MISSING, PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
        (orders.BILLING_ADDRESS_MISSING, PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
        (orders.PAYMENT_METHOD_MISSING, PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
        ('Wrong store code specified for cart "abc"', PlaceOrderCode.UNDEFINED),
    ],
)
def test_messages_map_to_magentos_codes(message: str, code: PlaceOrderCode) -> None:
    assert orders.place_order_code(message) is code


def test_increment_ids_are_nine_digits() -> None:
    assert orders.format_increment_id(1) == "000000001"
    assert orders.format_increment_id(1234567890) == "1234567890"


def _item(
    ordered: str, invoiced: str = "0", shipped: str = "0", refunded: str = "0", canceled: str = "0"
) -> SalesOrderItem:
    return SalesOrderItem(
        qty_ordered=Decimal(ordered),
        qty_invoiced=Decimal(invoiced),
        qty_shipped=Decimal(shipped),
        qty_refunded=Decimal(refunded),
        qty_canceled=Decimal(canceled),
    )


@pytest.mark.parametrize(
    ("item", "status"),
    [
        (_item("2"), ItemStatus.ORDERED),
        (_item("2", invoiced="2"), ItemStatus.INVOICED),
        (_item("2", invoiced="2", shipped="2"), ItemStatus.SHIPPED),
        (_item("2", canceled="2"), ItemStatus.CANCELED),
        (_item("2", invoiced="2", refunded="2"), ItemStatus.REFUNDED),
        (_item("2", invoiced="1"), ItemStatus.PARTIAL),
        (_item("2", invoiced="1", canceled="1"), ItemStatus.INVOICED),
        (_item("2", invoiced="2", shipped="1", refunded="1"), ItemStatus.SHIPPED),
        (_item("3", invoiced="2", shipped="1", canceled="1"), ItemStatus.MIXED),
    ],
)
def test_item_status_follows_magento(item: SalesOrderItem, status: ItemStatus) -> None:
    assert orders.item_status(item) is status


def test_final_states_lead_nowhere_and_every_state_is_in_the_table() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(OrderState)
    assert ALLOWED_TRANSITIONS[OrderState.CANCELED] == frozenset()
    assert ALLOWED_TRANSITIONS[OrderState.CLOSED] == frozenset()
    assert ALLOWED_TRANSITIONS[OrderState.COMPLETE] == {OrderState.CLOSED}
    assert OrderState.CANCELED not in ALLOWED_TRANSITIONS[OrderState.HOLDED]
