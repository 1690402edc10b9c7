"""The demo seed: what it loads, that it is deterministic and consistent (carts, orders, the
catalog tree), that loading again appends, and that its customers can sign in."""

from __future__ import annotations

import base64
import re
import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tortoise.context import TortoiseContext

from engine.passwords import PasswordHasher
from engine.uids import encode_uid
from models import (
    ApplyTo,
    CatalogCategoryEntity,
    CatalogCategoryProduct,
    CatalogEavAttribute,
    CataloginventoryStockItem,
    CatalogProductEntity,
    CatalogProductEntityInt,
    CatalogProductEntityTierPrice,
    CatalogProductRelation,
    CatalogProductSuperLink,
    CatalogProductWebsite,
    Catalogrule,
    CatalogruleProduct,
    CustomerAddressEntity,
    CustomerAddressEntityVarchar,
    CustomerEavAttribute,
    CustomerEntity,
    CustomerEntityDatetime,
    CustomerEntityInt,
    CustomerGroup,
    CustomerVisitor,
    EavAttribute,
    EavAttributeOption,
    EntityType,
    MagentoBanner,
    MagentoCustomerbalance,
    MagentoCustomerbalanceHistory,
    MagentoCustomersegmentCustomer,
    MagentoCustomersegmentSegment,
    NewsletterSubscriber,
    OrderState,
    ProductType,
    Quote,
    QuoteIdMask,
    QuoteItem,
    ReportViewedProductIndex,
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    SalesOrderPayment,
    SalesOrderStatusState,
    Salesrule,
    SalesruleCoupon,
    Store,
    StoreWebsite,
    SubscriberStatus,
    TaxCalculation,
    Visibility,
    Wishlist,
    WishlistItem,
)
from seeds import catalog as demo
from seeds import tables
from seeds.activity import Product, Shop
from seeds.generate import Generator, NextIds
from seeds.loader import DEMO_PASSWORD, is_empty, load
from seeds.structure import Catalog, Region, WebsiteSlot
from tests.factories import make_customer
from tests.graphql import gql
from tests.test_segments_support import wait_refreshed

SIZE = 40
CHEAP = PasswordHasher(time_cost=1, memory_kib=1024)

SIGN_IN = """
mutation ($email: String!, $password: String!) {
  generateCustomerToken(email: $email, password: $password) { token }
}
"""
CUSTOMER_GROUP = "{ customerGroup { uid } }"

CATALOG = Catalog(
    base=WebsiteSlot(1, "base", 1, "default", "Default Store View"),
    wholesale=WebsiteSlot(2, "wholesale", 2, "wholesale", "Wholesale Store View"),
    vip_group_id=4,
    employee_group_id=5,
    loyalty_tier_id=1,
    loyalty_option_ids=(1, 2, 3, 4),
    accepts_marketing_calls_id=2,
    membership_since_id=3,
    delivery_instructions_id=4,
    regions=(Region(12, "CA", "California"), Region(43, "NY", "New York")),
)
PRODUCTS = tuple(
    Product(
        product_id=i,
        sku=f"SKU-{i}",
        name=f"Product {i}",
        price=1_000 + 250 * i,
        special_price=900 if i % 5 == 0 else None,
        special_from=date(2025, 12, 1) if i % 5 == 0 else None,
        special_to=date(2026, 2, 1) if i % 5 == 0 else None,
        weight=Decimal("1.5"),
        tax_class_id=2,
    )
    for i in range(1, 21)
)
SHOP = Shop(
    products={1: PRODUCTS, 2: PRODUCTS},
    group_tax_classes=dict.fromkeys(range(6), 3),
    tax_rates={(3, 2, 12): 82_500, (3, 2, 43): 83_750},
    statuses={
        "new": "pending",
        "processing": "processing",
        "complete": "complete",
        "closed": "closed",
        "canceled": "canceled",
    },
)
# Rows of every table after loading SIZE customers with seed 7 into a fresh database.
DEMO_COUNTS = {
    "customer_entity": 40,
    "customer_address_entity": 49,
    "customer_entity_int": 54,
    "customer_entity_datetime": 24,
    "customer_address_entity_varchar": 7,
    "newsletter_subscriber": 14,
    # 10 generated, and the demo's welcome credit for the first customer (seeds/rewards.py).
    "magento_customerbalance": 11,
    "magento_customerbalance_history": 11,
    "customer_visitor": 14,
    "quote": 11,
    "quote_id_mask": 11,
    "quote_item": 26,
    "wishlist": 5,
    "wishlist_item": 12,
    "report_viewed_product_index": 216,
    "sales_order": 214,
    "sequence_order": 214,
    "sales_order_item": 386,
    "sales_order_address": 428,
    "sales_order_payment": 214,
    # Root and Default Category from the migrations, and the demo tree's 22.
    "catalog_category_entity": 24,
    # 300 products, 179 of them configurable with 879 children between them.
    "catalog_product_entity": 1179,
    "catalog_product_website": 2358,
    "cataloginventory_stock_item": 1179,
    "catalog_category_product": 600,
    "catalog_product_entity_int": 2009,
    # A description and a short description for each of the 300 products.
    "catalog_product_entity_text": 600,
    # Their 300 meta descriptions, and the image, small_image and thumbnail of every product.
    "catalog_product_entity_varchar": 3837,
    "catalog_product_super_attribute": 287,
    "catalog_product_super_link": 879,
    "catalog_product_relation": 879,
}
CENT = Decimal("0.01")


