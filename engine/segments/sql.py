"""The condition tree compiled to one SQL statement: the registered customers of a scope for which
the tree holds, for whole-population refreshes, counts and previews.

The meaning of every leaf is `compare.py`'s; this module only writes it in SQL that SQLite and
PostgreSQL both run. Principles:
- Every predicate is two-valued (never NULL), so `NOT` and FALSE combinations negate exactly:
  a leaf is written `(actual IS NOT NULL AND core)` for positive operators,
  `(actual IS NOT NULL AND NOT core)` for the negative ones (NULL never matches) and
  `NOT (actual IS NOT NULL AND actual <> '')` for `<=>`.
- Sub-selections (addresses, carts, wish lists, views, ordered items, order addresses) are
  correlated `EXISTS`; sales aggregates are `[NOT] EXISTS (SELECT 1 FROM (SELECT customer_id ...
  GROUP BY customer_id HAVING ...) g WHERE g.customer_id = c.entity_id)`, which PostgreSQL runs
  as one grouped scan joined to the customers.
- Values are bound parameters, numbered (`?1` on SQLite, `$1` on PostgreSQL) so one can be
  referenced twice and a statement can be embedded in another (`SqlQuery.shifted`).
- Times are computed in Python from `scope.now` and the website's timezone and bound as UTC
  instants (on SQLite in tortoise's stored text form, `YYYY-MM-DD HH:MM:SS+00:00`).
- Money on SQLite (decimals kept as text) is compared as integers of millionths, so sums and
  averages are exact as on PostgreSQL's `numeric`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, assert_never

from tortoise import Tortoise

from engine.segments.catalog_types import (
    AttributeSpec,
    Derived,
    DerivedKind,
    EavColumn,
    StaticColumn,
    Storage,
    Subject,
)
from engine.segments.compare import day_start, numeric_domain, to_date, up_to_date_threshold
from engine.segments.scope import Scope
from engine.segments.tree import (
    ANY_ORDER_STATUS,
    NEGATIVE_OPERATORS,
    AddressAttribute,
    AddressHasRegion,
    AddressNode,
    Aggregator,
    CartAmount,
    CartAmountKind,
    CartLineItems,
    CartProductsQuantity,
    Combine,
    CustomerAddress,
    CustomerAttribute,
    DateRange,
    DefaultAddress,
    InputType,
    Newsletter,
    Node,
    Operator,
    OrderAddress,
    OrderAddressAttribute,
    OrderAddressNode,
    OrderAddressType,
    OrderFilterNode,
    OrdersNumber,
    OrderStatus,
    ProductAttribute,
    ProductCombine,
    ProductHistory,
    ProductHistoryAction,
    ProductList,
    ProductListSource,
    ProductNode,
    PurchasedQuantity,
    SalesAmount,
    SalesFunction,
    SegmentMembership,
    StoreCredit,
    UpToDate,
    Value,
)

TRUE_SQL = "1=1"
FALSE_SQL = "1=0"
SCALE = 1_000_000
"""SQLite keeps decimals as text: money is compared as integers of millionths there."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PLACEHOLDER = re.compile(r"(\?|\$)(\d+)")

_COMPARISONS = {
    Operator.IS: "=",
    Operator.IS_NOT: "<>",
    Operator.GREATER_OR_EQUAL: ">=",
    Operator.LESS_OR_EQUAL: "<=",
    Operator.GREATER: ">",
    Operator.LESS: "<",
}

_POSITIVE_OF = {
    Operator.IS_NOT: Operator.IS,
    Operator.NOT_CONTAINS: Operator.CONTAINS,
    Operator.NOT_ONE_OF: Operator.ONE_OF,
    Operator.MULTI_NOT_CONTAINS: Operator.MULTI_CONTAINS,
}

_CART_COLUMNS = {
    CartAmountKind.SUBTOTAL: "base_subtotal",
    CartAmountKind.GRAND_TOTAL: "base_grand_total",
    CartAmountKind.TAX: "base_tax_amount",
    CartAmountKind.SHIPPING: "base_shipping_amount",
    CartAmountKind.STORE_CREDIT: "base_customer_bal_amount_used",
}


class Dialect(StrEnum):
    SQLITE = "sqlite"
    POSTGRES = "postgres"


def dialect_of(connection: Any) -> Dialect:
    """The dialect of a tortoise connection (`Tortoise.get_connection("default")`)."""
    name = str(getattr(connection.capabilities, "dialect", ""))
    if name == "sqlite":
        return Dialect.SQLITE
    if name == "postgres":
        return Dialect.POSTGRES
    raise ValueError(f"unsupported database dialect {name!r}")


def placeholders(sql: str, dialect: Dialect) -> str:
    """Statements written with plain `?`; PostgreSQL wants them numbered (`$1`, `$2`, ...)."""
    if dialect is not Dialect.POSTGRES:
        return sql
    parts = sql.split("?")
    return parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))


