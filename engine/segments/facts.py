"""Everything the in-memory evaluator reads about one shopper, fetched before it runs.

`load_facts` walks the tree (and the trees of segments it references) to learn which sources the
conditions read, then fetches only those, one query per source and never one per node or row:
the customer row and its custom values, the address book and its custom values, the newsletter
subscription, the store-credit balance, the active cart(s) and their items, the wish list, the
viewed products, the orders with their items and addresses, and the products all those rows
name (with their category links and custom values, store 0).

What is read, Magento's scoping kept (reference §3.5, brief "Scope"):
- carts: the given quote (`quote_id`), else the customer's quotes; in either case active and in
  the website's stores. Items carry `quote_item.created_at`.
- wish list: the customer's, whatever store (`wishlist_item.added_at`).
- viewed: `report_viewed_product_index` in the website's stores, by customer for a customer and
  by `visitor_id` for a guest (`added_at`).
- orders: the customer's orders placed in the website's stores, their items
  (`sales_order_item.created_at`) and addresses.
- newsletter: a SUBSCRIBED (1) row for the customer in one of the website's stores.
- store credit: the balance row of the website; no row is NULL.
A guest (`customer_id` None) has no customer data at all: those sources stay empty.

`Facts.sources` records what was loaded; the evaluator refuses to read a source that was not
(facts loaded for another tree), rather than reading it as empty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tortoise.models import Model

from engine.segments import facts_pg
from engine.segments.catalog_types import (
    AttributeSpec,
    Derived,
    DerivedKind,
    EavColumn,
    StaticColumn,
    Subject,
)
from engine.segments.scope import Scope
from engine.segments.sql import Dialect, dialect_of
from engine.segments.tree import (
    AddressAttribute,
    AddressHasRegion,
    AnyNode,
    CartAmount,
    CartLineItems,
    CartProductsQuantity,
    Combine,
    CustomerAddress,
    CustomerAttribute,
    DateRange,
    DefaultAddress,
    Newsletter,
    OrderAddress,
    OrderAddressAttribute,
    OrderAddressType,
    OrdersNumber,
    OrderStatus,
    ProductAttribute,
    ProductCombine,
    ProductHistory,
    ProductHistoryAction,
    ProductList,
    ProductListSource,
    PurchasedQuantity,
    SalesAmount,
    SegmentMembership,
    StoreCredit,
    UpToDate,
)
from models import (
    CatalogCategoryProduct,
    CatalogProductEntity,
    CatalogProductEntityDatetime,
    CatalogProductEntityDecimal,
    CatalogProductEntityInt,
    CatalogProductEntityText,
    CatalogProductEntityVarchar,
    CustomerAddressEntity,
    CustomerAddressEntityDatetime,
    CustomerAddressEntityDecimal,
    CustomerAddressEntityInt,
    CustomerAddressEntityText,
    CustomerAddressEntityVarchar,
    CustomerEntity,
    CustomerEntityDatetime,
    CustomerEntityDecimal,
    CustomerEntityInt,
    CustomerEntityText,
    CustomerEntityVarchar,
    MagentoCustomerbalance,
    NewsletterSubscriber,
    Quote,
    QuoteItem,
    ReportViewedProductIndex,
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    WishlistItem,
)
from models.newsletter import SubscriberStatus

EAV_TABLES: Mapping[str, type[Model]] = {
    model._meta.db_table: model
    for model in (
        CustomerEntityVarchar,
        CustomerEntityInt,
        CustomerEntityDecimal,
        CustomerEntityDatetime,
        CustomerEntityText,
        CustomerAddressEntityVarchar,
        CustomerAddressEntityInt,
        CustomerAddressEntityDecimal,
        CustomerAddressEntityDatetime,
        CustomerAddressEntityText,
        CatalogProductEntityVarchar,
        CatalogProductEntityInt,
        CatalogProductEntityDecimal,
        CatalogProductEntityDatetime,
        CatalogProductEntityText,
    )
}

EavKey = tuple[str, int]
"""(value table, attribute_id)."""


class Source(StrEnum):
    CUSTOMER = "customer"
    ADDRESSES = "addresses"
    NEWSLETTER = "newsletter"
    STORE_CREDIT = "store_credit"
    CARTS = "carts"
    CART_ITEMS = "cart_items"
    WISHLIST = "wishlist"
    VIEWS = "views"
    ORDERS = "orders"
    ORDER_ITEMS = "order_items"
    ORDER_ADDRESSES = "order_addresses"
    PRODUCTS = "products"


@dataclass(frozen=True)
class Record:
    """One row of a main table (all its columns) and the custom values the tree reads."""

    id: int
    row: Mapping[str, Any]
    eav: Mapping[EavKey, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    """A product row of a cart, wish list, order or the viewed index, with the date that the
    period conditions read."""

    id: int
    product_id: int | None
    sku: str | None
    at: datetime


@dataclass(frozen=True)
class Cart:
    quote_id: int
    row: Mapping[str, Any]
    items: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Order:
    order_id: int
    increment_id: str
    status: str
    created_at: datetime
    base_grand_total: Decimal
    total_qty_ordered: Decimal
    items: tuple[Line, ...] = ()
    addresses: tuple[Record, ...] = ()


@dataclass(frozen=True)
class Product:
    record: Record
    category_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Facts:
    customer_id: int | None
    sources: frozenset[Source]
    customer: Record | None = None
    addresses: tuple[Record, ...] = ()
    subscribed: bool = False
    store_credit: Decimal | None = None
    carts: tuple[Cart, ...] = ()
    wishlist: tuple[Line, ...] = ()
    views: tuple[Line, ...] = ()
    orders: tuple[Order, ...] = ()
    products: Mapping[int, Product] = field(default_factory=dict)

    @property
    def is_guest(self) -> bool:
        return self.customer_id is None


@dataclass
class Needs:
    """What a tree reads, found by `needs_of`."""

    sources: set[Source] = field(default_factory=set)
    customer_eav: set[EavKey] = field(default_factory=set)
    address_eav: set[EavKey] = field(default_factory=set)
    product_eav: set[EavKey] = field(default_factory=set)
    categories: bool = False
    product_row: bool = False
    """Whether a product attribute reads a column of `catalog_product_entity` itself."""
    customer_columns: set[str] = field(default_factory=lambda: {"entity_id"})
    address_columns: set[str] = field(default_factory=lambda: {"entity_id"})
    order_address_columns: set[str] = field(
        default_factory=lambda: {"entity_id", "parent_id", "address_type"}
    )
    """The columns of the customer, address and order address rows the tree reads (the rows
    carry only those: a wide row costs more to fetch and convert than the query itself)."""


CART_COLUMNS = (
    "entity_id",
    "base_subtotal",
    "base_grand_total",
    "base_tax_amount",
    "base_shipping_amount",
    "base_customer_bal_amount_used",
    "items_count",
    "items_qty",
)
"""The quote columns the cart conditions read (`evaluate.CART_AMOUNT_COLUMNS`, line items,
products quantity)."""


def _spec(scope: Scope, subject: Subject, code: str) -> AttributeSpec:
    spec = scope.catalog.attribute(subject, code)
    if spec is None:
        raise LookupError(f"{subject.value} attribute {code!r} is not in the catalogue")
    return spec


def _note_column(spec: AttributeSpec, columns: set[str]) -> None:
    source = spec.source
    if isinstance(source, StaticColumn | Derived) and source.column:
        columns.add(source.column)


def _note_attribute(spec: AttributeSpec, eav: set[EavKey], needs: Needs) -> None:
    source = spec.source
    if isinstance(source, EavColumn):
        eav.add((source.table, source.attribute_id))
    elif isinstance(source, Derived) and source.kind is DerivedKind.CATEGORY_IDS:
        needs.categories = True
    else:
        assert isinstance(source, StaticColumn | Derived)


_NEEDS_LIMIT = 64
# id(tree) -> (tree, catalog, referenced, needs): the objects held keep the id unique.
_needs_memo: dict[int, tuple[Combine, object, object, Needs]] = {}


def _memo_needs(tree: Combine, scope: Scope) -> Needs:
    """`needs_of`, memoized for the very same tree, catalogue and referenced trees (a snapshot's
    `combined` trees are reused from call to call). Returns a copy the caller may change."""
    found = _needs_memo.get(id(tree))
    if (
        found is None
        or found[0] is not tree
        or found[1] is not scope.catalog
        or found[2] is not scope.referenced
    ):
        if len(_needs_memo) >= _NEEDS_LIMIT:
            _needs_memo.clear()
        found = (tree, scope.catalog, scope.referenced, needs_of(tree, scope))
        _needs_memo[id(tree)] = found
    needs = found[3]
    return replace(
        needs,
        sources=set(needs.sources),
        customer_eav=set(needs.customer_eav),
        customer_columns=set(needs.customer_columns),
        address_columns=set(needs.address_columns),
        order_address_columns=set(needs.order_address_columns),
        address_eav=set(needs.address_eav),
        product_eav=set(needs.product_eav),
    )


def needs_of(tree: Combine, scope: Scope) -> Needs:
    """The sources `tree` and the segments it references read."""
    needs = Needs()
    visited: set[int] = set()

    def walk(node: AnyNode) -> None:
        match node:
            case Combine() | ProductCombine():
                pass
            case CustomerAttribute(attribute=code):
                needs.sources.add(Source.CUSTOMER)
                spec = _spec(scope, Subject.CUSTOMER, code)
                _note_attribute(spec, needs.customer_eav, needs)
                _note_column(spec, needs.customer_columns)
            case Newsletter():
                needs.sources.add(Source.NEWSLETTER)
            case StoreCredit():
                needs.sources.add(Source.STORE_CREDIT)
            case CustomerAddress():
                needs.sources.add(Source.ADDRESSES)
            case DefaultAddress():
                needs.sources.add(Source.CUSTOMER)
                needs.customer_columns.update(("default_billing", "default_shipping"))
            case AddressAttribute(attribute=code):
                spec = _spec(scope, Subject.ADDRESS, code)
                _note_attribute(spec, needs.address_eav, needs)
                _note_column(spec, needs.address_columns)
            case AddressHasRegion():
                needs.address_columns.update(("region_id", "region"))
            case OrderAddressType() | OrderStatus() | UpToDate() | DateRange():
                pass
            case CartAmount() | CartLineItems() | CartProductsQuantity():
                needs.sources.add(Source.CARTS)
            case ProductList(source=source):
                needs.sources.add(Source.PRODUCTS)
                if source is ProductListSource.CART:
                    needs.sources.update((Source.CARTS, Source.CART_ITEMS))
                else:
                    needs.sources.add(Source.WISHLIST)
            case ProductHistory(action=action):
                needs.sources.add(Source.PRODUCTS)
                if action is ProductHistoryAction.VIEWED:
                    needs.sources.add(Source.VIEWS)
                else:
                    needs.sources.update((Source.ORDERS, Source.ORDER_ITEMS))
            case ProductAttribute(attribute=code):
                spec = _spec(scope, Subject.PRODUCT, code)
                _note_attribute(spec, needs.product_eav, needs)
                if isinstance(spec.source, StaticColumn):
                    needs.product_row = True
            case SalesAmount() | OrdersNumber() | PurchasedQuantity():
                needs.sources.add(Source.ORDERS)
            case OrderAddress():
                needs.sources.update((Source.ORDERS, Source.ORDER_ADDRESSES))
            case OrderAddressAttribute(attribute=code):
                spec = _spec(scope, Subject.ORDER_ADDRESS, code)
                if not isinstance(spec.source, StaticColumn):
                    raise LookupError(f"order address attribute {code!r} is not a column")
                needs.order_address_columns.add(spec.source.column)
            case SegmentMembership(segment_id=segment_id):
                if segment_id not in visited:
                    visited.add(segment_id)
                    referenced = scope.referenced.get(segment_id)
                    if referenced is not None:
                        walk(referenced)
            case _:
                raise TypeError(f"unknown node {node!r}")
        children: tuple[AnyNode, ...] = getattr(node, "conditions", ())
        for child in children:
            walk(child)

    walk(tree)
    return needs


async def _eav_values(
    keys: Iterable[EavKey], entity_filter: Mapping[str, Any], **extra: Any
) -> dict[int, dict[EavKey, Any]]:
    """Custom values by entity id, one query per value table."""
    by_table: dict[str, set[int]] = defaultdict(set)
    for table, attribute_id in keys:
        by_table[table].add(attribute_id)
    values: dict[int, dict[EavKey, Any]] = defaultdict(dict)
    for table, attribute_ids in sorted(by_table.items()):
        model = EAV_TABLES[table]
        rows = await model.filter(
            attribute_id__in=sorted(attribute_ids), **entity_filter, **extra
        ).values("entity_id", "attribute_id", "value")
        for row in rows:
            values[int(row["entity_id"])][(table, int(row["attribute_id"]))] = row["value"]
    return values


def _shape(
    needs: Needs, customer_id: int | None, quote_id: int | None, visitor_id: int | None
) -> facts_pg.Shape:
    return facts_pg.Shape(
        customer=customer_id is not None,
        quote=quote_id is not None,
        visitor=visitor_id is not None,
        sources=frozenset(s.value for s in needs.sources),
        customer_columns=tuple(sorted(needs.customer_columns)),
        address_columns=tuple(sorted(needs.address_columns)),
        order_address_columns=tuple(sorted(needs.order_address_columns)),
        customer_eav=facts_pg.eav_groups(needs.customer_eav),
        address_eav=facts_pg.eav_groups(needs.address_eav),
        product_eav=facts_pg.eav_groups(needs.product_eav),
        categories=needs.categories,
        product_row=needs.product_row,
    )


async def _load_postgres(
    db: Any,
    needs: Needs,
    scope: Scope,
    customer_id: int | None,
    quote_id: int | None,
    visitor_id: int | None,
) -> Facts:
    """`_load`'s facts from one statement (see `facts_pg`)."""
    shape = _shape(needs, customer_id, quote_id, visitor_id)
    statement = facts_pg.statement(shape)
    found: dict[str, Any] = {}
    if statement.sql:
        rows = await db.execute_query_dict(
            statement.sql, facts_pg.parameters(scope, customer_id, quote_id, visitor_id)
        )
        found = {name: rows[0][f"c{i}"] for i, name in enumerate(statement.columns)}

    def eav(prefix: str) -> dict[int, dict[EavKey, Any]]:
        return facts_pg.eav_of(
            {k.partition(":")[2]: v for k, v in found.items() if k.startswith(prefix + ":")},
            EAV_TABLES,
        )

    customer: Record | None = None
    if "customer" in found:
        rows = facts_pg.rows_of(CustomerEntity, shape.customer_columns, found["customer"])
        if rows:
            values = eav("customer_eav")
            customer = Record(int(rows[0]["entity_id"]), rows[0], values.get(customer_id or 0, {}))
    addresses: tuple[Record, ...] = ()
    if "addresses" in found:
        values = eav("address_eav")
        addresses = tuple(
            Record(int(r["entity_id"]), r, values.get(int(r["entity_id"]), {}))
            for r in facts_pg.rows_of(
                CustomerAddressEntity, shape.address_columns, found["addresses"]
            )
        )
    subscribed = bool(found.get("newsletter", False))
    store_credit: Decimal | None = None
    if "store_credit" in found:
        amounts = facts_pg.decode(found["store_credit"])
        if amounts:
            store_credit = Decimal(facts_pg.convert(MagentoCustomerbalance, "amount")(amounts[0]))
    carts: tuple[Cart, ...] = ()
    if "carts" in found:
        items: dict[int, list[Line]] = defaultdict(list)
        for r in facts_pg.rows_of(QuoteItem, facts_pg.ITEM_COLUMNS, found.get("cart_items", "[]")):
            items[int(r["quote_id"])].append(_line(r, "item_id", "created_at"))
        carts = tuple(
            Cart(int(q["entity_id"]), q, tuple(items.get(int(q["entity_id"]), ())))
            for q in facts_pg.rows_of(Quote, CART_COLUMNS, found["carts"])
        )
    wishlist: tuple[Line, ...] = ()
    if "wishlist" in found:
        wishlist = tuple(
            _line(r, "wishlist_item_id", "added_at")
            for r in facts_pg.rows_of(WishlistItem, facts_pg.WISHLIST_COLUMNS, found["wishlist"])
        )
    views: tuple[Line, ...] = ()
    if "views" in found:
        views = tuple(
            _line(r, "index_id", "added_at")
            for r in facts_pg.rows_of(
                ReportViewedProductIndex, facts_pg.VIEW_COLUMNS, found["views"]
            )
        )
    orders: tuple[Order, ...] = ()
    if "orders" in found:
        order_items: dict[int, list[Line]] = defaultdict(list)
        for r in facts_pg.rows_of(
            SalesOrderItem, facts_pg.ORDER_ITEM_COLUMNS, found.get("order_items", "[]")
        ):
            order_items[int(r["order_id"])].append(_line(r, "item_id", "created_at"))
        order_addresses: dict[int, list[Record]] = defaultdict(list)
        for r in facts_pg.rows_of(
            SalesOrderAddress, shape.order_address_columns, found.get("order_addresses", "[]")
        ):
            order_addresses[int(r["parent_id"])].append(Record(int(r["entity_id"]), r))
        orders = tuple(
            Order(
                order_id=int(r["entity_id"]),
                increment_id=str(r["increment_id"]),
                status=str(r["status"]),
                created_at=r["created_at"],
                base_grand_total=r["base_grand_total"],
                total_qty_ordered=r["total_qty_ordered"],
                items=tuple(order_items.get(int(r["entity_id"]), ())),
                addresses=tuple(order_addresses.get(int(r["entity_id"]), ())),
            )
            for r in facts_pg.rows_of(SalesOrder, facts_pg.ORDER_COLUMNS, found["orders"])
        )
    products: dict[int, Product] = {}
    if Source.PRODUCTS in needs.sources:
        lines = [*wishlist, *views]
        lines.extend(line for cart in carts for line in cart.items)
        lines.extend(line for order in orders for line in order.items)
        product_ids = sorted({line.product_id for line in lines if line.product_id is not None})
        if product_ids:
            product_rows = (
                facts_pg.rows_of(
                    CatalogProductEntity, facts_pg.product_columns(), found["products"]
                )
                if needs.product_row
                else [{"entity_id": pid} for pid in product_ids]
            )
            values = eav("product_eav")
            links: dict[int, set[int]] = defaultdict(set)
            for product_id, category_id in facts_pg.decode(found.get("categories", "[]")):
                links[int(product_id)].add(int(category_id))
            for r in product_rows:
                pid = int(r["entity_id"])
                products[pid] = Product(
                    Record(pid, r, values.get(pid, {})), frozenset(links.get(pid, ()))
                )
    return Facts(
        customer_id=customer_id,
        sources=frozenset(needs.sources),
        customer=customer,
        addresses=addresses,
        subscribed=subscribed,
        store_credit=store_credit,
        carts=carts,
        wishlist=wishlist,
        views=views,
        orders=orders,
        products=products,
    )