def generator(seed: int, today: date = date(2026, 1, 15)) -> Generator:
    return Generator(
        seed,
        CATALOG,
        today=today,
        loaded_at=datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=12),
        password_hash="hash",
        shop=SHOP,
    )


def generated(seed: int, today: date = date(2026, 1, 15)) -> dict[str, list[tuple[Any, ...]]]:
    batch = generator(seed, today).batch(SIZE, NextIds())
    return {table.name: rows for table, rows in batch.rows.items()}


def column(table: tables.Table, name: str) -> int:
    return table.columns.index(name)


async def all_counts(db: TortoiseContext) -> dict[str, int]:
    client = db.connections.get("default")
    counts = {}
    for table in tables.TABLES + tables.CATALOG_TABLES:
        rows = await client.execute_query_dict(f'SELECT COUNT(*) AS n FROM "{table.name}"')
        counts[table.name] = int(rows[0]["n"])
    return counts


async def reserve_order_number(db: TortoiseContext) -> int:
    """What the next order would get from `sequence_order`. (`SequenceOrder.create()` inserts
    nothing on SQLite with tortoise 1.1.9: a model with only a generated key.)"""
    rows = await db.connections.get("default").execute_query_dict(
        'INSERT INTO "sequence_order" DEFAULT VALUES RETURNING "sequence_value"'
    )
    return int(rows[0]["sequence_value"])


def round_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


async def table_counts() -> dict[str, int]:
    return {
        "customers": await CustomerEntity.all().count(),
        "addresses": await CustomerAddressEntity.all().count(),
        "customer_ints": await CustomerEntityInt.all().count(),
        "customer_datetimes": await CustomerEntityDatetime.all().count(),
        "address_varchars": await CustomerAddressEntityVarchar.all().count(),
        "subscribers": await NewsletterSubscriber.all().count(),
        "balances": await MagentoCustomerbalance.all().count(),
        "balance_history": await MagentoCustomerbalanceHistory.all().count(),
    }


def printed_emails(summary: str) -> list[str]:
    return re.findall(r"sign in as (\S+) .* or (\S+) ", summary)[0]  # type: ignore[no-any-return]


def test_same_seed_generates_the_same_rows() -> None:
    first, again, other = generated(7), generated(7), generated(8)

    assert first == again
    assert first != other
    emails = [row[3] for row in first[tables.CUSTOMERS.name]]
    assert len(set(emails)) == SIZE
    assert first[tables.ORDERS.name]
    assert first[tables.QUOTES.name]
    assert first[tables.VIEWS.name]


def test_activity_leaves_the_customer_rows_alone() -> None:
    with_activity = generated(7)
    without = Generator(
        7,
        CATALOG,
        today=date(2026, 1, 15),
        loaded_at=datetime(2026, 1, 15, 12, tzinfo=UTC),
        password_hash="hash",
    ).batch(SIZE, NextIds())

    for table in tables.CUSTOMER_TABLES:
        assert with_activity[table.name] == without.rows[table], table.name
    for table in tables.ACTIVITY_TABLES:
        assert without.rows[table] == [], table.name


def test_orders_average_five_per_customer_skewed_and_recent_months_busier() -> None:
    today = date(2026, 1, 15)
    batch = generator(3, today).batch(1_000, NextIds())
    orders = batch.rows[tables.ORDERS]
    per_customer = Counter(row[column(tables.ORDERS, "customer_id")] for row in orders)
    counts = [per_customer[row[0]] for row in batch.rows[tables.CUSTOMERS]]
    created = [row[column(tables.ORDERS, "created_at")] for row in orders]
    year_ago = datetime(2025, 1, 15, tzinfo=UTC)

    assert 4.5 < statistics.mean(counts) < 5.5
    assert statistics.median(counts) < statistics.mean(counts)
    assert max(counts) > 25
    assert min(created) >= datetime(2024, 1, 16, tzinfo=UTC)
    assert max(created) < datetime(2026, 1, 15, tzinfo=UTC)
    assert sum(c >= year_ago for c in created) > 2 * sum(c < year_ago for c in created)
    states = Counter(row[column(tables.ORDERS, "state")] for row in orders)
    assert states.most_common(1)[0][0] == "complete"
    assert set(states) == {"new", "processing", "complete", "closed", "canceled"}


