"""`placeOrder` through HTTP: a cart becomes an order once, copied whole, with Magento's errors
(top-level `graphql-input` errors carrying `extensions.error_code`, as 2.4.9 reports them)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from models import (
    CataloginventoryStockItem,
    Quote,
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    SalesOrderPayment,
)
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_orders_support import make_cart, make_product, order_counts

PLACE = """
mutation ($cart: String!) {
  placeOrder(input: {cart_id: $cart}) {
    errors { code message }
    order { order_number order_id }
    orderV2 {
      number status email is_virtual carrier shipping_method available_actions
      customer_info { firstname lastname }
      payment_methods { name type }
      billing_address {
        firstname lastname street city region region_id postcode country_code telephone
      }
      shipping_address { street city }
      items {
        product_sku product_name product_type quantity_ordered status
        product_sale_price { value currency } product { sku }
        prices { price { value } row_total { value } }
      }
      total {
        subtotal_excl_tax { value currency } grand_total { value currency }
        base_grand_total { value } total_tax { value } total_shipping { value }
      }
    }
  }
}
"""

PLACE_NUMBER = """
mutation ($cart: String!) { placeOrder(input: {cart_id: $cart}) { orderV2 { number } } }
"""


def money(value: float) -> dict[str, object]:
    return {"value": value, "currency": "USD"}


async def test_a_guest_cart_becomes_an_order(client: Any) -> None:
    a = await make_product("SKU-A", "10.50", qty="5")
    b = await make_product("SKU-B", "3.00", qty=None)
    quote, masked = await make_cart([(a, "2"), (b, "1")])

    response = await gql(client, PLACE, {"cart": masked})

    assert response.errors == []
    assert response.data == {
        "placeOrder": {
            "errors": [],
            "order": {"order_number": "000000001", "order_id": "000000001"},
            "orderV2": {
                "number": "000000001",
                "status": "Pending",
                "email": "guest@example.com",
                "is_virtual": False,
                "carrier": "Flat Rate",
                "shipping_method": "Flat Rate - Fixed",
                "available_actions": ["REORDER"],
                "customer_info": {"firstname": "Ann", "lastname": "Lee"},
                "payment_methods": [{"name": "Check / Money order", "type": "checkmo"}],
                "billing_address": {
                    "firstname": "Ann",
                    "lastname": "Lee",
                    "street": ["1 Main St", "Suite 2"],
                    "city": "Austin",
                    "region": "Texas",
                    "region_id": "57",
                    "postcode": "78701",
                    "country_code": "US",
                    "telephone": "5550100",
                },
                "shipping_address": {"street": ["1 Main St", "Suite 2"], "city": "Austin"},
                "items": [
                    {
                        "product_sku": "SKU-A",
                        "product_name": "Product SKU-A",
                        "product_type": "simple",
                        "quantity_ordered": 2.0,
                        "status": "Ordered",
                        "product_sale_price": money(10.5),
                        "product": {"sku": "SKU-A"},
                        "prices": {"price": {"value": 10.5}, "row_total": {"value": 21.0}},
                    },
                    {
                        "product_sku": "SKU-B",
                        "product_name": "Product SKU-B",
                        "product_type": "simple",
                        "quantity_ordered": 1.0,
                        "status": "Ordered",
                        "product_sale_price": money(3.0),
                        "product": {"sku": "SKU-B"},
                        "prices": {"price": {"value": 3.0}, "row_total": {"value": 3.0}},
                    },
                ],
                # Flat rate: 5.00 per item, 3 items.
                "total": {
                    "subtotal_excl_tax": money(24.0),
                    "grand_total": money(39.0),
                    "base_grand_total": {"value": 39.0},
                    "total_tax": {"value": 0.0},
                    "total_shipping": {"value": 15.0},
                },
            },
        }
    }
    order = await SalesOrder.get(increment_id="000000001")
    assert (order.state.value, order.status, order.customer_id, order.customer_is_guest) == (
        "new",
        "pending",
        None,
        True,
    )
    assert (order.customer_group_id, order.store_id, order.quote_id) == (0, 1, quote.entity_id)  # type: ignore[attr-defined]
    assert (order.subtotal, order.base_subtotal, order.shipping_amount) == (
        Decimal("24"),
        Decimal("24"),
        Decimal("15"),
    )
    assert (order.grand_total, order.base_grand_total, order.total_qty_ordered) == (
        Decimal("39"),
        Decimal("39"),
        Decimal("3"),
    )
    assert (order.total_item_count, order.base_currency_code, order.order_currency_code) == (
        2,
        "USD",
        "USD",
    )
    assert order.shipping_method == "flatrate_flatrate"
    items = await SalesOrderItem.filter(order_id=order.entity_id).order_by("item_id")
    assert [(i.sku, i.qty_ordered, i.price, i.row_total) for i in items] == [
        ("SKU-A", Decimal("2"), Decimal("10.5"), Decimal("21")),
        ("SKU-B", Decimal("1"), Decimal("3"), Decimal("3")),
    ]
    kinds = await SalesOrderAddress.filter(parent_id=order.entity_id).values_list(
        "address_type", "email"
    )
    assert sorted((str(k), e) for k, e in kinds) == [
        ("billing", "guest@example.com"),
        ("shipping", "guest@example.com"),
    ]
    payment = await SalesOrderPayment.get(parent_id=order.entity_id)
    assert (payment.method, payment.amount_ordered) == ("checkmo", Decimal("39"))
    stock = await CataloginventoryStockItem.get(product_id=a.entity_id)
    assert (stock.qty, stock.is_in_stock) == (Decimal("3"), True)
    quote = await Quote.get(entity_id=quote.entity_id)
    assert (quote.is_active, quote.reserved_order_id) == (False, "000000001")
    assert quote.converted_at is not None


async def test_a_cart_is_ordered_only_once(client: Any) -> None:
    a = await make_product("SKU-A")
    _, masked = await make_cart([(a, "1")])
    first = await gql(client, PLACE_NUMBER, {"cart": masked})
    assert first.data == {"placeOrder": {"orderV2": {"number": "000000001"}}}
    before = await order_counts()

    again = await gql(client, PLACE_NUMBER, {"cart": masked})

    assert again.data == {"placeOrder": None}
    assert again.errors[0]["message"] == "The cart isn't active."
    assert again.errors[0]["extensions"] == {
        "category": "graphql-input",
        "error_code": "CART_NOT_ACTIVE",
    }
    assert await order_counts() == before


async def test_the_last_unit_goes_to_one_order_and_stock_runs_out(client: Any) -> None:
    a = await make_product("SKU-A", qty="1")
    _, first = await make_cart([(a, "1")])
    _, second = await make_cart([(a, "1")])
    assert (await gql(client, PLACE_NUMBER, {"cart": first})).errors == []
    stock = await CataloginventoryStockItem.get(product_id=a.entity_id)
    assert (stock.qty, stock.is_in_stock) == (Decimal("0"), False)

    refused = await gql(client, PLACE_NUMBER, {"cart": second})

    assert refused.messages == ["Some of the products are out of stock."]
    assert refused.errors[0]["extensions"]["error_code"] == "UNABLE_TO_PLACE_ORDER"
    assert (await Quote.all().order_by("entity_id").values_list("is_active", flat=True)) == [
        False,
        True,
    ]


async def _refused(client: Any, masked: str, token: str | None = None) -> tuple[str, str, str]:
    before = await order_counts()
    response = await gql(client, PLACE_NUMBER, {"cart": masked}, token=token)
    assert response.data == {"placeOrder": None}
    assert len(response.errors) == 1
    assert await order_counts() == before
    extensions = response.errors[0]["extensions"]
    return response.messages[0], extensions["category"], extensions.get("error_code", "")


async def test_every_refusal_has_magentos_message_and_code(client: Any) -> None:
    a = await make_product("SKU-A", qty="2")
    cases: list[tuple[dict[str, Any], tuple[str, str, str]]] = [
        (
            {"email": None},
            ("Guest email for cart is missing.", "graphql-input", "GUEST_EMAIL_MISSING"),
        ),
        (
            {"lines": []},
            (
                "A server error stopped your order from being placed. Please try to place your "
                "order again.",
                "graphql-input",
                "UNABLE_TO_PLACE_ORDER",
            ),
        ),
        (
            {"lines": [(a, "3")]},
            ("Some of the products are out of stock.", "graphql-input", "UNABLE_TO_PLACE_ORDER"),
        ),
        (
            {"shipping": False},
            (
                "Please check the shipping address information.",
                "graphql-input",
                "UNABLE_TO_PLACE_ORDER",
            ),
        ),
        (
            {"shipping_method": None},
            (
                "The shipping method is missing. Select the shipping method and try again.",
                "graphql-input",
                "UNABLE_TO_PLACE_ORDER",
            ),
        ),
        (
            {"billing": False},
            (
                "Please check the billing address information.",
                "graphql-input",
                "UNABLE_TO_PLACE_ORDER",
            ),
        ),
        (
            {"payment_method": None},
            (
                "Enter a valid payment method and try again.",
                "graphql-input",
                "UNABLE_TO_PLACE_ORDER",
            ),
        ),
    ]
    for options, expected in cases:
        lines = options.pop("lines", [(a, "1")])
        quote, masked = await make_cart(lines, **options)
        assert await _refused(client, masked) == expected, options
        # Nothing was written: the cart is still active and the stock untouched.
        assert (await Quote.get(entity_id=quote.entity_id)).is_active
    stock = await CataloginventoryStockItem.get(product_id=a.entity_id)
    assert stock.qty == Decimal("2")


async def test_a_virtual_cart_needs_no_shipping(client: Any) -> None:
    ebook = await make_product("EBOOK", "7.00", qty=None, type_id="virtual")  # type: ignore[arg-type]
    _, masked = await make_cart([(ebook, "1")], shipping=False)
    response = await gql(
        client,
        "mutation ($cart: String!) { placeOrder(input: {cart_id: $cart}) { orderV2 { "
        "is_virtual shipping_address { city } total { grand_total { value } } } } }",
        {"cart": masked},
    )
    assert response.errors == []
    assert response.data == {
        "placeOrder": {
            "orderV2": {
                "is_virtual": True,
                "shipping_address": None,
                "total": {"grand_total": {"value": 7.0}},
            }
        }
    }


async def test_unknown_and_foreign_carts_are_refused(client: Any) -> None:
    a = await make_product("SKU-A")
    owner = await make_customer("owner@example.com")
    _, theirs = await make_cart([(a, "1")], customer=owner)
    intruder = await token_for(await make_customer("intruder@example.com"))

    assert await _refused(client, "f" * 32) == (
        f'Could not find a cart with ID "{"f" * 32}"',
        "graphql-input",
        "CART_NOT_FOUND",
    )
    for token in (None, intruder):
        before = await order_counts()
        response = await gql(client, PLACE_NUMBER, {"cart": theirs}, token=token)
        assert response.messages == [
            f'The current user cannot perform operations on cart "{theirs}"'
        ]
        assert response.categories == ["graphql-authorization"]
        assert await order_counts() == before


async def test_an_empty_cart_id_is_an_input_error(client: Any) -> None:
    response = await gql(
        client, 'mutation { placeOrder(input: {cart_id: ""}) { order { order_number } } }'
    )
    assert response.messages == ['Required parameter "cart_id" is missing']
    assert response.categories == ["graphql-input"]
