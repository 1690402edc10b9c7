"""Magento's `conditions_serialized` JSON to and from `ConditionDraft`, through one mapping table.

Magento writes every node as `Rule\\Model\\Condition\\AbstractCondition::asArray` does:
`{"type", "attribute", "operator", "value", "is_value_processed"}`, and a combination adds
`"aggregator"` and, only when it has children, `"conditions"`. `dumps` writes that exact key order
and shape, compact and with PHP's `json_encode` escaping (`\\/`, `\\uXXXX`), so an export pasted
in comes back out the same once normalized: numbers written as strings, a combination's
`is_value_processed` null and a leaf's false, `()` / `!()` lists joined by ", ", multiselect
lists as JSON arrays, and `validate.build_tree`'s own rewrites (`==` with several values becomes
`()`). `loads` takes `type` as a string and nested `conditions` arrays, reads `false` in
`attribute`, `operator` and `aggregator` as not given (as Magento's admin writes them), numbers
where strings are expected as their text, ignores unknown keys, and reports every unknown class
or malformed field with its path. The text pasted is what is stored, so it comes back
byte-identical."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from engine.errors import InputInvalid, ProblemCode, Problems
from engine.segments.drafts import ConditionDraft, ConditionType

T = ConditionType
_NS = "Magento\\CustomerSegment\\Model\\Segment\\Condition\\"

ROOT_CLASS = _NS + "Combine\\Root"
"""The class of the root node; `dumps` writes it for the outermost COMBINE."""

PHP_CLASSES: Mapping[ConditionType, str] = {
    T.COMBINE: _NS + "Combine",
    T.CUSTOMER_ATTRIBUTE: _NS + "Customer\\Attributes",
    T.CUSTOMER_NEWSLETTER: _NS + "Customer\\Newsletter",
    T.CUSTOMER_STORE_CREDIT: _NS + "Customer\\Storecredit",
    T.CUSTOMER_ADDRESS: _NS + "Customer\\Address",
    T.ADDRESS_DEFAULT: _NS + "Customer\\Address\\DefaultAddress",
    T.ADDRESS_ATTRIBUTE: _NS + "Customer\\Address\\Attributes",
    T.ADDRESS_REGION: _NS + "Customer\\Address\\Region",
    T.CART_AMOUNT: _NS + "Shoppingcart\\Amount",
    T.CART_LINE_ITEMS: _NS + "Shoppingcart\\Itemsquantity",
    T.CART_PRODUCTS_QUANTITY: _NS + "Shoppingcart\\Productsquantity",
    T.PRODUCT_LIST: _NS + "Product\\Combine\\ListCombine",
    T.PRODUCT_HISTORY: _NS + "Product\\Combine\\History",
    T.PRODUCT_ATTRIBUTE: _NS + "Product\\Attributes",
    T.PRODUCT_COMBINE: _NS + "Product\\Combine",
    T.UP_TO_DATE: _NS + "Uptodate",
    T.DATE_RANGE: _NS + "Daterange",
    T.ORDER_ADDRESS: _NS + "Order\\Address",
    T.ORDER_ADDRESS_TYPE: _NS + "Order\\Address\\Type",
    T.ORDER_ADDRESS_ATTRIBUTE: _NS + "Order\\Address\\Attributes",
    T.ORDER_STATUS: _NS + "Order\\Status",
    T.SALES_AMOUNT: _NS + "Sales\\Salesamount",
    T.ORDERS_NUMBER: _NS + "Sales\\Ordersnumber",
    T.PURCHASED_QUANTITY: _NS + "Sales\\Purchasedquantity",
    # mageseg's own node: Magento has no segment-membership condition inside segments.
    T.SEGMENT: "Mageseg\\CustomerSegment\\Condition\\Segment",
}

_TYPES_BY_CLASS: Mapping[str, ConditionType] = {
    **{php.lower(): t for t, php in PHP_CLASSES.items()},
    ROOT_CLASS.lower(): T.COMBINE,
}

CONTAINERS = frozenset(
    {
        T.COMBINE,
        T.CUSTOMER_ADDRESS,
        T.PRODUCT_LIST,
        T.PRODUCT_HISTORY,
        T.PRODUCT_COMBINE,
        T.ORDER_ADDRESS,
        T.SALES_AMOUNT,
        T.ORDERS_NUMBER,
        T.PURCHASED_QUANTITY,
    }
)
"""Magento's combination classes: written with `aggregator` and `is_value_processed` null."""

