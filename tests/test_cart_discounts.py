"""Cart price rules on cart totals through HTTP: what the discounts feed (item and cart prices,
the deprecated `discount`, tax after discount, grand totals, `Cart.rules` behind its setting),
what `collect_totals` persists (quote, item and address discount columns, `applied_rule_ids`),
what an order copies and counts, and that the parsed rules are memoized by the promotions
version. The helpers here seed rules through the admin API (`adminCreateCartRule`) and are
shared by the other cart-rule test modules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.salesrules import rule_set as rule_sets
from graph.uids import encode_uid
from models import (
    CoreConfigData,
    ProductType,
    Quote,
    QuoteAddress,
    QuoteItem,
    SalesOrder,
    SalesOrderItem,
    Salesrule,
    SalesruleCoupon,
    SalesruleCouponUsage,
    SalesruleCustomer,
    TaxCalculation,
)
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_carts import ADDRESS, add, guest_cart, make_product

WEBSITE = encode_uid(1)
EVERY_GROUP = [encode_uid(g) for g in (0, 1, 2, 3)]

CREATE_RULE = """
mutation ($input: CartRuleInput!) {
  adminCreateCartRule(input: $input) { cart_rule { uid } user_errors { code message path } }
}
"""
UPDATE_RULE = """
mutation ($uid: ID!, $input: CartRuleInput!) {
  adminUpdateCartRule(uid: $uid, input: $input) { cart_rule { uid } user_errors { message } }
}
"""
GENERATE = """
mutation ($uid: ID!, $input: GenerateCouponsInput!) {
  adminGenerateCoupons(rule_uid: $uid, input: $input) {
    coupons { code } user_errors { code message path }
  }
}
"""
CART = """
query ($id: String!) {
  cart(cart_id: $id) {
    applied_coupons { code } applied_coupon { code } rules { uid }
    itemsV2 { items { product { sku } prices {
      price { value } row_total { value } total_item_discount { value }
      discounts { label amount { value } applied_to coupon { code } } } } }
    shipping_addresses { selected_shipping_method { amount { value } } }
    prices {
      subtotal_excluding_tax { value } subtotal_including_tax { value }
      subtotal_with_discount_excluding_tax { value }
      grand_total { value } grand_total_excluding_tax { value }
      applied_taxes { label amount { value } }
      discount { amount { value } label }
      discounts { label amount { value } applied_to coupon { code } }
    }
  }
}
"""
SHIPPING_ADDRESS = """
mutation ($id: String!, $address: CartAddressInput!) {
  setShippingAddressesOnCart(input: {cart_id: $id, shipping_addresses: [{address: $address}]}) {
    cart { id }
  }
}
"""
BILLING_ADDRESS = """
mutation ($id: String!, $address: CartAddressInput!) {
  setBillingAddressOnCart(input: {cart_id: $id, billing_address: {address: $address}}) {
    cart { id }
  }
}
"""
SHIPPING_METHOD = """
mutation ($id: String!) {
  setShippingMethodsOnCart(input: {cart_id: $id, shipping_methods: [
    {carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } }
}
"""
PAYMENT = """
mutation ($id: String!) {
  setPaymentMethodOnCart(input: {cart_id: $id, payment_method: {code: "checkmo"}}) {
    cart { id }
  }
}
"""
GUEST_EMAIL = """
mutation ($id: String!) {
  setGuestEmailOnCart(input: {cart_id: $id, email: "guest@example.com"}) { cart { id } }
}
"""
PLACE_ORDER = """
mutation ($id: String!) {
  placeOrder(input: {cart_id: $id}) { orderV2 { number } errors { code message } }
}
"""
APPLY_COUPON = """
mutation ($id: String!, $code: String!) {
  applyCouponToCart(input: {cart_id: $id, coupon_code: $code}) {
    cart { applied_coupons { code } prices { grand_total { value } } }
  }
}
"""
CUSTOMER_CART = "{ customerCart { id } }"
CUSTOMER_ORDERS = """
{ customer { orders { items {
  applied_coupons { code } total { discounts { label amount { value } coupon { code } } }
} } } }
"""


def rule_input(**fields: Any) -> dict[str, Any]:
    """A rule for website 1 and every group, active, not discarding later rules, by default."""
    values: dict[str, Any] = {
        "name": "Rule",
        "is_active": True,
        "website_uids": [WEBSITE],
        "customer_group_uids": EVERY_GROUP,
        "stop_rules_processing": False,
    }
    values.update(fields)
    return values


async def make_rule(client: Any, admin_token: str, **fields: Any) -> int:
    """Create a cart rule through `adminCreateCartRule`; its id."""
    response = await gql(client, CREATE_RULE, {"input": rule_input(**fields)}, token=admin_token)
    assert response.errors == [], response.errors
    created = response.data["adminCreateCartRule"]  # type: ignore[index]
    assert created["user_errors"] == [], created["user_errors"]
    return int(Decimal(_decode(created["cart_rule"]["uid"])))


def _decode(uid: str) -> str:
    import base64

    return base64.b64decode(uid).decode()


async def generate_codes(
    client: Any, admin_token: str, rule_id: int, quantity: int = 1, **fields: Any
) -> list[str]:
    """Auto-generated codes of a rule (`adminGenerateCoupons`)."""
    values = {"quantity": quantity, "length": 8, "format": "ALPHANUMERIC", **fields}
    response = await gql(
        client, GENERATE, {"uid": encode_uid(rule_id), "input": values}, token=admin_token
    )
    assert response.errors == [], response.errors
    generated = response.data["adminGenerateCoupons"]  # type: ignore[index]
    assert generated["user_errors"] == [], generated["user_errors"]
    return [c["code"] for c in generated["coupons"]]


async def customer_cart(
    client: Any, group_id: int = 1, email: str = "ann@example.com"
) -> tuple[str, str]:
    """A customer of `group_id`, their token and their cart's masked id."""
    customer = await make_customer(email, group_id=group_id)
    token = await token_for(customer)
    response = await gql(client, CUSTOMER_CART, token=token)
    assert response.errors == [], response.errors
    return response.data["customerCart"]["id"], token  # type: ignore[index]


async def ship(client: Any, cart_id: str, token: str | None = None) -> None:
    """A California shipping address and the flat rate ($5 per item by default)."""
    for document in (SHIPPING_ADDRESS, SHIPPING_METHOD):
        response = await gql(client, document, {"id": cart_id, "address": ADDRESS}, token=token)
        assert response.errors == [], response.errors


async def cart_of(client: Any, cart_id: str, token: str | None = None) -> dict[str, Any]:
    response = await gql(client, CART, {"id": cart_id}, token=token)
    assert response.errors == [], response.errors
    cart: dict[str, Any] = response.data["cart"]  # type: ignore[index]
    return cart


def money(cart: dict[str, Any], name: str) -> float:
    value: float = cart["prices"][name]["value"]
    return value


def discounts(entries: list[dict[str, Any]]) -> list[tuple[str, float, str, str | None]]:
    return [
        (d["label"], d["amount"]["value"], d["applied_to"], (d["coupon"] or {}).get("code"))
        for d in entries
    ]


def item_discounts(cart: dict[str, Any]) -> dict[str, float]:
    return {
        i["product"]["sku"]: i["prices"]["total_item_discount"]["value"]
        for i in cart["itemsV2"]["items"]
    }


# --- prices -------------------------------------------------------------------------------------


async def test_discounts_feed_item_and_cart_prices(client: Any, admin_token: str) -> None:
    await make_product("lamp", "40.00")
    await make_product("desk", "60.00")
    ten = await make_rule(
        client,
        admin_token,
        name="Ten",
        simple_action="BY_PERCENT",
        discount_amount=10,
        labels=[{"label": "Ten percent"}],
    )
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("lamp", 1), ("desk", 2)])
    cart = await cart_of(client, cart_id)
    # lamp 40 x 10% = 4.00; desk 120 x 10% = 12.00; subtotal 160, discount 16, grand 144.
    assert item_discounts(cart) == {"lamp": 4.0, "desk": 12.0}
    assert [discounts(i["prices"]["discounts"]) for i in cart["itemsV2"]["items"]] == [
        [("Ten percent", 4.0, "ITEM", None)],
        [("Ten percent", 12.0, "ITEM", None)],
    ]
    assert discounts(cart["prices"]["discounts"]) == [("Ten percent", 16.0, "ITEM", None)]
    assert cart["prices"]["discount"] == {"amount": {"value": -16.0}, "label": ["Ten percent"]}
    assert money(cart, "subtotal_excluding_tax") == 160.0
    assert money(cart, "subtotal_with_discount_excluding_tax") == 144.0
    assert money(cart, "grand_total") == 144.0
    assert cart["rules"] == [{"uid": encode_uid(ten)}]
    assert cart["applied_coupons"] == []
    assert cart["applied_coupon"] is None


