"""`engine.pricing.rule_index`: Magento's chained catalog-rule arithmetic, and the contract other
parts read (`rule_prices`, `applied_rule_ids`, `active_rule_ids`) computed from
`catalogrule_product` rows alone, with no `catalogrule_product_price` row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from engine.pricing import rule_index
from engine.pricing.rule_index import RuleStep, apply_action, chain
from models import (
    CatalogProductEntity,
    Catalogrule,
    CatalogruleProduct,
    CatalogruleProductPrice,
)
from models.pricing import CatalogRuleAction

D = Decimal
A = CatalogRuleAction
DAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("price", "action", "amount", "expected"),
    [
        ("100", A.BY_PERCENT, "15", "85.00"),
        ("19.99", A.BY_PERCENT, "33", "13.39"),  # 13.3933 rounds down
        ("10.05", A.BY_PERCENT, "50", "5.03"),  # 5.025 rounds half up
        ("100", A.BY_FIXED, "30", "70.00"),
        ("20", A.BY_FIXED, "30", "0.00"),  # never below zero
        ("100", A.TO_PERCENT, "80", "80.00"),
        ("9.99", A.TO_PERCENT, "50", "5.00"),  # 4.995 half up
        ("100", A.TO_FIXED, "60", "60.00"),
        ("50", A.TO_FIXED, "60", "50.00"),  # never above the price
        ("100", A.BY_PERCENT, "100", "0.00"),
    ],
)
def test_one_rule_as_magento_calculates_it(
    price: str, action: CatalogRuleAction, amount: str, expected: str
) -> None:
    assert apply_action(D(price), action, D(amount)) == D(expected)


def step(
    rule_id: int,
    action: CatalogRuleAction,
    amount: str,
    *,
    sort_order: int = 0,
    stop: bool = False,
    start: date | None = None,
    end: date | None = None,
) -> RuleStep:
    return RuleStep(rule_id, action, D(amount), stop, sort_order, start, end)


def test_chain_runs_by_priority_then_id_and_rounds_each_step() -> None:
    steps = [
        step(3, A.BY_FIXED, "5", sort_order=2),
        step(2, A.BY_PERCENT, "10", sort_order=1),
        step(1, A.BY_PERCENT, "33", sort_order=1),
    ]
    # 1: 99.99 x 0.67 = 66.9933 -> 66.99; 2: 66.99 x 0.9 = 60.291 -> 60.29; 3: 55.29
    result = chain(D("99.99"), steps, DAY)
    assert result is not None
    assert (result.price, result.rule_ids) == (D("55.29"), (1, 2, 3))


def test_chain_stops_after_a_rule_that_discards_subsequent_rules() -> None:
    steps = [
        step(1, A.BY_PERCENT, "10", sort_order=1, stop=True),
        step(2, A.BY_FIXED, "5", sort_order=2),
    ]
    result = chain(D("100"), steps, DAY)
    assert result is not None
    assert (result.price, result.rule_ids) == (D("90.00"), (1,))


def test_a_stopping_rule_out_of_its_dates_does_not_stop_the_chain() -> None:
    steps = [
        step(1, A.BY_PERCENT, "10", sort_order=1, stop=True, end=date(2026, 6, 14)),
        step(2, A.BY_FIXED, "5", sort_order=2, start=DAY, end=DAY),
    ]
    result = chain(D("100"), steps, DAY)
    assert result is not None
    assert (result.price, result.rule_ids, result.latest_start, result.earliest_end) == (
        D("95.00"),
        (2,),
        DAY,
        DAY,
    )
    assert chain(D("100"), steps, date(2026, 6, 16)) is None


async def _product(sku: str, price: str) -> CatalogProductEntity:
    return await CatalogProductEntity.create(attribute_set_id=4, sku=sku, name=sku, price=D(price))


async def _rule(rule_id: int, sort_order: int = 0) -> None:
    await Catalogrule.create(rule_id=rule_id, name=f"R{rule_id}", sort_order=sort_order)


async def _match(
    rule_id: int,
    product: CatalogProductEntity,
    action: CatalogRuleAction,
    amount: str,
    *,
    website_id: int = 1,
    group_id: int = 0,
    sort_order: int = 0,
    stop: bool = False,
    start: date | None = None,
    end: date | None = None,
) -> None:
    await CatalogruleProduct.create(
        rule_id=rule_id,
        product_id=product.entity_id,
        website_id=website_id,
        customer_group_id=group_id,
        action_operator=action,
        action_amount=D(amount),
        action_stop=stop,
        sort_order=sort_order,
        from_date=start,
        to_date=end,
    )


async def test_rule_prices_need_no_price_rows(db: Any) -> None:
    shirt = await _product("shirt", "40")
    mug = await _product("mug", "8")
    plain = await _product("plain", "5")
    for rule_id in (1, 2, 3):
        await _rule(rule_id)
    await _match(1, shirt, A.BY_PERCENT, "25", sort_order=1)
    await _match(2, shirt, A.BY_FIXED, "2.5", sort_order=2)
    await _match(3, mug, A.TO_FIXED, "6", end=date(2026, 6, 14))  # ended yesterday
    await _match(3, mug, A.TO_FIXED, "6", group_id=1)  # another group
    await _match(3, plain, A.TO_FIXED, "1", website_id=2)  # another website
    assert await CatalogruleProductPrice.all().count() == 0

    products = [shirt, mug, plain]
    assert await rule_index.rule_prices(products, 1, 0, DAY) == {shirt.entity_id: D("27.50")}
    assert await rule_index.rule_prices(products, 1, 0, date(2026, 6, 14)) == {
        shirt.entity_id: D("27.50"),
        mug.entity_id: D("6.00"),
    }
    assert await rule_index.rule_prices(products, 1, 1, DAY) == {mug.entity_id: D("6.00")}
    assert await rule_index.applied_rule_ids([p.entity_id for p in products], 1, 0, DAY) == {
        shirt.entity_id: (1, 2)
    }
    assert await rule_index.active_rule_ids(1, 0, DAY) == (1, 2)
    assert await rule_index.active_rule_ids(2, 0, DAY) == (3,)
    assert await rule_index.rule_prices([], 1, 0, DAY) == {}


async def test_price_rows_cover_yesterday_today_and_tomorrow(db: Any) -> None:
    shirt = await _product("shirt", "40")
    await _rule(1)
    await _rule(2)
    await _match(1, shirt, A.BY_PERCENT, "50", end=DAY)
    await _match(2, shirt, A.BY_FIXED, "1", start=DAY)
    written = await rule_index.rebuild_prices(days={1: DAY})
    rows = await CatalogruleProductPrice.all().order_by("rule_date")
    assert written == 3
    assert [
        (
            r.rule_date,
            r.customer_group_id,
            D(r.rule_price),
            r.latest_start_date,
            r.earliest_end_date,
        )
        for r in rows
    ] == [
        (date(2026, 6, 14), 0, D("20.00"), None, DAY),
        (DAY, 0, D("19.00"), DAY, DAY),
        (date(2026, 6, 16), 0, D("39.00"), DAY, None),
    ]
    # The window moves on: the day that fell out goes, the new tomorrow comes.
    await rule_index.rebuild_prices(days={1: date(2026, 6, 16)})
    dates = (
        await CatalogruleProductPrice.all()
        .order_by("rule_date")
        .values_list("rule_date", flat=True)
    )
    assert list(dates) == [DAY, date(2026, 6, 16), date(2026, 6, 17)]
