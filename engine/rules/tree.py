"""The condition trees of catalog and cart price rules: a union of frozen dataclasses.

Operators, aggregators, value typing and NULL semantics are the segment engine's
(`engine/segments/tree.py`, `compare.py`), so a product condition means the same thing in a
segment, a catalog rule and a cart rule.

- A catalog rule's conditions are a `ProductCombine` over `ProductCondition`s
  (`CatalogRule\\Model\\Rule\\Condition\\Combine` / `Product`).
- A cart rule's conditions are a `CartCombine` over cart attributes, product found / subselect,
  customer segment and nested combinations (`SalesRule\\Model\\Rule\\Condition\\*`).
- A cart rule's actions are a `ProductCombine` that limits which items get the discount
  (`SalesRule\\Model\\Rule\\Condition\\Product\\Combine`); an empty one takes every item.

Combining is Magento's: ALL+TRUE every child true, ANY+TRUE some child true, ALL+FALSE every child
false, ANY+FALSE some child false; a combination with no children holds, whatever its aggregator
(`Magento\\Rule\\Model\\Condition\\Combine::_isValid` returns true before looking at it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from engine.segments.tree import Aggregator, Operator, Value
from models import CatalogProductEntity


class CartAttribute(StrEnum):
    """`SalesRule\\Model\\Rule\\Condition\\Address` attributes."""

    BASE_SUBTOTAL_WITH_DISCOUNT = "base_subtotal_with_discount"
    BASE_SUBTOTAL = "base_subtotal"
    TOTAL_QTY = "total_qty"
    WEIGHT = "weight"
    PAYMENT_METHOD = "payment_method"
    SHIPPING_METHOD = "shipping_method"
    POSTCODE = "postcode"
    REGION = "region"
    REGION_ID = "region_id"
    COUNTRY_ID = "country_id"


class ItemAttribute(StrEnum):
    """The cart-line attributes a cart rule's product condition may read besides the product's
    own (`SalesRule\\Model\\Rule\\Condition\\Product::loadAttributeOptions`)."""

    QUOTE_ITEM_QTY = "quote_item_qty"
    QUOTE_ITEM_PRICE = "quote_item_price"
    QUOTE_ITEM_ROW_TOTAL = "quote_item_row_total"


class SubselectAttribute(StrEnum):
    """`Product\\Subselect`: total quantity or total amount of the matching items."""

    QTY = "qty"
    BASE_ROW_TOTAL = "base_row_total"


@dataclass(frozen=True)
class ProductCondition:
    """ "Product <attribute> <operator> <value>": a product attribute flagged "Use for Promo Rule
    Conditions", `attribute_set_id`, `category_ids`, or (cart rules only) an `ItemAttribute`."""

    attribute: str
    operator: Operator
    value: Value


@dataclass(frozen=True)
class ProductCombine:
    """ "If ALL/ANY of these conditions are TRUE/FALSE" over product conditions."""

    aggregator: Aggregator = Aggregator.ALL
    expected: bool = True
    conditions: tuple[ProductNode, ...] = ()


ProductNode = ProductCondition | ProductCombine


@dataclass(frozen=True)
class CartAttributeCondition:
    """ "<Cart attribute> <operator> <value>" (`Condition\\Address`), read from the shipping
    address (the billing address for a virtual cart) and the cart's totals."""

    attribute: CartAttribute
    operator: Operator
    value: Value


@dataclass(frozen=True)
class ProductFound:
    """ "If an item is FOUND/NOT FOUND in the cart with ALL/ANY of these conditions true"."""

    found: bool = True
    aggregator: Aggregator = Aggregator.ALL
    conditions: tuple[ProductNode, ...] = ()


@dataclass(frozen=True)
class ProductSubselect:
    """ "If total quantity/amount <operator> <value> for a subselection of items in cart matching
    ALL/ANY of these conditions"."""

    attribute: SubselectAttribute
    operator: Operator
    value: Decimal
    aggregator: Aggregator = Aggregator.ALL
    conditions: tuple[ProductNode, ...] = ()


@dataclass(frozen=True)
class CustomerSegmentCondition:
    """Adobe Commerce's "If Customer Segment <matches / does not match / is one of / is not one of>
    <ids>" (`CustomerSegment\\Model\\Segment\\Condition\\Segment`): `IS` and `ONE_OF` hold when the
    shopper is in at least one of the segments, `IS_NOT` and `NOT_ONE_OF` when in none."""

    operator: Operator
    segment_ids: tuple[int, ...]


@dataclass(frozen=True)
class CartCombine:
    """A cart rule's root and its nested "Conditions combination"."""

    aggregator: Aggregator = Aggregator.ALL
    expected: bool = True
    conditions: tuple[CartNode, ...] = ()


CartNode = (
    CartCombine
    | CartAttributeCondition
    | ProductFound
    | ProductSubselect
    | CustomerSegmentCondition
)
AnyRuleNode = CartNode | ProductNode


# --- what conditions read ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductFacts:
    """What a product condition reads of one product: its flat row, its category ids (the
    categories it is assigned to, as Magento's `category_ids`), and the store-0 values of its
    custom attributes flagged for promo rules, by attribute code."""

    product: CatalogProductEntity
    category_ids: frozenset[int]
    custom: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemFacts:
    """One cart line as a cart rule sees it: `price` is the calculation price (the final catalog
    price), `row_total` = price x qty before cart discounts."""

    item_id: int
    product: ProductFacts
    qty: Decimal
    price: Decimal
    row_total: Decimal


@dataclass(frozen=True)
class CartFacts:
    """One cart as a cart rule's conditions see it (Magento's quote address). Amounts are before
    cart discounts, `segment_ids` are the shopper's live segments on the cart's website."""

    website_id: int
    customer_group_id: int
    customer_id: int | None
    items: tuple[ItemFacts, ...]
    base_subtotal: Decimal
    base_subtotal_with_discount: Decimal
    total_qty: Decimal
    weight: Decimal
    payment_method: str | None
    shipping_method: str | None
    postcode: str | None
    region: str | None
    region_id: int | None
    country_id: str | None
    segment_ids: frozenset[int]
