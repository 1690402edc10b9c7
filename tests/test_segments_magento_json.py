"""Magento's `conditions_serialized` JSON: a pasted Adobe Commerce export round-trips, loose input
is normalized, and malformed input is rejected with every problem and its path."""

from __future__ import annotations

import json

import pytest

from engine.errors import InputInvalid, Problem, ProblemCode
from engine.segments.catalog import static_specs
from engine.segments.catalog_types import Catalog, Option
from engine.segments.drafts import ConditionDraft as D
from engine.segments.drafts import ConditionType as T
from engine.segments.magento_json import PHP_CLASSES, ROOT_CLASS, dumps, loads
from engine.segments.validate import build_tree, dump_tree
from models.segments import ApplyTo

CATALOG = Catalog(
    attributes={
        (s.subject, s.code): s
        for s in static_specs(
            groups=(Option("1", "General"),), regions=(Option("12", "California (US)"),)
        )
    },
    order_statuses=(Option("complete", "Complete"), Option("pending", "Pending")),
)
PATH = "input.conditions_serialized"

# As stored by Adobe Commerce 2.4 (Serializer\Json: compact, `/` escaped), with a Customer
# Address, a Shopping Cart total, a Product List with a category and a date range, a Sales Amount
# filtered by status and period, a nested Combination set to FALSE and a Newsletter condition.
MAGENTO_EXPORT = (
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Combine\\Root",'
    r'"attribute":null,"operator":null,"value":"1","is_value_processed":null,"aggregator":"all",'
    r'"conditions":['
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Customer\\Attributes",'
    r'"attribute":"email","operator":"{}","value":"@example.com","is_value_processed":false},'
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Customer\\Address",'
    r'"attribute":null,"operator":null,"value":null,"is_value_processed":null,"aggregator":"any",'
    r'"conditions":['
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Customer\\Address\\Attributes",'
    r'"attribute":"region_id","operator":"==","value":"12","is_value_processed":false},'
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Customer\\Address\\'
    r'DefaultAddress","attribute":null,"operator":"==","value":"default_billing",'
    r'"is_value_processed":false},'
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Customer\\Address\\Region",'
    r'"attribute":null,"operator":"==","value":"1","is_value_processed":false}]},'
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Shoppingcart\\Amount",'
    r'"attribute":"subtotal","operator":">=","value":"100","is_value_processed":false},'
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Product\\Combine\\ListCombine",'
    r'"attribute":null,"operator":"==","value":"shopping_cart","is_value_processed":null,'
    r'"aggregator":"all","conditions":['
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Product\\Attributes",'
    r'"attribute":"category_ids","operator":"()","value":"3, 5","is_value_processed":false},'
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Daterange",'
    r'"attribute":null,"operator":"==","value":"2024-01-01...2024-12-31",'
    r'"is_value_processed":false}]},'
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Sales\\Salesamount",'
    r'"attribute":"total","operator":">=","value":"500.00","is_value_processed":null,'
    r'"aggregator":"all","conditions":['
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Order\\Status",'
    r'"attribute":null,"operator":"==","value":"complete","is_value_processed":false},'
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Uptodate",'
    r'"attribute":null,"operator":">=","value":"365","is_value_processed":false}]},'
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Combine",'
    r'"attribute":null,"operator":null,"value":"0","is_value_processed":null,"aggregator":"any",'
    r'"conditions":['
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Product\\Combine\\History",'
    r'"attribute":null,"operator":"!=","value":"viewed_history","is_value_processed":null,'
    r'"aggregator":"all"},'
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Sales\\Ordersnumber",'
    r'"attribute":null,"operator":"==","value":"0","is_value_processed":null,"aggregator":"all"}'
    r"]},"
    r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Customer\\Newsletter",'
    r'"attribute":null,"operator":"==","value":"1","is_value_processed":false}]}'
)


def roundtrip(text: str) -> str:
    draft = loads(text, PATH)
    tree = build_tree(draft, CATALOG, apply_to=ApplyTo.BOTH, segment_id=None, references={})
    return dumps(dump_tree(tree))


def test_a_magento_export_round_trips() -> None:
    assert roundtrip(MAGENTO_EXPORT) == MAGENTO_EXPORT
    draft = loads(MAGENTO_EXPORT, PATH)
    assert [c.type for c in draft.conditions] == [
        T.CUSTOMER_ATTRIBUTE,
        T.CUSTOMER_ADDRESS,
        T.CART_AMOUNT,
        T.PRODUCT_LIST,
        T.SALES_AMOUNT,
        T.COMBINE,
        T.CUSTOMER_NEWSLETTER,
    ]
    assert draft.conditions[4] == D(
        T.SALES_AMOUNT,
        "total",
        ">=",
        "500.00",
        "all",
        (
            D(T.ORDER_STATUS, operator="==", value="complete"),
            D(T.UP_TO_DATE, operator=">=", value="365"),
        ),
    )


