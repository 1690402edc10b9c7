"""Counted limits under concurrent `placeOrder`: twelve shoppers place at once through two
application instances on one database, and no limit is oversold. One test per limit: a coupon's
uses, a customer's uses of a coupon, a customer's uses of a rule, stock. The orders that lose the
race get Magento's message and their carts are left exactly as they were.

On PostgreSQL (`MAGESEG_TEST_DATABASE_URL`) the transactions really interleave; on SQLite the same
scenario runs serialized (one writer at a time) and must give the same answer. Each test takes
about 2 s (5 s on a busy PostgreSQL): twelve shoppers are set up and place their orders through
HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from mageseg.app import create_app
from mageseg.settings import Settings
from models import (
    CataloginventoryStockItem,
    CustomerEntity,
    Quote,
    QuoteAddress,
    QuoteCoupon,
    QuoteItem,
    SalesOrder,
    Salesrule,
    SalesruleCoupon,
    SalesruleCouponUsage,
    SalesruleCustomer,
)
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_cart_coupons import NOT_VALID, coupon_rule
from tests.test_cart_discounts import APPLY_COUPON, SHIPPING_METHOD, make_rule
from tests.test_orders_support import make_cart, make_product

SHOPPERS = 12

PLACE = """
mutation ($cart: String!) {
  placeOrder(input: {cart_id: $cart}) { orderV2 { number total { grand_total { value } } } }
}
"""
SERVER_ERROR = (
    "A server error stopped your order from being placed. Please try to place your order again."
)
OUT_OF_STOCK = "Some of the products are out of stock."


@pytest.fixture
async def clients(
    client: TestClient[Any, Any], aiohttp_client: Any, settings: Settings
) -> tuple[TestClient[Any, Any], TestClient[Any, Any]]:
    """Two application instances (each its own services and cache) on one database."""
    other: web.Application = create_app(settings, manage_database=False)
    second: TestClient[Any, Any] = await aiohttp_client(other)
    return client, second


async def cart_state(quote_id: int) -> tuple[object, ...]:
    """Every row of a cart, as stored."""
    return (
        await Quote.filter(entity_id=quote_id).values(),
        await QuoteItem.filter(quote_id=quote_id).order_by("item_id").values(),
        await QuoteAddress.filter(quote_id=quote_id).order_by("address_id").values(),
        await QuoteCoupon.filter(quote_id=quote_id).order_by("id").values(),
    )


async def race(
    clients: Sequence[TestClient[Any, Any]], carts: Sequence[tuple[int, str, str | None]]
) -> tuple[list[float], list[tuple[str, dict[str, Any]]], int]:
    """Place every cart at once, alternating the two instances. The grand totals of the placed
    orders, the (message, extensions) of the refused ones, and how many refused carts changed."""
    before = {quote_id: await cart_state(quote_id) for quote_id, _, _ in carts}
    responses = await asyncio.gather(
        *(
            gql(clients[i % 2], PLACE, {"cart": masked}, token=token)
            for i, (_, masked, token) in enumerate(carts)
        )
    )
    placed: list[float] = []
    refused: list[tuple[str, dict[str, Any]]] = []
    changed = 0
    for (quote_id, _, _), response in zip(carts, responses, strict=True):
        if response.errors:
            assert response.data == {"placeOrder": None}
            refused.append((response.messages[0], response.errors[0]["extensions"]))
            changed += await cart_state(quote_id) != before[quote_id]
        else:
            placed.append(response.data["placeOrder"]["orderV2"]["total"]["grand_total"]["value"])  # type: ignore[index]
    return placed, refused, changed


async def shopper_carts(
    client: TestClient[Any, Any],
    code: str | None,
    *,
    one_customer: bool = False,
    stock: str = "100",
) -> list[tuple[int, str, str | None]]:
    """Twelve carts of one lamp (100.00, flat rate 5.00), each ready to order, their totals
    collected through HTTP (`code` applied, or the shipping method set), as the shopper sees
    them: twelve customers, or one customer with twelve carts."""
    product = await make_product("lamp", "100.00", qty=stock)
    carts: list[tuple[int, str, str | None]] = []
    customer: CustomerEntity | None = None
    token: str | None = None
    for n in range(SHOPPERS):
        if customer is None or not one_customer:
            customer = await make_customer(f"shopper{n}@example.com")
            token = await token_for(customer)
        quote, masked = await make_cart([(product, "1")], customer=customer)
        carts.append((quote.entity_id, masked, token))
    collected = await asyncio.gather(
        *(
            gql(client, APPLY_COUPON, {"id": masked, "code": code}, token=token)
            if code is not None
            else gql(client, SHIPPING_METHOD, {"id": masked}, token=token)
            for _, masked, token in carts
        )
    )
    assert [r.errors for r in collected] == [[]] * SHOPPERS
    return carts


async def test_a_coupon_limited_to_three_uses_is_used_three_times(
    clients: tuple[TestClient[Any, Any], TestClient[Any, Any]], admin_token: str
) -> None:
    one, _ = clients
    rule_id = await coupon_rule(one, admin_token, "THREE", 10, uses_per_coupon=3)
    carts = await shopper_carts(one, "THREE")

    placed, refused, changed = await race(clients, carts)

    assert placed == [95.0, 95.0, 95.0]
    assert refused == [(NOT_VALID, {"category": "graphql-input", "error_code": "UNDEFINED"})] * 9
    assert changed == 0
    coupon = await SalesruleCoupon.get(code="THREE")
    assert coupon.times_used == 3
    assert (await Salesrule.get(rule_id=rule_id)).times_used == 3
    assert await SalesruleCouponUsage.filter(coupon_id=coupon.coupon_id).count() == 3
    assert await SalesOrder.filter(coupon_code="THREE").count() == 3


async def test_a_coupon_once_per_customer_is_used_once_by_a_customer_with_many_carts(
    clients: tuple[TestClient[Any, Any], TestClient[Any, Any]], admin_token: str
) -> None:
    one, _ = clients
    await coupon_rule(one, admin_token, "ONCE", 10)
    await SalesruleCoupon.filter(code="ONCE").update(usage_per_customer=1)
    carts = await shopper_carts(one, "ONCE", one_customer=True)

    placed, refused, changed = await race(clients, carts)

    assert placed == [95.0]
    assert refused == [(NOT_VALID, {"category": "graphql-input", "error_code": "UNDEFINED"})] * 11
    assert changed == 0
    coupon = await SalesruleCoupon.get(code="ONCE")
    assert coupon.times_used == 1
    usages = await SalesruleCouponUsage.filter(coupon_id=coupon.coupon_id).values_list(
        "times_used", flat=True
    )
    assert usages == [1]


async def test_a_rule_once_per_customer_discounts_one_order_of_a_customer(
    clients: tuple[TestClient[Any, Any], TestClient[Any, Any]], admin_token: str
) -> None:
    one, _ = clients
    rule_id = await make_rule(
        one,
        admin_token,
        name="Welcome",
        simple_action="BY_PERCENT",
        discount_amount=10,
        uses_per_customer=1,
    )
    carts = await shopper_carts(one, None, one_customer=True)

    placed, refused, changed = await race(clients, carts)

    # The other carts were shown 95.00: none is placed at 105.00 without the discount.
    assert placed == [95.0]
    assert (
        refused
        == [(SERVER_ERROR, {"category": "graphql-input", "error_code": "UNABLE_TO_PLACE_ORDER"})]
        * 11
    )
    assert changed == 0
    used = await SalesruleCustomer.filter(rule_id=rule_id).values_list("times_used", flat=True)
    assert used == [1]
    assert (await Salesrule.get(rule_id=rule_id)).times_used == 1


async def test_three_units_in_stock_go_to_three_orders(
    clients: tuple[TestClient[Any, Any], TestClient[Any, Any]],
) -> None:
    one, _ = clients
    carts = await shopper_carts(one, None, stock="3")

    placed, refused, changed = await race(clients, carts)

    assert placed == [105.0, 105.0, 105.0]
    assert (
        refused
        == [(OUT_OF_STOCK, {"category": "graphql-input", "error_code": "UNABLE_TO_PLACE_ORDER"})]
        * 9
    )
    assert changed == 0
    stock = await CataloginventoryStockItem.get(product__sku="lamp")
    assert (stock.qty, stock.is_in_stock) == (Decimal(0), False)
