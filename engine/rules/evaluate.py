"""Evaluate catalog- and cart-rule condition trees (`engine/rules/tree.py`) against loaded facts.

Every leaf comparison is `engine/segments/compare.py`'s, so operators mean what they mean in
segments; a NULL, though, satisfies the negative operators here (Magento checks rules in PHP,
where `!=` of a missing value holds; segments follow its SQL). What is Magento's own here:

- A combination with no children holds whatever its aggregator and value
  (`Rule\\Model\\Condition\\Combine::_isValid` returns true before looking at them); so does an
  empty action tree (every item qualifies). With children: ALL+TRUE every child true, ANY+TRUE
  some child true, ALL+FALSE every child false, ANY+FALSE some child false.
- `category_ids`: `==`, `{}` and `()` hold when the product is in any of the listed categories,
  `!=`, `!{}` and `!()` when it is in none.
- Product found (`Product\\Found::validate`): an item matches when ALL (or ANY) of the children hold
  for it; an ALL with no children matches every item, an ANY with no children none. FOUND holds
  when some item matches, NOT FOUND when none does (an empty cart: NOT FOUND).
- Product subselection (`Product\\Subselect::validate`): the items for which the children hold
  (combined as a Combine whose value is "the subselect value is not 0", Magento's own quirk) add
  their `qty` or `base_row_total`; the sum is compared with the value.
- Customer segment: `==` / `()` hold when the shopper is in at least one of the segments,
  `!=` / `!()` when in none.
- Item attributes (`quote_item_qty`, `quote_item_price`, `quote_item_row_total`) read the cart
  line; with no line (a catalog rule) they are NULL.

`first_failure` names the node that makes a cart rule's conditions fail with Magento's condition
id (`1`, `1--2`, `1--2--1`) and the sentence the admin shows for it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import assert_never

from engine.rules import catalog as rc
from engine.rules.tree import (
    CartAttributeCondition,
    CartCombine,
    CartFacts,
    CartNode,
    CustomerSegmentCondition,
    ItemAttribute,
    ItemFacts,
    ProductCombine,
    ProductCondition,
    ProductFacts,
    ProductFound,
    ProductNode,
    ProductSubselect,
    SubselectAttribute,
)
from engine.segments import compare as cmp
from engine.segments.catalog_types import Derived, EavColumn, StaticColumn, Storage
from engine.segments.tree import Aggregator, InputType, Operator, Value

TIMEZONE = "UTC"
"""Timezone for comparing instants with days; product datetime attributes are global values."""

_ANY_OVERLAP = frozenset({Operator.IS, Operator.CONTAINS, Operator.ONE_OF})
_NO_OVERLAP = frozenset({Operator.IS_NOT, Operator.NOT_CONTAINS, Operator.NOT_ONE_OF})
_MULTISELECT_OPERATORS = {
    Operator.CONTAINS: Operator.MULTI_CONTAINS,
    Operator.NOT_CONTAINS: Operator.MULTI_NOT_CONTAINS,
}


def combine(aggregator: Aggregator, expected: bool, results: list[bool] | tuple[bool, ...]) -> bool:
    """Magento's combination of child results (see the module docstring)."""
    if not results:
        return True
    if aggregator is Aggregator.ALL:
        return all(result == expected for result in results)
    return any(result == expected for result in results)


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def _compare(
    storage: Storage, input_type: InputType, operator: Operator, actual: object, value: Value
) -> bool:
    if input_type is InputType.MULTISELECT:
        operator = _MULTISELECT_OPERATORS.get(operator, operator)
        if isinstance(actual, frozenset):
            actual = ",".join(sorted(str(item) for item in actual))
    try:
        return cmp.compare(
            storage,
            input_type,
            operator,
            actual,
            value,
            timezone=TIMEZONE,
            null_passes_negatives=True,
        )
    except ValueError:  # a combination validation never lets through: hold nothing
        return False


def _values(value: Value) -> tuple[object, ...]:
    if isinstance(value, tuple):
        return value
    if value is None:
        return ()
    if isinstance(value, str) and "," in value:
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return (value,)


@lru_cache(maxsize=8192)
def _category_ids(value: Value) -> frozenset[int]:
    """The category ids a condition's value names (memoized: values are immutable)."""
    wanted: set[int] = set()
    for item in _values(value):
        try:
            wanted.add(int(str(item).strip()))
        except ValueError:
            continue
    return frozenset(wanted)


def _categories(operator: Operator, linked: frozenset[int], value: Value) -> bool:
    try:
        wanted = _category_ids(value)
    except TypeError:  # an unhashable value: read it afresh
        wanted = _category_ids.__wrapped__(value)
    found = not linked.isdisjoint(wanted)
    if operator in _ANY_OVERLAP:
        return found
    if operator in _NO_OVERLAP:
        return not found
    if operator is Operator.UNDEFINED:
        return not linked
    return False


