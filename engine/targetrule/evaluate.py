"""Evaluate a "products to display" tree (`tree.py`) for one candidate, relative to the matched
(source) product. No I/O: facts, prices and category paths are loaded before.

Leaves compare through `engine/rules/evaluate.py: condition_holds` (so an operator means what it
means in price rules). Relative leaves, as Magento's `ResourceModel\\Index` binds them:

- `same_as` on an attribute: the candidate's value compared with the matched product's value; a
  matched product with no value matches nothing (Magento binds NULL). `()` / `!()` test whether
  the candidate's value is (not) among the matched product's comma-separated values.
- `same_as` on `category_ids`: `==`, `{}`, `()` hold when the candidate shares a category with
  the bound categories, the negatives when it shares none. The bound categories are the ones the
  rule's own "products to match" names in a positive `category_ids` condition, if any, else the
  matched product's (`_prepareRuleActionSelectBind::extractCategoryIdsFromRule`).
- `child_of`: the candidate is in a category strictly below one of the bound categories.
- price: the candidate's final price <op> round(matched final price x percent / 100, 4)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import assert_never

from engine.rules import catalog as rc
from engine.rules.evaluate import (
    RuleFailure,
    combine,
    combine_sentence,
    condition_holds,
    product_matches,
)
from engine.rules.evaluate import product_sentence as match_sentence
from engine.rules.tree import ProductCombine, ProductCondition, ProductFacts
from engine.segments.catalog_types import StaticColumn
from engine.segments.tree import Operator, Value
from engine.targetrule.tree import (
    DisplayAttribute,
    DisplayCombine,
    DisplayNode,
    PricePercent,
    ValueType,
)

_POSITIVE = frozenset({Operator.IS, Operator.CONTAINS, Operator.ONE_OF})
_FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Candidate:
    """A product that may be displayed: its facts and its final price for the shopper's group."""

    facts: ProductFacts
    price: Decimal | None


@dataclass(frozen=True)
class Source:
    """The matched product, with the categories relative category conditions bind."""

    facts: ProductFacts
    price: Decimal | None
    bound_categories: frozenset[int]


def bound_categories(match: ProductCombine, product: ProductFacts) -> frozenset[int]:
    """The categories a rule's relative category conditions compare with (see the module)."""
    named: set[int] = set()

    def walk(node: ProductCombine | ProductCondition) -> None:
        if isinstance(node, ProductCondition):
            if node.attribute == "category_ids" and node.operator in _POSITIVE:
                items = node.value if isinstance(node.value, tuple) else (node.value,)
                named.update(int(str(i)) for i in items if str(i).isdigit())
            return
        if node.expected:
            for child in node.conditions:
                walk(child)

    walk(match)
    return frozenset(named) if named else product.category_ids


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def source_value(code: str, product: ProductFacts) -> object:
    """The matched product's value of `code` (None when it has none)."""
    spec = rc.STATIC_PRODUCT_SPECS.get(code)
    if spec is not None and isinstance(spec.source, StaticColumn):
        return _plain(getattr(product.product, spec.source.column, None))
    return product.custom.get(code)


def _as_value(raw: object, operator: Operator) -> Value:
    if isinstance(raw, frozenset):
        return tuple(sorted(str(item) for item in raw))
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, int):
        raw = str(raw)
    if operator in (Operator.ONE_OF, Operator.NOT_ONE_OF):
        text = str(raw)
        return tuple(part.strip() for part in text.split(",") if part.strip())
    assert isinstance(raw, str | Decimal) or raw is None or hasattr(raw, "isoformat")
    return raw  # type: ignore[return-value]


def _categories(node: ProductCondition, candidate: Candidate, source: Source) -> bool:
    shared = bool(candidate.facts.category_ids & source.bound_categories)
    return shared if node.operator in _POSITIVE else not shared


def _child_of(
    node: ProductCondition, candidate: Candidate, source: Source, paths: Mapping[int, str]
) -> bool:
    prefixes = [paths[c] + "/" for c in source.bound_categories if c in paths]
    below = any(
        paths.get(c, "").startswith(prefix)
        for c in candidate.facts.category_ids
        for prefix in prefixes
    )
    return below if node.operator is Operator.IS else not below


def percent_of(price: Decimal, percent: Decimal) -> Decimal:
    """round(price x percent / 100, 4), half up (`ResourceModel\\Index::bindPercentOf`)."""
    return (price * percent / 100).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)


