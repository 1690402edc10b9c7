"""Wish lists through HTTP: the customer's own list, adding and removing products with Magento's
line errors, ownership, what the storefront hides, and the admin's read."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from engine.wishlists import collection_page, parse_id
from models import (
    CatalogProductEntity,
    CatalogProductWebsite,
    CustomerEntity,
    Wishlist,
    WishlistItem,
)
from models.catalog import ProductStatus, ProductType, Visibility
from tests.factories import make_customer, token_for
from tests.graphql import gql

ITEM_FIELDS = "__typename id quantity description added_at product { sku }"
WISHLIST_FIELDS = f"""
  id name sharing_code updated_at visibility items_count
  items_v2 {{ items {{ {ITEM_FIELDS} }} page_info {{ current_page page_size total_pages }} }}
"""

OWN = f"{{ customer {{ wishlists {{ {WISHLIST_FIELDS} }} }} }}"
ALL_WAYS = """
query ($id: ID!) {
  customer {
    wishlist { id items { id qty added_at description product { sku } } }
    wishlist_v2(id: $id) { id }
    wishlists(pageSize: 1, currentPage: 3) { id }
  }
}
"""
BY_ID = "query ($id: ID!) { customer { wishlist_v2(id: $id) { id items_count } } }"
ADD = f"""
mutation ($id: ID!, $items: [WishlistItemInput!]!) {{
  addProductsToWishlist(wishlistId: $id, wishlistItems: $items) {{
    user_errors {{ code message }}
    wishlist {{ {WISHLIST_FIELDS} }}
  }}
}}
"""
REMOVE = f"""
mutation ($id: ID!, $ids: [ID!]!) {{
  removeProductsFromWishlist(wishlistId: $id, wishlistItemsIds: $ids) {{
    user_errors {{ code message }}
    wishlist {{ {WISHLIST_FIELDS} }}
  }}
}}
"""
PAGE = """
query ($size: Int, $page: Int) {
  customer { wishlists { items_v2(pageSize: $size, currentPage: $page) {
    items { product { sku } } page_info { current_page page_size total_pages }
  } } }
}
"""
ADMIN = f"""
query ($uid: ID!) {{ adminCustomerWishlist(customer_uid: $uid) {{ {WISHLIST_FIELDS} }} }}
"""

MAGENTO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
PAST = datetime(2024, 3, 1, 12, 30, tzinfo=UTC)


async def make_product(
    sku: str,
    *,
    type_id: ProductType = ProductType.SIMPLE,
    status: ProductStatus = ProductStatus.ENABLED,
    visibility: Visibility = Visibility.BOTH,
    website_ids: tuple[int, ...] = (1,),
) -> CatalogProductEntity:
    product = await CatalogProductEntity.create(
        attribute_set_id=4,
        sku=sku,
        name=f"Product {sku}",
        price=Decimal("10"),
        type_id=type_id,
        status=status,
        visibility=visibility,
    )
    for website_id in website_ids:
        await CatalogProductWebsite.create(product=product, website_id=website_id)
    return product


async def own_wishlist(customer: CustomerEntity) -> Wishlist:
    return await Wishlist.create(customer=customer, sharing_code="c" * 32)


async def snapshot() -> list[tuple[Any, ...]]:
    lists = (
        await Wishlist.all()
        .order_by("wishlist_id")
        .values_list("wishlist_id", "customer_id", "updated_at")
    )
    items = (
        await WishlistItem.all()
        .order_by("wishlist_item_id")
        .values_list("wishlist_item_id", "wishlist_id", "product_id", "qty", "added_at")
    )
    return [*lists, *items]


def item(typename: str, item_id: int, sku: str, quantity: float, added_at: str) -> dict[str, Any]:
    return {
        "__typename": typename,
        "id": str(item_id),
        "quantity": quantity,
        "description": None,
        "added_at": added_at,
        "product": {"sku": sku},
    }


def magento(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


# --- the customer's own list --------------------------------------------------------------------


async def test_a_customer_always_has_one_wishlist_created_on_first_read(client: Any) -> None:
    customer = await make_customer()
    token = await token_for(customer)

    first = await gql(client, OWN, token=token)
    second = await gql(client, OWN, token=token)

    assert first.errors == []
    row = await Wishlist.get(customer_id=customer.entity_id)
    assert await Wishlist.all().count() == 1
    assert re.fullmatch(r"[0-9a-f]{32}", row.sharing_code or "")
    assert first.data == {
        "customer": {
            "wishlists": [
                {
                    "id": str(row.wishlist_id),
                    "name": None,
                    "sharing_code": row.sharing_code,
                    "updated_at": magento(row.updated_at),
                    "visibility": "PRIVATE",
                    "items_count": 0,
                    "items_v2": {
                        "items": [],
                        "page_info": {"current_page": 1, "page_size": 20, "total_pages": 1},
                    },
                }
            ]
        }
    }
    assert second.data == first.data


async def test_the_deprecated_wishlist_field_and_wishlist_v2_read_the_same_list(
    client: Any,
) -> None:
    customer = await make_customer()
    wishlist = await own_wishlist(customer)
    product = await make_product("WJ01")
    row = await WishlistItem.create(
        wishlist=wishlist, product=product, added_at=PAST, qty=Decimal("2"), description="Blue"
    )

    response = await gql(
        client, ALL_WAYS, {"id": str(wishlist.wishlist_id)}, token=await token_for(customer)
    )

    assert response.errors == []
    assert response.data == {
        "customer": {
            "wishlist": {
                "id": str(wishlist.wishlist_id),
                "items": [
                    {
                        "id": row.wishlist_item_id,
                        "qty": 2.0,
                        "added_at": "2024-03-01 12:30:00",
                        "description": "Blue",
                        "product": {"sku": "WJ01"},
                    }
                ],
            },
            "wishlist_v2": {"id": str(wishlist.wishlist_id)},
            # One list in Open Source: a page past the last gives the last, as Magento.
            "wishlists": [{"id": str(wishlist.wishlist_id)}],
        }
    }


@pytest.mark.parametrize("given", ["other", "999999", "abc", "", "-1"])
async def test_wishlist_v2_is_null_for_an_id_that_is_not_the_customers(
    client: Any, given: str
) -> None:
    ann = await make_customer()
    bob = await make_customer("bob@example.com")
    await own_wishlist(ann)
    bobs = await own_wishlist(bob)
    wanted = str(bobs.wishlist_id) if given == "other" else given

    response = await gql(client, BY_ID, {"id": wanted}, token=await token_for(ann))

    assert response.errors == []
    assert response.data == {"customer": {"wishlist_v2": None}}


async def test_wishlist_v2_with_id_0_reads_the_customers_own_list(client: Any) -> None:
    customer = await make_customer()
    token = await token_for(customer)

    before = await gql(client, BY_ID, {"id": "0"}, token=token)
    wishlist = await own_wishlist(customer)
    after = await gql(client, BY_ID, {"id": "0"}, token=token)

    # As Magento's WishlistById: `0` loads by customer and creates nothing.
    assert before.data == {"customer": {"wishlist_v2": None}}
    assert after.data == {
        "customer": {"wishlist_v2": {"id": str(wishlist.wishlist_id), "items_count": 0}}
    }


# --- adding -------------------------------------------------------------------------------------


async def test_adding_products_creates_items_dated_now(client: Any) -> None:
    customer = await make_customer()
    wishlist = await own_wishlist(customer)
    await Wishlist.filter(wishlist_id=wishlist.wishlist_id).update(updated_at=PAST)
    await make_product("WJ01")
    await make_product("GIFT", type_id=ProductType.VIRTUAL)
    start = datetime.now(UTC).replace(microsecond=0)

    response = await gql(
        client,
        ADD,
        {
            "id": str(wishlist.wishlist_id),
            "items": [{"sku": "WJ01", "quantity": 2}, {"sku": "GIFT", "quantity": 1.25}],
        },
        token=await token_for(customer),
    )

    assert response.errors == []
    rows = await WishlistItem.all().order_by("wishlist_item_id")
    assert [(r.qty, r.store_id) for r in rows] == [  # type: ignore[attr-defined]
        (Decimal("2"), 1),
        (Decimal("1.25"), 1),
    ]
    assert all(r.added_at >= start for r in rows)
    fresh = await Wishlist.get(wishlist_id=wishlist.wishlist_id)
    assert fresh.updated_at > PAST
    result = response.data["addProductsToWishlist"]  # type: ignore[index]
    assert result == {
        "user_errors": [],
        "wishlist": {
            "id": str(wishlist.wishlist_id),
            "name": None,
            "sharing_code": "c" * 32,
            "updated_at": magento(fresh.updated_at),
            "visibility": "PRIVATE",
            "items_count": 2,
            "items_v2": {
                "items": [
                    item(
                        "SimpleWishlistItem",
                        rows[0].wishlist_item_id,
                        "WJ01",
                        2.0,
                        magento(rows[0].added_at),
                    ),
                    item(
                        "VirtualWishlistItem",
                        rows[1].wishlist_item_id,
                        "GIFT",
                        1.25,
                        magento(rows[1].added_at),
                    ),
                ],
                "page_info": {"current_page": 1, "page_size": 20, "total_pages": 1},
            },
        },
    }
    assert MAGENTO_DATETIME.match(result["wishlist"]["items_v2"]["items"][0]["added_at"])


async def test_adding_a_product_again_raises_its_quantity_and_keeps_its_date(
    client: Any,
) -> None:
    customer = await make_customer()
    wishlist = await own_wishlist(customer)
    product = await make_product("WJ01")
    row = await WishlistItem.create(
        wishlist=wishlist, product=product, added_at=PAST, qty=Decimal("1.5")
    )

    response = await gql(
        client,
        ADD,
        {
            "id": str(wishlist.wishlist_id),
            "items": [{"sku": "WJ01", "quantity": 2}, {"sku": "WJ01", "quantity": 1.00005}],
        },
        token=await token_for(customer),
    )

    assert response.errors == []
    assert await WishlistItem.all().count() == 1
    stored = await WishlistItem.get(wishlist_item_id=row.wishlist_item_id)
    # 4 decimals, the column's scale, rounded half up.
    assert stored.qty == Decimal("4.5001")
    assert stored.added_at == PAST
    items = response.data["addProductsToWishlist"]["wishlist"]["items_v2"]["items"]  # type: ignore[index]
    assert items == [
        item("SimpleWishlistItem", row.wishlist_item_id, "WJ01", 4.5001, "2024-03-01 12:30:00")
    ]


async def test_bad_lines_are_reported_in_order_and_good_lines_still_added(client: Any) -> None:
    customer = await make_customer()
    wishlist = await own_wishlist(customer)
    await make_product("WJ01")
    await make_product("OFF", status=ProductStatus.DISABLED)
    await make_product("BIG")
    await make_product("PARENT")

    response = await gql(
        client,
        ADD,
        {
            "id": str(wishlist.wishlist_id),
            "items": [
                {"sku": "WG-09", "quantity": 1},
                {"sku": "WJ01", "quantity": 0},
                {"sku": "WJ01", "quantity": 0.5},
                {"sku": "WJ01", "quantity": -2},
                {"sku": "OFF", "quantity": 1},
                {"sku": "BIG", "quantity": 100000000},
                {"sku": "BIG", "quantity": 1e30},
                {"sku": "WJ01", "quantity": 3},
                {"sku": "CHILD", "parent_sku": "PARENT", "quantity": 1},
                {"sku": "WJ01", "parent_sku": "NOPE", "quantity": 1},
            ],
        },
        token=await token_for(customer),
    )

    assert response.errors == []
    result = response.data["addProductsToWishlist"]  # type: ignore[index]
    assert result["user_errors"] == [
        {"code": "PRODUCT_NOT_FOUND", "message": 'Could not find a product with SKU "WG-09"'},
        {"code": "UNDEFINED", "message": "The quantity of a wish list item cannot be 0"},
        {"code": "UNDEFINED", "message": "The quantity of a wish list item cannot be 0"},
        {"code": "UNDEFINED", "message": "Please enter a number greater than 0 in this field."},
        {"code": "UNDEFINED", "message": "The product is disabled"},
        {
            "code": "UNDEFINED",
            "message": 'Could not add the product with SKU "BIG" to the wishlist:: the quantity '
            "cannot be greater than 99999999.9999",
        },
        {
            "code": "UNDEFINED",
            "message": 'Could not add the product with SKU "BIG" to the wishlist:: the quantity '
            "cannot be greater than 99999999.9999",
        },
        {"code": "PRODUCT_NOT_FOUND", "message": 'Could not find a product with SKU "NOPE"'},
    ]
    skus = [i["product"]["sku"] for i in result["wishlist"]["items_v2"]["items"]]
    assert skus == ["WJ01", "PARENT"]
    assert [r.qty for r in await WishlistItem.all().order_by("wishlist_item_id")] == [
        Decimal("3"),
        Decimal("1"),
    ]


async def test_only_bad_lines_write_nothing(client: Any) -> None:
    customer = await make_customer()
    wishlist = await own_wishlist(customer)
    await Wishlist.filter(wishlist_id=wishlist.wishlist_id).update(updated_at=PAST)
    before = await snapshot()

    response = await gql(
        client,
        ADD,
        {"id": str(wishlist.wishlist_id), "items": [{"sku": "WG-09", "quantity": 1}]},
        token=await token_for(customer),
    )

    assert response.data["addProductsToWishlist"]["user_errors"] == [  # type: ignore[index]
        {"code": "PRODUCT_NOT_FOUND", "message": 'Could not find a product with SKU "WG-09"'}
    ]
    assert await snapshot() == before


async def test_wishlist_id_0_is_the_callers_own_list_created_on_first_use(client: Any) -> None:
    customer = await make_customer()
    await make_product("WJ01")

    response = await gql(
        client,
        ADD,
        {"id": "0", "items": [{"sku": "WJ01", "quantity": 1}]},
        token=await token_for(customer),
    )

    wishlist = await Wishlist.get(customer_id=customer.entity_id)
    result = response.data["addProductsToWishlist"]  # type: ignore[index]
    assert result["user_errors"] == []
    assert result["wishlist"]["id"] == str(wishlist.wishlist_id)
    assert result["wishlist"]["items_count"] == 1


# --- removing -----------------------------------------------------------------------------------


async def test_removing_items_reports_ids_that_are_not_in_the_list(client: Any) -> None:
    ann = await make_customer()
    bob = await make_customer("bob@example.com")
    anns = await own_wishlist(ann)
    bobs = await own_wishlist(bob)
    first = await make_product("WJ01")
    second = await make_product("WJ02")
    gone = await WishlistItem.create(wishlist=anns, product=first, added_at=PAST)
    kept = await WishlistItem.create(wishlist=anns, product=second, added_at=PAST)
    foreign = await WishlistItem.create(wishlist=bobs, product=first, added_at=PAST)

    response = await gql(
        client,
        REMOVE,
        {
            "id": str(anns.wishlist_id),
            "ids": [str(gone.wishlist_item_id), str(foreign.wishlist_item_id), "999999", "x1"],
        },
        token=await token_for(ann),
    )

    assert response.errors == []
    result = response.data["removeProductsFromWishlist"]  # type: ignore[index]
    assert result["user_errors"] == [
        {
            "code": "UNDEFINED",
            "message": f'The wishlist item with ID "{foreign.wishlist_item_id}" does not belong '
            "to the wishlist",
        },
        {
            "code": "UNDEFINED",
            "message": 'The wishlist item with ID "999999" does not belong to the wishlist',
        },
        {
            "code": "UNDEFINED",
            "message": 'The wishlist item with ID "x1" does not belong to the wishlist',
        },
    ]
    assert [i["id"] for i in result["wishlist"]["items_v2"]["items"]] == [
        str(kept.wishlist_item_id)
    ]
    remaining = (
        await WishlistItem.all()
        .order_by("wishlist_item_id")
        .values_list("wishlist_item_id", flat=True)
    )
    assert remaining == [kept.wishlist_item_id, foreign.wishlist_item_id]


# --- who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["add", "remove"])
async def test_guests_and_admins_cannot_operate_on_wishlists(
    client: Any, admin_token: str, operation: str
) -> None:
    customer = await make_customer()
    wishlist = await own_wishlist(customer)
    await make_product("WJ01")
    before = await snapshot()
    query, variables = (
        (ADD, {"id": str(wishlist.wishlist_id), "items": [{"sku": "WJ01", "quantity": 1}]})
        if operation == "add"
        else (REMOVE, {"id": str(wishlist.wishlist_id), "ids": ["1"]})
    )
    name = "addProductsToWishlist" if operation == "add" else "removeProductsFromWishlist"

    for token in (None, admin_token):
        response = await gql(client, query, variables, token=token)
        assert response.status == 401
        assert response.messages == ["The current user cannot perform operations on wishlist"]
        assert response.categories == ["graphql-authorization"]
        assert response.data == {name: None}
    assert await snapshot() == before


@pytest.mark.parametrize("given", ["other", "999999", "abc", "-3"])
@pytest.mark.parametrize("operation", ["add", "remove"])
async def test_another_customers_or_an_unknown_wishlist_is_not_found(
    client: Any, given: str, operation: str
) -> None:
    ann = await make_customer()
    bob = await make_customer("bob@example.com")
    await own_wishlist(ann)
    bobs = await own_wishlist(bob)
    product = await make_product("WJ01")
    bobs_item = await WishlistItem.create(wishlist=bobs, product=product, added_at=PAST)
    wanted = str(bobs.wishlist_id) if given == "other" else given
    before = await snapshot()
    query, variables = (
        (ADD, {"id": wanted, "items": [{"sku": "WJ01", "quantity": 1}]})
        if operation == "add"
        else (REMOVE, {"id": wanted, "ids": [str(bobs_item.wishlist_item_id)]})
    )
    name = "addProductsToWishlist" if operation == "add" else "removeProductsFromWishlist"

    response = await gql(client, query, variables, token=await token_for(ann))

    assert response.messages == ["The wishlist was not found."]
    assert response.categories == ["graphql-input"]
    assert response.data == {name: None}
    assert await snapshot() == before


# --- what the storefront shows --------------------------------------------------------------------


async def test_items_of_products_a_shopper_cannot_see_are_hidden_but_kept(
    client: Any, admin_token: str
) -> None:
    customer = await make_customer()
    wishlist = await own_wishlist(customer)
    shown = await make_product("SHOWN")
    search_only = await make_product("SEARCH", visibility=Visibility.IN_SEARCH)
    hidden = [
        await make_product("OFF"),
        await make_product("NOTVISIBLE", visibility=Visibility.NOT_VISIBLE),
        await make_product("ELSEWHERE", website_ids=()),
    ]
    for product in (shown, search_only, *hidden):
        await WishlistItem.create(wishlist=wishlist, product=product, added_at=PAST)
    # Disabled after it was added (adding a disabled product is refused).
    await CatalogProductEntity.filter(sku="OFF").update(status=ProductStatus.DISABLED)

    own = await gql(client, OWN, token=await token_for(customer))
    legacy = await gql(client, ALL_WAYS, {"id": "0"}, token=await token_for(customer))
    admin = await gql(client, ADMIN, {"uid": _uid(customer.entity_id)}, token=admin_token)

    listed = own.data["customer"]["wishlists"][0]  # type: ignore[index]
    assert listed["items_count"] == 2
    assert [i["product"]["sku"] for i in listed["items_v2"]["items"]] == ["SHOWN", "SEARCH"]
    assert [
        i["product"]["sku"]
        for i in legacy.data["customer"]["wishlist"]["items"]  # type: ignore[index]
    ] == ["SHOWN", "SEARCH"]
    everything = admin.data["adminCustomerWishlist"]  # type: ignore[index]
    assert everything["items_count"] == 5
    assert [i["product"]["sku"] for i in everything["items_v2"]["items"]] == [
        "SHOWN",
        "SEARCH",
        "OFF",
        "NOTVISIBLE",
        "ELSEWHERE",
    ]
    assert await WishlistItem.all().count() == 5


@pytest.mark.parametrize(
    ("size", "page", "skus", "page_info"),
    [
        (2, 1, ["P1", "P2"], {"current_page": 1, "page_size": 2, "total_pages": 2}),
        (2, 2, ["P3"], {"current_page": 2, "page_size": 2, "total_pages": 2}),
        # Magento's collections answer a page past the last with the last.
        (2, 9, ["P3"], {"current_page": 2, "page_size": 2, "total_pages": 2}),
        # Non-positive or null values take the defaults (20, 1).
        (0, -1, ["P1", "P2", "P3"], {"current_page": 1, "page_size": 20, "total_pages": 1}),
        (None, None, ["P1", "P2", "P3"], {"current_page": 1, "page_size": 20, "total_pages": 1}),
    ],
)
async def test_items_v2_pages_as_magentos_collections(
    client: Any, size: int | None, page: int | None, skus: list[str], page_info: dict[str, int]
) -> None:
    customer = await make_customer()
    wishlist = await own_wishlist(customer)
    for sku in ("P1", "P2", "P3"):
        await WishlistItem.create(wishlist=wishlist, product=await make_product(sku), added_at=PAST)

    response = await gql(
        client, PAGE, {"size": size, "page": page}, token=await token_for(customer)
    )

    assert response.errors == []
    items_v2 = response.data["customer"]["wishlists"][0]["items_v2"]  # type: ignore[index]
    assert [i["product"]["sku"] for i in items_v2["items"]] == skus
    assert items_v2["page_info"] == page_info


# --- admin ----------------------------------------------------------------------------------------


def _uid(entity_id: int) -> str:
    import base64

    return base64.b64encode(str(entity_id).encode()).decode()


async def test_admin_reads_a_customers_wishlist_without_creating_one(
    client: Any, admin_token: str
) -> None:
    customer = await make_customer()

    none_yet = await gql(client, ADMIN, {"uid": _uid(customer.entity_id)}, token=admin_token)
    unknown = await gql(client, ADMIN, {"uid": _uid(999999)}, token=admin_token)
    malformed = await gql(client, ADMIN, {"uid": "not base64!"}, token=admin_token)

    assert none_yet.errors == []
    assert none_yet.data == {"adminCustomerWishlist": None}
    assert await Wishlist.all().count() == 0
    assert unknown.messages == ["No such entity with customerId = 999999"]
    assert unknown.categories == ["graphql-no-such-entity"]
    assert malformed.messages == ['Value of uid "not base64!" is incorrect.']
    assert malformed.categories == ["graphql-input"]


# --- units --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7", 7), (" 7 ", 7), ("0", 0), ("", None), ("-1", None), ("1.5", None), ("٣", None)],
)
def test_parse_id(text: str, expected: int | None) -> None:
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    ("total", "size", "page", "expected"),
    [
        (0, None, None, (20, 1, 1)),
        (0, 5, 3, (5, 1, 1)),
        (41, 20, 3, (20, 3, 3)),
        (41, 20, 4, (20, 3, 3)),
        (5, -2, 0, (20, 1, 1)),
    ],
)
def test_collection_page(
    total: int, size: int | None, page: int | None, expected: tuple[int, int, int]
) -> None:
    shape = collection_page(total, size, page)
    assert (shape.page_size, shape.current_page, shape.total_pages) == expected
