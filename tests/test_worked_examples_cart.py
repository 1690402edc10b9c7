"""Worked examples of cart price rules: one table, each example computed by hand from Magento's
rules (reference §4.3 and §5.3, `SalesRule\\Model\\Quote\\Discount`, `RulesApplier`, `Utility`,
`Rule\\Action\\Discount\\*`, `Validator::processShippingAmount`, OfflineShipping's free shipping)
and run through HTTP: rules are created with `adminCreateCartRule`, the cart is filled as a guest
or a customer, and the cart's prices are compared with exact money values.

Shipping, when an example ships, is the flat rate: $5 per item (Magento's default `I` type).
Unless an example says otherwise a rule is active on website 1 for every group, with no dates and
no coupon, and does not discard subsequent rules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from graph.uids import encode_uid
from models import (
    ApplyTo,
    CustomerEntity,
    MagentoCustomersegmentSegment,
    MagentoCustomersegmentWebsite,
    SalesruleCoupon,
    SalesruleCustomer,
    StoreWebsite,
)
from tests.graphql import gql
from tests.test_cart_discounts import (
    APPLY_COUPON,
    cart_of,
    customer_cart,
    discounts,
    generate_codes,
    item_discounts,
    make_rule,
    money,
    ship,
)
from tests.test_carts import add, guest_cart, make_product

Context = dict[str, Any]
Rules = list[dict[str, Any]] | Callable[[Context], list[dict[str, Any]]]


def sku_is(sku: str) -> dict[str, Any]:
    """An actions / product-found child: "SKU is <sku>"."""
    return {"type": "PRODUCT", "attribute": "sku", "operator": "IS", "value": [sku]}


def only(*children: dict[str, Any]) -> dict[str, Any]:
    return {"type": "COMBINE", "aggregator": "ALL", "value": ["1"], "conditions": list(children)}


def local_day(context: Context, offset: int) -> str:
    """The website's local date `offset` days from today."""
    today = datetime.now(UTC).astimezone(ZoneInfo(context["timezone"])).date()
    return (today + timedelta(days=offset)).isoformat()


@dataclass(frozen=True)
class Example:
    name: str
    products: dict[str, str]
    rules: Rules
    items: list[tuple[str, float]]
    item_discounts: dict[str, float]
    discounts: list[tuple[str, float, str, str | None]]
    grand_total: float
    shopper: str = "guest"  # guest, general (group 1), wholesale (group 2)
    ships: bool = False
    shipping: float | None = None
    coupons: list[str] = field(default_factory=list)
    coupon_error: str | None = None
    setup: Callable[[Context], Awaitable[None]] | None = None
    """Run before the cart and the rules exist."""
    after_rules: Callable[[Context], Awaitable[None]] | None = None
    """Run once the rules (their ids in `context["rules"]`) and the shopper exist."""


async def _visitor_segment(context: Context) -> None:
    """A segment for guests with no conditions (matches every visitor)."""
    segment = await MagentoCustomersegmentSegment.create(name="Visitors", apply_to=ApplyTo.VISITORS)
    await MagentoCustomersegmentWebsite.create(segment_id=segment.segment_id, website_id=1)
    context["segment"] = segment.segment_id


async def _customer_segment(context: Context) -> None:
    """A segment for registered customers with no conditions (matches every customer)."""
    segment = await MagentoCustomersegmentSegment.create(
        name="Customers", apply_to=ApplyTo.REGISTERED
    )
    await MagentoCustomersegmentWebsite.create(segment_id=segment.segment_id, website_id=1)
    context["segment"] = segment.segment_id


async def _second_website(context: Context) -> None:
    website = await StoreWebsite.create(code="second", name="Second")
    context["website"] = website.website_id


async def _coupon_used_up(context: Context) -> None:
    """SPENT's one use was taken by an earlier order (`times_used` as the order left it)."""
    await SalesruleCoupon.filter(code="SPENT").update(times_used=1)


async def _rule_used_by_customer(context: Context) -> None:
    await SalesruleCustomer.create(
        rule_id=context["rules"][0], customer_id=context["customer_id"], times_used=1
    )


def segment_rule(context: Context) -> list[dict[str, Any]]:
    condition = {"type": "CUSTOMER_SEGMENT", "operator": "IS", "value": [str(context["segment"])]}
    return [
        {
            "simple_action": "BY_PERCENT",
            "discount_amount": 15,
            "labels": [{"label": "Members"}],
            "conditions": only(condition),
        }
    ]


