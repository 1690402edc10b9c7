"""Dynamic blocks (Adobe Commerce `Magento_Banner`): admin CRUD, and the storefront's
`dynamicBlocks` with store-view content, locations, uids, segment targeting, blocks related to
cart rules applied to the customer's cart and to catalog rules in force for their website, group
and local day, and Magento's paging."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web
from tortoise.context import TortoiseContext

from engine.clock import ManualClock
from engine.stores import invalidate_stores
from engine.uids import decode_uid, encode_uid
from mageseg.app import create_app
from mageseg.settings import Settings
from models import (
    Catalogrule,
    CatalogruleProduct,
    MagentoBanner,
    MagentoBannerContent,
    Quote,
    Salesrule,
    Store,
)
from models.pricing import CatalogRuleAction
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_cart_discounts import APPLY_COUPON, customer_cart, make_rule
from tests.test_carts import add, make_product
from tests.test_segments_support import combine, create_segment, leaf
from tests.test_views import track

# 2026-06-16 03:00 UTC is 2026-06-15 22:00 in Chicago (website 1, UTC-5 in June).
T0 = datetime(2026, 6, 16, 3, 0, tzinfo=UTC)
CHICAGO_TODAY = date(2026, 6, 15)
GENERAL = 1  # customer group of make_customer
NOT_LOGGED_IN = 0

BLOCKS = """
query ($input: DynamicBlocksFilterInput, $pageSize: Int, $currentPage: Int) {
  dynamicBlocks(input: $input, pageSize: $pageSize, currentPage: $currentPage) {
    items { uid content { html } }
    page_info { current_page page_size total_pages }
    total_count
  }
}
"""
FIELDS = """
uid id name is_enabled sort_order locations
contents { store_uid html }
segment_uids cart_rule_uids catalog_rule_uids
"""
CREATE = f"""
mutation ($input: AdminDynamicBlockCreateInput!) {{
  adminCreateDynamicBlock(input: $input) {{
    dynamic_block {{ {FIELDS} }}
    user_errors {{ code message path }}
  }}
}}
"""
UPDATE = f"""
mutation ($uid: ID!, $input: AdminDynamicBlockUpdateInput!) {{
  adminUpdateDynamicBlock(uid: $uid, input: $input) {{
    dynamic_block {{ {FIELDS} }}
    user_errors {{ code message path }}
  }}
}}
"""
DELETE = """
mutation ($uid: ID!) {
  adminDeleteDynamicBlock(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""
ONE = f"query ($uid: ID!) {{ adminDynamicBlock(uid: $uid) {{ {FIELDS} }} }}"
LIST = """
query ($filter: AdminDynamicBlockFilterInput, $pageSize: Int, $currentPage: Int) {
  adminDynamicBlocks(filter: $filter, pageSize: $pageSize, currentPage: $currentPage) {
    items { uid name }
    page_info { current_page page_size total_pages }
    total_count
  }
}
"""


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def app(settings: Settings, db: TortoiseContext, clock: ManualClock) -> web.Application:
    return create_app(settings, manage_database=False, clock=clock)


def uid(entity_id: int) -> str:
    return encode_uid(entity_id)


async def create_block(client: Any, token: str, **fields: Any) -> str:
    block_input: dict[str, Any] = {"name": "Block", "contents": [{"html": "<p>x</p>"}]}
    block_input.update(fields)
    response = await gql(client, CREATE, {"input": block_input}, token=token)
    assert response.errors == [], response.errors
    output = response.data["adminCreateDynamicBlock"]  # type: ignore[index]
    assert output["user_errors"] == []
    block_uid: str = output["dynamic_block"]["uid"]
    return block_uid


async def shown(
    client: Any,
    block_type: str = "SPECIFIED",
    *,
    token: str | None = None,
    store: str | None = None,
    headers: dict[str, str] | None = None,
    **filters: Any,
) -> list[tuple[str, str]]:
    """The (uid, html) pairs the caller sees, all on one page."""
    response = await gql(
        client,
        BLOCKS,
        {"input": {"type": block_type, **filters}, "pageSize": 50},
        token=token,
        store=store,
        headers=headers,
    )
    assert response.errors == [], response.errors
    result = response.data["dynamicBlocks"]  # type: ignore[index]
    assert result["total_count"] == len(result["items"])
    return [(item["uid"], item["content"]["html"]) for item in result["items"]]


async def cart_rule(name: str) -> int:
    rule = await Salesrule.create(name=name, is_active=True)
    return rule.rule_id


async def catalog_rule(
    name: str,
    *,
    group_id: int = GENERAL,
    website_id: int = 1,
    from_date: date | None = None,
    to_date: date | None = None,
    is_active: bool = True,
) -> int:
    """A catalog rule indexed for one product, as H3's index writes `catalogrule_product`."""
    rule = await Catalogrule.create(
        name=name, is_active=is_active, from_date=from_date, to_date=to_date
    )
    product = await make_product(f"sku-{rule.rule_id}", "10.00")
    await CatalogruleProduct.create(
        rule_id=rule.rule_id,
        product_id=product.entity_id,
        from_date=from_date,
        to_date=to_date,
        customer_group_id=group_id,
        action_operator=CatalogRuleAction.BY_PERCENT,
        action_amount=Decimal(10),
        website_id=website_id,
    )
    return rule.rule_id


async def active_cart(customer_id: int, applied_rule_ids: str | None) -> None:
    """The customer's active cart with the rules the last totals collection applied."""
    await Quote.create(
        store_id=1,
        customer_id=customer_id,
        customer_is_guest=False,
        customer_group_id=GENERAL,
        applied_rule_ids=applied_rule_ids,
    )


# --- admin ------------------------------------------------------------------------------------


async def test_an_admin_creates_reads_lists_updates_and_deletes_a_block(
    client: Any, admin_token: str
) -> None:
    segment = await create_segment(client, admin_token, combine(), apply_to="BOTH")
    cart = await cart_rule("10% off")
    catalog = await catalog_rule("Summer")

    created = await gql(
        client,
        CREATE,
        {
            "input": {
                "name": "  Summer banner ",
                "sort_order": 5,
                "locations": ["FOOTER", "HEADER"],
                "contents": [
                    {"store_uid": "MQ==", "html": "<p>Default store view</p>"},
                    {"html": "<p>Everywhere</p>"},
                ],
                "segment_uids": [segment["uid"]],
                "cart_rule_uids": [uid(cart)],
                "catalog_rule_uids": [uid(catalog)],
            }
        },
        token=admin_token,
    )

    block = created.data["adminCreateDynamicBlock"]  # type: ignore[index]
    assert block["user_errors"] == []
    block_uid = block["dynamic_block"]["uid"]
    expected = {
        "uid": block_uid,
        "id": decode_uid(block_uid),
        "name": "Summer banner",
        "is_enabled": True,
        "sort_order": 5,
        "locations": ["HEADER", "FOOTER"],
        "contents": [
            {"store_uid": None, "html": "<p>Everywhere</p>"},
            {"store_uid": "MQ==", "html": "<p>Default store view</p>"},
        ],
        "segment_uids": [segment["uid"]],
        "cart_rule_uids": [uid(cart)],
        "catalog_rule_uids": [uid(catalog)],
    }
    assert block["dynamic_block"] == expected
    one = await gql(client, ONE, {"uid": block_uid}, token=admin_token)
    assert one.data == {"adminDynamicBlock": expected}
    row = await MagentoBanner.get(banner_id=expected["id"])
    assert (row.name, row.types, row.is_enabled) == ("Summer banner", "header,footer", True)

    updated = await gql(
        client,
        UPDATE,
        {
            "uid": block_uid,
            "input": {
                "is_enabled": False,
                "locations": [],
                "contents": [{"html": "<p>New</p>"}],
                "segment_uids": [],
            },
        },
        token=admin_token,
    )
    assert updated.data == {
        "adminUpdateDynamicBlock": {
            "dynamic_block": {
                **expected,
                "is_enabled": False,
                "locations": [],
                "contents": [{"store_uid": None, "html": "<p>New</p>"}],
                "segment_uids": [],
            },
            "user_errors": [],
        }
    }

    other = await create_block(client, admin_token, name="Winter banner")
    listed = await gql(
        client,
        LIST,
        {"filter": {"name": {"match": "banner"}, "is_enabled": True}},
        token=admin_token,
    )
    assert listed.data == {
        "adminDynamicBlocks": {
            "items": [{"uid": other, "name": "Winter banner"}],
            "page_info": {"current_page": 1, "page_size": 20, "total_pages": 1},
            "total_count": 1,
        }
    }

    deleted = await gql(client, DELETE, {"uid": block_uid}, token=admin_token)
    again = await gql(client, DELETE, {"uid": block_uid}, token=admin_token)
    gone = await gql(client, ONE, {"uid": block_uid}, token=admin_token)

    assert deleted.data == {
        "adminDeleteDynamicBlock": {"deleted_uid": block_uid, "user_errors": []}
    }
    message = f'Could not find a dynamic block with ID "{expected["id"]}"'
    assert again.data == {
        "adminDeleteDynamicBlock": {
            "deleted_uid": None,
            "user_errors": [{"code": "NOT_FOUND", "message": message, "path": "uid"}],
        }
    }
    assert gone.messages == [message]
    assert gone.categories == ["graphql-no-such-entity"]
    assert await MagentoBannerContent.filter(banner_id=expected["id"]).count() == 0


async def test_bad_input_is_reported_at_once_and_nothing_is_saved(
    client: Any, admin_token: str
) -> None:
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "name": " ",
                "contents": [
                    {"store_uid": "OTk=", "html": "a"},
                    {"html": "b"},
                    {"store_uid": "MA==", "html": "c"},
                ],
                "segment_uids": ["OTk="],
                "cart_rule_uids": ["OTk="],
                "catalog_rule_uids": ["OTk="],
            }
        },
        token=admin_token,
    )
    malformed = await gql(
        client,
        CREATE,
        {
            "input": {
                "name": "x",
                "segment_uids": ["!"],
                "contents": [{"store_uid": "?", "html": ""}],
            }
        },
        token=admin_token,
    )
    too_long = await gql(client, CREATE, {"input": {"name": "n" * 256}}, token=admin_token)

    assert response.data == {
        "adminCreateDynamicBlock": {
            "dynamic_block": None,
            "user_errors": [
                {
                    "code": "REQUIRED",
                    "message": '"name" is required. Enter and try again.',
                    "path": "input.name",
                },
                {
                    "code": "NOT_FOUND",
                    "message": 'Could not find a store with ID "99"',
                    "path": "input.contents.0.store_uid",
                },
                {
                    "code": "INVALID",
                    "message": 'The content of store "0" is given twice.',
                    "path": "input.contents.2.store_uid",
                },
                {
                    "code": "NOT_FOUND",
                    "message": 'Could not find a customer segment with ID "99"',
                    "path": "input.segment_uids.0",
                },
                {
                    "code": "NOT_FOUND",
                    "message": 'Could not find a cart price rule with ID "99"',
                    "path": "input.cart_rule_uids.0",
                },
                {
                    "code": "NOT_FOUND",
                    "message": 'Could not find a catalog price rule with ID "99"',
                    "path": "input.catalog_rule_uids.0",
                },
            ],
        }
    }
    assert malformed.data == {
        "adminCreateDynamicBlock": {
            "dynamic_block": None,
            "user_errors": [
                {
                    "code": "INVALID_UID",
                    "message": 'Value of uid "?" is incorrect.',
                    "path": "input.contents.0.store_uid",
                },
                {
                    "code": "INVALID_UID",
                    "message": 'Value of uid "!" is incorrect.',
                    "path": "input.segment_uids.0",
                },
            ],
        }
    }
    assert too_long.data == {
        "adminCreateDynamicBlock": {
            "dynamic_block": None,
            "user_errors": [
                {
                    "code": "TOO_LONG",
                    "message": "Name is more than 255 characters. Enter a shorter name.",
                    "path": "input.name",
                }
            ],
        }
    }
    assert await MagentoBanner.all().count() == 0
    assert await MagentoBannerContent.all().count() == 0


