"""Condition trees of catalog and cart price rules over GraphQL: a recursive typed input and output
in Magento's node shape (`RuleConditionInput`, `RuleCondition`), with Magento's
`conditions_serialized` JSON as the alternative way in and out (see `engine/rules/drafts.py` for
which fields each node type reads)."""

from __future__ import annotations

from enum import Enum

import strawberry

from engine.rules.drafts import RuleConditionDraft, RuleConditionType
from engine.segments.tree import Aggregator, Operator
from graph.common import draft_value
from graph.limits import LONG_TEXT


@strawberry.enum(description="The node types of catalog and cart price rule condition trees.")
class RuleConditionKind(Enum):
    COMBINE = strawberry.enum_value(
        RuleConditionType.COMBINE.value,
        description='Conditions combination: "If ALL/ANY of these conditions are TRUE/FALSE" '
        "(`aggregator`, `value` 1 TRUE / 0 FALSE, `conditions`). The root of every tree.",
    )
    PRODUCT = strawberry.enum_value(
        RuleConditionType.PRODUCT.value,
        description="Product attribute (`attribute`, `operator`, `value`): a product attribute "
        "flagged for promo rules, `attribute_set_id`, `category_ids`, or in cart rules "
        "`quote_item_qty`, `quote_item_price`, `quote_item_row_total`.",
    )
    CART_ATTRIBUTE = strawberry.enum_value(
        RuleConditionType.CART_ATTRIBUTE.value,
        description="Cart attribute (cart rule conditions): `base_subtotal_with_discount`, "
        "`base_subtotal`, `total_qty`, `weight`, `payment_method`, `shipping_method`, "
        "`postcode`, `region`, `region_id`, `country_id`.",
    )
    PRODUCT_FOUND = strawberry.enum_value(
        RuleConditionType.PRODUCT_FOUND.value,
        description='"If an item is FOUND/NOT FOUND in the cart with ALL/ANY of these '
        'conditions true" (`value` 1 FOUND / 0 NOT FOUND, `aggregator`, `conditions`).',
    )
    PRODUCT_SUBSELECT = strawberry.enum_value(
        RuleConditionType.PRODUCT_SUBSELECT.value,
        description='"If total quantity/amount <operator> <value> for a subselection of items '
        'in cart matching ALL/ANY of these conditions" (`attribute` qty / base_row_total).',
    )
    CUSTOMER_SEGMENT = strawberry.enum_value(
        RuleConditionType.CUSTOMER_SEGMENT.value,
        description='"If Customer Segment matches / does not match / is one of / is not one of '
        '<ids>" (`operator` IS, IS_NOT, ONE_OF, NOT_ONE_OF; `value` segment ids).',
    )


@strawberry.enum(description="Magento's rule condition operators.")
class RuleConditionOperator(Enum):
    IS = strawberry.enum_value(Operator.IS.value, description="is (`==`).")
    IS_NOT = strawberry.enum_value(Operator.IS_NOT.value, description="is not (`!=`).")
    GREATER_OR_EQUAL = strawberry.enum_value(
        Operator.GREATER_OR_EQUAL.value, description="equals or greater than (`>=`)."
    )
    LESS_OR_EQUAL = strawberry.enum_value(
        Operator.LESS_OR_EQUAL.value, description="equals or less than (`<=`)."
    )
    GREATER = strawberry.enum_value(Operator.GREATER.value, description="greater than (`>`).")
    LESS = strawberry.enum_value(Operator.LESS.value, description="less than (`<`).")
    CONTAINS = strawberry.enum_value(Operator.CONTAINS.value, description="contains (`{}`).")
    NOT_CONTAINS = strawberry.enum_value(
        Operator.NOT_CONTAINS.value, description="does not contain (`!{}`)."
    )
    ONE_OF = strawberry.enum_value(Operator.ONE_OF.value, description="is one of (`()`).")
    NOT_ONE_OF = strawberry.enum_value(
        Operator.NOT_ONE_OF.value, description="is not one of (`!()`)."
    )
    UNDEFINED = strawberry.enum_value(Operator.UNDEFINED.value, description="is undefined (`<=>`).")

    @classmethod
    def of_code(cls, code: str | None) -> RuleConditionOperator | None:
        for member in cls:
            if str(member.value) == code:
                return member
        return None


@strawberry.enum(description="How a combination, found or subselection joins its children.")
class RuleConditionAggregator(Enum):
    ALL = strawberry.enum_value(Aggregator.ALL.value, description="Every child must hold.")
    ANY = strawberry.enum_value(Aggregator.ANY.value, description="Some child must hold.")


@strawberry.input(
    description="One node of a price rule's condition tree in Magento's node shape; the root "
    "must be a COMBINE."
)
class RuleConditionInput:
    type: RuleConditionKind = strawberry.field(description="The node type.")
    attribute: str | None = strawberry.field(
        default=None,
        description="The attribute code (PRODUCT, CART_ATTRIBUTE) or `qty` / `base_row_total` "
        "(PRODUCT_SUBSELECT).",
    )
    operator: RuleConditionOperator | None = strawberry.field(
        default=None, description="The comparison."
    )
    value: list[str] | None = strawberry.field(
        metadata=LONG_TEXT,
        default=None,
        description="The value(s): one element for a single value, several for is one of; "
        "1/0 for COMBINE (TRUE/FALSE) and PRODUCT_FOUND (FOUND/NOT FOUND); dates as YYYY-MM-DD.",
    )
    aggregator: RuleConditionAggregator | None = strawberry.field(
        default=None, description="ALL or ANY, for COMBINE, PRODUCT_FOUND and PRODUCT_SUBSELECT."
    )
    conditions: list[RuleConditionInput] | None = strawberry.field(
        default=None, description="Child nodes of COMBINE, PRODUCT_FOUND and PRODUCT_SUBSELECT."
    )

    def draft(self) -> RuleConditionDraft:
        return RuleConditionDraft(
            type=RuleConditionType(str(self.type.value)),
            attribute=self.attribute,
            operator=str(self.operator.value) if self.operator is not None else None,
            value=draft_value(self.value),
            aggregator=str(self.aggregator.value) if self.aggregator is not None else None,
            conditions=tuple(child.draft() for child in self.conditions or ()),
        )


def draft_of(value: RuleConditionInput | None) -> RuleConditionDraft | None:
    """The draft of an optional input."""
    return None if value is None else value.draft()


@strawberry.type(description="One node of a price rule's condition tree, as stored.")
class RuleCondition:
    type: RuleConditionKind = strawberry.field(description="The node type.")
    attribute: str | None = strawberry.field(
        description="The attribute; null when the type takes none."
    )
    operator: RuleConditionOperator | None = strawberry.field(
        description="The comparison; null when the type takes none."
    )
    value: list[str] | None = strawberry.field(
        description="The value(s); null when the type takes none."
    )
    aggregator: RuleConditionAggregator | None = strawberry.field(
        description="ALL or ANY, for COMBINE, PRODUCT_FOUND and PRODUCT_SUBSELECT."
    )
    conditions: list[RuleCondition] = strawberry.field(description="Child nodes; empty for leaves.")

    @classmethod
    def of(cls, draft: RuleConditionDraft) -> RuleCondition:
        value = draft.value
        return cls(
            type=RuleConditionKind(draft.type.value),
            attribute=draft.attribute,
            operator=RuleConditionOperator.of_code(draft.operator),
            value=None if value is None else ([value] if isinstance(value, str) else list(value)),
            aggregator=None
            if draft.aggregator is None
            else RuleConditionAggregator(draft.aggregator),
            conditions=[cls.of(child) for child in draft.conditions],
        )
