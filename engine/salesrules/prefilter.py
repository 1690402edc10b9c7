"""Cheap necessary conditions of a cart rule, checked before its full condition tree.

With a thousand rules most fail on a subtotal threshold, a customer segment or a product that is
not in the cart; the full evaluator (`engine.rules.evaluate`) reads every leaf through the
generic comparison, which is far too slow to run a thousand times per cart read. Under a root
"If ALL of these conditions are TRUE" (Magento's default) every child must hold, so a child that
plainly fails decides the rule: these checks look only at children whose answer needs no
interpretation, and say "fails" only when the evaluator would say so too:

- a cart amount (subtotal, subtotal with discount, total quantity, weight, never NULL) against a
  number with `>=`, `>`, `<=`, `<`;
- a customer segment condition (in at least one of the ids, or in none);
- an item FOUND with ALL of its conditions true, one of them "SKU is / is one of ..." (text
  compared case-insensitively, as the evaluator does): some item must have such a SKU;
- any other cart attribute (country, postcode, region, shipping or payment method) "is" or "is
  one of" values: the cart's value, read once per cart in the comparison's own domain
  (`compare.domain_value`), must be one of theirs (a missing value never is);
- a subselection "total quantity / row total of the matching items >= or > N": the matching
  items' total is at most every item's total, so that must reach N;
- a nested combination: "ALL ... TRUE" fails when one of its children's checks fails, "ANY ...
  TRUE" when every child has a check and all of them fail.

Anything else is left to the evaluator; a rule that passes these checks is evaluated in full."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from engine.rules import catalog as rc
from engine.rules.evaluate import TIMEZONE, cart_attribute_value
from engine.rules.tree import (
    CartAttribute,
    CartAttributeCondition,
    CartCombine,
    CartFacts,
    CartNode,
    CustomerSegmentCondition,
    ProductCondition,
    ProductFound,
    ProductSubselect,
    SubselectAttribute,
)
from engine.segments import compare as cmp
from engine.segments.catalog_types import Storage
from engine.segments.tree import Aggregator, InputType, Operator


@dataclass(frozen=True)
class CartView:
    """The cart with what the checks read precomputed once."""

    cart: CartFacts
    skus: frozenset[str]
    all_qty: Decimal = Decimal(0)
    """Every item's quantity summed (negative ones as 0): no subselection totals more."""
    all_rows: Decimal = Decimal(0)
    """Every item's row total summed (negative ones as 0)."""
    _domain: dict[CartAttribute, object] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, cart: CartFacts) -> CartView:
        return cls(
            cart,
            frozenset(
                str(item.product.product.sku).lower()
                for item in cart.items
                if item.product.product.sku is not None
            ),
            sum((max(item.qty, Decimal(0)) for item in cart.items), Decimal(0)),
            sum((max(item.row_total, Decimal(0)) for item in cart.items), Decimal(0)),
        )

    def domain(self, attribute: CartAttribute) -> object:
        """The cart's value of `attribute` in the comparison's domain; None when missing."""
        if attribute not in self._domain:
            actual = cart_attribute_value(attribute, self.cart)
            input_type, storage = rc.CART_ATTRIBUTE_TYPES[attribute]
            self._domain[attribute] = (
                None if actual is None else cmp.domain_value(storage, input_type, actual, TIMEZONE)
            )
        return self._domain[attribute]


Check = Callable[[CartView], bool]
"""False: the rule's conditions cannot hold on the cart."""

_AMOUNTS: dict[CartAttribute, Callable[[CartView], Decimal]] = {
    CartAttribute.BASE_SUBTOTAL: lambda view: view.cart.base_subtotal,
    CartAttribute.BASE_SUBTOTAL_WITH_DISCOUNT: lambda view: view.cart.base_subtotal_with_discount,
    CartAttribute.TOTAL_QTY: lambda view: view.cart.total_qty,
    CartAttribute.WEIGHT: lambda view: view.cart.weight,
}


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None or isinstance(value, tuple):
        return None
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _amount_check(node: CartAttributeCondition) -> Check | None:
    read = _AMOUNTS.get(node.attribute)
    want = _number(node.value)
    if read is None or want is None:
        return None
    if node.operator is Operator.GREATER_OR_EQUAL:
        return lambda view: bool(read(view) >= want)
    if node.operator is Operator.GREATER:
        return lambda view: bool(read(view) > want)
    if node.operator is Operator.LESS_OR_EQUAL:
        return lambda view: bool(read(view) <= want)
    if node.operator is Operator.LESS:
        return lambda view: bool(read(view) < want)
    return None