def _item_value(attribute: ItemAttribute, item: ItemFacts | None) -> Decimal | None:
    if item is None:
        return None
    if attribute is ItemAttribute.QUOTE_ITEM_QTY:
        return item.qty
    if attribute is ItemAttribute.QUOTE_ITEM_PRICE:
        return item.price
    return item.row_total


def condition_holds(
    node: ProductCondition, product: ProductFacts, item: ItemFacts | None = None
) -> bool:
    """One product leaf."""
    code = node.attribute
    actual: object
    if code in _ITEM_ATTRIBUTES:
        actual = _item_value(ItemAttribute(code), item)
        return _compare(Storage.DECIMAL, InputType.NUMERIC, node.operator, actual, node.value)
    spec = rc.STATIC_PRODUCT_SPECS.get(code)
    if spec is not None:
        if isinstance(spec.source, Derived):
            return _categories(node.operator, product.category_ids, node.value)
        if isinstance(spec.source, StaticColumn):
            actual = _plain(getattr(product.product, spec.source.column, None))
            return _compare(spec.source.storage, spec.input_type, node.operator, actual, node.value)
        assert isinstance(spec.source, EavColumn)
    actual = product.custom.get(code)
    if actual is None:
        # NULL: only `<=>` and the negative operators hold (any storage gives the same answer).
        return _compare(Storage.TEXT, InputType.STRING, node.operator, None, node.value)
    input_type, storage = rc.inferred_types(actual)
    return _compare(storage, input_type, node.operator, actual, node.value)


_ITEM_ATTRIBUTES = frozenset(attribute.value for attribute in ItemAttribute)


def product_matches(
    node: ProductNode, product: ProductFacts, item: ItemFacts | None = None
) -> bool:
    """Whether a product condition tree holds for `product` (and its cart line `item`)."""
    if isinstance(node, ProductCondition):
        return condition_holds(node, product, item)
    if isinstance(node, ProductCombine):
        return combine(
            node.aggregator,
            node.expected,
            [product_matches(child, product, item) for child in node.conditions],
        )
    assert_never(node)


def item_qualifies(actions: ProductCombine, item: ItemFacts) -> bool:
    """Whether a cart rule's action tree lets `item` take the discount (empty: every item)."""
    return product_matches(actions, item.product, item)


def _item_matches(
    aggregator: Aggregator, conditions: tuple[ProductNode, ...], item: ItemFacts
) -> bool:
    """`Product\\Found`'s per-item test: ALL with no children matches, ANY with none does not."""
    if aggregator is Aggregator.ALL:
        return all(product_matches(child, item.product, item) for child in conditions)
    return any(product_matches(child, item.product, item) for child in conditions)


def _found(node: ProductFound, cart: CartFacts) -> bool:
    found = any(_item_matches(node.aggregator, node.conditions, item) for item in cart.items)
    return found if node.found else not found


def subselect_total(node: ProductSubselect, cart: CartFacts) -> Decimal:
    """The summed `qty` or row total of the items the subselection's children select."""
    expected = node.value != 0
    total = Decimal(0)
    for item in cart.items:
        results = [product_matches(child, item.product, item) for child in node.conditions]
        if combine(node.aggregator, expected, results):
            total += item.qty if node.attribute is SubselectAttribute.QTY else item.row_total
    return total


def _subselect(node: ProductSubselect, cart: CartFacts) -> bool:
    total = subselect_total(node, cart)
    return _compare(Storage.DECIMAL, InputType.NUMERIC, node.operator, total, node.value)


def _segment(node: CustomerSegmentCondition, cart: CartFacts) -> bool:
    inside = bool(cart.segment_ids.intersection(node.segment_ids))
    if node.operator in (Operator.IS, Operator.ONE_OF):
        return inside
    return not inside


def cart_attribute_value(attribute: object, cart: CartFacts) -> object:
    """The value a cart-attribute condition reads."""
    return getattr(cart, str(_plain(attribute)))


def _cart_attribute(node: CartAttributeCondition, cart: CartFacts) -> bool:
    input_type, storage = rc.CART_ATTRIBUTE_TYPES[node.attribute]
    actual = cart_attribute_value(node.attribute, cart)
    return _compare(storage, input_type, node.operator, actual, node.value)