def test_increment_ids_follow_order_dates_within_a_batch() -> None:
    ids = NextIds(order=7, increment=120)
    orders = generator(7).batch(SIZE, ids).rows[tables.ORDERS]

    assert [row[0] for row in orders] == list(range(7, 7 + len(orders)))
    assert [row[1] for row in orders] == [f"{n:09d}" for n in range(120, 120 + len(orders))]
    dates = [row[column(tables.ORDERS, "created_at")] for row in orders]
    assert dates == sorted(dates)
    assert (ids.order, ids.increment) == (7 + len(orders), 120 + len(orders))


def test_order_tax_is_the_rounded_rate_of_the_subtotal_spread_over_the_items() -> None:
    rows = generated(7)
    o = {name: column(tables.ORDERS, name) for name in tables.ORDERS.columns}
    i = {name: column(tables.ORDER_ITEMS, name) for name in tables.ORDER_ITEMS.columns}
    a = {name: column(tables.ORDER_ADDRESSES, name) for name in tables.ORDER_ADDRESSES.columns}
    regions = {
        row[a["parent_id"]]: row[a["region_id"]]
        for row in rows[tables.ORDER_ADDRESSES.name]
        if row[a["address_type"]] == "shipping"
    }
    items: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows[tables.ORDER_ITEMS.name]:
        items[row[i["order_id"]]].append(row)
    rates = {12: Decimal("8.25"), 43: Decimal("8.375")}
    orders = rows[tables.ORDERS.name]
    # The test catalog has two regions, California and New York, both taxed.
    assert {regions[row[0]] for row in orders} == {12, 43}
    for row in orders:
        lines = items[row[0]]
        rate = rates[regions[row[0]]]
        assert row[o["tax_amount"]] == round_cents(row[o["subtotal"]] * rate / 100)
        assert row[o["tax_amount"]] == sum(line[i["tax_amount"]] for line in lines)
        assert all(line[i["tax_percent"]] == rate for line in lines)
        assert row[o["subtotal"]] == sum(line[i["row_total"]] for line in lines)
        assert row[o["base_grand_total"]] == (
            row[o["subtotal"]] + row[o["tax_amount"]] + row[o["shipping_amount"]]
        )


def test_special_price_applies_within_its_dates_both_ends_inclusive() -> None:
    product = PRODUCTS[4]  # 2,250 cents, 900 from 2025-12-01 to 2026-02-01

    assert product.price_on(date(2025, 11, 30)) == 2_250
    assert product.price_on(date(2025, 12, 1)) == 900
    assert product.price_on(date(2026, 2, 1)) == 900
    assert product.price_on(date(2026, 2, 2)) == 2_250


def test_catalog_is_deterministic_and_its_skus_do_not_depend_on_the_seed() -> None:
    plan = demo.CatalogPlan(
        first_category_id=3,
        first_product_id=1,
        parent_id=2,
        parent_path="1/2",
        parent_level=1,
        first_position=1,
        website_ids=(1, 2),
        brand_id=10,
        brand_options=tuple(range(100, 112)),
        color_id=11,
        color_options=tuple(range(200, 212)),
    )
    today = date(2026, 1, 15)
    loaded_at = datetime(2026, 1, 15, 12, tzinfo=UTC)

    first = demo.catalog_batch(7, plan, today=today, loaded_at=loaded_at).rows
    again = demo.catalog_batch(7, plan, today=today, loaded_at=loaded_at).rows
    other = demo.catalog_batch(8, plan, today=today, loaded_at=loaded_at).rows

    assert first == again
    assert first[tables.PRODUCTS] != other[tables.PRODUCTS]
    sku = column(tables.PRODUCTS, "sku")
    assert [row[sku] for row in first[tables.PRODUCTS]] == list(demo.SKUS)
    assert [row[sku] for row in other[tables.PRODUCTS]] == list(demo.SKUS)
    assert len(set(demo.SKUS)) == demo.PRODUCT_COUNT
    url_key = column(tables.PRODUCTS, "url_key")
    assert len({row[url_key] for row in first[tables.PRODUCTS]}) == demo.PRODUCT_COUNT


def test_the_day_moves_dates_but_not_which_rows_exist() -> None:
    today, later = generated(7), generated(7, today=date(2027, 6, 1))

    assert {name: len(rows) for name, rows in today.items()} == {
        name: len(rows) for name, rows in later.items()
    }
    assert today != later


