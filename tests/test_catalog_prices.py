"""`engine.prices`: the final price without rules, and the discount Magento shows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from engine import prices
from engine.catalog import format_url_key
from models import CatalogProductEntity

DAY = date(2024, 3, 10)


def product(
    price: str, special: str | None = None, start: date | None = None, end: date | None = None
) -> CatalogProductEntity:
    return CatalogProductEntity(
        price=Decimal(price),
        special_price=None if special is None else Decimal(special),
        special_from_date=start,
        special_to_date=end,
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (product("10"), "10.00"),
        (product("10", "7"), "7.00"),
        (product("10", "12"), "10.00"),  # a special price above the price never applies
        (product("10", "7", start=DAY), "7.00"),  # both ends are inclusive
        (product("10", "7", end=DAY), "7.00"),
        (product("10", "7", start=date(2024, 3, 11)), "10.00"),
        (product("10", "7", end=date(2024, 3, 9)), "10.00"),
        (product("10.005"), "10.01"),  # half up to cents
    ],
)
def test_final_price(row: CatalogProductEntity, expected: str) -> None:
    assert prices.final_price(row, DAY) == Decimal(expected)


def test_discount_as_magento_rounds_it() -> None:
    view = prices.price_view(product("30", "19.99"), DAY)
    assert (view.regular_price, view.final_price, view.amount_off, view.percent_off) == (
        Decimal("30.00"),
        Decimal("19.99"),
        Decimal("10.01"),
        Decimal("33.37"),
    )
    free = prices.price_view(product("0"), DAY)
    assert (free.amount_off, free.percent_off) == (Decimal(0), Decimal(0))


def test_today_is_the_websites_local_date() -> None:
    moment = datetime(2024, 3, 10, 3, 0, tzinfo=UTC)
    assert prices.local_today("UTC", moment) == date(2024, 3, 10)
    assert prices.local_today("America/Chicago", moment) == date(2024, 3, 9)


def test_url_keys_as_magento_formats_them() -> None:
    assert format_url_key("  Blue Shirt & Größe XL! ") == "blue-shirt-grosse-xl"
