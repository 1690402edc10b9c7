"""Turn an untyped `ConditionDraft` into the typed tree, reporting every problem at once, and back.

Fields each node type reads from its draft (the rest are ignored):

| type | attribute | operator | value | aggregator, conditions |
|---|---|---|---|---|
| COMBINE, PRODUCT_COMBINE | | | "1" TRUE / "0" FALSE (none = "1") | yes |
| *_ATTRIBUTE | catalog code | per attribute | per attribute | |
| CUSTOMER_NEWSLETTER, ADDRESS_REGION | | `==` or none | "1" / "0" | |
| ADDRESS_DEFAULT | | `==`, `!=` or none (`==`) | kind | |
| CUSTOMER_STORE_CREDIT, CART_PRODUCTS_QUANTITY | | numeric | number | |
| CART_LINE_ITEMS | | numeric | whole number >= 0 | |
| CART_AMOUNT | `CartAmountKind` | numeric | number | |
| CUSTOMER_ADDRESS, ORDER_ADDRESS | | | | yes |
| ORDER_ADDRESS_TYPE, ORDER_STATUS, SEGMENT | | `==`, `!=` | kind, status, id | |
| PRODUCT_LIST, PRODUCT_HISTORY | | `==` found / `!=` not | source / action | yes |
| UP_TO_DATE | | `>= <= > <` | days, whole number >= 0 | |
| DATE_RANGE | | `==` / `!=` | `YYYY-MM-DD...YYYY-MM-DD` | |
| SALES_AMOUNT, PURCHASED_QUANTITY | total / average | numeric | number | yes |
| ORDERS_NUMBER | | numeric | whole number >= 0 | yes |

Attribute values (Magento's `createConditionSql` quirks kept): for strings and selects, a value
holding commas is a list; `==` / `!=` with several values become `()` / `!()`; `()` / `!()` always
hold a tuple. Multiselect values are always tuples. `<=>` (is undefined) ignores the value.
Numbers are `Decimal`, dates `date` (a time after the day, as Magento's date picker may post,
is dropped), the rest `str`; int-backed options are normalized (`"07"` becomes `"7"`). String
comparison values are kept as sent; a number's `{}` / `!{}` value is a text. Category values are
always tuples (`{}` / `!{}` too). An empty `attribute` / `operator` (Magento's `false`) is not
given."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import TypeVar, assert_never

from engine.errors import InputInvalid, ProblemCode
from engine.segments.catalog import (
    CHILD_TYPES,
    GUEST_ONLY_VALUES,
    IS_OPERATORS,
    NUMERIC_OPERATORS,
    UP_TO_DATE_OPERATORS,
    available_for_visitors,
)
from engine.segments.catalog_types import (
    AttributeSpec,
    Catalog,
    Derived,
    DerivedKind,
    EavColumn,
    StaticColumn,
    Storage,
    Subject,
)
from engine.segments.draft_reader import (
    DraftReader,
    Invalid,
    dump_flag,
    dump_scalar,
    dump_value,
)
from engine.segments.drafts import ConditionDraft, ConditionType
from engine.segments.tree import (
    ANY_ORDER_STATUS,
    AddressAttribute,
    AddressHasRegion,
    AnyNode,
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
    Operator,
    OrderAddress,
    OrderAddressAttribute,
    OrderAddressKind,
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
    SalesFunction,
    Scalar,
    SegmentMembership,
    StoreCredit,
    UpToDate,
    Value,
)
from models.segments import ApplyTo

T = ConditionType
_E = TypeVar("_E", bound=str)
_R = TypeVar("_R")
_INTEGER = re.compile(r"^\d+$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_DATE_TIME = re.compile(r"(?<=^\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(:\d{2})?$")
DATE_RANGE_SEPARATOR = "..."

_ATTRIBUTE_SUBJECT: Mapping[ConditionType, Subject] = {
    T.CUSTOMER_ATTRIBUTE: Subject.CUSTOMER,
    T.ADDRESS_ATTRIBUTE: Subject.ADDRESS,
    T.ORDER_ADDRESS_ATTRIBUTE: Subject.ORDER_ADDRESS,
    T.PRODUCT_ATTRIBUTE: Subject.PRODUCT,
}


class _Builder(DraftReader):
    def __init__(
        self,
        catalog: Catalog,
        apply_to: ApplyTo,
        segment_id: int | None,
        references: Mapping[int, frozenset[int]],
        known_options_only: bool = True,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.apply_to = apply_to
        self.segment_id = segment_id
        self.references = references
        self.known_options_only = known_options_only

    # --- reporting helpers ------------------------------------------------------------------

    def choice(
        self, raw: str | tuple[str, ...] | None, choices: Callable[[str], _E], label: str, path: str
    ) -> _E:
        text = self.scalar(raw, path)
        try:
            return choices(text)
        except ValueError:
            raise self.fail(ProblemCode.INVALID_VALUE, f"Unknown {label} '{text}'.", path) from None

    def flag(self, raw: str | tuple[str, ...] | None, path: str, *, default: bool | None) -> bool:
        if raw is None and default is not None:
            return default
        text = self.scalar(raw, path)
        if text not in ("1", "0"):
            raise self.fail(ProblemCode.INVALID_VALUE, f"Expected 1 or 0, got '{text}'.", path)
        return text == "1"

    def number(self, raw: str | tuple[str, ...] | None, path: str) -> Decimal:
        return self.decimal(self.scalar(raw, path), path)

    def count(self, raw: str | tuple[str, ...] | None, path: str) -> int:
        text = self.scalar(raw, path).strip()
        if not _INTEGER.match(text):
            raise self.fail(
                ProblemCode.INVALID_VALUE, f"'{text}' is not a whole number of 0 or more.", path
            )
        return int(text)

    # --- nodes -------------------------------------------------------------------------------

    def children(self, draft: ConditionDraft, path: str, visitors: bool) -> tuple[AnyNode, ...]:
        allowed = CHILD_TYPES.get(draft.type, ())
        built: list[AnyNode] = []
        for index, child in enumerate(draft.conditions):
            child_path = f"{path}.conditions.{index}"
            if child.type not in allowed:
                self.problems.add(
                    ProblemCode.UNKNOWN_CONDITION,
                    f"{child.type.value} is not allowed inside {draft.type.value}.",
                    f"{child_path}.type",
                )
                continue
            node = self.node(child, child_path, visitors)
            if node is not None:
                built.append(node)
        return tuple(built)

    def node(self, draft: ConditionDraft, path: str, visitors: bool) -> AnyNode | None:
        """Build one node; `visitors` is True while guest availability is still to be checked."""
        if visitors and not available_for_visitors(draft.type):
            self.problems.add(
                ProblemCode.NOT_FOR_VISITORS,
                f"{draft.type.value} needs a registered customer; the segment applies to visitors.",
                f"{path}.type",
            )
            visitors = False
        before = len(self.problems.items)
        try:
            node = self._node(draft, path, visitors)
        except Invalid:
            return None
        return node if len(self.problems.items) == before else None

    def _node(self, d: ConditionDraft, path: str, visitors: bool) -> AnyNode:
        t = d.type
        op_path, value_path = f"{path}.operator", f"{path}.value"
        if t in (T.COMBINE, T.PRODUCT_COMBINE):
            aggregator = self.collect(lambda: self.aggregator(d.aggregator, f"{path}.aggregator"))
            expected = self.collect(lambda: self.flag(d.value, value_path, default=True))
            children = self.children(d, path, visitors)
            if aggregator is None or expected is None:
                raise Invalid()
            if t == T.COMBINE:
                return Combine(aggregator, expected, children)  # type: ignore[arg-type]
            return ProductCombine(aggregator, expected, children)  # type: ignore[arg-type]
        if t in _ATTRIBUTE_SUBJECT:
            return self.attribute_node(d, path, _ATTRIBUTE_SUBJECT[t])
        if t == T.CUSTOMER_NEWSLETTER:
            self.operator(d.operator, (Operator.IS,), op_path, default=Operator.IS)
            return Newsletter(self.flag(d.value, value_path, default=None))
        if t == T.ADDRESS_REGION:
            self.operator(d.operator, (Operator.IS,), op_path, default=Operator.IS)
            return AddressHasRegion(self.flag(d.value, value_path, default=None))
        if t == T.CUSTOMER_STORE_CREDIT:
            op = self.collect(lambda: self.numeric_op(d, op_path))
            amount = self.number(d.value, value_path)
            if op is None:
                raise Invalid()
            return StoreCredit(op, amount)
        if t == T.CART_PRODUCTS_QUANTITY:
            op = self.collect(lambda: self.numeric_op(d, op_path))
            quantity = self.non_negative(d.value, value_path)
            if op is None:
                raise Invalid()
            return CartProductsQuantity(op, quantity)
        if t == T.CART_LINE_ITEMS:
            op = self.collect(lambda: self.numeric_op(d, op_path))
            lines = self.count(d.value, value_path)
            if op is None:
                raise Invalid()
            return CartLineItems(op, Decimal(lines))
        if t == T.CART_AMOUNT:
            kind = self.collect(
                lambda: self.choice(d.attribute, CartAmountKind, "amount", f"{path}.attribute")
            )
            op = self.collect(lambda: self.numeric_op(d, op_path))
            value = self.number(d.value, value_path)
            if kind is None or op is None:
                raise Invalid()
            return CartAmount(kind, op, value)
        if t in (T.CUSTOMER_ADDRESS, T.ORDER_ADDRESS):
            aggregator = self.collect(lambda: self.aggregator(d.aggregator, f"{path}.aggregator"))
            children = self.children(d, path, visitors)
            if aggregator is None:
                raise Invalid()
            if t == T.CUSTOMER_ADDRESS:
                return CustomerAddress(aggregator, children)  # type: ignore[arg-type]
            return OrderAddress(aggregator, children)  # type: ignore[arg-type]
        if t == T.ADDRESS_DEFAULT:
            op = self.collect(
                lambda: self.operator(d.operator, IS_OPERATORS, op_path, default=Operator.IS)
            )
            default_kind = self.choice(d.value, DefaultAddressKind, "default address", value_path)
            if op is None:
                raise Invalid()
            return DefaultAddress(op, default_kind)
        if t == T.ORDER_ADDRESS_TYPE:
            op = self.collect(lambda: self.is_op(d, op_path))
            address_kind = self.choice(d.value, OrderAddressKind, "address type", value_path)
            if op is None:
                raise Invalid()
            return OrderAddressType(op, address_kind)
        if t == T.ORDER_STATUS:
            op = self.collect(lambda: self.is_op(d, op_path))
            status = self.scalar(d.value, value_path)
            known = {o.value for o in self.catalog.order_statuses} | {ANY_ORDER_STATUS}
            if status not in known:
                raise self.fail(
                    ProblemCode.INVALID_VALUE, f"Unknown order status '{status}'.", value_path
                )
            if op is None:
                raise Invalid()
            return OrderStatus(op, status)
        if t in (T.PRODUCT_LIST, T.PRODUCT_HISTORY):
            return self.product_selection(d, path, visitors)
        if t == T.UP_TO_DATE:
            op = self.collect(
                lambda: self.operator(d.operator, UP_TO_DATE_OPERATORS, op_path, default=None)
            )
            days = self.count(d.value, value_path)
            if op is None:
                raise Invalid()
            return UpToDate(op, days)
        if t == T.DATE_RANGE:
            op = self.collect(lambda: self.is_op(d, op_path))
            start, end = self.date_range(d.value, value_path)
            if op is None:
                raise Invalid()
            return DateRange(op, start, end)
        if t in (T.SALES_AMOUNT, T.PURCHASED_QUANTITY, T.ORDERS_NUMBER):
            return self.sales(d, path, visitors)
        if t == T.SEGMENT:
            op = self.collect(lambda: self.is_op(d, op_path))
            segment = self.segment_reference(d.value, value_path)
            if op is None:
                raise Invalid()
            return SegmentMembership(op, segment)
        raise self.fail(ProblemCode.UNKNOWN_CONDITION, f"Unknown condition {t}.", f"{path}.type")

    def collect(self, build: Callable[[], _R]) -> _R | None:
        """Run one field's check, keeping going when it failed so later fields report too."""
        try:
            return build()
        except Invalid:
            return None

    def numeric_op(self, d: ConditionDraft, path: str) -> Operator:
        return self.operator(d.operator, NUMERIC_OPERATORS, path, default=None)

    def is_op(self, d: ConditionDraft, path: str) -> Operator:
        return self.operator(d.operator, IS_OPERATORS, path, default=None)

    def non_negative(self, raw: str | tuple[str, ...] | None, path: str) -> Decimal:
        value = self.number(raw, path)
        if value < 0:
            raise self.fail(ProblemCode.INVALID_VALUE, "The value must be 0 or more.", path)
        return value

    def date_range(self, raw: str | tuple[str, ...] | None, path: str) -> tuple[date, date]:
        text = self.scalar(raw, path)
        parts = text.split(DATE_RANGE_SEPARATOR)
        if len(parts) != 2:
            raise self.fail(
                ProblemCode.INVALID_VALUE,
                f"'{text}' is not a date range (YYYY-MM-DD...YYYY-MM-DD).",
                path,
            )
        start, end = self.day(parts[0], path), self.day(parts[1], path)
        if start > end:
            raise self.fail(ProblemCode.INVALID_VALUE, "The range starts after it ends.", path)
        return start, end

    def product_selection(
        self, d: ConditionDraft, path: str, visitors: bool
    ) -> ProductList | ProductHistory:
        op = self.collect(lambda: self.is_op(d, f"{path}.operator"))
        aggregator = self.collect(lambda: self.aggregator(d.aggregator, f"{path}.aggregator"))
        value_path = f"{path}.value"
        source: ProductListSource | ProductHistoryAction | None
        if d.type == T.PRODUCT_LIST:
            source = self.collect(
                lambda: self.choice(d.value, ProductListSource, "list", value_path)
            )
        else:
            source = self.collect(
                lambda: self.choice(d.value, ProductHistoryAction, "history", value_path)
            )
        if (
            visitors
            and source is not None
            and source.value not in GUEST_ONLY_VALUES.get(d.type, frozenset())
        ):
            self.problems.add(
                ProblemCode.NOT_FOR_VISITORS,
                f"'{source.value}' needs a registered customer; the segment applies to visitors.",
                value_path,
            )
            visitors = False
        children = self.children(d, path, visitors)
        if op is None or aggregator is None or source is None:
            raise Invalid()
        if isinstance(source, ProductListSource):
            return ProductList(source, op == Operator.IS, aggregator, children)  # type: ignore[arg-type]
        return ProductHistory(source, op == Operator.IS, aggregator, children)  # type: ignore[arg-type]

    def sales(
        self, d: ConditionDraft, path: str, visitors: bool
    ) -> SalesAmount | PurchasedQuantity | OrdersNumber:
        function: SalesFunction | None = SalesFunction.TOTAL
        if d.type != T.ORDERS_NUMBER:
            function = self.collect(
                lambda: self.choice(d.attribute, SalesFunction, "function", f"{path}.attribute")
            )
        op = self.collect(lambda: self.numeric_op(d, f"{path}.operator"))
        value: Decimal | None
        if d.type == T.ORDERS_NUMBER:
            count = self.collect(lambda: self.count(d.value, f"{path}.value"))
            value = None if count is None else Decimal(count)
        else:
            value = self.collect(lambda: self.number(d.value, f"{path}.value"))
        aggregator = self.collect(lambda: self.aggregator(d.aggregator, f"{path}.aggregator"))
        children = self.children(d, path, visitors)
        if function is None or op is None or value is None or aggregator is None:
            raise Invalid()
        if d.type == T.SALES_AMOUNT:
            return SalesAmount(function, op, value, aggregator, children)  # type: ignore[arg-type]
        if d.type == T.PURCHASED_QUANTITY:
            return PurchasedQuantity(function, op, value, aggregator, children)  # type: ignore[arg-type]
        return OrdersNumber(op, value, aggregator, children)  # type: ignore[arg-type]

    def segment_reference(self, raw: str | tuple[str, ...] | None, path: str) -> int:
        text = self.scalar(raw, path).strip()
        if not _INTEGER.match(text) or int(text) == 0:
            raise self.fail(ProblemCode.INVALID_VALUE, f"'{text}' is not a segment id.", path)
        target = int(text)
        if target == self.segment_id:
            raise self.fail(ProblemCode.CYCLE, "A segment cannot refer to itself.", path)
        if target not in self.references:
            raise self.fail(ProblemCode.UNKNOWN_SEGMENT, f"Segment {target} does not exist.", path)
        if self.segment_id is not None and self.segment_id in _reachable(target, self.references):
            raise self.fail(
                ProblemCode.CYCLE,
                f"Segment {target} refers back to this segment; references cannot form a cycle.",
                path,
            )
        return target

    # --- attribute leaves ---------------------------------------------------------------------

    def attribute_node(
        self, d: ConditionDraft, path: str, subject: Subject
    ) -> CustomerAttribute | AddressAttribute | OrderAddressAttribute | ProductAttribute:
        code = self.scalar(d.attribute, f"{path}.attribute")
        spec = self.catalog.attribute(subject, code)
        if spec is None:
            if d.operator is not None and d.operator not in {o.value for o in Operator}:
                self.problems.add(
                    ProblemCode.INVALID_OPERATOR,
                    f"Unknown operator '{d.operator}'.",
                    f"{path}.operator",
                )
            raise self.fail(
                ProblemCode.UNKNOWN_ATTRIBUTE,
                f"Unknown {subject.value.replace('_', ' ')} attribute '{code}'.",
                f"{path}.attribute",
            )
        op, value = self.attribute_value(spec, d.operator, d.value, path)
        if subject == Subject.CUSTOMER:
            return CustomerAttribute(code, op, value)
        if subject == Subject.ADDRESS:
            return AddressAttribute(code, op, value)
        if subject == Subject.ORDER_ADDRESS:
            return OrderAddressAttribute(code, op, value)
        return ProductAttribute(code, op, value)

    def attribute_value(
        self,
        spec: AttributeSpec,
        raw_op: str | None,
        raw: str | tuple[str, ...] | None,
        path: str,
    ) -> tuple[Operator, Value]:
        op_path, value_path = f"{path}.operator", f"{path}.value"
        op = self.operator(raw_op, spec.operators, op_path, default=None)
        if op == Operator.UNDEFINED:
            return op, None
        if spec.input_type == InputType.NUMERIC and op in (
            Operator.CONTAINS,
            Operator.NOT_CONTAINS,
        ):
            # A product number "contains" a text (Magento's LIKE on the stored decimal).
            return op, self.scalar(raw, value_path).strip()
        is_category = (
            isinstance(spec.source, Derived) and spec.source.kind == DerivedKind.CATEGORY_IDS
        )
        listable = is_category or (
            (
                spec.input_type in (InputType.STRING, InputType.SELECT)
                or (spec.input_type == InputType.NUMERIC and Operator.ONE_OF in spec.operators)
            )
            and op in (Operator.IS, Operator.IS_NOT, Operator.ONE_OF, Operator.NOT_ONE_OF)
        )
        if spec.input_type == InputType.MULTISELECT or listable:
            items = _split(raw)
            if not items:
                raise self.fail(ProblemCode.REQUIRED, "A value is required.", value_path)
            converted = tuple(
                _dedupe(self.attribute_scalar(spec, item, value_path) for item in items)
            )
            if spec.input_type == InputType.MULTISELECT:
                return op, converted
            if op in (
                Operator.ONE_OF,
                Operator.NOT_ONE_OF,
                Operator.CONTAINS,
                Operator.NOT_CONTAINS,
            ):
                return op, converted
            if len(converted) > 1:
                if Operator.ONE_OF not in spec.operators:
                    raise self.fail(ProblemCode.INVALID_VALUE, "One value is expected.", value_path)
                return (Operator.ONE_OF if op == Operator.IS else Operator.NOT_ONE_OF), converted
            return op, converted[0]
        return op, self.attribute_scalar(spec, self.scalar(raw, value_path), value_path)

    def attribute_scalar(self, spec: AttributeSpec, text: str, path: str) -> Scalar:
        if text.strip() == "":
            raise self.fail(ProblemCode.REQUIRED, "A value is required.", path)
        match spec.input_type:
            case InputType.NUMERIC:
                return self.number(text, path)
            case InputType.DATE:
                # Magento's date picker may post a time ("1956-07-17 23:59:59"): the day counts.
                return self.day(_DATE_TIME.sub("", text.strip()), path)
            case InputType.STRING:
                return text
            case InputType.SELECT | InputType.MULTISELECT | InputType.BOOLEAN:
                return self.option(spec, text.strip(), path)
            case _:
                assert_never(spec.input_type)

    def option(self, spec: AttributeSpec, text: str, path: str) -> str:
        source = spec.source
        if isinstance(source, Derived) and source.kind == DerivedKind.CATEGORY_IDS:
            if not _INTEGER.match(text) or int(text) == 0:
                raise self.fail(ProblemCode.INVALID_VALUE, f"'{text}' is not a category id.", path)
            return str(int(text))
        if _storage(spec) == Storage.INT and _INTEGER.match(text):
            text = str(int(text))
        if spec.options:
            if text not in {o.value for o in spec.options} and self.known_options_only:
                raise self.fail(
                    ProblemCode.INVALID_VALUE,
                    f"'{text}' is not an option of {spec.label}.",
                    path,
                )
            return text
        if spec.code == "country_id" and isinstance(source, StaticColumn):
            if not _COUNTRY.match(text):
                raise self.fail(
                    ProblemCode.INVALID_VALUE, f"'{text}' is not a two-letter country code.", path
                )
            return text.upper()
        if _storage(spec) == Storage.INT and not _INTEGER.match(text):
            raise self.fail(ProblemCode.INVALID_VALUE, f"'{text}' is not an option id.", path)
        return text