async def test_a_refused_update_changes_nothing(client: Any, admin_token: str) -> None:
    block = await create_block(client, admin_token, name="Kept", locations=["LEFT"])

    response = await gql(
        client,
        UPDATE,
        {"uid": block, "input": {"name": "Changed", "contents": [], "cart_rule_uids": ["OTk="]}},
        token=admin_token,
    )
    after = await gql(client, ONE, {"uid": block}, token=admin_token)

    assert response.data == {
        "adminUpdateDynamicBlock": {
            "dynamic_block": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": 'Could not find a cart price rule with ID "99"',
                    "path": "input.cart_rule_uids.0",
                }
            ],
        }
    }
    kept = after.data["adminDynamicBlock"]  # type: ignore[index]
    assert (kept["name"], kept["locations"], kept["contents"]) == (
        "Kept",
        ["LEFT"],
        [{"store_uid": None, "html": "<p>x</p>"}],
    )


# --- storefront -------------------------------------------------------------------------------


async def test_the_storefront_sees_enabled_blocks_in_order_with_their_store_content(
    client: Any, admin_token: str, services: Any
) -> None:
    await Store.create(store_id=2, code="french", name="French", website_id=1, group_id=1)
    await invalidate_stores(services.cache)
    second = await create_block(
        client,
        admin_token,
        sort_order=2,
        contents=[{"html": "<p>Hello</p>"}, {"store_uid": uid(2), "html": "<p>Bonjour</p>"}],
    )
    first = await create_block(client, admin_token, sort_order=1, contents=[{"html": "<b>1</b>"}])
    await create_block(client, admin_token, is_enabled=False)
    only_french = await create_block(
        client, admin_token, sort_order=3, contents=[{"store_uid": uid(2), "html": "<i>fr</i>"}]
    )
    await create_block(client, admin_token, contents=[{"html": ""}])

    assert await shown(client) == [(first, "<b>1</b>"), (second, "<p>Hello</p>")]
    assert await shown(client, store="french") == [
        (first, "<b>1</b>"),
        (second, "<p>Bonjour</p>"),
        (only_french, "<i>fr</i>"),
    ]


