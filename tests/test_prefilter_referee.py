"""The cart-rule prefilter (`engine/salesrules/prefilter.py`) is a shortcut: it may only skip a rule
the full evaluation (`engine.rules.evaluate.cart_holds`) would reject. A property test draws random
rules (conditions of every kind, with every operator branch the prefilter reads), random carts and
shoppers, stores each rule's conditions as Magento JSON and reads them back as the rule set does,
and demands that the calculator's valid rules (prefilter, then full evaluation) are exactly the
rules whose conditions hold. In memory: no database."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.rules import magento_json
from engine.rules.evaluate import cart_holds
from engine.rules.tree import (
    CartAttribute,
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
    ProductSubselect,
    SubselectAttribute,
)
from engine.salesrules import prefilter
from engine.salesrules.calculator import Calculation, Gate, Line
from engine.salesrules.lookup import RuleLookup
from engine.salesrules.rule_set import CartRule
from engine.segments.tree import Aggregator, Operator
from models import CatalogProductEntity
from models.salesrules import CartRuleAction, CouponType, FreeShipping

D = Decimal
Op = Operator
SKUS = ("MUG-1", "lamp-9", "Gift", "")
SEGMENTS = (1, 2, 3)
AMOUNTS = (CartAttribute.BASE_SUBTOTAL, CartAttribute.BASE_SUBTOTAL_WITH_DISCOUNT)
NUMBERS = (D(0), D(1), D(2), D("2.5"), D(10), D("12.50"), D(25), D(40))
NUMERIC_OPS = (
    Op.IS,
    Op.IS_NOT,
    Op.GREATER_OR_EQUAL,
    Op.GREATER,
    Op.LESS_OR_EQUAL,
    Op.LESS,
    Op.ONE_OF,
    Op.NOT_ONE_OF,
)
SEGMENT_OPS = (Op.IS, Op.IS_NOT, Op.ONE_OF, Op.NOT_ONE_OF)
ALL, ANY = Aggregator.ALL, Aggregator.ANY


# --- carts -------------------------------------------------------------------------------------


def _product(entity_id: int, sku: str, price: Decimal) -> ProductFacts:
    row = CatalogProductEntity(
        entity_id=entity_id,
        sku=sku,
        name=f"p{entity_id}",
        price=price,
        special_price=None,
        weight=D("0.5"),
        type_id="simple",
        visibility=4,
        status=1,
    )
    row.attribute_set_id = 4
    return ProductFacts(row, frozenset({3} if entity_id % 2 else {4}), {})


@st.composite
def items(draw: Any) -> tuple[ItemFacts, ...]:
    found = []
    for index in range(draw(st.integers(0, 3))):
        sku = draw(st.sampled_from([*SKUS, "mug-1"]))
        price = draw(st.sampled_from([D(0), D("12.50"), D(10), D(25)]))
        qty = draw(st.sampled_from([D(1), D(2), D("1.5")]))
        facts = _product(index + 1, sku, price)
        found.append(ItemFacts(index + 1, facts, qty, price, qty * price))
    return tuple(found)


@st.composite
def carts(draw: Any) -> CartFacts:
    lines = draw(items())
    subtotal = sum((line.row_total for line in lines), D(0))
    return CartFacts(
        website_id=1,
        customer_group_id=draw(st.sampled_from([0, 1])),
        customer_id=draw(st.sampled_from([None, 7])),
        items=lines,
        base_subtotal=subtotal,
        base_subtotal_with_discount=subtotal - draw(st.sampled_from([D(0), D("2.5")])),
        total_qty=sum((line.qty for line in lines), D(0)),
        weight=draw(st.sampled_from([D(0), D("0.5"), D(2), D(10)])),
        payment_method=draw(st.sampled_from([None, "checkmo"])),
        shipping_method=draw(st.sampled_from([None, "flatrate_flatrate"])),
        postcode=draw(st.sampled_from([None, "10001", "75001"])),
        region=draw(st.sampled_from([None, "New York", "new york"])),
        region_id=draw(st.sampled_from([None, 43, 12])),
        country_id=draw(st.sampled_from([None, "US", "FR"])),
        segment_ids=frozenset(draw(st.lists(st.sampled_from(SEGMENTS), max_size=2))),
    )


# --- rules -------------------------------------------------------------------------------------


def _numeric_value(draw: Any, operator: Operator, near: tuple[Decimal, ...]) -> Any:
    """A threshold, often the cart's own amount or a cent either side (the boundaries)."""
    pool = st.sampled_from(near) | st.sampled_from(near) | st.sampled_from(NUMBERS)
    if operator in (Op.ONE_OF, Op.NOT_ONE_OF):
        return tuple(draw(st.lists(pool, min_size=1, max_size=2)))
    return draw(pool)


