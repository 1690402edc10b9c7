"""Promotion-rule condition trees as they arrive (`RuleConditionDraft`: Magento's node shape,
strings only) and the checked conversion to the typed trees of `engine/rules/tree.py`, and back.

Three kinds of tree (`TreeKind`), each with the node types it may hold:

- CATALOG_CONDITIONS and CART_ACTIONS: a COMBINE root; combinations hold COMBINE and PRODUCT.
- CART_CONDITIONS: a COMBINE root; combinations hold COMBINE, CART_ATTRIBUTE, PRODUCT_FOUND,
  PRODUCT_SUBSELECT and CUSTOMER_SEGMENT; inside PRODUCT_FOUND / PRODUCT_SUBSELECT (and the
  combinations within them): COMBINE and PRODUCT.

Fields each node type reads (the rest are ignored):

- COMBINE: `aggregator` (all/any), `value` "1" TRUE / "0" FALSE (none = "1"), `conditions`.
- PRODUCT: `attribute` a product attribute code (cart trees also `quote_item_qty`,
  `quote_item_price`, `quote_item_row_total`), `operator` and `value` per attribute.
- CART_ATTRIBUTE: `attribute` a `CartAttribute`, `operator` and `value` per attribute.
- PRODUCT_FOUND: `value` "1" FOUND / "0" NOT FOUND (none = "1"), `aggregator`, `conditions`.
- PRODUCT_SUBSELECT: `attribute` `qty` / `base_row_total`, `operator` `== != >= > <= <`, `value`
  a number, `aggregator`, `conditions`.
- CUSTOMER_SEGMENT: `operator` `==` matches, `!=` does not match, `()` is one of, `!()` is not
  one of; `value` segment ids.

Values: a value holding commas is a list (Magento's admin writes "1, 2"); `()` / `!()` always
hold a tuple, `==` / `!=` a tuple when several values are given. Numbers are `Decimal`, dates
`date`, everything else `str`.

A `RuleContext` says what the tree is checked against: with a catalogue, attribute codes, operators
and option values are checked (custom attributes flagged for promo rules included), and segment
and category ids against the sets given. Without one (a tree already stored, parsed on the hot
path) only the shape is checked and unknown attribute codes are kept with their values as text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, assert_never

from engine.errors import InputInvalid, ProblemCode
from engine.rules import catalog as rc
from engine.rules.tree import (
    CartAttribute,
    CartAttributeCondition,
    CartCombine,
    CartNode,
    CustomerSegmentCondition,
    ItemAttribute,
    ProductCombine,
    ProductCondition,
    ProductFound,
    ProductNode,
    ProductSubselect,
    SubselectAttribute,
)
from engine.segments.catalog_types import AttributeSpec, Catalog, Derived, Storage
from engine.segments.draft_reader import (
    DraftReader,
    Invalid,
    dump_flag,
    dump_scalar,
    dump_value,
)
from engine.segments.tree import Aggregator, InputType, Operator, Scalar, Value


class RuleConditionType(StrEnum):
    """The node types of promotion-rule condition trees."""

    COMBINE = "COMBINE"
    PRODUCT = "PRODUCT"
    CART_ATTRIBUTE = "CART_ATTRIBUTE"
    PRODUCT_FOUND = "PRODUCT_FOUND"
    PRODUCT_SUBSELECT = "PRODUCT_SUBSELECT"
    CUSTOMER_SEGMENT = "CUSTOMER_SEGMENT"


class TreeKind(StrEnum):
    CATALOG_CONDITIONS = "catalog_conditions"
    CART_CONDITIONS = "cart_conditions"
    CART_ACTIONS = "cart_actions"


T = RuleConditionType


@dataclass(frozen=True)
class RuleConditionDraft:
    """One node as sent: strings only, nothing checked yet."""

    type: RuleConditionType
    attribute: str | None = None
    operator: str | None = None
    value: str | tuple[str, ...] | None = None
    aggregator: str | None = None
    conditions: tuple[RuleConditionDraft, ...] = ()


@dataclass(frozen=True)
class RuleContext:
    """What a tree is checked against (see the module docstring)."""

    catalog: Catalog | None = None
    segment_ids: frozenset[int] | None = None
    """Existing segment ids; None: not checked."""
    category_ids: frozenset[int] | None = None
    """Existing category ids; None: not checked."""


TRUSTED = RuleContext()
"""No catalogue, no id checks: for trees read back from the database."""

_INTEGER = re.compile(r"^\d+$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_LIST_OPERATORS = frozenset({Operator.ONE_OF, Operator.NOT_ONE_OF})
_ITEM_CODES = frozenset(a.value for a in ItemAttribute)
_Convert = Callable[[str, str], Scalar]

_CHILDREN: Mapping[tuple[TreeKind, bool], frozenset[RuleConditionType]] = {
    # (kind, inside a product selection) -> allowed child types of a combination
    (TreeKind.CATALOG_CONDITIONS, False): frozenset({T.COMBINE, T.PRODUCT}),
    (TreeKind.CART_ACTIONS, False): frozenset({T.COMBINE, T.PRODUCT}),
    (TreeKind.CART_CONDITIONS, False): frozenset(
        {T.COMBINE, T.CART_ATTRIBUTE, T.PRODUCT_FOUND, T.PRODUCT_SUBSELECT, T.CUSTOMER_SEGMENT}
    ),
    (TreeKind.CART_CONDITIONS, True): frozenset({T.COMBINE, T.PRODUCT}),
}


def split_values(raw: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """Every non-empty item of a value, comma-separated strings split."""
    if raw is None:
        return ()
    parts = raw if isinstance(raw, tuple) else (raw,)
    return tuple(p.strip() for part in parts for p in part.split(",") if p.strip())


class _Builder(DraftReader):
    def __init__(self, kind: TreeKind, context: RuleContext) -> None:
        super().__init__()
        self.kind = kind
        self.context = context

    def flag(self, raw: str | tuple[str, ...] | None, path: str) -> bool:
        if raw is None or raw == "" or raw == ():
            return True
        text = self.scalar(raw, path).strip()
        if text.upper() in ("1", "TRUE"):
            return True
        if text.upper() in ("0", "FALSE"):
            return False
        raise self.fail(ProblemCode.INVALID_VALUE, f"Expected 1 or 0, got '{text}'.", path)

    # --- nodes -------------------------------------------------------------------------------

    def children(
        self, draft: RuleConditionDraft, path: str, in_selection: bool
    ) -> tuple[object, ...]:
        allowed = _CHILDREN[(self.kind, in_selection)]
        built: list[object] = []
        for index, child in enumerate(draft.conditions):
            child_path = f"{path}.conditions.{index}"
            if child.type not in allowed:
                self.problems.add(
                    ProblemCode.UNKNOWN_CONDITION,
                    f"{child.type.value} is not allowed inside {draft.type.value}.",
                    f"{child_path}.type",
                )
                continue
            before = len(self.problems.items)
            try:
                node = self.node(child, child_path, in_selection)
            except Invalid:
                continue
            if len(self.problems.items) == before:
                built.append(node)
        return tuple(built)

    def product_children(
        self, draft: RuleConditionDraft, path: str, in_selection: bool
    ) -> tuple[ProductNode, ...]:
        kids = self.children(draft, path, in_selection)
        return tuple(k for k in kids if isinstance(k, ProductCondition | ProductCombine))

    def node(self, d: RuleConditionDraft, path: str, in_selection: bool) -> object:
        product_context = self.kind is not TreeKind.CART_CONDITIONS or in_selection
        match d.type:
            case T.COMBINE:
                aggregator = self.aggregator(d.aggregator, f"{path}.aggregator")
                expected = self.flag(d.value, f"{path}.value")
                if product_context:
                    return ProductCombine(
                        aggregator, expected, self.product_children(d, path, in_selection)
                    )
                kids = self.children(d, path, False)
                return CartCombine(
                    aggregator,
                    expected,
                    tuple(
                        k
                        for k in kids
                        if isinstance(
                            k,
                            CartCombine
                            | CartAttributeCondition
                            | ProductFound
                            | ProductSubselect
                            | CustomerSegmentCondition,
                        )
                    ),
                )
            case T.PRODUCT:
                return self.product(d, path)
            case T.CART_ATTRIBUTE:
                return self.cart_attribute(d, path)
            case T.PRODUCT_FOUND:
                found = self.flag(d.value, f"{path}.value")
                aggregator = self.aggregator(d.aggregator, f"{path}.aggregator")
                return ProductFound(found, aggregator, self.product_children(d, path, True))
            case T.PRODUCT_SUBSELECT:
                return self.subselect(d, path)
            case T.CUSTOMER_SEGMENT:
                return self.segment(d, path)
            case _:
                assert_never(d.type)

    def subselect(self, d: RuleConditionDraft, path: str) -> ProductSubselect:
        text = self.scalar(d.attribute, f"{path}.attribute")
        try:
            attribute = SubselectAttribute(text)
        except ValueError:
            raise self.fail(
                ProblemCode.UNKNOWN_ATTRIBUTE,
                f"Unknown subselection attribute '{text}'; use qty or base_row_total.",
                f"{path}.attribute",
            ) from None
        op = self.operator(d.operator, rc.SUBSELECT_OPERATORS, f"{path}.operator")
        value = self.decimal(self.scalar(d.value, f"{path}.value"), f"{path}.value")
        aggregator = self.aggregator(d.aggregator, f"{path}.aggregator")
        return ProductSubselect(
            attribute, op, value, aggregator, self.product_children(d, path, True)
        )

    def segment(self, d: RuleConditionDraft, path: str) -> CustomerSegmentCondition:
        op = self.operator(d.operator, rc.SEGMENT_OPERATORS, f"{path}.operator")
        items = split_values(d.value)
        if not items:
            raise self.fail(ProblemCode.REQUIRED, "A segment id is required.", f"{path}.value")
        ids: list[int] = []
        for item in items:
            if not _INTEGER.match(item) or int(item) == 0:
                raise self.fail(
                    ProblemCode.INVALID_VALUE, f"'{item}' is not a segment id.", f"{path}.value"
                )
            if int(item) not in ids:
                ids.append(int(item))
        known = self.context.segment_ids
        if known is not None:
            unknown = [i for i in ids if i not in known]
            if unknown:
                raise self.fail(
                    ProblemCode.UNKNOWN_SEGMENT,
                    f"Unknown segment id(s): {', '.join(str(i) for i in unknown)}.",
                    f"{path}.value",
                )
        return CustomerSegmentCondition(op, tuple(ids))

    def cart_attribute(self, d: RuleConditionDraft, path: str) -> CartAttributeCondition:
        text = self.scalar(d.attribute, f"{path}.attribute")
        try:
            attribute = CartAttribute(text)
        except ValueError:
            raise self.fail(
                ProblemCode.UNKNOWN_ATTRIBUTE,
                f"Unknown cart attribute '{text}'.",
                f"{path}.attribute",
            ) from None
        input_type, storage = rc.CART_ATTRIBUTE_TYPES[attribute]
        allowed = rc.RULE_OPERATORS[input_type]
        op = self.operator(d.operator, allowed, f"{path}.operator")
        if op is Operator.UNDEFINED:
            return CartAttributeCondition(attribute, op, None)

        def convert(item: str, value_path: str) -> Scalar:
            if input_type is InputType.NUMERIC:
                return self.decimal(item, value_path)
            if attribute is CartAttribute.COUNTRY_ID:
                if not _COUNTRY.match(item):
                    raise self.fail(
                        ProblemCode.INVALID_VALUE,
                        f"'{item}' is not a two-letter country code.",
                        value_path,
                    )
                return item.upper()
            if storage is Storage.INT:
                if not _INTEGER.match(item):
                    raise self.fail(
                        ProblemCode.INVALID_VALUE, f"'{item}' is not a region id.", value_path
                    )
                return str(int(item))
            return item

        return CartAttributeCondition(
            attribute,
            op,
            self.values(op, d.value, path, convert, listable=input_type is not InputType.NUMERIC),
        )

    def values(
        self,
        op: Operator,
        raw: str | tuple[str, ...] | None,
        path: str,
        convert: _Convert,
        *,
        listable: bool = True,
        always_list: bool = False,
    ) -> Value:
        value_path = f"{path}.value"
        if op in _LIST_OPERATORS or always_list or listable:
            items = split_values(raw)
            if not items:
                raise self.fail(ProblemCode.REQUIRED, "A value is required.", value_path)
            converted: list[Scalar] = []
            for item in items:
                scalar = convert(item, value_path)
                if scalar not in converted:
                    converted.append(scalar)
            if op in _LIST_OPERATORS or always_list or len(converted) > 1:
                if (
                    len(converted) > 1
                    and op not in _LIST_OPERATORS
                    and not always_list
                    and op not in (Operator.IS, Operator.IS_NOT)
                ):
                    raise self.fail(ProblemCode.INVALID_VALUE, "One value is expected.", value_path)
                return tuple(converted)
            return converted[0]
        return convert(self.scalar(raw, value_path), value_path)

    def product(self, d: RuleConditionDraft, path: str) -> ProductCondition:
        code = self.scalar(d.attribute, f"{path}.attribute").strip()
        attribute_path, op_path = f"{path}.attribute", f"{path}.operator"
        if code in _ITEM_CODES:
            if self.kind is TreeKind.CATALOG_CONDITIONS:
                raise self.fail(
                    ProblemCode.UNKNOWN_ATTRIBUTE,
                    f"'{code}' applies to cart rules only.",
                    attribute_path,
                )
            op = self.operator(d.operator, rc.RULE_OPERATORS[InputType.NUMERIC], op_path)
            return ProductCondition(
                code, op, self.values(op, d.value, path, self.decimal, listable=False)
            )
        spec = rc.product_spec(self.context.catalog, code)
        if spec is None:
            if self.context.catalog is not None or not _CODE.match(code):
                raise self.fail(
                    ProblemCode.UNKNOWN_ATTRIBUTE,
                    f"Unknown product attribute '{code}'.",
                    attribute_path,
                )
            # A stored tree naming a custom attribute: kept as text.
            try:
                op = Operator(d.operator or "")
            except ValueError:
                raise self.fail(
                    ProblemCode.INVALID_OPERATOR, f"Unknown operator '{d.operator}'.", op_path
                ) from None
            if op is Operator.UNDEFINED:
                return ProductCondition(code, op, None)
            return ProductCondition(code, op, self.values(op, d.value, path, lambda t, _: t))
        op = self.operator(d.operator, rc.operators_for(spec), op_path)
        if op is Operator.UNDEFINED:
            return ProductCondition(spec.code, op, None)
        if isinstance(spec.source, Derived):
            return ProductCondition(spec.code, op, self.categories(op, d.value, f"{path}.value"))
        numeric_or_date = spec.input_type in (InputType.NUMERIC, InputType.DATE)
        value = self.values(
            op,
            d.value,
            path,
            lambda item, value_path: self.attribute_scalar(spec, item, value_path),
            listable=not numeric_or_date,
            always_list=spec.input_type is InputType.MULTISELECT,
        )
        return ProductCondition(spec.code, op, value)

    def categories(self, op: Operator, raw: str | tuple[str, ...] | None, path: str) -> Value:
        items = split_values(raw)
        if not items:
            raise self.fail(ProblemCode.REQUIRED, "A category id is required.", path)
        ids: list[int] = []
        for item in items:
            if not _INTEGER.match(item) or int(item) == 0:
                raise self.fail(ProblemCode.INVALID_VALUE, f"'{item}' is not a category id.", path)
            if int(item) not in ids:
                ids.append(int(item))
        known = self.context.category_ids
        if known is not None:
            unknown = [i for i in ids if i not in known]
            if unknown:
                raise self.fail(
                    ProblemCode.NOT_FOUND,
                    f"Unknown category id(s): {', '.join(str(i) for i in unknown)}.",
                    path,
                )
        texts = tuple(str(i) for i in ids)
        if op in _LIST_OPERATORS or len(texts) > 1:
            return texts
        return texts[0]

    def attribute_scalar(self, spec: AttributeSpec, text: str, path: str) -> Scalar:
        text = text.strip()
        match spec.input_type:
            case InputType.NUMERIC:
                return self.decimal(text, path)
            case InputType.DATE:
                return self.day(text, path)
            case InputType.STRING:
                return text
            case InputType.SELECT | InputType.MULTISELECT | InputType.BOOLEAN:
                storage = getattr(spec.source, "storage", None)
                if storage in (Storage.INT, Storage.BOOL) and _INTEGER.match(text):
                    text = str(int(text))
                if spec.options and self.context.catalog is not None:
                    if text not in {o.value for o in spec.options}:
                        raise self.fail(
                            ProblemCode.INVALID_VALUE,
                            f"'{text}' is not an option of {spec.label}.",
                            path,
                        )
                elif storage in (Storage.INT, Storage.BOOL) and not _INTEGER.match(text):
                    raise self.fail(
                        ProblemCode.INVALID_VALUE, f"'{text}' is not an option id.", path
                    )
                return text
            case _:
                assert_never(spec.input_type)


def _build(draft: RuleConditionDraft, kind: TreeKind, context: RuleContext, path: str) -> object:
    builder = _Builder(kind, context)
    if draft.type is not T.COMBINE:
        builder.problems.add(
            ProblemCode.UNKNOWN_CONDITION,
            f"The root condition must be a COMBINE, not {draft.type.value}.",
            f"{path}.type",
        )
        raise InputInvalid(builder.problems.items)
    try:
        node = builder.node(draft, path, False)
    except Invalid:
        node = None
    if builder.problems or node is None:
        raise InputInvalid(builder.problems.items)
    return node


def build_catalog_conditions(
    draft: RuleConditionDraft, context: RuleContext = TRUSTED, path: str = "input.conditions"
) -> ProductCombine:
    """A catalog rule's conditions, or `InputInvalid` with every problem and its path."""
    node = _build(draft, TreeKind.CATALOG_CONDITIONS, context, path)
    assert isinstance(node, ProductCombine)
    return node


