"""Totals that add up: the storefront order (`customer.orders`) equals the cart it came from,
line by line (quantity, price, row total, discount and its label and coupon) and in every total
(subtotal, item and shipping discounts, shipping, tax, grand total), through HTTP."""

from __future__ import annotations

from typing import Any

from tests.graphql import gql
from tests.test_cart_discounts import (
    APPLY_COUPON,
    BILLING_ADDRESS,
    PAYMENT,
    PLACE_ORDER,
    customer_cart,
    make_rule,
    ship,
)
from tests.test_carts import ADDRESS, add, make_product

CART = """
query ($id: String!) {
  cart(cart_id: $id) {
    itemsV2 { items { product { sku } quantity prices {
      price { value } row_total { value } total_item_discount { value }
      discounts { label amount { value } coupon { code } } } } }
    shipping_addresses { selected_shipping_method { amount { value } } }
    prices {
      subtotal_excluding_tax { value } grand_total { value }
      applied_taxes { amount { value } }
      discounts { label amount { value } applied_to coupon { code } }
    }
  }
}
"""
ORDER = """
{ customer { orders { items {
  items { product_sku quantity_ordered
    discounts { label amount { value } coupon { code } }
    prices { price { value } row_total { value } total_item_discount { value }
      discounts { label amount { value } coupon { code } } } }
  total {
    subtotal_excl_tax { value } grand_total { value } total_tax { value }
    total_shipping { value }
    discounts { label amount { value } coupon { code } }
    shipping_handling { total_amount { value } discounts { amount { value } } }
  }
} } } }
"""


def _pairs(entries: list[dict[str, Any]]) -> list[tuple[str, float, str | None]]:
    return [(d["label"], d["amount"]["value"], (d["coupon"] or {}).get("code")) for d in entries]


async def _place(client: Any, coupon: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """A customer's cart of a lamp and two desks, shipped, paid and placed: the cart just before
    placing and the storefront order."""
    cart_id, token = await customer_cart(client)
    await add(client, cart_id, [("lamp", 1), ("desk", 2)], token=token)
    if coupon is not None:
        response = await gql(client, APPLY_COUPON, {"id": cart_id, "code": coupon}, token=token)
        assert response.errors == [], response.errors
    await ship(client, cart_id, token)
    for document in (BILLING_ADDRESS, PAYMENT):
        response = await gql(client, document, {"id": cart_id, "address": ADDRESS}, token=token)
        assert response.errors == [], response.errors
    response = await gql(client, CART, {"id": cart_id}, token=token)
    assert response.errors == [], response.errors
    cart = response.data["cart"]  # type: ignore[index]
    placed = await gql(client, PLACE_ORDER, {"id": cart_id}, token=token)
    assert placed.errors == [], placed.errors
    response = await gql(client, ORDER, token=token)
    assert response.errors == [], response.errors
    (order,) = response.data["customer"]["orders"]["items"]  # type: ignore[index]
    return cart, order


def _lines(cart: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            i["product"]["sku"],
            i["quantity"],
            i["prices"]["price"]["value"],
            i["prices"]["row_total"]["value"],
            i["prices"]["total_item_discount"]["value"],
            _pairs(i["prices"]["discounts"]),
        )
        for i in cart["itemsV2"]["items"]
    ]


def _order_lines(order: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            i["product_sku"],
            i["quantity_ordered"],
            i["prices"]["price"]["value"],
            i["prices"]["row_total"]["value"],
            i["prices"]["total_item_discount"]["value"],
            _pairs(i["prices"]["discounts"]),
        )
        for i in order["items"]
    ]


async def test_the_order_equals_its_cart_line_by_line_and_in_total(
    client: Any, admin_token: str
) -> None:
    await make_product("lamp", "50.00")
    await make_product("desk", "20.00")
    await make_rule(
        client,
        admin_token,
        simple_action="BY_PERCENT",
        discount_amount=10,
        apply_to_shipping=True,
        coupon_type="SPECIFIC_COUPON",
        coupon_code="SAVE10",
        labels=[{"label": "Ten off"}],
    )
    cart, order = await _place(client, "SAVE10")

    # By hand: lamp 50 x 10% = 5.00, desk 2 x 20 x 10% = 4.00; flat rate 3 x 5 = 15.00, 10% =
    # 1.50 off; discounts 10.50; grand total 90 - 9 + 15 - 1.50 = 94.50 (no tax rate applies).
    lines = _lines(cart)
    assert lines == [
        ("lamp", 1, 50.0, 50.0, 5.0, [("Ten off", 5.0, "SAVE10")]),
        ("desk", 2, 20.0, 40.0, 4.0, [("Ten off", 4.0, "SAVE10")]),
    ]
    assert _order_lines(order) == lines
    assert [_pairs(i["discounts"]) for i in order["items"]] == [line[5] for line in lines]

    total = order["total"]
    prices = cart["prices"]
    assert total["subtotal_excl_tax"]["value"] == prices["subtotal_excluding_tax"]["value"] == 90
    assert total["grand_total"]["value"] == prices["grand_total"]["value"] == 94.5
    assert total["total_tax"]["value"] == sum(t["amount"]["value"] for t in prices["applied_taxes"])
    shipping = cart["shipping_addresses"][0]["selected_shipping_method"]["amount"]["value"]
    assert total["total_shipping"]["value"] == shipping == 15
    assert total["shipping_handling"]["total_amount"]["value"] == 15
    # The shipping discount, as the cart's SHIPPING entry.
    cart_discounts = [
        (d["label"], d["amount"]["value"], d["applied_to"], (d["coupon"] or {}).get("code"))
        for d in prices["discounts"]
    ]
    assert cart_discounts == [
        ("Ten off", 9.0, "ITEM", "SAVE10"),
        ("Ten off", 1.5, "SHIPPING", "SAVE10"),
    ]
    assert total["shipping_handling"]["discounts"] == [{"amount": {"value": 1.5}}]
    # The order's discount total is items and shipping together, as Magento's.
    assert _pairs(total["discounts"]) == [("Ten off", 10.5, "SAVE10")]