@st.composite
def amount_conditions(draw: Any, cart: CartFacts) -> CartAttributeCondition:
    """Every amount the prefilter reads, with every numeric operator (four of them shortcut)."""
    attribute = draw(st.sampled_from([*AMOUNTS, CartAttribute.TOTAL_QTY, CartAttribute.WEIGHT]))
    operator = draw(st.sampled_from(NUMERIC_OPS))
    amount = Decimal(getattr(cart, attribute.value))
    near = (amount, amount - D("0.01"), amount + D("0.01"))
    value = _numeric_value(draw, operator, near)
    # Stored conditions hold text: sometimes with spaces around, as pasted.
    if isinstance(value, Decimal) and draw(st.booleans()):
        value = f" {value} "
    return CartAttributeCondition(attribute, operator, value)


VALUES: dict[CartAttribute, tuple[Any, ...]] = {
    CartAttribute.PAYMENT_METHOD: ("checkmo", "free"),
    CartAttribute.SHIPPING_METHOD: ("flatrate_flatrate", "tablerate_bestway"),
    CartAttribute.COUNTRY_ID: ("US", "us", "FR"),
    CartAttribute.POSTCODE: ("10001", " 10001 ", "75001"),
    CartAttribute.REGION: ("New York", "NEW YORK", "Texas"),
    CartAttribute.REGION_ID: (43, "43", 12),
}


@st.composite
def other_cart_conditions(draw: Any) -> CartAttributeCondition:
    """Text and select cart attributes, "is" / "is one of" (shortcut) and their negatives."""
    attribute = draw(st.sampled_from(sorted(VALUES)))
    operator = draw(st.sampled_from([Op.IS, Op.IS_NOT, Op.ONE_OF, Op.NOT_ONE_OF]))
    pool = st.sampled_from(VALUES[attribute])
    value: Any = draw(pool)
    if operator in (Op.ONE_OF, Op.NOT_ONE_OF) or draw(st.booleans()):
        value = tuple(draw(st.lists(pool, min_size=1, max_size=2)))
    return CartAttributeCondition(attribute, operator, value)


segment_conditions = st.builds(
    CustomerSegmentCondition,
    st.sampled_from(SEGMENT_OPS),
    st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=2, unique=True).map(tuple),
)


@st.composite
def product_leaves(draw: Any) -> ProductCondition:
    kind = draw(st.sampled_from(["sku", "sku", "price", "category_ids", "quote_item_qty"]))
    if kind == "sku":
        operator = draw(st.sampled_from([Op.IS, Op.ONE_OF, Op.IS_NOT, Op.CONTAINS]))
        if operator is Op.ONE_OF:
            value: Any = tuple(
                draw(
                    st.lists(st.sampled_from((*SKUS[:3], "MUG-1", "GIFT")), min_size=1, max_size=3)
                )
            )
        else:
            value = draw(st.sampled_from((*SKUS[:3], "mug-1")))
        return ProductCondition("sku", operator, value)
    if kind == "category_ids":
        return ProductCondition(kind, draw(st.sampled_from([Op.IS, Op.IS_NOT])), "3")
    operator = draw(st.sampled_from(NUMERIC_OPS[:6]))
    return ProductCondition(kind, operator, draw(st.sampled_from(NUMBERS)))