async def test_collect_totals_persists_discount_columns(client: Any, admin_token: str) -> None:
    await make_product("lamp", "40.00")
    first = await make_rule(
        client, admin_token, name="A", simple_action="BY_FIXED", discount_amount=5, sort_order=1
    )
    second = await make_rule(
        client,
        admin_token,
        name="B",
        simple_action="BY_PERCENT",
        discount_amount=10,
        sort_order=2,
        apply_to_shipping=True,
        labels=[{"label": "Ten"}],
    )
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("lamp", 2)])
    await ship(client, cart_id)
    # Items: A 5 x 2 = 10.00; B (80 - 10) x 10% = 7.00. Shipping 2 x $5 = 10, B 10% = 1.00.
    quote = await Quote.get(coupon_code=None)
    assert quote.applied_rule_ids == f"{first},{second}"
    assert Decimal(quote.discount_amount) == Decimal("-18")
    assert Decimal(quote.subtotal_with_discount) == Decimal("63")
    assert Decimal(quote.grand_total) == Decimal("72")  # 80 - 17 + 10 - 1
    item = await QuoteItem.get(quote_id=quote.entity_id)
    assert (Decimal(item.discount_amount), Decimal(item.discount_percent)) == (
        Decimal("17"),
        Decimal("10"),
    )
    assert item.applied_rule_ids == f"{first},{second}"
    address = await QuoteAddress.get(quote_id=quote.entity_id)
    assert Decimal(address.discount_amount) == Decimal("-18")
    assert Decimal(address.shipping_discount_amount) == Decimal("1")
    assert address.discount_description == "Ten"
    assert address.applied_rule_ids == f"{first},{second}"
    cart = await cart_of(client, cart_id)
    assert discounts(cart["prices"]["discounts"]) == [
        ("Discount", 10.0, "ITEM", None),
        ("Ten", 7.0, "ITEM", None),
        ("Ten", 1.0, "SHIPPING", None),
    ]
    assert cart["prices"]["discount"] == {"amount": {"value": -18.0}, "label": ["Ten"]}
    # Magento's CartPrices: the subtotal plus the whole discount (items and shipping).
    assert money(cart, "subtotal_with_discount_excluding_tax") == 62.0


