"""A segment's condition tree: a union of frozen dataclasses, checked when it is built.

Every node of Adobe Commerce's segment catalogue (reference §3.5) is one class here. Nodes never
mutate; `parse`/`dump` (GraphQL input, Magento's `conditions_serialized`) live in their own
modules, and both evaluators end with `assert_never` over `Node`, so a new node type cannot be
forgotten by either.

Semantics kept from Magento, each with a test:
- `Combine(aggregator, expected, children)`: ALL+TRUE = every child true, ANY+TRUE = some child
  true, ALL+FALSE = every child false, ANY+FALSE = some child false. An empty ALL is true and an
  empty ANY is false (so a segment with no conditions matches everyone, as Magento's root).
- Sub-selections (`ProductList`, `ProductHistory`, `CustomerAddress`, `OrderAddress` and the sales
  aggregates) filter rows with their children combined by `aggregator` (always as TRUE); with no
  children every row passes.
- A leaf comparing a missing value (NULL column, no EAV row, no store-credit row) is false for
  every operator, the negative ones (`!=`, `!{}`, `!()`, `![]`) included, as SQL's comparisons
  with NULL in Magento; only `UNDEFINED` holds, exactly then.
- Sales Amount (total and average) over no matching order is 0 (Magento's real-time check), so
  "total is less than 100" holds for a customer without orders; Purchased Quantity over none is
  NULL and nothing holds; the number of orders over none is 0 and compares normally.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Aggregator(StrEnum):
    ALL = "all"
    ANY = "any"


class Operator(StrEnum):
    """Magento's operator codes (AbstractCondition::getDefaultOperatorOptions + segment `[]`)."""

    IS = "=="
    IS_NOT = "!="
    GREATER_OR_EQUAL = ">="
    LESS_OR_EQUAL = "<="
    GREATER = ">"
    LESS = "<"
    CONTAINS = "{}"
    NOT_CONTAINS = "!{}"
    ONE_OF = "()"
    NOT_ONE_OF = "!()"
    UNDEFINED = "<=>"
    MULTI_CONTAINS = "[]"
    MULTI_NOT_CONTAINS = "![]"


NEGATIVE_OPERATORS = frozenset(
    {Operator.IS_NOT, Operator.NOT_CONTAINS, Operator.NOT_ONE_OF, Operator.MULTI_NOT_CONTAINS}
)


class InputType(StrEnum):
    """How a condition attribute is entered and compared."""

    NUMERIC = "numeric"
    STRING = "string"
    SELECT = "select"
    MULTISELECT = "multiselect"
    DATE = "date"
    BOOLEAN = "boolean"


class CartAmountKind(StrEnum):
    """Shoppingcart\\Amount attributes."""

    SUBTOTAL = "subtotal"
    GRAND_TOTAL = "grand_total"
    TAX = "tax"
    SHIPPING = "shipping"
    STORE_CREDIT = "store_credit"
    GIFT_CARD = "gift_card"


class ProductListSource(StrEnum):
    CART = "shopping_cart"
    WISHLIST = "wishlist"


class ProductHistoryAction(StrEnum):
    VIEWED = "viewed_history"
    ORDERED = "ordered_history"


class DefaultAddressKind(StrEnum):
    BILLING = "default_billing"
    SHIPPING = "default_shipping"


class OrderAddressKind(StrEnum):
    SHIPPING = "shipping"
    BILLING = "billing"


class SalesFunction(StrEnum):
    TOTAL = "total"
    AVERAGE = "average"


ANY_ORDER_STATUS = "any"
"""Order\\Status value meaning every status."""

Scalar = Decimal | str | date
"""A typed condition value: numbers are Decimal, dates are `date`, options and text are `str`."""

Value = Scalar | tuple[Scalar, ...] | None
"""`None` only with `Operator.UNDEFINED`; tuples with `ONE_OF`, `NOT_ONE_OF` and multiselects."""


@dataclass(frozen=True)
class Combine:
    """Conditions Combination (and the root): "If ALL/ANY of these conditions are TRUE/FALSE"."""

    aggregator: Aggregator = Aggregator.ALL
    expected: bool = True
    conditions: tuple[Node, ...] = ()


# --- customer ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerAttribute:
    """Customer\\Attributes: "Customer <attribute> <operator> <value>" (static or custom EAV)."""

    attribute: str
    operator: Operator
    value: Value


@dataclass(frozen=True)
class Newsletter:
    """Customer\\Newsletter: "Customer is subscribed / not subscribed to newsletter"."""

    subscribed: bool


@dataclass(frozen=True)
class StoreCredit:
    """Customer\\Storecredit: "Customer Store Credit Amount <operator> <value>", per website."""

    operator: Operator
    value: Decimal


@dataclass(frozen=True)
class CustomerAddress:
    """Customer\\Address: some address of the book matches ALL/ANY of the children."""

    aggregator: Aggregator = Aggregator.ALL
    conditions: tuple[AddressNode, ...] = ()


@dataclass(frozen=True)
class DefaultAddress:
    """Address\\DefaultAddress: "Customer Address is / is not Default Billing/Shipping Address"."""

    operator: Operator  # IS or IS_NOT
    kind: DefaultAddressKind


@dataclass(frozen=True)
class AddressAttribute:
    """Address\\Attributes: "Customer Address <attribute> <operator> <value>"."""

    attribute: str
    operator: Operator
    value: Value


@dataclass(frozen=True)
class AddressHasRegion:
    """Address\\Region: "Customer Address has / does not have State/Province specified"."""

    has_region: bool


# --- shopping cart ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CartAmount:
    """Shoppingcart\\Amount: "Shopping Cart <kind> Amount <operator> <value>"."""

    kind: CartAmountKind
    operator: Operator
    value: Decimal