def build_cart_conditions(
    draft: RuleConditionDraft, context: RuleContext = TRUSTED, path: str = "input.conditions"
) -> CartCombine:
    """A cart rule's conditions, or `InputInvalid` with every problem and its path."""
    node = _build(draft, TreeKind.CART_CONDITIONS, context, path)
    assert isinstance(node, CartCombine)
    return node


def build_cart_actions(
    draft: RuleConditionDraft, context: RuleContext = TRUSTED, path: str = "input.actions"
) -> ProductCombine:
    """A cart rule's action conditions (which items get the discount)."""
    node = _build(draft, TreeKind.CART_ACTIONS, context, path)
    assert isinstance(node, ProductCombine)
    return node


def build_tree(
    draft: RuleConditionDraft, kind: TreeKind, context: RuleContext = TRUSTED, path: str = ""
) -> CartCombine | ProductCombine:
    """`build_catalog_conditions` / `build_cart_conditions` / `build_cart_actions` by kind."""
    if kind is TreeKind.CART_CONDITIONS:
        return build_cart_conditions(draft, context, path)
    if kind is TreeKind.CATALOG_CONDITIONS:
        return build_catalog_conditions(draft, context, path)
    return build_cart_actions(draft, context, path)


# --- references and the checking context --------------------------------------------------------