async def test_locations_and_uids_narrow_the_blocks(client: Any, admin_token: str) -> None:
    header = await create_block(client, admin_token, locations=["HEADER"])
    sides = await create_block(client, admin_token, locations=["LEFT", "RIGHT"])
    anywhere = await create_block(client, admin_token)

    assert [u for u, _ in await shown(client, locations=["HEADER"])] == [header, anywhere]
    assert [u for u, _ in await shown(client, locations=["RIGHT", "FOOTER"])] == [sides, anywhere]
    assert [u for u, _ in await shown(client, locations=[])] == [header, sides, anywhere]
    assert [u for u, _ in await shown(client, dynamic_block_uids=[sides, uid(999)])] == [sides]
    bad = await gql(client, BLOCKS, {"input": {"type": "SPECIFIED", "dynamic_block_uids": ["@"]}})
    assert bad.messages == ['Value of uid "@" is incorrect.']
    assert bad.categories == ["graphql-input"]


async def test_pages_as_magento_with_the_last_page_past_the_end(
    client: Any, admin_token: str
) -> None:
    uids = [await create_block(client, admin_token, contents=[{"html": str(i)}]) for i in range(3)]

    async def page(size: int, current: int) -> Any:
        response = await gql(
            client,
            BLOCKS,
            {"input": {"type": "SPECIFIED"}, "pageSize": size, "currentPage": current},
        )
        return response.data["dynamicBlocks"] if response.data else response.messages

    assert await page(2, 2) == {
        "items": [{"uid": uids[2], "content": {"html": "2"}}],
        "page_info": {"current_page": 2, "page_size": 2, "total_pages": 2},
        "total_count": 3,
    }
    assert await page(2, 7) == await page(2, 2)
    assert await page(0, 1) == ["pageSize value must be greater than 0."]
    assert await page(2, 0) == ["currentPage value must be greater than 0."]
    missing = await gql(client, "{ dynamicBlocks { total_count } }")
    assert missing.messages == ['Required parameter "input" is missing']
    assert missing.categories == ["graphql-input"]
    empty = await gql(client, BLOCKS, {"input": {"type": "CART_PRICE_RULE_RELATED"}})
    assert empty.data == {
        "dynamicBlocks": {
            "items": [],
            "page_info": {"current_page": 1, "page_size": 20, "total_pages": 0},
            "total_count": 0,
        }
    }


