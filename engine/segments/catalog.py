"""The condition catalogue, declared once: operators per input type, the static attribute entries
of customers, addresses, order addresses and products, the custom EAV attributes flagged for
segments (customer, address) or promo rules (product), and a description of every node type for
rule-builder UIs.

Operators follow Magento (`CustomerSegment\\Model\\Condition\\AbstractCondition`), with one
addition kept from `ResourceModel\\Segment::createConditionSql`: a string or select value holding
commas is a list, and `==` / `!=` with several values become `()` / `!()`, so those two operators
are allowed for strings and selects. Numbers and dates take one value.

Custom attributes: `frontend_input` gives the input type (select, multiselect, boolean, date and
datetime as such; text and textarea are numeric when the backend type is int or decimal, string
otherwise); the backend type gives the value table. A `date` attribute kept in a datetime table is
`Storage.DATE` (its day is compared), a `datetime` one `Storage.DATETIME`. File and image
attributes are never offered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from engine.segments.catalog_types import (
    AttributeSpec,
    Catalog,
    Derived,
    DerivedKind,
    EavColumn,
    Option,
    StaticColumn,
    Storage,
    Subject,
)
from engine.segments.drafts import ConditionType
from engine.segments.tree import (
    ANY_ORDER_STATUS,
    CartAmountKind,
    DefaultAddressKind,
    InputType,
    Operator,
    OrderAddressKind,
    ProductHistoryAction,
    ProductListSource,
    SalesFunction,
)
from models import EavAttribute

Op = Operator

OPERATORS_BY_INPUT: Mapping[InputType, tuple[Operator, ...]] = {
    InputType.NUMERIC: (
        Op.IS,
        Op.IS_NOT,
        Op.GREATER_OR_EQUAL,
        Op.GREATER,
        Op.LESS_OR_EQUAL,
        Op.LESS,
    ),
    InputType.STRING: (Op.IS, Op.IS_NOT, Op.CONTAINS, Op.NOT_CONTAINS, Op.ONE_OF, Op.NOT_ONE_OF),
    InputType.MULTISELECT: (Op.IS, Op.IS_NOT, Op.MULTI_CONTAINS, Op.MULTI_NOT_CONTAINS),
    InputType.DATE: (Op.IS, Op.GREATER_OR_EQUAL, Op.LESS_OR_EQUAL),
    InputType.SELECT: (Op.IS, Op.IS_NOT, Op.UNDEFINED, Op.ONE_OF, Op.NOT_ONE_OF),
    InputType.BOOLEAN: (Op.IS, Op.IS_NOT, Op.UNDEFINED),
}

OPERATOR_LABELS: Mapping[Operator, str] = {
    Op.IS: "is",
    Op.IS_NOT: "is not",
    Op.GREATER_OR_EQUAL: "equals or greater than",
    Op.LESS_OR_EQUAL: "equals or less than",
    Op.GREATER: "greater than",
    Op.LESS: "less than",
    Op.CONTAINS: "contains",
    Op.NOT_CONTAINS: "does not contain",
    Op.ONE_OF: "is one of",
    Op.NOT_ONE_OF: "is not one of",
    Op.UNDEFINED: "is undefined",
    Op.MULTI_CONTAINS: "contains",
    Op.MULTI_NOT_CONTAINS: "does not contain",
}

IS_OPERATORS: tuple[Operator, ...] = (Op.IS, Op.IS_NOT)
"""Fixed-choice leaves (default address, order address type, order status, segment, lists)."""

NUMERIC_OPERATORS = OPERATORS_BY_INPUT[InputType.NUMERIC]

UP_TO_DATE_OPERATORS: tuple[Operator, ...] = (
    Op.GREATER_OR_EQUAL,
    Op.LESS_OR_EQUAL,
    Op.GREATER,
    Op.LESS,
)
"""Stored as Magento stores them; `UP_TO_DATE_LABELS` gives the inverted labels it shows."""

UP_TO_DATE_LABELS: Mapping[Operator, str] = {
    Op.GREATER_OR_EQUAL: "equals or less than",
    Op.LESS_OR_EQUAL: "equals or greater than",
    Op.GREATER: "less than",
    Op.LESS: "greater than",
}

PRODUCT_OPERATORS_BY_INPUT: Mapping[InputType, tuple[Operator, ...]] = {
    **OPERATORS_BY_INPUT,
    # Product conditions are Magento\Rule's AbstractProduct: a text or number attribute is its
    # "string" input (`== != >= > <= < {} !{} () !()`; ordering of text is not offered), a
    # multiselect `{} !{} () !()` (`== != [] ![]` kept from the segment table as well).
    InputType.NUMERIC: (
        *OPERATORS_BY_INPUT[InputType.NUMERIC],
        Op.CONTAINS,
        Op.NOT_CONTAINS,
        Op.ONE_OF,
        Op.NOT_ONE_OF,
    ),
    InputType.MULTISELECT: (
        Op.CONTAINS,
        Op.NOT_CONTAINS,
        Op.ONE_OF,
        Op.NOT_ONE_OF,
        *OPERATORS_BY_INPUT[InputType.MULTISELECT],
    ),
}
"""Operators of product attributes (inside Product List / Product History)."""

CATEGORY_OPERATORS: tuple[Operator, ...] = (
    Op.IS,
    Op.IS_NOT,
    Op.CONTAINS,
    Op.NOT_CONTAINS,
    Op.ONE_OF,
    Op.NOT_ONE_OF,
)
"""Magento's "category" input: `==`, `{}` and `()` = in one of the categories (as its price rules),
the negative ones = in none."""
DEFAULT_ADDRESS_EXISTS = "is_exists"
DEFAULT_ADDRESS_NOT_EXISTS = "is_not_exists"

GENDER_OPTIONS = (Option("1", "Male"), Option("2", "Female"), Option("3", "Not Specified"))
BOOLEAN_OPTIONS = (Option("1", "Yes"), Option("0", "No"))
PRODUCT_TYPE_OPTIONS = (Option("simple", "Simple Product"), Option("virtual", "Virtual Product"))
VISIBILITY_OPTIONS = (
    Option("1", "Not Visible Individually"),
    Option("2", "Catalog"),
    Option("3", "Search"),
    Option("4", "Catalog, Search"),
)
STATUS_OPTIONS = (Option("1", "Enabled"), Option("2", "Disabled"))
EXISTS_OPTIONS = (
    Option(DEFAULT_ADDRESS_EXISTS, "exists"),
    Option(DEFAULT_ADDRESS_NOT_EXISTS, "does not exist"),
)


def _spec(
    subject: Subject,
    code: str,
    label: str,
    input_type: InputType,
    source: StaticColumn | EavColumn | Derived,
    options: tuple[Option, ...] = (),
    operators: tuple[Operator, ...] | None = None,
) -> AttributeSpec:
    return AttributeSpec(
        subject=subject,
        code=code,
        label=label,
        input_type=input_type,
        source=source,
        operators=(
            (PRODUCT_OPERATORS_BY_INPUT if subject is Subject.PRODUCT else OPERATORS_BY_INPUT)[
                input_type
            ]
            if operators is None
            else operators
        ),
        options=options,
    )


def _text(subject: Subject, code: str, label: str) -> AttributeSpec:
    return _spec(subject, code, label, InputType.STRING, StaticColumn(code, Storage.TEXT))


def _address_specs(
    subject: Subject, regions: tuple[Option, ...], *, with_email: bool
) -> list[AttributeSpec]:
    specs = [
        _text(subject, "firstname", "First Name"),
        _text(subject, "lastname", "Last Name"),
        _text(subject, "company", "Company"),
        _text(subject, "street", "Street Address"),
        _text(subject, "city", "City"),
        _spec(
            subject,
            "region_id",
            "State/Province",
            InputType.SELECT,
            StaticColumn("region_id", Storage.INT),
            regions,
        ),
        _text(subject, "postcode", "Zip/Postal Code"),
        # No country table: any two-letter code is accepted (validate.py checks the shape).
        _spec(
            subject,
            "country_id",
            "Country",
            InputType.SELECT,
            StaticColumn("country_id", Storage.TEXT),
        ),
        _text(subject, "telephone", "Phone Number"),
    ]
    if with_email:
        specs.append(_text(subject, "email", "Email"))
    return specs


def static_specs(
    *,
    groups: tuple[Option, ...] = (),
    regions: tuple[Option, ...] = (),
    attribute_sets: tuple[Option, ...] = (),
) -> list[AttributeSpec]:
    """The entries Magento installs (data patch `AddCustomerSegmentAttributes` and the product
    attributes rules always offer), with the option lists read from the database."""
    c, p = Subject.CUSTOMER, Subject.PRODUCT
    return [
        _spec(c, "dob", "Date of Birth", InputType.DATE, StaticColumn("dob", Storage.DATE)),
        _text(c, "email", "Email"),
        _text(c, "firstname", "First Name"),
        _text(c, "lastname", "Last Name"),
        _spec(
            c, "group_id", "Group", InputType.SELECT, StaticColumn("group_id", Storage.INT), groups
        ),
        _spec(
            c,
            "gender",
            "Gender",
            InputType.SELECT,
            StaticColumn("gender", Storage.INT),
            GENDER_OPTIONS,
        ),
        _spec(
            c,
            "default_billing",
            "Default Billing Address",
            InputType.SELECT,
            Derived(DerivedKind.DEFAULT_ADDRESS_EXISTS, "default_billing"),
            EXISTS_OPTIONS,
            (Op.IS,),
        ),
        _spec(
            c,
            "default_shipping",
            "Default Shipping Address",
            InputType.SELECT,
            Derived(DerivedKind.DEFAULT_ADDRESS_EXISTS, "default_shipping"),
            EXISTS_OPTIONS,
            (Op.IS,),
        ),
        _spec(
            c,
            "created_at",
            "Customer Since",
            InputType.DATE,
            StaticColumn("created_at", Storage.DATETIME),
        ),
        *_address_specs(Subject.ADDRESS, regions, with_email=False),
        *_address_specs(Subject.ORDER_ADDRESS, regions, with_email=True),
        _text(p, "sku", "SKU"),
        _text(p, "name", "Product Name"),
        _spec(p, "price", "Price", InputType.NUMERIC, StaticColumn("price", Storage.DECIMAL)),
        _spec(
            p,
            "special_price",
            "Special Price",
            InputType.NUMERIC,
            StaticColumn("special_price", Storage.DECIMAL),
        ),
        _spec(p, "weight", "Weight", InputType.NUMERIC, StaticColumn("weight", Storage.DECIMAL)),
        _spec(
            p,
            "type_id",
            "Type",
            InputType.SELECT,
            StaticColumn("type_id", Storage.TEXT),
            PRODUCT_TYPE_OPTIONS,
        ),
        _spec(
            p,
            "visibility",
            "Visibility",
            InputType.SELECT,
            StaticColumn("visibility", Storage.INT),
            VISIBILITY_OPTIONS,
        ),
        _spec(
            p,
            "status",
            "Enable Product",
            InputType.SELECT,
            StaticColumn("status", Storage.INT),
            STATUS_OPTIONS,
        ),
        _spec(
            p,
            "attribute_set_id",
            "Attribute Set",
            InputType.SELECT,
            StaticColumn("attribute_set_id", Storage.INT),
            attribute_sets,
        ),
        # Options left empty: any category id (a positive integer) is accepted.
        _spec(
            p,
            "category_ids",
            "Category",
            InputType.SELECT,
            Derived(DerivedKind.CATEGORY_IDS),
            (),
            CATEGORY_OPERATORS,
        ),
    ]


# --- custom EAV attributes ---------------------------------------------------------------------

_ENTITY_SUBJECT = {1: Subject.CUSTOMER, 2: Subject.ADDRESS, 4: Subject.PRODUCT}
_TABLE_PREFIX = {
    Subject.CUSTOMER: "customer_entity",
    Subject.ADDRESS: "customer_address_entity",
    Subject.PRODUCT: "catalog_product_entity",
}
_BACKEND_STORAGE = {
    "varchar": Storage.TEXT,
    "text": Storage.TEXT,
    "int": Storage.INT,
    "decimal": Storage.DECIMAL,
    "datetime": Storage.DATETIME,
}
_SUPPORTED_INPUTS = frozenset(
    {"text", "textarea", "select", "multiselect", "boolean", "date", "datetime"}
)

_CUSTOM_ATTRIBUTES_SQL = """
SELECT a.attribute_id, a.entity_type_id, a.attribute_code, a.backend_type, a.frontend_input,
       a.frontend_label