@dataclass(frozen=True)
class SqlQuery:
    """One statement and its parameters, placeholders numbered from 1 (`?n` / `$n`)."""

    sql: str
    params: tuple[Any, ...]

    def shifted(self, offset: int) -> SqlQuery:
        """The same statement with every placeholder number increased by `offset`, to embed it
        after `offset` parameters of an enclosing statement (e.g. `INSERT ... SELECT`)."""
        if offset == 0:
            return self
        sql = _PLACEHOLDER.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + offset}", self.sql)
        return SqlQuery(sql, self.params)


class _Ids:
    """Fresh table aliases, so nested sub-selections never shadow each other."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"


def _ident(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not an SQL identifier: {name!r}")
    return f'"{name}"'


def _number(value: object) -> Decimal | None:
    """`value` read as a number (Decimal), None when it is not one (compare's NOT_A_VALUE)."""
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).lower()


def _items(value: Value) -> tuple[object, ...]:
    if isinstance(value, tuple):
        return value
    return () if value is None else (value,)


def _holds_for_zero(operator: Operator, value: Decimal) -> bool:
    zero = Decimal(0)
    return {
        Operator.IS: zero == value,
        Operator.IS_NOT: zero != value,
        Operator.GREATER_OR_EQUAL: zero >= value,
        Operator.LESS_OR_EQUAL: zero <= value,
        Operator.GREATER: zero > value,
        Operator.LESS: zero < value,
    }[operator]


def _holds_for_count(node: OrdersNumber, count: int) -> bool:
    value, n = node.value, Decimal(count)
    return {
        Operator.IS: n == value,
        Operator.IS_NOT: n != value,
        Operator.GREATER_OR_EQUAL: n >= value,
        Operator.LESS_OR_EQUAL: n <= value,
        Operator.GREATER: n > value,
        Operator.LESS: n < value,
    }[node.operator]


def _join(parts: Sequence[str], glue: str, empty: str) -> str:
    if not parts:
        return empty
    if len(parts) == 1:
        return parts[0]
    return "(" + f" {glue} ".join(parts) + ")"


def _not(predicate: str) -> str:
    return f"NOT ({predicate})"


@dataclass(frozen=True)
class _Rows:
    """A sub-selection's row context: where its date and product are."""

    date_column: str
    product_column: str = ""