async def test_table_columns_match_the_models(db: Any) -> None:
    for table in tables.TABLES + tables.CATALOG_TABLES:
        columns = set(table.model._meta.fields_db_projection.values())
        assigned_by_database = {table.model._meta.pk_attr} - {table.assigned_key}
        assert set(table.columns).isdisjoint(table.left_to_default), table.name
        assert set(table.columns) == columns - assigned_by_database - set(table.left_to_default), (
            table.name
        )


async def test_demo_seed_loads_exact_counts(db: Any) -> None:
    summary = await load(SIZE, seed=7, progress=False, hasher=CHEAP)

    assert await table_counts() == {
        "customers": 40,
        "addresses": 49,
        "customer_ints": 54,
        "customer_datetimes": 24,
        "address_varchars": 7,
        "subscribers": 14,
        # The generated 10, and the demo's welcome credit for the first customer (seeds/rewards).
        "balances": 11,
        "balance_history": 11,
    }
    assert await all_counts(db) == DEMO_COUNTS
    assert summary.startswith(
        "Seeded 40 customers (34 on website 'base', 6 on 'wholesale') with 49 addresses, "
        "14 newsletter subscriptions, 10 store-credit balances, 85 custom attribute values, "
        "214 orders (386 items), 11 active carts (5 of guest visitors, 26 items), "
        "5 wish lists (12 items) and 216 product views (14 guest visitors): 1,959 rows in "
    )
    assert "Catalog: 300 products in 22 categories, created now." in summary
    assert await StoreWebsite.filter(code="wholesale").count() == 1
    assert (await Store.get(code="wholesale")).name == "Wholesale Store View"
    assert await CustomerGroup.filter(customer_group_code__in=["VIP", "Employee"]).count() == 2
    segment_attributes: list[Any] = await CustomerEavAttribute.filter(
        is_used_for_customer_segment=True
    ).values_list("attribute__attribute_code", flat=True)
    assert sorted(segment_attributes) == [
        "accepts_marketing_calls",
        "delivery_instructions",
        "loyalty_tier",
        "membership_since",
    ]
    assert await EavAttributeOption.filter(attribute__attribute_code="loyalty_tier").count() == 4


async def test_demo_seed_creates_one_promotion_of_each_kind(db: Any) -> None:
    await load(SIZE, seed=7, progress=False, hasher=CHEAP)
    await load(SIZE, seed=7, progress=False, hasher=CHEAP)

    first = await CatalogProductEntity.get(sku=demo.sku(0))
    tiers = await CatalogProductEntityTierPrice.filter(entity_id=first.entity_id).order_by("qty")
    assert [(t.all_groups, t.customer_group_id, t.qty, t.percentage_value) for t in tiers] == [
        (False, 2, Decimal(1), None),
        (True, 0, Decimal(3), Decimal(5)),
    ]
    assert Decimal(tiers[0].value) == (Decimal(first.price) * Decimal("0.8")).quantize(
        Decimal("0.01")
    )
    assert await Catalogrule.all().values_list("name", flat=True) == ["Electronics week"]
    electronics = await CatalogCategoryEntity.get(name="Electronics")
    in_electronics = await CatalogCategoryProduct.filter(
        category__path__startswith=f"{electronics.path}/"
    ).count()
    # Every Electronics product, on 2 websites, for 2 groups.
    assert in_electronics > 0
    assert await CatalogruleProduct.all().count() == in_electronics * 2 * 2
    assert sorted(await Salesrule.all().values_list("name", flat=True)) == [
        "Spend 100, save 10%",
        "VIP 15% off",
        "We miss you: 20% off",
        "Welcome coupon",
    ]
    assert sorted(await SalesruleCoupon.all().values_list("code", flat=True)) == [
        "COMEBACK20",
        "VIP15",
        "WELCOME5",
    ]
    assert sorted(await MagentoBanner.all().values_list("name", flat=True)) == [
        "Subscriber offer",  # seeds.storefront: shown on the home page to newsletter subscribers
        "Thanks for coming back",
        "Welcome coupon applied",
        "Welcome, new customer",
        "Your cart is waiting",
    ]


