"""Product prices as the storefront shows them.

`final_price` is Magento's catalog final price without rules: the regular price, or the special
price when it is lower and `on` (the website's local date) lies within its dates, both ends
inclusive and either end open. `engine.pricing.final` adds tier/group prices and catalog rules on
top of it (the lowest wins)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from engine import clock
from models import CatalogProductEntity

CENT = Decimal("0.01")


def round_price(amount: Decimal) -> Decimal:
    """Magento's `PriceCurrency::round`: 2 decimals, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def local_today(timezone: str, now: datetime | None = None) -> date:
    """Today's date in a website's timezone (`general/locale/timezone`), by `now` or else by the
    ambient clock (`engine.clock.now`)."""
    moment = now if now is not None else clock.now()
    return moment.astimezone(ZoneInfo(timezone)).date()


def special_price_applies(product: CatalogProductEntity, on: date) -> bool:
    if product.special_price is None:
        return False
    if product.special_from_date is not None and on < product.special_from_date:
        return False
    if product.special_to_date is not None and on > product.special_to_date:
        return False
    return Decimal(product.special_price) < Decimal(product.price)


def final_price(product: CatalogProductEntity, on: date) -> Decimal:
    """The lower of the regular price and the special price valid `on`, rounded to cents."""
    special = product.special_price
    if special is not None and special_price_applies(product, on):
        return round_price(Decimal(special))
    return round_price(Decimal(product.price))


@dataclass(frozen=True)
class PriceView:
    """One `ProductPrice`: regular and final price and the discount between them."""

    regular_price: Decimal
    final_price: Decimal
    amount_off: Decimal
    percent_off: Decimal


def price_view(product: CatalogProductEntity, on: date) -> PriceView:
    """The view of the price without rules (see `view_between`)."""
    return view_between(round_price(Decimal(product.price)), final_price(product, on))


def view_between(regular: Decimal, final: Decimal) -> PriceView:
    """Magento's `Discount::getDiscountByDifference`: the amount off, and the percent off
    rounded to 2 decimals."""
    amount_off = max(regular - final, Decimal(0))
    percent_off = (
        round_price(amount_off * 100 / regular) if regular > 0 and amount_off > 0 else Decimal(0)
    )
    return PriceView(regular, final, amount_off, percent_off)