def test_every_class_round_trips_through_the_mapping_table() -> None:
    assert set(PHP_CLASSES) == set(T)
    assert len(set(PHP_CLASSES.values())) == len(T)
    assert PHP_CLASSES[T.SEGMENT] == "Mageseg\\CustomerSegment\\Condition\\Segment"
    segment = dumps(D(T.COMBINE, value="1", aggregator="all",
                      conditions=(D(T.SEGMENT, operator="!=", value="4"),)))  # fmt: skip
    assert segment == (
        r'{"type":"Magento\\CustomerSegment\\Model\\Segment\\Condition\\Combine\\Root",'
        r'"attribute":null,"operator":null,"value":"1","is_value_processed":null,'
        r'"aggregator":"all","conditions":[{"type":"Mageseg\\CustomerSegment\\Condition\\Segment",'
        r'"attribute":null,"operator":"!=","value":"4","is_value_processed":false}]}'
    )
    assert loads(segment, PATH).conditions == (D(T.SEGMENT, None, "!=", "4"),)


def test_loose_input_is_normalized() -> None:
    loose = {
        "type": "\\" + ROOT_CLASS,
        "aggregator": "any",
        "value": 1,
        "new_child": "",
        "conditions": [
            {
                "type": PHP_CLASSES[T.CUSTOMER_ATTRIBUTE],
                "attribute": "email",
                "operator": "==",
                "value": "a@x.com,b@x.com",
                "is_value_parsed": True,
            },
            {
                "type": PHP_CLASSES[T.CUSTOMER_STORE_CREDIT].upper(),
                "operator": ">",
                "value": 25.5,
            },
            {"type": PHP_CLASSES[T.CUSTOMER_ATTRIBUTE], "attribute": "group_id",
             "operator": "()", "value": [1]},
            {"type": PHP_CLASSES[T.CUSTOMER_NEWSLETTER], "value": False},
        ],
    }  # fmt: skip
    assert json.loads(roundtrip(json.dumps(loose, indent=2))) == {
        "type": ROOT_CLASS,
        "attribute": None,
        "operator": None,
        "value": "1",
        "is_value_processed": None,
        "aggregator": "any",
        "conditions": [
            {"type": PHP_CLASSES[T.CUSTOMER_ATTRIBUTE], "attribute": "email", "operator": "()",
             "value": "a@x.com, b@x.com", "is_value_processed": False},
            {"type": PHP_CLASSES[T.CUSTOMER_STORE_CREDIT], "attribute": None, "operator": ">",
             "value": "25.5", "is_value_processed": False},
            {"type": PHP_CLASSES[T.CUSTOMER_ATTRIBUTE], "attribute": "group_id",
             "operator": "()", "value": "1", "is_value_processed": False},
            {"type": PHP_CLASSES[T.CUSTOMER_NEWSLETTER], "attribute": None, "operator": "==",
             "value": "0", "is_value_processed": False},
        ],
    }  # fmt: skip


def test_multiselect_values_are_arrays_and_slashes_are_escaped() -> None:
    draft = D(
        T.COMBINE,
        value="1",
        aggregator="all",
        conditions=(
            D(T.CUSTOMER_ATTRIBUTE, "lastname", "==", "O'Neil/Smith"),
            D(T.CUSTOMER_ATTRIBUTE, "firstname", "==", "Zoë"),
            D(T.PRODUCT_ATTRIBUTE, "brand", "[]", ("7", "9")),
        ),
    )
    text = dumps(draft)
    assert '"value":"O\'Neil\\/Smith"' in text
    assert r'"value":"Zo\u00eb"' in text
    assert r'"value":["7","9"]' in text
    assert loads(text, PATH) == draft


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(InputInvalid) as caught:
        loads(text, PATH)
    return list(caught.value.problems)


def test_bad_json() -> None:
    assert problems_of("{") == [
        Problem(
            ProblemCode.INVALID,
            "Not valid JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1).",
            PATH,
        )
    ]
    assert problems_of("[]") == [
        Problem(ProblemCode.INVALID, "A condition must be a JSON object.", PATH)
    ]


def test_every_malformed_node_is_reported() -> None:
    text = json.dumps(
        {
            "type": ROOT_CLASS,
            "aggregator": "all",
            "conditions": [
                {"type": "Magento\\CustomerSegment\\Model\\Segment\\Condition\\Segment"},
                {"attribute": "email"},
                {"type": PHP_CLASSES[T.CUSTOMER_ATTRIBUTE], "value": {"a": 1}},
                {"type": PHP_CLASSES[T.CUSTOMER_ADDRESS], "conditions": {"0": {}}},
                "oops",
                {"type": PHP_CLASSES[T.PRODUCT_ATTRIBUTE], "value": ["1", ["2"]]},
                {"type": PHP_CLASSES[T.COMBINE], "conditions": [{"type": "Acme\\Foo"}]},
            ],
        }
    )
    c = f"{PATH}.conditions"
    assert problems_of(text) == [
        Problem(
            ProblemCode.UNKNOWN_CONDITION,
            "Unknown condition class 'Magento\\CustomerSegment\\Model\\Segment\\Condition\\"
            "Segment'.",
            f"{c}.0.type",
        ),
        Problem(ProblemCode.REQUIRED, "A condition needs a type.", f"{c}.1.type"),
        Problem(ProblemCode.INVALID, "Expected a string.", f"{c}.2.value"),
        Problem(ProblemCode.INVALID, "conditions must be a JSON array.", f"{c}.3.conditions"),
        Problem(ProblemCode.INVALID, "A condition must be a JSON object.", f"{c}.4"),
        Problem(ProblemCode.INVALID, "Expected a string.", f"{c}.5.value.1"),
        Problem(
            ProblemCode.UNKNOWN_CONDITION,
            "Unknown condition class 'Acme\\Foo'.",
            f"{c}.6.conditions.0.type",
        ),
    ]