FROM eav_attribute a JOIN customer_eav_attribute c ON c.attribute_id = a.attribute_id
WHERE a.entity_type_id IN (1, 2) AND c.is_used_for_customer_segment = TRUE
UNION ALL
SELECT a.attribute_id, a.entity_type_id, a.attribute_code, a.backend_type, a.frontend_input,
       a.frontend_label
FROM eav_attribute a JOIN catalog_eav_attribute c ON c.attribute_id = a.attribute_id
WHERE a.entity_type_id = 4 AND c.is_used_for_promo_rules = TRUE
"""

_OPTIONS_SQL = """
SELECT o.attribute_id, o.option_id, v.value
FROM eav_attribute_option o
LEFT JOIN eav_attribute_option_value v ON v.option_id = o.option_id AND v.store_id = 0
WHERE o.attribute_id IN ({ids})
ORDER BY o.attribute_id, o.sort_order, o.option_id
"""


def _custom_spec(row: Mapping[str, Any], options: tuple[Option, ...]) -> AttributeSpec | None:
    subject = _ENTITY_SUBJECT.get(int(row["entity_type_id"]))
    backend = str(row["backend_type"])
    frontend = str(row["frontend_input"])
    if subject is None or frontend not in _SUPPORTED_INPUTS or backend not in _BACKEND_STORAGE:
        return None
    storage = _BACKEND_STORAGE[backend]
    if frontend in ("select",):
        input_type = InputType.SELECT
    elif frontend == "multiselect":
        input_type, storage = InputType.MULTISELECT, Storage.TEXT
    elif frontend == "boolean":
        input_type, options = InputType.BOOLEAN, BOOLEAN_OPTIONS
    elif frontend in ("date", "datetime"):
        input_type = InputType.DATE
        storage = Storage.DATE if frontend == "date" else Storage.DATETIME
    elif backend in ("int", "decimal"):
        input_type = InputType.NUMERIC
    else:
        input_type = InputType.STRING
    table = f"{_TABLE_PREFIX[subject]}_{backend}"
    return _spec(
        subject,
        str(row["attribute_code"]),
        str(row["frontend_label"] or row["attribute_code"]),
        input_type,
        EavColumn(table, int(row["attribute_id"]), storage),
        options
        if input_type in (InputType.SELECT, InputType.MULTISELECT, InputType.BOOLEAN)
        else (),
    )


async def load_catalog() -> Catalog:
    """Static entries plus flagged custom attributes and the option lists, in six queries."""
    db = EavAttribute._meta.db
    groups = await db.execute_query_dict(
        "SELECT customer_group_id, customer_group_code FROM customer_group "
        "ORDER BY customer_group_id"
    )
    regions = await db.execute_query_dict(
        "SELECT region_id, country_id, default_name FROM directory_country_region "
        "ORDER BY country_id, default_name, region_id"
    )
    sets = await db.execute_query_dict(
        "SELECT attribute_set_id, attribute_set_name FROM eav_attribute_set "
        "WHERE entity_type_id = 4 ORDER BY sort_order, attribute_set_id"
    )
    statuses = await db.execute_query_dict(
        "SELECT status, label FROM sales_order_status ORDER BY label, status"
    )
    custom = await db.execute_query_dict(_CUSTOM_ATTRIBUTES_SQL)
    option_rows: list[dict[str, Any]] = []
    ids = sorted({int(row["attribute_id"]) for row in custom})
    if ids:
        option_rows = await db.execute_query_dict(
            _OPTIONS_SQL.format(ids=", ".join(str(i) for i in ids))
        )
    options: dict[int, list[Option]] = {}
    for row in option_rows:
        option_id = str(row["option_id"])
        options.setdefault(int(row["attribute_id"]), []).append(
            Option(option_id, str(row["value"]) if row["value"] is not None else option_id)
        )
    specs = static_specs(
        groups=tuple(
            Option(str(r["customer_group_id"]), str(r["customer_group_code"])) for r in groups
        ),
        regions=tuple(
            Option(str(r["region_id"]), f"{r['default_name']} ({r['country_id']})") for r in regions
        ),
        attribute_sets=tuple(
            Option(str(r["attribute_set_id"]), str(r["attribute_set_name"])) for r in sets
        ),
    )
    attributes: dict[tuple[Subject, str], AttributeSpec] = {(s.subject, s.code): s for s in specs}
    for row in sorted(custom, key=lambda r: (int(r["entity_type_id"]), str(r["attribute_code"]))):
        spec = _custom_spec(row, tuple(options.get(int(row["attribute_id"]), ())))
        if spec is not None and (spec.subject, spec.code) not in attributes:
            attributes[(spec.subject, spec.code)] = spec
    return Catalog(
        attributes=attributes,
        order_statuses=tuple(Option(str(r["status"]), str(r["label"])) for r in statuses),
    )


def static_catalog() -> Catalog:
    """The static entries without database option lists (for tests and offline tools)."""
    return Catalog(attributes={(s.subject, s.code): s for s in static_specs()})


# --- node types --------------------------------------------------------------------------------

T = ConditionType

NODE_TYPES: tuple[ConditionType, ...] = (
    T.COMBINE,
    T.CUSTOMER_ATTRIBUTE,
    T.CUSTOMER_NEWSLETTER,
    T.CUSTOMER_STORE_CREDIT,
    T.CUSTOMER_ADDRESS,
    T.CART_AMOUNT,
    T.CART_LINE_ITEMS,
    T.CART_PRODUCTS_QUANTITY,
    T.PRODUCT_LIST,
    T.PRODUCT_HISTORY,
    T.ORDER_ADDRESS,
    T.SALES_AMOUNT,
    T.ORDERS_NUMBER,
    T.PURCHASED_QUANTITY,
    T.SEGMENT,
)
"""Types allowed in the root and in a Conditions Combination (tree.Node)."""

ADDRESS_TYPES = (T.ADDRESS_DEFAULT, T.ADDRESS_ATTRIBUTE, T.ADDRESS_REGION, T.CUSTOMER_ADDRESS)
PRODUCT_TYPES = (T.PRODUCT_ATTRIBUTE, T.PRODUCT_COMBINE, T.UP_TO_DATE, T.DATE_RANGE)
ORDER_FILTER_TYPES = (T.ORDER_STATUS, T.UP_TO_DATE, T.DATE_RANGE)
ORDER_ADDRESS_TYPES = (T.ORDER_ADDRESS_TYPE, T.ORDER_ADDRESS_ATTRIBUTE)

CHILD_TYPES: Mapping[ConditionType, tuple[ConditionType, ...]] = {
    T.COMBINE: NODE_TYPES,
    T.CUSTOMER_ADDRESS: ADDRESS_TYPES,
    T.PRODUCT_LIST: PRODUCT_TYPES,
    T.PRODUCT_HISTORY: PRODUCT_TYPES,
    T.PRODUCT_COMBINE: PRODUCT_TYPES,
    T.SALES_AMOUNT: ORDER_FILTER_TYPES,
    T.ORDERS_NUMBER: ORDER_FILTER_TYPES,
    T.PURCHASED_QUANTITY: ORDER_FILTER_TYPES,
    T.ORDER_ADDRESS: ORDER_ADDRESS_TYPES,
}
"""Which types a container takes as children; types not listed take none."""

_GUEST_TYPES = frozenset(
    {
        T.COMBINE,
        T.CART_AMOUNT,
        T.CART_LINE_ITEMS,
        T.CART_PRODUCTS_QUANTITY,
        T.PRODUCT_LIST,
        T.PRODUCT_HISTORY,
        T.PRODUCT_ATTRIBUTE,
        T.PRODUCT_COMBINE,
        T.UP_TO_DATE,
        T.DATE_RANGE,
    }
)

GUEST_ONLY_VALUES: Mapping[ConditionType, frozenset[str]] = {
    T.PRODUCT_LIST: frozenset({ProductListSource.CART.value}),
    T.PRODUCT_HISTORY: frozenset({ProductHistoryAction.VIEWED.value}),
}
"""For node types available to visitors only with some values: those values."""


def available_for_visitors(node_type: ConditionType) -> bool:
    """Magento's `available_in_guest_mode` (reference §3.5): cart, product list (cart only, see
    `GUEST_ONLY_VALUES`), product history (viewed only), their product children and combinations.
    Everything else needs a registered customer."""
    return node_type in _GUEST_TYPES


class ValueKind(StrEnum):
    """What a node's `value` holds."""

    NONE = "NONE"
    ATTRIBUTE = "ATTRIBUTE"
    """Depends on the chosen attribute's input type and options."""
    NUMBER = "NUMBER"
    INTEGER = "INTEGER"
    """A non-negative whole number (days, counts)."""
    OPTION = "OPTION"
    """One of `value_options`."""
    DATE_RANGE = "DATE_RANGE"
    """`YYYY-MM-DD...YYYY-MM-DD`."""
    SEGMENT_ID = "SEGMENT_ID"