def _price(node: PricePercent, candidate: Candidate, source: Source) -> bool:
    if candidate.price is None or source.price is None:
        return False
    bound = percent_of(source.price, node.percent)
    actual = candidate.price
    match node.operator:
        case Operator.IS:
            return actual == bound
        case Operator.GREATER:
            return actual > bound
        case Operator.GREATER_OR_EQUAL:
            return actual >= bound
        case Operator.LESS:
            return actual < bound
        case Operator.LESS_OR_EQUAL:
            return actual <= bound
    return False


def _attribute(
    node: DisplayAttribute, candidate: Candidate, source: Source, paths: Mapping[int, str]
) -> bool:
    condition = node.condition
    if node.value_type is ValueType.CONSTANT:
        return condition_holds(condition, candidate.facts)
    if node.value_type is ValueType.CHILD_OF:
        return _child_of(condition, candidate, source, paths)
    if condition.attribute == "category_ids":
        return _categories(condition, candidate, source)
    raw = source_value(condition.attribute, source.facts)
    if raw is None or raw == frozenset():
        return False
    bound = ProductCondition(
        condition.attribute, condition.operator, _as_value(raw, condition.operator)
    )
    return condition_holds(bound, candidate.facts)


def displays(
    node: DisplayNode, candidate: Candidate, source: Source, paths: Mapping[int, str]
) -> bool:
    """Whether `node` holds for `candidate` shown with `source`."""
    if isinstance(node, DisplayCombine):
        return combine(
            node.aggregator,
            node.expected,
            [displays(child, candidate, source, paths) for child in node.conditions],
        )
    if isinstance(node, PricePercent):
        return _price(node, candidate, source)
    if isinstance(node, DisplayAttribute):
        return _attribute(node, candidate, source, paths)
    assert_never(node)


# --- sentences and failures ---------------------------------------------------------------------


def display_sentence(node: DisplayNode) -> str:
    """The admin's sentence for a display node ("Color is the Same as Matched Product Color")."""
    if isinstance(node, DisplayCombine):
        return combine_sentence(node.aggregator, node.expected)
    if isinstance(node, PricePercent):
        operator = rc.RULE_OPERATOR_LABELS[node.operator]
        return f"Product Price {operator} {node.percent}% of Matched Product(s) Price"
    if isinstance(node, DisplayAttribute):
        if node.value_type is ValueType.CONSTANT:
            return match_sentence(node.condition)
        spec = rc.STATIC_PRODUCT_SPECS.get(node.condition.attribute)
        label = spec.label if spec is not None else node.condition.attribute
        operator = rc.RULE_OPERATOR_LABELS[node.condition.operator]
        relation = "the Child of" if node.value_type is ValueType.CHILD_OF else "the Same as"
        return f"{label} {operator} {relation} Matched Product {label}"
    assert_never(node)


def first_display_failure(
    root: DisplayCombine, candidate: Candidate, source: Source, paths: Mapping[int, str]
) -> RuleFailure | None:
    """None when `root` holds for `candidate`; otherwise the node to blame, with Magento's
    condition id (`1--2`): the first child of an ALL that is not as expected, the combination
    itself under an ANY."""

    def failure(node: DisplayNode, path: str) -> RuleFailure | None:
        if displays(node, candidate, source, paths):
            return None
        if isinstance(node, DisplayCombine) and node.aggregator.value == "all":
            for index, child in enumerate(node.conditions, 1):
                if displays(child, candidate, source, paths) != node.expected:
                    child_path = f"{path}--{index}"
                    if node.expected and isinstance(child, DisplayCombine):
                        return failure(child, child_path)
                    return RuleFailure(child_path, display_sentence(child))
        return RuleFailure(path, display_sentence(node))

    return failure(root, "1")


def first_match_failure(root: ProductCombine, product: ProductFacts) -> RuleFailure | None:
    """None when a rule's "products to match" holds for `product`; otherwise the node to blame,
    as `first_display_failure` chooses it."""

    def failure(node: ProductCombine | ProductCondition, path: str) -> RuleFailure | None:
        if product_matches(node, product):
            return None
        if isinstance(node, ProductCombine) and node.aggregator.value == "all":
            for index, child in enumerate(node.conditions, 1):
                if product_matches(child, product) != node.expected:
                    child_path = f"{path}--{index}"
                    if node.expected and isinstance(child, ProductCombine):
                        return failure(child, child_path)
                    return RuleFailure(child_path, match_sentence(child))
        return RuleFailure(path, match_sentence(node))

    return failure(root, "1")
