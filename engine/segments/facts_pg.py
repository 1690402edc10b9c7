"""`load_facts` on PostgreSQL in one statement: every source the tree reads comes back as a JSON
column of a single row (one round trip instead of one per source), then is turned into the very
values the per-source queries of `facts._load` give (each column through its tortoise field, as
`values()` does). The statement's text depends only on what is read (the `Needs`, and whether the
caller is a customer, a cart or a visitor), so it is built once per shape and reused.

What is read, and how it is scoped, is exactly `facts._load`'s (the SQLite path, and the referee
of `tests/test_segments_facts_pg.py`): change both together."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tortoise import fields as tortoise_fields
from tortoise.models import Model

from engine.segments.scope import Scope
from models import (
    CatalogCategoryProduct,
    CatalogProductEntity,
    CustomerAddressEntity,
    CustomerEntity,
    MagentoCustomerbalance,
    Quote,
    QuoteItem,
    ReportViewedProductIndex,
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    WishlistItem,
)
from models.newsletter import SubscriberStatus

Convert = Callable[[Any], Any]

ORDER_COLUMNS = (
    "entity_id",
    "increment_id",
    "status",
    "created_at",
    "base_grand_total",
    "total_qty_ordered",
)
ITEM_COLUMNS = ("item_id", "quote_id", "product_id", "sku", "created_at")
ORDER_ITEM_COLUMNS = ("item_id", "order_id", "product_id", "sku", "created_at")
WISHLIST_COLUMNS = ("wishlist_item_id", "product_id", "added_at")
VIEW_COLUMNS = ("index_id", "product_id", "added_at")


def _converter(model: type[Model], column: str) -> Convert:
    """JSON value -> what tortoise's `values()` returns for `column` of `model`."""
    field = model._meta.fields_map[column]
    to_python = field.to_python_value
    if isinstance(field, tortoise_fields.DatetimeField):

        def moment(value: Any) -> Any:
            if value is None:
                return None
            return to_python(datetime.fromisoformat(value).astimezone(UTC))

        return moment
    if isinstance(field, tortoise_fields.DateField):
        return lambda value: None if value is None else to_python(date.fromisoformat(value))
    if isinstance(field, tortoise_fields.DecimalField):
        return lambda value: None if value is None else to_python(Decimal(str(value)))
    return lambda value: None if value is None else to_python(value)


_CONVERTERS: dict[tuple[type[Model], str], Convert] = {}


def product_columns() -> tuple[str, ...]:
    """Every column of `catalog_product_entity`, in the order `.values()` returns them (the
    model's field names, which are its column names)."""
    meta = CatalogProductEntity._meta
    names = tuple(f for f in meta.fields_map if f in meta.fields_db_projection)
    assert all(meta.fields_db_projection[f] == f for f in names)
    return names


def convert(model: type[Model], column: str) -> Convert:
    found = _CONVERTERS.get((model, column))
    if found is None:
        found = _CONVERTERS[(model, column)] = _converter(model, column)
    return found


def _table(model: type[Model]) -> str:
    return f'"{model._meta.db_table}"'


def _columns(alias: str, columns: Sequence[str]) -> str:
    return ", ".join(f'{alias}."{c}"' for c in columns)


def _json_rows(columns: Sequence[str], source: str, order: str, alias: str = "t") -> str:
    """A JSON array of rows (each an array of `columns`), ordered, '[]' when there is none."""
    return (
        f"(SELECT COALESCE(json_agg(json_build_array({_columns(alias, columns)}) "
        f"ORDER BY {alias}.\"{order}\"), '[]') FROM {source})"
    )


@dataclass(frozen=True)
class Shape:
    """What decides the statement's text."""

    customer: bool  # a customer (else a guest)
    quote: bool  # a given quote id
    visitor: bool  # a given visitor id
    sources: frozenset[str]
    customer_columns: tuple[str, ...]
    address_columns: tuple[str, ...]
    order_address_columns: tuple[str, ...]
    customer_eav: tuple[tuple[str, tuple[int, ...]], ...]
    address_eav: tuple[tuple[str, tuple[int, ...]], ...]
    product_eav: tuple[tuple[str, tuple[int, ...]], ...]
    categories: bool
    product_row: bool


@dataclass(frozen=True)
class Statement:
    sql: str
    columns: tuple[str, ...]  # the result's column names, in order