@dataclass(frozen=True)
class AttributeChoice:
    """One choice of a node's `attribute` field."""

    code: str
    label: str
    input_type: InputType | None = None
    operators: tuple[Operator, ...] = ()
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class NodeTypeDescription:
    """How a rule-builder shows one node type and which draft fields it fills."""

    type: ConditionType
    group: str
    label: str
    sentence: str
    attributes: tuple[AttributeChoice, ...]
    """Choices for `attribute`; empty when the node takes none."""
    operators: tuple[Operator, ...]
    """Choices for `operator` when they do not depend on the attribute; empty when per attribute
    or when the node takes none."""
    value_kind: ValueKind
    value_options: tuple[Option, ...]
    takes_aggregator: bool
    child_types: tuple[ConditionType, ...]
    available_for_visitors: bool
    visitor_values: tuple[str, ...] = ()
    """When not empty, the only values allowed when the segment applies to visitors."""


def _attribute_choices(catalog: Catalog, subject: Subject) -> tuple[AttributeChoice, ...]:
    return tuple(
        AttributeChoice(s.code, s.label, s.input_type, s.operators, s.options)
        for s in catalog.of(subject)
    )


def _options(values: Mapping[str, str]) -> tuple[Option, ...]:
    return tuple(Option(v, label) for v, label in values.items())


