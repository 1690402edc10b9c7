"""Several named wish lists per customer (Adobe Commerce's MultipleWishlist) through HTTP with
Venia's documents: the settings Venia reads, creating and renaming lists with Magento's limits
and messages, `Customer.wishlists` paging, and the lists' limit held under concurrent creation
through two application instances."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from engine.stores import invalidate_stores
from mageseg.app import create_app
from mageseg.settings import Settings
from models import CoreConfigData, CustomerEntity, Wishlist
from tests.factories import make_customer, token_for
from tests.graphql import gql

# Venia (EE build): `GetWishlistConfigForWishlistPageAC`, `getMultipleWishlistsEnabled`,
# `getWishlistsDialogData`, `createWishlist`, `UpdateWishlist`.
WISHLIST_PAGE_CONFIG = """
query GetWishlistConfigForWishlistPageAC {
  storeConfig {
    store_code
    magento_wishlist_general_is_enabled
    enable_multiple_wishlists
    maximum_number_of_wishlists
  }
}
"""
MULTIPLE_ENABLED = """
query getMultipleWishlistsEnabled {
  storeConfig {
    store_code
    enable_multiple_wishlists
  }
}
"""
DIALOG_DATA = """
query getWishlistsDialogData {
  storeConfig {
    store_code
    enable_multiple_wishlists
    maximum_number_of_wishlists
  }
  customer {
    wishlists {
      id
      name
    }
  }
}
"""
CREATE = """
mutation createWishlist($input: CreateWishlistInput!) {
  createWishlist(input: $input) {
    wishlist {
      id
    }
  }
}
"""
UPDATE = """
mutation UpdateWishlist(
  $name: String!
  $visibility: WishlistVisibilityEnum!
  $wishlistId: ID!
) {
  updateWishlist(name: $name, visibility: $visibility, wishlistId: $wishlistId) {
    name
    uid
    visibility
  }
}
"""
PAGE = """
query ($size: Int, $page: Int) {
  customer { wishlists(pageSize: $size, currentPage: $page) { id name visibility } }
}
"""
ADD = """
mutation ($id: ID!) {
  addProductsToWishlist(wishlistId: $id, wishlistItems: [{sku: "X", quantity: 1}]) {
    user_errors { code message }
  }
}
"""


async def enable_multiple(limit: str = "3") -> None:
    await CoreConfigData.create(path="wishlist/general/multiple_enabled", value="1")
    await CoreConfigData.create(path="wishlist/general/multiple_wishlist_number", value=limit)


async def lists_of(customer: CustomerEntity) -> list[tuple[Any, ...]]:
    return list(
        await Wishlist.filter(customer_id=customer.entity_id)
        .order_by("wishlist_id")
        .values_list("wishlist_id", "name", "visibility")
    )


def refusal(response: Any) -> tuple[list[str], list[str]]:
    return response.messages, response.categories


async def test_venia_reads_magentos_wishlist_defaults(client: Any) -> None:
    page = await gql(client, WISHLIST_PAGE_CONFIG)
    enabled = await gql(client, MULTIPLE_ENABLED)

    assert page.data == {
        "storeConfig": {
            "store_code": "default",
            "magento_wishlist_general_is_enabled": "1",
            "enable_multiple_wishlists": "0",
            "maximum_number_of_wishlists": "3",
        }
    }
    assert enabled.data == {
        "storeConfig": {"store_code": "default", "enable_multiple_wishlists": "0"}
    }


async def test_with_multiple_lists_off_a_second_list_is_refused(client: Any) -> None:
    customer = await make_customer()
    token = await token_for(customer)
    dialog = await gql(client, DIALOG_DATA, token=token)
    (own,) = await lists_of(customer)

    response = await gql(
        client, CREATE, {"input": {"name": "Birthday", "visibility": "PUBLIC"}}, token=token
    )

    assert dialog.data == {
        "storeConfig": {
            "store_code": "default",
            "enable_multiple_wishlists": "0",
            "maximum_number_of_wishlists": "3",
        },
        "customer": {"wishlists": [{"id": str(own[0]), "name": None}]},
    }
    assert response.data == {"createWishlist": None}
    assert refusal(response) == (
        ["The multiple wishlist configuration is currently disabled."],
        ["graphql-input"],
    )
    assert await lists_of(customer) == [own]


async def test_creating_naming_and_paging_lists_up_to_the_limit(client: Any) -> None:
    await enable_multiple("3")
    customer = await make_customer()
    token = await token_for(customer)
    await gql(client, DIALOG_DATA, token=token)  # the default list, created on first read
    (default,) = await lists_of(customer)

    birthday = await gql(
        client, CREATE, {"input": {"name": "Birthday", "visibility": "PUBLIC"}}, token=token
    )
    again = await gql(
        client, CREATE, {"input": {"name": "Birthday", "visibility": "PRIVATE"}}, token=token
    )
    blank = await gql(
        client, CREATE, {"input": {"name": "  ", "visibility": "PRIVATE"}}, token=token
    )
    holiday = await gql(
        client, CREATE, {"input": {"name": "Holiday", "visibility": "PRIVATE"}}, token=token
    )
    fourth = await gql(
        client, CREATE, {"input": {"name": "Fourth", "visibility": "PRIVATE"}}, token=token
    )

    rows = await lists_of(customer)
    assert rows == [default, (rows[1][0], "Birthday", True), (rows[2][0], "Holiday", False)]
    assert birthday.data == {"createWishlist": {"wishlist": {"id": str(rows[1][0])}}}
    assert holiday.data == {"createWishlist": {"wishlist": {"id": str(rows[2][0])}}}
    assert refusal(again) == (['Wish list "Birthday" already exists.'], ["graphql-input"])
    assert refusal(blank) == (["Provide the wish list name."], ["graphql-input"])
    # Three lists held, the default one included: Magento's `isWishlistLimitReached`.
    assert refusal(fourth) == (["Only 3 wish list(s) can be created."], ["graphql-input"])

    dialog = await gql(client, DIALOG_DATA, token=token)
    second_page = await gql(client, PAGE, {"size": 2, "page": 2}, token=token)
    past_the_end = await gql(client, PAGE, {"size": 2, "page": 5}, token=token)

    assert dialog.data["customer"] == {  # type: ignore[index]
        "wishlists": [
            {"id": str(default[0]), "name": None},
            {"id": str(rows[1][0]), "name": "Birthday"},
            {"id": str(rows[2][0]), "name": "Holiday"},
        ]
    }
    # 3 lists, 2 a page: page 2 holds the third; a page past the last is the last.
    expected = [{"id": str(rows[2][0]), "name": "Holiday", "visibility": "PRIVATE"}]
    assert second_page.data == {"customer": {"wishlists": expected}}
    assert past_the_end.data == {"customer": {"wishlists": expected}}


async def test_renaming_a_list(client: Any) -> None:
    await enable_multiple("3")
    customer = await make_customer()
    token = await token_for(customer)
    other = await make_customer("other@example.com")
    theirs = await Wishlist.create(customer=other, name="Theirs", sharing_code="t" * 32)
    created = await gql(
        client, CREATE, {"input": {"name": "Birthday", "visibility": "PUBLIC"}}, token=token
    )
    await gql(client, CREATE, {"input": {"name": "Holiday", "visibility": "PUBLIC"}}, token=token)
    birthday = created.data["createWishlist"]["wishlist"]["id"]  # type: ignore[index]

    renamed = await gql(
        client,
        UPDATE,
        {"wishlistId": birthday, "name": "Bday", "visibility": "PRIVATE"},
        token=token,
    )
    taken = await gql(
        client,
        UPDATE,
        {"wishlistId": birthday, "name": "Holiday", "visibility": "PRIVATE"},
        token=token,
    )
    foreign = await gql(
        client,
        UPDATE,
        {"wishlistId": str(theirs.wishlist_id), "name": "Mine", "visibility": "PUBLIC"},
        token=token,
    )
    unknown = await gql(
        client, UPDATE, {"wishlistId": "999", "name": "Mine", "visibility": "PUBLIC"}, token=token
    )
    guest = await gql(
        client, UPDATE, {"wishlistId": birthday, "name": "Mine", "visibility": "PUBLIC"}
    )

    assert renamed.errors == []
    assert renamed.data == {
        "updateWishlist": {"name": "Bday", "uid": birthday, "visibility": "PRIVATE"}
    }
    assert refusal(taken) == (['Wish list "Holiday" already exists.'], ["graphql-input"])
    cannot_edit = ["The wish list is not assigned to your account and can't be edited."]
    assert refusal(foreign) == (cannot_edit, ["graphql-authorization"])
    assert refusal(unknown) == (cannot_edit, ["graphql-authorization"])
    assert refusal(guest) == (
        ["The current user cannot perform operations on wishlist"],
        ["graphql-authorization"],
    )
    assert [row[1:] for row in await lists_of(customer)] == [("Bday", False), ("Holiday", True)]
    assert (await Wishlist.get(wishlist_id=theirs.wishlist_id)).name == "Theirs"


async def test_lists_kept_from_before_are_hidden_when_multiple_lists_are_turned_off(
    client: Any, services: Any
) -> None:
    await enable_multiple("3")
    customer = await make_customer()
    token = await token_for(customer)
    await gql(client, DIALOG_DATA, token=token)
    await gql(client, CREATE, {"input": {"name": "Birthday", "visibility": "PUBLIC"}}, token=token)
    default, _ = await lists_of(customer)
    await CoreConfigData.filter(path="wishlist/general/multiple_enabled").update(value="0")
    await invalidate_stores(services.cache)

    response = await gql(client, PAGE, token=token)

    assert response.data == {
        "customer": {"wishlists": [{"id": str(default[0]), "name": None, "visibility": "PRIVATE"}]}
    }


async def test_wish_lists_turned_off(client: Any) -> None:
    await CoreConfigData.create(path="wishlist/general/active", value="0")
    customer = await make_customer()
    token = await token_for(customer)

    config = await gql(client, WISHLIST_PAGE_CONFIG)
    lists = await gql(client, PAGE, token=token)
    added = await gql(client, ADD, {"id": "0"}, token=token)

    disabled = (["The wishlist configuration is currently disabled."], ["graphql-input"])
    assert config.data["storeConfig"]["magento_wishlist_general_is_enabled"] == "0"  # type: ignore[index]
    assert refusal(lists) == disabled
    assert refusal(added) == disabled
    assert await Wishlist.all().count() == 0


@pytest.fixture
async def clients(
    client: TestClient[Any, Any], aiohttp_client: Any, settings: Settings
) -> tuple[TestClient[Any, Any], TestClient[Any, Any]]:
    """Two application instances (each its own services and cache) on one database."""
    other: web.Application = create_app(settings, manage_database=False)
    second: TestClient[Any, Any] = await aiohttp_client(other)
    return client, second


async def test_the_last_place_goes_to_one_of_many_concurrent_creations(
    clients: tuple[TestClient[Any, Any], TestClient[Any, Any]],
) -> None:
    """Eight creations at once through two instances for a customer holding 2 of 3 lists: one
    list is created, seven get Magento's limit message (PostgreSQL interleaves them)."""
    await enable_multiple("3")
    customer = await make_customer()
    token = await token_for(customer)
    await gql(clients[0], DIALOG_DATA, token=token)
    await gql(clients[0], CREATE, {"input": {"name": "First", "visibility": "PUBLIC"}}, token=token)

    responses = await asyncio.gather(
        *(
            gql(
                clients[n % 2],
                CREATE,
                {"input": {"name": f"List {n}", "visibility": "PUBLIC"}},
                token=token,
            )
            for n in range(8)
        )
    )

    created = [r for r in responses if not r.errors]
    refused = sorted(m for r in responses for m in r.messages)
    assert len(created) == 1
    assert refused == ["Only 3 wish list(s) can be created."] * 7
    assert len(await lists_of(customer)) == 3