async def test_an_unlabelled_rule_without_coupon_and_no_shipping_discount(
    client: Any, admin_token: str
) -> None:
    await make_product("lamp", "50.00")
    await make_product("desk", "20.00")
    await make_rule(client, admin_token, simple_action="BY_FIXED", discount_amount=3)
    cart, order = await _place(client)
    # 3.00 off each unit: lamp 3.00, desks 6.00; shipping 15.00 untouched; 90 - 9 + 15 = 96.
    lines = _lines(cart)
    assert lines == [
        ("lamp", 1, 50.0, 50.0, 3.0, [("Discount", 3.0, None)]),
        ("desk", 2, 20.0, 40.0, 6.0, [("Discount", 6.0, None)]),
    ]
    assert _order_lines(order) == lines
    total = order["total"]
    assert total["grand_total"]["value"] == cart["prices"]["grand_total"]["value"] == 96
    assert total["subtotal_excl_tax"]["value"] == 90
    assert total["total_shipping"]["value"] == 15
    assert total["shipping_handling"] == {"total_amount": {"value": 15}, "discounts": []}
    assert _pairs(total["discounts"]) == [("Discount", 9.0, None)]


async def test_a_taxed_order_equals_its_cart_in_tax_and_every_total(
    client: Any, admin_token: str
) -> None:
    from models import TaxCalculation

    await TaxCalculation.create(
        tax_calculation_rate_id=1, customer_tax_class_id=3, product_tax_class_id=2
    )
    await make_product("lamp", "50.00")
    await make_product("desk", "20.00")
    await make_rule(
        client,
        admin_token,
        simple_action="BY_PERCENT",
        discount_amount=10,
        coupon_type="SPECIFIC_COUPON",
        coupon_code="SAVE10",
        labels=[{"label": "Ten off"}],
    )
    cart, order = await _place(client, "SAVE10")
    # CA 8.25% after the discount: lamp (50 - 5) x 8.25% = 3.7125, desks (40 - 4) x 8.25% =
    # 2.97; tax 6.68 (the cart's, rounded per line: 3.71 + 2.97); shipping untaxed.
    # Grand total 90 - 9 + 6.68 + 15 = 102.68.
    assert _order_lines(order) == _lines(cart)
    total = order["total"]
    prices = cart["prices"]
    cart_tax = sum(t["amount"]["value"] for t in prices["applied_taxes"])
    assert total["total_tax"]["value"] == round(cart_tax, 2) == 6.68
    assert total["subtotal_excl_tax"]["value"] == prices["subtotal_excluding_tax"]["value"] == 90
    assert total["grand_total"]["value"] == prices["grand_total"]["value"] == 102.68
    assert total["total_shipping"]["value"] == 15
    assert _pairs(total["discounts"]) == [("Ten off", 9.0, "SAVE10")]


CREATE_ADDRESS = """
mutation ($input: CustomerAddressInput!) { createCustomerAddress(input: $input) { id } }
"""
FROM_BOOK = """
mutation ($id: String!, $address: Int!) {
  setShippingAddressesOnCart(input: {cart_id: $id, shipping_addresses: [
    {customer_address_id: $address}]}) { cart { id } }
  setBillingAddressOnCart(input: {cart_id: $id, billing_address: {customer_address_id: $address}})
  { cart { id } }
}
"""
ORDER_ADDRESSES = """
{ customer { orders { items {
  shipping_address { city custom_attributesV2 { code ... on AttributeValue { value } } }
  billing_address { custom_attributesV2(attributeCodes: ["gate_code"]) { code } }
} } } }
"""


async def test_order_addresses_keep_the_address_books_custom_attributes(
    client: Any, admin_token: str
) -> None:
    from tests.test_addresses import TEXAS, make_address_attribute
    from tests.test_cart_discounts import SHIPPING_METHOD

    await make_address_attribute()
    await make_address_attribute("gate_code", "Gate code")
    await make_product("lamp", "50.00")
    cart_id, token = await customer_cart(client)
    given = {
        **TEXAS,
        "custom_attributesV2": [
            {"attribute_code": "delivery_note", "value": "Ring twice"},
            {"attribute_code": "gate_code", "value": "1234"},
        ],
    }
    created = await gql(client, CREATE_ADDRESS, {"input": given}, token=token)
    assert created.errors == [], created.errors
    address_id = created.data["createCustomerAddress"]["id"]  # type: ignore[index]
    await add(client, cart_id, [("lamp", 1)], token=token)
    for document, variables in (
        (FROM_BOOK, {"id": cart_id, "address": address_id}),
        (SHIPPING_METHOD, {"id": cart_id}),
        (PAYMENT, {"id": cart_id}),
        (PLACE_ORDER, {"id": cart_id}),
    ):
        response = await gql(client, document, variables, token=token)
        assert response.errors == [], response.errors
    response = await gql(client, ORDER_ADDRESSES, token=token)
    assert response.errors == [], response.errors
    (order,) = response.data["customer"]["orders"]["items"]  # type: ignore[index]
    assert order == {
        "shipping_address": {
            "city": "Austin",
            "custom_attributesV2": [
                {"code": "delivery_note", "value": "Ring twice"},
                {"code": "gate_code", "value": "1234"},
            ],
        },
        "billing_address": {"custom_attributesV2": [{"code": "gate_code"}]},
    }
