"""Related product rules without I/O: rotation, the price percentage, relative display leaves,
the index's category shortcut (the same pairs as evaluating every rule), and the Magento JSON of
both sides read and written back."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.rules.evaluate import product_matches
from engine.rules.tree import ProductCombine, ProductCondition, ProductFacts
from engine.segments.tree import Aggregator, Operator
from engine.targetrule import conditions as c
from engine.targetrule.evaluate import Candidate, Source, bound_categories, displays, percent_of
from engine.targetrule.index import required_categories
from engine.targetrule.lists import Rotation, rotate
from engine.targetrule.tree import DisplayAttribute, DisplayCombine, PricePercent, ValueType
from models import CatalogProductEntity


def facts(
    entity_id: int, categories: tuple[int, ...] = (), weight: str | None = None, price: str = "10"
) -> ProductFacts:
    row = CatalogProductEntity(
        entity_id=entity_id,
        sku=f"s{entity_id}",
        name="n",
        price=Decimal(price),
        weight=None if weight is None else Decimal(weight),
        attribute_set_id=4,
    )
    return ProductFacts(product=row, category_ids=frozenset(categories))


def test_rotation_by_id_groups_by_priority_then_id() -> None:
    # Spec A.8: {A:5, B:5, D:5, E:1} with ids A=1, B=2, D=4, E=5 -> E, A, B, D.
    assert rotate({1: 5, 2: 5, 4: 5, 5: 1}, Rotation.BY_ID, 20) == [5, 1, 2, 4]
    assert rotate({1: 5, 2: 5, 4: 5, 5: 1}, Rotation.BY_ID, 2) == [5, 1]
    assert rotate({1: 0}, Rotation.BY_ID, -1) == []


def test_random_rotations_keep_priority_groups() -> None:
    items = {i: i % 3 for i in range(1, 31)}
    for mode in (Rotation.SHUFFLE, Rotation.WEIGHTED_RANDOM):
        ordered = rotate(items, mode, 30, random.Random(4))
        assert sorted(ordered) == sorted(items)
        assert [items[i] for i in ordered] == sorted(items[i] for i in ordered)
    # Weighted random slices before grouping: 10 of 30, still grouped.
    ten = rotate(items, Rotation.WEIGHTED_RANDOM, 10, random.Random(4))
    assert len(ten) == 10
    assert [items[i] for i in ten] == sorted(items[i] for i in ten)


def test_percent_of_rounds_to_four_places_half_up() -> None:
    assert percent_of(Decimal("100"), Decimal("120")) == Decimal("120.0000")
    assert percent_of(Decimal("33.33"), Decimal("33.335")) == Decimal("11.1106")  # 11.11055...


def test_same_as_with_no_matched_value_shows_nothing() -> None:
    tree = DisplayCombine(
        conditions=(
            DisplayAttribute(ProductCondition("weight", Operator.IS, None), ValueType.SAME_AS),
        )
    )
    candidate = Candidate(facts(2, weight="1"), Decimal(10))
    with_weight = Source(facts(1, weight="1"), Decimal(10), frozenset())
    without = Source(facts(1), Decimal(10), frozenset())
    assert displays(tree, candidate, with_weight, {}) is True
    assert displays(tree, candidate, without, {}) is False


def test_child_of_and_negated_same_category() -> None:
    paths = {3: "1/2/3", 4: "1/2/3/4", 5: "1/2/5"}
    source = Source(facts(1, (3,)), Decimal(10), frozenset({3}))
    child_of = DisplayCombine(
        conditions=(
            DisplayAttribute(
                ProductCondition("category_ids", Operator.IS, None), ValueType.CHILD_OF
            ),
        )
    )
    not_same = DisplayCombine(
        conditions=(
            DisplayAttribute(
                ProductCondition("category_ids", Operator.IS_NOT, None), ValueType.SAME_AS
            ),
        )
    )
    below, beside, same = facts(2, (4,)), facts(3, (5,)), facts(4, (3,))
    assert [
        displays(child_of, Candidate(f, None), source, paths) for f in (below, beside, same)
    ] == [
        True,
        False,
        False,
    ]
    assert [
        displays(not_same, Candidate(f, None), source, paths) for f in (below, beside, same)
    ] == [
        True,
        True,
        False,
    ]


def test_bound_categories_come_from_the_rules_match_condition() -> None:
    rule = ProductCombine(conditions=(ProductCondition("category_ids", Operator.IS, "10"),))
    assert bound_categories(rule, facts(1, (10, 12))) == frozenset({10})
    assert bound_categories(ProductCombine(), facts(1, (10, 12))) == frozenset({10, 12})


def test_price_leaf_needs_both_prices() -> None:
    tree = DisplayCombine(conditions=(PricePercent(Operator.LESS_OR_EQUAL, Decimal(100)),))
    source = Source(facts(1), Decimal(50), frozenset())
    assert displays(tree, Candidate(facts(2), Decimal(50)), source, {}) is True
    assert displays(tree, Candidate(facts(2), Decimal("50.01")), source, {}) is False
    assert displays(tree, Candidate(facts(2), None), source, {}) is False


CATEGORIES = st.sets(st.integers(1, 6), max_size=3)


@st.composite
def match_trees(draw: st.DrawFn) -> ProductCombine:
    leaves = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["category", "weight"]))
        if kind == "category":
            operator = draw(st.sampled_from([Operator.IS, Operator.IS_NOT, Operator.ONE_OF]))
            ids = tuple(
                str(i) for i in sorted(draw(st.sets(st.integers(1, 6), min_size=1, max_size=2)))
            )
            value: object = ids if operator is Operator.ONE_OF else ids[0]
            leaves.append(ProductCondition("category_ids", operator, value))  # type: ignore[arg-type]
        else:
            leaves.append(
                ProductCondition("weight", Operator.GREATER, Decimal(draw(st.integers(0, 5))))
            )
    return ProductCombine(
        draw(st.sampled_from([Aggregator.ALL, Aggregator.ANY])), draw(st.booleans()), tuple(leaves)
    )


@settings(max_examples=200, deadline=None)
@given(tree=match_trees(), categories=CATEGORIES, weight=st.integers(0, 6))
def test_the_index_category_shortcut_never_skips_a_match(
    tree: ProductCombine, categories: set[int], weight: int
) -> None:
    product = facts(1, tuple(categories), weight=str(weight))
    needed = required_categories(tree)
    if needed is not None and not needed & product.category_ids:
        assert product_matches(tree, product) is False


def test_both_sides_read_and_write_magento_json() -> None:
    text = (
        '{"type":"Magento\\\\TargetRule\\\\Model\\\\Rule\\\\Condition\\\\Combine","aggregator":"any",'
        '"value":"0","conditions":[{"type":"Magento\\\\TargetRule\\\\Model\\\\Rule\\\\Condition'
        '\\\\Product\\\\Attributes","attribute":"sku","operator":"()","value":"a, b"}]}'
    )
    tree = c.parse_match(text)
    assert tree == ProductCombine(
        Aggregator.ANY, False, (ProductCondition("sku", Operator.ONE_OF, ("a", "b")),)
    )
    assert c.parse_match(c.dump_match(tree)) == tree
    display = DisplayCombine(
        conditions=(
            DisplayAttribute(ProductCondition("weight", Operator.IS, None), ValueType.SAME_AS),
            PricePercent(Operator.GREATER, Decimal("90")),
        )
    )
    assert c.parse_display(c.dump_display(display)) == display
    # Magento's default value_type is same_as.
    bare = (
        '{"type":"Magento\\\\TargetRule\\\\Model\\\\Actions\\\\Condition\\\\Combine","conditions":'
        '[{"type":"Magento\\\\TargetRule\\\\Model\\\\Actions\\\\Condition\\\\Product\\\\Attributes",'
        '"attribute":"category_ids","operator":"=="}]}'
    )
    assert c.parse_display(bare).conditions == (
        DisplayAttribute(ProductCondition("category_ids", Operator.IS, None), ValueType.SAME_AS),
    )
    assert c.parse_match("") == ProductCombine()
    assert c.parse_display("[]") == DisplayCombine()
