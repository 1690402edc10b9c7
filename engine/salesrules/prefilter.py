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


def _value_check(node: CartAttributeCondition) -> Check | None:
    """ "is" / "is one of" on a cart attribute, as `compare` reads it (see `domain_value`)."""
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