def _walk(draft: RuleConditionDraft) -> Iterable[RuleConditionDraft]:
    yield draft
    for child in draft.conditions:
        yield from _walk(child)


def referenced_ids(draft: RuleConditionDraft) -> tuple[frozenset[int], frozenset[int]]:
    """(segment ids, category ids) a draft names, as far as they are whole numbers."""
    segments: set[int] = set()
    categories: set[int] = set()
    for node in _walk(draft):
        if node.type is T.CUSTOMER_SEGMENT:
            segments.update(int(i) for i in split_values(node.value) if _INTEGER.match(i))
        elif node.type is T.PRODUCT and (node.attribute or "").strip() == "category_ids":
            categories.update(int(i) for i in split_values(node.value) if _INTEGER.match(i))
    return frozenset(segments), frozenset(categories)


async def load_context(*drafts: RuleConditionDraft) -> RuleContext:
    """The full checking context for `drafts`: the catalogue with the custom promo attributes, and
    which of the segment and category ids they name exist."""
    from engine.segments.catalog import load_catalog
    from models import CatalogCategoryEntity, MagentoCustomersegmentSegment

    segments: set[int] = set()
    categories: set[int] = set()
    for draft in drafts:
        s, c = referenced_ids(draft)
        segments |= s
        categories |= c
    catalog = await load_catalog()
    found_segments: frozenset[int] = frozenset()
    if segments:
        segment_rows: list[Any] = list(
            await MagentoCustomersegmentSegment.filter(segment_id__in=sorted(segments)).values_list(
                "segment_id", flat=True
            )
        )
        found_segments = frozenset(int(i) for i in segment_rows)
    found_categories: frozenset[int] = frozenset()
    if categories:
        category_rows: list[Any] = list(
            await CatalogCategoryEntity.filter(entity_id__in=sorted(categories)).values_list(
                "entity_id", flat=True
            )
        )
        found_categories = frozenset(int(i) for i in category_rows)
    return RuleContext(catalog, found_segments, found_categories)