async def test_carts_are_consistent(db: Any) -> None:
    await load(SIZE, seed=7, progress=False, hasher=CHEAP)

    items: dict[int, list[QuoteItem]] = defaultdict(list)
    for item in await QuoteItem.all():
        items[item.quote_id].append(item)  # type: ignore[attr-defined]
    masks = dict(await QuoteIdMask.all().values_list("quote_id", "masked_id"))
    visitors = {v.visitor_id: v for v in await CustomerVisitor.all()}
    quotes = await Quote.all()
    assert quotes
    for quote in quotes:
        lines = items[quote.entity_id]
        assert lines, quote.entity_id
        assert quote.is_active
        assert quote.subtotal == sum(i.row_total for i in lines)
        assert quote.items_count == len(lines)
        assert quote.items_qty == sum(i.qty for i in lines)
        assert quote.grand_total == quote.subtotal + quote.tax_amount + quote.shipping_amount
        assert quote.base_grand_total == quote.grand_total
        for line in lines:
            assert line.row_total == line.price * line.qty
            assert quote.created_at <= line.created_at <= quote.updated_at
        assert len(lines) == len({line.product_id for line in lines})  # type: ignore[attr-defined]
        assert re.fullmatch(r"[0-9a-f]{32}", masks[quote.entity_id])
        if quote.customer_id is None:  # type: ignore[attr-defined]
            # A guest cart belongs to a visitor, who never signed in.
            assert quote.customer_is_guest
            assert quote.customer_group_id == 0
            assert visitors[quote.visitor_id].customer_id is None  # type: ignore[attr-defined]
        else:
            assert not quote.customer_is_guest
            assert quote.visitor_id is None  # type: ignore[attr-defined]
    assert len(set(masks.values())) == len(masks)


async def test_orders_are_consistent(db: Any) -> None:
    await load(SIZE, seed=7, progress=False, hasher=CHEAP)

    items: dict[int, list[SalesOrderItem]] = defaultdict(list)
    for item in await SalesOrderItem.all():
        items[item.order_id].append(item)  # type: ignore[attr-defined]
    addresses: dict[int, dict[str, SalesOrderAddress]] = defaultdict(dict)
    for address in await SalesOrderAddress.all():
        addresses[address.parent_id][address.address_type.value] = address  # type: ignore[attr-defined]
    payments = {p.parent_id: p for p in await SalesOrderPayment.all()}  # type: ignore[attr-defined]
    states = set(await SalesOrderStatusState.all().values_list("status_id", "state"))
    customers = {c.entity_id: c for c in await CustomerEntity.all()}
    rates = {"California": Decimal("8.25"), "New York": Decimal("8.375")}
    orders = await SalesOrder.all().order_by("entity_id")
    assert len(orders) == DEMO_COUNTS["sales_order"]
    two_years_ago = datetime.now(UTC) - timedelta(days=731)
    for order in orders:
        lines = items[order.entity_id]
        shipping = addresses[order.entity_id]["shipping"]
        assert set(addresses[order.entity_id]) == {"billing", "shipping"}
        assert order.subtotal == sum(i.row_total for i in lines)
        assert order.tax_amount == sum(i.tax_amount for i in lines)
        rate = rates.get(shipping.region or "", Decimal(0))
        assert order.tax_amount == round_cents(order.subtotal * rate / 100)
        assert order.total_qty_ordered == sum(i.qty_ordered for i in lines)
        assert order.total_item_count == len(lines)
        assert order.shipping_amount == 5 * order.total_qty_ordered
        assert order.base_grand_total == order.subtotal + order.tax_amount + order.shipping_amount
        assert order.grand_total == order.base_grand_total
        assert (order.status, order.state) in states
        assert payments[order.entity_id].method == "checkmo"
        assert payments[order.entity_id].amount_ordered == order.grand_total
        customer = customers[order.customer_id]  # type: ignore[attr-defined]
        assert order.customer_email == customer.email
        assert customer.created_at <= order.created_at
        assert two_years_ago <= order.created_at <= order.updated_at <= datetime.now(UTC)
        if order.state is OrderState.CANCELED:
            assert all(i.qty_canceled == i.qty_ordered for i in lines)
    assert [o.increment_id for o in orders] == [f"{n:09d}" for n in range(1, len(orders) + 1)]
    assert {o.state for o in orders} == {
        OrderState.NEW,
        OrderState.PROCESSING,
        OrderState.COMPLETE,
        OrderState.CANCELED,
        OrderState.CLOSED,
    }


