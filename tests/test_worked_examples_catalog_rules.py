"""Worked examples of catalog price rules, computed by hand from Magento's rules and checked
through HTTP: rules saved with `adminCreateCatalogRule`, the price read from `price_range` as the
caller sees it (guest: NOT LOGGED IN, or a General customer; default store, website 1, Chicago).

Magento's arithmetic (`ProductPriceCalculator::calculate`), each step rounded half up to cents,
rules in priority (`sort_order`) then id order, each on the previous result, a rule with "Discard
subsequent rules" ending the chain; the rule price competes with the special price as
final = min(regular, special, rule) (`ProcessFrontFinalPriceObserver`); `percent_off` =
round(amount_off x 100 / regular, 2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from engine import catalog, prices
from engine.catalog import ProductChanges
from graph.uids import encode_uid
from models import Store, StoreGroup, StoreWebsite
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_catalog_rules_admin import create_rule

TODAY = prices.local_today("America/Chicago")
YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)

PRICE_RANGE = """
query ($sku: String!) {
  products(filter: {sku: {eq: $sku}}) {
    items {
      price_range {
        minimum_price {
          regular_price { value } final_price { value } discount { amount_off percent_off }
        }
        maximum_price { final_price { value } }
      }
    }
  }
}
"""


@dataclass(frozen=True)
class Rule:
    action: str
    amount: float
    sort_order: int = 0
    stop: bool = False
    from_date: str | None = None
    to_date: str | None = None
    groups: tuple[int, ...] = (0, 1)
    websites: tuple[int, ...] = (1,)
    active: bool = True


@dataclass(frozen=True)
class Example:
    price: str
    rules: tuple[Rule, ...]
    final: float
    amount_off: float
    percent_off: float
    special: str | None = None
    caller: str = "guest"


EXAMPLES = {
    # 80 x (1 - 15/100) = 68.00; off 12.00 = 15 %.
    "by_percent": Example("80", (Rule("BY_PERCENT", 15),), 68.0, 12.0, 15.0),
    # 45.50 - 7.25 = 38.25; 7.25 x 100 / 45.50 = 15.934 -> 15.93 %.
    "by_fixed": Example("45.50", (Rule("BY_FIXED", 7.25),), 38.25, 7.25, 15.93),
    # 59.99 x 70/100 = 41.993 -> 41.99; off 18.00; 1800 / 59.99 = 30.005 -> 30.01 %.
    "to_percent": Example("59.99", (Rule("TO_PERCENT", 70),), 41.99, 18.0, 30.01),
    # min(99.95, 120) = 99.95; off 20.05; 2005 / 120 = 16.708 -> 16.71 %.
    "to_fixed": Example("120", (Rule("TO_FIXED", 99.95),), 99.95, 20.05, 16.71),
    # to_fixed above the price leaves it: min(150, 120) = 120, no discount.
    "to_fixed above the price": Example("120", (Rule("TO_FIXED", 150),), 120.0, 0.0, 0.0),
    # max(0, 20 - 25) = 0.00: never below zero; off 20 = 100 %.
    "by_fixed never below zero": Example("20", (Rule("BY_FIXED", 25),), 0.0, 20.0, 100.0),
    # 100 -10 % = 90.00, then -5 = 85.00 (no stop).
    "chained without stop": Example(
        "100", (Rule("BY_PERCENT", 10, 1), Rule("BY_FIXED", 5, 2)), 85.0, 15.0, 15.0
    ),
    # 100 -10 % = 90.00, and the first rule discards the second.
    "chained with stop": Example(
        "100", (Rule("BY_PERCENT", 10, 1, stop=True), Rule("BY_FIXED", 5, 2)), 90.0, 10.0, 10.0
    ),
    # Priority, not creation order: -10 (priority 1) first, 90 x 50 % = 45.00 (not 50 - 10 = 40).
    "priority order": Example(
        "100", (Rule("BY_PERCENT", 50, 5), Rule("BY_FIXED", 10, 1)), 45.0, 55.0, 55.0
    ),
    # Equal priorities run by rule id: 100 x 50 % = 50, then -10 = 40.00.
    "same priority by id": Example(
        "100", (Rule("BY_PERCENT", 50), Rule("BY_FIXED", 10)), 40.0, 60.0, 60.0
    ),
    # Each step is rounded: 10.05 x 0.5 = 5.025 -> 5.03, x 0.5 = 2.515 -> 2.52 (2.51 unrounded).
    "each step rounded": Example(
        "10.05", (Rule("BY_PERCENT", 50), Rule("BY_PERCENT", 50)), 2.52, 7.53, 74.93
    ),
    # A stopping rule out of its dates stops nothing: only -20 % applies, 80.00.
    "dates: ended yesterday, starts today": Example(
        "100",
        (
            Rule("BY_PERCENT", 10, 1, stop=True, to_date=YESTERDAY.isoformat()),
            Rule("BY_PERCENT", 20, 2, from_date=TODAY.isoformat()),
            Rule("BY_PERCENT", 50, 3, from_date=TOMORROW.isoformat()),
        ),
        80.0,
        20.0,
        20.0,
    ),
    # The last day is included (to_date = today), the first day too (from_date = today).
    "dates: today is the first and the last day": Example(
        "100",
        (Rule("BY_FIXED", 30, from_date=TODAY.isoformat(), to_date=TODAY.isoformat()),),
        70.0,
        30.0,
        30.0,
    ),
    # General only: a guest (NOT LOGGED IN) pays the regular price.
    "group gating: guest": Example("100", (Rule("BY_PERCENT", 20, groups=(1,)),), 100.0, 0.0, 0.0),
    # ... and a General customer 100 x 80 % = 80.00.
    "group gating: customer": Example(
        "100", (Rule("BY_PERCENT", 20, groups=(1,)),), 80.0, 20.0, 20.0, caller="general"
    ),
    # A rule of website 2 does not price website 1.
    "website gating": Example(
        "100",
        (Rule("BY_PERCENT", 20, websites=(2,)), Rule("BY_FIXED", 1, websites=(1, 2))),
        99.0,
        1.0,
        1.0,
    ),
    # An inactive rule prices nothing.
    "inactive rule": Example("100", (Rule("BY_PERCENT", 20, active=False),), 100.0, 0.0, 0.0),
    # Rules start from the regular price, not the special: rule 100 x 80 % = 80 > special 70.
    "special price lower than the rule": Example(
        "100", (Rule("BY_PERCENT", 20),), 70.0, 30.0, 30.0, special="70"
    ),
    # ... and the rule wins when lower: min(100, 85, 80) = 80.00.
    "rule lower than the special price": Example(
        "100", (Rule("BY_PERCENT", 20),), 80.0, 20.0, 20.0, special="85"
    ),
}


async def _website_2() -> None:
    await StoreWebsite.create(website_id=2, code="second", name="Second", timezone="Asia/Tokyo")
    await StoreGroup.create(group_id=2, website_id=2, code="second_group", name="Second")
    await Store.create(store_id=2, code="second_en", website_id=2, group_id=2, name="Second EN")


@pytest.mark.parametrize("name", list(EXAMPLES))
async def test_worked_example(client: Any, admin_token: str, name: str) -> None:
    example = EXAMPLES[name]
    if any(2 in rule.websites for rule in example.rules):
        await _website_2()
    await catalog.create_product(
        ProductChanges(
            sku="item",
            name="Item",
            price=Decimal(example.price),
            qty=Decimal(10),
            special_price=None if example.special is None else Decimal(example.special),
        )
    )
    for index, rule in enumerate(example.rules):
        await create_rule(
            client,
            admin_token,
            name=f"Rule {index + 1}",
            is_active=rule.active,
            simple_action=rule.action,
            discount_amount=rule.amount,
            sort_order=rule.sort_order,
            stop_rules_processing=rule.stop,
            from_date=rule.from_date,
            to_date=rule.to_date,
            customer_group_uids=[encode_uid(g) for g in rule.groups],
            website_uids=[encode_uid(w) for w in rule.websites],
        )
    token = None
    if example.caller == "general":
        token = await token_for(await make_customer(group_id=1))
    response = await gql(client, PRICE_RANGE, {"sku": "item"}, token=token)
    assert response.errors == [], response.errors
    [item] = response.data["products"]["items"]  # type: ignore[index]
    assert item["price_range"] == {
        "minimum_price": {
            "regular_price": {"value": float(Decimal(example.price))},
            "final_price": {"value": example.final},
            "discount": {"amount_off": example.amount_off, "percent_off": example.percent_off},
        },
        "maximum_price": {"final_price": {"value": example.final}},
    }