async def check_tree(
    draft: RuleConditionDraft, kind: TreeKind, path: str
) -> CartCombine | ProductCombine:
    """Build `draft` with the full context (catalogue, existing segments and categories)."""
    return build_tree(draft, kind, await load_context(draft), path)


async def check_catalog_conditions(
    draft: RuleConditionDraft, path: str = "input.conditions"
) -> ProductCombine:
    node = await check_tree(draft, TreeKind.CATALOG_CONDITIONS, path)
    assert isinstance(node, ProductCombine)
    return node


async def check_cart_conditions(
    draft: RuleConditionDraft, path: str = "input.conditions"
) -> CartCombine:
    node = await check_tree(draft, TreeKind.CART_CONDITIONS, path)
    assert isinstance(node, CartCombine)
    return node


async def check_cart_actions(
    draft: RuleConditionDraft, path: str = "input.actions"
) -> ProductCombine:
    node = await check_tree(draft, TreeKind.CART_ACTIONS, path)
    assert isinstance(node, ProductCombine)
    return node


# --- dump --------------------------------------------------------------------------------------


def dump_product_node(node: ProductNode) -> RuleConditionDraft:
    """The draft of a product condition or combination."""
    if isinstance(node, ProductCondition):
        return RuleConditionDraft(
            T.PRODUCT, node.attribute, node.operator.value, dump_value(node.value)
        )
    if isinstance(node, ProductCombine):
        return RuleConditionDraft(
            T.COMBINE,
            value=dump_flag(node.expected),
            aggregator=node.aggregator.value,
            conditions=tuple(dump_product_node(child) for child in node.conditions),
        )
    assert_never(node)


