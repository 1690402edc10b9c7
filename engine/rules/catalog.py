"""What a promotion rule's conditions may name: the product attributes (the segment catalogue's
product entries plus the custom attributes flagged "Use for Promo Rule Conditions"), the cart-line
attributes of cart rules and the cart attributes of `SalesRule\\Model\\Rule\\Condition\\Address`,
with the operators Magento's rule conditions offer per input type
(`Rule\\Model\\Condition\\AbstractCondition::getDefaultOperatorInputByType`) and the labels the
admin shows. Comparison itself is `engine/segments/compare.py`'s."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from engine.rules.tree import CartAttribute, ItemAttribute, SubselectAttribute
from engine.segments.catalog import OPERATOR_LABELS, static_catalog
from engine.segments.catalog_types import (
    AttributeSpec,
    Catalog,
    Derived,
    StaticColumn,
    Storage,
    Subject,
)
from engine.segments.tree import InputType, Operator

Op = Operator

RULE_OPERATORS: Mapping[InputType, tuple[Operator, ...]] = {
    InputType.STRING: (
        Op.IS,
        Op.IS_NOT,
        Op.GREATER_OR_EQUAL,
        Op.GREATER,
        Op.LESS_OR_EQUAL,
        Op.LESS,
        Op.CONTAINS,
        Op.NOT_CONTAINS,
        Op.ONE_OF,
        Op.NOT_ONE_OF,
    ),
    InputType.NUMERIC: (
        Op.IS,
        Op.IS_NOT,
        Op.GREATER_OR_EQUAL,
        Op.GREATER,
        Op.LESS_OR_EQUAL,
        Op.LESS,
        Op.ONE_OF,
        Op.NOT_ONE_OF,
    ),
    InputType.DATE: (Op.IS, Op.GREATER_OR_EQUAL, Op.LESS_OR_EQUAL),
    InputType.SELECT: (Op.IS, Op.IS_NOT, Op.UNDEFINED, Op.ONE_OF, Op.NOT_ONE_OF),
    InputType.BOOLEAN: (Op.IS, Op.IS_NOT, Op.UNDEFINED),
    InputType.MULTISELECT: (Op.CONTAINS, Op.NOT_CONTAINS, Op.ONE_OF, Op.NOT_ONE_OF),
}
"""Magento's rule operators per input type (`select` also takes `()` / `!()`, as the segment
catalogue does, for a list of options)."""

CATEGORY_OPERATORS: tuple[Operator, ...] = (
    Op.IS,
    Op.IS_NOT,
    Op.CONTAINS,
    Op.NOT_CONTAINS,
    Op.ONE_OF,
    Op.NOT_ONE_OF,
)
"""`category_ids` (input type `category`): `==`, `{}`, `()` hold when the product is in any of
the categories, `!=`, `!{}`, `!()` when in none."""

SKU_OPERATORS: tuple[Operator, ...] = CATEGORY_OPERATORS
"""`sku` (input type `sku`)."""

RULE_OPERATOR_LABELS: Mapping[Operator, str] = OPERATOR_LABELS
"""Labels as the admin shows them ("equals or greater than", "is one of", ...)."""

SEGMENT_OPERATORS: tuple[Operator, ...] = (Op.IS, Op.IS_NOT, Op.ONE_OF, Op.NOT_ONE_OF)
SEGMENT_OPERATOR_LABELS: Mapping[Operator, str] = {
    Op.IS: "matches",
    Op.IS_NOT: "does not match",
    Op.ONE_OF: "is one of",
    Op.NOT_ONE_OF: "is not one of",
}
"""`CustomerSegment\\Model\\Segment\\Condition\\Segment` operators and their labels."""

SUBSELECT_OPERATORS: tuple[Operator, ...] = RULE_OPERATORS[InputType.NUMERIC][:6]

CART_ATTRIBUTE_LABELS: Mapping[CartAttribute, str] = {
    CartAttribute.BASE_SUBTOTAL_WITH_DISCOUNT: "Subtotal (Excl. Tax)",
    CartAttribute.BASE_SUBTOTAL: "Subtotal",
    CartAttribute.TOTAL_QTY: "Total Items Quantity",
    CartAttribute.WEIGHT: "Total Weight",
    CartAttribute.PAYMENT_METHOD: "Payment Method",
    CartAttribute.SHIPPING_METHOD: "Shipping Method",
    CartAttribute.POSTCODE: "Shipping Postcode",
    CartAttribute.REGION: "Shipping Region",
    CartAttribute.REGION_ID: "Shipping State/Province",
    CartAttribute.COUNTRY_ID: "Shipping Country",
}

CART_ATTRIBUTE_TYPES: Mapping[CartAttribute, tuple[InputType, Storage]] = {
    CartAttribute.BASE_SUBTOTAL_WITH_DISCOUNT: (InputType.NUMERIC, Storage.DECIMAL),
    CartAttribute.BASE_SUBTOTAL: (InputType.NUMERIC, Storage.DECIMAL),
    CartAttribute.TOTAL_QTY: (InputType.NUMERIC, Storage.DECIMAL),
    CartAttribute.WEIGHT: (InputType.NUMERIC, Storage.DECIMAL),
    CartAttribute.PAYMENT_METHOD: (InputType.SELECT, Storage.TEXT),
    CartAttribute.SHIPPING_METHOD: (InputType.SELECT, Storage.TEXT),
    CartAttribute.POSTCODE: (InputType.STRING, Storage.TEXT),
    CartAttribute.REGION: (InputType.STRING, Storage.TEXT),
    CartAttribute.REGION_ID: (InputType.SELECT, Storage.INT),
    CartAttribute.COUNTRY_ID: (InputType.SELECT, Storage.TEXT),
}

ITEM_ATTRIBUTE_LABELS: Mapping[ItemAttribute, str] = {
    ItemAttribute.QUOTE_ITEM_QTY: "Quantity in cart",
    ItemAttribute.QUOTE_ITEM_PRICE: "Price in cart",
    ItemAttribute.QUOTE_ITEM_ROW_TOTAL: "Row total in cart",
}

SUBSELECT_LABELS: Mapping[SubselectAttribute, str] = {
    SubselectAttribute.QTY: "total quantity",
    SubselectAttribute.BASE_ROW_TOTAL: "total amount",
}

_STATIC = static_catalog()


STATIC_PRODUCT_SPECS: Mapping[str, AttributeSpec] = {
    spec.code: spec for spec in _STATIC.of(Subject.PRODUCT)
}
"""The product attributes every rule may name (sku, name, price, special price, weight, type,
visibility, status, attribute set, category), without database option lists."""


def product_spec(catalog: Catalog | None, code: str) -> AttributeSpec | None:
    """The product attribute `code` of `catalog` (with custom promo attributes) or of the static
    entries."""
    if catalog is not None:
        found = catalog.attribute(Subject.PRODUCT, code)
        if found is not None:
            return found
    return STATIC_PRODUCT_SPECS.get(code)


def operators_for(spec: AttributeSpec) -> tuple[Operator, ...]:
    """The operators a rule condition on `spec` may use."""
    if isinstance(spec.source, Derived):
        return CATEGORY_OPERATORS
    if spec.code == "sku":
        return SKU_OPERATORS
    return RULE_OPERATORS[spec.input_type]


def inferred_types(value: object) -> tuple[InputType, Storage]:
    """How a custom attribute's store-0 value (as `facts.load_product_facts` types it) compares:
    a frozenset is a multiselect, numbers numeric, a datetime a date attribute kept as an instant,
    a date a date, anything else text."""
    if isinstance(value, frozenset):
        return InputType.MULTISELECT, Storage.TEXT
    if isinstance(value, bool):
        return InputType.BOOLEAN, Storage.BOOL
    if isinstance(value, int):
        return InputType.NUMERIC, Storage.INT
    if isinstance(value, Decimal):
        return InputType.NUMERIC, Storage.DECIMAL
    if isinstance(value, datetime):
        return InputType.DATE, Storage.DATETIME
    if isinstance(value, date):
        return InputType.DATE, Storage.DATE
    return InputType.STRING, Storage.TEXT


def static_column(spec: AttributeSpec) -> str | None:
    """The `catalog_product_entity` column of a static product attribute."""
    return spec.source.column if isinstance(spec.source, StaticColumn) else None


def option_labels(spec: AttributeSpec | None) -> Mapping[str, str]:
    return {option.value: option.label for option in spec.options} if spec else {}
