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
  compared case-insensitively, as the evaluator does): some item must have such a SKU.

Anything else is left to the evaluator; a rule that passes these checks is evaluated in full."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from engine.rules.tree import (
    CartAttribute,
    CartAttributeCondition,
    CartCombine,
    CartFacts,
    CustomerSegmentCondition,
    ProductCondition,
    ProductFound,
)
from engine.segments.tree import Aggregator, Operator


@dataclass(frozen=True)
class CartView:
    """The cart with what the checks read precomputed once."""

    cart: CartFacts
    skus: frozenset[str]

    @classmethod
    def of(cls, cart: CartFacts) -> CartView:
        return cls(
            cart,
            frozenset(
                str(item.product.product.sku).lower()
                for item in cart.items
                if item.product.product.sku is not None
            ),
        )


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


def checks(root: CartCombine) -> tuple[Check, ...]:
    """The cheap necessary conditions of a rule's condition tree (none when its root is not
    ALL + TRUE)."""
    if root.aggregator is not Aggregator.ALL or not root.expected:
        return ()
    found: list[Check] = []
    for child in root.conditions:
        check: Check | None = None
        if isinstance(child, CustomerSegmentCondition):
            check = _segment_check(child)
        elif isinstance(child, CartAttributeCondition):
            check = _amount_check(child)
        elif isinstance(child, ProductFound):
            check = _found_check(child)
        if check is not None:
            found.append(check)
    return tuple(found)
