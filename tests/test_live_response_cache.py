"""The full-response cache, through HTTP: a repeated hot storefront query is answered from the
cache with the very same bytes (`X-Mageseg-Cache: HIT`), and any change that can alter the answer
(the cart, the customer, a segment, the configuration, the token) makes the next answer a MISS
with the new, correct data. Errors are never kept, and callers never share an answer."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_carts import make_product
from tests.test_customers_admin import save_config
from tests.test_segments_storefront import ADD, CUSTOMER_SEGMENTS, given_segments, guest_cart
from tests.test_segments_support import combine, create_segment

UPDATE_NAME = """
mutation ($name: String!) { updateCustomerV2(input: {firstname: $name}) { customer { firstname } } }
"""
REVOKE = "mutation { revokeCustomerToken { result } }"
STORE_CONFIG = "{ storeConfig { code share_active_segments } }"


async def post(
    client: Any, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> tuple[str, bytes, int]:
    """The cache header, the raw body and the status of one request."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    return response.headers.get("X-Mageseg-Cache", ""), await response.read(), response.status


def data(body: bytes) -> Any:
    return json.loads(body)


async def test_a_repeated_query_is_a_hit_with_the_same_bytes(client: Any, admin_token: str) -> None:
    uids = await given_segments(client, admin_token)
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))

    first = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    second = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    third = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)

    assert (first[0], second[0], third[0]) == ("MISS", "HIT", "HIT")
    assert first[1] == second[1] == third[1]
    assert data(second[1]) == {
        "data": {"customerSegments": [{"uid": uids["ann"]}, {"uid": uids["everyone"]}]}
    }


async def test_a_customer_change_makes_the_next_answer_a_miss(
    client: Any, admin_token: str
) -> None:
    uids = await given_segments(client, admin_token)
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))
    await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)

    renamed = await gql(client, UPDATE_NAME, {"name": "Bob"}, token=ann)
    after = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    again = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)

    assert renamed.errors == []
    assert after[0] == "MISS"
    assert data(after[1]) == {"data": {"customerSegments": [{"uid": uids["everyone"]}]}}
    assert again[0] == "HIT"


async def test_a_cart_change_makes_the_next_answer_a_miss(client: Any, admin_token: str) -> None:
    uids = await given_segments(client, admin_token)
    await make_product("mug", "20.00")
    cart_id = await guest_cart(client, "mug", 2)
    await post(client, CUSTOMER_SEGMENTS, {"cart": cart_id})
    warm = await post(client, CUSTOMER_SEGMENTS, {"cart": cart_id})

    await gql(client, ADD, {"id": cart_id, "sku": "mug", "qty": 1})
    after = await post(client, CUSTOMER_SEGMENTS, {"cart": cart_id})

    assert warm[0] == "HIT"
    assert data(warm[1]) == {"data": {"customerSegments": [{"uid": uids["everyone"]}]}}
    assert after[0] == "MISS"
    assert data(after[1]) == {
        "data": {"customerSegments": [{"uid": uids["big_cart"]}, {"uid": uids["everyone"]}]}
    }


async def test_a_segment_change_makes_the_next_answer_a_miss(client: Any, admin_token: str) -> None:
    uids = await given_segments(client, admin_token)
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))
    await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    warm = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)

    added = await create_segment(client, admin_token, combine(), apply_to="REGISTERED")
    after = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)

    assert warm[0] == "HIT"
    assert after[0] == "MISS"
    assert data(after[1]) == {
        "data": {
            "customerSegments": [
                {"uid": uids["ann"]},
                {"uid": uids["everyone"]},
                {"uid": added["uid"]},
            ]
        }
    }


async def test_a_config_change_makes_the_next_answer_a_miss(client: Any, admin_token: str) -> None:
    await given_segments(client, admin_token)
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))
    await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    await post(client, STORE_CONFIG)
    warm = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    warm_config = await post(client, STORE_CONFIG)

    await save_config(client, admin_token, "SHARE_ACTIVE_SEGMENTS", "0")
    after = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    after_config = await post(client, STORE_CONFIG)

    assert (warm[0], warm_config[0]) == ("HIT", "HIT")
    assert after[0] == "MISS"
    assert data(after[1])["errors"][0]["message"] == (
        "Applied customer segments are not enabled in configuration."
    )
    assert after_config[0] == "MISS"
    assert data(after_config[1]) == {
        "data": {"storeConfig": {"code": "default", "share_active_segments": False}}
    }


async def test_errors_are_never_cached(client: Any, admin_token: str) -> None:
    first = await post(client, CUSTOMER_SEGMENTS, {"cart": "no-such-cart"})
    second = await post(client, CUSTOMER_SEGMENTS, {"cart": "no-such-cart"})

    assert (first[0], second[0]) == ("MISS", "MISS")
    assert data(second[1])["errors"][0]["message"] == 'Could not find a cart with ID "no-such-cart"'


async def test_mutations_and_other_queries_are_never_cached(client: Any, admin_token: str) -> None:
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))
    query = "{ customer { email } }"

    answers = [await post(client, query, token=ann) for _ in range(2)]
    renames = [await post(client, UPDATE_NAME, {"name": "Ann"}, ann) for _ in range(2)]

    assert [a[0] for a in answers] == ["MISS", "MISS"]
    assert [r[0] for r in renames] == ["MISS", "MISS"]


async def test_callers_never_share_an_answer(client: Any, admin_token: str) -> None:
    uids = await given_segments(client, admin_token)
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))
    bob = await token_for(await make_customer(email="bob@example.com", firstname="Bob"))
    await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)

    bob_first = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, bob)
    guest = await post(client, CUSTOMER_SEGMENTS, {"cart": ""})

    assert bob_first[0] == "MISS"
    assert data(bob_first[1]) == {"data": {"customerSegments": [{"uid": uids["everyone"]}]}}
    assert guest[0] == "MISS"
    assert data(guest[1])["errors"][0]["message"] == 'Required parameter "cartId" is missing'


async def test_a_revoked_token_is_not_served(client: Any, admin_token: str) -> None:
    await given_segments(client, admin_token)
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))
    await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    warm = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)

    revoked = await gql(client, REVOKE, token=ann)
    after = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)

    assert warm[0] == "HIT"
    assert revoked.data == {"revokeCustomerToken": {"result": True}}
    assert (after[0], after[2]) == ("MISS", 401)
    assert data(after[1])["errors"][0]["extensions"]["category"] == "graphql-authentication"


async def test_an_expired_token_is_not_served(client: Any, admin_token: str) -> None:
    await given_segments(client, admin_token)
    customer = await make_customer(email="ann@example.com", firstname="Ann")
    ann = await token_for(customer, lifetime=timedelta(milliseconds=700))
    await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    warm = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)

    await asyncio.sleep(0.8)
    after = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)

    assert warm[0] == "HIT"
    assert (after[0], after[2]) == ("MISS", 401)


async def test_a_hit_costs_one_cache_round_trip(
    client: Any, admin_token: str, services: Any
) -> None:
    from tests.test_live_cache import Flaky

    await given_segments(client, admin_token)
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))
    await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    counting = Flaky(services.cache._backend)
    services.cache._backend = counting

    hit = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)

    assert hit[0] == "HIT"
    assert counting.calls == 1