class _Compiler:
    def __init__(self, scope: Scope, dialect: Dialect) -> None:
        self.scope = scope
        self.dialect = dialect
        self.params: list[Any] = []
        self.alias = _Ids()
        self.referencing: list[int] = []

    # --- parameters and dialect pieces ---------------------------------------------------------

    def p(self, value: Any) -> str:
        self.params.append(value)
        n = len(self.params)
        return f"?{n}" if self.dialect is Dialect.SQLITE else f"${n}"

    def instant(self, moment: datetime) -> str:
        """A UTC instant in the form the DATETIME columns store."""
        moment = moment.astimezone(UTC)
        if self.dialect is Dialect.SQLITE:
            return self.p(moment.isoformat(" "))
        return self.p(moment)

    def day(self, day: date) -> str:
        if self.dialect is Dialect.SQLITE:
            return self.p(day.isoformat())
        return self.p(day)

    def num_expr(self, expr: str, storage: Storage = Storage.DECIMAL) -> str:
        """A numeric column as a comparable number (millionths as integers on SQLite)."""
        if self.dialect is Dialect.SQLITE:
            return f"CAST(ROUND(CAST({expr} AS REAL) * {SCALE}) AS INTEGER)"
        if storage is Storage.BOOL:
            return f"(CASE WHEN {expr} THEN 1 ELSE 0 END)"
        if storage is Storage.TEXT:
            return f"CAST({expr} AS NUMERIC)"
        return expr

    def number_text(self, expr: str, storage: Storage) -> str:
        """A number as the text Magento's LIKE reads (`compare.number_text`)."""
        if storage is Storage.TEXT:
            return f"LOWER({expr})"
        if storage is Storage.DECIMAL:
            if self.dialect is Dialect.SQLITE:
                return f"printf('%.6f', {expr})"
            return f"CAST(CAST({expr} AS NUMERIC(20,6)) AS TEXT)"
        return f"CAST({expr} AS TEXT)"

    def num_value(self, value: Decimal) -> str:
        if self.dialect is Dialect.SQLITE:
            scaled = value * SCALE
            if scaled == scaled.to_integral_value():
                return self.p(int(scaled))
            return self.p(float(scaled))
        return f"CAST({self.p(value)} AS NUMERIC)"

    def contains(self, haystack: str, needle: str) -> str:
        if self.dialect is Dialect.SQLITE:
            return f"instr({haystack}, {needle}) > 0"
        return f"strpos({haystack}, {needle}) > 0"

    def stores(self, column: str) -> str:
        if not self.scope.store_ids:
            return FALSE_SQL
        return f"{column} IN ({', '.join(self.p(int(s)) for s in self.scope.store_ids)})"

    def true(self) -> str:
        return "TRUE"

    # --- the tree ------------------------------------------------------------------------------

    def node(self, node: Node, customer: str) -> str:
        if isinstance(node, Combine):
            return self.combine(
                node.aggregator, node.expected, [self.node(n, customer) for n in node.conditions]
            )
        if isinstance(node, CustomerAttribute):
            return self.customer_attribute(node, customer)
        if isinstance(node, Newsletter):
            ns = self.alias("ns")
            exists = (
                f"EXISTS (SELECT 1 FROM newsletter_subscriber {ns} "
                f"WHERE {ns}.customer_id = {customer} AND {self.stores(f'{ns}.store_id')} "
                f"AND {ns}.subscriber_status = {self.p(1)})"
            )
            return exists if node.subscribed else _not(exists)
        if isinstance(node, StoreCredit):
            b = self.alias("b")
            return self.leaf_row(
                f"magento_customerbalance {b}",
                f"{b}.customer_id = {customer} AND {b}.website_id = "
                f"{self.p(int(self.scope.website_id))}",
                f"{b}.amount",
                Storage.DECIMAL,
                InputType.NUMERIC,
                node.operator,
                node.value,
            )
        if isinstance(node, CustomerAddress):
            a = self.alias("a")
            rows = self.all_or_any(
                node.aggregator, [self.address(n, a, customer) for n in node.conditions]
            )
            return (
                f"EXISTS (SELECT 1 FROM customer_address_entity {a} "
                f"WHERE {a}.parent_id = {customer} AND {rows})"
            )
        if isinstance(node, CartAmount):
            return self.cart(node.kind, node.operator, node.value, customer)
        if isinstance(node, CartLineItems):
            return self.cart_column("items_count", Storage.INT, node.operator, node.value, customer)
        if isinstance(node, CartProductsQuantity):
            return self.cart_column(
                "items_qty", Storage.DECIMAL, node.operator, node.value, customer
            )
        if isinstance(node, ProductList):
            return self.product_list(node, customer)
        if isinstance(node, ProductHistory):
            return self.product_history(node, customer)
        if isinstance(node, OrderAddress):
            o, oa = self.alias("o"), self.alias("oa")
            rows = self.all_or_any(
                node.aggregator, [self.order_address(n, oa) for n in node.conditions]
            )
            return (
                f"EXISTS (SELECT 1 FROM sales_order {o} "
                f"JOIN sales_order_address {oa} ON {oa}.parent_id = {o}.entity_id "
                f"WHERE {o}.customer_id = {customer} AND {self.stores(f'{o}.store_id')} "
                f"AND {rows})"
            )
        if isinstance(node, SalesAmount):
            return self.sales(node.function, "base_grand_total", node, customer)
        if isinstance(node, PurchasedQuantity):
            return self.sales(node.function, "total_qty_ordered", node, customer)
        if isinstance(node, OrdersNumber):
            return self.orders_number(node, customer)
        if isinstance(node, SegmentMembership):
            return self.segment(node, customer)
        assert_never(node)

    def combine(self, aggregator: Aggregator, expected: bool, children: Sequence[str]) -> str:
        parts = list(children) if expected else [_not(c) for c in children]
        if aggregator is Aggregator.ALL:
            return _join(parts, "AND", TRUE_SQL)
        return _join(parts, "OR", FALSE_SQL)

    def all_or_any(self, aggregator: Aggregator, children: Sequence[str]) -> str:
        """A sub-selection's row filter: its children as TRUE; no children, every row."""
        if not children:
            return TRUE_SQL
        return _join(children, "AND" if aggregator is Aggregator.ALL else "OR", TRUE_SQL)

    # --- leaves --------------------------------------------------------------------------------

    def core(
        self, expr: str, storage: Storage, input_type: InputType, operator: Operator, value: Value
    ) -> str:
        """`expr <operator> value` for a non-NULL `expr` and a positive operator."""
        if input_type is InputType.MULTISELECT:
            return self.multiselect(expr, operator, value)
        if operator is Operator.CONTAINS:
            if numeric_domain(storage, input_type):
                return self.contains(self.number_text(expr, storage), self.p(_text(value)))
            return self.contains(f"LOWER({expr})", self.p(_text(value)))
        if numeric_domain(storage, input_type):
            left = self.num_expr(expr, storage)
            if isinstance(value, tuple) or operator is Operator.ONE_OF:
                numbers = [n for n in (_number(v) for v in _items(value)) if n is not None]
                if not numbers:
                    return FALSE_SQL
                return f"{left} IN ({', '.join(self.num_value(n) for n in numbers)})"
            number = _number(value)
            if number is None:
                return FALSE_SQL
            return f"{left} {_COMPARISONS[operator]} {self.num_value(number)}"
        if storage is Storage.DATE or storage is Storage.DATETIME:
            return self.date_core(expr, storage, operator, value)
        left = f"LOWER({expr})"
        if isinstance(value, tuple) or operator is Operator.ONE_OF:
            texts = [_text(v) for v in _items(value)]
            if not texts:
                return FALSE_SQL
            return f"{left} IN ({', '.join(self.p(t) for t in texts)})"
        return f"{left} {_COMPARISONS[operator]} {self.p(_text(value))}"

    def date_core(self, expr: str, storage: Storage, operator: Operator, value: Value) -> str:
        days = [d for d in (to_date(v) for v in _items(value)) if isinstance(d, date)]
        if not days:
            return FALSE_SQL
        if storage is Storage.DATE:
            if isinstance(value, tuple) or operator is Operator.ONE_OF:
                return f"{expr} IN ({', '.join(self.day(d) for d in days)})"
            return f"{expr} {_COMPARISONS[operator]} {self.day(days[0])}"
        tz = self.scope.timezone

        def within(d: date) -> str:
            start = self.instant(day_start(d, tz))
            end = self.instant(day_start(d + timedelta(days=1), tz))
            return f"({expr} >= {start} AND {expr} < {end})"

        if isinstance(value, tuple) or operator is Operator.ONE_OF:
            return _join([within(d) for d in days], "OR", FALSE_SQL)
        d = days[0]
        if operator is Operator.IS:
            return within(d)
        if operator is Operator.GREATER_OR_EQUAL:
            return f"{expr} >= {self.instant(day_start(d, tz))}"
        if operator is Operator.GREATER:
            return f"{expr} >= {self.instant(day_start(d + timedelta(days=1), tz))}"
        if operator is Operator.LESS_OR_EQUAL:
            return f"{expr} < {self.instant(day_start(d + timedelta(days=1), tz))}"
        if operator is Operator.LESS:
            return f"{expr} < {self.instant(day_start(d, tz))}"
        raise ValueError(f"{operator.value} does not apply to dates")

    def multiselect(self, expr: str, operator: Operator, value: Value) -> str:
        wanted = sorted({t for t in (_text(v).strip() for v in _items(value)) if t})
        listed = f"(',' || LOWER({expr}) || ',')"

        def has(item: str) -> str:
            return self.contains(listed, self.p(f",{item},"))

        if operator in (Operator.MULTI_CONTAINS, Operator.CONTAINS):
            return _join([has(w) for w in wanted], "AND", TRUE_SQL)
        if operator is Operator.ONE_OF:
            return _join([has(w) for w in wanted], "OR", FALSE_SQL)
        if operator is Operator.IS:
            # The same set: every wanted id is there, and nothing else is (remove each wanted id
            # from the doubled-comma list; only commas may remain).
            rest = f"(',' || REPLACE(LOWER({expr}), ',', ',,') || ',')"
            for item in wanted:
                rest = f"REPLACE({rest}, {self.p(f',{item},')}, '')"
            only = f"REPLACE({rest}, ',', '') = ''"
            return _join([*(has(w) for w in wanted), only], "AND", TRUE_SQL)
        raise ValueError(f"{operator.value} does not apply to a multiselect")

    def leaf(
        self,
        expr: str,
        storage: Storage,
        input_type: InputType,
        operator: Operator,
        value: Value,
    ) -> str:
        """A leaf over a scalar expression that may be NULL."""

        def holds(op: Operator, negated: bool) -> str:
            core = self.core_or_defined(expr, storage, input_type, op, value)
            return f"({expr} IS NOT NULL AND {_not(core) if negated else core})"

        return self.wrap(operator, holds)

    def leaf_row(
        self,
        table: str,
        where: str,
        expr: str,
        storage: Storage,
        input_type: InputType,
        operator: Operator,
        value: Value,
    ) -> str:
        """A leaf over the value of at most one row (an EAV value, a store-credit balance):
        no row is NULL."""

        def holds(op: Operator, negated: bool) -> str:
            core = self.core_or_defined(expr, storage, input_type, op, value)
            if negated:
                core = _not(core)
            return f"EXISTS (SELECT 1 FROM {table} WHERE {where} AND {expr} IS NOT NULL AND {core})"

        return self.wrap(operator, holds)

    def core_or_defined(
        self, expr: str, storage: Storage, input_type: InputType, op: Operator, value: Value
    ) -> str:
        if op is Operator.UNDEFINED:
            return f"{expr} <> ''" if storage is Storage.TEXT else TRUE_SQL
        return self.core(expr, storage, input_type, op, value)

    def wrap(self, operator: Operator, holds: Callable[[Operator, bool], str]) -> str:
        """`<=>`: no defined value; a negative operator: a value for which the positive one
        does not hold (NULL matches neither); a positive one: a value for which it holds."""
        if operator is Operator.UNDEFINED:
            return _not(holds(Operator.UNDEFINED, False))
        if operator in NEGATIVE_OPERATORS:
            return holds(_POSITIVE_OF[operator], True)
        return holds(operator, False)

    def attribute(
        self,
        spec: AttributeSpec,
        alias: str,
        owner: str,
        operator: Operator,
        value: Value,
    ) -> str:
        """A catalogue attribute of the row `alias` (whose id is `owner`)."""
        source = spec.source
        if isinstance(source, StaticColumn):
            return self.leaf(
                f"{alias}.{_ident(source.column)}", source.storage, spec.input_type, operator, value
            )
        if isinstance(source, EavColumn):
            v = self.alias("v")
            where = f"{v}.entity_id = {owner} AND {v}.attribute_id = {self.p(source.attribute_id)}"
            if spec.subject is Subject.PRODUCT:
                where += f" AND {v}.store_id = {self.p(0)}"
            expr = f"{v}.value"
            if source.storage is Storage.DATE and source.table.endswith("_datetime"):
                expr = (
                    f"substr({v}.value, 1, 10)"
                    if self.dialect is Dialect.SQLITE
                    else f"CAST(({v}.value AT TIME ZONE 'UTC') AS DATE)"
                )
            return self.leaf_row(
                f"{_ident(source.table)} {v}",
                where,
                expr,
                source.storage,
                spec.input_type,
                operator,
                value,
            )
        if isinstance(source, Derived):
            if source.kind is DerivedKind.DEFAULT_ADDRESS_EXISTS:
                column = f"{alias}.{_ident(source.column)}"
                wanted = {_text(v) for v in _items(value)}
                exists = f"{column} IS NOT NULL"
                result = exists if "is_exists" in wanted else f"{column} IS NULL"
                if operator in NEGATIVE_OPERATORS:
                    return _not(result)
                return result
            if source.kind is DerivedKind.CATEGORY_IDS:
                ccp = self.alias("ccp")
                ids = [int(n) for n in (_number(v) for v in _items(value)) if n is not None]
                base = (
                    f"SELECT 1 FROM catalog_category_product {ccp} WHERE {ccp}.product_id = {owner}"
                )
                if operator is Operator.UNDEFINED:
                    return f"NOT EXISTS ({base})"
                if not ids:
                    linked = FALSE_SQL
                else:
                    linked = (
                        f"EXISTS ({base} AND {ccp}.category_id IN "
                        f"({', '.join(self.p(i) for i in ids)}))"
                    )
                if operator in NEGATIVE_OPERATORS:
                    return _not(linked)
                return linked
            raise ValueError(f"unknown derived attribute {source.kind}")
        assert_never(source)

    def spec(self, subject: Subject, code: str) -> AttributeSpec:
        spec = self.scope.catalog.attribute(subject, code)
        if spec is None:
            raise ValueError(f"unknown {subject.value} attribute {code!r}")
        return spec

    def customer_attribute(self, node: CustomerAttribute, customer: str) -> str:
        spec = self.spec(Subject.CUSTOMER, node.attribute)
        return self.attribute(spec, "c", customer, node.operator, node.value)

    # --- addresses -----------------------------------------------------------------------------

    def address(self, node: AddressNode, a: str, customer: str) -> str:
        if isinstance(node, CustomerAddress):
            # Its own "some address of this customer matches", not tied to `a`.
            return self.node(node, customer)
        if isinstance(node, DefaultAddress):
            column = (
                "default_billing" if node.kind.value == "default_billing" else "default_shipping"
            )
            is_default = f"(c.{column} IS NOT NULL AND c.{column} = {a}.entity_id)"
            return _not(is_default) if node.operator is Operator.IS_NOT else is_default
        if isinstance(node, AddressAttribute):
            spec = self.spec(Subject.ADDRESS, node.attribute)
            return self.attribute(spec, a, f"{a}.entity_id", node.operator, node.value)
        if isinstance(node, AddressHasRegion):
            # An empty region text counts as specified (Magento tests IS NOT NULL).
            has = f"({a}.region_id IS NOT NULL OR {a}.region IS NOT NULL)"
            return has if node.has_region else _not(has)
        assert_never(node)

    def order_address(self, node: OrderAddressNode, oa: str) -> str:
        if isinstance(node, OrderAddressType):
            is_kind = f"{oa}.address_type = {self.p(node.kind.value)}"
            return _not(is_kind) if node.operator is Operator.IS_NOT else is_kind
        if isinstance(node, OrderAddressAttribute):
            spec = self.spec(Subject.ORDER_ADDRESS, node.attribute)
            return self.attribute(spec, oa, f"{oa}.entity_id", node.operator, node.value)
        assert_never(node)

    # --- carts ---------------------------------------------------------------------------------

    def active_quotes(self, q: str, customer: str) -> str:
        return (
            f"{q}.customer_id = {customer} AND {q}.is_active = {self.true()} "
            f"AND {self.stores(f'{q}.store_id')}"
        )

    def cart_column(
        self, column: str, storage: Storage, operator: Operator, value: Decimal, customer: str
    ) -> str:
        """Some active cart of the customer in the website has `column <operator> value`."""
        q = self.alias("q")
        expr = f"{q}.{_ident(column)}"
        if operator in NEGATIVE_OPERATORS:
            core = _not(self.core(expr, storage, InputType.NUMERIC, _POSITIVE_OF[operator], value))
        else:
            core = self.core(expr, storage, InputType.NUMERIC, operator, value)
        return (
            f"EXISTS (SELECT 1 FROM quote {q} WHERE {self.active_quotes(q, customer)} "
            f"AND {expr} IS NOT NULL AND {core})"
        )

    def cart(self, kind: CartAmountKind, operator: Operator, value: Decimal, customer: str) -> str:
        column = _CART_COLUMNS.get(kind)
        if column is None:
            # No gift-card column on the cart: that amount is 0.
            q = self.alias("q")
            holds = _holds_for_zero(operator, value)
            return (
                f"EXISTS (SELECT 1 FROM quote {q} WHERE {self.active_quotes(q, customer)})"
                if holds
                else FALSE_SQL
            )
        return self.cart_column(column, Storage.DECIMAL, operator, value, customer)

    # --- products ------------------------------------------------------------------------------

    def product_rows(self, node: ProductNode, rows: _Rows, product: str) -> str:
        if isinstance(node, ProductAttribute):
            spec = self.spec(Subject.PRODUCT, node.attribute)
            return self.attribute(spec, product, rows.product_column, node.operator, node.value)
        if isinstance(node, ProductCombine):
            return self.combine(
                node.aggregator,
                node.expected,
                [self.product_rows(n, rows, product) for n in node.conditions],
            )
        if isinstance(node, UpToDate | DateRange):
            return self.date_filter(node, rows.date_column)
        assert_never(node)

    def date_filter(self, node: UpToDate | DateRange, column: str) -> str:
        tz = self.scope.timezone
        if isinstance(node, UpToDate):
            threshold = up_to_date_threshold(self.scope.now, node.days, tz)
            op = node.operator
            if op in NEGATIVE_OPERATORS:
                positive = f"{column} = {self.instant(threshold)}"
                return _not(f"({column} IS NOT NULL AND {positive})")
            return (
                f"({column} IS NOT NULL AND {column} {_COMPARISONS[op]} {self.instant(threshold)})"
            )
        start = self.instant(day_start(node.start, tz))
        end = self.instant(day_start(node.end + timedelta(days=1), tz))
        within = f"({column} IS NOT NULL AND {column} >= {start} AND {column} < {end})"
        return _not(within) if node.operator is Operator.IS_NOT else within

    def product_filter(
        self, aggregator: Aggregator, conditions: tuple[ProductNode, ...], rows: _Rows
    ) -> tuple[str, str]:
        """The join to the product row (when a child reads its columns) and the row filter."""
        p = self.alias("p")
        join = ""
        if _reads_product_columns(conditions, self.scope):
            join = f" LEFT JOIN catalog_product_entity {p} ON {p}.entity_id = {rows.product_column}"
        filter_ = self.all_or_any(aggregator, [self.product_rows(n, rows, p) for n in conditions])
        return join, filter_

    def product_list(self, node: ProductList, customer: str) -> str:
        if node.source is ProductListSource.CART:
            q, qi = self.alias("q"), self.alias("qi")
            rows = _Rows(f"{qi}.created_at", f"{qi}.product_id")
            base = self.active_quotes(q, customer)
            join, filter_ = self.product_filter(node.aggregator, node.conditions, rows)
            exists = (
                f"EXISTS (SELECT 1 FROM quote {q} JOIN quote_item {qi} ON {qi}.quote_id = "
                f"{q}.entity_id{join} WHERE {base} AND {filter_})"
            )
        elif node.source is ProductListSource.WISHLIST:
            w, wi = self.alias("w"), self.alias("wi")
            rows = _Rows(f"{wi}.added_at", f"{wi}.product_id")
            join, filter_ = self.product_filter(node.aggregator, node.conditions, rows)
            exists = (
                f"EXISTS (SELECT 1 FROM wishlist {w} JOIN wishlist_item {wi} ON "
                f"{wi}.wishlist_id = {w}.wishlist_id{join} WHERE {w}.customer_id = {customer} "
                f"AND {filter_})"
            )
        else:
            assert_never(node.source)
        return exists if node.found else _not(exists)

    def product_history(self, node: ProductHistory, customer: str) -> str:
        if node.action is ProductHistoryAction.VIEWED:
            rv = self.alias("rv")
            rows = _Rows(f"{rv}.added_at", f"{rv}.product_id")
            base = f"{rv}.customer_id = {customer} AND {self.stores(f'{rv}.store_id')}"
            join, filter_ = self.product_filter(node.aggregator, node.conditions, rows)
            exists = (
                f"EXISTS (SELECT 1 FROM report_viewed_product_index {rv}{join} "
                f"WHERE {base} AND {filter_})"
            )
        elif node.action is ProductHistoryAction.ORDERED:
            o, oi = self.alias("o"), self.alias("oi")
            rows = _Rows(f"{oi}.created_at", f"{oi}.product_id")
            base = f"{o}.customer_id = {customer} AND {self.stores(f'{o}.store_id')}"
            join, filter_ = self.product_filter(node.aggregator, node.conditions, rows)
            exists = (
                f"EXISTS (SELECT 1 FROM sales_order {o} JOIN sales_order_item {oi} ON "
                f"{oi}.order_id = {o}.entity_id{join} WHERE {base} AND {filter_})"
            )
        else:
            assert_never(node.action)
        return exists if node.happened else _not(exists)

    # --- sales ---------------------------------------------------------------------------------

    def order_filter(self, node: OrderFilterNode, o: str) -> str:
        if isinstance(node, OrderStatus):
            if node.status == ANY_ORDER_STATUS:
                # Magento's Order\Status::getSubfilterSql adds no filter for "any", whatever
                # the operator: "is not any" passes every order too.
                return TRUE_SQL
            matches = f"{o}.status = {self.p(node.status)}"
            return _not(matches) if node.operator is Operator.IS_NOT else matches
        if isinstance(node, UpToDate | DateRange):
            return self.date_filter(node, f"{o}.created_at")
        assert_never(node)

    def orders_of(
        self,
        aggregator: Aggregator,
        conditions: tuple[OrderFilterNode, ...],
        having: Callable[[str], str],
    ) -> str:
        o = self.alias("o")
        filter_ = self.all_or_any(aggregator, [self.order_filter(n, o) for n in conditions])
        return (
            f"SELECT {o}.customer_id FROM sales_order {o} WHERE {o}.customer_id IS NOT NULL "
            f"AND {self.stores(f'{o}.store_id')} AND {filter_} "
            f"GROUP BY {o}.customer_id HAVING {having(o)}"
        )

    def sales(
        self,
        function: SalesFunction,
        column: str,
        node: SalesAmount | PurchasedQuantity,
        customer: str,
    ) -> str:
        comparison = _COMPARISONS[node.operator]

        def having(o: str) -> str:
            total = f"SUM({self.num_expr(f'{o}.{column}')})"
            value = self.num_value(node.value)
            if function is SalesFunction.TOTAL:
                return f"{total} {comparison} {value}"
            return f"{total} {comparison} {value} * COUNT(*)"

        if isinstance(node, SalesAmount) and _holds_for_zero(node.operator, node.value):
            # No matching order is an amount of 0, which holds: every customer but those whose
            # matching orders fail it.
            inner = self.orders_of(node.aggregator, node.conditions, lambda o: _not(having(o)))
            return _not(self.grouped(customer, inner))
        return self.grouped(customer, self.orders_of(node.aggregator, node.conditions, having))

    def orders_number(self, node: OrdersNumber, customer: str) -> str:
        comparison = _COMPARISONS[node.operator]
        zero, one = _holds_for_count(node, 0), _holds_for_count(node, 1)
        any_order = node.operator in (Operator.GREATER, Operator.GREATER_OR_EQUAL) or (
            node.operator is Operator.IS_NOT and node.value == 0
        )
        no_order = node.operator in (Operator.LESS, Operator.LESS_OR_EQUAL) or (
            node.operator is Operator.IS and node.value == 0
        )
        if (any_order and one and not zero) or (no_order and zero and not one):
            # "has an order" / "has no order": a row-level (anti-)semi-join, no grouping.
            o = self.alias("o")
            filter_ = self.all_or_any(
                node.aggregator, [self.order_filter(n, o) for n in node.conditions]
            )
            exists = (
                f"EXISTS (SELECT 1 FROM sales_order {o} WHERE {o}.customer_id = {customer} "
                f"AND {self.stores(f'{o}.store_id')} AND {filter_})"
            )
            return exists if one else _not(exists)
        count = self.p(int(node.value)) if node.value == node.value.to_integral_value() else None
        if count is None:
            value = self.num_value(node.value)
            right = value
            left = "COUNT(*)" if self.dialect is Dialect.POSTGRES else f"COUNT(*) * {SCALE}"
        else:
            right, left = count, "COUNT(*)"
        if _holds_for_zero(node.operator, node.value):
            inner = self.orders_of(
                node.aggregator, node.conditions, lambda o: _not(f"{left} {comparison} {right}")
            )
            return _not(self.grouped(customer, inner))
        inner = self.orders_of(
            node.aggregator, node.conditions, lambda o: f"{left} {comparison} {right}"
        )
        return self.grouped(customer, inner)

    def grouped(self, customer: str, inner: str) -> str:
        """The customer is among the ids of a grouped sub-select. Written as EXISTS over a derived
        table: PostgreSQL turns it (and NOT EXISTS) into a hash semi/anti join at the top level
        and into an index-driven per-row probe under OR, where `IN (...)` would fall back to a
        quadratic un-hashed subplan once the id list outgrows work_mem."""
        g = self.alias("g")
        return f"EXISTS (SELECT 1 FROM ({inner}) {g} WHERE {g}.customer_id = {customer})"

    # --- segments ------------------------------------------------------------------------------

    def segment(self, node: SegmentMembership, customer: str) -> str:
        tree = self.scope.referenced.get(node.segment_id)
        if tree is None or node.segment_id in self.referencing:
            inside = FALSE_SQL
        else:
            self.referencing.append(node.segment_id)
            try:
                inside = self.node(tree, customer)
            finally:
                self.referencing.pop()
        return _not(inside) if node.operator is Operator.IS_NOT else inside


