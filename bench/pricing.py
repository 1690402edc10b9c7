"""Pricing: `python -m bench pricing [--customers 2000] [--rounds 5] [--requests 100]`.

Two requests the prices of issue 6 sit in, each against a baseline measured in the same run:

- a customer's cart of 10 items (15 units, a US shipping address and the flat rate chosen) read
  with `cart { prices { ... discounts } itemsV2 { items { prices { discounts ... } } } }` while
  1,000 active cart price rules (website `base`, every group, inside their dates) and 100 active
  segments exist;
- a product listing page of 50 products (`products(filter: {price: {from: "0"}}, sort: {name:
  ASC}, pageSize: 50)` with `price_range` and `price_tiers`), as a guest and as the customer,
  while 200 catalog price rules exist, their index built. Sorted by name, so both shops list the
  same 50 products (sorted by price, the rules reorder the catalog and the two pages held
  different products: 10 configurables against 2, which cost more to price than the rules).

The rules are a realistic mix (`cart_rule_specs`, `catalog_rule_specs`): most cart rules are
gated by conditions that fail cheaply (subtotal, quantity, country, postcode, shipping method,
weight, a product that is not in the cart, a subselection), a tenth by a customer segment, a
twentieth need a coupon (one of them is applied to the cart), and about ten apply (every action,
a shipping discount, free shipping); catalog rules match by category, brand, colour, price,
attribute set or SKU, with every action, some with "discard subsequent rules", some for a few
groups only and some outside their dates.

One database is seeded (`seeds.loader.load`, the 100 segments of `bench live`, the shopper's cart
built over HTTP) and copied; the copy gets the rules, written through the models (conditions as
Magento JSON by `engine.rules.magento_json`) and the catalog rule index built by
`engine.pricing.rule_index`. The baseline is the original: the same shop, cart and queries with
no rule. Each database is served by its own server process (`python -m bench.pricing serve`:
the app of `mageseg serve`, its background runners off, with a `Server-Timing` header added
by an outer middleware: `app` = the handler's whole time, `totals` = time spent inside
`engine.carts.compute_totals`, `app-cpu` / `totals-cpu` the server process's CPU time over the
same spans, which other processes on a shared machine do not inflate). One client sends one
request at a time over a kept-alive loopback connection; cases and servers take turns within
each round (the order of the two servers alternates). p50 is the median of the per-round
medians, p99 is over every sample.

SQLite (with the in-memory cache) and PostgreSQL with Redis (database 7 by default) are measured
(`--backends`); PostgreSQL databases are created on the server of `--database-url` (default
`MAGESEG_BENCH_DATABASE_URL`, else the local server) and dropped afterwards. The section
"Pricing" of the output file (BENCHMARKS.md by default) is replaced, the rest of the file is
kept."""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import asyncpg
from aiohttp import web
from tortoise.context import TortoiseContext
from tortoise.transactions import in_transaction

from bench import live
from bench.databases import PostgresDatabases, SqliteDatabases, asyncpg_dsn, forget_compiled_sql
from bench.seeding import CHEAP_HASHER
from bench.stats import median, percentile
from engine.invalidation import Topic, touch
from engine.rules.tree import (
    CartAttribute,
    CartAttributeCondition,
    CartCombine,
    CartNode,
    CustomerSegmentCondition,
    ItemAttribute,
    ProductCombine,
    ProductCondition,
    ProductFound,
    ProductNode,
    ProductSubselect,
    SubselectAttribute,
)
from engine.segments.tree import Aggregator, Operator
from mageseg.database import tortoise_config
from models.pricing import CatalogRuleAction
from models.salesrules import CartRuleAction, CouponType, FreeShipping

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "BENCHMARKS.md"
SECTION = "## Pricing"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
WEBSITE_ID = 1  # "base"
GENERAL_GROUP_ID = 1
GROUP_IDS: tuple[int, ...] = (0, 1, 2, 3)  # NOT LOGGED IN, General, Wholesale, Retailer
CART_QTYS = (1, 2, 1, 1, 3, 1, 2, 1, 1, 2)  # 10 items, 15 units
APPLIED_COUPON = "BENCH-APPLIED"
TIMING_HEADER = "Server-Timing"
WARMUP_REQUESTS = 20

CART_QUERY = """query ($cart: String!) {
  cart(cart_id: $cart) {
    total_quantity
    applied_coupons { code }
    prices {
      grand_total { value currency }
      subtotal_excluding_tax { value }
      subtotal_with_discount_excluding_tax { value }
      applied_taxes { label amount { value } }
      discounts { label applied_to amount { value } coupon { code } }
    }
    itemsV2(pageSize: 20) {
      items {
        uid
        quantity
        prices {
          price { value }
          row_total { value }
          total_item_discount { value }
          discounts { label amount { value } }
        }
      }
    }
  }
}"""
# The cart query with the reward-points and store-credit fields, for the same cart with and
# without points and store credit applied (`checkout_balances.collect` after the grand total).
BALANCES_QUERY = CART_QUERY.replace(
    "    total_quantity\n",
    "    total_quantity\n"
    "    applied_reward_points { points money { value } }\n"
    "    applied_store_credit { applied_balance { value } current_balance { value } }\n",
    1,
)
APPLY_BALANCES = (
    """mutation ($cart: ID!) { applyRewardPointsToCart(cartId: $cart) { cart { id } } }""",
    """mutation ($cart: String!) {
  applyStoreCreditToCart(input: {cart_id: $cart}) { cart { id } }
}""",
)
BALANCE_POINTS = 1_000  # 100 points = $1 in the demo seed: $10
BALANCE_CREDIT = Decimal("20.00")
LISTING_QUERY = """{
  products(filter: {price: {from: "0"}}, pageSize: 50, sort: {name: ASC}) {
    total_count
    items {
      sku
      price_range {
        minimum_price {
          regular_price { value currency }
          final_price { value currency }
          discount { amount_off percent_off }
        }
        maximum_price {
          final_price { value }
          discount { amount_off percent_off }
        }
      }
      price_tiers { quantity final_price { value } discount { amount_off percent_off } }
    }
  }
}"""
ADD_ITEMS = """mutation ($cart: String!, $items: [CartItemInput!]!) {
  addProductsToCart(cartId: $cart, cartItems: $items) {
    cart { total_quantity } user_errors { code message }
  }
}"""
APPLY_COUPON = """mutation ($cart: String!, $code: String!) {
  applyCouponToCart(input: {cart_id: $cart, coupon_code: $code}) {
    cart { applied_coupons { code } }
  }
}"""
SEGMENTS_QUERY = "query ($cart: String!) { customerSegments(cartId: $cart) { uid } }"


# --- server time ------------------------------------------------------------------------------

_TOTALS: contextvars.ContextVar[list[tuple[float, float]] | None] = contextvars.ContextVar(
    "bench_totals", default=None
)