TRUE_FALSE = _options({"1": "TRUE", "0": "FALSE"})


def describe_node_types(catalog: Catalog) -> tuple[NodeTypeDescription, ...]:
    """Every node type with its sentence, fields, choices and children, in catalogue order."""

    def d(
        t: ConditionType,
        group: str,
        label: str,
        sentence: str,
        *,
        attributes: tuple[AttributeChoice, ...] = (),
        operators: tuple[Operator, ...] = (),
        value_kind: ValueKind = ValueKind.NONE,
        value_options: tuple[Option, ...] = (),
        aggregator: bool = False,
    ) -> NodeTypeDescription:
        return NodeTypeDescription(
            type=t,
            group=group,
            label=label,
            sentence=sentence,
            attributes=attributes,
            operators=operators,
            value_kind=value_kind,
            value_options=value_options,
            takes_aggregator=aggregator,
            child_types=CHILD_TYPES.get(t, ()),
            available_for_visitors=available_for_visitors(t),
            visitor_values=tuple(sorted(GUEST_ONLY_VALUES.get(t, ()))),
        )

    functions = (
        AttributeChoice(SalesFunction.TOTAL.value, "Total"),
        AttributeChoice(SalesFunction.AVERAGE.value, "Average"),
    )
    return (
        d(
            T.COMBINE,
            "",
            "Conditions Combination",
            "If {aggregator} of these conditions are {value}:",
            value_kind=ValueKind.OPTION,
            value_options=TRUE_FALSE,
            aggregator=True,
        ),
        d(
            T.CUSTOMER_ADDRESS,
            "Customer",
            "Customer Address",
            "If Customer Addresses match {aggregator} of these Conditions:",
            aggregator=True,
        ),
        d(
            T.ADDRESS_DEFAULT,
            "Customer Address",
            "Default Address",
            "Customer Address {operator} {value} Address",
            operators=IS_OPERATORS,
            value_kind=ValueKind.OPTION,
            value_options=_options(
                {
                    DefaultAddressKind.BILLING.value: "Default Billing",
                    DefaultAddressKind.SHIPPING.value: "Default Shipping",
                }
            ),
        ),
        d(
            T.ADDRESS_ATTRIBUTE,
            "Customer Address",
            "Address Attributes",
            "Customer Address {attribute} {operator} {value}",
            attributes=_attribute_choices(catalog, Subject.ADDRESS),
            value_kind=ValueKind.ATTRIBUTE,
        ),
        d(
            T.ADDRESS_REGION,
            "Customer Address",
            "Has State/Province",
            "If Customer Address {value} State/Province specified",
            value_kind=ValueKind.OPTION,
            value_options=_options({"1": "has", "0": "does not have"}),
        ),
        d(
            T.CUSTOMER_ATTRIBUTE,
            "Customer",
            "Customer Attributes",
            "Customer {attribute} {operator} {value}",
            attributes=_attribute_choices(catalog, Subject.CUSTOMER),
            value_kind=ValueKind.ATTRIBUTE,
        ),
        d(
            T.CUSTOMER_NEWSLETTER,
            "Customer",
            "Newsletter Subscription",
            "Customer is {value} to newsletter.",
            value_kind=ValueKind.OPTION,
            value_options=_options({"1": "subscribed", "0": "not subscribed"}),
        ),
        d(
            T.CUSTOMER_STORE_CREDIT,
            "Customer",
            "Store Credit",
            "Customer Store Credit Amount {operator} {value}",
            operators=NUMERIC_OPERATORS,
            value_kind=ValueKind.NUMBER,
        ),
        d(
            T.CART_AMOUNT,
            "Shopping Cart",
            "Shopping Cart Total",
            "Shopping Cart {attribute} Amount {operator} {value}",
            attributes=tuple(
                AttributeChoice(k.value, k.value.replace("_", " ").title()) for k in CartAmountKind
            ),
            operators=NUMERIC_OPERATORS,
            value_kind=ValueKind.NUMBER,
        ),
        d(
            T.CART_LINE_ITEMS,
            "Shopping Cart",
            "Number of Cart Line Items",
            "Number of Shopping Cart Line Items {operator} {value}",
            operators=NUMERIC_OPERATORS,
            value_kind=ValueKind.INTEGER,
        ),
        d(
            T.CART_PRODUCTS_QUANTITY,
            "Shopping Cart",
            "Products Quantity",
            "Shopping Cart Products Qty {operator} {value}",
            operators=NUMERIC_OPERATORS,
            value_kind=ValueKind.NUMBER,
        ),
        d(
            T.PRODUCT_LIST,
            "Products",
            "Product List",
            "If Product is {operator} in the {value} with {aggregator} of these Conditions match:",
            operators=IS_OPERATORS,
            value_kind=ValueKind.OPTION,
            value_options=_options(
                {
                    ProductListSource.CART.value: "Shopping Cart",
                    ProductListSource.WISHLIST.value: "Wish List",
                }
            ),
            aggregator=True,
        ),
        d(
            T.PRODUCT_HISTORY,
            "Products",
            "Product History",
            "If Product {operator} {value} and matches {aggregator} of these Conditions:",
            operators=IS_OPERATORS,
            value_kind=ValueKind.OPTION,
            value_options=_options(
                {
                    ProductHistoryAction.VIEWED.value: "viewed",
                    ProductHistoryAction.ORDERED.value: "ordered",
                }
            ),
            aggregator=True,
        ),
        d(
            T.PRODUCT_ATTRIBUTE,
            "Product",
            "Product Attributes",
            "Product {attribute} {operator} {value}",
            attributes=_attribute_choices(catalog, Subject.PRODUCT),
            value_kind=ValueKind.ATTRIBUTE,
        ),
        d(
            T.PRODUCT_COMBINE,
            "Product",
            "Conditions Combination",
            "If {aggregator} of these conditions are {value}:",
            value_kind=ValueKind.OPTION,
            value_options=TRUE_FALSE,
            aggregator=True,
        ),
        d(
            T.UP_TO_DATE,
            "Date",
            "Up To Date",
            "Period {operator} {value} Days Up To Date",
            operators=UP_TO_DATE_OPERATORS,
            value_kind=ValueKind.INTEGER,
        ),
        d(
            T.DATE_RANGE,
            "Date",
            "Date Range",
            "Date Range {operator} within {value}",
            operators=IS_OPERATORS,
            value_kind=ValueKind.DATE_RANGE,
        ),
        d(
            T.ORDER_ADDRESS,
            "Sales",
            "Order Address",
            "If Order Addresses match {aggregator} of these Conditions:",
            aggregator=True,
        ),
        d(
            T.ORDER_ADDRESS_TYPE,
            "Order Address",
            "Address Type",
            "Order Address {operator} a {value} Address",
            operators=IS_OPERATORS,
            value_kind=ValueKind.OPTION,
            value_options=_options(
                {
                    OrderAddressKind.SHIPPING.value: "Shipping",
                    OrderAddressKind.BILLING.value: "Billing",
                }
            ),
        ),
        d(
            T.ORDER_ADDRESS_ATTRIBUTE,
            "Order Address",
            "Order Address Attributes",
            "Order Address {attribute} {operator} {value}",
            attributes=_attribute_choices(catalog, Subject.ORDER_ADDRESS),
            value_kind=ValueKind.ATTRIBUTE,
        ),
        d(
            T.SALES_AMOUNT,
            "Sales",
            "Sales Amount",
            "{attribute} Sales Amount {operator} {value} while {aggregator} of these Conditions "
            "match:",
            attributes=functions,
            operators=NUMERIC_OPERATORS,
            value_kind=ValueKind.NUMBER,
            aggregator=True,
        ),
        d(
            T.ORDERS_NUMBER,
            "Sales",
            "Number of Orders",
            "Number of Orders {operator} {value} while {aggregator} of these Conditions match:",
            operators=NUMERIC_OPERATORS,
            value_kind=ValueKind.INTEGER,
            aggregator=True,
        ),
        d(
            T.PURCHASED_QUANTITY,
            "Sales",
            "Purchased Quantity",
            "{attribute} Purchased Quantity {operator} {value} while {aggregator} of these "
            "Conditions match:",
            attributes=functions,
            operators=NUMERIC_OPERATORS,
            value_kind=ValueKind.NUMBER,
            aggregator=True,
        ),
        d(
            T.ORDER_STATUS,
            "Sales",
            "Order Status",
            "Order Status {operator} {value}",
            operators=IS_OPERATORS,
            value_kind=ValueKind.OPTION,
            value_options=(Option(ANY_ORDER_STATUS, "Any"), *catalog.order_statuses),
        ),
        d(
            T.SEGMENT,
            "Customer Segment",
            "Customer Segment",
            "Customer {operator} in segment {value}",
            operators=IS_OPERATORS,
            value_kind=ValueKind.SEGMENT_ID,
        ),
    )