product_trees = st.recursive(
    product_leaves(),
    lambda inner: st.builds(
        ProductCombine,
        st.sampled_from([ALL, ANY]),
        st.booleans(),
        st.lists(inner, max_size=2).map(tuple),
    ),
    max_leaves=3,
)

found_conditions = st.builds(
    ProductFound,
    st.booleans(),
    st.sampled_from([ALL, ALL, ANY]),
    st.lists(product_trees, max_size=3).map(tuple),
)

subselect_conditions = st.builds(
    ProductSubselect,
    st.sampled_from(list(SubselectAttribute)),
    st.sampled_from([Op.GREATER_OR_EQUAL, Op.GREATER, Op.LESS, Op.IS]),
    st.sampled_from([D(0), D(1), D(2), D("3.5"), D(25), D(100)]),
    st.sampled_from([ALL, ANY]),
    st.lists(product_leaves(), max_size=2).map(tuple),
)


def cart_trees(cart: CartFacts) -> Any:
    """Roots of every shape; ALL + TRUE (Magento's default, the only root the prefilter reads)
    most often, and often with one or two children (so that the others rarely decide alone)."""
    cart_leaves = st.one_of(
        amount_conditions(cart),
        amount_conditions(cart),
        segment_conditions,
        found_conditions,
        subselect_conditions,
        other_cart_conditions(),
    )
    nested = st.recursive(
        cart_leaves,
        lambda inner: st.builds(
            CartCombine,
            st.sampled_from([ALL, ANY]),
            st.booleans(),
            st.lists(inner, max_size=2).map(tuple),
        ),
        max_leaves=3,
    )
    return st.builds(
        CartCombine,
        st.sampled_from([ALL, ALL, ALL, ANY]),
        st.sampled_from([True, True, True, False]),
        st.one_of(
            st.lists(cart_leaves, min_size=1, max_size=2),
            st.lists(cart_leaves, min_size=1, max_size=2),
            st.lists(st.one_of(cart_leaves, nested), max_size=4),
        ).map(tuple),
    )


def stored(rule_id: int, tree: CartCombine) -> CartRule:
    """The rule as the rule set reads it back from `conditions_serialized`."""
    conditions = magento_json.parse_cart_conditions(magento_json.dump_cart_conditions(tree))
    return CartRule(
        rule_id=rule_id,
        name=f"rule {rule_id}",
        description=None,
        is_active=True,
        website_ids=frozenset({1}),
        group_ids=frozenset({0, 1}),
        from_date=None,
        to_date=None,
        uses_per_customer=0,
        stop_rules_processing=False,
        sort_order=rule_id,
        simple_action=CartRuleAction.BY_PERCENT,
        discount_amount=D(10),
        discount_qty=None,
        discount_step=0,
        apply_to_shipping=False,
        coupon_type=CouponType.NO_COUPON,
        uses_per_coupon=0,
        simple_free_shipping=FreeShipping.NONE,
        conditions=conditions,
        checks=prefilter.checks(conditions),
        keys=prefilter.index_keys(conditions),
    )


def _calculation(rules: list[CartRule], cart: CartFacts) -> Calculation:
    gate = Gate(website_id=1, group_id=cart.customer_group_id, store_id=1, today=date(2026, 6, 1))
    return Calculation(
        rules,
        cart,
        [Line(item) for item in cart.items],
        gate,
        holds=lambda rule: not rule.conditions.conditions or cart_holds(rule.conditions, cart),
        takes=lambda rule, item: True,
    )


