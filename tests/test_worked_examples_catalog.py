"""Worked examples of the final price, computed by hand from Magento's rules (magento.md §4.4, §5):

    final = min(regular, special within its dates, tier/group price for the quantity,
                catalog rule price), never below 0, rounded half up to cents

where each candidate is computed from the regular price (catalog rules do not stack on special or
tier prices), a tier row applies to the shopper's group or ALL GROUPS from its quantity on, and a
group excluded on the website gets no tier or group price there. `discount` is the gap between
regular and final price, `percent_off` rounded to 2 decimals.

Each example runs through HTTP: the shopper's `price_range` (one unit) and a cart line of `qty`
units (`price`, `row_total`, `catalog_discount`). Website 1, America/Chicago, today = its local
date; rules and tiers on website 1 or all websites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from engine.pricing.tier_prices import TierDraft
from models.pricing import CatalogRuleAction
from tests.test_final_price import (
    TODAY,
    cart_line,
    exclude,
    make_product,
    make_rule,
    set_tiers,
    shopper,
    shown,
    tier,
)

BY_PERCENT = CatalogRuleAction.BY_PERCENT
BY_FIXED = CatalogRuleAction.BY_FIXED
TO_PERCENT = CatalogRuleAction.TO_PERCENT
TO_FIXED = CatalogRuleAction.TO_FIXED


@dataclass(frozen=True)
class Rule:
    action: CatalogRuleAction
    amount: str
    groups: tuple[int, ...] = (0, 1, 2, 3)
    ended_days_ago: int | None = None


@dataclass(frozen=True)
class Example:
    name: str
    price: str
    group: int  # the shopper's customer group (0: a guest)
    # (final, amount_off, percent_off) of `price_range` for one unit
    listed: tuple[float, float, float]
    qty: int
    # (unit price, row total, catalog_discount.amount_off) of the cart line of `qty` units
    line: tuple[float, float, float]
    special: str | None = None
    special_ended_days_ago: int | None = None
    tiers: tuple[TierDraft, ...] = ()
    rules: tuple[Rule, ...] = ()
    excluded: bool = False


EXAMPLES = [
    Example(
        # candidates 100, special 90, tier 85, rule 100 x 0.9 = 90 -> 85; 15 off = 15%
        "tier beats special and catalog rule",
        "100",
        1,
        (85.0, 15.0, 15.0),
        2,
        (85.0, 170.0, 15.0),
        special="90",
        tiers=(tier("1", "85"),),
        rules=(Rule(BY_PERCENT, "10"),),
    ),
    Example(
        # candidates 100, special 70, group-1 tier 80, rule 100 - 20 = 80 -> 70; 30%
        "special beats tier and catalog rule",
        "100",
        1,
        (70.0, 30.0, 30.0),
        1,
        (70.0, 70.0, 30.0),
        special="70",
        tiers=(tier("1", "80", group=1),),
        rules=(Rule(BY_FIXED, "20"),),
    ),
    Example(
        # candidates 100, special 95, tier 90, rule to_percent 75: 100 x 0.75 = 75 -> 75
        "catalog rule beats special and tier",
        "100",
        0,
        (75.0, 25.0, 25.0),
        3,
        (75.0, 225.0, 25.0),
        special="95",
        tiers=(tier("1", "90"),),
        rules=(Rule(TO_PERCENT, "75"),),
    ),
    Example(
        # the rule works on the regular price: 50 x 0.9 = 45, not 40 x 0.9 = 36 -> special 40
        "catalog rule does not stack on the special price",
        "50",
        0,
        (40.0, 10.0, 20.0),
        1,
        (40.0, 40.0, 10.0),
        special="40",
        rules=(Rule(BY_PERCENT, "10"),),
    ),
    Example(
        # 15% off 19.99 = 16.9915 -> 16.99; 3.00 off, 3 / 19.99 = 15.0075% -> 15.01;
        # the cart rounds the unit price first: 2 x 16.99 = 33.98
        "percentage tier",
        "19.99",
        1,
        (16.99, 3.0, 15.01),
        2,
        (16.99, 33.98, 3.0),
        tiers=(tier("1", percent="15"),),
    ),
    Example(
        # same quantity: ALL GROUPS 36, Wholesale 35 -> 35; 5 / 40 = 12.5%
        "group row beats ALL GROUPS at the same quantity",
        "40",
        2,
        (35.0, 5.0, 12.5),
        1,
        (35.0, 35.0, 5.0),
        tiers=(tier("1", "36"), tier("1", "35", group=2)),
    ),
    Example(
        # same quantity: ALL GROUPS 30, General 35 -> the lowest, 30; 25%
        "ALL GROUPS beats a dearer group row at the same quantity",
        "40",
        1,
        (30.0, 10.0, 25.0),
        1,
        (30.0, 30.0, 10.0),
        tiers=(tier("1", "30"), tier("1", "35", group=1)),
    ),
    Example(
        # one unit lists at 10; 10 in the cart reach the 7.50 tier: 10 x 7.50 = 75.00
        "quantity threshold reached in the cart",
        "10",
        1,
        (10.0, 0.0, 0.0),
        10,
        (7.5, 75.0, 2.5),
        tiers=(tier("5", "8"), tier("10", "7.50", group=1)),
    ),
    Example(
        # 7 units: the 5-unit tier (8.00) applies, the 10-unit one not yet: 7 x 8 = 56
        "between two quantity thresholds",
        "10",
        1,
        (10.0, 0.0, 0.0),
        7,
        (8.0, 56.0, 2.0),
        tiers=(tier("5", "8"), tier("10", "7.50", group=1)),
    ),
    Example(
        # 4 units: below every threshold, 4 x 10 = 40
        "below the first quantity threshold",
        "10",
        1,
        (10.0, 0.0, 0.0),
        4,
        (10.0, 40.0, 0.0),
        tiers=(tier("5", "8"),),
    ),
    Example(
        # Wholesale is excluded on website 1: neither its 50 nor the ALL GROUPS 55 apply
        "excluded website gets no group or tier price",
        "60",
        2,
        (60.0, 0.0, 0.0),
        1,
        (60.0, 60.0, 0.0),
        tiers=(tier("1", "50", group=2), tier("1", "55")),
        excluded=True,
    ),
    Example(
        # by_fixed 20 on 15: max(0, 15 - 20) = 0; 100% off
        "never below zero",
        "15",
        0,
        (0.0, 15.0, 100.0),
        2,
        (0.0, 0.0, 15.0),
        rules=(Rule(BY_FIXED, "20"),),
    ),
    Example(
        # the rule is for General only; a guest pays 25
        "catalog rule for another group",
        "25",
        0,
        (25.0, 0.0, 0.0),
        1,
        (25.0, 25.0, 0.0),
        rules=(Rule(BY_PERCENT, "50", groups=(1,)),),
    ),
    Example(
        # the rule ended yesterday (website's local date)
        "catalog rule that ended yesterday",
        "25",
        1,
        (25.0, 0.0, 0.0),
        1,
        (25.0, 25.0, 0.0),
        rules=(Rule(BY_PERCENT, "50", ended_days_ago=1),),
    ),
    Example(
        # special 10 ended yesterday; the 27.00 tier applies: 3 off = 10%
        "special price out of its dates, tier applies",
        "30",
        1,
        (27.0, 3.0, 10.0),
        1,
        (27.0, 27.0, 3.0),
        special="10",
        special_ended_days_ago=1,
        tiers=(tier("1", "27"),),
    ),
    Example(
        # all websites 18, website 1 17 -> 17; 3 / 20 = 15%
        "website row beside an all-websites row",
        "20",
        0,
        (17.0, 3.0, 15.0),
        1,
        (17.0, 17.0, 3.0),
        tiers=(tier("1", "18"), tier("1", "17", website=1)),
    ),
    Example(
        # to_fixed 25 on 20: min(25, 20) = 20, no discount
        "to_fixed above the price keeps the price",
        "20",
        0,
        (20.0, 0.0, 0.0),
        1,
        (20.0, 20.0, 0.0),
        rules=(Rule(TO_FIXED, "25"),),
    ),
    Example(
        # NOT LOGGED IN's own group price: 11 of 12, 1 / 12 = 8.333% -> 8.33
        "guest group price",
        "12",
        0,
        (11.0, 1.0, 8.33),
        2,
        (11.0, 22.0, 1.0),
        tiers=(tier("1", "11", group=0), tier("1", "10", group=1)),
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
async def test_worked_example(example: Example, client: Any) -> None:
    sku = "item"
    product = await make_product(
        sku,
        example.price,
        special=example.special,
        special_to=None
        if example.special_ended_days_ago is None
        else TODAY - timedelta(days=example.special_ended_days_ago),
    )
    if example.tiers:
        await set_tiers(product, *example.tiers)
    for rule in example.rules:
        await make_rule(
            sku,
            rule.action,
            rule.amount,
            groups=rule.groups,
            to_date=None
            if rule.ended_days_ago is None
            else TODAY - timedelta(days=rule.ended_days_ago),
        )
    if example.excluded:
        await exclude(example.group)
    token = await shopper(example.group)

    seen = await shown(client, sku, token)
    assert (seen.regular, seen.final, seen.amount_off, seen.percent_off) == (
        float(example.price),
        *example.listed,
    )
    line = await cart_line(client, sku, example.qty, token)
    assert (line.price, line.row_total, line.catalog_off, line.original) == (
        *example.line,
        float(example.price),
    )
    assert line.row_catalog_off == round(example.line[2] * example.qty, 2)


def test_there_are_enough_examples() -> None:
    assert len(EXAMPLES) >= 8
    assert len({e.name for e in EXAMPLES}) == len(EXAMPLES)
