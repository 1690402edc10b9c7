"""Magento's `conditions_serialized` / `actions_serialized` JSON of catalog and cart price rules,
to and from the typed trees of `engine/rules/tree.py` (through `RuleConditionDraft`).

Each node is written as `Rule\\Model\\Condition\\AbstractCondition::asArray` does: `type`,
`attribute`, `operator`, `value`, `is_value_processed`, and for a combination (and product found /
subselect) `aggregator` and, only when it has children, `conditions`. Lists under `()` / `!()` and
the segment ids are joined by ", " as the admin writes them. Output is compact, with PHP's `\\/`.

Class names by tree kind:

- catalog rule conditions: `Magento\\CatalogRule\\Model\\Rule\\Condition\\Combine` and
  `...\\Product`;
- cart rule conditions: `Magento\\SalesRule\\Model\\Rule\\Condition\\Combine`, `...\\Address`,
  `...\\Product\\Found`, `...\\Product\\Subselect`, inside those `...\\Product` and
  `...\\Product\\Combine`, and `Magento\\CustomerSegment\\Model\\Segment\\Condition\\Segment`;
- cart rule actions: `Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Combine` and
  `...\\Product`.

Reading is case-insensitive on class names, ignores unknown keys, and reports every unknown class
or malformed field with its path. An empty or missing text is a root with no conditions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from engine.errors import InputInvalid, ProblemCode, Problems
from engine.rules.drafts import (
    TRUSTED,
    RuleConditionDraft,
    RuleConditionType,
    RuleContext,
    TreeKind,
    build_tree,
    dump_tree,
    empty_draft,
)
from engine.rules.tree import CartCombine, ProductCombine
from engine.segments.magento_json import json_text, json_value

T = RuleConditionType

_CATALOG = "Magento\\CatalogRule\\Model\\Rule\\Condition\\"
_SALES = "Magento\\SalesRule\\Model\\Rule\\Condition\\"
SEGMENT_CLASS = "Magento\\CustomerSegment\\Model\\Segment\\Condition\\Segment"

CATALOG_COMBINE = _CATALOG + "Combine"
CATALOG_PRODUCT = _CATALOG + "Product"
CART_COMBINE = _SALES + "Combine"
CART_ADDRESS = _SALES + "Address"
CART_FOUND = _SALES + "Product\\Found"
CART_SUBSELECT = _SALES + "Product\\Subselect"
CART_PRODUCT = _SALES + "Product"
CART_PRODUCT_COMBINE = _SALES + "Product\\Combine"

_READ: Mapping[TreeKind, Mapping[str, RuleConditionType]] = {
    TreeKind.CATALOG_CONDITIONS: {
        CATALOG_COMBINE.lower(): T.COMBINE,
        CATALOG_PRODUCT.lower(): T.PRODUCT,
    },
    TreeKind.CART_CONDITIONS: {
        CART_COMBINE.lower(): T.COMBINE,
        CART_PRODUCT_COMBINE.lower(): T.COMBINE,
        CART_ADDRESS.lower(): T.CART_ATTRIBUTE,
        CART_FOUND.lower(): T.PRODUCT_FOUND,
        CART_SUBSELECT.lower(): T.PRODUCT_SUBSELECT,
        CART_PRODUCT.lower(): T.PRODUCT,
        SEGMENT_CLASS.lower(): T.CUSTOMER_SEGMENT,
    },
    TreeKind.CART_ACTIONS: {
        CART_PRODUCT_COMBINE.lower(): T.COMBINE,
        CART_COMBINE.lower(): T.COMBINE,
        CART_PRODUCT.lower(): T.PRODUCT,
    },
}

_CONTAINERS = frozenset({T.COMBINE, T.PRODUCT_FOUND, T.PRODUCT_SUBSELECT})
_JOINED = frozenset({"()", "!()"})


def _node(raw: Any, kind: TreeKind, path: str, problems: Problems) -> RuleConditionDraft | None:
    if not isinstance(raw, dict):
        problems.add(ProblemCode.INVALID, "A condition must be a JSON object.", path)
        return None
    php = raw.get("type")
    node_type: RuleConditionType | None = None
    if not isinstance(php, str) or not php:
        problems.add(ProblemCode.REQUIRED, "A condition needs a type.", f"{path}.type")
    else:
        node_type = _READ[kind].get(php.lstrip("\\").lower())
        if node_type is None:
            problems.add(
                ProblemCode.UNKNOWN_CONDITION, f"Unknown condition class '{php}'.", f"{path}.type"
            )
    attribute = json_text(raw.get("attribute"), f"{path}.attribute", problems)
    operator = json_text(raw.get("operator"), f"{path}.operator", problems)
    value = json_value(raw.get("value"), f"{path}.value", problems)
    aggregator = json_text(raw.get("aggregator"), f"{path}.aggregator", problems)
    children_raw = raw.get("conditions")
    children: list[RuleConditionDraft] = []
    if children_raw is None:
        pass
    elif isinstance(children_raw, list):
        for index, child in enumerate(children_raw):
            built = _node(child, kind, f"{path}.conditions.{index}", problems)
            if built is not None:
                children.append(built)
    else:
        problems.add(ProblemCode.INVALID, "conditions must be a JSON array.", f"{path}.conditions")
    if node_type is None:
        return None
    return RuleConditionDraft(
        type=node_type,
        attribute=attribute,
        operator=operator,
        value=value,
        aggregator=aggregator,
        conditions=tuple(children),
    )


def loads(text: str | None, kind: TreeKind, path: str) -> RuleConditionDraft:
    """The draft of a serialized tree of `kind`, or `InputInvalid` with every problem. An empty
    text (or JSON `[]`, which Magento writes for a rule never given conditions) is an empty
    root."""
    if text is None or text.strip() in ("", "[]", "{}"):
        return empty_draft()
    problems = Problems()
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, TypeError) as error:
        problems.add(ProblemCode.INVALID, f"Not valid JSON: {error}.", path)
        raise InputInvalid(problems.items) from None
    draft = _node(raw, kind, path, problems)
    if problems or draft is None:
        raise InputInvalid(problems.items)
    return draft


# --- writing ------------------------------------------------------------------------------------


def _class(draft: RuleConditionDraft, kind: TreeKind, depth: int, in_selection: bool) -> str:
    if kind is TreeKind.CATALOG_CONDITIONS:
        return CATALOG_COMBINE if draft.type is T.COMBINE else CATALOG_PRODUCT
    if kind is TreeKind.CART_ACTIONS:
        return CART_PRODUCT_COMBINE if draft.type is T.COMBINE else CART_PRODUCT
    match draft.type:
        case T.COMBINE:
            return CART_PRODUCT_COMBINE if in_selection else CART_COMBINE
        case T.PRODUCT:
            return CART_PRODUCT
        case T.CART_ATTRIBUTE:
            return CART_ADDRESS
        case T.PRODUCT_FOUND:
            return CART_FOUND
        case T.PRODUCT_SUBSELECT:
            return CART_SUBSELECT
        case T.CUSTOMER_SEGMENT:
            return SEGMENT_CLASS
    raise AssertionError(draft.type)


def _dump_value(draft: RuleConditionDraft) -> str | list[str] | None:
    value = draft.value
    if isinstance(value, tuple):
        if draft.operator in _JOINED or draft.type is T.CUSTOMER_SEGMENT or len(value) != 1:
            return ", ".join(value)
        return value[0]
    return value


def as_array(
    draft: RuleConditionDraft, kind: TreeKind, *, depth: int = 0, in_selection: bool = False
) -> dict[str, Any]:
    """The node as Magento's `asArray` builds it (key order included)."""
    container = draft.type in _CONTAINERS
    out: dict[str, Any] = {
        "type": _class(draft, kind, depth, in_selection),
        "attribute": draft.attribute,
        "operator": draft.operator,
        "value": _dump_value(draft),
        "is_value_processed": None if container else False,
    }
    if container:
        out["aggregator"] = draft.aggregator
        if draft.conditions:
            inner = in_selection or draft.type in (T.PRODUCT_FOUND, T.PRODUCT_SUBSELECT)
            out["conditions"] = [
                as_array(child, kind, depth=depth + 1, in_selection=inner)
                for child in draft.conditions
            ]
    return out