# Longer hunt: PREFILTER_EXAMPLES=5000 pytest tests/test_prefilter_referee.py
EXAMPLES = int(os.environ.get("PREFILTER_EXAMPLES") or 200)


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(data=st.data())
def test_prefilter_and_full_evaluation_choose_the_same_rules(data: Any) -> None:
    cart = data.draw(carts(), label="cart")
    trees = data.draw(st.lists(cart_trees(cart), min_size=1, max_size=6), label="rules")
    rules = [stored(rule_id, tree) for rule_id, tree in enumerate(trees, 1)]
    full = [
        r.rule_id for r in rules if not r.conditions.conditions or cart_holds(r.conditions, cart)
    ]
    chosen = [r.rule_id for r in _calculation(rules, cart).valid_rules()]
    assert chosen == full
    # The lookup finds every rule that holds: the calculator over what it finds agrees.
    found = _found(rules, cart)
    assert [r.rule_id for r in _calculation(list(found), cart).valid_rules()] == full
    # The stronger property, per condition: a check that fails is a condition that fails. Every
    # node drawn anywhere in the trees is also tried alone under an ALL + TRUE root.
    view = prefilter.CartView.of(cart)
    for tree in trees:
        for node in _nodes(tree):
            alone = CartCombine(ALL, True, (node,))
            if not all(check(view) for check in prefilter.checks(alone)):
                assert not cart_holds(alone, cart), node


def _as_rule(root: CartCombine) -> CartRule:
    """A rule with these conditions as they are (not through Magento JSON)."""
    return replace(
        stored(1, CartCombine()),
        conditions=root,
        checks=prefilter.checks(root),
        keys=prefilter.index_keys(root),
    )


def _found(rules: list[CartRule], cart: CartFacts) -> tuple[CartRule, ...]:
    """The rules the set's lookup finds for the cart (as `quote_totals.calculation` asks)."""
    lookup = RuleLookup.build(rules, date(2026, 6, 1))
    hits = lookup.cart_hits(prefilter.CartView.of(cart), ())
    hits |= lookup.segment_hits(cart.segment_ids)
    return lookup.ordered(hits)


def _nodes(node: CartNode) -> list[CartNode]:
    if isinstance(node, CartCombine):
        return [node, *(n for child in node.conditions for n in _nodes(child))]
    return [node]


# --- every branch of the prefilter, both ways --------------------------------------------------


def _cart(*lines: ItemFacts, segments: tuple[int, ...] = (), weight: str = "2") -> CartFacts:
    subtotal = sum((line.row_total for line in lines), D(0))
    return CartFacts(
        website_id=1,
        customer_group_id=1,
        customer_id=7,
        items=lines,
        base_subtotal=subtotal,
        base_subtotal_with_discount=subtotal,
        total_qty=sum((line.qty for line in lines), D(0)),
        weight=D(weight),
        payment_method=None,
        shipping_method=None,
        postcode=None,
        region=None,
        region_id=None,
        country_id=None,
        segment_ids=frozenset(segments),
    )


def _line(item_id: int, sku: str, qty: str, price: str) -> ItemFacts:
    return ItemFacts(item_id, _product(item_id, sku, D(price)), D(qty), D(price), D(qty) * D(price))


CART = _cart(_line(1, "MUG-1", "2", "12.50"), _line(2, "LAMP-9", "1", "40"), segments=(2,))
# subtotal 65.00, total qty 3, weight 2, in segment 2


def _amount(attribute: CartAttribute, op: Operator, value: str) -> CartAttributeCondition:
    return CartAttributeCondition(attribute, op, value)