async def test_catalog_tree_products_and_attributes_are_consistent(db: Any) -> None:
    await load(SIZE, seed=7, progress=False, hasher=CHEAP)

    categories = {c.entity_id: c for c in await CatalogCategoryEntity.all()}
    for category in categories.values():
        descendants = [c for c in categories.values() if c.path.startswith(category.path + "/")]
        assert category.children_count == len(descendants), category.name
        if category.parent_id:
            parent = categories[category.parent_id]
            assert category.path == f"{parent.path}/{category.entity_id}"
            assert category.level == parent.level + 1
    departments = sorted(
        (c for c in categories.values() if c.parent_id == 2), key=lambda c: c.position
    )
    assert [(c.name, c.position) for c in departments] == [
        ("Women", 1),
        ("Men", 2),
        ("Gear", 3),
        ("Home", 4),
        ("Electronics", 5),
    ]

    every = await CatalogProductEntity.all()
    children = set(await CatalogProductSuperLink.all().values_list("product_id", flat=True))
    products = [p for p in every if p.entity_id not in children]
    assert len(products) == demo.PRODUCT_COUNT
    assert {p.tax_class_id for p in every} == {2}  # type: ignore[attr-defined]
    stock: list[Any] = await CataloginventoryStockItem.all().values_list("product_id", flat=True)
    assert sorted(stock) == sorted(p.entity_id for p in every)
    websites = Counter(await CatalogProductWebsite.all().values_list("website_id", flat=True))
    assert websites == {1: len(every), 2: len(every)}
    # Mostly configurable, as an apparel catalog: each parent's children are simple, not
    # visible on their own, and differ in their color and size.
    parents = [p for p in products if p.type_id == ProductType.CONFIGURABLE]
    assert len(parents) > demo.PRODUCT_COUNT / 2
    assert {(p.type_id, p.visibility) for p in every if p.entity_id in children} == {
        (ProductType.SIMPLE, Visibility.NOT_VISIBLE)
    }
    links = await CatalogProductSuperLink.all().values_list("parent_id", "product_id")
    assert {int(parent) for parent, _ in links} == {p.entity_id for p in parents}
    relations = await CatalogProductRelation.all().values_list("parent_id", "child_id")
    assert sorted(relations) == sorted(links)
    category_links = await CatalogCategoryProduct.all().values_list("category_id", "product_id")
    leaves = {c.entity_id for c in categories.values() if c.level == 3}
    in_leaves = Counter(product for category, product in category_links if category in leaves)
    assert in_leaves == dict.fromkeys((p.entity_id for p in products), 1)
    specials = [p for p in products if p.special_price is not None]
    assert specials
    assert all(p.special_price is not None and p.special_price < p.price for p in specials)
    assert any(p.special_to_date and p.special_to_date < date.today() for p in specials)

    attributes = await EavAttribute.filter(
        entity_type_id=EntityType.CATALOG_PRODUCT, is_user_defined=True
    )
    assert sorted(a.attribute_code for a in attributes) == ["brand", "color", "size"]
    promo: list[Any] = await CatalogEavAttribute.filter(is_used_for_promo_rules=True).values_list(
        "attribute__attribute_code", flat=True
    )
    assert sorted(promo) == ["brand", "color", "size"]
    assert await EavAttributeOption.filter(attribute__attribute_code="brand").count() == 12
    brands = await CatalogProductEntityInt.filter(attribute__attribute_code="brand").count()
    assert brands == demo.PRODUCT_COUNT

    rules = await TaxCalculation.all().values_list(
        "tax_calculation_rate_id", "customer_tax_class_id", "product_tax_class_id"
    )
    assert sorted(rules) == [(1, 3, 2), (2, 3, 2)]


async def test_activity_refers_to_sellable_products_and_the_right_owners(db: Any) -> None:
    await load(SIZE, seed=7, progress=False, hasher=CHEAP)

    sellable = set(
        await CatalogProductEntity.filter(status=1, visibility__not=1).values_list(
            "entity_id", flat=True
        )
    )
    # A configurable product is bought as one of its children.
    sellable |= set(
        await CatalogProductSuperLink.filter(parent_id__in=sorted(sellable)).values_list(
            "product_id", flat=True
        )
    )
    for model in (QuoteItem, SalesOrderItem, WishlistItem, ReportViewedProductIndex):
        used = set(await model.all().values_list("product_id", flat=True))
        assert used, model
        assert used <= sellable, model
    views = await ReportViewedProductIndex.all().values_list("customer_id", "visitor_id")
    assert all((customer is None) != (visitor is None) for customer, visitor in views)
    assert any(customer is None for customer, _ in views)
    wishlist_owners: list[Any] = await Wishlist.all().values_list("customer_id", flat=True)
    assert len(wishlist_owners) == len(set(wishlist_owners))
    added: list[Any] = await WishlistItem.all().values_list("added_at", flat=True)
    assert max(added) - min(added) > timedelta(days=60)


async def test_next_order_number_follows_the_seeded_ones(db: Any) -> None:
    await load(SIZE, seed=7, progress=False, hasher=CHEAP)

    assert await reserve_order_number(db) == DEMO_COUNTS["sales_order"] + 1


async def test_seeded_orders_number_after_imported_increment_ids(db: Any) -> None:
    await SalesOrder.create(
        increment_id="000000500",
        state=OrderState.COMPLETE,
        status="complete",
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
    )

    await load(3, seed=7, progress=False, hasher=CHEAP)

    numbers: list[Any] = (
        await SalesOrder.all().order_by("entity_id").values_list("increment_id", flat=True)
    )
    count = len(numbers) - 1
    assert numbers == ["000000500"] + [f"{n:09d}" for n in range(501, 501 + count)]