@web.middleware
async def server_timing(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """`Server-Timing: app;dur=<ms>, app-cpu;dur=<ms>[, totals;dur=<ms>, totals-cpu;dur=<ms>]`:
    the whole handler and the time spent inside `compute_totals` during it (summed when called
    more than once), wall time and the server process's CPU time (`time.process_time`: every
    thread of the process, the database driver's included; one request at a time, so it is
    this request's)."""
    spent: list[tuple[float, float]] = []
    token = _TOTALS.set(spent)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        response = await handler(request)
    finally:
        _TOTALS.reset(token)
    parts = [
        f"app;dur={(time.perf_counter() - started) * 1000:.3f}",
        f"app-cpu;dur={(time.process_time() - cpu) * 1000:.3f}",
    ]
    if spent:
        parts.append(f"totals;dur={sum(wall for wall, _ in spent) * 1000:.3f}")
        parts.append(f"totals-cpu;dur={sum(used for _, used in spent) * 1000:.3f}")
    response.headers[TIMING_HEADER] = ", ".join(parts)
    return response


def install_timing(app: web.Application) -> None:
    """Add the `Server-Timing` middleware (outermost) and time `engine.carts.compute_totals`
    (the graph layer calls it through the module, so replacing the attribute is enough)."""
    from engine import carts

    original = getattr(carts.compute_totals, "__wrapped__", carts.compute_totals)

    async def timed_totals(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return await original(*args, **kwargs)
        finally:
            spent = _TOTALS.get()
            if spent is not None:
                spent.append((time.perf_counter() - started, time.process_time() - cpu))

    timed_totals.__wrapped__ = original  # type: ignore[attr-defined]
    carts.compute_totals = timed_totals
    app.middlewares.insert(0, server_timing)


def parse_server_timing(header: str | None) -> dict[str, float]:
    """`app;dur=1.5, totals;dur=0.7` -> {"app": 1.5, "totals": 0.7}."""
    found: dict[str, float] = {}
    for part in (header or "").split(","):
        match = re.fullmatch(r"\s*([\w-]+);dur=([\d.]+)\s*", part)
        if match:
            found[match.group(1)] = float(match.group(2))
    return found


def serve() -> int:
    """`python -m bench.pricing serve`: the app on 127.0.0.1:$BENCH_PORT, settings from the
    environment (MAGESEG_*), with the timing middleware."""
    from mageseg.app import create_app
    from mageseg.settings import Settings

    app = create_app(Settings.from_env())
    install_timing(app)
    web.run_app(
        app,
        host="127.0.0.1",
        port=int(os.environ["BENCH_PORT"]),
        print=None,
        access_log=None,
        shutdown_timeout=2,
    )
    return 0


@asynccontextmanager
async def app_server(
    database_url: str, redis_url: str | None, namespace: str, log: Path
) -> AsyncIterator[str]:
    """A `serve` subprocess on `database_url`; yields its /graphql URL."""
    port = live.free_port()
    env = {
        **os.environ,
        "BENCH_PORT": str(port),
        "MAGESEG_DATABASE_URL": database_url,
        "MAGESEG_REDIS_URL": redis_url or "",
        "MAGESEG_CACHE_NAMESPACE": namespace,
        "MAGESEG_REFRESH_IN_PROCESS": "false",
        "MAGESEG_TIME_IN_PROCESS": "false",
        "MAGESEG_WEBHOOKS_IN_PROCESS": "false",
        "MAGESEG_LOG_LEVEL": "WARNING",
        "MAGESEG_GRAPHIQL": "false",
        "MAGESEG_SEED_ON_EMPTY": "false",
    }
    async with live._process([sys.executable, "-m", "bench.pricing", "serve"], env, log) as url:
        yield url


# --- the shop ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShopFacts:
    """What the rules are written against: the website's local date, categories with products,
    the promo attributes' option ids, the cart's products and the segments."""

    today: date
    category_ids: tuple[int, ...]
    brand_options: tuple[str, ...]
    color_options: tuple[str, ...]
    skus: tuple[str, ...]  # some products of the catalog (for SKU conditions)
    cart_skus: tuple[str, ...]
    cart_category_ids: tuple[int, ...]
    segment_ids: tuple[int, ...]
    attribute_set_id: int = 4


async def _scalars(conn: Any, sql: str) -> list[Any]:
    rows = await conn.execute_query_dict(sql)
    return [next(iter(row.values())) for row in rows]


async def _count(conn: Any, table: str) -> int:
    return int((await _scalars(conn, f"SELECT COUNT(*) AS n FROM {table}"))[0])


async def _options(conn: Any, code: str) -> tuple[str, ...]:
    return tuple(
        str(o)
        for o in await _scalars(
            conn,
            "SELECT o.option_id FROM eav_attribute_option o JOIN eav_attribute a "
            "ON a.attribute_id = o.attribute_id WHERE a.entity_type_id = 4 "
            f"AND a.attribute_code = '{code}' ORDER BY o.option_id",
        )
    )


def _in(values: Sequence[Any]) -> str:
    return ", ".join(f"'{str(v).replace(chr(39), '')}'" for v in values)


async def shop_facts(
    conn: Any, cart_skus: Sequence[str], segment_ids: Sequence[int], today: date
) -> ShopFacts:
    categories = await _scalars(
        conn,
        "SELECT c.entity_id FROM catalog_category_entity c WHERE c.level = 3 AND EXISTS "
        "(SELECT 1 FROM catalog_category_product p WHERE p.category_id = c.entity_id) "
        "ORDER BY c.entity_id",
    )
    skus = await _scalars(conn, "SELECT sku FROM catalog_product_entity ORDER BY entity_id")
    cart_categories: list[Any] = []
    if cart_skus:
        cart_categories = await _scalars(
            conn,
            "SELECT DISTINCT cp.category_id FROM catalog_category_product cp "
            "JOIN catalog_product_entity p ON p.entity_id = cp.product_id "
            f"WHERE p.sku IN ({_in(cart_skus)}) ORDER BY cp.category_id",
        )
    return ShopFacts(
        today=today,
        category_ids=tuple(int(c) for c in categories),
        brand_options=await _options(conn, "brand"),
        color_options=await _options(conn, "color"),
        skus=tuple(str(s) for s in skus),
        cart_skus=tuple(cart_skus),
        cart_category_ids=tuple(int(c) for c in cart_categories),
        segment_ids=tuple(segment_ids),
    )


async def local_today(conn: Any) -> date:
    zone = await _scalars(
        conn, f"SELECT timezone FROM store_website WHERE website_id = {WEBSITE_ID}"
    )
    return datetime.now(UTC).astimezone(ZoneInfo(str(zone[0] or "UTC"))).date()


# The promotions the demo seed creates (`seeds/promotions.py`), children first: the baseline has no
# rule, and the rules database exactly the bench's.
PROMOTION_TABLES = (
    "magento_banner_salesrule",
    "magento_banner_catalogrule",
    "mageseg_quote_coupon",
    "salesrule_coupon_usage",
    "salesrule_customer",
    "salesrule_coupon",
    "salesrule_label",
    "salesrule_customer_group",
    "salesrule_website",
    "salesrule",
    "catalogrule_product_price",
    "catalogrule_product",
    "catalogrule_customer_group",
    "catalogrule_website",
    "catalogrule",
)


async def remove_promotions(conn: Any) -> int:
    """Delete every cart and catalog rule (with their coupons, labels and index rows); returns
    how many rules there were. Tier prices stay (the same in both databases)."""
    rules = await _count(conn, "salesrule") + await _count(conn, "catalogrule")
    for table in PROMOTION_TABLES:
        await conn.execute_script(f"DELETE FROM {table}")
    await conn.execute_script("UPDATE quote SET coupon_code = NULL, applied_rule_ids = NULL")
    return rules


# --- cart rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartRuleSpec:
    kind: str  # "applies", "fails cheaply", "segment", "coupon"
    conditions: CartCombine
    actions: ProductCombine = field(default_factory=ProductCombine)
    simple_action: CartRuleAction = CartRuleAction.BY_PERCENT
    discount_amount: Decimal = Decimal(10)
    discount_qty: Decimal | None = None
    discount_step: int = 0
    apply_to_shipping: bool = False
    free_shipping: FreeShipping = FreeShipping.NONE
    stop: bool = False
    sort_order: int = 0
    coupon_type: CouponType = CouponType.NO_COUPON
    coupon_codes: tuple[str, ...] = ()
    label: str | None = None
    from_date: date | None = None
    to_date: date | None = None


def _cart(*conditions: CartNode, aggregator: Aggregator = Aggregator.ALL) -> CartCombine:
    return CartCombine(aggregator, True, tuple(conditions))


def _items(*conditions: ProductNode, aggregator: Aggregator = Aggregator.ALL) -> ProductCombine:
    return ProductCombine(aggregator, True, tuple(conditions))


def _attr(attribute: CartAttribute, operator: Operator, value: Any) -> CartAttributeCondition:
    return CartAttributeCondition(attribute, operator, value)


def _product(attribute: str, operator: Operator, value: Any) -> ProductCondition:
    return ProductCondition(attribute, operator, value)


def _applying_rules(facts: ShopFacts) -> list[CartRuleSpec]:
    """About ten rules that apply to the bench cart: every action, a shipping discount, free
    shipping for one item (the shipping of the others stays, so the shipping discount shows),
    the coupon the cart carries."""
    category = str(facts.cart_category_ids[0]) if facts.cart_category_ids else "3"
    first_sku = facts.cart_skus[0] if facts.cart_skus else "WT-0001"
    subtotal, country = CartAttribute.BASE_SUBTOTAL, CartAttribute.COUNTRY_ID
    p = CartRuleAction
    return [
        CartRuleSpec("applies", _cart(), label="Everything 5% off", discount_amount=Decimal(5)),
        CartRuleSpec(
            "applies",
            _cart(),
            _items(_product("category_ids", Operator.IS, category)),
            simple_action=p.BY_FIXED,
            discount_amount=Decimal(1),
        ),
        CartRuleSpec(
            "applies",
            _cart(_attr(subtotal, Operator.GREATER_OR_EQUAL, Decimal(50))),
            simple_action=p.CART_FIXED,
            discount_amount=Decimal(15),
            label="15 off orders over 50",
        ),
        CartRuleSpec(
            "applies",
            _cart(),
            _items(
                _product(ItemAttribute.QUOTE_ITEM_QTY.value, Operator.GREATER_OR_EQUAL, Decimal(2))
            ),
            simple_action=p.BUY_X_GET_Y,
            discount_amount=Decimal(1),
            discount_step=1,
        ),
        CartRuleSpec(
            "applies",
            _cart(_attr(country, Operator.IS, "US")),
            discount_amount=Decimal(10),
            apply_to_shipping=True,
            label="10% off with shipping",
        ),
        CartRuleSpec(
            "applies",
            _cart(),
            _items(_product("sku", Operator.IS, first_sku)),
            discount_amount=Decimal(0),
            free_shipping=FreeShipping.MATCHING_ITEMS_ONLY,
        ),
        CartRuleSpec(
            "applies",
            _cart(ProductFound(True, Aggregator.ALL, (_product("sku", Operator.IS, first_sku),))),
            discount_amount=Decimal(3),
        ),
        CartRuleSpec("applies", _cart(), discount_amount=Decimal(2), discount_qty=Decimal(2)),
        CartRuleSpec(
            "applies",
            _cart(
                ProductSubselect(
                    SubselectAttribute.QTY, Operator.GREATER_OR_EQUAL, Decimal(3), Aggregator.ALL
                )
            ),
            simple_action=p.BY_FIXED,
            discount_amount=Decimal(2),
        ),
        CartRuleSpec(
            "applies",
            _cart(),
            discount_amount=Decimal(10),
            coupon_type=CouponType.SPECIFIC_COUPON,
            coupon_codes=(APPLIED_COUPON,),
        ),
    ]


def _failing_rule(i: int, facts: ShopFacts, rng: random.Random) -> CartRuleSpec:
    """A rule whose conditions fail for the bench cart, cheaply (one of nine shapes)."""
    a = CartAttribute
    category = str(rng.choice(facts.category_ids)) if facts.category_ids else "3"
    shapes: list[CartNode] = [
        _attr(a.BASE_SUBTOTAL, Operator.GREATER_OR_EQUAL, Decimal(100_000 + i)),
        _attr(a.TOTAL_QTY, Operator.GREATER_OR_EQUAL, Decimal(500 + i)),
        _attr(a.COUNTRY_ID, Operator.IS, rng.choice(("FR", "DE", "GB", "CA", "JP"))),
        _attr(a.POSTCODE, Operator.IS, str(90_000 + i)),
        ProductFound(True, Aggregator.ALL, (_product("sku", Operator.IS, f"NO-SUCH-{i}"),)),
        ProductSubselect(
            SubselectAttribute.QTY,
            Operator.GREATER_OR_EQUAL,
            Decimal(100 + i),
            Aggregator.ALL,
            (_product("category_ids", Operator.IS, category),),
        ),
        _cart(
            _attr(a.WEIGHT, Operator.GREATER_OR_EQUAL, Decimal(10_000)),
            _attr(a.BASE_SUBTOTAL_WITH_DISCOUNT, Operator.GREATER_OR_EQUAL, Decimal(100_000)),
            aggregator=Aggregator.ANY,
        ),
        _attr(a.SHIPPING_METHOD, Operator.IS, "tablerate_bestway"),
        _attr(a.REGION_ID, Operator.IS, "12"),
    ]
    actions = rng.choice((CartRuleAction.BY_PERCENT, CartRuleAction.BY_FIXED))
    return CartRuleSpec(
        "fails cheaply",
        _cart(shapes[i % len(shapes)]),
        simple_action=actions,
        discount_amount=Decimal(rng.randint(1, 30)),
        stop=rng.random() < 0.5,
    )


def _segment_rule(facts: ShopFacts, rng: random.Random) -> CartRuleSpec:
    ids = facts.segment_ids or (1,)
    chosen = tuple(sorted(rng.sample(ids, min(len(ids), rng.randint(1, 3)))))
    operator = rng.choice((Operator.IS, Operator.ONE_OF, Operator.NOT_ONE_OF))
    if operator is Operator.NOT_ONE_OF:
        # "is not one of" holds for most shoppers: keep it gated by a failing subtotal too.
        conditions = _cart(
            CustomerSegmentCondition(operator, chosen),
            _attr(CartAttribute.BASE_SUBTOTAL, Operator.GREATER_OR_EQUAL, Decimal(100_000)),
        )
    else:
        conditions = _cart(CustomerSegmentCondition(operator, chosen))
    category = str(rng.choice(facts.category_ids)) if facts.category_ids else "3"
    return CartRuleSpec(
        "segment",
        conditions,
        _items(_product("category_ids", Operator.IS, category)),
        discount_amount=Decimal(rng.randint(1, 5)),
    )


def _coupon_rule(i: int, rng: random.Random) -> CartRuleSpec:
    if i % 5 == 4:
        codes = tuple(f"BENCH-AUTO-{i:04d}-{n:02d}" for n in range(20))
        return CartRuleSpec(
            "coupon",
            _cart(),
            discount_amount=Decimal(rng.randint(5, 20)),
            coupon_type=CouponType.AUTO,
            coupon_codes=codes,
        )
    return CartRuleSpec(
        "coupon",
        _cart(),
        discount_amount=Decimal(rng.randint(5, 20)),
        coupon_type=CouponType.SPECIFIC_COUPON,
        coupon_codes=(f"BENCH-{i:04d}",),
    )


def cart_rule_specs(count: int, facts: ShopFacts, seed: int = 6) -> list[CartRuleSpec]:
    """`count` active cart rules: about 10 that apply, a tenth segment-gated, a twentieth coupon
    rules (the applied coupon's rule among the ten), the rest failing cheaply; priorities
    shuffled so the applying ones are spread among the others, labels on a quarter, a third
    with dates around today. None stops later rules but some of those that never apply."""
    rng = random.Random(seed)
    applying = _applying_rules(facts)[: min(10, max(count // 10, min(count, 1)))]
    segments = count // 10
    coupons = count // 20
    failing = max(0, count - len(applying) - segments - coupons)
    specs = (
        applying
        + [_segment_rule(facts, rng) for _ in range(segments)]
        + [_coupon_rule(i, rng) for i in range(coupons)]
        + [_failing_rule(i, facts, rng) for i in range(failing)]
    )
    priorities = list(range(len(specs)))
    rng.shuffle(priorities)
    out = []
    for number, (spec, priority) in enumerate(zip(specs, priorities, strict=True)):
        dates: tuple[date | None, date | None] = (None, None)
        if number % 3 == 1:
            dates = (facts.today - timedelta(days=30), None)
        elif number % 3 == 2:
            dates = (facts.today - timedelta(days=10), facts.today + timedelta(days=60))
        label = spec.label
        if label is None and number % 4 == 0:
            label = f"Bench rule {number + 1}"
        out.append(
            replace(spec, sort_order=priority, label=label, from_date=dates[0], to_date=dates[1])
        )
    return out


def _dump(function: str, tree: Any) -> str:
    from engine.rules import magento_json

    dumped = getattr(magento_json, function)(tree)
    return dumped if isinstance(dumped, str) else json.dumps(dumped)


async def seed_cart_rules(specs: Sequence[CartRuleSpec]) -> int:
    """Write the rules (one transaction) with their website, groups, label and coupons; returns
    the number of coupon codes written."""
    from models.salesrules import (
        CouponCreationType,
        Salesrule,
        SalesruleCoupon,
        SalesruleCustomerGroup,
        SalesruleLabel,
        SalesruleWebsite,
    )

    codes = 0
    async with in_transaction():
        for number, spec in enumerate(specs, start=1):
            rule = await Salesrule.create(
                name=f"bench pricing cart rule {number:04d} ({spec.kind})",
                is_active=True,
                from_date=spec.from_date,
                to_date=spec.to_date,
                conditions_serialized=_dump("dump_cart_conditions", spec.conditions),
                actions_serialized=_dump("dump_cart_actions", spec.actions),
                stop_rules_processing=spec.stop,
                sort_order=spec.sort_order,
                simple_action=spec.simple_action,
                discount_amount=spec.discount_amount,
                discount_qty=spec.discount_qty,
                discount_step=spec.discount_step,
                apply_to_shipping=spec.apply_to_shipping,
                simple_free_shipping=spec.free_shipping,
                coupon_type=spec.coupon_type,
                use_auto_generation=spec.coupon_type is CouponType.AUTO,
                uses_per_coupon=0,
                uses_per_customer=0,
            )
            await SalesruleWebsite.create(rule=rule, website_id=WEBSITE_ID)
            await SalesruleCustomerGroup.bulk_create(
                [SalesruleCustomerGroup(rule=rule, customer_group_id=g) for g in GROUP_IDS]
            )
            if spec.label is not None:
                await SalesruleLabel.create(rule=rule, store_id=0, label=spec.label)
            if spec.coupon_codes:
                generated = spec.coupon_type is CouponType.AUTO
                await SalesruleCoupon.bulk_create(
                    [
                        SalesruleCoupon(
                            rule=rule,
                            code=code,
                            usage_limit=0,
                            usage_per_customer=0,
                            is_primary=None if generated else True,
                            type=(
                                CouponCreationType.GENERATED
                                if generated
                                else CouponCreationType.MANUAL
                            ),
                        )
                        for code in spec.coupon_codes
                    ]
                )
                codes += len(spec.coupon_codes)
        touch(Topic.PROMOTIONS)
    return codes


# --- catalog rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogRuleSpec:
    kind: str
    conditions: ProductCombine
    simple_action: CatalogRuleAction
    discount_amount: Decimal
    stop: bool
    sort_order: int
    group_ids: tuple[int, ...]
    from_date: date | None = None
    to_date: date | None = None


def _catalog_conditions(i: int, facts: ShopFacts, rng: random.Random) -> tuple[str, ProductCombine]:
    """Rule `i`'s conditions, narrow as merchants write them: about ten rules hold for a product
    (for one group), two sitewide rules among them."""
    categories = facts.category_ids or (3,)
    brands = facts.brand_options or ("1",)
    colors = facts.color_options or ("1",)
    skus = facts.skus or ("WT-0001",)
    shape = i % 10
    if shape in (0, 1, 2):
        category = str(rng.choice(categories))
        return "category", _items(_product("category_ids", Operator.IS, category))
    if shape == 3:
        return "brand", _items(_product("brand", Operator.IS, rng.choice(brands)))
    if shape == 4:
        return "colour", _items(_product("color", Operator.IS, rng.choice(colors)))
    if shape == 5:
        return "category and price", _items(
            _product("category_ids", Operator.IS, str(rng.choice(categories))),
            _product("price", Operator.GREATER_OR_EQUAL, Decimal(rng.randint(20, 90))),
        )
    if shape == 6:
        return "category and brand", _items(
            _product("category_ids", Operator.IS, str(rng.choice(categories))),
            _product("brand", Operator.IS, rng.choice(brands)),
        )
    if shape == 7:
        return "brand and price", _items(
            _product("brand", Operator.IS, rng.choice(brands)),
            _product("price", Operator.GREATER_OR_EQUAL, Decimal(rng.randint(20, 90))),
        )
    if shape == 8:
        chosen = tuple(rng.sample(skus, min(5, len(skus))))
        return "sku", _items(_product("sku", Operator.ONE_OF, chosen))
    if i < 20:
        return "sitewide (attribute set)", _items(
            _product("attribute_set_id", Operator.IS, str(facts.attribute_set_id))
        )
    chosen = tuple(rng.sample(colors, min(2, len(colors))))
    return "colour or brand", _items(
        _product("color", Operator.ONE_OF, chosen),
        _product("brand", Operator.IS, rng.choice(brands)),
        aggregator=Aggregator.ANY,
    )


def catalog_rule_specs(count: int, facts: ShopFacts, seed: int = 7) -> list[CatalogRuleSpec]:
    """`count` active catalog rules: conditions on one category (30%), a brand, a colour,
    category and price, category and brand, brand and price, five SKUs (10% each), two sitewide
    (attribute set) and colours or brand (the rest); the four actions in turn; a quarter
    discard subsequent rules; a quarter for one or two groups only; 70% without dates, 20%
    around today, 10% starting after tomorrow (indexed, not applying today)."""
    rng = random.Random(seed)
    actions = (
        (CatalogRuleAction.BY_PERCENT, 5, 30),
        (CatalogRuleAction.BY_FIXED, 1, 10),
        (CatalogRuleAction.TO_PERCENT, 70, 95),
        (CatalogRuleAction.TO_FIXED, 10, 100),
    )
    out = []
    for i in range(count):
        kind, conditions = _catalog_conditions(i, facts, rng)
        action, low, high = actions[i % len(actions)]
        amount = Decimal(rng.randint(low, high))
        groups = GROUP_IDS
        if rng.random() < 0.25:
            groups = tuple(sorted(rng.sample(GROUP_IDS, rng.randint(1, 2))))
        window = rng.random()
        dates: tuple[date | None, date | None] = (None, None)
        if window >= 0.9:
            dates = (facts.today + timedelta(days=3), None)
        elif window >= 0.7:
            dates = (facts.today - timedelta(days=20), facts.today + timedelta(days=20))
        out.append(
            CatalogRuleSpec(
                kind,
                conditions,
                action,
                amount,
                rng.random() < 0.25,
                rng.randint(0, count),
                groups,
                *dates,
            )
        )
    return out


async def seed_catalog_rules(specs: Sequence[CatalogRuleSpec]) -> None:
    from models.pricing import Catalogrule, CatalogruleCustomerGroup, CatalogruleWebsite

    async with in_transaction():
        for number, spec in enumerate(specs, start=1):
            rule = await Catalogrule.create(
                name=f"bench pricing catalog rule {number:03d} ({spec.kind})",
                is_active=True,
                from_date=spec.from_date,
                to_date=spec.to_date,
                conditions_serialized=_dump("dump_catalog_conditions", spec.conditions),
                stop_rules_processing=spec.stop,
                sort_order=spec.sort_order,
                simple_action=spec.simple_action,
                discount_amount=spec.discount_amount,
            )
            await CatalogruleWebsite.create(rule=rule, website_id=WEBSITE_ID)
            await CatalogruleCustomerGroup.bulk_create(
                [CatalogruleCustomerGroup(rule=rule, customer_group_id=g) for g in spec.group_ids]
            )
        touch(Topic.PROMOTIONS)


async def build_catalog_index() -> None:
    """Magento's "Apply Rules": a full reindex of `catalogrule_product` and of the price days
    (`engine.pricing.catalog_rules.apply_all`, one transaction)."""
    from engine.pricing import catalog_rules

    await catalog_rules.apply_all()


# --- the shopper and the cart -----------------------------------------------------------------


@dataclass
class Shopper:
    customer_id: int
    token: str
    cart: str = ""
    skus: tuple[str, ...] = ()
    segments: int = 0  # live segments of the shopper, on the cart
    other: Shopper | None = None
    """A second shopper with the same cart, paying with reward points and store credit."""


async def pick_shopper(conn: Any, exclude: Sequence[int] = ()) -> Shopper:
    """The first customer of website `base` in group General with no active cart, and a token."""
    skip = f"AND c.entity_id NOT IN ({_in(exclude)}) " if exclude else ""
    found = await _scalars(
        conn,
        f"SELECT c.entity_id FROM customer_entity c WHERE c.website_id = {WEBSITE_ID} "
        f"AND c.group_id = {GENERAL_GROUP_ID} {skip}AND NOT EXISTS (SELECT 1 FROM quote q "
        "WHERE q.customer_id = c.entity_id AND q.is_active) ORDER BY c.entity_id LIMIT 1",
    )
    if not found:
        raise RuntimeError("no General customer of website base without an active cart")
    customer_id = int(found[0])
    (token,) = await live.issue_tokens(conn, [customer_id])
    return Shopper(customer_id, token)


async def candidate_skus(conn: Any) -> list[str]:
    return [
        str(s)
        for s in await _scalars(
            conn,
            "SELECT p.sku FROM catalog_product_entity p JOIN cataloginventory_stock_item s "
            "ON s.product_id = p.entity_id WHERE p.type_id = 'simple' AND s.is_in_stock "
            "AND s.qty >= 50 ORDER BY p.entity_id",
        )
    ]


async def build_cart(url: str, shopper: Shopper, skus: Sequence[str]) -> None:
    """The shopper's cart over HTTP: 10 products (15 units), shipping address in Texas, billing
    the same, the flat rate."""
    async with aiohttp.ClientSession() as session:
        opened = await live.graphql(session, url, live.CUSTOMER_CART, shopper.token)
        shopper.cart = str(opened["data"]["customerCart"]["id"])
        added: list[str] = []
        for sku in skus:
            if len(added) == len(CART_QTYS):
                break
            qty = CART_QTYS[len(added)]
            answer = await live.graphql(
                session,
                url,
                ADD_ITEMS,
                shopper.token,
                cart=shopper.cart,
                items=[{"sku": sku, "quantity": qty}],
            )
            if not answer["data"]["addProductsToCart"]["user_errors"]:
                added.append(sku)
        if len(added) < len(CART_QTYS):
            raise RuntimeError(f"only {len(added)} products could be added to the cart")
        shopper.skus = tuple(added)
        for query, variables in live.CHECKOUT[:3]:
            await live.graphql(session, url, query, shopper.token, cart=shopper.cart, **variables)
        segments = await live.graphql(session, url, SEGMENTS_QUERY, shopper.token, cart="")
        shopper.segments = len(segments["data"]["customerSegments"])


async def give_balances(shopper: Shopper) -> None:
    """Points and store credit for the shopper (through the engine, as an admin would)."""
    from tortoise.transactions import in_transaction

    from engine import balance
    from engine.rewards import ledger
    from engine.stores import load_snapshot
    from models import RewardAction

    stores = await load_snapshot()
    async with in_transaction():
        await ledger.change(
            ledger.Change(shopper.customer_id, WEBSITE_ID, BALANCE_POINTS, RewardAction.ADMIN),
            stores,
        )
        await balance.apply(
            shopper.customer_id,
            [balance.BalanceChange(WEBSITE_ID, delta=BALANCE_CREDIT)],
            WEBSITE_ID,
            stores,
        )


async def apply_balances(url: str, shopper: Shopper) -> None:
    """`applyRewardPointsToCart` and `applyStoreCreditToCart` on the shopper's cart."""
    async with aiohttp.ClientSession() as session:
        for query in APPLY_BALANCES:
            await live.graphql(session, url, query, shopper.token, cart=shopper.cart)


async def apply_coupon(url: str, shopper: Shopper) -> str | None:
    """Apply the bench coupon through `applyCouponToCart`; the error text when that fails."""
    async with aiohttp.ClientSession() as session:
        try:
            await live.graphql(
                session, url, APPLY_COUPON, shopper.token, cart=shopper.cart, code=APPLIED_COUPON
            )
        except RuntimeError as error:
            return str(error)[:300]
    return None


# --- databases --------------------------------------------------------------------------------


@asynccontextmanager
async def copy_database(url: str, admin_url: str | None) -> AsyncIterator[str]:
    """A copy of the (closed) database at `url`: a file copy for SQLite, `CREATE DATABASE ...
    TEMPLATE` for PostgreSQL (through `admin_url`)."""
    forget_compiled_sql()
    if url.startswith("sqlite://"):
        source = Path(url.removeprefix("sqlite://"))
        target = source.with_name(f"{source.stem}-rules{source.suffix}")
        shutil.copy(source, target)
        try:
            yield f"sqlite://{target}"
        finally:
            for leftover in target.parent.glob(f"{target.name}*"):
                leftover.unlink()
        return
    assert admin_url is not None
    base, _, name = url.rpartition("/")
    copy = f"{name}_rules"
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        await conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
        try:
            yield f"{base}/{copy}"
        finally:
            await conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    finally:
        await conn.close()


@asynccontextmanager
async def orm(url: str) -> AsyncIterator[Any]:
    """The ORM on `url`; yields the default connection."""
    forget_compiled_sql()
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        yield ctx.connections.get("default")


# --- measuring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    key: str
    label: str
    query: str
    signed_in: bool
    cart: bool = False
    balances: bool = False
    """Asked by the second shopper, whose cart pays with points and store credit."""


CASES = (
    Case(
        "cart",
        "customer cart, 10 items: `cart { prices, items' discounts }`",
        CART_QUERY,
        True,
        True,
    ),
    Case(
        "cart-fields",
        "the same with `applied_reward_points applied_store_credit`, none applied",
        BALANCES_QUERY,
        True,
        True,
    ),
    Case(
        "cart-balances",
        "the same cart (another customer) with 1,000 points and 20.00 store credit applied",
        BALANCES_QUERY,
        True,
        True,
        balances=True,
    ),
    Case("listing-guest", "listing, 50 products, guest", LISTING_QUERY, False),
    Case("listing-customer", "listing, 50 products, customer (General)", LISTING_QUERY, True),
)


@dataclass
class Samples:
    """One case on one server: every sample, and each round's median."""

    client: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)
    totals: list[float] = field(default_factory=list)
    server_cpu: list[float] = field(default_factory=list)
    totals_cpu: list[float] = field(default_factory=list)
    round_client: list[float] = field(default_factory=list)
    round_server: list[float] = field(default_factory=list)
    round_totals: list[float] = field(default_factory=list)
    round_server_cpu: list[float] = field(default_factory=list)
    round_totals_cpu: list[float] = field(default_factory=list)

    def add_round(
        self,
        client: list[float],
        server: list[float],
        totals: list[float],
        server_cpu: Sequence[float] = (),
        totals_cpu: Sequence[float] = (),
    ) -> None:
        self.client += client
        self.server += server
        self.totals += totals
        self.server_cpu += server_cpu
        self.totals_cpu += totals_cpu
        self.round_client.append(median(client))
        for samples, rounds in (
            (server, self.round_server),
            (totals, self.round_totals),
            (list(server_cpu), self.round_server_cpu),
            (list(totals_cpu), self.round_totals_cpu),
        ):
            if samples:
                rounds.append(median(samples))


def _p50(rounds: list[float]) -> float | None:
    return median(rounds) if rounds else None


def _p99(samples: list[float]) -> float | None:
    return percentile(samples, 0.99) if samples else None


@dataclass
class CaseResult:
    case: Case
    baseline: Samples = field(default_factory=Samples)
    rules: Samples = field(default_factory=Samples)


@dataclass
class BackendResult:
    backend: str
    cache: str
    customers: int
    cart_rules: int
    catalog_rules: int
    segments: int
    cases: list[CaseResult]
    notes: list[str] = field(default_factory=list)


def _shopper_for(case: Case, shopper: Shopper) -> Shopper:
    return shopper.other if case.balances and shopper.other is not None else shopper


def _body(case: Case, shopper: Shopper) -> bytes:
    shopper = _shopper_for(case, shopper)
    variables = {"cart": shopper.cart} if case.cart else {}
    return json.dumps({"query": case.query, "variables": variables}).encode()


def _headers(case: Case, shopper: Shopper) -> dict[str, str]:
    shopper = _shopper_for(case, shopper)
    return live.headers_for(shopper.token if case.signed_in else None)


async def timed_request(
    session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
) -> tuple[float, dict[str, float], bytes]:
    """One request: its round trip in ms, its Server-Timing parts, its body (checked)."""
    started = time.perf_counter()
    async with session.post(url, data=body, headers=headers) as response:
        raw = await response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200 or b'"errors"' in raw:
        raise RuntimeError(f"answered {response.status}: {raw[:500]!r}")
    return elapsed, parse_server_timing(response.headers.get(TIMING_HEADER)), raw


async def measure_cases(
    urls: dict[str, str],
    shopper: Shopper,
    cases: Sequence[Case],
    *,
    rounds: int,
    requests: int,
    warmup: int = WARMUP_REQUESTS,
) -> list[CaseResult]:
    """`urls` = {"baseline": ..., "rules": ...}. Cases take turns within each round, the two
    servers alternate which goes first."""
    results = [CaseResult(case) for case in cases]
    async with aiohttp.ClientSession() as session:
        for result in results:
            body, headers = _body(result.case, shopper), _headers(result.case, shopper)
            for url in urls.values():
                for _ in range(warmup):
                    await timed_request(session, url, body, headers)
        for number in range(rounds):
            order = ("baseline", "rules") if number % 2 == 0 else ("rules", "baseline")
            for result in results:
                body, headers = _body(result.case, shopper), _headers(result.case, shopper)
                for which in order:
                    client: list[float] = []
                    server: list[float] = []
                    totals: list[float] = []
                    server_cpu: list[float] = []
                    totals_cpu: list[float] = []
                    for _ in range(requests):
                        elapsed, timing, _ = await timed_request(
                            session, urls[which], body, headers
                        )
                        client.append(elapsed)
                        if "app" in timing:
                            server.append(timing["app"])
                        if "totals" in timing:
                            totals.append(timing["totals"])
                        if "app-cpu" in timing:
                            server_cpu.append(timing["app-cpu"])
                        if "totals-cpu" in timing:
                            totals_cpu.append(timing["totals-cpu"])
                    getattr(result, which).add_round(client, server, totals, server_cpu, totals_cpu)
            print(f"  round {number + 1}/{rounds}: {_round_line(results)}", file=sys.stderr)
    return results


def _round_line(results: list[CaseResult]) -> str:
    return "; ".join(
        f"{r.case.key} {r.baseline.round_client[-1]:.2f} / {r.rules.round_client[-1]:.2f} ms"
        for r in results
    )


async def describe_answers(urls: dict[str, str], shopper: Shopper) -> list[str]:
    """What the two servers answer (so the report says the rules did something)."""
    notes = []
    async with aiohttp.ClientSession() as session:
        for which, url in urls.items():
            _, _, raw = await timed_request(
                session, url, _body(CASES[0], shopper), _headers(CASES[0], shopper)
            )
            cart = json.loads(raw)["data"]["cart"]
            prices = cart["prices"]
            discounts = prices.get("discounts") or []
            item_discounts = sum(
                len(item["prices"].get("discounts") or []) for item in cart["itemsV2"]["items"]
            )
            total = sum(Decimal(str(d["amount"]["value"])) for d in discounts)
            applied = Counter(d["applied_to"] for d in discounts)
            coupons = [c["code"] for c in cart.get("applied_coupons") or []]
            notes.append(
                f"{which}: cart grand total {prices['grand_total']['value']}, "
                f"subtotal {prices['subtotal_excluding_tax']['value']}, {len(discounts)} "
                f"discounts ({dict(applied)}) totalling {total}, {item_discounts} item "
                f"discount lines, coupons {coupons}"
            )
            if shopper.other is not None:
                balances = next(c for c in CASES if c.balances)
                _, _, raw = await timed_request(
                    session, url, _body(balances, shopper), _headers(balances, shopper)
                )
                other = json.loads(raw)["data"]["cart"]
                notes.append(
                    f"{which}, {balances.key}: grand total "
                    f"{other['prices']['grand_total']['value']}, "
                    f"points {other['applied_reward_points']}, store credit "
                    f"{other['applied_store_credit']}"
                )
            for case in CASES:
                if case.cart:
                    continue
                _, _, raw = await timed_request(
                    session, url, _body(case, shopper), _headers(case, shopper)
                )
                items = json.loads(raw)["data"]["products"]["items"]
                discounted = sum(
                    1
                    for item in items
                    if item["price_range"]["minimum_price"]["final_price"]["value"]
                    < item["price_range"]["minimum_price"]["regular_price"]["value"]
                )
                notes.append(
                    f"{which}, {case.key}: {len(items)} products, {discounted} below their "
                    "regular price"
                )
    return notes


async def measure_backend(
    backend: str,
    base_url: str,
    admin_url: str | None,
    redis_url: str | None,
    args: argparse.Namespace,
    folder: Path,
) -> BackendResult:
    """Seed `base_url` (a fresh migrated database), copy it, add the rules to the copy, measure
    both."""
    from bench.live import create_segments
    from seeds.loader import load

    log = folder / f"{backend.lower()}-server.log"
    prefix = f"bench-pricing-{uuid.uuid4().hex[:8]}"
    print(f"{backend}: seeding {args.customers:,} customers and 100 segments...", file=sys.stderr)
    async with orm(base_url) as conn:
        await load(args.customers, progress=False, hasher=CHEAP_HASHER)
        demo_rules = await remove_promotions(conn)
        segment_ids = await create_segments(conn)
        shopper = await pick_shopper(conn)
        shopper.other = await pick_shopper(conn, exclude=[shopper.customer_id])
        await give_balances(shopper.other)
        skus = await candidate_skus(conn)
        today = await local_today(conn)
    async with app_server(base_url, redis_url, f"{prefix}-setup", log) as url:
        await build_cart(url, shopper, skus)
        await build_cart(url, shopper.other, skus)
        await apply_balances(url, shopper.other)
    notes = [
        f"the demo seed's {demo_rules} rules removed from both databases",
        f"the shopper is in {shopper.segments} of the {len(segment_ids)} segments",
    ]
    async with copy_database(base_url, admin_url) as rules_url:
        print(f"{backend}: writing the rules...", file=sys.stderr)
        async with orm(rules_url) as conn:
            facts = await shop_facts(conn, shopper.skus, segment_ids, today)
            cart_specs = cart_rule_specs(args.cart_rules, facts)
            catalog_specs = catalog_rule_specs(args.catalog_rules, facts)
            started = time.perf_counter()
            codes = await seed_cart_rules(cart_specs)
            await seed_catalog_rules(catalog_specs)
            written = time.perf_counter() - started
            started = time.perf_counter()
            await build_catalog_index()
            indexed = time.perf_counter() - started
            matches = await _count(conn, "catalogrule_product")
            prices = await _count(conn, "catalogrule_product_price")
        kinds = Counter(s.kind for s in cart_specs)
        notes.append(
            "cart rules: "
            + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
            + f" ({codes} coupon codes); catalog rules: {len(catalog_specs)}, "
            f"{matches:,} `catalogrule_product` rows, {prices:,} `catalogrule_product_price` "
            f"rows; written in {written:.1f} s, index built in {indexed:.1f} s"
        )
        async with (
            app_server(base_url, redis_url, f"{prefix}-baseline", log) as baseline_url,
            app_server(rules_url, redis_url, f"{prefix}-rules", log) as rules_url_http,
        ):
            failure = await apply_coupon(rules_url_http, shopper)
            if shopper.other is not None:
                await apply_coupon(rules_url_http, shopper.other)
            if failure:
                notes.append(f"`applyCouponToCart` failed, the cart carries no coupon: {failure}")
            urls = {"baseline": baseline_url, "rules": rules_url_http}
            notes += await describe_answers(urls, shopper)
            print(f"{backend}: measuring...", file=sys.stderr)
            results = await measure_cases(
                urls, shopper, CASES, rounds=args.rounds, requests=args.requests
            )
    await live._flush_namespace(redis_url, prefix)
    return BackendResult(
        backend=backend,
        cache="Redis" if redis_url else "in-memory cache",
        customers=args.customers,
        cart_rules=len(cart_specs),
        catalog_rules=len(catalog_specs),
        segments=len(segment_ids),
        cases=results,
        notes=notes,
    )


async def run(args: argparse.Namespace) -> list[BackendResult]:
    results = []
    folder = Path(tempfile.mkdtemp(prefix="mageseg-bench-pricing-"))
    print(f"Logs in {folder}", file=sys.stderr)
    backends = {b.strip().lower() for b in args.backends.split(",") if b.strip()}
    try:
        if "sqlite" in backends:
            sqlite = SqliteDatabases(folder)
            await sqlite.prepare()
            async with sqlite.fresh() as url:
                results.append(await measure_backend("SQLite", url, None, None, args, folder))
        if "postgres" in backends and args.database_url:
            postgres = PostgresDatabases(args.database_url)
            await postgres.prepare()
            try:
                async with postgres.fresh() as url:
                    results.append(
                        await measure_backend(
                            "PostgreSQL",
                            url,
                            args.database_url,
                            args.redis_url or None,
                            args,
                            folder,
                        )
                    )
            finally:
                await postgres.close()
    finally:
        if not args.keep_logs:
            shutil.rmtree(folder, ignore_errors=True)
    return results


# --- the report -------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _ratio(value: float | None, base: float | None) -> str:
    return "-" if value is None or not base else f"{value / base:.2f}"


def _added(value: float | None, base: float | None) -> str:
    return "-" if value is None or base is None else f"{value - base:+.2f}"


def render(results: Sequence[BackendResult], args: argparse.Namespace) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    first = results[0] if results else None
    lines = [
        f"{SECTION} ({first.cart_rules if first else 0:,} cart rules, "
        f"{first.segments if first else 0} segments, {first.catalog_rules if first else 0} "
        f"catalog rules; median of {args.rounds} rounds, {when})",
        "",
        "`python -m bench pricing` (`make bench-pricing`; see `bench/pricing.py`). A shop of",
        f"{args.customers:,} seeded customers with the 100 segments of `bench live`, served twice,",
        "each database by its own server process: the baseline has no rule, the other the",
        "rules (a realistic mix: most cart rules fail on cheap conditions, a tenth are",
        "segment-gated, a twentieth need a coupon, about ten apply, the cart's coupon among",
        "them; catalog rules by category, brand, colour, price, SKU and attribute set, with",
        "every action, some stopping, some for a few groups, some outside their dates, their",
        "index built). One client, one request at a time over a kept-alive loopback connection,",
        f"{args.requests} requests per case, server and round, cases and servers taking turns.",
        "p50 = median of the per-round medians, p99 over every sample. Server time: the",
        "`Server-Timing` of an outer middleware (whole handler: GraphQL parsing, resolvers,",
        "database, serialisation); totals: time inside `engine.carts.compute_totals`.",
        "",
        "| database | request | p50 ms, no rules (baseline) | p50 ms, rules | rules / baseline "
        "| p99 ms, baseline | p99 ms, rules | server p50 ms, baseline | server p50 ms, rules "
        "| server p99 ms, rules | added server p50 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for case in result.cases:
            base, rules = case.baseline, case.rules
            lines.append(
                f"| {result.backend} | {case.case.label} "
                f"| {_ms(_p50(base.round_client))} | {_ms(_p50(rules.round_client))} "
                f"| {_ratio(_p50(rules.round_client), _p50(base.round_client))} "
                f"| {_ms(_p99(base.client))} | {_ms(_p99(rules.client))} "
                f"| {_ms(_p50(base.round_server))} | {_ms(_p50(rules.round_server))} "
                f"| {_ms(_p99(rules.server))} "
                f"| {_added(_p50(rules.round_server), _p50(base.round_server))} |"
            )
    lines += [
        "",
        "Cart totals alone (`compute_totals` inside the server, per cart request: wall time, and",
        "the server process's CPU time, which the other processes on the machine do not inflate):",
        "",
        "| database | p50 ms, baseline | p50 ms, rules | p99 ms, baseline | p99 ms, rules "
        "| CPU p50 ms, baseline | CPU p50 ms, rules | CPU rules / baseline "
        "| target p50 < 5 ms | target within 1.5x |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for result in results:
        for case in result.cases:
            if not case.case.cart:
                continue
            p50 = _p50(case.rules.round_totals)
            verdict = "-" if p50 is None else ("met" if p50 < 5 else "not met")
            cpu_base = _p50(case.baseline.round_totals_cpu)
            cpu_rules = _p50(case.rules.round_totals_cpu)
            within = (
                "-"
                if cpu_base is None or cpu_rules is None or not cpu_base
                else ("met" if cpu_rules / cpu_base <= 1.5 else "not met")
            )
            which = "" if case.case.key == "cart" else f", {case.case.key}"
            lines.append(
                f"| {result.backend} ({result.cache}){which} "
                f"| {_ms(_p50(case.baseline.round_totals))} "
                f"| {_ms(p50)} | {_ms(_p99(case.baseline.totals))} "
                f"| {_ms(_p99(case.rules.totals))} | {_ms(cpu_base)} | {_ms(cpu_rules)} "
                f"| {_ratio(cpu_rules, cpu_base)} | {verdict} (wall) | {within} (CPU) |"
            )
    lines += [
        "",
        "Server CPU time per request (the whole handler, p50 of the per-round medians):",
        "",
        "| database | request | CPU p50 ms, baseline | CPU p50 ms, rules | rules / baseline "
        "| target |",
        "|---|---|---:|---:|---:|---|",
    ]
    for result in results:
        for case in result.cases:
            base_cpu = _p50(case.baseline.round_server_cpu)
            rules_cpu = _p50(case.rules.round_server_cpu)
            target = "-"
            if not case.case.cart and base_cpu and rules_cpu is not None:
                target = "within 1.2x: " + ("met" if rules_cpu / base_cpu <= 1.2 else "not met")
            lines.append(
                f"| {result.backend} | {case.case.label} | {_ms(base_cpu)} | {_ms(rules_cpu)} "
                f"| {_ratio(rules_cpu, base_cpu)} | {target} |"
            )
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    notes = [
        f"Notes: {cpus} CPUs shared by the client, both servers and the database (and Redis).",
    ]
    for result in results:
        notes.append(f"{result.backend} ({result.cache}): " + "; ".join(result.notes) + ".")
    lines += ["", " ".join(notes)]
    return "\n".join(lines) + "\n"


def replace_section(document: str, section: str) -> str:
    """`document` with its pricing section replaced by `section` (appended when absent)."""
    pattern = re.compile(rf"^{re.escape(SECTION)}\b.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(document):
        return pattern.sub(lambda _: section + "\n", document, count=1).rstrip("\n") + "\n"
    if not document.strip():
        return section
    return document.rstrip("\n") + "\n\n" + section


def keep_section(old: str, new: str) -> str:
    """For `python -m bench`, which rewrites BENCHMARKS.md: carry the pricing section over."""
    match = re.search(rf"^{re.escape(SECTION)}\b.*?(?=^## |\Z)", old, re.S | re.M)
    if not match or re.search(rf"^{re.escape(SECTION)}\b", new, re.M):
        return new
    return new.rstrip("\n") + "\n\n" + match.group(0).rstrip("\n") + "\n"


# --- command line -----------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench pricing", description=__doc__)
    p.add_argument("--customers", type=int, default=2_000, help="seeded customers")
    p.add_argument("--cart-rules", type=int, default=1_000)
    p.add_argument("--catalog-rules", type=int, default=200)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--requests", type=int, default=200, help="per case, server and round")
    p.add_argument(
        "--database-url",
        default=os.environ.get("MAGESEG_BENCH_DATABASE_URL", DEFAULT_PG),
        help="a PostgreSQL server database to connect to ('' to skip PostgreSQL)",
    )
    p.add_argument(
        "--backends",
        default="sqlite,postgres",
        help="comma-separated: sqlite (in-memory cache), postgres (with --redis-url)",
    )
    p.add_argument("--redis-url", default=DEFAULT_REDIS, help="'' for the in-memory cache")
    p.add_argument("--keep-logs", action="store_true", help="keep the servers' logs")
    p.add_argument("--output", type=Path, default=OUTPUT, help="the Markdown file to update")
    p.add_argument("--no-write", action="store_true", help="print the section only")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["serve"]:
        return serve()
    args = parser().parse_args(arguments)
    results = asyncio.run(run(args))
    section = render(results, args)
    if not args.no_write:
        old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        args.output.write_text(replace_section(old, section), encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