_JOINED_OPERATORS = frozenset({"()", "!()"})


def json_text(raw: Any, path: str, problems: Problems) -> str | None:
    if raw is None or isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, int | float):
        return str(raw)
    problems.add(ProblemCode.INVALID, "Expected a string.", path)
    return None


def json_value(raw: Any, path: str, problems: Problems) -> str | tuple[str, ...] | None:
    if isinstance(raw, list):
        items: list[str] = []
        for index, item in enumerate(raw):
            text = json_text(item, f"{path}.{index}", problems)
            if text is not None:
                items.append(text)
        return tuple(items)
    return json_text(raw, path, problems)


def _unset(raw: Any) -> Any:
    """Magento writes `false` for a field its form does not post (the `attribute` of Newsletter,
    Has State/Province and Default Address nodes, their `operator` when the form shows none):
    for `attribute`, `operator` and `aggregator` that is "not given", as null is."""
    return None if raw is False else raw


def _node(raw: Any, path: str, problems: Problems) -> ConditionDraft | None:
    if not isinstance(raw, dict):
        problems.add(ProblemCode.INVALID, "A condition must be a JSON object.", path)
        return None
    php = raw.get("type")
    node_type: ConditionType | None = None
    if not isinstance(php, str) or not php:
        problems.add(ProblemCode.REQUIRED, "A condition needs a type.", f"{path}.type")
    else:
        node_type = _TYPES_BY_CLASS.get(php.lstrip("\\").lower())
        if node_type is None:
            problems.add(
                ProblemCode.UNKNOWN_CONDITION, f"Unknown condition class '{php}'.", f"{path}.type"
            )
    attribute = json_text(_unset(raw.get("attribute")), f"{path}.attribute", problems)
    operator = json_text(_unset(raw.get("operator")), f"{path}.operator", problems)
    value = json_value(raw.get("value"), f"{path}.value", problems)
    aggregator = json_text(_unset(raw.get("aggregator")), f"{path}.aggregator", problems)
    children_raw = raw.get("conditions")
    children: list[ConditionDraft] = []
    if children_raw is None:
        pass
    elif isinstance(children_raw, list):
        for index, child in enumerate(children_raw):
            built = _node(child, f"{path}.conditions.{index}", problems)
            if built is not None:
                children.append(built)
    else:
        problems.add(ProblemCode.INVALID, "conditions must be a JSON array.", f"{path}.conditions")
    if node_type is None:
        return None
    return ConditionDraft(
        type=node_type,
        attribute=attribute,
        operator=operator,
        value=value,
        aggregator=aggregator,
        conditions=tuple(children),
    )


def loads(text: str, path: str) -> ConditionDraft:
    """The draft of a `conditions_serialized` JSON text, or `InputInvalid` with every problem."""
    problems = Problems()
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, TypeError) as error:
        problems.add(ProblemCode.INVALID, f"Not valid JSON: {error}.", path)
        raise InputInvalid(problems.items) from None
    draft = _node(raw, path, problems)
    if problems or draft is None:
        raise InputInvalid(problems.items)
    return draft


def _dump_value(draft: ConditionDraft) -> str | list[str] | None:
    value = draft.value
    if isinstance(value, tuple):
        if draft.operator in _JOINED_OPERATORS:
            return ", ".join(value)
        return list(value)
    return value


def as_array(draft: ConditionDraft, *, root: bool = True) -> dict[str, Any]:
    """The node as Magento's `asArray` builds it (key order included)."""
    container = draft.type in CONTAINERS
    out: dict[str, Any] = {
        "type": ROOT_CLASS if root and draft.type == T.COMBINE else PHP_CLASSES[draft.type],
        "attribute": draft.attribute,
        "operator": draft.operator,
        "value": _dump_value(draft),
        "is_value_processed": None if container else False,
    }
    if container:
        out["aggregator"] = draft.aggregator
        if draft.conditions:
            out["conditions"] = [as_array(child, root=False) for child in draft.conditions]
    return out


def dumps(draft: ConditionDraft) -> str:
    """`conditions_serialized` as PHP's `json_encode` writes it (compact, `/` escaped)."""
    return json.dumps(as_array(draft), separators=(",", ":")).replace("/", "\\/")
