"""`adminExplainCartRules` over HTTP: every cart rule in priority order, APPLIED with the amount
it took or the first reason it did not (inactive, website, group, dates, coupon, usage limit, the
failing condition node with Magento's id and sentence, no item taken, stopped by an earlier
rule), for admins only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from graph.uids import encode_uid
from models import Quote, QuoteCoupon, Salesrule, SalesruleCoupon, StoreWebsite
from tests.graphql import gql
from tests.test_cart_discounts import APPLY_COUPON, cart_of, make_rule, ship
from tests.test_carts import add, guest_cart, make_product

EXPLAIN = """
query ($id: String!) {
  adminExplainCartRules(cart_id: $id) {
    rule_uid name sort_order outcome amount { value } item_amount { value }
    shipping_amount { value } condition_path condition coupon_code
  }
}
"""


def sku_is(sku: str) -> dict[str, Any]:
    return {"type": "PRODUCT", "attribute": "sku", "operator": "IS", "value": [sku]}


def all_of(*children: dict[str, Any]) -> dict[str, Any]:
    return {"type": "COMBINE", "aggregator": "ALL", "value": ["1"], "conditions": list(children)}


def row(
    rule_id: int,
    name: str,
    sort_order: int,
    outcome: str,
    amount: float = 0.0,
    *,
    items: float | None = None,
    shipping: float = 0.0,
    path: str | None = None,
    condition: str | None = None,
    coupon: str | None = None,
) -> dict[str, Any]:
    return {
        "rule_uid": encode_uid(rule_id),
        "name": name,
        "sort_order": sort_order,
        "outcome": outcome,
        "amount": {"value": amount},
        "item_amount": {"value": amount - shipping if items is None else items},
        "shipping_amount": {"value": shipping},
        "condition_path": path,
        "condition": condition,
        "coupon_code": coupon,
    }


async def test_every_rule_with_its_outcome(client: Any, admin_token: str) -> None:
    await make_product("a", "100.00")
    await make_product("b", "50.00")
    other = await StoreWebsite.create(code="second", name="Second")
    timezone = (await StoreWebsite.get(website_id=1)).timezone
    yesterday = datetime.now(UTC).astimezone(ZoneInfo(timezone)).date() - timedelta(days=1)

    def rule(name: str, order: int, **more: Any) -> dict[str, Any]:
        return {
            "name": name,
            "sort_order": order,
            "simple_action": "BY_PERCENT",
            "discount_amount": 10,
            **more,
        }

    ids: dict[str, int] = {}
    specs: list[tuple[str, int, dict[str, Any]]] = [
        ("Stopper", 1, {"stop_rules_processing": True, "actions": all_of(sku_is("a"))}),
        ("Shipping too", 2, {"apply_to_shipping": True, "actions": all_of(sku_is("b"))}),
        ("Inactive", 3, {"is_active": False}),
        ("Other website", 4, {"website_uids": [encode_uid(other.website_id)]}),
        ("Wholesale", 5, {"customer_group_uids": [encode_uid(2)]}),
        ("Ended", 6, {"to_date": yesterday.isoformat()}),
        ("Coupon", 7, {"coupon_type": "SPECIFIC_COUPON", "coupon_code": "NOTUSED"}),
        ("Spent", 8, {"coupon_type": "SPECIFIC_COUPON", "coupon_code": "SPENT"}),
        (
            "Big carts",
            9,
            {
                "conditions": all_of(
                    {
                        "type": "CART_ATTRIBUTE",
                        "attribute": "base_subtotal",
                        "operator": "GREATER_OR_EQUAL",
                        "value": ["1000"],
                    }
                )
            },
        ),
        ("Only c", 10, {"actions": all_of(sku_is("c"))}),
        ("Only a", 11, {"actions": all_of(sku_is("a"))}),
    ]
    for name, order, more in specs:
        ids[name] = await make_rule(client, admin_token, **rule(name, order, **more))
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("a", 1), ("b", 1)])
    await ship(client, cart_id)
    await SalesruleCoupon.filter(code="SPENT").update(usage_limit=1, times_used=1)
    # The code is refused (used up); explaining a cart that holds it (its use was spent after it
    # was applied) names it: put it on the cart's rows directly.
    refused = await gql(client, APPLY_COUPON, {"id": cart_id, "code": "SPENT"})
    assert refused.messages == ["The coupon code isn't valid. Verify the code and try again."]
    quote = await Quote.get()
    await QuoteCoupon.create(quote_id=quote.entity_id, code="SPENT", position=0)
    await Quote.filter(entity_id=quote.entity_id).update(coupon_code="SPENT")
    response = await gql(client, EXPLAIN, {"id": cart_id}, token=admin_token)
    assert response.errors == []
    # Stopper: a 100 x 10% = 10.00, and a leaves later rules. Shipping too: b 50 x 10% = 5.00,
    # shipping 2 x 5 = 10 x 10% = 1.00.
    assert response.data == {
        "adminExplainCartRules": [
            row(ids["Stopper"], "Stopper", 1, "APPLIED", 10.0),
            row(ids["Shipping too"], "Shipping too", 2, "APPLIED", 6.0, shipping=1.0),
            row(ids["Inactive"], "Inactive", 3, "NOT_ACTIVE"),
            row(ids["Other website"], "Other website", 4, "WEBSITE"),
            row(ids["Wholesale"], "Wholesale", 5, "CUSTOMER_GROUP"),
            row(ids["Ended"], "Ended", 6, "DATE"),
            row(ids["Coupon"], "Coupon", 7, "COUPON"),
            row(ids["Spent"], "Spent", 8, "USAGE_LIMIT", coupon="SPENT"),
            row(
                ids["Big carts"],
                "Big carts",
                9,
                "CONDITION",
                path="1--1",
                condition="Subtotal equals or greater than 1000",
            ),
            row(ids["Only c"], "Only c", 10, "ACTION_NO_ITEMS"),
            row(ids["Only a"], "Only a", 11, "STOPPED_BY_EARLIER_RULE"),
        ]
    }


async def test_explaining_is_for_admins(client: Any, admin_token: str) -> None:
    await make_product("a", "100.00")
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("a", 1)])
    guest = await gql(client, EXPLAIN, {"id": cart_id})
    assert (guest.status, guest.categories) == (401, ["graphql-authorization"])
    unknown = await gql(client, EXPLAIN, {"id": "nope"}, token=admin_token)
    assert (unknown.messages, unknown.categories) == (
        ['Could not find a cart with ID "nope"'],
        ["graphql-no-such-entity"],
    )
    none = await gql(client, EXPLAIN, {"id": cart_id}, token=admin_token)
    assert none.data == {"adminExplainCartRules": []}
    # The former name answers the same for one release (deprecated in the schema).
    former = EXPLAIN.replace("adminExplainCartRules", "explainCartRules")
    assert (await gql(client, former, {"id": cart_id}, token=admin_token)).data == {
        "explainCartRules": []
    }


async def test_a_rule_whose_stored_tree_is_unreadable_never_applies(
    client: Any, admin_token: str
) -> None:
    await make_product("a", "100.00")
    rule_id = await make_rule(
        client, admin_token, name="Broken", simple_action="BY_PERCENT", discount_amount=50
    )
    await Salesrule.filter(rule_id=rule_id).update(conditions_serialized='{"type": "nonsense"')
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("a", 1)])
    cart = await cart_of(client, cart_id)
    assert cart["prices"]["grand_total"] == {"value": 100.0}
    response = await gql(client, EXPLAIN, {"id": cart_id}, token=admin_token)
    (explained,) = response.data["adminExplainCartRules"]  # type: ignore[index]
    assert (explained["outcome"], explained["condition_path"]) == ("CONDITION", "1")
    assert explained["condition"].startswith("The stored conditions cannot be read: ")