ST = CartAttribute.BASE_SUBTOTAL
QTY = CartAttribute.TOTAL_QTY
WEIGHT = CartAttribute.WEIGHT


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        (_amount(ST, Op.GREATER_OR_EQUAL, "65"), True),
        (_amount(ST, Op.GREATER_OR_EQUAL, "65.01"), False),
        (_amount(ST, Op.GREATER, "64.99"), True),
        (_amount(ST, Op.GREATER, "65"), False),
        (_amount(QTY, Op.LESS_OR_EQUAL, "3"), True),
        (_amount(QTY, Op.LESS_OR_EQUAL, "2.9999"), False),
        (_amount(WEIGHT, Op.LESS, "2.01"), True),
        (_amount(WEIGHT, Op.LESS, "2"), False),
        (_amount(CartAttribute.BASE_SUBTOTAL_WITH_DISCOUNT, Op.GREATER_OR_EQUAL, " 65 "), True),
        (CustomerSegmentCondition(Op.IS, (2,)), True),
        (CustomerSegmentCondition(Op.ONE_OF, (1, 3)), False),
        (CustomerSegmentCondition(Op.IS_NOT, (1, 3)), True),
        (CustomerSegmentCondition(Op.NOT_ONE_OF, (3, 2)), False),
        (ProductFound(True, ALL, (ProductCondition("sku", Op.IS, "mug-1"),)), True),
        (ProductFound(True, ALL, (ProductCondition("sku", Op.ONE_OF, ("X", "lamp-9")),)), True),
        (ProductFound(True, ALL, (ProductCondition("sku", Op.ONE_OF, ("X", "Y")),)), False),
        (_amount(ST, Op.IS, "65.00"), True),
        (_amount(ST, Op.IS, "100"), False),
        (_amount(ST, Op.ONE_OF, ("1", " 65 ")), True),
        (_amount(CartAttribute.PAYMENT_METHOD, Op.IS, "checkmo"), False),  # no payment yet
        (CartCombine(ALL, True, (_amount(ST, Op.GREATER, "100"),)), False),
        (CartCombine(ALL, True, (_amount(ST, Op.GREATER, "10"),)), True),
        (ProductSubselect(SubselectAttribute.QTY, Op.GREATER, D(100), ALL, ()), False),
        (ProductSubselect(SubselectAttribute.QTY, Op.GREATER_OR_EQUAL, D(3), ALL, ()), True),
        (ProductSubselect(SubselectAttribute.QTY, Op.GREATER, D(3), ALL, ()), False),
        (
            ProductSubselect(
                SubselectAttribute.BASE_ROW_TOTAL, Op.GREATER_OR_EQUAL, D(65), ALL, ()
            ),
            True,
        ),
        (ProductSubselect(SubselectAttribute.BASE_ROW_TOTAL, Op.GREATER, D(65), ALL, ()), False),
    ],
)
def test_every_prefilter_branch_decides_as_the_evaluator(condition: CartNode, holds: bool) -> None:
    """Each branch the prefilter shortcuts, on the boundary, both ways: it yields one check, which
    says what the full evaluation says."""
    root = CartCombine(ALL, True, (condition,))
    (check,) = prefilter.checks(root)
    assert check(prefilter.CartView.of(CART)) is holds
    assert cart_holds(root, CART) is holds
    # The lookup finds the rule exactly when its check holds (a rule on "segment is not" has no
    # keys: it is looked at for every cart).
    keys = prefilter.index_keys(root)
    negative = isinstance(condition, CustomerSegmentCondition) and condition.operator in (
        Op.IS_NOT,
        Op.NOT_ONE_OF,
    )
    assert (keys is None) is negative
    found = [r.rule_id for r in _found([_as_rule(root)], CART)]
    assert found == ([1] if holds or negative else [])


@pytest.mark.parametrize(
    "root",
    [
        CartCombine(ANY, True, (_amount(ST, Op.GREATER, "100"),)),
        CartCombine(ALL, False, (_amount(ST, Op.GREATER, "100"),)),
        CartCombine(ALL, True, (_amount(ST, Op.IS_NOT, "100"),)),
        CartCombine(ALL, True, (_amount(ST, Op.GREATER, "not a number"),)),
        CartCombine(ALL, True, (_amount(CartAttribute.COUNTRY_ID, Op.IS_NOT, "US"),)),
        CartCombine(ALL, True, (_amount(CartAttribute.POSTCODE, Op.CONTAINS, "100"),)),
        CartCombine(ALL, True, (ProductFound(False, ALL, (ProductCondition("sku", Op.IS, "Z"),)),)),
        CartCombine(ALL, True, (ProductFound(True, ANY, (ProductCondition("sku", Op.IS, "Z"),)),)),
        CartCombine(
            ALL, True, (ProductFound(True, ALL, (ProductCondition("sku", Op.IS_NOT, "Z"),)),)
        ),
        CartCombine(ALL, True, (ProductFound(True, ALL, (ProductCondition("name", Op.IS, "Z"),)),)),
        CartCombine(ALL, True, (CartCombine(ALL, False, (_amount(ST, Op.GREATER, "100"),)),)),
        CartCombine(ALL, True, (CartCombine(ALL, True, ()),)),
        CartCombine(
            ALL,
            True,
            (
                CartCombine(
                    ANY,
                    True,
                    (
                        _amount(ST, Op.GREATER, "100"),
                        _amount(CartAttribute.POSTCODE, Op.CONTAINS, "1"),
                    ),
                ),
            ),
        ),
        CartCombine(
            ALL,
            True,
            (ProductSubselect(SubselectAttribute.QTY, Op.LESS, D(100), ALL, ()),),
        ),
        CartCombine(
            ALL,
            True,
            (ProductSubselect(SubselectAttribute.QTY, Op.GREATER, "many", ALL, ()),),
        ),
    ],
)
def test_what_the_prefilter_leaves_to_the_evaluator(root: CartCombine) -> None:
    """Conditions with interpretation (other roots, negative or text operators, NOT FOUND, ANY
    items, FALSE or empty nested combinations, an ANY one with a child that has no check,
    subselections other than ">= / > a number") give no check, and no keys to find the rule by."""
    assert prefilter.checks(root) == ()
    assert prefilter.index_keys(root) is None