async def test_segment_targeted_blocks_show_only_to_members(client: Any, admin_token: str) -> None:
    anns = await create_segment(
        client,
        admin_token,
        combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Ann")),
        apply_to="REGISTERED",
    )
    visitors = await create_segment(client, admin_token, combine(), apply_to="VISITOR")
    for_ann = await create_block(client, admin_token, segment_uids=[anns["uid"]])
    for_guests = await create_block(client, admin_token, segment_uids=[visitors["uid"]])
    for_both = await create_block(client, admin_token, segment_uids=[anns["uid"], visitors["uid"]])
    for_all = await create_block(client, admin_token)
    ann = await token_for(await make_customer("ann@example.com", firstname="Ann"))
    bob = await token_for(await make_customer("bob@example.com", firstname="Bob"))

    assert [u for u, _ in await shown(client, token=ann)] == [for_ann, for_both, for_all]
    assert [u for u, _ in await shown(client, token=bob)] == [for_all]
    assert [u for u, _ in await shown(client)] == [for_guests, for_both, for_all]
    # An admin token is served as a guest.
    assert [u for u, _ in await shown(client, token=admin_token)] == [
        for_guests,
        for_both,
        for_all,
    ]


async def test_a_guest_is_targeted_by_the_visitor_their_session_header_names(
    client: Any, admin_token: str
) -> None:
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
    assert viewed.response.errors == []
    assert viewed.visitor_header is not None
    session = {"X-Magento-Visitor": viewed.visitor_header}

    assert [u for u, _ in await shown(client, headers=session)] == [block]
    assert await shown(client) == []
    assert await shown(client, headers={"X-Magento-Visitor": "unknown-session"}) == []


