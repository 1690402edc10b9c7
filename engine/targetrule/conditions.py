"""Both condition trees of a related product rule as Magento stores them
(`magento_targetrule.conditions_serialized` / `actions_serialized`), read into typed trees and
written back, checked against the catalogue at save.

- "Products to match": `Magento\\TargetRule\\Model\\Rule\\Condition\\Combine` over
  `...\\Rule\\Condition\\Product\\Attributes`: the catalog-rule product tree (read through
  `engine/rules/magento_json.py` with the class names mapped), except that `status` may not be
  named (Magento's `$_disabledTargetRuleCodes`).
- "Products to display": `Magento\\TargetRule\\Model\\Actions\\Condition\\Combine` over
  `...\\Actions\\Condition\\Product\\Attributes` (with `value_type` constant / same_as /
  child_of; Magento's default is same_as) and `...\\Actions\\Condition\\Product\\Special\\Price`.

A class of the other side is refused with its path (`actions_serialized.conditions.0.type`), so
a tree pasted into the wrong tab does not silently become something else."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, assert_never

from engine.errors import DomainError, InputInvalid, ProblemCode, Problems
from engine.rules import catalog as rc
from engine.rules import magento_json
from engine.rules.drafts import (
    TRUSTED,
    RuleConditionDraft,
    RuleConditionType,
    RuleContext,
    TreeKind,
    build_catalog_conditions,
    dump_product_node,
    load_context,
)
from engine.rules.tree import ProductCombine, ProductCondition
from engine.segments.catalog_types import Derived
from engine.segments.tree import Aggregator, Operator
from engine.targetrule.tree import (
    PRICE_OPERATORS,
    DisplayAttribute,
    DisplayCombine,
    DisplayNode,
    PricePercent,
    ValueType,
)

_RULE = "Magento\\TargetRule\\Model\\Rule\\Condition\\"
_ACTIONS = "Magento\\TargetRule\\Model\\Actions\\Condition\\"
MATCH_COMBINE = _RULE + "Combine"
MATCH_PRODUCT = _RULE + "Product\\Attributes"
DISPLAY_COMBINE = _ACTIONS + "Combine"
DISPLAY_PRODUCT = _ACTIONS + "Product\\Attributes"
DISPLAY_PRICE = _ACTIONS + "Product\\Special\\Price"

_TO_CATALOG = {
    MATCH_COMBINE.lower(): magento_json.CATALOG_COMBINE,
    MATCH_PRODUCT.lower(): magento_json.CATALOG_PRODUCT,
}
_FROM_CATALOG = {
    magento_json.CATALOG_COMBINE: MATCH_COMBINE,
    magento_json.CATALOG_PRODUCT: MATCH_PRODUCT,
}
DISABLED_MATCH_CODES = frozenset({"status"})
"""Attributes "products to match" may not name (`Rule\\Condition\\Product\\Attributes`)."""

EMPTY_MATCH = ProductCombine()
EMPTY_DISPLAY = DisplayCombine()


def _fail(problems: Problems) -> InputInvalid:
    return InputInvalid(problems.items)


def _json(text: str | None, path: str) -> Any:
    if text is None or text.strip() in ("", "[]", "{}"):
        return None
    try:
        return json.loads(text)
    except (json.JSONDecodeError, TypeError) as error:
        problems = Problems()
        problems.add(ProblemCode.INVALID, f"Not valid JSON: {error}.", path)
        raise _fail(problems) from None


# --- products to match ---------------------------------------------------------------------------


def _match_to_catalog(raw: Any, path: str, problems: Problems) -> Any:
    if not isinstance(raw, dict):
        return raw
    out = dict(raw)
    php = raw.get("type")
    if isinstance(php, str) and php:
        mapped = _TO_CATALOG.get(php.lstrip("\\").lower())
        if mapped is None:
            problems.add(
                ProblemCode.UNKNOWN_CONDITION,
                f"Unknown condition class '{php}' for products to match.",
                f"{path}.type",
            )
        else:
            out["type"] = mapped
    if raw.get("attribute") in DISABLED_MATCH_CODES:
        problems.add(
            ProblemCode.UNKNOWN_ATTRIBUTE,
            f"'{raw['attribute']}' cannot be used in products to match.",
            f"{path}.attribute",
        )
    children = raw.get("conditions")
    if isinstance(children, list):
        out["conditions"] = [
            _match_to_catalog(child, f"{path}.conditions.{i}", problems)
            for i, child in enumerate(children)
        ]
    return out


def parse_match(
    text: str | None, *, context: RuleContext = TRUSTED, path: str = "conditions_serialized"
) -> ProductCombine:
    """The "products to match" tree of `text` (empty: every product), or `InputInvalid` with
    every problem."""
    raw = _json(text, path)
    if raw is None:
        return EMPTY_MATCH
    problems = Problems()
    translated = _match_to_catalog(raw, path, problems)
    if problems:
        raise _fail(problems)
    draft = magento_json.loads(json.dumps(translated), TreeKind.CATALOG_CONDITIONS, path)
    return build_catalog_conditions(draft, context, path)


def _catalog_to_match(node: dict[str, Any]) -> dict[str, Any]:
    out = dict(node)
    out["type"] = _FROM_CATALOG[node["type"]]
    if "conditions" in node:
        out["conditions"] = [_catalog_to_match(child) for child in node["conditions"]]
    return out


def _php_json(value: object) -> str:
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/")


def dump_match(tree: ProductCombine) -> str:
    """`conditions_serialized` as Magento writes it."""
    array = magento_json.as_array(dump_product_node(tree), TreeKind.CATALOG_CONDITIONS)
    return _php_json(_catalog_to_match(array))


# --- products to display -------------------------------------------------------------------------


class _Display:
    def __init__(self, context: RuleContext) -> None:
        self.context = context
        self.problems = Problems()

    def node(self, raw: Any, path: str, root: bool = False) -> DisplayNode | None:
        if not isinstance(raw, dict):
            self.problems.add(ProblemCode.INVALID, "A condition must be a JSON object.", path)
            return None
        php = raw.get("type")
        kind = php.lstrip("\\").lower() if isinstance(php, str) else ""
        if kind == DISPLAY_COMBINE.lower():
            return self.combine(raw, path)
        if root:
            self.problems.add(
                ProblemCode.UNKNOWN_CONDITION,
                f"The root of products to display must be {DISPLAY_COMBINE}.",
                f"{path}.type",
            )
            return None
        if kind == DISPLAY_PRODUCT.lower():
            return self.attribute(raw, path)
        if kind == DISPLAY_PRICE.lower():
            return self.price(raw, path)
        if not kind:
            self.problems.add(ProblemCode.REQUIRED, "A condition needs a type.", f"{path}.type")
        else:
            self.problems.add(
                ProblemCode.UNKNOWN_CONDITION,
                f"Unknown condition class '{php}' for products to display.",
                f"{path}.type",
            )
        return None

    def combine(self, raw: dict[str, Any], path: str) -> DisplayCombine | None:
        aggregator_text = str(raw.get("aggregator") or "all").lower()
        try:
            aggregator = Aggregator(aggregator_text)
        except ValueError:
            self.problems.add(
                ProblemCode.INVALID_VALUE,
                f"Unknown aggregator '{aggregator_text}'; use all or any.",
                f"{path}.aggregator",
            )
            aggregator = Aggregator.ALL
        value = str(raw.get("value") if raw.get("value") is not None else "1").strip()
        if value not in ("1", "0"):
            self.problems.add(
                ProblemCode.INVALID_VALUE, f"Expected 1 or 0, got '{value}'.", f"{path}.value"
            )
        children: list[DisplayNode] = []
        raw_children = raw.get("conditions") or []
        if not isinstance(raw_children, list):
            self.problems.add(
                ProblemCode.INVALID, "conditions must be a JSON array.", f"{path}.conditions"
            )
            raw_children = []
        for index, child in enumerate(raw_children):
            built = self.node(child, f"{path}.conditions.{index}")
            if built is not None:
                children.append(built)
        return DisplayCombine(aggregator, value != "0", tuple(children))

    def price(self, raw: dict[str, Any], path: str) -> PricePercent | None:
        operator = self.operator(raw.get("operator"), PRICE_OPERATORS, f"{path}.operator")
        text = str(raw.get("value") if raw.get("value") not in (None, "") else "100").strip()
        try:
            percent = Decimal(text)
        except InvalidOperation:
            percent = Decimal(-1)
        if not percent.is_finite() or percent < 0:
            self.problems.add(
                ProblemCode.INVALID_VALUE,
                f"'{text}' is not a percentage (a number, 0 or more).",
                f"{path}.value",
            )
            return None
        return None if operator is None else PricePercent(operator, percent)

    def operator(self, raw: object, allowed: Iterable[Operator], path: str) -> Operator | None:
        try:
            operator = Operator(str(raw or "=="))
        except ValueError:
            operator = None
        if operator is None or operator not in tuple(allowed):
            self.problems.add(
                ProblemCode.INVALID_OPERATOR, f"Operator '{raw}' is not allowed here.", path
            )
            return None
        return operator

    def attribute(self, raw: dict[str, Any], path: str) -> DisplayAttribute | None:
        code = str(raw.get("attribute") or "").strip()
        value_type_text = str(raw.get("value_type") or ValueType.SAME_AS.value)
        try:
            value_type = ValueType(value_type_text)
        except ValueError:
            self.problems.add(
                ProblemCode.INVALID_VALUE,
                f"Unknown value_type '{value_type_text}'; use constant, same_as or child_of.",
                f"{path}.value_type",
            )
            return None
        spec = rc.product_spec(self.context.catalog, code)
        if spec is None and (self.context.catalog is not None or not code):
            self.problems.add(
                ProblemCode.UNKNOWN_ATTRIBUTE,
                f"Unknown product attribute '{code}'.",
                f"{path}.attribute",
            )
            return None
        if value_type is ValueType.CONSTANT:
            return self.constant(raw, code, path)
        is_category = spec is not None and isinstance(spec.source, Derived)
        if value_type is ValueType.CHILD_OF and not is_category:
            self.problems.add(
                ProblemCode.INVALID_VALUE,
                "child_of applies to category_ids only.",
                f"{path}.value_type",
            )
            return None
        allowed = rc.operators_for(spec) if spec is not None else tuple(Operator)
        if value_type is ValueType.CHILD_OF:
            allowed = (Operator.IS, Operator.IS_NOT)
        operator = self.operator(raw.get("operator"), allowed, f"{path}.operator")
        if operator is None:
            return None
        if operator is Operator.UNDEFINED:
            self.problems.add(
                ProblemCode.INVALID_OPERATOR,
                "A relative condition cannot be 'is undefined'.",
                f"{path}.operator",
            )
            return None
        return DisplayAttribute(ProductCondition(code, operator, None), value_type)

    def constant(self, raw: dict[str, Any], code: str, path: str) -> DisplayAttribute | None:
        leaf = RuleConditionDraft(
            RuleConditionType.PRODUCT,
            attribute=code,
            operator=str(raw.get("operator") or "=="),
            value=_draft_value(raw.get("value")),
        )
        root = RuleConditionDraft(RuleConditionType.COMBINE, value="1", conditions=(leaf,))
        try:
            tree = build_catalog_conditions(root, self.context, "@")
        except DomainError as error:
            for problem in error.problems:
                self.problems.add(
                    problem.code, problem.message, problem.path.replace("@.conditions.0", path, 1)
                )
            return None
        (condition,) = tree.conditions
        assert isinstance(condition, ProductCondition)
        return DisplayAttribute(condition, ValueType.CONSTANT)


def _draft_value(raw: object) -> str | tuple[str, ...] | None:
    if raw is None:
        return None
    if isinstance(raw, list):
        return tuple(str(item) for item in raw)
    return str(raw)


def parse_display(
    text: str | None, *, context: RuleContext = TRUSTED, path: str = "actions_serialized"
) -> DisplayCombine:
    """The "products to display" tree of `text` (empty: every candidate), or `InputInvalid`."""
    raw = _json(text, path)
    if raw is None:
        return EMPTY_DISPLAY
    reader = _Display(context)
    node = reader.node(raw, path, root=True)
    if reader.problems or not isinstance(node, DisplayCombine):
        raise _fail(reader.problems)
    return node


def _display_array(node: DisplayNode) -> dict[str, Any]:
    if isinstance(node, DisplayCombine):
        out: dict[str, Any] = {
            "type": DISPLAY_COMBINE,
            "attribute": None,
            "operator": None,
            "value": "1" if node.expected else "0",
            "is_value_processed": None,
            "aggregator": node.aggregator.value,
        }
        if node.conditions:
            out["conditions"] = [_display_array(child) for child in node.conditions]
        return out
    if isinstance(node, PricePercent):
        return {
            "type": DISPLAY_PRICE,
            "attribute": None,
            "operator": node.operator.value,
            "value": str(node.percent),
            "is_value_processed": False,
        }
    if isinstance(node, DisplayAttribute):
        value: object = ""
        if node.value_type is ValueType.CONSTANT:
            array = magento_json.as_array(
                dump_product_node(node.condition), TreeKind.CATALOG_CONDITIONS
            )
            value = array["value"]
        return {
            "type": DISPLAY_PRODUCT,
            "attribute": node.condition.attribute,
            "operator": node.condition.operator.value,
            "value": value,
            "is_value_processed": False,
            "value_type": node.value_type.value,
        }
    assert_never(node)


def dump_display(tree: DisplayCombine) -> str:
    """`actions_serialized` as Magento writes it."""
    return _php_json(_display_array(tree))


# --- checking at save ---------------------------------------------------------------------------


async def check_rule_trees(
    conditions: str | None,
    actions: str | None,
    *,
    conditions_path: str = "input.conditions_serialized",
    actions_path: str = "input.actions_serialized",
) -> tuple[ProductCombine | None, DisplayCombine | None]:
    """Both trees as given (None: not given), checked against the catalogue and the existing
    categories; `InputInvalid` with the problems of both at once."""
    drafts: list[RuleConditionDraft] = []
    problems = Problems()
    match_raw = display_raw = None
    try:
        match_raw = _json(conditions, conditions_path)
    except DomainError as error:
        problems.items.extend(error.problems)
    try:
        display_raw = _json(actions, actions_path)
    except DomainError as error:
        problems.items.extend(error.problems)
    for raw in (match_raw, display_raw):
        drafts.extend(_category_drafts(raw))
    context = await load_context(*drafts) if drafts else await load_context()
    match: ProductCombine | None = None
    display: DisplayCombine | None = None
    if conditions is not None and not problems.items:
        try:
            match = parse_match(conditions, context=context, path=conditions_path)
        except DomainError as error:
            problems.items.extend(error.problems)
    if actions is not None and not any(p.path.startswith(actions_path) for p in problems.items):
        try:
            display = parse_display(actions, context=context, path=actions_path)
        except DomainError as error:
            problems.items.extend(error.problems)
    if problems:
        raise _fail(problems)
    return match, display


def _category_drafts(raw: Any) -> list[RuleConditionDraft]:
    """Leaf drafts naming categories, so `load_context` checks those ids exist."""
    found: list[RuleConditionDraft] = []

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        if node.get("attribute") == "category_ids" and node.get("value") not in (None, ""):
            found.append(
                RuleConditionDraft(
                    RuleConditionType.PRODUCT,
                    attribute="category_ids",
                    operator="==",
                    value=_draft_value(node.get("value")),
                )
            )
        for child in node.get("conditions") or []:
            walk(child)

    walk(raw)
    return found
