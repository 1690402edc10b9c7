"""What generated customers (and guest visitors) did in the shop: carts, wish lists, product views
and an order history. No I/O, like `seeds.generate`: the same seed, shop, ids and day give the
same rows.

Draws come from a generator of their own (seeded from the seed), so the customer rows are the same
with or without activity, and every decision is one draw whatever the dates: the day a seed runs
moves dates and prices, never which rows exist.

Amounts are computed in integer cents and written as 2-decimal `Decimal`s. Orders follow Magento's
totals: `subtotal` = Σ `row_total`, `tax_amount` = Σ item tax (Magento's default "Total"
algorithm: the tax of the whole is rounded once and spread over the items by delta rounding),
`shipping_amount` = flat rate per item, `grand_total` = subtotal + tax + shipping; cart totals the
same with no tax or shipping (a seeded cart has no address yet)."""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from models.groups import GENERAL_GROUP_ID, NOT_LOGGED_IN_GROUP_ID
from seeds import tables
from seeds.draws import Weighted
from seeds.structure import WHOLESALE_GROUP_ID, Catalog, WebsiteSlot

if TYPE_CHECKING:
    from seeds.generate import Batch, NextIds, Pools

Row = tuple[Any, ...]

DAY = 86_400
ORDER_HISTORY_SECONDS = 730 * DAY
# A customer who has been registered for the whole two years places this many orders on average;
# newer customers proportionally fewer. Registration dates are uniform over three years, so the
# mean over all customers is 7.5 x 2/3 = 5.
ORDERS_PER_TWO_YEARS = 7.5
CART_WINDOW_SECONDS = 30 * DAY
VIEW_WINDOW_SECONDS = 180 * DAY
WISHLIST_WINDOW_SECONDS = 365 * DAY
VISITOR_WINDOW_SECONDS = 60 * DAY

CURRENCY = "USD"
PAYMENT_METHOD = "checkmo"
SHIPPING_METHOD = "flatrate_flatrate"
SHIPPING_DESCRIPTION = "Flat Rate - Fixed"
# Magento's default flat rate: $5.00 per item.
SHIPPING_CENTS_PER_ITEM = 500
PRODUCT_TYPE = "simple"
COUNTRY = "US"