async def test_cart_rule_blocks_follow_the_rules_applied_to_the_customers_cart(
    client: Any, admin_token: str
) -> None:
    applied = await cart_rule("Applied")
    other = await cart_rule("Not applied")
    with_applied = await create_block(client, admin_token, cart_rule_uids=[uid(applied)])
    with_other = await create_block(client, admin_token, cart_rule_uids=[uid(other)])
    plain = await create_block(client, admin_token)
    ann = await make_customer("ann@example.com")
    bob = await make_customer("bob@example.com")
    await active_cart(ann.entity_id, f"{applied + 100},{applied}")
    await active_cart(bob.entity_id, None)
    ann_token, bob_token = await token_for(ann), await token_for(bob)

    assert [u for u, _ in await shown(client, "CART_PRICE_RULE_RELATED", token=ann_token)] == [
        with_applied
    ]
    assert await shown(client, "CART_PRICE_RULE_RELATED", token=bob_token) == []
    assert await shown(client, "CART_PRICE_RULE_RELATED") == []
    assert [u for u, _ in await shown(client, token=ann_token)] == [with_applied, plain]
    assert [u for u, _ in await shown(client, token=bob_token)] == [plain]
    assert await shown(client, "CATALOG_PRICE_RULE_RELATED", token=ann_token) == []
    assert with_other not in [u for u, _ in await shown(client, token=ann_token)]