def _reads_product_columns(conditions: Sequence[ProductNode], scope: Scope) -> bool:
    for node in conditions:
        if isinstance(node, ProductAttribute):
            spec = scope.catalog.attribute(Subject.PRODUCT, node.attribute)
            if spec is not None and isinstance(spec.source, StaticColumn):
                return True
        elif isinstance(node, ProductCombine) and _reads_product_columns(node.conditions, scope):
            return True
    return False


def compile_predicate(tree: Node, scope: Scope, dialect: Dialect) -> tuple[str, tuple[Any, ...]]:
    """The tree as a two-valued condition on the candidate row `c` (`customer_entity c`)."""
    compiler = _Compiler(scope, dialect)
    return compiler.node(tree, "c.entity_id"), tuple(compiler.params)


def compile_members(tree: Combine, scope: Scope, dialect: Dialect) -> SqlQuery:
    """`SELECT c.entity_id AS customer_id ...`: the scope's candidate customers for which the
    tree holds (distinct: one row per customer)."""
    compiler = _Compiler(scope, dialect)
    where: list[str] = []
    if scope.customers_of_website_only:
        where.append(f"c.website_id = {compiler.p(int(scope.website_id))}")
    predicate = compiler.node(tree, "c.entity_id")
    if predicate != TRUE_SQL:
        where.append(predicate)
    sql = "SELECT c.entity_id AS customer_id FROM customer_entity c"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return SqlQuery(sql, tuple(compiler.params))


