"""Caching as Magento 2.4.7+: `X-Magento-Cache-Id` (store, currency, group, signed in, segments,
salted), sent back by the client, and GET answers a CDN may keep, with Magento's headers."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from engine.cache_id import SALT_PATH, Factors, cache_id
from engine.uids import decode_uid
from mageseg.app import create_app
from mageseg.settings import Settings
from models import CoreConfigData
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_carts import make_product
from tests.test_segments_support import combine, create_segment, leaf
from tests.test_views import track

PEPPER = "pepper"
STORE_CONFIG = "query getStoreName { storeConfig { store_code store_name } }"
UPDATE_NAME = """
mutation ($name: String!) { updateCustomerV2(input: {firstname: $name}) { customer { firstname } } }
"""
NO_CACHE = "no-store, no-cache, must-revalidate, max-age=0"
PUBLIC = "public, max-age=86400, s-maxage=86400"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# The factors in the order of their names (CURRENCY, CUSTOMER_GROUP, CUSTOMER_SEGMENT,
# IS_LOGGED_IN, STORE), upper-cased, then the salt.
GUEST = sha(f"USD|0||FALSE|DEFAULT|{PEPPER}")
GENERAL = sha(f"USD|1||TRUE|DEFAULT|{PEPPER}")


@pytest.fixture
def app(settings: Settings, db: Any) -> web.Application:
    return create_app(replace(settings, cache_id_salt=PEPPER), manage_database=False)


async def cache_id_of(client: Any, token: str | None = None, **headers: str) -> str:
    response = await gql(client, STORE_CONFIG, token=token, headers=headers)
    assert response.errors == []
    assert response.headers["Cache-Control"] == NO_CACHE  # a POST is never kept by a CDN
    return response.headers["X-Magento-Cache-Id"]


async def get(client: Any, query: str, **headers: str) -> Any:
    return await client.get("/graphql", params={"query": query}, headers=headers)


def test_magentos_formula() -> None:
    assert cache_id(Factors("default", "USD", 0, False, ()), "s") == sha("USD|0||FALSE|DEFAULT|s")
    assert cache_id(Factors("fr", "EUR", 3, True, (12, 4)), "s") == sha("EUR|3|4,12|TRUE|FR|s")


async def test_shoppers_in_the_same_group_and_segments_share_an_id(
    client: Any, admin_token: str
) -> None:
    anns = await create_segment(
        client,
        admin_token,
        combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Ann")),
        apply_to="REGISTERED",
    )
    segment_id = decode_uid(anns["uid"])
    ann = await token_for(await make_customer("ann@example.com", firstname="Ann"))
    bob = await token_for(await make_customer("bob@example.com", firstname="Bob"))
    carl = await token_for(await make_customer("carl@example.com", firstname="Carl"))
    in_segment = sha(f"USD|1|{segment_id}|TRUE|DEFAULT|{PEPPER}")

    assert await cache_id_of(client) == GUEST
    assert await cache_id_of(client, bob) == GENERAL
    assert await cache_id_of(client, carl) == GENERAL
    assert await cache_id_of(client, ann) == in_segment

    # Bob becomes an Ann: he joins the segment, and his id changes with it (the cached answer
    # of his storeConfig, which carried the old id, is not served any more).
    assert (await gql(client, STORE_CONFIG, token=bob)).headers["X-Mageseg-Cache"] == "HIT"
    renamed = await gql(client, UPDATE_NAME, {"name": "Ann"}, token=bob)
    assert renamed.errors == []
    assert renamed.headers["X-Magento-Cache-Id"] == in_segment
    assert await cache_id_of(client, bob) == in_segment
    assert await cache_id_of(client, carl) == GENERAL


async def test_a_guests_segments_come_from_their_visitor(client: Any, admin_token: str) -> None:
    await make_product("mug", "10.00")
    viewed_mug = combine(
        {
            "type": "PRODUCT_HISTORY",
            "aggregator": "ALL",
            "operator": "IS",
            "value": ["viewed_history"],
            "conditions": [leaf("PRODUCT_ATTRIBUTE", "sku", "IS", "mug")],
        }
    )
    segment = await create_segment(client, admin_token, viewed_mug, apply_to="VISITOR")
    segment_id = decode_uid(segment["uid"])
    viewed = await track(client, "mug")
    assert viewed.visitor_header is not None

    visitor_id = await cache_id_of(client, **{"X-Magento-Visitor": viewed.visitor_header})

    assert visitor_id == sha(f"USD|0|{segment_id}|FALSE|DEFAULT|{PEPPER}")
    # A CDN may not keep this guest's GET answer under the anonymous key.
    response = await get(
        client, "{ storeConfig { store_code } }", **{"X-Magento-Visitor": viewed.visitor_header}
    )
    assert response.headers["Cache-Control"] == NO_CACHE
    assert response.headers["X-Magento-Cache-Id"] == visitor_id


async def test_get_queries_a_cdn_may_keep(client: Any) -> None:
    customer = await token_for(await make_customer())

    anonymous = await get(client, "{ storeConfig { store_code } }")
    echoed = await get(client, "{ storeConfig { store_code } }", **{"X-Magento-Cache-Id": GUEST})
    stale = await get(client, "{ storeConfig { store_code } }", **{"X-Magento-Cache-Id": "0" * 64})
    signed_in = await get(
        client, "{ storeConfig { store_code } }", Authorization=f"Bearer {customer}"
    )
    private = await get(client, "{ customer { firstname } }", Authorization=f"Bearer {customer}")
    failed = await get(client, "{ storeConfig { no_such_field } }")

    assert anonymous.status == 200
    assert await anonymous.json() == {"data": {"storeConfig": {"store_code": "default"}}}
    assert anonymous.headers["Cache-Control"] == PUBLIC
    assert anonymous.headers["Pragma"] == "cache"
    assert anonymous.headers["Vary"] == "Authorization, Store, X-Magento-Cache-Id"
    assert anonymous.headers["Expires"].endswith(" GMT")
    assert anonymous.headers["X-Magento-Cache-Id"] == GUEST
    assert echoed.headers["Cache-Control"] == PUBLIC
    # The id sent disagrees with the caller's: not kept, and the right id handed back.
    assert stale.headers["Cache-Control"] == NO_CACHE
    assert stale.headers["Pragma"] == "no-cache"
    assert stale.headers["X-Magento-Cache-Id"] == GUEST
    assert signed_in.headers["Cache-Control"] == NO_CACHE
    assert signed_in.headers["X-Magento-Cache-Id"] == GENERAL
    assert private.headers["Cache-Control"] == NO_CACHE
    assert failed.headers["Cache-Control"] == NO_CACHE


async def test_the_ttl_is_magentos_full_page_cache_setting(client: Any) -> None:
    await CoreConfigData.create(path="system/full_page_cache/ttl", value="600")

    response = await get(client, "{ storeConfig { store_code } }")

    assert response.headers["Cache-Control"] == "public, max-age=600, s-maxage=600"


async def test_an_unknown_store_gets_no_id(client: Any) -> None:
    response = await gql(client, STORE_CONFIG, store="nowhere")

    assert response.errors != []
    assert "X-Magento-Cache-Id" not in response.headers


async def test_without_a_configured_salt_one_is_generated_and_kept(
    settings: Settings, db: Any, aiohttp_client: Any
) -> None:
    unsalted = replace(settings, cache_id_salt=None)
    first: TestClient[Any, Any] = await aiohttp_client(create_app(unsalted, manage_database=False))
    second: TestClient[Any, Any] = await aiohttp_client(create_app(unsalted, manage_database=False))

    (row,) = await CoreConfigData.filter(path=SALT_PATH)
    assert row.value is not None
    assert len(row.value) == 32
    assert row.value.isalnum()
    one = await cache_id_of(first)
    assert one == sha(f"USD|0||FALSE|DEFAULT|{row.value}")
    assert await cache_id_of(second) == one