async def test_default_addresses_belong_to_their_customer(db: Any) -> None:
    await load(SIZE, seed=7, progress=False, hasher=CHEAP)

    owners = dict(await CustomerAddressEntity.all().values_list("entity_id", "parent_id"))
    customers = await CustomerEntity.all()
    for customer in customers:
        for address_id in (customer.default_billing, customer.default_shipping):
            assert address_id is None or owners[address_id] == customer.entity_id
    with_addresses = set(owners.values())
    assert {c.entity_id for c in customers if c.default_billing} == with_addresses


async def test_loading_again_appends_customers_not_structure(db: Any) -> None:
    await load(10, seed=1, progress=False, hasher=CHEAP)
    once = await all_counts(db)
    summary = await load(10, seed=1, progress=False, hasher=CHEAP)
    twice = await all_counts(db)

    emails = await CustomerEntity.all().values_list("email", flat=True)
    assert len(emails) == len(set(emails)) == 20
    assert await StoreWebsite.filter(code="wholesale").count() == 1
    assert await CustomerGroup.filter(customer_group_code="VIP").count() == 1
    # The same seed again: the same activity per customer, appended; the catalog stays.
    assert "Catalog: 300 products in 22 categories, already there." in summary
    for table in tables.CATALOG_TABLES:
        assert twice[table.name] == once[table.name], table.name
    # The demo's welcome credit (seeds/rewards.py) goes to the first customer, on the first load.
    once_only = {"magento_customerbalance": 1, "magento_customerbalance_history": 1}
    for table in tables.TABLES:
        expected = 2 * once[table.name] - once_only.get(table.name, 0)
        assert twice[table.name] == expected, table.name
    assert (
        await EavAttribute.filter(
            entity_type_id=EntityType.CATALOG_PRODUCT, is_user_defined=True
        ).count()
    ) == 3
    assert await TaxCalculation.all().count() == 2
    assert (await CatalogCategoryEntity.get(entity_id=2)).children_count == 22
    numbers: list[Any] = await SalesOrder.all().values_list("increment_id", flat=True)
    assert sorted(numbers) == [f"{n:09d}" for n in range(1, twice["sales_order"] + 1)]
    masks: list[Any] = await QuoteIdMask.all().values_list("masked_id", flat=True)
    assert len(set(masks)) == len(masks) == twice["quote"]
    # Keys the seed assigned do not collide with the next ones the database hands out.
    created = await make_customer("after-seed@example.com")
    assert created.entity_id == 21
    assert await reserve_order_number(db) == twice["sales_order"] + 1
    assert (await CustomerVisitor.create(session_id="after-seed")).visitor_id == (
        twice["customer_visitor"] + 1
    )
    quote = await Quote.create(store_id=1)
    assert quote.entity_id == twice["quote"] + 1
    category = await CatalogCategoryEntity.create(path="1/2/x", name="After", parent_id=2)
    assert category.entity_id == 25
    product = await CatalogProductEntity.create(sku="after", name="After", attribute_set_id=4)
    assert product.entity_id == DEMO_COUNTS["catalog_product_entity"] + 1


async def test_is_empty_flips_once_customers_exist(db: Any) -> None:
    assert await is_empty()

    await load(1, progress=False, hasher=CHEAP)

    assert not await is_empty()


async def test_printed_demo_customers_sign_in_over_http(client: Any) -> None:
    summary = await load(SIZE, seed=7, progress=False, hasher=CHEAP)
    base_email, wholesale_email = printed_emails(summary)
    assert f"password is {DEMO_PASSWORD!r}" in summary

    base = await gql(client, SIGN_IN, {"email": base_email, "password": DEMO_PASSWORD})
    wholesale = await gql(
        client,
        SIGN_IN,
        {"email": wholesale_email, "password": DEMO_PASSWORD},
        store="wholesale",
    )
    elsewhere = await gql(client, SIGN_IN, {"email": wholesale_email, "password": DEMO_PASSWORD})

    assert base.errors == []
    assert wholesale.errors == []
    # Accounts are per website: the wholesale customer is unknown on the default store.
    assert elsewhere.categories == ["graphql-authentication"]
    token = base.data["generateCustomerToken"]["token"]  # type: ignore[index]
    group = await gql(client, CUSTOMER_GROUP, token=token)
    customer = await CustomerEntity.get(email=base_email)
    group_id = str(customer.group_id).encode()  # type: ignore[attr-defined]
    assert group.data == {"customerGroup": {"uid": base64.b64encode(group_id).decode()}}


DEMO_SEGMENTS = """
query { adminSegments(pageSize: 10) { items { name apply_to refresh { status matched_count } } } }
"""
REFRESH_ALL = "mutation { adminRefreshSegments(all: true) { user_errors { code } } }"
CUSTOMER_CART = "{ customerCart { id } }"
SEGMENTS_OF = "query ($cart: String!) { customerSegments(cartId: $cart) { uid } }"


