"""The "products to display" tree of a related product rule (`TargetRule\\Model\\Actions\\
Condition\\*`): frozen dataclasses. The "products to match" side is a catalog-rule product tree
(`engine/rules/tree.py: ProductCombine`), since Magento's `Rule\\Condition\\Product\\Attributes`
is the catalog rule's product condition minus `status`.

A display leaf compares a candidate product's attribute with either a constant (`CONSTANT`) or
the matched (source) product's own value of the same attribute (`SAME_AS`); for `category_ids`,
`CHILD_OF` holds when the candidate is in a category below one of the matched product's. A price
leaf compares the candidate's final price with a percentage of the matched product's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from engine.rules.tree import ProductCondition
from engine.segments.tree import Aggregator, Operator


class ValueType(StrEnum):
    """`Actions\\Condition\\Product\\Attributes::VALUE_TYPE_*`."""

    CONSTANT = "constant"
    SAME_AS = "same_as"
    CHILD_OF = "child_of"


@dataclass(frozen=True)
class DisplayAttribute:
    """ "Product <attribute> <operator> <constant | the same as / child of matched product's>".
    For `CONSTANT`, `condition` holds the typed value; for the relative kinds its value is None
    and is taken from the matched product when evaluated."""

    condition: ProductCondition
    value_type: ValueType


@dataclass(frozen=True)
class PricePercent:
    """ "Product Price is <operator> <percent>% of Matched Product(s) Price"
    (`Actions\\Condition\\Product\\Special\\Price`)."""

    operator: Operator
    percent: Decimal


@dataclass(frozen=True)
class DisplayCombine:
    """ "If ALL/ANY of these conditions are TRUE/FALSE" (empty: every candidate)."""

    aggregator: Aggregator = Aggregator.ALL
    expected: bool = True
    conditions: tuple[DisplayNode, ...] = ()


DisplayNode = DisplayAttribute | PricePercent | DisplayCombine

PRICE_OPERATORS = (
    Operator.IS,
    Operator.GREATER,
    Operator.GREATER_OR_EQUAL,
    Operator.LESS,
    Operator.LESS_OR_EQUAL,
)
"""`Special\\Price::loadOperatorOptions`."""
