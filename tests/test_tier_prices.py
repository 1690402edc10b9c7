"""Tier and group price admin (`adminProductTierPrices`, `adminSetProductTierPrices`) through
HTTP: replacing a product's rows in one transaction, every bad row reported with its path and
nothing saved, and the storefront seeing the change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.pricing import tier_prices
from graph.uids import encode_uid
from models import CatalogProductEntityTierPrice
from tests.graphql import gql
from tests.test_final_price import make_product, shown

FIELDS = "uid website_uid customer_group_uid all_groups quantity value percentage_value"
TIERS = "query ($uid: ID!) { adminProductTierPrices(product_uid: $uid) { " + FIELDS + " } }"
SET = """
mutation ($uid: ID!, $tiers: [AdminTierPriceInput!]!) {
  adminSetProductTierPrices(product_uid: $uid, tiers: $tiers) {
    tier_prices { website_uid customer_group_uid all_groups quantity value percentage_value }
    user_errors { code message path }
  }
}
"""


async def stored() -> list[tuple[Any, ...]]:
    rows = await CatalogProductEntityTierPrice.all().order_by("value_id")
    return [
        (
            r.website_id,
            r.all_groups,
            r.customer_group_id,
            Decimal(r.qty),
            Decimal(r.value),
            None if r.percentage_value is None else Decimal(r.percentage_value),
        )
        for r in rows
    ]


async def set_tiers(client: Any, token: str, product_uid: str, tiers: list[dict[str, Any]]) -> Any:
    response = await gql(client, SET, {"uid": product_uid, "tiers": tiers}, token=token)
    assert response.errors == [], response.errors
    assert response.data is not None
    return response.data["adminSetProductTierPrices"]


async def test_an_admin_replaces_and_reads_a_products_tier_prices(
    client: Any, admin_token: str
) -> None:
    product = await make_product("lamp", "50")
    uid = encode_uid(product.entity_id)
    result = await set_tiers(
        client,
        admin_token,
        uid,
        [
            {"quantity": 5, "value": 45},
            {"customer_group_uid": encode_uid(1), "quantity": 1, "value": 48.5},
            {"website_uid": encode_uid(1), "quantity": 10, "percentage_value": 20},
        ],
    )
    general = {"website_uid": None, "customer_group_uid": encode_uid(1), "all_groups": False}
    assert result == {
        "tier_prices": [
            # ordered by website (all first), group (ALL GROUPS first) and quantity
            {
                "website_uid": None,
                "customer_group_uid": None,
                "all_groups": True,
                "quantity": 5.0,
                "value": 45.0,
                "percentage_value": None,
            },
            {**general, "quantity": 1.0, "value": 48.5, "percentage_value": None},
            {
                "website_uid": encode_uid(1),
                "customer_group_uid": None,
                "all_groups": True,
                "quantity": 10.0,
                "value": None,
                "percentage_value": 20.0,
            },
        ],
        "user_errors": [],
    }
    listed = await gql(client, TIERS, {"uid": uid}, token=admin_token)
    assert listed.errors == []
    assert listed.data is not None
    assert [
        {k: v for k, v in row.items() if k != "uid"}
        for row in listed.data["adminProductTierPrices"]
    ] == result["tier_prices"]
    # The storefront (a guest) sees the ALL GROUPS rows: 45.00 from 5, 20% off 50 from 10.
    assert (await shown(client, "lamp")).tiers == [(5.0, 45.0, 5.0, 10.0), (10.0, 40.0, 10.0, 20.0)]

    # Replacing keeps only the new rows; an empty list removes them all.
    again = await set_tiers(client, admin_token, uid, [{"quantity": 2, "value": 49}])
    assert again["tier_prices"] == [
        {
            "website_uid": None,
            "customer_group_uid": None,
            "all_groups": True,
            "quantity": 2.0,
            "value": 49.0,
            "percentage_value": None,
        }
    ]
    assert (await shown(client, "lamp")).tiers == [(2.0, 49.0, 1.0, 2.0)]
    cleared = await set_tiers(client, admin_token, uid, [])
    assert cleared == {"tier_prices": [], "user_errors": []}
    assert await stored() == []


async def test_all_groups_may_be_named_by_magentos_id(client: Any, admin_token: str) -> None:
    product = await make_product("pen", "3")
    result = await set_tiers(
        client,
        admin_token,
        encode_uid(product.entity_id),
        [{"customer_group_uid": encode_uid(32000), "quantity": 1, "value": 2}],
    )
    assert result["user_errors"] == []
    assert await stored() == [(0, True, 0, Decimal("1.0000"), Decimal("2.000000"), None)]


async def test_every_bad_row_is_reported_and_nothing_is_saved(
    client: Any, admin_token: str
) -> None:
    product = await make_product("chair", "80")
    uid = encode_uid(product.entity_id)
    await set_tiers(client, admin_token, uid, [{"quantity": 1, "value": 70}])
    before = await stored()
    result = await set_tiers(
        client,
        admin_token,
        uid,
        [
            {"quantity": 1, "percentage_value": 150},
            {"quantity": 2, "value": -1},
            {"quantity": 0, "value": 10},
            {"quantity": 3, "value": 10, "percentage_value": 5},
            {"quantity": 4},
            {"quantity": 5, "value": 60, "customer_group_uid": encode_uid(1)},
            {"quantity": 5.0, "value": 55, "customer_group_uid": encode_uid(1)},
            {"quantity": 6, "value": 50, "website_uid": encode_uid(9)},
            {"quantity": 7, "value": 50, "customer_group_uid": encode_uid(77)},
            {"quantity": 8, "percentage_value": 0},
            {"quantity": 9, "percentage_value": 12.345},
            {"quantity": 1.00001, "value": 1},
        ],
    )
    assert result == {
        "tier_prices": None,
        "user_errors": [
            {
                "code": "INVALID",
                "message": "Percentage value must be a number between 0 and 100.",
                "path": "tiers.0.percentage_value",
            },
            {"code": "INVALID", "message": "The price must be 0 or more.", "path": "tiers.1.value"},
            {
                "code": "INVALID",
                "message": "The quantity must be greater than 0.",
                "path": "tiers.2.quantity",
            },
            {
                "code": "INVALID",
                "message": "Set either a fixed price or a discount percentage, not both.",
                "path": "tiers.3.value",
            },
            {
                "code": "INVALID",
                "message": "Set either a fixed price or a discount percentage, not both.",
                "path": "tiers.4.value",
            },
            {
                "code": "ALREADY_EXISTS",
                "message": "We found a duplicate website, tier price, customer group and quantity.",
                "path": "tiers.6",
            },
            {
                "code": "NOT_FOUND",
                "message": 'Could not find a website with ID "9"',
                "path": "tiers.7.website_uid",
            },
            {
                "code": "NOT_FOUND",
                "message": "No such entity with id = 77",
                "path": "tiers.8.customer_group_uid",
            },
            {
                "code": "INVALID",
                "message": "Percentage value must be a number between 0 and 100.",
                "path": "tiers.9.percentage_value",
            },
            {
                "code": "INVALID",
                "message": "The percentage must be a number with at most 2 decimals.",
                "path": "tiers.10.percentage_value",
            },
            {
                "code": "INVALID",
                "message": "The quantity must be a number with at most 4 decimals.",
                "path": "tiers.11.quantity",
            },
        ],
    }
    assert await stored() == before


async def test_a_duplicate_alone_is_already_exists(client: Any, admin_token: str) -> None:
    product = await make_product("sofa", "500")
    result = await set_tiers(
        client,
        admin_token,
        encode_uid(product.entity_id),
        [{"quantity": 2, "value": 450}, {"quantity": 2, "percentage_value": 5}],
    )
    assert result == {
        "tier_prices": None,
        "user_errors": [
            {
                "code": "ALREADY_EXISTS",
                "message": "We found a duplicate website, tier price, customer group and quantity.",
                "path": "tiers.1",
            }
        ],
    }
    # The same quantity for another group or website is not a duplicate.
    other = await set_tiers(
        client,
        admin_token,
        encode_uid(product.entity_id),
        [
            {"quantity": 2, "value": 450},
            {"quantity": 2, "value": 440, "customer_group_uid": encode_uid(1)},
            {"quantity": 2, "value": 430, "website_uid": encode_uid(1)},
        ],
    )
    assert other["user_errors"] == []


async def test_bad_uids_and_unknown_products(client: Any, admin_token: str) -> None:
    product = await make_product("stool", "40")
    bad = await set_tiers(
        client,
        admin_token,
        encode_uid(product.entity_id),
        [{"quantity": 1, "value": 1, "website_uid": "nope", "customer_group_uid": "!!"}],
    )
    assert bad == {
        "tier_prices": None,
        "user_errors": [
            {
                "code": "INVALID_UID",
                "message": 'Value of uid "nope" is incorrect.',
                "path": "tiers.0.website_uid",
            },
            {
                "code": "INVALID_UID",
                "message": 'Value of uid "!!" is incorrect.',
                "path": "tiers.0.customer_group_uid",
            },
        ],
    }
    missing = await set_tiers(client, admin_token, encode_uid(999), [])
    assert missing == {
        "tier_prices": None,
        "user_errors": [
            {
                "code": "NOT_FOUND",
                "message": "The product that was requested doesn't exist. Verify the product "
                "and try again.",
                "path": "product_uid",
            }
        ],
    }
    response = await gql(client, TIERS, {"uid": encode_uid(999)}, token=admin_token)
    assert response.categories == ["graphql-no-such-entity"]


async def test_only_admins_manage_tier_prices(client: Any) -> None:
    product = await make_product("bench", "60")
    uid = encode_uid(product.entity_id)
    read = await gql(client, TIERS, {"uid": uid})
    write = await gql(client, SET, {"uid": uid, "tiers": [{"quantity": 1, "value": 1}]})
    assert read.categories == ["graphql-authorization"]
    assert write.categories == ["graphql-authorization"]
    assert await stored() == []


def row(value_id: int, qty: str, value: str, group: int | None) -> tier_prices.Tier:
    return tier_prices.Tier(value_id, 1, 0, group, Decimal(qty), Decimal(value), None)


def test_selection_is_the_lowest_applicable_row_and_a_group_row_wins_a_tie() -> None:
    rows = [
        row(1, "1", "9", None),
        row(2, "1", "9", 1),
        row(3, "5", "8", None),
        row(4, "5", "7", 2),
    ]
    assert tier_prices.select(rows, 1, Decimal(1), Decimal(10)) == Decimal(9)
    assert tier_prices.select(rows, 1, Decimal("4.9999"), Decimal(10)) == Decimal(9)
    assert tier_prices.select(rows, 1, Decimal(5), Decimal(10)) == Decimal(8)
    assert tier_prices.select(rows, 2, Decimal(5), Decimal(10)) == Decimal(7)
    assert tier_prices.select(rows[2:], 1, Decimal(1), Decimal(10)) is None
    # price_tiers: one row per quantity; at quantity 1 the group's own row of the same price.
    assert [(q, t.value_id) for q, t in tier_prices.per_quantity(rows, 1, Decimal(10))] == [
        (Decimal(1), 2),
        (Decimal(5), 3),
    ]