ADDRESSED = replace(
    CART,
    country_id="US",
    postcode="10001",
    region="New York",
    region_id=43,
    shipping_method="flatrate_flatrate",
)


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        (_amount(CartAttribute.COUNTRY_ID, Op.IS, "us"), True),
        (_amount(CartAttribute.COUNTRY_ID, Op.IS, "FR"), False),
        (_amount(CartAttribute.COUNTRY_ID, Op.ONE_OF, ("FR", "US")), True),
        (_amount(CartAttribute.COUNTRY_ID, Op.IS, ("DE", "FR")), False),
        (_amount(CartAttribute.POSTCODE, Op.IS, "10001"), True),
        (_amount(CartAttribute.POSTCODE, Op.IS, "90001"), False),
        (_amount(CartAttribute.REGION, Op.IS, "NEW YORK"), True),
        (_amount(CartAttribute.REGION_ID, Op.IS, " 43 "), True),
        (_amount(CartAttribute.REGION_ID, Op.IS, "12"), False),
        (_amount(CartAttribute.REGION_ID, Op.IS, "x"), False),
        (_amount(CartAttribute.SHIPPING_METHOD, Op.IS, "flatrate_flatrate"), True),
        (_amount(CartAttribute.SHIPPING_METHOD, Op.IS, "tablerate_bestway"), False),
        (
            CartCombine(
                ANY,
                True,
                (_amount(WEIGHT, Op.GREATER_OR_EQUAL, "10"), _amount(ST, Op.GREATER, "100")),
            ),
            False,
        ),
        (
            CartCombine(
                ANY,
                True,
                (_amount(WEIGHT, Op.GREATER_OR_EQUAL, "1"), _amount(ST, Op.GREATER, "100")),
            ),
            True,
        ),
    ],
)
def test_cart_values_and_nested_combinations_decide_as_the_evaluator(
    condition: CartNode, holds: bool
) -> None:
    """The value branches (the cart's text or id read as `compare` reads it) and nested
    combinations, on a cart with an address and a shipping method, both ways."""
    root = CartCombine(ALL, True, (condition,))
    (check,) = prefilter.checks(root)
    assert check(prefilter.CartView.of(ADDRESSED)) is holds
    assert cart_holds(root, ADDRESSED) is holds
    # The lookup finds the rule exactly when the check holds; a value no cart can have ("x" for
    # a region id) gives no key, and the rule is looked at for every cart.
    keys = prefilter.index_keys(root)
    assert (keys is None) is (getattr(condition, "value", None) == "x")
    found = [r.rule_id for r in _found([_as_rule(root)], ADDRESSED)]
    assert found == ([1] if holds or keys is None else [])


def test_item_attribute_codes_are_not_skus() -> None:
    # A product condition on a cart-line attribute is left to the evaluator as well.
    found = ProductFound(
        True, ALL, (ProductCondition(ItemAttribute.QUOTE_ITEM_QTY.value, Op.IS, "2"),)
    )
    assert prefilter.checks(CartCombine(ALL, True, (found,))) == ()
