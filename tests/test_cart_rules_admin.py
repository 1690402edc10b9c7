"""Cart price rules for admins through HTTP: create, read, list, update and delete with every
`salesrule` field, labels, the primary coupon, typed and Magento-JSON conditions and actions, bad
input refused with nothing saved, and coupon generation as Magento's Massgenerator."""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from engine.invalidation import Topic
from engine.rules import magento_json as mj
from engine.rules.tree import CartCombine
from engine.uids import encode_uid
from models import (
    MagentoCustomersegmentSegment,
    Salesrule,
    SalesruleCoupon,
    SalesruleCustomerGroup,
    SalesruleLabel,
    SalesruleWebsite,
)
from tests.graphql import gql

RULE_FIELDS = """
uid id name description is_active website_uids customer_group_uids from_date to_date
uses_per_customer stop_rules_processing sort_order simple_action discount_amount discount_qty
discount_step apply_to_shipping simple_free_shipping coupon_type coupon_code uses_per_coupon
use_auto_generation times_used is_rss labels { store_uid label }
conditions { type attribute operator value aggregator
  conditions { type attribute operator value aggregator
    conditions { type attribute operator value aggregator } } }
conditions_serialized
actions { type attribute operator value aggregator conditions { type attribute operator value } }
actions_serialized
"""

CREATE = f"""
mutation ($input: CartRuleInput!) {{
  adminCreateCartRule(input: $input) {{
    cart_rule {{ {RULE_FIELDS} }}
    user_errors {{ code message path }}
  }}
}}
"""

UPDATE = f"""
mutation ($uid: ID!, $input: CartRuleInput!) {{
  adminUpdateCartRule(uid: $uid, input: $input) {{
    cart_rule {{ {RULE_FIELDS} }}
    user_errors {{ code message path }}
  }}
}}
"""

GET = f"query ($uid: ID!) {{ adminCartRule(uid: $uid) {{ {RULE_FIELDS} }} }}"

LIST = """
query ($filter: CartRuleFilterInput, $pageSize: Int, $currentPage: Int) {
  adminCartRules(filter: $filter, pageSize: $pageSize, currentPage: $currentPage) {
    items { id name sort_order }
    page_info { current_page page_size total_pages }
    total_count
  }
}
"""

