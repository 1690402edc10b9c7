"""Promotion-rule conditions: the evaluator (product, cart and action trees, Magento's combine,
found and subselect semantics, NULLs), `first_failure`'s node ids and sentences, Magento's JSON
for the three tree kinds, validation with paths, and loading product facts."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from engine.errors import DomainError, InputInvalid, ProblemCode
from engine.rules import magento_json as mj
from engine.rules.drafts import (
    RuleConditionDraft,
    RuleConditionType,
    TreeKind,
    build_tree,
    check_cart_conditions,
    check_catalog_conditions,
    dump_tree,
)
from engine.rules.evaluate import (
    RuleFailure,
    cart_holds,
    first_failure,
    item_qualifies,
    product_matches,
)
from engine.rules.facts import load_product_facts
from engine.rules.tree import (
    CartAttribute,
    CartAttributeCondition,
    CartCombine,
    CartFacts,
    CustomerSegmentCondition,
    ItemFacts,
    ProductCombine,
    ProductCondition,
    ProductFacts,
    ProductFound,
    ProductSubselect,
    SubselectAttribute,
)
from engine.segments.tree import Aggregator, Operator
from models import (
    CatalogCategoryEntity,
    CatalogCategoryProduct,
    CatalogEavAttribute,
    CatalogProductEntity,
    CatalogProductEntityInt,
    CatalogProductEntityVarchar,
    EavAttribute,
    MagentoCustomersegmentSegment,
)
from models.attributes import BackendType, EntityType, FrontendInput

D = Decimal
Op = Operator
ALL, ANY = Aggregator.ALL, Aggregator.ANY


def product(
    entity_id: int = 1,
    *,
    sku: str = "MUG-1",
    name: str = "Blue Mug",
    price: str = "12.50",
    categories: tuple[int, ...] = (3,),
    custom: dict[str, object] | None = None,
    weight: str | None = "0.5",
) -> ProductFacts:
    row = CatalogProductEntity(
        entity_id=entity_id,
        sku=sku,
        name=name,
        price=D(price),
        special_price=None,
        weight=None if weight is None else D(weight),
        type_id="simple",
        visibility=4,
        status=1,
    )
    row.attribute_set_id = 4  # (set after: a model built outside Tortoise ignores FK kwargs)
    return ProductFacts(row, frozenset(categories), custom or {})


def item(facts: ProductFacts, qty: str, price: str, item_id: int = 1) -> ItemFacts:
    return ItemFacts(item_id, facts, D(qty), D(price), D(qty) * D(price))


def cart(
    *items: ItemFacts,
    subtotal: str | None = None,
    segments: tuple[int, ...] = (),
    country: str | None = "US",
    postcode: str | None = "10001",
    shipping_method: str | None = "flatrate_flatrate",
) -> CartFacts:
    total = sum((i.row_total for i in items), D(0))
    if subtotal is not None:
        total = D(subtotal)
    return CartFacts(
        website_id=1,
        customer_group_id=1,
        customer_id=None,
        items=items,
        base_subtotal=total,
        base_subtotal_with_discount=total,
        total_qty=sum((i.qty for i in items), D(0)),
        weight=D("1.5"),
        payment_method="checkmo",
        shipping_method=shipping_method,
        postcode=postcode,
        region="New York",
        region_id=43,
        country_id=country,
        segment_ids=frozenset(segments),
    )


def leaf(attribute: str, op: Operator, value: Any) -> ProductCondition:
    return ProductCondition(attribute, op, value)


MUG = product()
LAMP = product(2, sku="LAMP-9", name="Desk Lamp", price="40", categories=(4, 7))
NO_CATEGORY = product(3, sku="GIFT", name="Gift Card", price="25", categories=(), weight=None)


# --- product conditions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "facts", "expected"),
    [
        (leaf("sku", Op.IS, "mug-1"), MUG, True),  # case-insensitive, as MySQL _ci
        (leaf("sku", Op.IS, ("LAMP-9", "MUG-1")), MUG, True),
        (leaf("sku", Op.ONE_OF, ("LAMP-9",)), MUG, False),
        (leaf("sku", Op.NOT_ONE_OF, ("LAMP-9",)), MUG, True),
        (leaf("name", Op.CONTAINS, "mug"), MUG, True),
        (leaf("name", Op.NOT_CONTAINS, "mug"), MUG, False),
        (leaf("price", Op.GREATER_OR_EQUAL, D("12.5")), MUG, True),
        (leaf("price", Op.GREATER, D("12.5")), MUG, False),
        (leaf("price", Op.LESS, D(20)), LAMP, False),
        (leaf("price", Op.ONE_OF, (D(40), D(50))), LAMP, True),
        # category_ids: ==, {} and () any overlap; !=, !{} and !() none.
        (leaf("category_ids", Op.IS, "3"), MUG, True),
        (leaf("category_ids", Op.IS, ("5", "7")), LAMP, True),
        (leaf("category_ids", Op.CONTAINS, "7"), LAMP, True),
        (leaf("category_ids", Op.ONE_OF, ("5", "6")), LAMP, False),
        (leaf("category_ids", Op.IS_NOT, "4"), LAMP, False),
        (leaf("category_ids", Op.NOT_ONE_OF, ("5", "6")), LAMP, True),
        (leaf("category_ids", Op.IS_NOT, "3"), NO_CATEGORY, True),
        (leaf("category_ids", Op.IS, "3"), NO_CATEGORY, False),
        (leaf("attribute_set_id", Op.IS, "4"), MUG, True),
        (leaf("type_id", Op.IS, "virtual"), MUG, False),
        (leaf("visibility", Op.IS, "4"), MUG, True),
        # NULL weight: only the negative operators and "is undefined" hold.
        (leaf("weight", Op.IS, D(0)), NO_CATEGORY, False),
        (leaf("weight", Op.IS_NOT, D(0)), NO_CATEGORY, True),
        (leaf("weight", Op.LESS, D(1)), NO_CATEGORY, False),
        # Cart-line attributes with no line (a catalog rule) are NULL.
        (leaf("quote_item_qty", Op.GREATER_OR_EQUAL, D(1)), MUG, False),
        (leaf("quote_item_qty", Op.IS_NOT, D(1)), MUG, True),
    ],
)
def test_product_condition(
    condition: ProductCondition, facts: ProductFacts, expected: bool
) -> None:
    assert product_matches(condition, facts) is expected


def test_custom_attributes_compare_by_their_loaded_type() -> None:
    facts = product(custom={"color": 49, "material": frozenset({"7", "9"}), "style": "Modern Loft"})
    assert product_matches(leaf("color", Op.IS, "49"), facts)
    assert product_matches(leaf("color", Op.ONE_OF, ("48", "49")), facts)
    assert not product_matches(leaf("color", Op.IS_NOT, "49"), facts)
    # Multiselect: {} holds every given option, () any of them.
    assert product_matches(leaf("material", Op.CONTAINS, ("7", "9")), facts)
    assert not product_matches(leaf("material", Op.CONTAINS, ("7", "8")), facts)
    assert product_matches(leaf("material", Op.ONE_OF, ("7", "8")), facts)
    assert product_matches(leaf("material", Op.NOT_ONE_OF, ("1", "8")), facts)
    assert product_matches(leaf("style", Op.CONTAINS, "loft"), facts)
    # A custom attribute with no value: NULL.
    assert not product_matches(leaf("brand", Op.IS, "3"), facts)
    assert product_matches(leaf("brand", Op.IS_NOT, "3"), facts)
    assert product_matches(leaf("brand", Op.UNDEFINED, None), facts)


def test_item_attributes_read_the_cart_line() -> None:
    line = item(MUG, "3", "12.50")
    assert product_matches(leaf("quote_item_qty", Op.GREATER_OR_EQUAL, D(3)), MUG, line)
    assert product_matches(leaf("quote_item_price", Op.IS, D("12.5")), MUG, line)
    assert product_matches(leaf("quote_item_row_total", Op.IS, D("37.50")), MUG, line)
    assert not product_matches(leaf("quote_item_row_total", Op.GREATER, D("37.50")), MUG, line)


T_SKU = leaf("sku", Op.IS, "MUG-1")  # true for MUG
F_SKU = leaf("sku", Op.IS, "LAMP-9")  # false for MUG


@pytest.mark.parametrize(
    ("aggregator", "expected", "children", "result"),
    [
        (ALL, True, (T_SKU, T_SKU), True),
        (ALL, True, (T_SKU, F_SKU), False),
        (ANY, True, (T_SKU, F_SKU), True),
        (ANY, True, (F_SKU, F_SKU), False),
        (ALL, False, (F_SKU, F_SKU), True),
        (ALL, False, (T_SKU, F_SKU), False),
        (ANY, False, (T_SKU, F_SKU), True),
        (ANY, False, (T_SKU, T_SKU), False),
        # Magento's Combine::_isValid: no children holds, whatever the aggregator and value.
        (ALL, True, (), True),
        (ANY, True, (), True),
        (ANY, False, (), True),
    ],
)
def test_combination(
    aggregator: Aggregator, expected: bool, children: tuple[ProductCondition, ...], result: bool
) -> None:
    assert product_matches(ProductCombine(aggregator, expected, children), MUG) is result


def test_actions_limit_the_discounted_items() -> None:
    actions = ProductCombine(ALL, True, (leaf("category_ids", Op.IS, "4"),))
    assert item_qualifies(actions, item(LAMP, "1", "40"))
    assert not item_qualifies(actions, item(MUG, "1", "12.50"))
    assert item_qualifies(ProductCombine(), item(MUG, "1", "12.50"))  # empty: every item


# --- cart conditions --------------------------------------------------------------------------


def attr(attribute: CartAttribute, op: Operator, value: Any) -> CartAttributeCondition:
    return CartAttributeCondition(attribute, op, value)


MUGS = item(MUG, "2", "12.50")  # 25.00
LAMPS = item(LAMP, "3", "40", item_id=2)  # 120.00


@pytest.mark.parametrize(
    ("node", "facts", "expected"),
    [
        (attr(CartAttribute.BASE_SUBTOTAL, Op.GREATER_OR_EQUAL, D(145)), cart(MUGS, LAMPS), True),
        (attr(CartAttribute.BASE_SUBTOTAL, Op.GREATER, D(145)), cart(MUGS, LAMPS), False),
        (attr(CartAttribute.TOTAL_QTY, Op.IS, D(5)), cart(MUGS, LAMPS), True),
        (attr(CartAttribute.WEIGHT, Op.LESS, D(2)), cart(MUGS), True),
        (attr(CartAttribute.COUNTRY_ID, Op.IS, "us"), cart(MUGS), True),
        (attr(CartAttribute.COUNTRY_ID, Op.ONE_OF, ("CA", "MX")), cart(MUGS), False),
        (attr(CartAttribute.COUNTRY_ID, Op.IS, "US"), cart(MUGS, country=None), False),
        (attr(CartAttribute.COUNTRY_ID, Op.UNDEFINED, None), cart(MUGS, country=None), True),
        (attr(CartAttribute.POSTCODE, Op.CONTAINS, "100"), cart(MUGS), True),
        (attr(CartAttribute.REGION_ID, Op.IS, "43"), cart(MUGS), True),
        (attr(CartAttribute.SHIPPING_METHOD, Op.IS, "flatrate_flatrate"), cart(MUGS), True),
        (
            attr(CartAttribute.SHIPPING_METHOD, Op.IS, "flatrate_flatrate"),
            cart(MUGS, shipping_method=None),
            False,
        ),
        # Product found / not found.
        (ProductFound(True, ALL, (leaf("category_ids", Op.IS, "7"),)), cart(MUGS, LAMPS), True),
        (ProductFound(True, ALL, (leaf("category_ids", Op.IS, "7"),)), cart(MUGS), False),
        (ProductFound(False, ALL, (leaf("category_ids", Op.IS, "7"),)), cart(MUGS), True),
        (ProductFound(False, ALL, (leaf("category_ids", Op.IS, "7"),)), cart(), True),
        (ProductFound(True, ALL, ()), cart(MUGS), True),  # ALL with no children: any item
        (ProductFound(True, ALL, ()), cart(), False),
        (ProductFound(True, ANY, ()), cart(MUGS), False),  # ANY with no children: none
        (
            ProductFound(
                True,
                ALL,
                (leaf("sku", Op.IS, "MUG-1"), leaf("quote_item_qty", Op.GREATER_OR_EQUAL, D(3))),
            ),
            cart(MUGS, LAMPS),
            False,  # the mug line has qty 2
        ),
        # Subselection: total qty / amount of the matching items.
        (
            ProductSubselect(SubselectAttribute.QTY, Op.GREATER_OR_EQUAL, D(3), ALL, ()),
            cart(MUGS, LAMPS),
            True,
        ),
        (
            ProductSubselect(
                SubselectAttribute.QTY, Op.IS, D(2), ALL, (leaf("category_ids", Op.IS, "3"),)
            ),
            cart(MUGS, LAMPS),
            True,
        ),
        (
            ProductSubselect(
                SubselectAttribute.BASE_ROW_TOTAL,
                Op.GREATER_OR_EQUAL,
                D(100),
                ALL,
                (leaf("category_ids", Op.IS, "3"),),
            ),
            cart(MUGS, LAMPS),
            False,  # only the mugs match: 25.00
        ),
        (
            ProductSubselect(
                SubselectAttribute.BASE_ROW_TOTAL,
                Op.IS,
                D(145),
                ANY,
                (leaf("category_ids", Op.IS, "3"), leaf("sku", Op.IS, "LAMP-9")),
            ),
            cart(MUGS, LAMPS),
            True,
        ),
        # Customer segment: matches / is one of = in any; does not match / is not one of = none.
        (CustomerSegmentCondition(Op.IS, (5,)), cart(MUGS, segments=(5, 6)), True),
        (CustomerSegmentCondition(Op.ONE_OF, (1, 6)), cart(MUGS, segments=(5, 6)), True),
        (CustomerSegmentCondition(Op.ONE_OF, (1, 2)), cart(MUGS, segments=(5, 6)), False),
        (CustomerSegmentCondition(Op.IS_NOT, (5,)), cart(MUGS, segments=(5, 6)), False),
        (CustomerSegmentCondition(Op.NOT_ONE_OF, (1, 2)), cart(MUGS, segments=(5, 6)), True),
        (CustomerSegmentCondition(Op.NOT_ONE_OF, (1, 2)), cart(MUGS), True),
        (CustomerSegmentCondition(Op.IS, (1,)), cart(MUGS), False),
    ],
)
def test_cart_condition(node: Any, facts: CartFacts, expected: bool) -> None:
    assert cart_holds(CartCombine(ALL, True, (node,)), facts) is expected


# --- why not ----------------------------------------------------------------------------------

WHY_TREE = CartCombine(
    ALL,
    True,
    (
        attr(CartAttribute.BASE_SUBTOTAL_WITH_DISCOUNT, Op.GREATER_OR_EQUAL, D(100)),
        CartCombine(
            ANY,
            True,
            (
                CustomerSegmentCondition(Op.ONE_OF, (1, 2)),
                attr(CartAttribute.COUNTRY_ID, Op.IS, "CA"),
            ),
        ),
        CartCombine(
            ALL,
            True,
            (
                ProductFound(True, ALL, (leaf("category_ids", Op.IS, "7"),)),
                ProductSubselect(SubselectAttribute.QTY, Op.GREATER_OR_EQUAL, D(6), ALL, ()),
            ),
        ),
        CartCombine(ALL, False, (attr(CartAttribute.POSTCODE, Op.IS, "10001"),)),
    ),
)


@pytest.mark.parametrize(
    ("facts", "failure"),
    [
        (cart(MUGS), RuleFailure("1--1", "Subtotal (Excl. Tax) equals or greater than 100")),
        (
            cart(MUGS, LAMPS),
            RuleFailure("1--2", "If ANY of these conditions are TRUE:"),
        ),
        (
            cart(MUGS, LAMPS, segments=(2,)),
            RuleFailure(
                "1--3--2",
                "If total quantity equals or greater than 6 for a subselection of items in cart "
                "matching ALL of these conditions:",
            ),
        ),
        (
            cart(MUGS, LAMPS, item(MUG, "1", "12.50", 3), segments=(2,)),
            RuleFailure("1--4--1", "Shipping Postcode is 10001"),
        ),
        (cart(MUGS, LAMPS, item(MUG, "1", "12.50", 3), segments=(2,), postcode="H2X"), None),
    ],
)
def test_first_failure(facts: CartFacts, failure: RuleFailure | None) -> None:
    assert first_failure(WHY_TREE, facts) == failure
    assert cart_holds(WHY_TREE, facts) is (failure is None)


def test_failure_sentences_of_every_node_type() -> None:
    def why(node: Any) -> str:
        found = first_failure(CartCombine(ALL, True, (node,)), cart())
        assert found is not None
        return found.sentence

    assert why(ProductFound(True, ALL, ())) == (
        "If an item is FOUND in the cart with ALL of these conditions true:"
    )
    assert why(CustomerSegmentCondition(Op.IS, (3, 4))) == "If Customer Segment matches 3, 4"
    assert why(CustomerSegmentCondition(Op.ONE_OF, (3,))) == "If Customer Segment is one of 3"
    assert why(attr(CartAttribute.TOTAL_QTY, Op.ONE_OF, (D(2), D(3)))) == (
        "Total Items Quantity is one of 2, 3"
    )
    assert why(
        ProductSubselect(SubselectAttribute.BASE_ROW_TOTAL, Op.GREATER, D("99.99"), ANY, ())
    ) == (
        "If total amount greater than 99.99 for a subselection of items in cart matching ANY "
        "of these conditions:"
    )


# --- Magento's JSON ---------------------------------------------------------------------------

CART_EXPORT = (
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Combine","attribute":null,'
    r'"operator":null,"value":"1","is_value_processed":null,"aggregator":"all","conditions":['
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Address",'
    r'"attribute":"base_subtotal_with_discount","operator":">=","value":"100",'
    r'"is_value_processed":false},'
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Found","attribute":null,'
    r'"operator":null,"value":"1","is_value_processed":null,"aggregator":"all","conditions":['
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Product","attribute":"category_ids",'
    r'"operator":"()","value":"3, 4","is_value_processed":false},'
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Combine","attribute":null,'
    r'"operator":null,"value":"0","is_value_processed":null,"aggregator":"any","conditions":['
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Product",'
    r'"attribute":"quote_item_qty","operator":">","value":"5","is_value_processed":false}]}]},'
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Subselect",'
    r'"attribute":"base_row_total","operator":">=","value":"50","is_value_processed":null,'
    r'"aggregator":"any"},'
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Segment","attribute":null,'
    r'"operator":"!()","value":"1, 2","is_value_processed":false},'
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Combine","attribute":null,'
    r'"operator":null,"value":"1","is_value_processed":null,"aggregator":"any","conditions":['
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Address","attribute":"country_id",'
    r'"operator":"==","value":"US","is_value_processed":false},'
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Address","attribute":"postcode",'
    r'"operator":"{}","value":"100","is_value_processed":false}]}]}'
)

CATALOG_EXPORT = (
    r'{"type":"Magento\\CatalogRule\\Model\\Rule\\Condition\\Combine","attribute":null,'
    r'"operator":null,"value":"1","is_value_processed":null,"aggregator":"all","conditions":['
    r'{"type":"Magento\\CatalogRule\\Model\\Rule\\Condition\\Product","attribute":"category_ids",'
    r'"operator":"==","value":"3","is_value_processed":false},'
    r'{"type":"Magento\\CatalogRule\\Model\\Rule\\Condition\\Combine","attribute":null,'
    r'"operator":null,"value":"0","is_value_processed":null,"aggregator":"any","conditions":['
    r'{"type":"Magento\\CatalogRule\\Model\\Rule\\Condition\\Product","attribute":"sku",'
    r'"operator":"()","value":"MUG-1, LAMP-9","is_value_processed":false}]}]}'
)

ACTIONS_EXPORT = (
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Combine","attribute":null,'
    r'"operator":null,"value":"1","is_value_processed":null,"aggregator":"all","conditions":['
    r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Product","attribute":"price",'
    r'"operator":">=","value":"20","is_value_processed":false}]}'
)


@pytest.mark.parametrize(
    ("text", "parse", "dump"),
    [
        (CART_EXPORT, mj.parse_cart_conditions, mj.dump_cart_conditions),
        (CATALOG_EXPORT, mj.parse_catalog_conditions, mj.dump_catalog_conditions),
        (ACTIONS_EXPORT, mj.parse_cart_actions, mj.dump_cart_actions),
    ],
)
def test_magento_export_round_trips(text: str, parse: Any, dump: Any) -> None:
    tree = parse(text)
    assert dump(tree) == text
    assert parse(dump(tree)) == tree


def test_parsed_cart_export_is_the_typed_tree() -> None:
    tree = mj.parse_cart_conditions(CART_EXPORT)
    assert tree == CartCombine(
        ALL,
        True,
        (
            attr(CartAttribute.BASE_SUBTOTAL_WITH_DISCOUNT, Op.GREATER_OR_EQUAL, D(100)),
            ProductFound(
                True,
                ALL,
                (
                    leaf("category_ids", Op.ONE_OF, ("3", "4")),
                    ProductCombine(ANY, False, (leaf("quote_item_qty", Op.GREATER, D(5)),)),
                ),
            ),
            ProductSubselect(SubselectAttribute.BASE_ROW_TOTAL, Op.GREATER_OR_EQUAL, D(50), ANY),
            CustomerSegmentCondition(Op.NOT_ONE_OF, (1, 2)),
            CartCombine(
                ANY,
                True,
                (
                    attr(CartAttribute.COUNTRY_ID, Op.IS, "US"),
                    attr(CartAttribute.POSTCODE, Op.CONTAINS, "100"),
                ),
            ),
        ),
    )
    assert dump_tree(tree).conditions[3] == RuleConditionDraft(
        RuleConditionType.CUSTOMER_SEGMENT, operator="!()", value=("1", "2")
    )


def test_empty_and_missing_texts_are_an_empty_root() -> None:
    for text in (None, "", "[]"):
        assert mj.parse_cart_conditions(text) == CartCombine()
        assert mj.parse_cart_actions(text) == ProductCombine()
    assert json.loads(mj.dump_cart_actions(ProductCombine())) == {
        "type": "Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Combine",
        "attribute": None,
        "operator": None,
        "value": "1",
        "is_value_processed": None,
        "aggregator": "all",
    }


def problems(error: DomainError) -> list[tuple[str, str, str]]:
    return [(p.code.value, p.path, p.message) for p in error.problems]


def test_malformed_json_reports_every_problem_with_its_path() -> None:
    text = json.dumps(
        {
            "type": "Magento\\SalesRule\\Model\\Rule\\Condition\\Combine",
            "aggregator": "all",
            "value": "1",
            "conditions": [
                {"type": "Magento\\CatalogRule\\Model\\Rule\\Condition\\Product"},
                {
                    "type": "Magento\\SalesRule\\Model\\Rule\\Condition\\Address",
                    "attribute": {"x": 1},
                },
                "not an object",
            ],
        }
    )
    with pytest.raises(InputInvalid) as raised:
        mj.parse_cart_conditions(text, path="input.conditions_serialized")
    assert problems(raised.value) == [
        (
            "UNKNOWN_CONDITION",
            "input.conditions_serialized.conditions.0.type",
            "Unknown condition class 'Magento\\CatalogRule\\Model\\Rule\\Condition\\Product'.",
        ),
        ("INVALID", "input.conditions_serialized.conditions.1.attribute", "Expected a string."),
        (
            "INVALID",
            "input.conditions_serialized.conditions.2",
            "A condition must be a JSON object.",
        ),
    ]
    with pytest.raises(InputInvalid) as raised:
        mj.parse_cart_conditions("{", path="p")
    assert raised.value.problems[0].path == "p"
    assert raised.value.problems[0].message.startswith("Not valid JSON")


def cart_json(*conditions: dict[str, Any]) -> str:
    return json.dumps(
        {
            "type": "Magento\\SalesRule\\Model\\Rule\\Condition\\Combine",
            "value": "1",
            "aggregator": "all",
            "conditions": list(conditions),
        }
    )


ADDRESS = "Magento\\SalesRule\\Model\\Rule\\Condition\\Address"
FOUND = "Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Found"
PRODUCT = "Magento\\SalesRule\\Model\\Rule\\Condition\\Product"
SEGMENT = "Magento\\CustomerSegment\\Model\\Segment\\Condition\\Segment"


def test_bad_values_and_operators_are_rejected_with_paths() -> None:
    text = cart_json(
        {"type": ADDRESS, "attribute": "base_subtotal", "operator": "{}", "value": "10"},
        {"type": ADDRESS, "attribute": "grand_total", "operator": "==", "value": "10"},
        {"type": ADDRESS, "attribute": "total_qty", "operator": ">=", "value": "lots"},
        {"type": ADDRESS, "attribute": "country_id", "operator": "==", "value": "USA"},
        {
            "type": FOUND,
            "value": "1",
            "aggregator": "all",
            "conditions": [
                {"type": PRODUCT, "attribute": "category_ids", "operator": ">=", "value": "3"},
                {"type": PRODUCT, "attribute": "category_ids", "operator": "==", "value": "x"},
                {"type": PRODUCT, "attribute": "price", "operator": "==", "value": ""},
            ],
        },
        {"type": SEGMENT, "operator": "{}", "value": "1"},
        {"type": SEGMENT, "operator": "==", "value": "one"},
        {"type": ADDRESS, "attribute": "postcode", "operator": "==", "value": "1"},
    )
    with pytest.raises(InputInvalid) as raised:
        mj.parse_cart_conditions(text, path="c")
    assert problems(raised.value) == [
        (
            "INVALID_OPERATOR",
            "c.conditions.0.operator",
            "Operator '{}' is not allowed here; use one of ==, !=, >=, >, <=, <, (), !().",
        ),
        ("UNKNOWN_ATTRIBUTE", "c.conditions.1.attribute", "Unknown cart attribute 'grand_total'."),
        ("INVALID_VALUE", "c.conditions.2.value", "'lots' is not a number."),
        ("INVALID_VALUE", "c.conditions.3.value", "'USA' is not a two-letter country code."),
        (
            "INVALID_OPERATOR",
            "c.conditions.4.conditions.0.operator",
            "Operator '>=' is not allowed here; use one of ==, !=, {}, !{}, (), !().",
        ),
        ("INVALID_VALUE", "c.conditions.4.conditions.1.value", "'x' is not a category id."),
        ("REQUIRED", "c.conditions.4.conditions.2.value", "A value is required."),
        (
            "INVALID_OPERATOR",
            "c.conditions.5.operator",
            "Operator '{}' is not allowed here; use one of ==, !=, (), !().",
        ),
        ("INVALID_VALUE", "c.conditions.6.value", "'one' is not a segment id."),
    ]


def test_catalog_rules_take_neither_cart_lines_nor_cart_nodes() -> None:
    text = json.dumps(
        {
            "type": "Magento\\CatalogRule\\Model\\Rule\\Condition\\Combine",
            "conditions": [
                {
                    "type": "Magento\\CatalogRule\\Model\\Rule\\Condition\\Product",
                    "attribute": "quote_item_qty",
                    "operator": ">=",
                    "value": "2",
                },
                {"type": SEGMENT, "operator": "==", "value": "1"},
            ],
        }
    )
    with pytest.raises(InputInvalid) as raised:
        mj.parse_catalog_conditions(text, path="c")
    assert problems(raised.value) == [
        (
            "UNKNOWN_CONDITION",
            "c.conditions.1.type",
            f"Unknown condition class '{SEGMENT}'.",
        ),
    ]
    draft = mj.loads(
        json.dumps(
            {
                "type": "Magento\\CatalogRule\\Model\\Rule\\Condition\\Combine",
                "conditions": [
                    {
                        "type": "Magento\\CatalogRule\\Model\\Rule\\Condition\\Product",
                        "attribute": "quote_item_qty",
                        "operator": ">=",
                        "value": "2",
                    }
                ],
            }
        ),
        TreeKind.CATALOG_CONDITIONS,
        "c",
    )
    with pytest.raises(InputInvalid) as raised:
        build_tree(draft, TreeKind.CATALOG_CONDITIONS, path="c")
    assert problems(raised.value) == [
        (
            "UNKNOWN_ATTRIBUTE",
            "c.conditions.0.attribute",
            "'quote_item_qty' applies to cart rules only.",
        )
    ]


# --- checked against the database ---------------------------------------------------------------


async def _promo_attribute(code: str, backend: BackendType, frontend: FrontendInput) -> int:
    attribute = await EavAttribute.create(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code=code,
        backend_type=backend,
        frontend_input=frontend,
        frontend_label=code,
    )
    await CatalogEavAttribute.create(attribute=attribute, is_used_for_promo_rules=True)
    return attribute.attribute_id


async def test_checking_knows_segments_categories_and_promo_attributes(db: Any) -> None:
    segment = await MagentoCustomersegmentSegment.create(name="VIP")
    await _promo_attribute("brand", BackendType.INT, FrontendInput.SELECT)
    category = await CatalogCategoryEntity.create(path="1/2/90", level=2, parent_id=2, name="Mugs")
    text = cart_json(
        {"type": SEGMENT, "operator": "()", "value": f"{segment.segment_id}, 999"},
        {
            "type": FOUND,
            "value": "1",
            "aggregator": "all",
            "conditions": [
                {
                    "type": PRODUCT,
                    "attribute": "category_ids",
                    "operator": "==",
                    "value": f"{category.entity_id}, 998",
                },
                {"type": PRODUCT, "attribute": "shoe_size", "operator": "==", "value": "9"},
                {"type": PRODUCT, "attribute": "brand", "operator": "==", "value": "1"},
            ],
        },
    )
    draft = mj.loads(text, TreeKind.CART_CONDITIONS, "c")
    with pytest.raises(InputInvalid) as raised:
        await check_cart_conditions(draft, "c")
    assert [(p.code, p.path) for p in raised.value.problems] == [
        (ProblemCode.UNKNOWN_SEGMENT, "c.conditions.0.value"),
        (ProblemCode.NOT_FOUND, "c.conditions.1.conditions.0.value"),
        (ProblemCode.UNKNOWN_ATTRIBUTE, "c.conditions.1.conditions.1.attribute"),
    ]
    assert raised.value.problems[0].message == "Unknown segment id(s): 999."
    assert raised.value.problems[1].message == "Unknown category id(s): 998."
    # Stored trees are read without the database: unknown codes are kept as text.
    assert mj.parse_cart_conditions(text).conditions[0] == CustomerSegmentCondition(
        Op.ONE_OF, (segment.segment_id, 999)
    )
    ok = await check_catalog_conditions(
        mj.loads(
            json.dumps(
                {
                    "type": "Magento\\CatalogRule\\Model\\Rule\\Condition\\Combine",
                    "conditions": [
                        {
                            "type": "Magento\\CatalogRule\\Model\\Rule\\Condition\\Product",
                            "attribute": "category_ids",
                            "operator": "==",
                            "value": str(category.entity_id),
                        }
                    ],
                }
            ),
            TreeKind.CATALOG_CONDITIONS,
            "c",
        ),
        "c",
    )
    assert ok == ProductCombine(ALL, True, (leaf("category_ids", Op.IS, str(category.entity_id)),))


async def test_load_product_facts_reads_categories_and_promo_values(db: Any) -> None:
    mug = await CatalogProductEntity.create(
        attribute_set_id=4, sku="RC-MUG", name="Rule Mug", price=D("12.50")
    )
    lamp = await CatalogProductEntity.create(
        attribute_set_id=4, sku="RC-LAMP", name="Rule Lamp", price=D(40)
    )
    first = await CatalogCategoryEntity.create(path="1/2/91", level=2, parent_id=2, name="A")
    second = await CatalogCategoryEntity.create(path="1/2/92", level=2, parent_id=2, name="B")
    await CatalogCategoryProduct.create(category=first, product=mug)
    await CatalogCategoryProduct.create(category=second, product=mug)
    size = await _promo_attribute("rc_size", BackendType.INT, FrontendInput.SELECT)
    tags = await _promo_attribute("rc_tags", BackendType.VARCHAR, FrontendInput.MULTISELECT)
    await CatalogProductEntityInt.create(attribute_id=size, entity=mug, store_id=0, value=7)
    await CatalogProductEntityInt.create(attribute_id=size, entity=mug, store_id=1, value=8)
    await CatalogProductEntityVarchar.create(
        attribute_id=tags, entity=lamp, store_id=0, value="3,5"
    )

    facts = await load_product_facts([mug.entity_id, lamp.entity_id, 999_999])
    assert sorted(facts) == sorted([mug.entity_id, lamp.entity_id])
    assert facts[mug.entity_id].category_ids == {first.entity_id, second.entity_id}
    assert facts[lamp.entity_id].category_ids == frozenset()
    assert facts[mug.entity_id].custom == {"rc_size": 7}  # store 0 only
    assert facts[lamp.entity_id].custom == {"rc_tags": frozenset({"3", "5"})}
    assert product_matches(leaf("rc_size", Op.IS, "7"), facts[mug.entity_id])
    assert product_matches(leaf("rc_tags", Op.CONTAINS, ("5",)), facts[lamp.entity_id])
    assert product_matches(leaf("category_ids", Op.IS, str(second.entity_id)), facts[mug.entity_id])
    assert await load_product_facts([]) == {}