def dump_cart_node(node: CartNode) -> RuleConditionDraft:
    """The draft of a cart-condition node."""
    if isinstance(node, CartCombine):
        return RuleConditionDraft(
            T.COMBINE,
            value=dump_flag(node.expected),
            aggregator=node.aggregator.value,
            conditions=tuple(dump_cart_node(child) for child in node.conditions),
        )
    if isinstance(node, CartAttributeCondition):
        return RuleConditionDraft(
            T.CART_ATTRIBUTE, node.attribute.value, node.operator.value, dump_value(node.value)
        )
    if isinstance(node, ProductFound):
        return RuleConditionDraft(
            T.PRODUCT_FOUND,
            value=dump_flag(node.found),
            aggregator=node.aggregator.value,
            conditions=tuple(dump_product_node(child) for child in node.conditions),
        )
    if isinstance(node, ProductSubselect):
        return RuleConditionDraft(
            T.PRODUCT_SUBSELECT,
            node.attribute.value,
            node.operator.value,
            dump_scalar(node.value),
            node.aggregator.value,
            tuple(dump_product_node(child) for child in node.conditions),
        )
    if isinstance(node, CustomerSegmentCondition):
        return RuleConditionDraft(
            T.CUSTOMER_SEGMENT,
            operator=node.operator.value,
            value=tuple(str(i) for i in node.segment_ids),
        )
    assert_never(node)


def dump_tree(node: CartCombine | ProductCombine) -> RuleConditionDraft:
    """The draft `build_tree` of the same kind reads back into an equal tree."""
    if isinstance(node, CartCombine):
        return dump_cart_node(node)
    return dump_product_node(node)


def empty_draft() -> RuleConditionDraft:
    """A root with no conditions ("If ALL of these conditions are TRUE:")."""
    return RuleConditionDraft(T.COMBINE, value="1", aggregator=Aggregator.ALL.value)