def dumps(draft: RuleConditionDraft, kind: TreeKind) -> str:
    """The serialized text as PHP's `json_encode` writes it (compact, `/` escaped)."""
    return json.dumps(as_array(draft, kind), separators=(",", ":")).replace("/", "\\/")


# --- typed trees ----------------------------------------------------------------------------------


def parse_catalog_conditions(
    text: str | None, *, context: RuleContext = TRUSTED, path: str = "conditions_serialized"
) -> ProductCombine:
    """A catalog rule's `conditions_serialized` as a tree (see `drafts.RuleContext`)."""
    node = build_tree(
        loads(text, TreeKind.CATALOG_CONDITIONS, path), TreeKind.CATALOG_CONDITIONS, context, path
    )
    assert isinstance(node, ProductCombine)
    return node


def parse_cart_conditions(
    text: str | None, *, context: RuleContext = TRUSTED, path: str = "conditions_serialized"
) -> CartCombine:
    """A cart rule's `conditions_serialized` as a tree."""
    node = build_tree(
        loads(text, TreeKind.CART_CONDITIONS, path), TreeKind.CART_CONDITIONS, context, path
    )
    assert isinstance(node, CartCombine)
    return node


def parse_cart_actions(
    text: str | None, *, context: RuleContext = TRUSTED, path: str = "actions_serialized"
) -> ProductCombine:
    """A cart rule's `actions_serialized` as a tree (which items take the discount)."""
    node = build_tree(
        loads(text, TreeKind.CART_ACTIONS, path), TreeKind.CART_ACTIONS, context, path
    )
    assert isinstance(node, ProductCombine)
    return node


def dump_catalog_conditions(tree: ProductCombine) -> str:
    return dumps(dump_tree(tree), TreeKind.CATALOG_CONDITIONS)


def dump_cart_conditions(tree: CartCombine) -> str:
    return dumps(dump_tree(tree), TreeKind.CART_CONDITIONS)


def dump_cart_actions(tree: ProductCombine) -> str:
    return dumps(dump_tree(tree), TreeKind.CART_ACTIONS)


def choose_draft(
    typed: RuleConditionDraft | None,
    serialized: str | None,
    kind: TreeKind,
    *,
    path: str,
    serialized_path: str,
) -> RuleConditionDraft | None:
    """The draft given either as the typed input (`path`) or as Magento's JSON
    (`serialized_path`); None when neither is given, `InputInvalid` when both are."""
    if typed is not None and serialized is not None:
        problems = Problems()
        problems.add(
            ProblemCode.INVALID,
            "Give the conditions either typed or as Magento's JSON, not both.",
            serialized_path,
        )
        raise InputInvalid(problems.items)
    if serialized is not None:
        return loads(serialized, kind, serialized_path)
    return typed
