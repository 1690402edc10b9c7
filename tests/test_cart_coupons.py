"""Coupons on storefront carts through HTTP: `applyCouponToCart`, `applyCouponsToCart` (APPEND /
REPLACE, Adobe Commerce's multicoupon limit), `removeCouponFromCart`, `removeCouponsFromCart`,
with Magento's messages and categories, nothing changed by a refused request, and a coupon that
stops applying when the cart changes dropped as Magento drops it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from engine.stores import invalidate_stores
from mageseg.app import SERVICES
from models import CoreConfigData, Quote, QuoteCoupon, SalesruleCoupon, SalesruleCouponUsage
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_cart_discounts import (
    APPLY_COUPON,
    cart_of,
    customer_cart,
    make_rule,
    money,
)
from tests.test_carts import UPDATE, add, guest_cart, make_product

APPLY_COUPONS = """
mutation ($id: String!, $codes: [String]!, $type: ApplyCouponsStrategy) {
  applyCouponsToCart(input: {cart_id: $id, coupon_codes: $codes, type: $type}) {
    cart { applied_coupons { code } prices { grand_total { value } } }
  }
}
"""
REMOVE_COUPON = """
mutation ($id: String!) {
  removeCouponFromCart(input: {cart_id: $id}) {
    cart { applied_coupons { code } applied_coupon { code } prices { grand_total { value } } }
  }
}
"""
REMOVE_COUPONS = """
mutation ($id: String!, $codes: [String]!) {
  removeCouponsFromCart(input: {cart_id: $id, coupon_codes: $codes}) {
    cart { applied_coupons { code } prices { grand_total { value } } }
  }
}
"""
ITEM_UIDS = "query ($id: String!) { cart(cart_id: $id) { items { uid } } }"
NOT_VALID = "The coupon code isn't valid. Verify the code and try again."


async def coupon_rule(client: Any, admin_token: str, code: str, amount: float, **more: Any) -> int:
    return await make_rule(
        client,
        admin_token,
        name=code,
        simple_action="BY_PERCENT",
        discount_amount=amount,
        coupon_type="SPECIFIC_COUPON",
        coupon_code=code,
        **more,
    )


async def allow_coupons(client: Any, count: int) -> None:
    await CoreConfigData.create(
        scope="default",
        scope_id=0,
        path="sales/multicoupon/maximum_number_of_coupons_per_order",
        value=str(count),
    )
    await invalidate_stores(client.server.app[SERVICES].cache)


async def codes_on_cart() -> list[str]:
    return [c.code for c in await QuoteCoupon.all().order_by("position")]


async def test_apply_and_remove_a_coupon(client: Any, admin_token: str) -> None:
    await make_product("lamp", "80.00")
    await coupon_rule(client, admin_token, "SAVE10", 10)
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("lamp", 1)])
    applied = await gql(client, APPLY_COUPON, {"id": cart_id, "code": " save10 "})
    assert applied.errors == []
    # 80 x 10% = 8.00; grand 72.00. The code is kept as the coupon spells it.
    assert applied.data == {
        "applyCouponToCart": {
            "cart": {
                "applied_coupons": [{"code": "SAVE10"}],
                "prices": {"grand_total": {"value": 72.0}},
            }
        }
    }
    assert (await Quote.get()).coupon_code == "SAVE10"
    assert await codes_on_cart() == ["SAVE10"]
    removed = await gql(client, REMOVE_COUPON, {"id": cart_id})
    assert removed.data == {
        "removeCouponFromCart": {
            "cart": {
                "applied_coupons": [],
                "applied_coupon": None,
                "prices": {"grand_total": {"value": 80.0}},
            }
        }
    }
    assert (await Quote.get()).coupon_code is None
    assert await codes_on_cart() == []


async def test_refused_coupons_leave_the_cart_as_it_was(client: Any, admin_token: str) -> None:
    await make_product("lamp", "80.00")
    await coupon_rule(client, admin_token, "SAVE10", 10)
    await coupon_rule(client, admin_token, "OLD", 10)
    await coupon_rule(client, admin_token, "OFF", 10, is_active=False)
    await SalesruleCoupon.filter(code="OLD").update(
        expiration_date=datetime.now(UTC) - timedelta(days=1)
    )
    cart_id = await guest_cart(client)
    empty = await gql(client, APPLY_COUPON, {"id": cart_id, "code": "SAVE10"})
    assert (empty.messages, empty.categories) == (
        ["Cart does not contain products."],
        ["graphql-no-such-entity"],
    )
    await add(client, cart_id, [("lamp", 1)])
    for code in ("NOPE", "OLD", "OFF"):
        refused = await gql(client, APPLY_COUPON, {"id": cart_id, "code": code})
        assert (refused.messages, refused.categories) == ([NOT_VALID], ["graphql-no-such-entity"])
    missing = await gql(client, APPLY_COUPON, {"id": cart_id, "code": " "})
    assert (missing.messages, missing.categories) == (
        ['Required parameter "coupon_code" is missing'],
        ["graphql-input"],
    )
    assert await codes_on_cart() == []
    assert (await Quote.get()).coupon_code is None
    assert (await gql(client, APPLY_COUPON, {"id": cart_id, "code": "SAVE10"})).errors == []
    again = await gql(client, APPLY_COUPON, {"id": cart_id, "code": "SAVE10"})
    assert (again.messages, again.categories) == (
        ["A coupon is already applied to the cart. Please remove it to apply another"],
        ["graphql-input"],
    )
    unknown = await gql(client, APPLY_COUPON, {"id": "x" * 32, "code": "SAVE10"})
    assert (unknown.messages, unknown.categories) == (
        [f'Could not find a cart with ID "{"x" * 32}"'],
        ["graphql-no-such-entity"],
    )


async def test_a_coupon_that_stops_applying_is_dropped(client: Any, admin_token: str) -> None:
    await make_product("lamp", "30.00")
    await coupon_rule(
        client,
        admin_token,
        "BIG",
        10,
        conditions={
            "type": "COMBINE",
            "aggregator": "ALL",
            "value": ["1"],
            "conditions": [
                {
                    "type": "CART_ATTRIBUTE",
                    "attribute": "base_subtotal",
                    "operator": "GREATER_OR_EQUAL",
                    "value": ["50"],
                }
            ],
        },
    )
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("lamp", 1)])
    # Subtotal 30 < 50: the rule does not apply, so the code is refused.
    refused = await gql(client, APPLY_COUPON, {"id": cart_id, "code": "BIG"})
    assert refused.messages == [NOT_VALID]
    added = await add(client, cart_id, [("lamp", 1)])
    assert added.errors == []
    assert (await gql(client, APPLY_COUPON, {"id": cart_id, "code": "BIG"})).errors == []
    cart = await cart_of(client, cart_id)
    assert money(cart, "grand_total") == 54.0  # 60 - 6
    lines = await gql(client, ITEM_UIDS, {"id": cart_id})
    uid = lines.data["cart"]["items"][0]["uid"]  # type: ignore[index]
    updated = await gql(
        client,
        UPDATE,
        {"input": {"cart_id": cart_id, "cart_items": [{"cart_item_uid": uid, "quantity": 1}]}},
    )
    assert updated.errors == []
    # Subtotal back to 30: the coupon no longer applies and is dropped from the cart for good.
    assert await codes_on_cart() == []
    assert (await Quote.get()).coupon_code is None
    await add(client, cart_id, [("lamp", 1)])
    cart = await cart_of(client, cart_id)
    assert (cart["applied_coupons"], money(cart, "grand_total")) == ([], 60.0)


async def test_several_coupons_append_and_replace(client: Any, admin_token: str) -> None:
    await make_product("lamp", "100.00")
    await coupon_rule(client, admin_token, "TEN", 10, sort_order=1)
    await coupon_rule(client, admin_token, "TWENTY", 20, sort_order=2)
    await coupon_rule(client, admin_token, "FIVE", 5, sort_order=3)
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("lamp", 1)])
    # Magento's default: one coupon per cart.
    two = await gql(client, APPLY_COUPONS, {"id": cart_id, "codes": ["TEN", "TWENTY"]})
    assert (two.messages, two.categories) == (
        ["Maximum allowed number of applied coupons was exceeded."],
        ["graphql-input"],
    )
    await allow_coupons(client, 2)
    appended = await gql(client, APPLY_COUPONS, {"id": cart_id, "codes": ["TEN"]})
    assert appended.errors == []
    appended = await gql(
        client, APPLY_COUPONS, {"id": cart_id, "codes": ["twenty"], "type": "APPEND"}
    )
    # 100 x 10% = 10, then 90 x 20% = 18: grand 72.00.
    assert appended.data == {
        "applyCouponsToCart": {
            "cart": {
                "applied_coupons": [{"code": "TEN"}, {"code": "TWENTY"}],
                "prices": {"grand_total": {"value": 72.0}},
            }
        }
    }
    three = await gql(client, APPLY_COUPONS, {"id": cart_id, "codes": ["FIVE"]})
    assert three.messages == ["Maximum allowed number of applied coupons was exceeded."]
    bad = await gql(
        client, APPLY_COUPONS, {"id": cart_id, "codes": ["FIVE", "NOPE"], "type": "REPLACE"}
    )
    assert (bad.messages, bad.categories) == (
        ['The following coupon codes could not be applied: "NOPE".'],
        ["graphql-input"],
    )
    assert await codes_on_cart() == ["TEN", "TWENTY"]
    replaced = await gql(
        client, APPLY_COUPONS, {"id": cart_id, "codes": ["FIVE"], "type": "REPLACE"}
    )
    assert replaced.data == {
        "applyCouponsToCart": {
            "cart": {
                "applied_coupons": [{"code": "FIVE"}],
                "prices": {"grand_total": {"value": 95.0}},
            }
        }
    }
    await gql(client, APPLY_COUPONS, {"id": cart_id, "codes": ["TEN"]})
    removed = await gql(client, REMOVE_COUPONS, {"id": cart_id, "codes": ["five"]})
    assert removed.data == {
        "removeCouponsFromCart": {
            "cart": {
                "applied_coupons": [{"code": "TEN"}],
                "prices": {"grand_total": {"value": 90.0}},
            }
        }
    }
    cleared = await gql(client, REMOVE_COUPONS, {"id": cart_id, "codes": []})
    assert cleared.data == {
        "removeCouponsFromCart": {
            "cart": {"applied_coupons": [], "prices": {"grand_total": {"value": 100.0}}}
        }
    }


async def test_one_coupon_per_rule_and_a_stopped_rule(client: Any, admin_token: str) -> None:
    await make_product("lamp", "100.00")
    first = await coupon_rule(
        client, admin_token, "FIRST", 10, sort_order=1, stop_rules_processing=True
    )
    await coupon_rule(client, admin_token, "LATER", 20, sort_order=2)
    await SalesruleCoupon.create(rule_id=first, code="FIRST-B")
    await allow_coupons(client, 3)
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("lamp", 1)])
    same_rule = await gql(client, APPLY_COUPONS, {"id": cart_id, "codes": ["FIRST", "FIRST-B"]})
    assert same_rule.messages == ['The following coupon codes could not be applied: "FIRST-B".']
    # FIRST discards subsequent rules on the only item: LATER cannot apply.
    stopped = await gql(client, APPLY_COUPONS, {"id": cart_id, "codes": ["FIRST", "LATER"]})
    assert stopped.messages == ['The following coupon codes could not be applied: "LATER".']
    assert await codes_on_cart() == []


async def test_a_coupon_used_up_by_this_customer(client: Any, admin_token: str) -> None:
    await make_product("lamp", "100.00")
    await coupon_rule(client, admin_token, "ONCE", 10)
    coupon = await SalesruleCoupon.get(code="ONCE")
    coupon.usage_per_customer = 1
    await coupon.save()
    cart_id, token = await customer_cart(client)
    await add(client, cart_id, [("lamp", 1)], token=token)
    customer_id = (await Quote.get()).customer_id  # type: ignore[attr-defined]
    await SalesruleCouponUsage.create(
        coupon_id=coupon.coupon_id, customer_id=customer_id, times_used=1
    )
    refused = await gql(client, APPLY_COUPON, {"id": cart_id, "code": "ONCE"}, token=token)
    assert refused.messages == [NOT_VALID]
    # A guest has no per-customer count.
    guest_id = await guest_cart(client)
    await add(client, guest_id, [("lamp", 1)])
    assert (await gql(client, APPLY_COUPON, {"id": guest_id, "code": "ONCE"})).errors == []
    # Another customer has not used it.
    other = await make_customer("bob@example.com")
    other_cart = await gql(client, "{ customerCart { id } }", token=await token_for(other))
    other_id = other_cart.data["customerCart"]["id"]  # type: ignore[index]
    await add(client, other_id, [("lamp", 1)], token=await token_for(other))
    applied = await gql(
        client, APPLY_COUPON, {"id": other_id, "code": "ONCE"}, token=await token_for(other)
    )
    assert applied.errors == []


async def test_only_the_cart_owner_manages_its_coupons(client: Any, admin_token: str) -> None:
    await make_product("lamp", "100.00")
    await coupon_rule(client, admin_token, "SAVE10", 10)
    cart_id, token = await customer_cart(client)
    await add(client, cart_id, [("lamp", 1)], token=token)
    for document, variables in (
        (APPLY_COUPON, {"id": cart_id, "code": "SAVE10"}),
        (APPLY_COUPONS, {"id": cart_id, "codes": ["SAVE10"]}),
        (REMOVE_COUPON, {"id": cart_id}),
        (REMOVE_COUPONS, {"id": cart_id, "codes": []}),
    ):
        response = await gql(client, document, variables)
        assert response.categories == ["graphql-authorization"]
        assert response.messages == [
            f'The current user cannot perform operations on cart "{cart_id}"'
        ]
    assert await codes_on_cart() == []