async def test_demo_segments_have_members_and_answer_customer_segments(
    client: Any, admin_token: str
) -> None:
    await load(SIZE, seed=7, progress=False, hasher=CHEAP)
    # Queued at creation; the server's runner refreshes them at its first start. (Here the
    # runner was already up while the customers were written, so refresh once more.)
    stored = await MagentoCustomersegmentSegment.all().order_by("segment_id")
    assert [(s.name, s.apply_to) for s in stored] == [
        ("New customers", ApplyTo.REGISTERED),
        ("High-value shoppers", ApplyTo.REGISTERED),
        ("Frequent shoppers", ApplyTo.REGISTERED),
        ("Dormant customers", ApplyTo.REGISTERED),
        ("Shoppers with a cart", ApplyTo.BOTH),
        ("Newsletter subscribers", ApplyTo.REGISTERED),  # seeds.storefront: the home page's block
    ]
    assert (await gql(client, REFRESH_ALL, token=admin_token)).errors == []
    for segment in stored:
        await wait_refreshed(client, admin_token, encode_uid(segment.segment_id))
    listed = await gql(client, DEMO_SEGMENTS, token=admin_token)
    since = datetime.now(UTC).date() - timedelta(days=30)
    new_customers = sum(
        1
        for at in await CustomerEntity.all().values_list("created_at", flat=True)
        if at.date() >= since  # type: ignore[union-attr]
    )
    subscribers = len(
        set(
            await NewsletterSubscriber.filter(
                subscriber_status=SubscriberStatus.SUBSCRIBED, customer_id__not_isnull=True
            ).values_list("customer_id", flat=True)
        )
    )
    assert subscribers > 0
    assert listed.data == {
        "adminSegments": {
            "items": [
                {
                    "name": name,
                    "apply_to": apply_to,
                    "refresh": {"status": "DONE", "matched_count": n},
                }
                for name, apply_to, n in (
                    ("New customers", "REGISTERED", new_customers),
                    ("High-value shoppers", "REGISTERED", 10),
                    ("Frequent shoppers", "REGISTERED", 13),
                    ("Dormant customers", "REGISTERED", 3),
                    ("Shoppers with a cart", "BOTH", 6),
                    ("Newsletter subscribers", "REGISTERED", subscribers),
                )
            ]
        }
    }

    # A high-value shopper of the default website signs in: customerSegments, evaluated live,
    # names the segments the refresh stored for them.
    high_value = stored[1].segment_id
    member = (
        await MagentoCustomersegmentCustomer.filter(segment_id=high_value, website_id=1)
        .order_by("customer_id")
        .first()
    )
    assert member is not None
    customer = await CustomerEntity.get(entity_id=member.customer_id)  # type: ignore[attr-defined]
    signed_in = await gql(client, SIGN_IN, {"email": customer.email, "password": DEMO_PASSWORD})
    token = signed_in.data["generateCustomerToken"]["token"]  # type: ignore[index]
    cart = await gql(client, CUSTOMER_CART, token=token)
    cart_id = cart.data["customerCart"]["id"]  # type: ignore[index]
    answer = await gql(client, SEGMENTS_OF, {"cart": cart_id}, token=token)
    expected = (
        await MagentoCustomersegmentCustomer.filter(customer_id=customer.entity_id, website_id=1)
        .order_by("segment_id")
        .values_list("segment_id", flat=True)
    )
    assert high_value in expected
    assert answer.data == {
        "customerSegments": [{"uid": encode_uid(int(i))} for i in expected]  # type: ignore[arg-type]
    }


async def test_the_demo_shop_has_orders_with_invoices_a_shipment_and_a_refund(db: Any) -> None:
    from models import SalesCreditmemo, SalesInvoice, SalesShipment, SalesShipmentTrack

    await load(SIZE, seed=7, progress=False, hasher=CHEAP, documents=True)

    documented = await SalesOrder.filter(
        entity_id__in=await SalesInvoice.all().values_list("order_id", flat=True)
    ).order_by("entity_id")
    assert [(o.state.value, o.status) for o in documented] == [
        ("complete", "complete"),
        ("closed", "closed"),
    ]
    assert len({o.customer_id for o in documented}) == 1  # type: ignore[attr-defined]
    assert await SalesShipment.all().count() == 1
    assert await SalesShipmentTrack.all().values_list("track_number", flat=True) == [
        "1Z999AA10123456784"
    ]
    (memo,) = await SalesCreditmemo.all()
    refunded = documented[1]
    assert (
        Decimal(memo.grand_total)
        == Decimal(refunded.grand_total)
        == Decimal(refunded.total_refunded)
    )
    assert await SalesOrder.all().count() == DEMO_COUNTS["sales_order"] + 2
