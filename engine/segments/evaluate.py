"""The in-memory evaluator: does one customer (or one guest cart) match a tree, and why.

No I/O: `facts.load_facts` fetched everything first. Leaves compare through `compare.compare`, the
reference the SQL compiler matches. Beyond `tree.py` and `compare.py`, the rules kept here:

- Combine: ALL+TRUE every child true, ANY+TRUE some child true, ALL+FALSE every child false,
  ANY+FALSE some child false; an empty ALL is true, an empty ANY false.
- A sub-selection (address book, cart or wish-list items, viewed or ordered products, order
  addresses, the orders of a sales aggregate) keeps the rows that pass its children combined by
  its aggregator (as TRUE); with no children every row passes.
- Guests (`facts.customer_id` None): every condition that needs a customer (customer attribute,
  newsletter, store credit, address, wish list, ordered, sales, order address, segment
  membership) is false whatever its operator or "found"/"was" flag.
- Cart totals, line items and quantity: some cart (usually one) whose `base_subtotal`,
  `base_grand_total`, `base_tax_amount`, `base_shipping_amount`, `items_count` or `items_qty`
  satisfies the comparison; no cart, no match. Store credit and gift card spent in the cart are
  not recorded on our quotes: they read 0.
- Product found / was: some row passes; not found / was not: no row passes. A row whose product
  was deleted reads every product attribute as NULL.
- Default address (customer attribute `default_billing`/`default_shipping`): "exists" when the
  customer's column is set. Address "is default billing": the address id equals the customer's
  `default_billing`. Address has State/Province: `region_id` or `region` set (an empty text
  counts). A Customer Address nested in one is evaluated on the whole address book again.
- Order status `any` passes every order; otherwise exact status code equality.
- Sales aggregates: over the customer's orders that pass the filter; COUNT over none is 0, the
  sales amount (SUM/AVG) over none is 0, purchased quantity over none is NULL and then nothing
  holds (not even `!=`).
- Period (UpToDate): `row date <op> threshold` with Magento's stored operator
  (`compare.up_to_date_threshold`); Date range: `compare.in_date_range`, `!=` negated.
- Segment membership: the referenced tree evaluated on the same facts; a referenced segment that
  is inactive or not on the website (`None`) is not matched: "is in" false, "is not in" true.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, assert_never

from engine.segments import compare as cmp
from engine.segments.catalog_types import (
    AttributeSpec,
    Derived,
    DerivedKind,
    EavColumn,
    StaticColumn,
    Storage,
    Subject,
)
from engine.segments.drafts import ConditionType
from engine.segments.facts import Cart, Facts, Line, Order, Product, Record, Source
from engine.segments.scope import Scope
from engine.segments.tree import (
    ANY_ORDER_STATUS,
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
    DefaultAddressKind,
    InputType,
    Newsletter,
    Node,
    Operator,
    OrderAddress,
    OrderAddressAttribute,
    OrderAddressKind,
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

DEFAULT_ADDRESS_EXISTS = "is_exists"
DEFAULT_ADDRESS_NOT_EXISTS = "is_not_exists"

CART_AMOUNT_COLUMNS: Mapping[CartAmountKind, str | None] = {
    CartAmountKind.SUBTOTAL: "base_subtotal",
    CartAmountKind.GRAND_TOTAL: "base_grand_total",
    CartAmountKind.TAX: "base_tax_amount",
    CartAmountKind.SHIPPING: "base_shipping_amount",
    CartAmountKind.STORE_CREDIT: "base_customer_bal_amount_used",
    CartAmountKind.GIFT_CARD: None,
}
"""The quote column each cart total reads (store credit: what the cart uses, Magento's
`base_customer_bal_amount_used`); None: not recorded on our quotes (gift cards), reads 0."""

OPERATOR_LABELS: Mapping[Operator, str] = {
    Operator.IS: "is",
    Operator.IS_NOT: "is not",
    Operator.GREATER_OR_EQUAL: "equals or greater than",
    Operator.LESS_OR_EQUAL: "equals or less than",
    Operator.GREATER: "greater than",
    Operator.LESS: "less than",
    Operator.CONTAINS: "contains",
    Operator.NOT_CONTAINS: "does not contain",
    Operator.ONE_OF: "is one of",
    Operator.NOT_ONE_OF: "is not one of",
    Operator.UNDEFINED: "is undefined",
    Operator.MULTI_CONTAINS: "contains",
    Operator.MULTI_NOT_CONTAINS: "does not contain",
}

UP_TO_DATE_LABELS: Mapping[Operator, str] = {
    Operator.GREATER_OR_EQUAL: "equals or less than",
    Operator.LESS_OR_EQUAL: "equals or greater than",
    Operator.GREATER: "less than",
    Operator.LESS: "greater than",
    Operator.IS: "is",
    Operator.IS_NOT: "is not",
}

CART_AMOUNT_LABELS: Mapping[CartAmountKind, str] = {
    CartAmountKind.SUBTOTAL: "Subtotal",
    CartAmountKind.GRAND_TOTAL: "Grand Total",
    CartAmountKind.TAX: "Tax",
    CartAmountKind.SHIPPING: "Shipping",
    CartAmountKind.STORE_CREDIT: "Store Credit",
    CartAmountKind.GIFT_CARD: "Gift Card",
}

NOT_SET = "(not set)"

Seen = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ExplainedNode:
    """One node of an explanation: where it sits, what it says, whether it held, what it saw.
    Inside a sub-selection `result` says whether the node held for at least one row."""

    path: str
    type: ConditionType
    sentence: str
    result: bool
    seen: tuple[tuple[str, str], ...] = ()
    children: tuple[ExplainedNode, ...] = ()


Explanation = ExplainedNode
"""The explained root (a COMBINE, path "")."""


# --- helpers ----------------------------------------------------------------------------------


def combine(aggregator: Aggregator, expected: bool, results: Iterable[bool]) -> bool:
    """ALL/ANY of `results` equal to `expected`; an empty ALL is true, an empty ANY false."""
    if aggregator is Aggregator.ALL:
        return all(result == expected for result in results)
    return any(result == expected for result in results)


def _show(value: object, timezone: str = "UTC") -> str:
    if value is None:
        return NOT_SET
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return cmp.as_utc(value).astimezone(cmp._zone(timezone)).isoformat()
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return ", ".join(_show(v, timezone) for v in value)
    if isinstance(value, int):
        return str(int(value))
    return str(value)


def _join(values: Iterable[object]) -> str:
    shown = [str(v) for v in values]
    return ", ".join(shown) if shown else "(none)"


def _child_path(path: str, index: int) -> str:
    return f"{path}.conditions.{index}" if path else f"conditions.{index}"


def _aggregate_label(aggregator: Aggregator) -> str:
    return aggregator.value.upper()


def _value_text(spec: AttributeSpec | None, operator: Operator, value: Value) -> str:
    if operator is Operator.UNDEFINED:
        return ""
    labels = {option.value: option.label for option in spec.options} if spec else {}
    items = value if isinstance(value, tuple) else (value,)
    return " " + ", ".join(labels.get(str(item), _show(item)) for item in items)


T = TypeVar("T")


# --- the evaluator ----------------------------------------------------------------------------


class _Evaluator:
    def __init__(self, facts: Facts, scope: Scope) -> None:
        self.facts = facts
        self.scope = scope
        self.tz = scope.timezone
        self._entered: set[int] = set()
        self._thresholds: dict[int, datetime] = {}  # UpToDate days -> threshold at scope.now
        # Sub-selections by what they select (segments share them: "orders within 30 days"):
        # pure functions of the facts, which never change during an evaluation.
        self._selections: dict[tuple[Any, ...], list[Any] | None] = {}

    def _need(self, *sources: Source) -> None:
        missing = [s.value for s in sources if s not in self.facts.sources]
        if missing:
            raise LookupError(f"facts were loaded without {', '.join(missing)}")

    def _spec(self, subject: Subject, code: str) -> AttributeSpec:
        spec = self.scope.catalog.attribute(subject, code)
        if spec is None:
            raise LookupError(f"{subject.value} attribute {code!r} is not in the catalogue")
        return spec

    # --- attribute reads --------------------------------------------------------------------

    def _read(self, spec: AttributeSpec, record: Record | None) -> Any:
        if record is None:
            return None
        source = spec.source
        if isinstance(source, StaticColumn):
            return record.row.get(source.column)
        if isinstance(source, EavColumn):
            return record.eav.get((source.table, source.attribute_id))
        raise LookupError(f"{spec.code} is derived")

    def _attribute(
        self, spec: AttributeSpec, operator: Operator, value: Value, actual: Any
    ) -> bool:
        return cmp.compare(
            spec.source.storage if not isinstance(spec.source, Derived) else Storage.TEXT,
            spec.input_type,
            operator,
            actual,
            value,
            timezone=self.tz,
        )

    def customer_attribute(self, node: CustomerAttribute) -> tuple[bool, Any]:
        """(result, the value compared)."""
        if self.facts.is_guest:
            return False, None
        self._need(Source.CUSTOMER)
        spec = self._spec(Subject.CUSTOMER, node.attribute)
        customer = self.facts.customer
        if isinstance(spec.source, Derived):
            assert spec.source.kind is DerivedKind.DEFAULT_ADDRESS_EXISTS
            exists = customer is not None and customer.row.get(spec.source.column) is not None
            actual = DEFAULT_ADDRESS_EXISTS if exists else DEFAULT_ADDRESS_NOT_EXISTS
            same = str(node.value) == actual
            return (same if node.operator is Operator.IS else not same), actual
        actual = self._read(spec, customer)
        return self._attribute(spec, node.operator, node.value, actual), actual

    def product_attribute(self, node: ProductAttribute, product: Product | None) -> bool:
        spec = self._spec(Subject.PRODUCT, node.attribute)
        if isinstance(spec.source, Derived):
            assert spec.source.kind is DerivedKind.CATEGORY_IDS
            linked = product.category_ids if product is not None else frozenset()
            wanted = {
                int(str(v))
                for v in (node.value if isinstance(node.value, tuple) else (node.value,))
            }
            found = bool(linked & wanted)
            if node.operator in (Operator.IS, Operator.ONE_OF, Operator.CONTAINS):
                return found
            if node.operator in (Operator.IS_NOT, Operator.NOT_ONE_OF, Operator.NOT_CONTAINS):
                return not found
            raise ValueError(f"{node.operator.value} does not apply to categories")
        actual = self._read(spec, product.record if product is not None else None)
        return self._attribute(spec, node.operator, node.value, actual)

    # --- rows -------------------------------------------------------------------------------

    def _date_holds(self, node: UpToDate | DateRange, at: datetime) -> bool:
        if isinstance(node, UpToDate):
            threshold = self._thresholds.get(node.days)
            if threshold is None:
                threshold = cmp.up_to_date_threshold(self.scope.now, node.days, self.tz)
                self._thresholds[node.days] = threshold
            return cmp.order(node.operator, cmp.as_utc(at), threshold)
        inside = cmp.in_date_range(at, node.start, node.end, self.tz)
        return inside if node.operator is Operator.IS else not inside

    def product_node(self, node: ProductNode, line: Line) -> bool:
        if isinstance(node, ProductAttribute):
            product = None if line.product_id is None else self.facts.products.get(line.product_id)
            return self.product_attribute(node, product)
        if isinstance(node, ProductCombine):
            return combine(
                node.aggregator,
                node.expected,
                (self.product_node(child, line) for child in node.conditions),
            )
        if isinstance(node, UpToDate | DateRange):
            return self._date_holds(node, line.at)
        assert_never(node)

    def address_node(self, node: AddressNode, address: Record) -> bool:
        if isinstance(node, CustomerAddress):
            # Its own "some address of this customer matches", not tied to `address`.
            return bool(self.matching_addresses(node))
        if isinstance(node, DefaultAddress):
            customer = self.facts.customer
            column = (
                "default_billing" if node.kind is DefaultAddressKind.BILLING else "default_shipping"
            )
            is_default = customer is not None and customer.row.get(column) == address.id
            return is_default if node.operator is Operator.IS else not is_default
        if isinstance(node, AddressAttribute):
            spec = self._spec(Subject.ADDRESS, node.attribute)
            return self._attribute(spec, node.operator, node.value, self._read(spec, address))
        if isinstance(node, AddressHasRegion):
            # An empty region text counts as specified (Magento tests IS NOT NULL).
            has = address.row.get("region_id") is not None or address.row.get("region") is not None
            return has == node.has_region
        assert_never(node)

    def order_filter(self, node: OrderFilterNode, order: Order) -> bool:
        if isinstance(node, OrderStatus):
            if node.status == ANY_ORDER_STATUS:
                return True
            same = order.status == node.status
            return same if node.operator is Operator.IS else not same
        if isinstance(node, UpToDate | DateRange):
            return self._date_holds(node, order.created_at)
        assert_never(node)

    def order_address_node(self, node: OrderAddressNode, address: Record) -> bool:
        if isinstance(node, OrderAddressType):
            kind = str(address.row.get("address_type"))
            same = kind == ("shipping" if node.kind is OrderAddressKind.SHIPPING else "billing")
            return same if node.operator is Operator.IS else not same
        if isinstance(node, OrderAddressAttribute):
            spec = self._spec(Subject.ORDER_ADDRESS, node.attribute)
            return self._attribute(spec, node.operator, node.value, self._read(spec, address))
        assert_never(node)

    @staticmethod
    def passing(
        aggregator: Aggregator,
        children: Sequence[T],
        rows: Iterable[Any],
        holds: Callable[[T, Any], bool],
    ) -> list[Any]:
        """The rows that pass `children` combined by `aggregator` (every row without children)."""
        if not children:
            return list(rows)
        return [
            row
            for row in rows
            if combine(aggregator, True, (holds(child, row) for child in children))
        ]

    # --- sources ----------------------------------------------------------------------------

    def product_lines(self, node: ProductList | ProductHistory) -> tuple[Line, ...] | None:
        """The rows a product sub-selection reads; None for a guest where it needs a customer."""
        if isinstance(node, ProductList):
            if node.source is ProductListSource.CART:
                self._need(Source.CARTS, Source.CART_ITEMS)
                return tuple(line for cart in self.facts.carts for line in cart.items)
            if self.facts.is_guest:
                return None
            self._need(Source.WISHLIST)
            return self.facts.wishlist
        if node.action is ProductHistoryAction.VIEWED:
            self._need(Source.VIEWS)
            return self.facts.views
        if self.facts.is_guest:
            return None
        self._need(Source.ORDERS, Source.ORDER_ITEMS)
        return tuple(line for order in self.facts.orders for line in order.items)

    def matching_lines(self, node: ProductList | ProductHistory) -> list[Line] | None:
        origin = node.source if isinstance(node, ProductList) else node.action
        key = (type(node), origin, node.aggregator, node.conditions)
        if key in self._selections:
            return self._selections[key]
        lines = self.product_lines(node)
        found = (
            None
            if lines is None
            else self.passing(node.aggregator, node.conditions, lines, self.product_node)
        )
        self._selections[key] = found
        return found

    def cart_value(
        self, node: CartAmount | CartLineItems | CartProductsQuantity, cart: Cart
    ) -> Any:
        if isinstance(node, CartAmount):
            column = CART_AMOUNT_COLUMNS[node.kind]
            return Decimal(0) if column is None else cart.row.get(column)
        if isinstance(node, CartLineItems):
            return cart.row.get("items_count")
        return cart.row.get("items_qty")

    def sales_orders(
        self, node: SalesAmount | OrdersNumber | PurchasedQuantity
    ) -> list[Order] | None:
        if self.facts.is_guest:
            return None
        self._need(Source.ORDERS)
        key = (Order, node.aggregator, node.conditions)
        found = self._selections.get(key)
        if found is None:
            found = self.passing(
                node.aggregator, node.conditions, self.facts.orders, self.order_filter
            )
            self._selections[key] = found
        return found

    @staticmethod
    def sales_value(
        node: SalesAmount | OrdersNumber | PurchasedQuantity, orders: Sequence[Order]
    ) -> Decimal | None:
        if isinstance(node, OrdersNumber):
            return Decimal(len(orders))
        if not orders:
            return Decimal(0) if isinstance(node, SalesAmount) else None
        amounts = [
            o.base_grand_total if isinstance(node, SalesAmount) else o.total_qty_ordered
            for o in orders
        ]
        total = sum(amounts, Decimal(0))
        return total if node.function is SalesFunction.TOTAL else total / len(amounts)

    def matching_addresses(self, node: CustomerAddress) -> list[Record] | None:
        if self.facts.is_guest:
            return None
        self._need(Source.ADDRESSES)
        return self.passing(
            node.aggregator, node.conditions, self.facts.addresses, self.address_node
        )

    def matching_order_addresses(self, node: OrderAddress) -> list[tuple[Order, Record]] | None:
        if self.facts.is_guest:
            return None
        self._need(Source.ORDERS, Source.ORDER_ADDRESSES)
        rows = [(order, address) for order in self.facts.orders for address in order.addresses]
        return self.passing(
            node.aggregator,
            node.conditions,
            rows,
            lambda child, row: self.order_address_node(child, row[1]),
        )

    def referenced(self, node: SegmentMembership) -> Node | None:
        if node.segment_id not in self.scope.referenced:
            raise LookupError(f"segment {node.segment_id} was not loaded into the scope")
        return self.scope.referenced[node.segment_id]

    # --- nodes ------------------------------------------------------------------------------

    def holds(self, node: Node) -> bool:
        facts = self.facts
        if isinstance(node, Combine):
            return combine(
                node.aggregator, node.expected, (self.holds(child) for child in node.conditions)
            )
        if isinstance(node, CustomerAttribute):
            return self.customer_attribute(node)[0]
        if isinstance(node, Newsletter):
            if facts.is_guest:
                return False
            self._need(Source.NEWSLETTER)
            return facts.subscribed == node.subscribed
        if isinstance(node, StoreCredit):
            if facts.is_guest:
                return False
            self._need(Source.STORE_CREDIT)
            return cmp.compare(
                Storage.DECIMAL,
                InputType.NUMERIC,
                node.operator,
                facts.store_credit,
                node.value,
                timezone=self.tz,
            )
        if isinstance(node, CustomerAddress):
            addresses = self.matching_addresses(node)
            return bool(addresses)
        if isinstance(node, CartAmount | CartLineItems | CartProductsQuantity):
            self._need(Source.CARTS)
            return any(self.cart_holds(node, cart) for cart in facts.carts)
        if isinstance(node, ProductList | ProductHistory):
            lines = self.matching_lines(node)
            if lines is None:
                return False
            wanted = node.found if isinstance(node, ProductList) else node.happened
            return bool(lines) == wanted
        if isinstance(node, OrderAddress):
            return bool(self.matching_order_addresses(node))
        if isinstance(node, SalesAmount | OrdersNumber | PurchasedQuantity):
            orders = self.sales_orders(node)
            if orders is None:
                return False
            value = self.sales_value(node, orders)
            return value is not None and cmp.order(node.operator, value, node.value)
        if isinstance(node, SegmentMembership):
            if facts.is_guest:
                return False
            referenced = self.referenced(node)
            inside = referenced is not None and self.in_segment(node.segment_id, referenced)
            return inside if node.operator is Operator.IS else not inside
        assert_never(node)

    def in_segment(self, segment_id: int, referenced: Node) -> bool:
        """The referenced tree's result; a cycle (rejected at save) raises instead of looping."""
        if segment_id in self._entered:
            raise ValueError(f"segment {segment_id} refers to itself")
        self._entered.add(segment_id)
        try:
            return self.holds(referenced)
        finally:
            self._entered.discard(segment_id)

    def cart_holds(
        self, node: CartAmount | CartLineItems | CartProductsQuantity, cart: Cart
    ) -> bool:
        return cmp.compare(
            Storage.DECIMAL,
            InputType.NUMERIC,
            node.operator,
            self.cart_value(node, cart),
            node.value,
            timezone=self.tz,
        )