def _connection() -> Any:
    return Tortoise.get_connection("default")


async def count_members(tree: Combine, scope: Scope) -> int:
    """How many customers of the scope the tree matches."""
    connection = _connection()
    query = compile_members(tree, scope, dialect_of(connection))
    rows = await connection.execute_query_dict(
        f"SELECT COUNT(*) AS n FROM ({query.sql}) m", list(query.params)
    )
    return int(rows[0]["n"])


async def member_page(tree: Combine, scope: Scope, offset: int, limit: int) -> list[int]:
    """Matched customer ids in id order, `limit` of them from `offset`."""
    connection = _connection()
    dialect = dialect_of(connection)
    query = compile_members(tree, scope, dialect)
    n = len(query.params)
    mark = "?" if dialect is Dialect.SQLITE else "$"
    rows = await connection.execute_query_dict(
        f"SELECT customer_id FROM ({query.sql}) m ORDER BY customer_id "
        f"LIMIT {mark}{n + 1} OFFSET {mark}{n + 2}",
        [*query.params, int(limit), int(offset)],
    )
    return [int(row["customer_id"]) for row in rows]


async def member_ids(tree: Combine, scope: Scope) -> list[int]:
    """Every matched customer id, in id order (for tests and small populations)."""
    connection = _connection()
    query = compile_members(tree, scope, dialect_of(connection))
    rows = await connection.execute_query_dict(
        f"SELECT customer_id FROM ({query.sql}) m ORDER BY customer_id", list(query.params)
    )
    return [int(row["customer_id"]) for row in rows]


__all__ = [
    "Dialect",
    "SqlQuery",
    "compile_members",
    "compile_predicate",
    "count_members",
    "dialect_of",
    "member_ids",
    "member_page",
]