async def test_a_virtual_cart_keeps_its_discount_on_the_billing_address(
    client: Any, admin_token: str
) -> None:
    await make_product("ebook", "20.00", type_id=ProductType.VIRTUAL)
    rule_id = await make_rule(client, admin_token, simple_action="BY_FIXED", discount_amount=2)
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("ebook", 3)])
    response = await gql(client, BILLING_ADDRESS, {"id": cart_id, "address": ADDRESS})
    assert response.errors == []
    # 3 x $2 = 6.00; grand 60 - 6 = 54.00, no shipping.
    address = await QuoteAddress.get()
    assert (Decimal(address.discount_amount), address.applied_rule_ids) == (
        Decimal("-6"),
        str(rule_id),
    )
    assert money(await cart_of(client, cart_id), "grand_total") == 54.0


async def test_tax_is_computed_after_the_discount_by_default(client: Any, admin_token: str) -> None:
    await TaxCalculation.create(
        tax_calculation_rate_id=1, customer_tax_class_id=3, product_tax_class_id=2
    )
    await make_product("lamp", "100.00")
    await make_rule(client, admin_token, simple_action="BY_PERCENT", discount_amount=20)
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("lamp", 1)])
    await ship(client, cart_id)
    cart = await cart_of(client, cart_id)
    # CA 8.25% on (100 - 20) = 6.60; subtotal incl. tax stays before discount: 100 + 8.25.
    assert cart["prices"]["applied_taxes"] == [
        {"label": "US-CA-*-Rate 1", "amount": {"value": 6.6}}
    ]
    assert money(cart, "subtotal_including_tax") == 108.25
    assert money(cart, "grand_total") == 91.6  # 100 - 20 + 6.60 + 5 shipping
    assert money(cart, "grand_total_excluding_tax") == 85.0
    # Magento's "Before Discount": tax on the full row.
    await CoreConfigData.create(
        scope="default", scope_id=0, path="tax/calculation/apply_after_discount", value="0"
    )
    from engine.stores import invalidate_stores
    from mageseg.app import SERVICES

    await invalidate_stores(client.server.app[SERVICES].cache)
    cart = await cart_of(client, cart_id)
    assert cart["prices"]["applied_taxes"] == [
        {"label": "US-CA-*-Rate 1", "amount": {"value": 8.25}}
    ]
    assert money(cart, "grand_total") == 93.25


