"""Input values past their limits (`graph/limits.py`): one `graphql-input` error per value, with
the argument's path, the same on SQLite and PostgreSQL (which would refuse them itself, as an
internal error), and nothing written."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest

from graph.limits import json_depth, value_depth
from models import MagentoCustomersegmentSegment
from tests.graphql import gql
from tests.test_carts import guest_cart

CART = "query ($id: String!) { cart(cart_id: $id) { id } }"
EMAIL = "query ($e: String!) { isEmailAvailable(email: $e) { is_email_available } }"
SEARCH = "query ($s: String) { products(search: $s) { total_count } }"
COUPON = """
mutation ($id: String!, $code: String!) {
  applyCouponToCart(input: {cart_id: $id, coupon_code: $code}) { cart { id } }
}
"""
ADD = """
mutation ($id: String!, $items: [CartItemInput!]!) {
  addProductsToCart(cartId: $id, cartItems: $items) { cart { id } }
}
"""
GROUP = "query ($uid: ID!) { adminCustomerGroup(uid: $uid) { code } }"
CREATE_SEGMENT = """
mutation ($input: SegmentCreateInput!) {
  adminCreateSegment(input: $input) { segment { uid } user_errors { message } }
}
"""
CREATE_PRODUCT = """
mutation ($input: ProductCreateInput!) {
  adminCreateProduct(input: $input) { product { sku } user_errors { message } }
}
"""
CREATE_RULE = """
mutation ($input: CartRuleInput!) {
  adminCreateCartRule(input: $input) { cart_rule { uid } user_errors { message } }
}
"""
CREATE_ATTRIBUTE = """
mutation ($input: CustomAttributeCreateInput!) {
  adminCreateCustomAttribute(input: $input) { attribute { code } user_errors { message } }
}
"""


def deep_magento_json(levels: int) -> str:
    node: dict[str, Any] = {"type": "Magento\\CustomerSegment\\Model\\Segment\\Condition\\Combine"}
    for _ in range(levels):
        node = {**node, "conditions": [dict(node)]}
    return json.dumps(node)


def deep_condition_input(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "COMBINE", "aggregator": "ALL", "value": "1"}
    for _ in range(levels):
        node = {"type": "COMBINE", "aggregator": "ALL", "value": "1", "conditions": [node]}
    return node


def refused(message: str, input_path: str, field: str) -> list[dict[str, Any]]:
    return [
        {
            "message": message,
            "path": [field],
            "extensions": {"category": "graphql-input", "input_path": input_path},
        }
    ]


def without_locations(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in e.items() if k != "locations"} for e in errors]


BIG_UID = base64.b64encode(b"99999999999999999999").decode()
CASES: list[tuple[str, str, dict[str, Any], bool, str, str, str]] = [
    # (id, document, variables, as admin, message, input path, root field)
    (
        "cart id of 33 characters",
        CART,
        {"id": "a" * 33},
        False,
        'Value of "cart_id" is longer than 32 characters.',
        "cart_id",
        "cart",
    ),
    (
        "NUL in a cart id",
        CART,
        {"id": "ab\x00c"},
        False,
        'Value of "cart_id" contains a NUL character.',
        "cart_id",
        "cart",
    ),
    (
        "NUL in an email",
        EMAIL,
        {"e": "ann\x00@example.com"},
        False,
        'Value of "email" contains a NUL character.',
        "email",
        "isEmailAvailable",
    ),
    (
        "text that is not UTF-8",
        EMAIL,
        {"e": "ann\ud800@example.com"},
        False,
        'Value of "email" is not valid UTF-8 text.',
        "email",
        "isEmailAvailable",
    ),
    (
        "NUL in a search",
        SEARCH,
        {"s": "shirt\x00"},
        False,
        'Value of "search" contains a NUL character.',
        "search",
        "products",
    ),
    (
        "coupon code of 256 characters",
        COUPON,
        {"id": "x", "code": "C" * 256},
        False,
        'Value of "input.coupon_code" is longer than 255 characters.',
        "input.coupon_code",
        "applyCouponToCart",
    ),
    (
        "quantity of 1e30",
        ADD,
        {"id": "x", "items": [{"sku": "a", "quantity": 1e30}]},
        False,
        'Value of "cartItems.0.quantity" is out of range (less than 10^8 in absolute value).',
        "cartItems.0.quantity",
        "addProductsToCart",
    ),
    (
        "price of 1e30",
        CREATE_PRODUCT,
        {"input": {"sku": "big", "name": "Big", "price": 1e30}},
        True,
        'Value of "input.price" is out of range (less than 10^14 in absolute value).',
        "input.price",
        "adminCreateProduct",
    ),
    (
        "discount amount of 1e30",
        CREATE_RULE,
        {"input": {"name": "Big", "discount_amount": -1e30}},
        True,
        'Value of "input.discount_amount" is out of range (less than 10^14 in absolute value).',
        "input.discount_amount",
        "adminCreateCartRule",
    ),
    (
        "sort order past smallint",
        CREATE_ATTRIBUTE,
        {
            "input": {
                "entity_type": "CUSTOMER",
                "frontend_input": "TEXT",
                "code": "big",
                "label": "Big",
                "sort_order": 40_000,
            }
        },
        True,
        'Value of "input.sort_order" is out of range (-32768 to 32767).',
        "input.sort_order",
        "adminCreateCustomAttribute",
    ),
    (
        "conditions_serialized nested 900 deep",
        CREATE_SEGMENT,
        {"input": {"name": "Deep", "conditions_serialized": deep_magento_json(450)}},
        True,
        'Value of "input.conditions_serialized" is nested deeper than 64 levels.',
        "input.conditions_serialized",
        "adminCreateSegment",
    ),
]


@pytest.mark.parametrize(
    ("document", "variables", "as_admin", "message", "input_path", "field"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
async def test_values_past_their_limits_are_input_errors(
    client: Any,
    admin_token: str,
    caplog: pytest.LogCaptureFixture,
    document: str,
    variables: dict[str, Any],
    as_admin: bool,
    message: str,
    input_path: str,
    field: str,
) -> None:
    response = await gql(client, document, variables, token=admin_token if as_admin else None)
    assert response.data is None
    assert without_locations(response.errors) == refused(message, input_path, field)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_condition_inputs_nested_too_deep_are_input_errors(
    client: Any, admin_token: str
) -> None:
    deep = {"name": "Deep", "conditions": deep_condition_input(40)}
    response = await gql(client, CREATE_SEGMENT, {"input": deep}, token=admin_token)
    assert response.data is None
    assert without_locations(response.errors) == [
        {
            "message": "Variables are nested deeper than 64 levels.",
            "extensions": {"category": "graphql-input"},
        }
    ]
    literal = json.dumps(deep_condition_input(40))
    for key in ("type", "aggregator", "value", "conditions"):
        literal = literal.replace(f'"{key}"', key)
    literal = literal.replace('"COMBINE"', "COMBINE").replace('"ALL"', "ALL")
    document = (
        'mutation { adminCreateSegment(input: {name: "Deep", conditions: '
        + literal
        + "}) { segment { uid } } }"
    )
    response = await gql(client, document, token=admin_token)
    assert response.data is None
    assert response.categories == ["graphql-input"]
    assert response.messages[0].endswith('" is nested deeper than 32 input objects.')
    assert await MagentoCustomersegmentSegment.all().count() == 0


async def test_every_problem_is_reported_at_once(client: Any) -> None:
    cart_id = await guest_cart(client)
    response = await gql(
        client,
        ADD,
        {
            "id": cart_id,
            "items": [{"sku": "s" * 65, "quantity": 1}, {"sku": "ok", "quantity": 1e9}],
        },
    )
    assert [(e["message"], e["extensions"]["input_path"]) for e in response.errors] == [
        ('Value of "cartItems.0.sku" is longer than 64 characters.', "cartItems.0.sku"),
        (
            'Value of "cartItems.1.quantity" is out of range (less than 10^8 in absolute value).',
            "cartItems.1.quantity",
        ),
    ]


async def test_literals_are_checked_as_variables_are(client: Any) -> None:
    response = await gql(client, '{ cart(cart_id: "' + "a" * 33 + '") { id } }')
    assert response.messages == ['Value of "cart_id" is longer than 32 characters.']


async def test_uids_past_64_bits_are_incorrect(client: Any, admin_token: str) -> None:
    response = await gql(client, GROUP, {"uid": BIG_UID}, token=admin_token)
    assert response.messages == [f'Value of uid "{BIG_UID}" is incorrect.']
    assert response.categories == ["graphql-input"]


async def test_values_within_their_limits_pass(client: Any) -> None:
    response = await gql(client, CART, {"id": "a" * 32})
    assert response.messages == ['Could not find a cart with ID "' + "a" * 32 + '"']


def test_depth_measures() -> None:
    assert json_depth('{"a": "[[[", "b": [{"c": []}]}') == 4
    assert value_depth({"a": [1, {"b": [[]]}]}) == 5
    assert value_depth("text") == 0