QUANTITIES = {n: Decimal(n) for n in range(0, 10)}
ZERO_QTY = QUANTITIES[0]
ZERO_MONEY = Decimal("0.00")
ZERO_PERCENT = Decimal("0.0000")


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def masked_id(key: int, bits: int) -> str:
    """32 hexadecimal characters, unique per key (a load repeated with the same seed draws the
    same bits, so the key keeps them apart), as Magento's random masked cart ids look."""
    return hashlib.md5(f"{key}:{bits:x}".encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Product:
    """A sellable product as the generator prices it, in cents."""

    product_id: int
    sku: str
    name: str
    price: int
    special_price: int | None = None
    special_from: date | None = None
    special_to: date | None = None
    weight: Decimal | None = None
    tax_class_id: int | None = None

    def price_on(self, day: date) -> int:
        """Magento's final price without rules (see `engine.prices.final_price`)."""
        special = self.special_price
        if special is None or special >= self.price:
            return self.price
        if self.special_from is not None and day < self.special_from:
            return self.price
        if self.special_to is not None and day > self.special_to:
            return self.price
        return special


@dataclass(frozen=True)
class Shop:
    """What the activity is generated against, read from (or created in) the database."""

    # Enabled products visible in the catalog, per website id, in entity id order.
    products: dict[int, tuple[Product, ...]]
    group_tax_classes: dict[int, int]
    # Percent x 10,000 (8.25% is 82,500), by customer tax class, product tax class and
    # region id (0: any region of the US).
    tax_rates: dict[tuple[int, int, int], int]
    # The default status of each order state (`sales_order_status_state.is_default`).
    statuses: dict[str, str]

    def rate(self, customer_class: int | None, product_class: int | None, region_id: int) -> int:
        if customer_class is None or product_class is None:
            return 0
        rates = self.tax_rates
        return rates.get((customer_class, product_class, region_id)) or rates.get(
            (customer_class, product_class, 0), 0
        )


@dataclass(frozen=True)
class Address:
    customer_address_id: int | None
    firstname: str
    lastname: str
    company: str | None
    street: str
    city: str
    region: str
    region_id: int
    postcode: str
    telephone: str

    @classmethod
    def from_row(cls, row: Row) -> Address:
        """From a `tables.ADDRESSES` row."""
        return cls(
            customer_address_id=row[0],
            firstname=row[9],
            lastname=row[10],
            company=row[6],
            street=row[16],
            city=row[5],
            region=row[14],
            region_id=row[15],
            postcode=row[12],
            telephone=row[18],
        )


@dataclass(frozen=True)
class Shopper:
    """A generated customer, as far as the activity needs one."""

    customer_id: int
    website: WebsiteSlot
    group_id: int
    email: str
    firstname: str
    lastname: str
    created_at: datetime
    billing: Address | None
    shipping: Address | None


@dataclass
class _Order:
    """An order before it gets its keys: orders of a batch are numbered in date order."""

    shopper: Shopper
    created_at: datetime
    updated_at: datetime
    state: str
    group_id: int
    lines: list[tuple[Product, int, int]]  # product, qty, unit price in cents
    billing: Address
    shipping: Address


class Activity:
    def __init__(
        self,
        seed: int,
        shop: Shop,
        catalog: Catalog,
        pools: Pools,
        *,
        anchor: datetime,
        loaded_at: datetime,
    ) -> None:
        self.rng = random.Random(f"activity-{seed}")
        self.shop = shop
        self.catalog = catalog
        self.pools = pools
        self.anchor = anchor
        self.today = anchor.date()
        self.loaded_at = loaded_at
        self.pending: list[_Order] = []
        # Some products sell far more than others: weights fall with a fixed shuffle of the list.
        self.popular: dict[int, Weighted] = {
            website_id: Weighted(
                [(p, 1 / (1 + (i * 7919) % len(products)) ** 0.8) for i, p in enumerate(products)]
            )
            for website_id, products in shop.products.items()
            if products
        }
        self.line_counts = Weighted([(1, 50), (2, 28), (3, 14), (4, 8)])
        self.quantities = Weighted([(1, 80), (2, 15), (3, 5)])
        self.cart_lines = Weighted([(1, 40), (2, 30), (3, 20), (4, 10)])
        # Order states by age: recent orders are still open, old ones settled.
        self.fresh_states = Weighted(
            [("new", 45), ("processing", 35), ("complete", 15), ("canceled", 5)]
        )
        self.recent_states = Weighted([("processing", 30), ("complete", 62), ("canceled", 8)])
        self.settled_states = Weighted([("complete", 90), ("canceled", 7), ("closed", 3)])
        self.guest_websites = Weighted([(catalog.base, 80), (catalog.wholesale, 20)])

    # -- helpers -------------------------------------------------------------------------------

    def _between(self, start: datetime, end: datetime) -> datetime:
        """A moment from `start` to `end` (to the second), one draw whatever the span."""
        span = max((end - start).total_seconds(), 0)
        return start + timedelta(seconds=int(self.rng.random() * span))

    def _since(self, created_at: datetime, window_seconds: int) -> datetime:
        """The later of the customer's registration and the start of a window back from now."""
        return max(created_at, self.anchor - timedelta(seconds=window_seconds))

    def _products(self, website_id: int, count: int) -> list[Product]:
        """`count` different products, the popular ones more often."""
        popular = self.popular.get(website_id)
        if popular is None:
            return []
        count = min(count, len(popular.values))
        chosen: dict[int, Product] = {}
        while len(chosen) < count:
            product: Product = popular.draw(self.rng)
            chosen.setdefault(product.product_id, product)
        return list(chosen.values())

    def _address(self, firstname: str, lastname: str) -> Address:
        """An address outside the address book, for customers who never saved one."""
        rng = self.rng
        pools = self.pools
        region = self.catalog.regions[int(rng.random() * len(self.catalog.regions))]
        codes = pools.zip_codes[region.code]
        number = rng.randrange(1, 9999)
        return Address(
            customer_address_id=None,
            firstname=firstname,
            lastname=lastname,
            company=None,
            street=f"{number} {pools.streets[int(rng.random() * len(pools.streets))]}",
            city=pools.cities[int(rng.random() * len(pools.cities))],
            region=region.name,
            region_id=region.region_id,
            postcode=codes[int(rng.random() * len(codes))],
            telephone=(
                f"({rng.randrange(201, 990)}) {rng.randrange(200, 1000)}-"
                f"{rng.randrange(10_000):04d}"
            ),
        )

    # -- one customer --------------------------------------------------------------------------

    def customer(self, batch: Batch, ids: NextIds, shopper: Shopper) -> None:
        rng = self.rng
        self._orders(shopper)
        if rng.random() < 0.15:
            self._cart(batch, ids, shopper.website, shopper, None)
        if rng.random() < 0.2:
            self._wishlist(batch, ids, shopper)
        if rng.random() < 0.45:
            since = self._since(shopper.created_at, VIEW_WINDOW_SECONDS)
            views = self._products(shopper.website.website_id, rng.randrange(1, 13))
            for product in views:
                batch.rows[tables.VIEWS].append(
                    (
                        None,
                        shopper.customer_id,
                        product.product_id,
                        shopper.website.store_id,
                        self._between(since, self.anchor),
                    )
                )
        if rng.random() < 0.35:
            self._guest(batch, ids)

    def _orders(self, shopper: Shopper) -> None:
        rng = self.rng
        history_start = self.anchor - timedelta(seconds=ORDER_HISTORY_SECONDS)
        tenure = (self.anchor - shopper.created_at).total_seconds()
        mean = ORDERS_PER_TWO_YEARS * min(1.0, tenure / ORDER_HISTORY_SECONDS)
        # Geometric, so most customers order a few times and a few order very often.
        draw = rng.random()
        count = int(math.log(1 - draw) / math.log(mean / (1 + mean))) if mean > 0 else 0
        # VIPs were promoted at some point: before it they ordered in the website's default group.
        promoted = self._between(max(shopper.created_at, history_start), self.anchor)
        if shopper.group_id != self.catalog.vip_group_id:
            promoted = history_start
        earlier_group = (
            WHOLESALE_GROUP_ID
            if shopper.website.website_id == self.catalog.wholesale.website_id
            else GENERAL_GROUP_ID
        )
        start = max(0.0, (shopper.created_at - history_start).total_seconds())
        end = float(ORDER_HISTORY_SECONDS)
        if count and self.popular.get(shopper.website.website_id) is None:
            count = 0
        billing = shopper.billing or self._address(shopper.firstname, shopper.lastname)
        shipping = shopper.shipping or billing
        for _ in range(count):
            # More recent months are busier: the density of orders grows linearly over the two
            # years (inverse transform of F(t) = t², restricted to after registration).
            moment = math.sqrt(start * start + rng.random() * (end * end - start * start))
            created_at = history_start + timedelta(seconds=int(moment))
            age_days = (self.anchor - created_at).days
            if age_days < 3:
                state: str = self.fresh_states.draw(rng)
            elif age_days < 14:
                state = self.recent_states.draw(rng)
            else:
                state = self.settled_states.draw(rng)
            settle = rng.random()
            if state == "new":
                updated_at = created_at
            elif state == "processing":
                updated_at = created_at + timedelta(seconds=int(settle * 2 * DAY))
            else:
                updated_at = created_at + timedelta(seconds=int(settle * 7 * DAY))
            day = created_at.date()
            lines = [
                (product, self.quantities.draw(rng), product.price_on(day))
                for product in self._products(
                    shopper.website.website_id, self.line_counts.draw(rng)
                )
            ]
            self.pending.append(
                _Order(
                    shopper=shopper,
                    created_at=created_at,
                    updated_at=min(updated_at, self.loaded_at),
                    state=state,
                    group_id=shopper.group_id if created_at >= promoted else earlier_group,
                    lines=lines,
                    billing=billing,
                    shipping=shipping,
                )
            )

    def _cart(
        self,
        batch: Batch,
        ids: NextIds,
        website: WebsiteSlot,
        shopper: Shopper | None,
        visitor: tuple[int, datetime, datetime] | None,
    ) -> None:
        """An active cart of a customer, or of a guest visitor (id, first and last visit)."""
        rng = self.rng
        products = self._products(website.website_id, self.cart_lines.draw(rng))
        if shopper is not None:
            first = self._since(shopper.created_at, CART_WINDOW_SECONDS)
            created_at = self._between(first, self.anchor)
            updated_at = self._between(created_at, self.anchor)
        else:
            assert visitor is not None
            created_at, updated_at = visitor[1], visitor[2]
        bits = rng.getrandbits(64)
        if not products:
            return
        quote_id = ids.quote
        ids.quote += 1
        subtotal = 0
        qty_total = 0
        for product in products:
            qty = self.quantities.draw(rng)
            added_at = self._between(created_at, updated_at)
            price = product.price_on(self.today)
            row_total = price * qty
            subtotal += row_total
            qty_total += qty
            weight = product.weight
            batch.rows[tables.QUOTE_ITEMS].append(
                (
                    quote_id,
                    product.product_id,
                    added_at,
                    added_at,
                    PRODUCT_TYPE,
                    product.sku,
                    product.name,
                    QUANTITIES[qty],
                    weight,
                    weight * qty if weight is not None else ZERO_QTY,
                    money(price),
                    money(price),
                    money(product.price),
                    money(price),
                    money(row_total),
                    money(row_total),
                    money(row_total),
                    ZERO_PERCENT,
                    ZERO_MONEY,
                    ZERO_MONEY,
                    ZERO_MONEY,
                    ZERO_MONEY,
                )
            )
        group_id = shopper.group_id if shopper else NOT_LOGGED_IN_GROUP_ID
        total = money(subtotal)
        batch.rows[tables.QUOTES].append(
            (
                quote_id,
                website.store_id,
                shopper.customer_id if shopper else None,
                visitor[0] if visitor else None,
                created_at,
                updated_at,
                None,
                True,
                False,
                len(products),
                QUANTITIES[qty_total] if qty_total < 10 else Decimal(qty_total),
                shopper.email if shopper else None,
                group_id,
                self.shop.group_tax_classes.get(group_id),
                shopper is None,
                CURRENCY,
                CURRENCY,
                total,
                total,
                total,
                total,
                ZERO_MONEY,
                ZERO_MONEY,
                ZERO_MONEY,
                ZERO_MONEY,
                total,
                total,
                None,
                None,
            )
        )
        # Magento gives customer carts a masked id too, the `cart_id` of its GraphQL API.
        batch.rows[tables.QUOTE_MASKS].append((quote_id, masked_id(quote_id, bits)))

    def _wishlist(self, batch: Batch, ids: NextIds, shopper: Shopper) -> None:
        rng = self.rng
        products = self._products(shopper.website.website_id, rng.randrange(1, 7))
        shared = rng.random() < 0.1
        bits = rng.getrandbits(64)
        since = self._since(shopper.created_at, WISHLIST_WINDOW_SECONDS)
        added = [self._between(since, self.anchor) for _ in products]
        if not products:
            return
        wishlist_id = ids.wishlist
        ids.wishlist += 1
        batch.rows[tables.WISHLISTS].append(
            (
                wishlist_id,
                shopper.customer_id,
                shared,
                masked_id(wishlist_id, bits),
                None,
                False,
                max(added),
            )
        )
        for product, added_at in zip(products, added, strict=True):
            batch.rows[tables.WISHLIST_ITEMS].append(
                (wishlist_id, product.product_id, shopper.website.store_id, added_at, None, 1)
            )

    def _guest(self, batch: Batch, ids: NextIds) -> None:
        """A visitor who never signed in: product views, and sometimes a guest cart."""
        rng = self.rng
        website: WebsiteSlot = self.guest_websites.draw(rng)
        visitor_id = ids.visitor
        ids.visitor += 1
        first = self._between(self.anchor - timedelta(seconds=VISITOR_WINDOW_SECONDS), self.anchor)
        last = self._between(first, self.anchor)
        batch.rows[tables.VISITORS].append(
            (visitor_id, None, masked_id(visitor_id, rng.getrandbits(64)), first, last)
        )
        if rng.random() < 0.9:
            for product in self._products(website.website_id, rng.randrange(1, 9)):
                batch.rows[tables.VIEWS].append(
                    (
                        visitor_id,
                        None,
                        product.product_id,
                        website.store_id,
                        self._between(first, last),
                    )
                )
        if rng.random() < 0.4:
            self._cart(batch, ids, website, None, (visitor_id, first, last))

    # -- the batch's orders --------------------------------------------------------------------

    def finish(self, batch: Batch, ids: NextIds) -> None:
        """Numbers the batch's orders in date order and writes their rows."""
        orders = sorted(self.pending, key=lambda o: (o.created_at, o.shopper.customer_id))
        self.pending = []
        for order in orders:
            self._order_rows(batch, ids, order)

    def _order_rows(self, batch: Batch, ids: NextIds, order: _Order) -> None:
        shop = self.shop
        shopper = order.shopper
        order_id = ids.order
        ids.order += 1
        sequence = ids.increment
        ids.increment += 1
        store_id = shopper.website.store_id
        state = order.state
        customer_class = shop.group_tax_classes.get(order.group_id)
        region_id = order.shipping.region_id
        # Delta rounding per rate: exact tax so far (in millionths of a cent), and cents taken.
        exact: dict[int, int] = {}
        taken: dict[int, int] = {}
        subtotal = tax_total = qty_total = 0
        items = batch.rows[tables.ORDER_ITEMS]
        for product, qty, price in order.lines:
            row_total = price * qty
            rate = shop.rate(customer_class, product.tax_class_id, region_id)
            exact[rate] = exact.get(rate, 0) + row_total * rate
            tax = (exact[rate] + 500_000) // 1_000_000 - taken.get(rate, 0)
            taken[rate] = taken.get(rate, 0) + tax
            subtotal += row_total
            tax_total += tax
            qty_total += qty
            ordered = QUANTITIES[qty]
            settled = state in ("complete", "closed")
            tax_amount = money(tax)
            items.append(
                (
                    order_id,
                    product.product_id,
                    store_id,
                    order.created_at,
                    PRODUCT_TYPE,
                    product.sku,
                    product.name,
                    ordered,
                    ordered if settled or state == "processing" else ZERO_QTY,
                    ordered if settled else ZERO_QTY,
                    ordered if state == "closed" else ZERO_QTY,
                    ordered if state == "canceled" else ZERO_QTY,
                    money(price),
                    money(price),
                    money(product.price),
                    money(row_total),
                    money(row_total),
                    Decimal(rate).scaleb(-4),
                    tax_amount,
                    tax_amount,
                    ZERO_MONEY,
                    ZERO_MONEY,
                )
            )
        shipping = SHIPPING_CENTS_PER_ITEM * qty_total
        grand_total = money(subtotal + tax_total + shipping)
        batch.rows[tables.ORDERS].append(
            (
                order_id,
                f"{sequence:09d}",
                state,
                shop.statuses[state],
                store_id,
                shopper.customer_id,
                None,
                shopper.email,
                shopper.firstname,
                shopper.lastname,
                order.group_id,
                False,
                CURRENCY,
                CURRENCY,
                money(subtotal),
                money(subtotal),
                money(tax_total),
                money(tax_total),
                money(shipping),
                money(shipping),
                ZERO_MONEY,
                ZERO_MONEY,
                grand_total,
                grand_total,
                Decimal(qty_total),
                len(order.lines),
                SHIPPING_METHOD,
                SHIPPING_DESCRIPTION,
                order.created_at,
                order.updated_at,
            )
        )
        batch.rows[tables.ORDER_SEQUENCE].append((sequence,))
        addresses = batch.rows[tables.ORDER_ADDRESSES]
        for kind, address in (("billing", order.billing), ("shipping", order.shipping)):
            addresses.append(
                (
                    order_id,
                    address.customer_address_id,
                    kind,
                    shopper.email,
                    None,
                    address.firstname,
                    None,
                    address.lastname,
                    None,
                    address.company,
                    address.street,
                    address.city,
                    address.region,
                    address.region_id,
                    address.postcode,
                    COUNTRY,
                    address.telephone,
                    None,
                    None,
                )
            )
        batch.rows[tables.ORDER_PAYMENTS].append((order_id, PAYMENT_METHOD, grand_total))