def evaluate(tree: Combine, facts: Facts, scope: Scope) -> bool:
    """Whether the shopper the facts describe matches `tree` in `scope`."""
    return _Evaluator(facts, scope).holds(tree)


def evaluate_each(trees: Iterable[Combine], facts: Facts, scope: Scope) -> list[bool]:
    """`evaluate` of every tree on the same facts (one evaluator: its per-scope work is shared)."""
    evaluator = _Evaluator(facts, scope)
    return [evaluator.holds(tree) for tree in trees]


# --- explanation ------------------------------------------------------------------------------


class _Explainer:
    def __init__(self, facts: Facts, scope: Scope) -> None:
        self.ev = _Evaluator(facts, scope)
        self.facts = facts
        self.scope = scope

    def show(self, value: object) -> str:
        return _show(value, self.scope.timezone)

    def sku(self, line: Line) -> str:
        product = None if line.product_id is None else self.facts.products.get(line.product_id)
        if product is not None:
            return str(product.record.row.get("sku"))
        return line.sku or f"product {line.product_id}"

    def guest(self, path: str, kind: ConditionType, sentence: str) -> ExplainedNode:
        return ExplainedNode(path, kind, sentence, False, (("customer", "guest"),))

    def node(self, node: Node, path: str) -> ExplainedNode:
        ev = self.ev
        facts = self.facts
        result = ev.holds(node)
        if isinstance(node, Combine):
            children = tuple(
                self.node(child, _child_path(path, i)) for i, child in enumerate(node.conditions)
            )
            sentence = (
                f"If {_aggregate_label(node.aggregator)} of these conditions are "
                f"{'TRUE' if node.expected else 'FALSE'}"
            )
            held = sum(1 for child in children if child.result)
            seen: Seen = (("children true", f"{held} of {len(children)}"),)
            return ExplainedNode(path, ConditionType.COMBINE, sentence, result, seen, children)
        if isinstance(node, CustomerAttribute):
            spec = ev._spec(Subject.CUSTOMER, node.attribute)
            sentence = (
                f"Customer {spec.label} {OPERATOR_LABELS[node.operator]}"
                f"{_value_text(spec, node.operator, node.value)}"
            )
            if facts.is_guest:
                return self.guest(path, ConditionType.CUSTOMER_ATTRIBUTE, sentence)
            _, actual = ev.customer_attribute(node)
            return ExplainedNode(
                path,
                ConditionType.CUSTOMER_ATTRIBUTE,
                sentence,
                result,
                ((spec.label, self.show(actual)),),
            )
        if isinstance(node, Newsletter):
            sentence = f"Customer is {'' if node.subscribed else 'not '}subscribed to newsletter"
            if facts.is_guest:
                return self.guest(path, ConditionType.CUSTOMER_NEWSLETTER, sentence)
            seen = (("subscribed", self.show(facts.subscribed)),)
            return ExplainedNode(path, ConditionType.CUSTOMER_NEWSLETTER, sentence, result, seen)
        if isinstance(node, StoreCredit):
            sentence = f"Customer Store Credit Amount {OPERATOR_LABELS[node.operator]} {node.value}"
            if facts.is_guest:
                return self.guest(path, ConditionType.CUSTOMER_STORE_CREDIT, sentence)
            seen = (("store credit", self.show(facts.store_credit)),)
            return ExplainedNode(path, ConditionType.CUSTOMER_STORE_CREDIT, sentence, result, seen)
        if isinstance(node, CustomerAddress):
            sentence = (
                f"If Customer Addresses match {_aggregate_label(node.aggregator)} "
                "of these Conditions"
            )
            if facts.is_guest:
                return self.guest(path, ConditionType.CUSTOMER_ADDRESS, sentence)
            addresses = ev.matching_addresses(node) or []
            children = tuple(
                self.address_child(child, _child_path(path, i))
                for i, child in enumerate(node.conditions)
            )
            seen = (
                ("addresses", _join(a.id for a in facts.addresses)),
                ("matching addresses", _join(a.id for a in addresses)),
            )
            return ExplainedNode(
                path, ConditionType.CUSTOMER_ADDRESS, sentence, result, seen, children
            )
        if isinstance(node, CartAmount | CartLineItems | CartProductsQuantity):
            return self.cart(node, path, result)
        if isinstance(node, ProductList | ProductHistory):
            return self.products(node, path, result)
        if isinstance(node, OrderAddress):
            sentence = (
                f"If Order Addresses match {_aggregate_label(node.aggregator)} of these Conditions"
            )
            if facts.is_guest:
                return self.guest(path, ConditionType.ORDER_ADDRESS, sentence)
            matching = ev.matching_order_addresses(node) or []
            rows = [(o, a) for o in facts.orders for a in o.addresses]
            children = tuple(
                self.row_child(
                    _child_path(path, i),
                    self.order_address_sentence(child),
                    ConditionType.ORDER_ADDRESS_TYPE
                    if isinstance(child, OrderAddressType)
                    else ConditionType.ORDER_ADDRESS_ATTRIBUTE,
                    [
                        f"{o.increment_id}/{a.row.get('address_type')}"
                        for o, a in rows
                        if ev.order_address_node(child, a)
                    ],
                )
                for i, child in enumerate(node.conditions)
            )
            seen = (
                ("order addresses", str(len(rows))),
                (
                    "matching order addresses",
                    _join(f"{o.increment_id}/{a.row.get('address_type')}" for o, a in matching),
                ),
            )
            return ExplainedNode(
                path, ConditionType.ORDER_ADDRESS, sentence, result, seen, children
            )
        if isinstance(node, SalesAmount | OrdersNumber | PurchasedQuantity):
            return self.sales(node, path, result)
        if isinstance(node, SegmentMembership):
            sentence = (
                f"Customer is {'' if node.operator is Operator.IS else 'not '}"
                f"in segment {node.segment_id}"
            )
            if facts.is_guest:
                return self.guest(path, ConditionType.SEGMENT, sentence)
            referenced = ev.referenced(node)
            if referenced is None:
                seen = (("segment", "inactive or not on this website"),)
                return ExplainedNode(path, ConditionType.SEGMENT, sentence, result, seen)
            inner = self.node(referenced, f"{path}.segment")
            seen = (("in segment", self.show(inner.result)),)
            return ExplainedNode(path, ConditionType.SEGMENT, sentence, result, seen, (inner,))
        assert_never(node)

    # --- pieces -----------------------------------------------------------------------------

    def row_child(
        self, path: str, sentence: str, kind: ConditionType, matched: Sequence[str]
    ) -> ExplainedNode:
        return ExplainedNode(path, kind, sentence, bool(matched), (("holds for", _join(matched)),))

    def address_child(self, node: AddressNode, path: str) -> ExplainedNode:
        if isinstance(node, CustomerAddress):
            return self.node(node, path)
        if isinstance(node, DefaultAddress):
            kind = "Billing" if node.kind is DefaultAddressKind.BILLING else "Shipping"
            sentence = f"Customer Address {OPERATOR_LABELS[node.operator]} Default {kind} Address"
            node_type = ConditionType.ADDRESS_DEFAULT
        elif isinstance(node, AddressAttribute):
            spec = self.ev._spec(Subject.ADDRESS, node.attribute)
            sentence = (
                f"Customer Address {spec.label} {OPERATOR_LABELS[node.operator]}"
                f"{_value_text(spec, node.operator, node.value)}"
            )
            node_type = ConditionType.ADDRESS_ATTRIBUTE
        elif isinstance(node, AddressHasRegion):
            sentence = (
                f"Customer Address {'has' if node.has_region else 'does not have'} "
                "State/Province specified"
            )
            node_type = ConditionType.ADDRESS_REGION
        else:
            assert_never(node)
        matched = [str(a.id) for a in self.facts.addresses if self.ev.address_node(node, a)]
        return self.row_child(path, sentence, node_type, matched)

    def order_address_sentence(self, node: OrderAddressNode) -> str:
        if isinstance(node, OrderAddressType):
            kind = "Shipping" if node.kind is OrderAddressKind.SHIPPING else "Billing"
            return f"Order Address {OPERATOR_LABELS[node.operator]} a {kind} Address"
        if isinstance(node, OrderAddressAttribute):
            spec = self.ev._spec(Subject.ORDER_ADDRESS, node.attribute)
            return (
                f"Order Address {spec.label} {OPERATOR_LABELS[node.operator]}"
                f"{_value_text(spec, node.operator, node.value)}"
            )
        assert_never(node)

    def date_sentence(self, node: UpToDate | DateRange) -> str:
        if isinstance(node, UpToDate):
            return f"Period {UP_TO_DATE_LABELS[node.operator]} {node.days} Days Up To Date"
        within = "is" if node.operator is Operator.IS else "is not"
        return f"Date Range {within} within {node.start.isoformat()}...{node.end.isoformat()}"

    def product_child(self, node: ProductNode, path: str, lines: Sequence[Line]) -> ExplainedNode:
        matched = [self.sku(line) for line in lines if self.ev.product_node(node, line)]
        if isinstance(node, ProductAttribute):
            spec = self.ev._spec(Subject.PRODUCT, node.attribute)
            sentence = (
                f"Product {spec.label} {OPERATOR_LABELS[node.operator]}"
                f"{_value_text(spec, node.operator, node.value)}"
            )
            return self.row_child(path, sentence, ConditionType.PRODUCT_ATTRIBUTE, matched)
        if isinstance(node, ProductCombine):
            children = tuple(
                self.product_child(child, _child_path(path, i), lines)
                for i, child in enumerate(node.conditions)
            )
            sentence = (
                f"If {_aggregate_label(node.aggregator)} of these conditions are "
                f"{'TRUE' if node.expected else 'FALSE'}"
            )
            return ExplainedNode(
                path,
                ConditionType.PRODUCT_COMBINE,
                sentence,
                bool(matched),
                (("holds for", _join(matched)),),
                children,
            )
        if isinstance(node, UpToDate):
            return self.row_child(path, self.date_sentence(node), ConditionType.UP_TO_DATE, matched)
        if isinstance(node, DateRange):
            return self.row_child(path, self.date_sentence(node), ConditionType.DATE_RANGE, matched)
        assert_never(node)

    def products(
        self, node: ProductList | ProductHistory, path: str, result: bool
    ) -> ExplainedNode:
        aggregator = _aggregate_label(node.aggregator)
        if isinstance(node, ProductList):
            where = "Shopping Cart" if node.source is ProductListSource.CART else "Wish List"
            sentence = (
                f"If Product is {'found' if node.found else 'not found'} in the {where} "
                f"with {aggregator} of these Conditions match"
            )
            kind = ConditionType.PRODUCT_LIST
        else:
            action = "viewed" if node.action is ProductHistoryAction.VIEWED else "ordered"
            sentence = (
                f"If Product {'was' if node.happened else 'was not'} {action} "
                f"and matches {aggregator} of these Conditions"
            )
            kind = ConditionType.PRODUCT_HISTORY
        lines = self.ev.product_lines(node)
        if lines is None:
            return self.guest(path, kind, sentence)
        matching = self.ev.matching_lines(node) or []
        children = tuple(
            self.product_child(child, _child_path(path, i), lines)
            for i, child in enumerate(node.conditions)
        )
        seen = (
            ("products", _join(self.sku(line) for line in lines)),
            ("matching products", _join(self.sku(line) for line in matching)),
        )
        return ExplainedNode(path, kind, sentence, result, seen, children)

    def cart(
        self, node: CartAmount | CartLineItems | CartProductsQuantity, path: str, result: bool
    ) -> ExplainedNode:
        op = OPERATOR_LABELS[node.operator]
        if isinstance(node, CartAmount):
            label = f"{CART_AMOUNT_LABELS[node.kind]} Amount"
            sentence = f"Shopping Cart {label} {op} {node.value}"
            kind = ConditionType.CART_AMOUNT
        elif isinstance(node, CartLineItems):
            label = "line items"
            sentence = f"Number of Shopping Cart Line Items {op} {node.value}"
            kind = ConditionType.CART_LINE_ITEMS
        else:
            label = "products qty"
            sentence = f"Shopping Cart Products Qty {op} {node.value}"
            kind = ConditionType.CART_PRODUCTS_QUANTITY
        carts = self.facts.carts
        seen: tuple[tuple[str, str], ...] = (("carts", _join(c.quote_id for c in carts)),)
        seen += tuple(
            (f"cart {c.quote_id} {label.lower()}", self.show(self.ev.cart_value(node, c)))
            for c in carts
        )
        return ExplainedNode(path, kind, sentence, result, seen)

    def sales(
        self, node: SalesAmount | OrdersNumber | PurchasedQuantity, path: str, result: bool
    ) -> ExplainedNode:
        op = OPERATOR_LABELS[node.operator]
        aggregator = _aggregate_label(node.aggregator)
        if isinstance(node, OrdersNumber):
            what = "Number of Orders"
            kind = ConditionType.ORDERS_NUMBER
        else:
            fn = "Total" if node.function is SalesFunction.TOTAL else "Average"
            noun = "Sales Amount" if isinstance(node, SalesAmount) else "Purchased Quantity"
            what = f"{fn} {noun}"
            kind = (
                ConditionType.SALES_AMOUNT
                if isinstance(node, SalesAmount)
                else ConditionType.PURCHASED_QUANTITY
            )
        sentence = f"{what} {op} {node.value} while {aggregator} of these Conditions match"
        orders = self.ev.sales_orders(node)
        if orders is None:
            return self.guest(path, kind, sentence)
        children = tuple(
            self.row_child(
                _child_path(path, i),
                self.order_filter_sentence(child),
                self.order_filter_type(child),
                [o.increment_id for o in self.facts.orders if self.ev.order_filter(child, o)],
            )
            for i, child in enumerate(node.conditions)
        )
        seen = (
            ("matching orders", _join(o.increment_id for o in orders)),
            (what.lower(), self.show(self.ev.sales_value(node, orders))),
        )
        return ExplainedNode(path, kind, sentence, result, seen, children)

    def order_filter_sentence(self, node: OrderFilterNode) -> str:
        if isinstance(node, OrderStatus):
            if node.status == ANY_ORDER_STATUS:
                label = "Any"
            else:
                labels = {o.value: o.label for o in self.scope.catalog.order_statuses}
                label = labels.get(node.status, node.status)
            return f"Order Status {OPERATOR_LABELS[node.operator]} {label}"
        if isinstance(node, UpToDate | DateRange):
            return self.date_sentence(node)
        assert_never(node)

    @staticmethod
    def order_filter_type(node: OrderFilterNode) -> ConditionType:
        if isinstance(node, OrderStatus):
            return ConditionType.ORDER_STATUS
        if isinstance(node, UpToDate):
            return ConditionType.UP_TO_DATE
        if isinstance(node, DateRange):
            return ConditionType.DATE_RANGE
        assert_never(node)


def explain(tree: Combine, facts: Facts, scope: Scope) -> Explanation:
    """Every node of `tree` with its result and the values it compared; the root's path is ""
    and a child's is `<parent>.conditions.<i>` (a referenced segment's tree: `<path>.segment`)."""
    return _Explainer(facts, scope).node(tree, "")


def walk(explanation: ExplainedNode) -> Iterable[ExplainedNode]:
    """The explained nodes depth first, root first."""
    yield explanation
    for child in explanation.children:
        yield from walk(child)
