"""`dynamicBlocks` as Venia asks for it (`GetCmsDynamicBlocks`, with PWA Studio's `cart_id` and
`product_uid`): the cart-rule blocks of the named cart, the segments of that cart's shopper (a
guest's cart carries its visitor), and the catalog-rule blocks of the product shown."""

from __future__ import annotations

import secrets
from typing import Any

from engine.uids import encode_uid
from models import CatalogProductEntity, CustomerVisitor, Quote, QuoteIdMask
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_carts import make_product
from tests.test_dynamic_blocks import (  # noqa: F401  (fixtures)
    GENERAL,
    NOT_LOGGED_IN,
    app,
    cart_rule,
    catalog_rule,
    clock,
    create_block,
    uid,
)
from tests.test_segments_support import combine, create_segment, leaf
from tests.test_views import track

# Venia (peregrine 15.7): `GetCmsDynamicBlocks` (its `salesRulesData @client` is Apollo's own
# field and never reaches the server).
GET_CMS_DYNAMIC_BLOCKS = """
query GetCmsDynamicBlocks(
  $cartId: String
  $productId: ID
  $type: DynamicBlockTypeEnum!
  $locations: [DynamicBlockLocationEnum]
  $uids: [ID]!
) {
  dynamicBlocks(
    input: {
      cart_id: $cartId
      product_uid: $productId
      dynamic_block_uids: $uids
      locations: $locations
      type: $type
    }
  ) {
    items {
      content {
        html
      }
      uid
    }
  }
}
"""


async def venia_blocks(
    client: Any,
    block_type: str,
    uids: list[str],
    *,
    cart: str | None = None,
    product: str | None = None,
    token: str | None = None,
) -> list[str]:
    response = await gql(
        client,
        GET_CMS_DYNAMIC_BLOCKS,
        {
            "cartId": cart,
            "productId": product,
            "type": block_type,
            "locations": ["CONTENT"],
            "uids": uids,
        },
        token=token,
    )
    assert response.errors == [], response.errors
    return [item["uid"] for item in response.data["dynamicBlocks"]["items"]]  # type: ignore[index]


async def masked_cart(
    *,
    customer_id: int | None = None,
    visitor_id: int | None = None,
    applied_rule_ids: str | None = None,
) -> str:
    quote = await Quote.create(
        store_id=1,
        customer_id=customer_id,
        visitor_id=visitor_id,
        customer_is_guest=customer_id is None,
        customer_group_id=GENERAL if customer_id is not None else NOT_LOGGED_IN,
        applied_rule_ids=applied_rule_ids,
    )
    masked = secrets.token_hex(16)
    await QuoteIdMask.create(quote_id=quote.entity_id, masked_id=masked)
    return masked


async def test_cart_rule_blocks_of_the_cart_venia_names(client: Any, admin_token: str) -> None:
    first = await cart_rule("First")
    second = await cart_rule("Second")
    block_first = await create_block(client, admin_token, cart_rule_uids=[uid(first)])
    block_second = await create_block(client, admin_token, cart_rule_uids=[uid(second)])
    both = [block_first, block_second]
    guest_cart = await masked_cart(applied_rule_ids=str(first))
    ann = await make_customer("ann@example.com")
    # Ann's older cart applied `second`; her latest (what a query without `cart_id` reads) none.
    ann_cart = await masked_cart(customer_id=ann.entity_id, applied_rule_ids=str(second))
    await masked_cart(customer_id=ann.entity_id)
    ann_token = await token_for(ann)

    assert await venia_blocks(client, "CART_PRICE_RULE_RELATED", both) == []
    assert await venia_blocks(client, "CART_PRICE_RULE_RELATED", both, cart=guest_cart) == [
        block_first
    ]
    assert await venia_blocks(client, "CART_PRICE_RULE_RELATED", both, token=ann_token) == []
    assert await venia_blocks(
        client, "CART_PRICE_RULE_RELATED", both, cart=ann_cart, token=ann_token
    ) == [block_second]


async def test_a_guest_cart_brings_the_segments_of_its_visitor(
    client: Any, admin_token: str
) -> None:
    """The visitor who made the cart viewed the mug: Venia sends no visitor header with
    `GetCmsDynamicBlocks`, the cart names the shopper."""
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
    block = await create_block(client, admin_token, segment_uids=[segment["uid"]])
    viewed = await track(client, "mug")
    visitor = await CustomerVisitor.get(session_id=viewed.visitor_header)
    cart = await masked_cart(visitor_id=visitor.visitor_id)
    stranger = await masked_cart()

    assert await venia_blocks(client, "SPECIFIED", [block]) == []
    assert await venia_blocks(client, "SPECIFIED", [block], cart=cart) == [block]
    assert await venia_blocks(client, "SPECIFIED", [block], cart=stranger) == []


async def test_catalog_rule_blocks_of_the_product_shown(client: Any, admin_token: str) -> None:
    shoes = await catalog_rule("Shoes", group_id=NOT_LOGGED_IN)
    hats = await catalog_rule("Hats", group_id=NOT_LOGGED_IN)
    block_shoes = await create_block(client, admin_token, catalog_rule_uids=[uid(shoes)])
    block_hats = await create_block(client, admin_token, catalog_rule_uids=[uid(hats)])
    both = [block_shoes, block_hats]
    shoe = await CatalogProductEntity.get(sku=f"sku-{shoes}")
    unrelated = await CatalogProductEntity.create(
        attribute_set_id=4, sku="plain", name="Plain", price=1
    )

    anywhere = await venia_blocks(client, "CATALOG_PRICE_RULE_RELATED", both)
    on_shoe = await venia_blocks(
        client, "CATALOG_PRICE_RULE_RELATED", both, product=encode_uid(shoe.entity_id)
    )
    on_plain = await venia_blocks(
        client, "CATALOG_PRICE_RULE_RELATED", both, product=encode_uid(unrelated.entity_id)
    )

    assert anywhere == [block_shoes, block_hats]
    assert on_shoe == [block_shoes]
    assert on_plain == []


async def test_another_shoppers_cart_is_refused(client: Any, admin_token: str) -> None:
    block = await create_block(client, admin_token)
    owner = await make_customer("owner@example.com")
    theirs = await masked_cart(customer_id=owner.entity_id)

    response = await gql(
        client,
        GET_CMS_DYNAMIC_BLOCKS,
        {"cartId": theirs, "type": "SPECIFIED", "uids": [block]},
    )

    assert response.data is None
    assert response.messages == [f'The current user cannot perform operations on cart "{theirs}"']
    assert response.categories == ["graphql-authorization"]