def _storage(spec: AttributeSpec) -> Storage | None:
    if isinstance(spec.source, (StaticColumn, EavColumn)):
        return spec.source.storage
    return None


def _split(raw: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    parts = raw if isinstance(raw, tuple) else (raw,)
    return tuple(p.strip() for part in parts for p in part.split(",") if p.strip())


def _dedupe(items: object) -> list[Scalar]:
    seen: list[Scalar] = []
    for item in items:  # type: ignore[attr-defined]
        if item not in seen:
            seen.append(item)
    return seen


def _reachable(start: int, references: Mapping[int, frozenset[int]]) -> frozenset[int]:
    """Every segment `start` refers to, directly or through others (`start` included)."""
    seen = {start}
    stack = [start]
    while stack:
        for target in references.get(stack.pop(), frozenset()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return frozenset(seen)


def build_tree(
    draft: ConditionDraft,
    catalog: Catalog,
    *,
    apply_to: ApplyTo,
    segment_id: int | None,
    references: Mapping[int, frozenset[int]],
    path: str = "input.conditions",
    known_options_only: bool = True,
) -> Combine:
    """The typed tree of `draft`, or `InputInvalid` with every problem found.

    With `known_options_only` False (a tree already stored), a select value whose option has been
    deleted since (a customer group, an attribute option) is kept as it is and simply matches
    nobody, as in Magento, instead of making the whole tree unreadable.

    `references` maps every existing segment id to the ids its tree refers to (see
    `stored.reference_graph`); a reference to an id not in it is unknown, and one from which
    `segment_id` can be reached is a cycle. With `apply_to` VISITORS, conditions that need a
    registered customer are rejected (once, at the outermost such node)."""
    builder = _Builder(catalog, apply_to, segment_id, references, known_options_only)
    if draft.type != T.COMBINE:
        builder.problems.add(
            ProblemCode.UNKNOWN_CONDITION,
            f"The root condition must be a COMBINE, not {draft.type.value}.",
            f"{path}.type",
        )
        raise InputInvalid(builder.problems.items)
    node = builder.node(draft, path, apply_to == ApplyTo.VISITORS)
    if builder.problems:
        raise InputInvalid(builder.problems.items)
    assert isinstance(node, Combine)
    return node


# --- dump ------------------------------------------------------------------------------------


def _is(value: bool) -> str:
    return (Operator.IS if value else Operator.IS_NOT).value


def dump_tree(node: AnyNode) -> ConditionDraft:
    """The draft `build_tree` reads back into an equal node (see the table in the module
    docstring)."""

    def kids(children: tuple[AnyNode, ...]) -> tuple[ConditionDraft, ...]:
        return tuple(dump_tree(child) for child in children)

    match node:
        case Combine():
            return ConditionDraft(
                T.COMBINE,
                value=dump_flag(node.expected),
                aggregator=node.aggregator.value,
                conditions=kids(node.conditions),
            )
        case ProductCombine():
            return ConditionDraft(
                T.PRODUCT_COMBINE,
                value=dump_flag(node.expected),
                aggregator=node.aggregator.value,
                conditions=kids(node.conditions),
            )
        case CustomerAttribute():
            return ConditionDraft(
                T.CUSTOMER_ATTRIBUTE, node.attribute, node.operator.value, dump_value(node.value)
            )
        case AddressAttribute():
            return ConditionDraft(
                T.ADDRESS_ATTRIBUTE, node.attribute, node.operator.value, dump_value(node.value)
            )
        case OrderAddressAttribute():
            return ConditionDraft(
                T.ORDER_ADDRESS_ATTRIBUTE,
                node.attribute,
                node.operator.value,
                dump_value(node.value),
            )
        case ProductAttribute():
            return ConditionDraft(
                T.PRODUCT_ATTRIBUTE, node.attribute, node.operator.value, dump_value(node.value)
            )
        case Newsletter():
            return ConditionDraft(
                T.CUSTOMER_NEWSLETTER, operator=Operator.IS.value, value=dump_flag(node.subscribed)
            )
        case AddressHasRegion():
            return ConditionDraft(
                T.ADDRESS_REGION, operator=Operator.IS.value, value=dump_flag(node.has_region)
            )
        case StoreCredit():
            return ConditionDraft(
                T.CUSTOMER_STORE_CREDIT, operator=node.operator.value, value=dump_scalar(node.value)
            )
        case CartAmount():
            return ConditionDraft(
                T.CART_AMOUNT, node.kind.value, node.operator.value, dump_scalar(node.value)
            )
        case CartLineItems():
            return ConditionDraft(
                T.CART_LINE_ITEMS, operator=node.operator.value, value=dump_scalar(node.value)
            )
        case CartProductsQuantity():
            return ConditionDraft(
                T.CART_PRODUCTS_QUANTITY,
                operator=node.operator.value,
                value=dump_scalar(node.value),
            )
        case CustomerAddress():
            return ConditionDraft(
                T.CUSTOMER_ADDRESS,
                aggregator=node.aggregator.value,
                conditions=kids(node.conditions),
            )
        case OrderAddress():
            return ConditionDraft(
                T.ORDER_ADDRESS, aggregator=node.aggregator.value, conditions=kids(node.conditions)
            )
        case DefaultAddress():
            return ConditionDraft(
                T.ADDRESS_DEFAULT, operator=node.operator.value, value=node.kind.value
            )
        case OrderAddressType():
            return ConditionDraft(
                T.ORDER_ADDRESS_TYPE, operator=node.operator.value, value=node.kind.value
            )
        case OrderStatus():
            return ConditionDraft(T.ORDER_STATUS, operator=node.operator.value, value=node.status)
        case ProductList():
            return ConditionDraft(
                T.PRODUCT_LIST,
                operator=_is(node.found),
                value=node.source.value,
                aggregator=node.aggregator.value,
                conditions=kids(node.conditions),
            )
        case ProductHistory():
            return ConditionDraft(
                T.PRODUCT_HISTORY,
                operator=_is(node.happened),
                value=node.action.value,
                aggregator=node.aggregator.value,
                conditions=kids(node.conditions),
            )
        case UpToDate():
            return ConditionDraft(T.UP_TO_DATE, operator=node.operator.value, value=str(node.days))
        case DateRange():
            return ConditionDraft(
                T.DATE_RANGE,
                operator=node.operator.value,
                value=f"{node.start.isoformat()}{DATE_RANGE_SEPARATOR}{node.end.isoformat()}",
            )
        case SalesAmount():
            return ConditionDraft(
                T.SALES_AMOUNT,
                node.function.value,
                node.operator.value,
                dump_scalar(node.value),
                node.aggregator.value,
                kids(node.conditions),
            )
        case PurchasedQuantity():
            return ConditionDraft(
                T.PURCHASED_QUANTITY,
                node.function.value,
                node.operator.value,
                dump_scalar(node.value),
                node.aggregator.value,
                kids(node.conditions),
            )
        case OrdersNumber():
            return ConditionDraft(
                T.ORDERS_NUMBER,
                operator=node.operator.value,
                value=dump_scalar(node.value),
                aggregator=node.aggregator.value,
                conditions=kids(node.conditions),
            )
        case SegmentMembership():
            return ConditionDraft(
                T.SEGMENT, operator=node.operator.value, value=str(node.segment_id)
            )
        case _:
            assert_never(node)


def referenced_segment_ids(node: AnyNode) -> frozenset[int]:
    """The ids of the segments `node` refers to (direct references only)."""
    if isinstance(node, SegmentMembership):
        return frozenset({node.segment_id})
    if isinstance(node, Combine):
        found: set[int] = set()
        for child in node.conditions:
            found |= referenced_segment_ids(child)
        return frozenset(found)
    return frozenset()