def _wanted_values(node: CartAttributeCondition) -> set[object] | None:
    """The values an "is" / "is one of" on a cart attribute accepts, in the domain `compare`
    reads them in (see `domain_value`); None when the condition is not of that kind."""
    if node.operator not in (Operator.IS, Operator.ONE_OF):
        return None
    types = rc.CART_ATTRIBUTE_TYPES.get(node.attribute)
    if types is None or types[0] is InputType.MULTISELECT:
        return None
    input_type, storage = types
    items = node.value if isinstance(node.value, tuple) else (node.value,)
    if any(item is None for item in items):
        return None
    wanted = {cmp.domain_value(storage, input_type, item, TIMEZONE) for item in items}
    wanted.discard(cmp.NOT_A_VALUE)
    return wanted


def _value_check(node: CartAttributeCondition) -> Check | None:
    """ "is" / "is one of" on a cart attribute, as `compare` reads it."""
    wanted = _wanted_values(node)
    if wanted is None:
        return None
    attribute = node.attribute

    def check(view: CartView) -> bool:
        have = view.domain(attribute)
        return have is not None and have is not cmp.NOT_A_VALUE and have in wanted

    return check


def _subselect_check(node: ProductSubselect) -> Check | None:
    """ "total of the matching items >= / > N": every item's total must reach N."""
    if node.operator not in (Operator.GREATER_OR_EQUAL, Operator.GREATER):
        return None
    want = cmp.domain_value(Storage.DECIMAL, InputType.NUMERIC, node.value, TIMEZONE)
    if not isinstance(want, Decimal):
        return None
    strict = node.operator is Operator.GREATER
    if node.attribute is SubselectAttribute.QTY:
        return lambda view: view.all_qty > want if strict else view.all_qty >= want
    return lambda view: view.all_rows > want if strict else view.all_rows >= want


def _segment_check(node: CustomerSegmentCondition) -> Check:
    ids = frozenset(node.segment_ids)
    if node.operator in (Operator.IS, Operator.ONE_OF):
        return lambda view: not view.cart.segment_ids.isdisjoint(ids)
    return lambda view: view.cart.segment_ids.isdisjoint(ids)


def _found_check(node: ProductFound) -> Check | None:
    if not node.found or node.aggregator is not Aggregator.ALL:
        return None
    for child in node.conditions:
        if (
            isinstance(child, ProductCondition)
            and child.attribute == "sku"
            and child.operator in (Operator.IS, Operator.ONE_OF)
        ):
            values = child.value if isinstance(child.value, tuple) else (child.value,)
            if any(v is None for v in values):
                continue
            skus = frozenset(str(v).lower() for v in values)
            return lambda view: not view.skus.isdisjoint(skus)
    return None


def _node_check(node: CartNode) -> Check | None:
    """A check that is False only when `node` cannot hold on the cart (None: no shortcut)."""
    if isinstance(node, CustomerSegmentCondition):
        return _segment_check(node)
    if isinstance(node, CartAttributeCondition):
        return _amount_check(node) or _value_check(node)
    if isinstance(node, ProductFound):
        return _found_check(node)
    if isinstance(node, ProductSubselect):
        return _subselect_check(node)
    if isinstance(node, CartCombine):
        return _combine_check(node)
    return None


def _combine_check(node: CartCombine) -> Check | None:
    if not node.expected or not node.conditions:
        return None  # an empty combination holds; FALSE ones are left to the evaluator
    found = [_node_check(child) for child in node.conditions]
    if node.aggregator is Aggregator.ALL:
        every = tuple(c for c in found if c is not None)
        if not every:
            return None
        return lambda view: all(c(view) for c in every)
    if any(c is None for c in found):
        return None
    some = tuple(c for c in found if c is not None)
    return lambda view: any(c(view) for c in some)


def checks(root: CartCombine) -> tuple[Check, ...]:
    """The cheap necessary conditions of a rule's condition tree (none when its root is not
    ALL + TRUE)."""
    if root.aggregator is not Aggregator.ALL or not root.expected:
        return ()
    found: list[Check] = []
    for child in root.conditions:
        check = _node_check(child)
        if check is not None:
            found.append(check)
    return tuple(found)


# --- index keys ----------------------------------------------------------------------------------
#
# The same necessary conditions, as keys a rule can be found by (`engine.salesrules.lookup`):
# a rule is looked at for a cart only when one of its keys matches the cart. A key matches
# exactly when the check of the condition it comes from holds, so a rule never found is a rule
# whose checks (and therefore its full evaluation) fail.