async def test_catalog_rule_blocks_follow_rules_in_force_for_the_website_group_and_local_day(
    client: Any, admin_token: str, clock: ManualClock
) -> None:
    ends_today = await catalog_rule("Ends today", to_date=CHICAGO_TODAY)
    starts_tomorrow = await catalog_rule(
        "Starts tomorrow", from_date=CHICAGO_TODAY + timedelta(days=1)
    )
    for_guests = await catalog_rule("Guests", group_id=NOT_LOGGED_IN)
    inactive = await catalog_rule("Inactive", is_active=False)
    blocks = {
        rule: await create_block(client, admin_token, catalog_rule_uids=[uid(rule)])
        for rule in (ends_today, starts_tomorrow, for_guests, inactive)
    }
    token = await token_for(await make_customer())

    late_evening = await shown(client, "CATALOG_PRICE_RULE_RELATED", token=token)
    guest = await shown(client, "CATALOG_PRICE_RULE_RELATED")
    clock.advance(timedelta(hours=3))  # 01:00 on June 16 in Chicago
    after_midnight = await shown(client, "CATALOG_PRICE_RULE_RELATED", token=token)
    specified = await shown(client, token=token)

    assert [u for u, _ in late_evening] == [blocks[ends_today]]
    assert [u for u, _ in guest] == [blocks[for_guests]]
    assert [u for u, _ in after_midnight] == [blocks[starts_tomorrow]]
    assert [u for u, _ in specified] == [blocks[starts_tomorrow]]
    assert await shown(client, "CART_PRICE_RULE_RELATED", token=token) == []


async def test_block_changes_show_on_the_storefront_at_once(client: Any, admin_token: str) -> None:
    block = await create_block(client, admin_token)
    assert [u for u, _ in await shown(client)] == [block]

    await gql(client, UPDATE, {"uid": block, "input": {"is_enabled": False}}, token=admin_token)

    assert await shown(client) == []


REMOVE_COUPON = """
mutation ($id: String!) {
  removeCouponFromCart(input: {cart_id: $id}) { cart { applied_coupons { code } } }
}
"""


async def test_a_coupon_applied_to_the_cart_brings_its_block_and_removing_it_takes_it_away(
    client: Any, admin_token: str
) -> None:
    await make_product("lamp", "50.00")
    rule = await make_rule(
        client,
        admin_token,
        simple_action="BY_PERCENT",
        discount_amount=10,
        coupon_type="SPECIFIC_COUPON",
        coupon_code="SAVE10",
    )
    block = await create_block(
        client, admin_token, cart_rule_uids=[uid(rule)], contents=[{"html": "10% off!"}]
    )
    cart_id, token = await customer_cart(client)
    added = await add(client, cart_id, [("lamp", 1)], token=token)
    assert added.errors == [], added.errors

    before = await shown(client, "CART_PRICE_RULE_RELATED", token=token)
    applied = await gql(client, APPLY_COUPON, {"id": cart_id, "code": "SAVE10"}, token=token)
    with_coupon = await shown(client, "CART_PRICE_RULE_RELATED", token=token)
    removed = await gql(client, REMOVE_COUPON, {"id": cart_id}, token=token)
    after = await shown(client, "CART_PRICE_RULE_RELATED", token=token)

    assert applied.errors == [], applied.errors
    assert removed.errors == [], removed.errors
    assert before == []
    assert with_coupon == [(block, "10% off!")]
    assert after == []