def _line(row: Mapping[str, Any], id_column: str, at_column: str) -> Line:
    return Line(
        id=int(row[id_column]),
        product_id=None if row["product_id"] is None else int(row["product_id"]),
        sku=row.get("sku"),
        at=row[at_column],
    )


async def load_facts(
    tree: Combine,
    scope: Scope,
    *,
    customer_id: int | None,
    quote_id: int | None,
    visitor_id: int | None,
    product_rows: bool = False,
) -> Facts:
    """What `tree` reads about one customer (`customer_id`) or one guest (`quote_id` and/or
    `visitor_id`), in the website of `scope`. The products' own rows are read when a condition
    reads one of their columns, or always with `product_rows` (an explanation shows their sku).

    On PostgreSQL everything is read by one statement (`facts_pg`: one round trip, one snapshot),
    inside the caller's transaction when there is one; elsewhere one query per source."""
    needs = _memo_needs(tree, scope)
    needs.product_row = needs.product_row or product_rows
    db: Any = CustomerEntity._meta.db
    if dialect_of(db) is Dialect.POSTGRES:
        return await _load_postgres(db, needs, scope, customer_id, quote_id, visitor_id)
    return await _load(needs, scope, customer_id, quote_id, visitor_id)


async def _load(
    needs: Needs,
    scope: Scope,
    customer_id: int | None,
    quote_id: int | None,
    visitor_id: int | None,
) -> Facts:
    wanted = needs.sources
    stores = list(scope.store_ids)
    customer: Record | None = None
    addresses: tuple[Record, ...] = ()
    subscribed = False
    store_credit: Decimal | None = None
    carts: tuple[Cart, ...] = ()
    wishlist: tuple[Line, ...] = ()
    views: tuple[Line, ...] = ()
    orders: tuple[Order, ...] = ()
    products: dict[int, Product] = {}
    guest = customer_id is None

    if not guest and Source.CUSTOMER in wanted:
        rows = await CustomerEntity.filter(entity_id=customer_id).values(
            *sorted(needs.customer_columns)
        )
        if rows:
            eav = await _eav_values(needs.customer_eav, {"entity_id": customer_id})
            customer = Record(int(rows[0]["entity_id"]), rows[0], eav.get(customer_id or 0, {}))

    if not guest and Source.ADDRESSES in wanted:
        rows = (
            await CustomerAddressEntity.filter(parent_id=customer_id)
            .order_by("entity_id")
            .values(*sorted(needs.address_columns))
        )
        eav = await _eav_values(needs.address_eav, {"entity__parent_id": customer_id})
        addresses = tuple(
            Record(int(r["entity_id"]), r, eav.get(int(r["entity_id"]), {})) for r in rows
        )

    if not guest and Source.NEWSLETTER in wanted and stores:
        subscribed = await NewsletterSubscriber.exists(
            customer_id=customer_id,
            store_id__in=stores,
            subscriber_status=SubscriberStatus.SUBSCRIBED,
        )

    if not guest and Source.STORE_CREDIT in wanted:
        amounts = await MagentoCustomerbalance.filter(
            customer_id=customer_id, website_id=scope.website_id
        ).values_list("amount", flat=True)
        store_credit = Decimal(amounts[0]) if amounts else None

    if Source.CARTS in wanted and stores and (quote_id is not None or not guest):
        query = Quote.filter(is_active=True, store_id__in=stores)
        query = (
            query.filter(entity_id=quote_id)
            if quote_id is not None
            else query.filter(customer_id=customer_id)
        )
        quote_rows = await query.order_by("entity_id").values(*CART_COLUMNS)
        items: dict[int, list[Line]] = defaultdict(list)
        if Source.CART_ITEMS in wanted and quote_rows:
            item_rows = (
                await QuoteItem.filter(quote_id__in=[int(q["entity_id"]) for q in quote_rows])
                .order_by("item_id")
                .values("item_id", "quote_id", "product_id", "sku", "created_at")
            )
            for r in item_rows:
                items[int(r["quote_id"])].append(_line(r, "item_id", "created_at"))
        carts = tuple(
            Cart(int(q["entity_id"]), q, tuple(items.get(int(q["entity_id"]), ())))
            for q in quote_rows
        )

    if not guest and Source.WISHLIST in wanted:
        rows = (
            await WishlistItem.filter(wishlist__customer_id=customer_id)
            .order_by("wishlist_item_id")
            .values("wishlist_item_id", "product_id", "added_at")
        )
        wishlist = tuple(_line(r, "wishlist_item_id", "added_at") for r in rows)

    if Source.VIEWS in wanted and stores and (visitor_id is not None or not guest):
        view_query = ReportViewedProductIndex.filter(store_id__in=stores)
        view_query = (
            view_query.filter(customer_id=customer_id)
            if not guest
            else view_query.filter(visitor_id=visitor_id)
        )
        rows = await view_query.order_by("index_id").values("index_id", "product_id", "added_at")
        views = tuple(_line(r, "index_id", "added_at") for r in rows)

    if not guest and Source.ORDERS in wanted and stores:
        order_rows = (
            await SalesOrder.filter(customer_id=customer_id, store_id__in=stores)
            .order_by("entity_id")
            .values(
                "entity_id",
                "increment_id",
                "status",
                "created_at",
                "base_grand_total",
                "total_qty_ordered",
            )
        )
        order_ids = [int(r["entity_id"]) for r in order_rows]
        order_items: dict[int, list[Line]] = defaultdict(list)
        order_addresses: dict[int, list[Record]] = defaultdict(list)
        if Source.ORDER_ITEMS in wanted and order_ids:
            for r in (
                await SalesOrderItem.filter(order_id__in=order_ids)
                .order_by("item_id")
                .values("item_id", "order_id", "product_id", "sku", "created_at")
            ):
                order_items[int(r["order_id"])].append(_line(r, "item_id", "created_at"))
        if Source.ORDER_ADDRESSES in wanted and order_ids:
            for r in (
                await SalesOrderAddress.filter(parent_id__in=order_ids)
                .order_by("entity_id")
                .values(*sorted(needs.order_address_columns))
            ):
                order_addresses[int(r["parent_id"])].append(Record(int(r["entity_id"]), r))
        orders = tuple(
            Order(
                order_id=int(r["entity_id"]),
                increment_id=str(r["increment_id"]),
                status=str(r["status"]),
                created_at=r["created_at"],
                base_grand_total=r["base_grand_total"],
                total_qty_ordered=r["total_qty_ordered"],
                items=tuple(order_items.get(int(r["entity_id"]), ())),
                addresses=tuple(order_addresses.get(int(r["entity_id"]), ())),
            )
            for r in order_rows
        )

    if Source.PRODUCTS in wanted:
        lines = [*wishlist, *views]
        lines.extend(line for cart in carts for line in cart.items)
        lines.extend(line for order in orders for line in order.items)
        product_ids = sorted({line.product_id for line in lines if line.product_id is not None})
        if product_ids:
            # The row itself only when a condition reads one of its columns: a product that does
            # not exist has no custom values nor category links either (foreign keys), so it
            # reads as an empty record, exactly as a missing product does.
            rows = (
                await CatalogProductEntity.filter(entity_id__in=product_ids).values()
                if needs.product_row
                else [{"entity_id": pid} for pid in product_ids]
            )
            eav = await _eav_values(needs.product_eav, {"entity_id__in": product_ids}, store_id=0)
            links: dict[int, set[int]] = defaultdict(set)
            if needs.categories:
                for link in await CatalogCategoryProduct.filter(product_id__in=product_ids).values(
                    "product_id", "category_id"
                ):
                    links[int(link["product_id"])].add(int(link["category_id"]))
            for r in rows:
                pid = int(r["entity_id"])
                products[pid] = Product(
                    Record(pid, r, eav.get(pid, {})), frozenset(links.get(pid, ()))
                )

    return Facts(
        customer_id=customer_id,
        sources=frozenset(wanted),
        customer=customer,
        addresses=addresses,
        subscribed=subscribed,
        store_credit=store_credit,
        carts=carts,
        wishlist=wishlist,
        views=views,
        orders=orders,
        products=products,
    )