async def test_cart_rules_are_hidden_when_sharing_is_off(client: Any, admin_token: str) -> None:
    # Written before the first request: a row written behind the API's back (not through
    # adminSaveConfig) is not seen by a configuration snapshot an earlier request cached.
    await CoreConfigData.create(
        scope="default", scope_id=0, path="promo/graphql/share_applied_cart_rule", value="0"
    )
    await make_product("lamp", "10.00")
    await make_rule(client, admin_token, simple_action="BY_PERCENT", discount_amount=10)
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("lamp", 1)])
    cart = await cart_of(client, cart_id)
    assert cart["rules"] is None
    assert money(cart, "grand_total") == 9.0


async def test_a_rule_change_reaches_the_next_read(client: Any, admin_token: str) -> None:
    """Rules are memoized per process by the promotions version; a saved rule bumps it."""
    await make_product("lamp", "10.00")
    rule_id = await make_rule(client, admin_token, simple_action="BY_PERCENT", discount_amount=10)
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("lamp", 1)])
    assert money(await cart_of(client, cart_id), "grand_total") == 9.0
    loaded = [r.rule_id for r in (await rule_sets.load_rule_set()).rules]
    assert loaded == [rule_id]
    response = await gql(
        client,
        UPDATE_RULE,
        {"uid": encode_uid(rule_id), "input": {"discount_amount": 50}},
        token=admin_token,
    )
    assert response.errors == []
    assert money(await cart_of(client, cart_id), "grand_total") == 5.0


# --- orders -------------------------------------------------------------------------------------


async def test_an_order_copies_the_discounts_and_counts_the_use(
    client: Any, admin_token: str
) -> None:
    await make_product("lamp", "50.00")
    rule_id = await make_rule(
        client,
        admin_token,
        simple_action="BY_PERCENT",
        discount_amount=10,
        apply_to_shipping=True,
        coupon_type="SPECIFIC_COUPON",
        coupon_code="SAVE10",
        uses_per_customer=1,
    )
    cart_id, token = await customer_cart(client)
    await add(client, cart_id, [("lamp", 1)], token=token)
    response = await gql(client, APPLY_COUPON, {"id": cart_id, "code": "save10"}, token=token)
    assert response.errors == [], response.errors
    assert response.data["applyCouponToCart"]["cart"]["applied_coupons"] == [  # type: ignore[index]
        {"code": "SAVE10"}
    ]
    await ship(client, cart_id, token)
    for document in (BILLING_ADDRESS, PAYMENT):
        response = await gql(client, document, {"id": cart_id, "address": ADDRESS}, token=token)
        assert response.errors == [], response.errors
    placed = await gql(client, PLACE_ORDER, {"id": cart_id}, token=token)
    assert placed.errors == [], placed.errors
    order = await SalesOrder.get()
    # Items 50 x 10% = 5.00, shipping 5 x 10% = 0.50; grand 50 - 5 + 5 - 0.50 = 49.50.
    assert (order.coupon_code, order.applied_rule_ids) == ("SAVE10", str(rule_id))
    assert Decimal(order.discount_amount) == Decimal("-5.5")
    assert Decimal(order.shipping_discount_amount) == Decimal("0.5")
    assert Decimal(order.grand_total) == Decimal("49.5")
    assert order.discount_description == "SAVE10"
    line = await SalesOrderItem.get(order_id=order.entity_id)
    assert (Decimal(line.discount_amount), line.applied_rule_ids) == (Decimal("5"), str(rule_id))
    assert (await Salesrule.get(rule_id=rule_id)).times_used == 1
    coupon = await SalesruleCoupon.get(code="SAVE10")
    assert coupon.times_used == 1
    usage = await SalesruleCouponUsage.get(coupon_id=coupon.coupon_id)
    assert usage.times_used == 1
    assert (await SalesruleCustomer.get(rule_id=rule_id)).times_used == 1
    orders = await gql(client, CUSTOMER_ORDERS, token=token)
    assert orders.data == {
        "customer": {
            "orders": {
                "items": [
                    {
                        "applied_coupons": [{"code": "SAVE10"}],
                        "total": {
                            "discounts": [
                                {
                                    "label": "SAVE10",
                                    "amount": {"value": 5.5},
                                    "coupon": {"code": "SAVE10"},
                                }
                            ]
                        },
                    }
                ]
            }
        }
    }
    # The rule's one use per customer is spent: the next cart gets nothing from it.
    cart_id = (await gql(client, CUSTOMER_CART, token=token)).data["customerCart"]["id"]  # type: ignore[index]
    await add(client, cart_id, [("lamp", 1)], token=token)
    refused = await gql(client, APPLY_COUPON, {"id": cart_id, "code": "SAVE10"}, token=token)
    assert refused.messages == ["The coupon code isn't valid. Verify the code and try again."]
    assert money(await cart_of(client, cart_id, token), "grand_total") == 50.0