def eav_groups(keys: set[tuple[str, int]]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    by_table: dict[str, set[int]] = defaultdict(set)
    for table, attribute_id in keys:
        by_table[table].add(attribute_id)
    return tuple((table, tuple(sorted(ids))) for table, ids in sorted(by_table.items()))


def _eav_select(table: str, attribute_ids: Sequence[int], where: str) -> str:
    ids = ", ".join(str(int(i)) for i in attribute_ids)
    return (
        "(SELECT COALESCE(json_agg(json_build_array(e.entity_id, e.attribute_id, e.value)), "
        f"'[]') FROM \"{table}\" e WHERE e.attribute_id IN ({ids}) AND {where})"
    )


_STATEMENTS: dict[Shape, Statement] = {}

# Parameters: $1 customer id, $2 quote id, $3 visitor id, $4 store ids, $5 website id.


def statement(shape: Shape) -> Statement:
    found = _STATEMENTS.get(shape)
    if found is None:
        if len(_STATEMENTS) >= 256:
            _STATEMENTS.clear()
        found = _STATEMENTS[shape] = _build(shape)
    return found


def _build(shape: Shape) -> Statement:
    wanted = shape.sources
    ctes: list[str] = []
    selects: list[tuple[str, str]] = []
    line_sources: list[str] = []
    customer = shape.customer
    if customer and "customer" in wanted:
        selects.append(
            (
                "customer",
                _json_rows(
                    shape.customer_columns,
                    f"{_table(CustomerEntity)} t WHERE t.entity_id = $1",
                    "entity_id",
                ),
            )
        )
        for table, ids in shape.customer_eav:
            selects.append((f"customer_eav:{table}", _eav_select(table, ids, "e.entity_id = $1")))
    if customer and "addresses" in wanted:
        selects.append(
            (
                "addresses",
                _json_rows(
                    shape.address_columns,
                    f"{_table(CustomerAddressEntity)} t WHERE t.parent_id = $1",
                    "entity_id",
                ),
            )
        )
        for table, ids in shape.address_eav:
            where = (
                f"e.entity_id IN (SELECT a.entity_id FROM {_table(CustomerAddressEntity)} a "
                "WHERE a.parent_id = $1)"
            )
            selects.append((f"address_eav:{table}", _eav_select(table, ids, where)))
    if customer and "newsletter" in wanted:
        selects.append(
            (
                "newsletter",
                '(SELECT EXISTS (SELECT 1 FROM "newsletter_subscriber" n WHERE '
                "n.customer_id = $1 AND n.store_id = ANY($4::int[]) AND "
                f"n.subscriber_status = {int(SubscriberStatus.SUBSCRIBED)}))",
            )
        )
    if customer and "store_credit" in wanted:
        selects.append(
            (
                "store_credit",
                f"(SELECT COALESCE(json_agg(b.amount), '[]') FROM "
                f"{_table(MagentoCustomerbalance)} b WHERE b.customer_id = $1 "
                "AND b.website_id = $5)",
            )
        )
    if "carts" in wanted and (shape.quote or customer):
        owner = "q.entity_id = $2" if shape.quote else "q.customer_id = $1"
        ctes.append(
            f"carts AS (SELECT {_columns('q', CART_COLUMNS)} FROM {_table(Quote)} q "
            f"WHERE q.is_active AND q.store_id = ANY($4::int[]) AND {owner})"
        )
        selects.append(("carts", _json_rows(CART_COLUMNS, "carts t", "entity_id")))
        if "cart_items" in wanted:
            ctes.append(
                "cart_items AS (SELECT i.item_id, i.quote_id, i.product_id, i.sku, i.created_at "
                f"FROM {_table(QuoteItem)} i WHERE i.quote_id IN (SELECT entity_id FROM carts))"
            )
            selects.append(
                (
                    "cart_items",
                    _json_rows(
                        ITEM_COLUMNS,
                        "cart_items t",
                        "item_id",
                    ),
                )
            )
            line_sources.append("cart_items")
    if customer and "wishlist" in wanted:
        ctes.append(
            "wishlist AS (SELECT w.wishlist_item_id, w.product_id, w.added_at FROM "
            f'{_table(WishlistItem)} w JOIN "wishlist" l ON l.wishlist_id = w.wishlist_id '
            "WHERE l.customer_id = $1)"
        )
        selects.append(
            (
                "wishlist",
                _json_rows(
                    WISHLIST_COLUMNS,
                    "wishlist t",
                    "wishlist_item_id",
                ),
            )
        )
        line_sources.append("wishlist")
    if "views" in wanted and (shape.visitor or customer):
        owner = "v.customer_id = $1" if customer else "v.visitor_id = $3"
        ctes.append(
            "views AS (SELECT v.index_id, v.product_id, v.added_at FROM "
            f"{_table(ReportViewedProductIndex)} v WHERE v.store_id = ANY($4::int[]) "
            f"AND {owner})"
        )
        selects.append(("views", _json_rows(VIEW_COLUMNS, "views t", "index_id")))
        line_sources.append("views")
    if customer and "orders" in wanted:
        ctes.append(
            f"orders AS (SELECT {_columns('o', ORDER_COLUMNS)} FROM {_table(SalesOrder)} o "
            "WHERE o.customer_id = $1 AND o.store_id = ANY($4::int[]))"
        )
        selects.append(("orders", _json_rows(ORDER_COLUMNS, "orders t", "entity_id")))
        if "order_items" in wanted:
            ctes.append(
                "order_items AS (SELECT i.item_id, i.order_id, i.product_id, i.sku, "
                f"i.created_at FROM {_table(SalesOrderItem)} i "
                "WHERE i.order_id IN (SELECT entity_id FROM orders))"
            )
            selects.append(
                (
                    "order_items",
                    _json_rows(
                        ORDER_ITEM_COLUMNS,
                        "order_items t",
                        "item_id",
                    ),
                )
            )
            line_sources.append("order_items")
        if "order_addresses" in wanted:
            selects.append(
                (
                    "order_addresses",
                    _json_rows(
                        shape.order_address_columns,
                        f"{_table(SalesOrderAddress)} t WHERE t.parent_id IN "
                        "(SELECT entity_id FROM orders)",
                        "entity_id",
                    ),
                )
            )
    if "products" in wanted and line_sources:
        ctes.append(
            "pids AS ("
            + " UNION ".join(
                f"SELECT product_id FROM {s} WHERE product_id IS NOT NULL" for s in line_sources
            )
            + ")"
        )
        if shape.product_row:
            columns = product_columns()
            selects.append(
                (
                    "products",
                    _json_rows(
                        columns,
                        f"{_table(CatalogProductEntity)} t WHERE t.entity_id IN "
                        "(SELECT product_id FROM pids)",
                        "entity_id",
                    ),
                )
            )
        for table, ids in shape.product_eav:
            where = "e.entity_id IN (SELECT product_id FROM pids) AND e.store_id = 0"
            selects.append((f"product_eav:{table}", _eav_select(table, ids, where)))
        if shape.categories:
            selects.append(
                (
                    "categories",
                    "(SELECT COALESCE(json_agg(json_build_array(c.product_id, c.category_id)), "
                    f"'[]') FROM {_table(CatalogCategoryProduct)} c WHERE c.product_id IN "
                    "(SELECT product_id FROM pids))",
                )
            )
    if not selects:
        return Statement("", ())
    with_clause = f"WITH {', '.join(ctes)} " if ctes else ""
    body = ", ".join(f"{sql} AS c{i}" for i, (_, sql) in enumerate(selects))
    # The parameters every statement declares, whether it reads them or not.
    declared = "SELECT $1::int AS p1, $2::int AS p2, $3::int AS p3, $4::int[] AS p4, $5::int AS p5"
    sql = f"{with_clause}SELECT {body} FROM ({declared}) params"
    return Statement(sql, tuple(name for name, _ in selects))


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


def parameters(
    scope: Scope, customer_id: int | None, quote_id: int | None, visitor_id: int | None
) -> list[Any]:
    return [customer_id, quote_id, visitor_id, list(scope.store_ids), scope.website_id]


def decode(value: Any) -> Any:
    """A JSON column (asyncpg returns json as text); numbers stay exact."""
    if isinstance(value, str):
        return json.loads(value, parse_float=Decimal)
    return value


def rows_of(model: type[Model], columns: Sequence[str], raw: Any) -> list[dict[str, Any]]:
    converters = [convert(model, c) for c in columns]
    return [
        {c: convert(v) for c, convert, v in zip(columns, converters, row, strict=True)}
        for row in decode(raw)
    ]


def eav_of(
    raw_by_table: Mapping[str, Any], tables: Mapping[str, type[Model]]
) -> dict[int, dict[tuple[str, int], Any]]:
    """{entity id: {(table, attribute id): value}} from the EAV columns."""
    values: dict[int, dict[tuple[str, int], Any]] = defaultdict(dict)
    for table, raw in raw_by_table.items():
        to_python = convert(tables[table], "value")
        for entity_id, attribute_id, value in decode(raw):
            values[int(entity_id)][(table, int(attribute_id))] = to_python(value)
    return values