def node_holds(node: CartNode, cart: CartFacts) -> bool:
    """Whether one cart-condition node holds."""
    if isinstance(node, CartCombine):
        return combine(
            node.aggregator, node.expected, [node_holds(child, cart) for child in node.conditions]
        )
    if isinstance(node, CartAttributeCondition):
        return _cart_attribute(node, cart)
    if isinstance(node, ProductFound):
        return _found(node, cart)
    if isinstance(node, ProductSubselect):
        return _subselect(node, cart)
    if isinstance(node, CustomerSegmentCondition):
        return _segment(node, cart)
    assert_never(node)


def cart_holds(root: CartCombine, cart: CartFacts) -> bool:
    """Whether a cart rule's conditions hold for `cart`."""
    return node_holds(root, cart)


# --- why not ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleFailure:
    """The node that makes a rule's conditions fail: Magento's condition id and the sentence the
    admin shows for it, with the values."""

    path: str
    sentence: str


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(_show(item) for item in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(_plain(value))


def _value_text(operator: Operator, value: Value, labels: dict[str, str] | None = None) -> str:
    if operator is Operator.UNDEFINED:
        return ""
    items = value if isinstance(value, tuple) else (value,)
    shown = [(labels or {}).get(_show(item), _show(item)) for item in items]
    return " " + ", ".join(shown)


def product_sentence(node: ProductNode) -> str:
    """ "Category is 3", "SKU is one of A, B", "If ALL of these conditions are TRUE:"."""
    if isinstance(node, ProductCombine):
        return combine_sentence(node.aggregator, node.expected)
    label = (
        rc.ITEM_ATTRIBUTE_LABELS.get(ItemAttribute(node.attribute))
        if (node.attribute in _ITEM_ATTRIBUTES)
        else None
    )
    spec = rc.STATIC_PRODUCT_SPECS.get(node.attribute)
    if label is None:
        label = spec.label if spec is not None else node.attribute
    operator = rc.RULE_OPERATOR_LABELS[node.operator]
    return (
        f"{label} {operator}{_value_text(node.operator, node.value, dict(rc.option_labels(spec)))}"
    )


def combine_sentence(aggregator: Aggregator, expected: bool) -> str:
    return (
        f"If {aggregator.value.upper()} of these conditions are {'TRUE' if expected else 'FALSE'}:"
    )


def cart_sentence(node: CartNode) -> str:
    """The admin sentence of one cart-condition node, with its values."""
    if isinstance(node, CartCombine):
        return combine_sentence(node.aggregator, node.expected)
    if isinstance(node, CartAttributeCondition):
        label = rc.CART_ATTRIBUTE_LABELS[node.attribute]
        operator = rc.RULE_OPERATOR_LABELS[node.operator]
        return f"{label} {operator}{_value_text(node.operator, node.value)}"
    if isinstance(node, ProductFound):
        found = "FOUND" if node.found else "NOT FOUND"
        return (
            f"If an item is {found} in the cart with {node.aggregator.value.upper()} "
            "of these conditions true:"
        )
    if isinstance(node, ProductSubselect):
        what = rc.SUBSELECT_LABELS[node.attribute]
        operator = rc.RULE_OPERATOR_LABELS[node.operator]
        return (
            f"If {what} {operator} {_show(node.value)} for a subselection of items in cart "
            f"matching {node.aggregator.value.upper()} of these conditions:"
        )
    if isinstance(node, CustomerSegmentCondition):
        operator = rc.SEGMENT_OPERATOR_LABELS[node.operator]
        return f"If Customer Segment {operator} {', '.join(str(i) for i in node.segment_ids)}"
    assert_never(node)


def _failure(node: CartNode, cart: CartFacts, path: str) -> RuleFailure | None:
    if not isinstance(node, CartCombine):
        return None if node_holds(node, cart) else RuleFailure(path, cart_sentence(node))
    if not node.conditions:
        return None
    results = [node_holds(child, cart) for child in node.conditions]
    if combine(node.aggregator, node.expected, results):
        return None
    if node.aggregator is Aggregator.ALL:
        for index, (child, result) in enumerate(zip(node.conditions, results, strict=True), 1):
            if result != node.expected:
                child_path = f"{path}--{index}"
                if node.expected and isinstance(child, CartCombine):
                    return _failure(child, cart, child_path) or RuleFailure(
                        child_path, cart_sentence(child)
                    )
                return RuleFailure(child_path, cart_sentence(child))
    # ANY: no single child is to blame.
    return RuleFailure(path, cart_sentence(node))


def first_failure(root: CartCombine, cart: CartFacts) -> RuleFailure | None:
    """None when `root` holds; otherwise the first node to blame: under an ALL the first child
    that is not as expected (descending into a failing nested combination when the children
    were expected TRUE), under an ANY the combination itself."""
    return _failure(root, cart, "1")