DELETE = """
mutation ($uid: ID!) {
  adminDeleteCartRule(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""

GENERATE = """
mutation ($rule: ID!, $input: GenerateCouponsInput!) {
  adminGenerateCoupons(rule_uid: $rule, input: $input) {
    coupons { uid code rule_uid usage_limit usage_per_customer times_used expiration_date
              creation is_primary }
    user_errors { code message path }
  }
}
"""

COUPONS = """
query ($rule: ID!, $filter: CartRuleCouponFilterInput, $pageSize: Int) {
  adminCartRuleCoupons(rule_uid: $rule, filter: $filter, pageSize: $pageSize) {
    items { code creation is_primary }
    total_count
  }
}
"""

DELETE_COUPONS = """
mutation ($uids: [ID!]!) {
  adminDeleteCoupons(uids: $uids) { deleted_uids user_errors { code message path } }
}
"""

WEBSITE = encode_uid(1)
GENERAL = encode_uid(1)
NOT_LOGGED_IN = encode_uid(0)


def minimal(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Ten off",
        "website_uids": [WEBSITE],
        "customer_group_uids": [NOT_LOGGED_IN, GENERAL],
        **fields,
    }


async def create(client: Any, token: str, **fields: Any) -> dict[str, Any]:
    response = await gql(client, CREATE, {"input": minimal(**fields)}, token=token)
    assert response.errors == []
    assert response.data is not None
    out = response.data["adminCreateCartRule"]
    assert out["user_errors"] == [], out["user_errors"]
    return dict(out["cart_rule"])


async def refused(client: Any, token: str, input: dict[str, Any]) -> list[dict[str, str]]:
    before = await Salesrule.all().count()
    response = await gql(client, CREATE, {"input": input}, token=token)
    assert response.errors == []
    assert response.data is not None
    out = response.data["adminCreateCartRule"]
    assert out["cart_rule"] is None
    assert await Salesrule.all().count() == before
    return list(out["user_errors"])


TYPED_CONDITIONS = {
    "type": "COMBINE",
    "aggregator": "ALL",
    "value": ["1"],
    "conditions": [
        {
            "type": "CART_ATTRIBUTE",
            "attribute": "base_subtotal_with_discount",
            "operator": "GREATER_OR_EQUAL",
            "value": ["100"],
        },
        {
            "type": "PRODUCT_FOUND",
            "aggregator": "ANY",
            "value": ["1"],
            "conditions": [
                {"type": "PRODUCT", "attribute": "sku", "operator": "ONE_OF", "value": ["A", "B"]},
                {
                    "type": "PRODUCT",
                    "attribute": "quote_item_qty",
                    "operator": "GREATER",
                    "value": ["2"],
                },
            ],
        },
    ],
}


async def test_create_read_and_list_a_rule_with_every_field(client: Any, admin_token: str) -> None:
    segment = await MagentoCustomersegmentSegment.create(name="VIP")
    rule = await create(
        client,
        admin_token,
        name="  Summer sale  ",
        description="Admin note",
        is_active=True,
        from_date="2026-06-01",
        to_date="2026-08-31",
        uses_per_customer=2,
        stop_rules_processing=True,
        sort_order=5,
        simple_action="BY_PERCENT",
        discount_amount=15,
        discount_qty=4,
        discount_step=2,
        apply_to_shipping=True,
        simple_free_shipping="MATCHING_ITEMS_ONLY",
        coupon_type="SPECIFIC_COUPON",
        coupon_code=" SUMMER15 ",
        uses_per_coupon=100,
        is_rss=False,
        labels=[{"label": "Summer"}, {"store_uid": encode_uid(1), "label": "Sommer"}],
        conditions=TYPED_CONDITIONS,
        actions={
            "type": "COMBINE",
            "conditions": [
                {"type": "PRODUCT", "attribute": "price", "operator": "LESS", "value": ["50"]}
            ],
        },
    )
    rule_id = rule["id"]
    assert rule["uid"] == encode_uid(rule_id)
    expected_conditions = {
        "type": "COMBINE",
        "attribute": None,
        "operator": None,
        "value": ["1"],
        "aggregator": "ALL",
        "conditions": [
            {
                "type": "CART_ATTRIBUTE",
                "attribute": "base_subtotal_with_discount",
                "operator": "GREATER_OR_EQUAL",
                "value": ["100"],
                "aggregator": None,
                "conditions": [],
            },
            {
                "type": "PRODUCT_FOUND",
                "attribute": None,
                "operator": None,
                "value": ["1"],
                "aggregator": "ANY",
                "conditions": [
                    {
                        "type": "PRODUCT",
                        "attribute": "sku",
                        "operator": "ONE_OF",
                        "value": ["A", "B"],
                        "aggregator": None,
                    },
                    {
                        "type": "PRODUCT",
                        "attribute": "quote_item_qty",
                        "operator": "GREATER",
                        "value": ["2"],
                        "aggregator": None,
                    },
                ],
            },
        ],
    }
    assert {k: v for k, v in rule.items() if k not in ("uid", "id")} == {
        "name": "Summer sale",
        "description": "Admin note",
        "is_active": True,
        "website_uids": [WEBSITE],
        "customer_group_uids": [NOT_LOGGED_IN, GENERAL],
        "from_date": "2026-06-01",
        "to_date": "2026-08-31",
        "uses_per_customer": 2,
        "stop_rules_processing": True,
        "sort_order": 5,
        "simple_action": "BY_PERCENT",
        "discount_amount": 15.0,
        "discount_qty": 4.0,
        "discount_step": 2,
        "apply_to_shipping": True,
        "simple_free_shipping": "MATCHING_ITEMS_ONLY",
        "coupon_type": "SPECIFIC_COUPON",
        "coupon_code": "SUMMER15",
        "uses_per_coupon": 100,
        "use_auto_generation": False,
        "times_used": 0,
        "is_rss": False,
        "labels": [
            {"store_uid": None, "label": "Summer"},
            {"store_uid": encode_uid(1), "label": "Sommer"},
        ],
        "conditions": expected_conditions,
        "conditions_serialized": (
            r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Combine","attribute":null,'
            r'"operator":null,"value":"1","is_value_processed":null,"aggregator":"all",'
            r'"conditions":[{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Address",'
            r'"attribute":"base_subtotal_with_discount","operator":">=","value":"100",'
            r'"is_value_processed":false},{"type":"Magento\\SalesRule\\Model\\Rule\\Condition'
            r'\\Product\\Found","attribute":null,"operator":null,"value":"1",'
            r'"is_value_processed":null,"aggregator":"any","conditions":[{"type":"Magento\\'
            r'SalesRule\\Model\\Rule\\Condition\\Product","attribute":"sku","operator":"()",'
            r'"value":"A, B","is_value_processed":false},{"type":"Magento\\SalesRule\\Model\\'
            r'Rule\\Condition\\Product","attribute":"quote_item_qty","operator":">","value":"2",'
            r'"is_value_processed":false}]}]}'
        ),
        "actions": {
            "type": "COMBINE",
            "attribute": None,
            "operator": None,
            "value": ["1"],
            "aggregator": "ALL",
            "conditions": [
                {"type": "PRODUCT", "attribute": "price", "operator": "LESS", "value": ["50"]}
            ],
        },
        "actions_serialized": (
            r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Combine",'
            r'"attribute":null,"operator":null,"value":"1","is_value_processed":null,'
            r'"aggregator":"all","conditions":[{"type":"Magento\\SalesRule\\Model\\Rule\\'
            r'Condition\\Product","attribute":"price","operator":"<","value":"50",'
            r'"is_value_processed":false}]}'
        ),
    }
    # As stored: Magento's tables.
    row = await Salesrule.get(rule_id=rule_id)
    assert row.coupon_type == 2
    assert row.simple_free_shipping == 1
    assert isinstance(mj.parse_cart_conditions(row.conditions_serialized), CartCombine)
    coupon = await SalesruleCoupon.get(rule_id=rule_id)
    assert (coupon.code, coupon.usage_limit, coupon.usage_per_customer, coupon.is_primary) == (
        "SUMMER15",
        100,
        2,
        True,
    )
    assert coupon.expiration_date is not None
    assert coupon.expiration_date.replace(tzinfo=None) == datetime(2026, 8, 31)
    assert await SalesruleLabel.filter(rule_id=rule_id).count() == 2
    groups: list[Any] = list(
        await SalesruleCustomerGroup.filter(rule_id=rule_id).values_list(
            "customer_group_id", flat=True
        )
    )
    assert sorted(groups) == [0, 1]
    # Read back and in the list (priority order).
    response = await gql(client, GET, {"uid": rule["uid"]}, token=admin_token)
    assert response.data == {"adminCartRule": rule}
    await create(client, admin_token, name="First", sort_order=1)
    listed = await gql(client, LIST, {"filter": {"name": {"match": "s"}}}, token=admin_token)
    assert listed.data == {
        "adminCartRules": {
            "items": [
                {"id": rule_id + 1, "name": "First", "sort_order": 1},
                {"id": rule_id, "name": "Summer sale", "sort_order": 5},
            ],
            "page_info": {"current_page": 1, "page_size": 20, "total_pages": 1},
            "total_count": 2,
        }
    }
    by_code = await gql(client, LIST, {"filter": {"coupon_code": "SUMMER15"}}, token=admin_token)
    assert by_code.data is not None
    assert [i["id"] for i in by_code.data["adminCartRules"]["items"]] == [rule_id]
    # The segment in a condition, via Magento's JSON.
    await create(
        client,
        admin_token,
        name="VIP only",
        conditions_serialized=json.dumps(
            {
                "type": "Magento\\SalesRule\\Model\\Rule\\Condition\\Combine",
                "aggregator": "all",
                "value": "1",
                "conditions": [
                    {
                        "type": "Magento\\CustomerSegment\\Model\\Segment\\Condition\\Segment",
                        "operator": "==",
                        "value": str(segment.segment_id),
                    }
                ],
            }
        ),
    )


async def test_new_rules_take_magento_defaults(client: Any, admin_token: str) -> None:
    rule = await create(client, admin_token)
    assert {
        k: rule[k]
        for k in (
            "is_active",
            "simple_action",
            "discount_amount",
            "discount_qty",
            "coupon_type",
            "coupon_code",
            "stop_rules_processing",
            "sort_order",
            "simple_free_shipping",
            "labels",
            "from_date",
            "to_date",
            "actions_serialized",
        )
    } == {
        "is_active": False,
        "simple_action": "BY_PERCENT",
        "discount_amount": 0.0,
        "discount_qty": None,
        "coupon_type": "NO_COUPON",
        "coupon_code": None,
        "stop_rules_processing": False,
        "sort_order": 0,
        "simple_free_shipping": "NONE",
        "labels": [],
        "from_date": None,
        "to_date": None,
        "actions_serialized": (
            r'{"type":"Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Combine",'
            r'"attribute":null,"operator":null,"value":"1","is_value_processed":null,'
            r'"aggregator":"all"}'
        ),
    }
    assert rule["conditions"] == {
        "type": "COMBINE",
        "attribute": None,
        "operator": None,
        "value": ["1"],
        "aggregator": "ALL",
        "conditions": [],
    }


async def test_update_changes_only_what_is_given(client: Any, admin_token: str) -> None:
    rule = await create(
        client,
        admin_token,
        description="note",
        from_date="2026-01-01",
        to_date="2026-12-31",
        coupon_type="SPECIFIC_COUPON",
        coupon_code="KEEP",
        labels=[{"label": "Old"}],
        discount_qty=3,
    )
    response = await gql(
        client,
        UPDATE,
        {
            "uid": rule["uid"],
            "input": {
                "discount_amount": 20,
                "description": "",
                "from_date": "",
                "discount_qty": 0,
                "website_uids": [WEBSITE],
                "labels": [{"label": "New"}],
            },
        },
        token=admin_token,
    )
    assert response.data is not None
    out = response.data["adminUpdateCartRule"]
    assert out["user_errors"] == []
    updated = out["cart_rule"]
    changed = {k for k in rule if rule[k] != updated[k]}
    assert changed == {"discount_amount", "description", "from_date", "discount_qty", "labels"}
    assert (updated["description"], updated["from_date"], updated["discount_qty"]) == (
        None,
        None,
        None,
    )
    assert updated["labels"] == [{"store_uid": None, "label": "New"}]
    assert updated["coupon_code"] == "KEEP"
    # Switching to NO_COUPON removes the primary code (Rule::afterSave).
    response = await gql(
        client,
        UPDATE,
        {"uid": rule["uid"], "input": {"coupon_type": "NO_COUPON"}},
        token=admin_token,
    )
    assert response.data is not None
    assert response.data["adminUpdateCartRule"]["cart_rule"]["coupon_code"] is None
    assert await SalesruleCoupon.filter(rule_id=rule["id"]).count() == 0
    # A code can move to a new rule once its old rule no longer keeps it.
    await create(client, admin_token, coupon_type="SPECIFIC_COUPON", coupon_code="KEEP")


async def test_bad_input_is_refused_with_paths_and_nothing_saved(
    client: Any, admin_token: str
) -> None:
    await create(client, admin_token, coupon_type="SPECIFIC_COUPON", coupon_code="TAKEN")
    errors = await refused(
        client,
        admin_token,
        {
            "name": " ",
            "website_uids": [encode_uid(99)],
            "customer_group_uids": [encode_uid(77)],
            "from_date": "2026-05-02",
            "to_date": "2026-05-01",
            "discount_amount": 101,
            "discount_qty": -1,
            "uses_per_customer": -2,
            "labels": [{"store_uid": encode_uid(55), "label": "x"}],
        },
    )
    assert errors == [
        {
            "code": "REQUIRED",
            "message": '"name" is required. Enter and try again.',
            "path": "input.name",
        },
        {"code": "INVALID", "message": "End Date must follow Start Date.", "path": "input.to_date"},
        {
            "code": "INVALID",
            "message": "Maximum Qty must be 0 or greater.",
            "path": "input.discount_qty",
        },
        {
            "code": "INVALID",
            "message": "Uses per Customer must be 0 or greater.",
            "path": "input.uses_per_customer",
        },
        {
            "code": "INVALID",
            "message": "Percentage discount should be between 0 and 100.",
            "path": "input.discount_amount",
        },
        {
            "code": "NOT_FOUND",
            "message": 'Could not find a website with ID "99"',
            "path": "input.website_uids.0",
        },
        {
            "code": "NOT_FOUND",
            "message": "No such entity with id = 77",
            "path": "input.customer_group_uids.0",
        },
        {
            "code": "NOT_FOUND",
            "message": 'The store with the "55" ID wasn\'t found.',
            "path": "input.labels.0.store_uid",
        },
    ]
    assert await refused(
        client,
        admin_token,
        minimal(simple_action="BY_FIXED", discount_amount=-5),
    ) == [
        {
            "code": "INVALID",
            "message": "Discount Amount must be 0 or greater.",
            "path": "input.discount_amount",
        }
    ]
    assert await refused(
        client, admin_token, minimal(coupon_type="SPECIFIC_COUPON", coupon_code="TAKEN")
    ) == [
        {
            "code": "ALREADY_EXISTS",
            "message": "Coupon with the same code already exists.",
            "path": "input.coupon_code",
        }
    ]
    assert await refused(client, admin_token, minimal(coupon_type="SPECIFIC_COUPON")) == [
        {
            "code": "REQUIRED",
            "message": "A Specific Coupon rule needs a coupon code (or auto generation).",
            "path": "input.coupon_code",
        }
    ]
    assert await refused(
        client, admin_token, {"name": "x", "website_uids": [], "customer_group_uids": []}
    ) == [
        {"code": "REQUIRED", "message": "Please specify a website.", "path": "input.website_uids"},
        {
            "code": "REQUIRED",
            "message": "Please specify Customer Groups.",
            "path": "input.customer_group_uids",
        },
    ]
    # Conditions: unknown segment, typed and JSON at once.
    errors = await refused(
        client,
        admin_token,
        minimal(
            conditions={
                "type": "COMBINE",
                "conditions": [
                    {"type": "CUSTOMER_SEGMENT", "operator": "IS", "value": ["424242"]},
                    {"type": "PRODUCT", "attribute": "sku", "operator": "IS", "value": ["A"]},
                ],
            },
            actions={"type": "COMBINE"},
            actions_serialized="{}",
        ),
    )
    assert errors == [
        {
            "code": "UNKNOWN_SEGMENT",
            "message": "Unknown segment id(s): 424242.",
            "path": "input.conditions.conditions.0.value",
        },
        {
            "code": "UNKNOWN_CONDITION",
            "message": "PRODUCT is not allowed inside COMBINE.",
            "path": "input.conditions.conditions.1.type",
        },
        {
            "code": "INVALID",
            "message": "Give the conditions either typed or as Magento's JSON, not both.",
            "path": "input.actions_serialized",
        },
    ]
    # An update that fails leaves the rule as it was.
    rule = await create(client, admin_token, discount_amount=10)
    response = await gql(
        client,
        UPDATE,
        {"uid": rule["uid"], "input": {"discount_amount": 150, "name": "Changed"}},
        token=admin_token,
    )
    assert response.data is not None
    assert response.data["adminUpdateCartRule"]["cart_rule"] is None
    row = await Salesrule.get(rule_id=rule["id"])
    assert (row.name, row.discount_amount) == ("Ten off", Decimal(10))


async def test_delete_removes_the_rule_and_what_belongs_to_it(
    client: Any, admin_token: str
) -> None:
    rule = await create(
        client,
        admin_token,
        coupon_type="SPECIFIC_COUPON",
        coupon_code="GONE",
        labels=[{"label": "L"}],
    )
    response = await gql(client, DELETE, {"uid": rule["uid"]}, token=admin_token)
    assert response.data == {"adminDeleteCartRule": {"deleted_uid": rule["uid"], "user_errors": []}}
    for model in (SalesruleCoupon, SalesruleLabel, SalesruleWebsite, SalesruleCustomerGroup):
        assert await model.filter(rule_id=rule["id"]).count() == 0
    again = await gql(client, DELETE, {"uid": rule["uid"]}, token=admin_token)
    assert again.data == {
        "adminDeleteCartRule": {
            "deleted_uid": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": f'The rule with the "{rule["id"]}" ID wasn\'t found. '
                    "Verify the ID and try again.",
                    "path": "uid",
                }
            ],
        }
    }
    missing = await gql(client, GET, {"uid": rule["uid"]}, token=admin_token)
    assert missing.data == {"adminCartRule": None}
    assert missing.categories == ["graphql-no-such-entity"]


async def test_generate_coupons_as_massgenerator(client: Any, admin_token: str) -> None:
    rule = await create(
        client, admin_token, coupon_type="AUTO", to_date="2026-12-31", uses_per_coupon=1
    )
    response = await gql(
        client,
        GENERATE,
        {
            "rule": rule["uid"],
            "input": {
                "quantity": 5,
                "length": 6,
                "format": "NUMERIC",
                "prefix": "XMAS-",
                "suffix": "-26",
                "dash_every": 3,
                "uses_per_customer": 1,
            },
        },
        token=admin_token,
    )
    assert response.data is not None
    out = response.data["adminGenerateCoupons"]
    assert out["user_errors"] == []
    codes = [c["code"] for c in out["coupons"]]
    assert len(set(codes)) == 5
    assert all(re.fullmatch(r"XMAS-\d{3}-\d{3}-26", code) for code in codes), codes
    assert {
        (
            c["rule_uid"],
            c["usage_limit"],
            c["usage_per_customer"],
            c["times_used"],
            c["expiration_date"],
            c["creation"],
            c["is_primary"],
        )
        for c in out["coupons"]
    } == {(rule["uid"], 1, 1, 0, "2026-12-31", "GENERATED", False)}
    # Too many codes for the length: the length grows until a guess has at most a 25% chance
    # (40 numeric codes need 3 digits: 40 / 10^2 = 0.4, 40 / 10^3 = 0.04).
    response = await gql(
        client,
        GENERATE,
        {"rule": rule["uid"], "input": {"quantity": 40, "length": 1, "format": "NUMERIC"}},
        token=admin_token,
    )
    assert response.data is not None
    grown = [c["code"] for c in response.data["adminGenerateCoupons"]["coupons"]]
    assert len(grown) == 40
    assert all(re.fullmatch(r"\d{3}", c) for c in grown)
    listed = await gql(
        client,
        COUPONS,
        {"rule": rule["uid"], "filter": {"code": {"match": "XMAS"}}, "pageSize": 2},
        token=admin_token,
    )
    assert listed.data is not None
    assert listed.data["adminCartRuleCoupons"]["total_count"] == 5
    assert listed.data["adminCartRuleCoupons"]["items"][0]["code"] == codes[0]
    # Delete two generated codes.
    uids = [out["coupons"][0]["uid"], out["coupons"][1]["uid"]]
    deleted = await gql(client, DELETE_COUPONS, {"uids": uids}, token=admin_token)
    assert deleted.data is not None
    assert deleted.data["adminDeleteCoupons"]["user_errors"] == []
    assert sorted(deleted.data["adminDeleteCoupons"]["deleted_uids"]) == sorted(uids)
    assert await SalesruleCoupon.filter(rule_id=rule["id"]).count() == 43


async def test_generation_needs_an_auto_rule_and_sane_settings(
    client: Any, admin_token: str
) -> None:
    rule = await create(client, admin_token, coupon_type="SPECIFIC_COUPON", coupon_code="ONE")
    response = await gql(
        client, GENERATE, {"rule": rule["uid"], "input": {"quantity": 1}}, token=admin_token
    )
    assert response.data is not None
    assert response.data["adminGenerateCoupons"] == {
        "coupons": [],
        "user_errors": [
            {
                "code": "INVALID",
                "message": "The rule coupon settings changed. Please save the rule before "
                "using auto-generation.",
                "path": "rule_uid",
            }
        ],
    }
    auto = await create(
        client, admin_token, coupon_type="SPECIFIC_COUPON", use_auto_generation=True
    )
    assert auto["use_auto_generation"] is True
    assert auto["coupon_code"] is None
    response = await gql(
        client,
        GENERATE,
        {"rule": auto["uid"], "input": {"quantity": 0, "length": 40, "dash_every": -1}},
        token=admin_token,
    )
    assert response.data is not None
    assert [e["path"] for e in response.data["adminGenerateCoupons"]["user_errors"]] == [
        "input.quantity",
        "input.length",
        "input.dash_every",
    ]
    assert await SalesruleCoupon.filter(rule_id=auto["id"]).count() == 0
    # The rule's own code cannot be deleted as a coupon.
    primary = await SalesruleCoupon.get(rule_id=rule["id"])
    response = await gql(
        client, DELETE_COUPONS, {"uids": [encode_uid(primary.coupon_id)]}, token=admin_token
    )
    assert response.data is not None
    assert response.data["adminDeleteCoupons"]["user_errors"] == [
        {
            "code": "PROTECTED",
            "message": "The rule's own coupon code is changed or removed on the rule.",
            "path": "uids.0",
        }
    ]


@pytest.mark.parametrize("action", ["BY_FIXED", "CART_FIXED", "BUY_X_GET_Y"])
async def test_amounts_over_100_are_fine_for_fixed_actions(
    client: Any, admin_token: str, action: str
) -> None:
    rule = await create(client, admin_token, simple_action=action, discount_amount=150)
    assert (rule["simple_action"], rule["discount_amount"]) == (action, 150.0)


async def test_writes_bump_the_promotions_version_and_filters_narrow_the_list(
    client: Any, admin_token: str, services: Any
) -> None:
    async def version() -> int:
        (found,) = await services.cache.versions([(Topic.PROMOTIONS.value, "")])
        return int(found)

    start = await version()
    active = await create(client, admin_token, name="Active", is_active=True)
    after_create = await version()
    assert after_create != start
    await create(client, admin_token, name="Inactive")
    await gql(client, DELETE, {"uid": active["uid"]}, token=admin_token)
    assert await version() not in (start, after_create)
    remaining = await create(client, admin_token, name="On", is_active=True)
    by_flag = await gql(client, LIST, {"filter": {"is_active": True}}, token=admin_token)
    assert by_flag.data is not None
    assert [i["name"] for i in by_flag.data["adminCartRules"]["items"]] == ["On"]
    other = await gql(client, LIST, {"filter": {"website_uid": encode_uid(2)}}, token=admin_token)
    assert other.data is not None
    assert other.data["adminCartRules"]["total_count"] == 0
    mine = await gql(
        client,
        LIST,
        {"filter": {"website_uid": WEBSITE, "uid": {"eq": remaining["uid"]}}},
        token=admin_token,
    )
    assert mine.data is not None
    assert [i["name"] for i in mine.data["adminCartRules"]["items"]] == ["On"]