def percent(amount: float, label: str, **more: Any) -> dict[str, Any]:
    return {
        "simple_action": "BY_PERCENT",
        "discount_amount": amount,
        "labels": [{"label": label}],
        **more,
    }


def fixed(amount: float, label: str, **more: Any) -> dict[str, Any]:
    return {
        "simple_action": "BY_FIXED",
        "discount_amount": amount,
        "labels": [{"label": label}],
        **more,
    }


def cart_fixed(amount: float, label: str, **more: Any) -> dict[str, Any]:
    return {
        "simple_action": "CART_FIXED",
        "discount_amount": amount,
        "labels": [{"label": label}],
        **more,
    }


EXAMPLES = [
    # 1. by_percent: 2 x 100 = 200, 10% = 20.00; grand 180.00.
    Example(
        "by_percent",
        {"a": "100.00"},
        [percent(10, "Ten")],
        [("a", 2)],
        {"a": 20.0},
        [("Ten", 20.0, "ITEM", None)],
        180.0,
    ),
    # 2. by_fixed: $5 off each of 3 x 30 = 15.00; grand 90 - 15 = 75.00.
    Example(
        "by_fixed",
        {"a": "30.00"},
        [fixed(5, "Five each")],
        [("a", 3)],
        {"a": 15.0},
        [("Five each", 15.0, "ITEM", None)],
        75.0,
    ),
    # 3. by_fixed larger than the price: min(2 x 4 - 0, 2 x 5) = 8.00, the whole row; grand 0.
    Example(
        "by_fixed capped at the row",
        {"a": "4.00"},
        [fixed(5, "Five each")],
        [("a", 2)],
        {"a": 8.0},
        [("Five each", 8.0, "ITEM", None)],
        0.0,
    ),
    # 4. cart_fixed $10 over 60 + 40: a 10 x 60/100 = 6.00 (+0.000001 delta), b 10 x 40/100 =
    #    4.00; grand 100 - 10 = 90.00.
    Example(
        "cart_fixed in proportion",
        {"a": "60.00", "b": "40.00"},
        [cart_fixed(10, "Ten off")],
        [("a", 1), ("b", 1)],
        {"a": 6.0, "b": 4.0},
        [("Ten off", 10.0, "ITEM", None)],
        90.0,
    ),
    # 5. cart_fixed $10 over three $10 items (DeltaPriceRound): 3.3333343 -> 3.33 (delta
    #    +0.0033343); 3.3366676 -> 3.34 (delta -0.0033324); 3.3300009 -> 3.33, the last item
    #    capped at what is left (10 - 6.67 = 3.33). Sum 10.00; grand 20.00.
    Example(
        "cart_fixed rounding remainder",
        {"a": "10.00", "b": "10.00", "c": "10.00"},
        [cart_fixed(10, "Ten off")],
        [("a", 1), ("b", 1), ("c", 1)],
        {"a": 3.33, "b": 3.34, "c": 3.33},
        [("Ten off", 10.0, "ITEM", None)],
        20.0,
    ),
    # 6. cart_fixed larger than the cart: ratio 1, min(5, 10) = 5.00; grand 0.
    Example(
        "cart_fixed larger than the cart",
        {"a": "5.00"},
        [cart_fixed(10, "Ten off")],
        [("a", 1)],
        {"a": 5.0},
        [("Ten off", 5.0, "ITEM", None)],
        0.0,
    ),
    # 6b. cart_fixed after a percent rule (`CartFixed::getItemsTotalDiscount`): 10% takes
    #    10.00 + 5.00; the $15 is then shared over what is left, 150 - 15 = 135: a 15 x 90/135 =
    #    10.00 (+0.000001 delta), b 15 x 45/135 = 5.00 (the last item, capped at the 5.00 left).
    #    The whole $15 comes off; grand 150 - 30 = 120.00.
    Example(
        "cart_fixed after a percent rule",
        {"a": "100.00", "b": "50.00"},
        [percent(10, "Ten", sort_order=1), cart_fixed(15, "Fifteen off", sort_order=2)],
        [("a", 1), ("b", 1)],
        {"a": 20.0, "b": 10.0},
        [("Ten", 15.0, "ITEM", None), ("Fifteen off", 15.0, "ITEM", None)],
        120.0,
    ),
    # 7. buy_x_get_y, buy 2 get 1 (step 2, amount 1), qty 7: periods of 3 -> 2 full (2 free),
    #    rest 1 is not more than 2 -> 2 free x 10 = 20.00; grand 70 - 20 = 50.00.
    Example(
        "buy_x_get_y",
        {"a": "10.00"},
        [
            {
                "simple_action": "BUY_X_GET_Y",
                "discount_step": 2,
                "discount_amount": 1,
                "labels": [{"label": "3 for 2"}],
            }
        ],
        [("a", 7)],
        {"a": 20.0},
        [("3 for 2", 20.0, "ITEM", None)],
        50.0,
    ),
    # 8. buy_x_get_y needs more than X in the line: step 2 >= qty 2 skips the item; grand 20.00.
    Example(
        "buy_x_get_y below the step",
        {"a": "10.00"},
        [
            {
                "simple_action": "BUY_X_GET_Y",
                "discount_step": 2,
                "discount_amount": 1,
                "labels": [{"label": "3 for 2"}],
            }
        ],
        [("a", 2)],
        {"a": 0.0},
        [],
        20.0,
    ),
    # 9. discount_qty (maximum qty): 50% on at most 2 of 5 x 10: (2 x 10) x 50% = 10.00; grand 40.
    Example(
        "maximum qty discount is applied to",
        {"a": "10.00"},
        [percent(50, "Half", discount_qty=2)],
        [("a", 5)],
        {"a": 10.0},
        [("Half", 10.0, "ITEM", None)],
        40.0,
    ),
    # 10. discount_step for by_percent: qty 7, step 3 -> floor(7/3) x 3 = 6 units; 6 x 10 x 10% =
    #     6.00; grand 70 - 6 = 64.00.
    Example(
        "discount qty step",
        {"a": "10.00"},
        [percent(10, "Ten", discount_step=3)],
        [("a", 7)],
        {"a": 6.0},
        [("Ten", 6.0, "ITEM", None)],
        64.0,
    ),
    # 11. discount_step larger than the qty skips the item (step 3 > qty 2); grand 20.00.
    Example(
        "discount qty step above the qty",
        {"a": "10.00"},
        [percent(10, "Ten", discount_step=3)],
        [("a", 2)],
        {"a": 0.0},
        [],
        20.0,
    ),
    # 12. Stacking: 10% (priority 1) then 20% (priority 2) on what is left: 100 x 10% = 10.00,
    #     (100 - 10) x 20% = 18.00; 28.00 in all; grand 72.00.
    Example(
        "percentages stack on what is left",
        {"a": "100.00"},
        [percent(10, "First", sort_order=1), percent(20, "Second", sort_order=2)],
        [("a", 1)],
        {"a": 28.0},
        [("First", 10.0, "ITEM", None), ("Second", 18.0, "ITEM", None)],
        72.0,
    ),
    # 13. Priority, not creation order: rule 1 ($10 fixed, priority 5), rule 2 (50%, priority 1).
    #     50% first: 50.00; then min(100 - 50, 10) = 10.00; 60.00; grand 40.00 (the other order
    #     would give 10 + 45 = 55).
    Example(
        "priority decides the order",
        {"a": "100.00"},
        [fixed(10, "Ten off", sort_order=5), percent(50, "Half", sort_order=1)],
        [("a", 1)],
        {"a": 60.0},
        [("Half", 50.0, "ITEM", None), ("Ten off", 10.0, "ITEM", None)],
        40.0,
    ),
    # 14. Stop per item: rule 1 (10% on a only, discards subsequent rules) takes a: 10.00 and a
    #     leaves the later rules; rule 2 (20% on everything) takes only b: 50 x 20% = 10.00.
    #     grand 150 - 20 = 130.00.
    Example(
        "discard subsequent rules per item",
        {"a": "100.00", "b": "50.00"},
        [
            percent(
                10, "A only", sort_order=1, stop_rules_processing=True, actions=only(sku_is("a"))
            ),
            percent(20, "Everything", sort_order=2),
        ],
        [("a", 1), ("b", 1)],
        {"a": 10.0, "b": 10.0},
        [("A only", 10.0, "ITEM", None), ("Everything", 10.0, "ITEM", None)],
        130.0,
    ),
    # 15. Capped by what is left of the item: 80% = 8.00, then $5 fixed gives min(10 - 8, 5) =
    #     2.00; the row is fully discounted; grand 0.
    Example(
        "capped by the remaining amount",
        {"a": "10.00"},
        [percent(80, "Most", sort_order=1), fixed(5, "Five", sort_order=2)],
        [("a", 1)],
        {"a": 10.0},
        [("Most", 8.0, "ITEM", None), ("Five", 2.0, "ITEM", None)],
        0.0,
    ),
    # 16. Rounding delta per percent: 10% of 1.15 = 0.115 -> 0.12 (delta -0.005); next item
    #     0.115 - 0.005 = 0.110 -> 0.11. Sum 0.23; grand 2.30 - 0.23 = 2.07.
    Example(
        "rounding delta carried between items",
        {"a": "1.15", "b": "1.15"},
        [percent(10, "Ten")],
        [("a", 1), ("b", 1)],
        {"a": 0.12, "b": 0.11},
        [("Ten", 0.23, "ITEM", None)],
        2.07,
    ),
    # 17. Actions limit the items: 50% on a only: 10 x 50% = 5.00; b untouched; grand 15.00.
    Example(
        "actions limit the discounted items",
        {"a": "10.00", "b": "10.00"},
        [percent(50, "Half on a", actions=only(sku_is("a")))],
        [("a", 1), ("b", 1)],
        {"a": 5.0, "b": 0.0},
        [("Half on a", 5.0, "ITEM", None)],
        15.0,
    ),
    # 18. Shipping by_percent: items 2 x 20 = 40, 10% = 4.00; flat rate 2 x 5 = 10, 10% = 1.00.
    #     grand 40 - 4 + 10 - 1 = 45.00.
    Example(
        "percent on shipping too",
        {"a": "20.00"},
        [percent(10, "Ten", apply_to_shipping=True)],
        [("a", 2)],
        {"a": 4.0},
        [("Ten", 4.0, "ITEM", None), ("Ten", 1.0, "SHIPPING", None)],
        45.0,
        ships=True,
        shipping=10.0,
    ),
    # 19. Shipping by_fixed: items $3 x 2 = 6.00; shipping gets the rule's $3 once; grand
    #     40 - 6 + 10 - 3 = 41.00.
    Example(
        "fixed on shipping too",
        {"a": "20.00"},
        [fixed(3, "Three", apply_to_shipping=True)],
        [("a", 2)],
        {"a": 6.0},
        [("Three", 6.0, "ITEM", None), ("Three", 3.0, "SHIPPING", None)],
        41.0,
        ships=True,
        shipping=10.0,
    ),
    # 20. cart_fixed $20 applied to shipping: the rule totals include the shipping (90 + 10 =
    #     100): a 20 x 60/100 = 12.00, b 20 x 30/100 = 6.00; shipping 20 x 10/(90 + 10) = 2.00.
    #     grand 90 - 18 + 10 - 2 = 80.00.
    Example(
        "cart_fixed spread over shipping",
        {"a": "60.00", "b": "30.00"},
        [cart_fixed(20, "Twenty", apply_to_shipping=True)],
        [("a", 1), ("b", 1)],
        {"a": 12.0, "b": 6.0},
        [("Twenty", 18.0, "ITEM", None), ("Twenty", 2.0, "SHIPPING", None)],
        80.0,
        ships=True,
        shipping=10.0,
    ),
    # 21. Free shipping for matching items: a (2 units) ships free, b pays: flat rate (3 - 2) x 5
    #     = 5.00; no discount entry; grand 30 + 5 = 35.00.
    Example(
        "free shipping for matching items",
        {"a": "10.00", "b": "10.00"},
        [
            {
                "simple_action": "BY_PERCENT",
                "discount_amount": 0,
                "simple_free_shipping": "MATCHING_ITEMS_ONLY",
                "actions": only(sku_is("a")),
            }
        ],
        [("a", 2), ("b", 1)],
        {"a": 0.0, "b": 0.0},
        [],
        35.0,
        ships=True,
        shipping=5.0,
    ),
    # 22. Free shipping for the shipment with a matching item: shipping 0; grand 20.00.
    Example(
        "free shipping for the whole shipment",
        {"a": "10.00", "b": "10.00"},
        [
            {
                "simple_action": "BY_PERCENT",
                "discount_amount": 0,
                "simple_free_shipping": "FREE_WITH_MATCHING_ITEMS",
                "actions": only(sku_is("a")),
            }
        ],
        [("a", 1), ("b", 1)],
        {"a": 0.0, "b": 0.0},
        [],
        20.0,
        ships=True,
        shipping=0.0,
    ),
    # 23. Specific coupon with no label and no description: the label is the code; 50 x 10% =
    #     5.00; grand 45.00.
    Example(
        "specific coupon",
        {"a": "50.00"},
        [
            {
                "simple_action": "BY_PERCENT",
                "discount_amount": 10,
                "coupon_type": "SPECIFIC_COUPON",
                "coupon_code": "SAVE10",
            }
        ],
        [("a", 1)],
        {"a": 5.0},
        [("SAVE10", 5.0, "ITEM", "SAVE10")],
        45.0,
        coupons=["SAVE10"],
    ),
    # 24. A coupon rule's description is its label when it has no store label: 5.00; grand 45.
    Example(
        "coupon rule labelled by its description",
        {"a": "50.00"},
        [
            {
                "simple_action": "BY_PERCENT",
                "discount_amount": 10,
                "description": "Spring sale",
                "coupon_type": "SPECIFIC_COUPON",
                "coupon_code": "SPRING",
            }
        ],
        [("a", 1)],
        {"a": 5.0},
        [("Spring sale", 5.0, "ITEM", "SPRING")],
        45.0,
        coupons=["SPRING"],
    ),
    # 25. Auto-generated coupon: $10 off the cart with a generated code; grand 40 - 10 = 30.00.
    Example(
        "auto-generated coupon",
        {"a": "40.00"},
        [cart_fixed(10, "Generated", coupon_type="AUTO")],
        [("a", 1)],
        {"a": 10.0},
        [("Generated", 10.0, "ITEM", "<generated>")],
        30.0,
        coupons=["<generated>"],
    ),
    # 26. A coupon whose one use is spent is refused with Magento's message; nothing applies;
    #     grand 50.00.
    Example(
        "coupon usage limit reached",
        {"a": "50.00"},
        [
            {
                "simple_action": "BY_PERCENT",
                "discount_amount": 10,
                "coupon_type": "SPECIFIC_COUPON",
                "coupon_code": "SPENT",
                "uses_per_coupon": 1,
            }
        ],
        [("a", 1)],
        {"a": 0.0},
        [],
        50.0,
        coupons=["SPENT"],
        coupon_error="The coupon code isn't valid. Verify the code and try again.",
        after_rules=_coupon_used_up,
    ),
    # 27. Segment-gated rule, guest in a visitors' segment: 40 x 15% = 6.00; grand 34.00.
    Example(
        "segment-gated rule for a guest",
        {"a": "40.00"},
        segment_rule,
        [("a", 1)],
        {"a": 6.0},
        [("Members", 6.0, "ITEM", None)],
        34.0,
        setup=_visitor_segment,
    ),
    # 28. Segment-gated rule, customer in a customers' segment: 6.00; grand 34.00.
    Example(
        "segment-gated rule for a customer",
        {"a": "40.00"},
        segment_rule,
        [("a", 1)],
        {"a": 6.0},
        [("Members", 6.0, "ITEM", None)],
        34.0,
        shopper="general",
        setup=_customer_segment,
    ),
    # 29. The same customer-only segment does not take a guest: no discount; grand 40.00.
    Example(
        "segment-gated rule refuses a guest outside the segment",
        {"a": "40.00"},
        segment_rule,
        [("a", 1)],
        {"a": 0.0},
        [],
        40.0,
        setup=_customer_segment,
    ),
    # 30. Group gating: a Wholesale-only rule gives a wholesale customer 20% of 50 = 10.00.
    Example(
        "group gating: wholesale customer",
        {"a": "50.00"},
        [percent(20, "Trade", customer_group_uids=[encode_uid(2)])],
        [("a", 1)],
        {"a": 10.0},
        [("Trade", 10.0, "ITEM", None)],
        40.0,
        shopper="wholesale",
    ),
    # 31. ... and nothing to a guest (NOT LOGGED IN); grand 50.00.
    Example(
        "group gating: guest",
        {"a": "50.00"},
        [percent(20, "Trade", customer_group_uids=[encode_uid(2)])],
        [("a", 1)],
        {"a": 0.0},
        [],
        50.0,
    ),
    # 32. Website gating: a rule of another website does nothing here; grand 50.00.
    Example(
        "website gating",
        {"a": "50.00"},
        lambda c: [percent(20, "Elsewhere", website_uids=[encode_uid(c["website"])])],
        [("a", 1)],
        {"a": 0.0},
        [],
        50.0,
        setup=_second_website,
    ),
    # 33. Dates in the website's local day: a rule that ended yesterday and one starting
    #     tomorrow do nothing; one ending today applies: 50 x 10% = 5.00; grand 45.00.
    Example(
        "date gating",
        {"a": "50.00"},
        lambda c: [
            percent(30, "Ended", to_date=local_day(c, -1)),
            percent(40, "Not yet", from_date=local_day(c, 1)),
            percent(10, "Last day", from_date=local_day(c, -3), to_date=local_day(c, 0)),
        ],
        [("a", 1)],
        {"a": 5.0},
        [("Last day", 5.0, "ITEM", None)],
        45.0,
    ),
    # 34. Cart condition: subtotal >= 100 holds for 2 x 60 = 120: 10% = 12.00; grand 108.00.
    Example(
        "subtotal condition",
        {"a": "60.00"},
        [
            percent(
                10,
                "Over 100",
                conditions=only(
                    {
                        "type": "CART_ATTRIBUTE",
                        "attribute": "base_subtotal",
                        "operator": "GREATER_OR_EQUAL",
                        "value": ["100"],
                    }
                ),
            )
        ],
        [("a", 2)],
        {"a": 12.0},
        [("Over 100", 12.0, "ITEM", None)],
        108.0,
    ),
    # 35. Product found: "if an item with SKU b is found" holds, the rule takes every item:
    #     a 10 x 10% = 1.00, b 20 x 10% = 2.00; grand 27.00.
    Example(
        "product found condition",
        {"a": "10.00", "b": "20.00"},
        [
            percent(
                10,
                "With b",
                conditions=only(
                    {
                        "type": "PRODUCT_FOUND",
                        "aggregator": "ALL",
                        "value": ["1"],
                        "conditions": [sku_is("b")],
                    }
                ),
            )
        ],
        [("a", 1), ("b", 1)],
        {"a": 1.0, "b": 2.0},
        [("With b", 3.0, "ITEM", None)],
        27.0,
    ),
    # 36. Uses per customer: the customer already used the rule once (its limit): nothing;
    #     grand 50.00.
    Example(
        "uses per customer reached",
        {"a": "50.00"},
        [percent(10, "Once", uses_per_customer=1)],
        [("a", 1)],
        {"a": 0.0},
        [],
        50.0,
        shopper="general",
        after_rules=_rule_used_by_customer,
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
async def test_worked_example(example: Example, client: Any, admin_token: str) -> None:
    context: Context = {"timezone": (await StoreWebsite.get(website_id=1)).timezone}
    for sku, price in example.products.items():
        await make_product(sku, price)
    if example.setup is not None:
        await example.setup(context)
    token: str | None = None
    if example.shopper == "guest":
        cart_id = await guest_cart(client)
    else:
        group = {"general": 1, "wholesale": 2}[example.shopper]
        cart_id, token = await customer_cart(client, group)
        context["customer_id"] = (await CustomerEntity.get(email="ann@example.com")).entity_id
    rules = example.rules(context) if callable(example.rules) else example.rules
    context["rules"] = [await make_rule(client, admin_token, **rule) for rule in rules]
    if example.after_rules is not None:
        await example.after_rules(context)
    codes = list(example.coupons)
    if "<generated>" in codes:
        (generated,) = await generate_codes(client, admin_token, context["rules"][0])
        codes = [generated if c == "<generated>" else c for c in codes]
    await add(client, cart_id, example.items, token=token)
    if example.ships:
        await ship(client, cart_id, token)
    for code in codes:
        response = await gql(client, APPLY_COUPON, {"id": cart_id, "code": code}, token=token)
        if example.coupon_error is not None:
            assert response.messages == [example.coupon_error]
        else:
            assert response.errors == [], response.errors
    cart = await cart_of(client, cart_id, token)
    expected = [
        (label, amount, applied_to, codes[0] if coupon == "<generated>" else coupon)
        for label, amount, applied_to, coupon in example.discounts
    ]
    assert item_discounts(cart) == example.item_discounts
    assert discounts(cart["prices"]["discounts"]) == expected
    assert money(cart, "grand_total") == example.grand_total
    if example.shipping is not None:
        (address,) = cart["shipping_addresses"]
        assert address["selected_shipping_method"]["amount"]["value"] == example.shipping
    applied = [] if example.coupon_error else [{"code": c} for c in codes]
    assert cart["applied_coupons"] == applied
