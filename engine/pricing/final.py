"""The final price a shopper pays for a product: Magento's
`min(regular, special within its dates, tier/group price for the quantity, catalog rule price)`,
never below zero, rounded to cents (half up).

Catalog rules do not stack with special or tier prices: each candidate is computed from the
regular price and the lowest wins (`Catalog\\Model\\Product\\Type\\Price::getBasePrice`, then
CatalogRule's `ProcessFrontFinalPriceObserver`). Everything depends on the shopper's customer
group, the website and the website's local day; `price_book` loads what a set of products needs
in three queries (tier rows, the group's website exclusion, rule prices) so that a listing or a
cart prices every product, at every quantity, without more I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from engine import prices
from engine.prices import PriceView, round_price
from engine.pricing import tier_prices
from engine.pricing.rule_index import rule_prices
from engine.pricing.tier_prices import Tier
from models import CatalogProductEntity

ONE = Decimal(1)
ZERO = Decimal(0)


@dataclass(frozen=True)
class TierView:
    """One `TierPrice` of `price_tiers`: the price per unit from `quantity` units on, and its
    discount off the regular price (a percentage row shows its own percentage, as Magento's
    `Discount::getDiscountByPercent`)."""

    quantity: Decimal
    final_price: Decimal
    amount_off: Decimal
    percent_off: Decimal


@dataclass(frozen=True)
class ProductPricing:
    """What decides one product's price for one group, website and day."""

    product: CatalogProductEntity
    day: date
    group_id: int
    tiers: tuple[Tier, ...]
    rule_price: Decimal | None

    @property
    def regular(self) -> Decimal:
        return round_price(Decimal(self.product.price))

    def final(self, qty: Decimal = ONE) -> Decimal:
        """The final price per unit when `qty` units are bought."""
        regular = Decimal(self.product.price)
        candidates = [regular]
        special = self.product.special_price
        if special is not None and prices.special_price_applies(self.product, self.day):
            candidates.append(Decimal(special))
        tier = tier_prices.select(self.tiers, self.group_id, qty, regular)
        if tier is not None:
            candidates.append(tier)
        if self.rule_price is not None:
            candidates.append(self.rule_price)
        return round_price(max(min(candidates), ZERO))

    def view(self, qty: Decimal = ONE) -> PriceView:
        """`ProductPrice`: regular and final price and the discount between them."""
        return prices.view_between(self.regular, self.final(qty))

    def tier_views(self) -> list[TierView]:
        """`price_tiers`: the lowest row per quantity for the group, by quantity."""
        regular = Decimal(self.product.price)
        views: list[TierView] = []
        for qty, tier in tier_prices.per_quantity(self.tiers, self.group_id, regular):
            final = round_price(max(tier.unit_price(regular), ZERO))
            if tier.percentage is not None:
                views.append(
                    TierView(
                        qty, final, round_price(regular * tier.percentage / 100), tier.percentage
                    )
                )
            else:
                view = prices.view_between(self.regular, final)
                views.append(TierView(qty, final, view.amount_off, view.percent_off))
        return views


@dataclass(frozen=True)
class PriceBook:
    """The pricing of a set of products for one group, website and local day."""

    website_id: int
    group_id: int
    day: date
    products: dict[int, ProductPricing]

    def of(self, product: CatalogProductEntity) -> ProductPricing:
        found = self.products.get(product.entity_id)
        if found is not None:
            return found
        return ProductPricing(product, self.day, self.group_id, (), None)

    def final(self, product: CatalogProductEntity, qty: Decimal = ONE) -> Decimal:
        return self.of(product).final(qty)


async def price_book(
    products: Sequence[CatalogProductEntity], website_id: int, group_id: int, day: date
) -> PriceBook:
    """Everything needed to price `products` for a shopper of `group_id` on the website on its
    local `day`, at any quantity."""
    unique = list({p.entity_id: p for p in products}.values())
    if not unique:
        return PriceBook(website_id, group_id, day, {})
    tiers = await tier_prices.load_for([p.entity_id for p in unique], website_id, group_id)
    rules = await rule_prices(unique, website_id, group_id, day)
    return PriceBook(
        website_id,
        group_id,
        day,
        {
            p.entity_id: ProductPricing(
                p, day, group_id, tuple(tiers.get(p.entity_id, ())), rules.get(p.entity_id)
            )
            for p in unique
        },
    )


async def final_prices(
    products: Sequence[CatalogProductEntity],
    website_id: int,
    group_id: int,
    day: date,
    qty: Decimal = ONE,
) -> dict[int, Decimal]:
    """The final price per unit of each product when `qty` units are bought by a shopper of
    `group_id` on the website on its local `day`: min(regular, special within its dates,
    tier/group price for `qty`, catalog rule price), at least 0, rounded half up to cents."""
    book = await price_book(products, website_id, group_id, day)
    return {p.entity_id: book.final(p, qty) for p in products}