class KeyKind(StrEnum):
    """What a key compares: an equality looked up in a dictionary, or a threshold on an amount."""

    SKU = "sku"
    """Some item has this SKU (lower case)."""
    SEGMENT = "segment"
    """The shopper is in this segment."""
    VALUE = "value"
    """The cart's value of `attribute`, in the comparison's domain, equals `value`."""
    AT_LEAST = "at_least"
    """The amount named by `attribute` is >= `value`."""
    ABOVE = "above"
    AT_MOST = "at_most"
    BELOW = "below"


@dataclass(frozen=True)
class Key:
    """One way a rule can be found; `attribute` is a `CartAttribute` for VALUE, an amount name
    (`AMOUNT_NAMES`) for the thresholds, None otherwise."""

    kind: KeyKind
    attribute: object
    value: object


AMOUNT_NAMES: dict[str, Callable[[CartView], Decimal]] = {
    **{attribute.value: read for attribute, read in _AMOUNTS.items()},
    "all_qty": lambda view: view.all_qty,
    "all_rows": lambda view: view.all_rows,
}
_THRESHOLDS = {
    Operator.GREATER_OR_EQUAL: KeyKind.AT_LEAST,
    Operator.GREATER: KeyKind.ABOVE,
    Operator.LESS_OR_EQUAL: KeyKind.AT_MOST,
    Operator.LESS: KeyKind.BELOW,
}
# Which keys to prefer under ALL: those that need no segment evaluation and match few carts.
_RANK = {
    KeyKind.SKU: 0,
    KeyKind.VALUE: 1,
    KeyKind.AT_LEAST: 2,
    KeyKind.ABOVE: 2,
    KeyKind.AT_MOST: 3,
    KeyKind.BELOW: 3,
    KeyKind.SEGMENT: 4,
}


def _amount_keys(node: CartAttributeCondition) -> frozenset[Key] | None:
    if node.attribute not in _AMOUNTS:
        return None
    want = _number(node.value)
    kind = _THRESHOLDS.get(node.operator)
    if want is None or kind is None:
        return None
    return frozenset({Key(kind, node.attribute.value, want)})


def _value_keys(node: CartAttributeCondition) -> frozenset[Key] | None:
    wanted = _wanted_values(node)
    if wanted is None:
        return None
    return frozenset(Key(KeyKind.VALUE, node.attribute, value) for value in wanted)


def _node_keys(node: CartNode) -> frozenset[Key] | None:
    """Keys one of which matches whenever `node` can hold (None: no such keys), built from
    the same branches as `_node_check`."""
    if isinstance(node, CustomerSegmentCondition):
        if node.operator in (Operator.IS, Operator.ONE_OF):
            return frozenset(Key(KeyKind.SEGMENT, None, int(i)) for i in node.segment_ids)
        return None
    if isinstance(node, CartAttributeCondition):
        found = _amount_keys(node)
        return found if found is not None else _value_keys(node)
    if isinstance(node, ProductFound):
        if _found_check(node) is None:
            return None
        for child in node.conditions:  # the child `_found_check` reads
            if (
                isinstance(child, ProductCondition)
                and child.attribute == "sku"
                and child.operator in (Operator.IS, Operator.ONE_OF)
            ):
                values = child.value if isinstance(child.value, tuple) else (child.value,)
                if any(v is None for v in values):
                    continue
                return frozenset(Key(KeyKind.SKU, None, str(v).lower()) for v in values)
        return None
    if isinstance(node, ProductSubselect):
        if _subselect_check(node) is None:
            return None
        want = cmp.domain_value(Storage.DECIMAL, InputType.NUMERIC, node.value, TIMEZONE)
        name = "all_qty" if node.attribute is SubselectAttribute.QTY else "all_rows"
        return frozenset({Key(_THRESHOLDS[node.operator], name, want)})
    if isinstance(node, CartCombine):
        return _combine_keys(node)
    return None


def _rank(keys: frozenset[Key]) -> tuple[int, int]:
    return (max(_RANK[key.kind] for key in keys), len(keys))


def _combine_keys(node: CartCombine) -> frozenset[Key] | None:
    if not node.expected or not node.conditions:
        return None
    found = [_node_keys(child) for child in node.conditions]
    if node.aggregator is Aggregator.ALL:
        usable = [keys for keys in found if keys]
        return min(usable, key=_rank) if usable else None
    if any(keys is None for keys in found):
        return None
    return frozenset().union(*(keys for keys in found if keys is not None))


def index_keys(root: CartCombine) -> frozenset[Key] | None:
    """The keys a rule with these conditions is found by: one of them matches every cart the
    rule's checks pass (None: the rule must be looked at for every cart). An empty set: the
    conditions can never hold (a "one of" with no usable value)."""
    if root.aggregator is not Aggregator.ALL or not root.expected:
        return None
    return _combine_keys(root)
