"""Storefront segment eligibility (Adobe Commerce 2.4.9): `customer { segments }` and
`customerSegments(cartId)`, evaluated live, uid only, behind `share_active_segments`."""

from __future__ import annotations

from typing import Any

from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_carts import make_product
from tests.test_customers_admin import save_config
from tests.test_segments_support import combine, create_segment, leaf

CUSTOMER_SEGMENTS = "query ($cart: String!) { customerSegments(cartId: $cart) { uid } }"
CUSTOMER = "{ customer { email segments { uid } } }"
GUEST_CART = "mutation { createGuestCart { cart { id } } }"
ADD = """
mutation ($id: String!, $sku: String!, $qty: Float!) {
  addProductsToCart(cartId: $id, cartItems: [{sku: $sku, quantity: $qty}]) {
    user_errors { message }
  }
}
"""

NAMED_ANN = combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Ann"))
CART_OVER_50 = combine(leaf("CART_AMOUNT", "subtotal", "GREATER_OR_EQUAL", "50"))


async def given_segments(client: Any, admin_token: str) -> dict[str, str]:
    """Four segments: Ann (registered), big carts (visitors), everyone (both), and an inactive
    one that would match everyone."""
    ann = await create_segment(client, admin_token, NAMED_ANN, apply_to="REGISTERED")
    big_cart = await create_segment(client, admin_token, CART_OVER_50, apply_to="VISITOR")
    everyone = await create_segment(client, admin_token, combine(), apply_to="BOTH")
    await create_segment(client, admin_token, combine(), is_active=False)
    return {"ann": ann["uid"], "big_cart": big_cart["uid"], "everyone": everyone["uid"]}


async def guest_cart(client: Any, sku: str, qty: float) -> str:
    created = await gql(client, GUEST_CART)
    cart_id: str = created.data["createGuestCart"]["cart"]["id"]  # type: ignore[index]
    added = await gql(client, ADD, {"id": cart_id, "sku": sku, "qty": qty})
    assert added.data["addProductsToCart"]["user_errors"] == []  # type: ignore[index]
    return cart_id


async def test_a_customer_sees_the_registered_segments_they_are_in(
    client: Any, admin_token: str
) -> None:
    uids = await given_segments(client, admin_token)
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))
    bob = await token_for(await make_customer(email="bob@example.com", firstname="Bob"))

    ann_sees = await gql(client, CUSTOMER, token=ann)
    bob_sees = await gql(client, CUSTOMER_SEGMENTS, {"cart": ""}, token=bob)

    assert ann_sees.data == {
        "customer": {
            "email": "ann@example.com",
            "segments": [{"uid": uids["ann"]}, {"uid": uids["everyone"]}],
        }
    }
    assert bob_sees.data == {"customerSegments": [{"uid": uids["everyone"]}]}


async def test_a_guest_is_matched_by_their_cart_and_changes_take_effect_at_once(
    client: Any, admin_token: str
) -> None:
    uids = await given_segments(client, admin_token)
    await make_product("mug", "20.00")
    cart_id = await guest_cart(client, "mug", 2)

    small = await gql(client, CUSTOMER_SEGMENTS, {"cart": cart_id})
    await gql(client, ADD, {"id": cart_id, "sku": "mug", "qty": 1})
    big = await gql(client, CUSTOMER_SEGMENTS, {"cart": cart_id})

    assert small.data == {"customerSegments": [{"uid": uids["everyone"]}]}
    assert big.data == {"customerSegments": [{"uid": uids["big_cart"]}, {"uid": uids["everyone"]}]}


async def test_guests_need_a_cart_of_their_own(client: Any, admin_token: str) -> None:
    missing = await gql(client, CUSTOMER_SEGMENTS, {"cart": ""})
    unknown = await gql(client, CUSTOMER_SEGMENTS, {"cart": "no-such-cart"})

    assert missing.messages == ['Required parameter "cartId" is missing']
    assert missing.categories == ["graphql-input"]
    assert unknown.messages == ['Could not find a cart with ID "no-such-cart"']
    assert unknown.categories == ["graphql-no-such-entity"]


async def test_segments_stay_private_when_the_store_does_not_share_them(
    client: Any, admin_token: str
) -> None:
    await given_segments(client, admin_token)
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))
    await save_config(client, admin_token, "SHARE_ACTIVE_SEGMENTS", "0")

    response = await gql(client, CUSTOMER_SEGMENTS, {"cart": ""}, token=ann)

    assert response.data == {"customerSegments": None}
    assert response.messages == ["Applied customer segments are not enabled in configuration."]
    assert response.categories == ["graphql-authorization"]