@dataclass(frozen=True)
class CartLineItems:
    """Shoppingcart\\Itemsquantity: "Number of Shopping Cart Line Items <operator> <value>"."""

    operator: Operator
    value: Decimal


@dataclass(frozen=True)
class CartProductsQuantity:
    """Shoppingcart\\Productsquantity: "Shopping Cart Products Qty <operator> <value>"."""

    operator: Operator
    value: Decimal


# --- products ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductList:
    """Product\\Combine\\ListCombine: "If Product is found / not found in the Shopping Cart /
    Wish List with ALL/ANY of these Conditions match"."""

    source: ProductListSource
    found: bool
    aggregator: Aggregator = Aggregator.ALL
    conditions: tuple[ProductNode, ...] = ()


@dataclass(frozen=True)
class ProductHistory:
    """Product\\Combine\\History: "If Product was / was not viewed / ordered and matches ALL/ANY of
    these Conditions"."""

    action: ProductHistoryAction
    happened: bool
    aggregator: Aggregator = Aggregator.ALL
    conditions: tuple[ProductNode, ...] = ()


@dataclass(frozen=True)
class ProductAttribute:
    """Product\\Attributes: "Product <attribute> <operator> <value>", including `attribute_set_id`
    and `category_ids`."""

    attribute: str
    operator: Operator
    value: Value


@dataclass(frozen=True)
class ProductCombine:
    """A Conditions Combination nested inside a product sub-selection."""

    aggregator: Aggregator = Aggregator.ALL
    expected: bool = True
    conditions: tuple[ProductNode, ...] = ()


# --- dates (inside product and sales sub-selections) -------------------------------------------


@dataclass(frozen=True)
class UpToDate:
    """Uptodate: "Period <operator> <days> Days Up To Date". `operator` is stored as Magento stores
    it, applied to the row's date against the start of (today - days) in the website's timezone:
    `>=` reads "equals or less than N days ago" (within the last N days)."""

    operator: Operator
    days: int


@dataclass(frozen=True)
class DateRange:
    """Daterange: "Date Range is / is not within <start>...<end>", whole days in the website's
    timezone, both ends included."""

    operator: Operator  # IS or IS_NOT
    start: date
    end: date


# --- sales ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderStatus:
    """Order\\Status: "Order Status is / is not <status>" (`ANY_ORDER_STATUS` for every status)."""

    operator: Operator  # IS or IS_NOT
    status: str


@dataclass(frozen=True)
class SalesAmount:
    """Sales\\Salesamount: "Total/Average Sales Amount <operator> <value> while ALL/ANY of these
    Conditions match" over `base_grand_total` of the customer's orders in the website's stores."""

    function: SalesFunction
    operator: Operator
    value: Decimal
    aggregator: Aggregator = Aggregator.ALL
    conditions: tuple[OrderFilterNode, ...] = ()


@dataclass(frozen=True)
class OrdersNumber:
    """Sales\\Ordersnumber: "Number of Orders <operator> <value> while ..."."""

    operator: Operator
    value: Decimal
    aggregator: Aggregator = Aggregator.ALL
    conditions: tuple[OrderFilterNode, ...] = ()


@dataclass(frozen=True)
class PurchasedQuantity:
    """Sales\\Purchasedquantity: "Total/Average Purchased Quantity <operator> <value> while ..."
    over `total_qty_ordered`."""

    function: SalesFunction
    operator: Operator
    value: Decimal
    aggregator: Aggregator = Aggregator.ALL
    conditions: tuple[OrderFilterNode, ...] = ()


@dataclass(frozen=True)
class OrderAddress:
    """Order\\Address: some address of some order (in the website's stores) matches ALL/ANY."""

    aggregator: Aggregator = Aggregator.ALL
    conditions: tuple[OrderAddressNode, ...] = ()


@dataclass(frozen=True)
class OrderAddressType:
    """Order\\Address\\Type: "Order Address is / is not a Shipping/Billing Address"."""

    operator: Operator  # IS or IS_NOT
    kind: OrderAddressKind


@dataclass(frozen=True)
class OrderAddressAttribute:
    """Order\\Address\\Attributes: "Order Address <attribute> <operator> <value>"."""

    attribute: str
    operator: Operator
    value: Value


# --- segments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentMembership:
    """mageseg's own: "Customer is / is not in segment X" (X's conditions, evaluated, not its stored
    members, so the answer never depends on refresh order). Cycles are rejected at save."""

    operator: Operator  # IS or IS_NOT
    segment_id: int


AddressNode = DefaultAddress | AddressAttribute | AddressHasRegion | CustomerAddress
"""A nested Customer Address (Magento's form offers it) is its own "some address of this customer
matches", not tied to the address the outer one is looking at (as Magento's SQL)."""
ProductNode = ProductAttribute | ProductCombine | UpToDate | DateRange
OrderFilterNode = OrderStatus | UpToDate | DateRange
OrderAddressNode = OrderAddressType | OrderAddressAttribute

Node = (
    Combine
    | CustomerAttribute
    | Newsletter
    | StoreCredit
    | CustomerAddress
    | CartAmount
    | CartLineItems
    | CartProductsQuantity
    | ProductList
    | ProductHistory
    | OrderAddress
    | SalesAmount
    | OrdersNumber
    | PurchasedQuantity
    | SegmentMembership
)
"""A node that can appear in a segment's root or in a Conditions Combination."""

AnyNode = Node | AddressNode | ProductNode | OrderFilterNode | OrderAddressNode
"""Any node of the tree, wherever it sits (for walkers such as explain and dump)."""
