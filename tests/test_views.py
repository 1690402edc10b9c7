"""Product views through HTTP: `trackViewedProduct` for customers and guests, the visitor header
round trip, what is not tracked, and the admin's read."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from models import (
    CatalogProductEntity,
    CatalogProductWebsite,
    CustomerVisitor,
    Quote,
    QuoteIdMask,
    ReportViewedProductIndex,
)
from models.catalog import ProductStatus, Visibility
from tests.factories import make_customer, token_for
from tests.graphql import Response, gql

TRACK = "mutation ($sku: String!) { trackViewedProduct(sku: $sku) }"
ADMIN_VIEWS = """
query ($uid: ID!, $size: Int!, $page: Int!) {
  adminCustomerViewedProducts(customer_uid: $uid, pageSize: $size, currentPage: $page) {
    items { product_uid added_at as_guest product { sku } }
    page_info { current_page page_size total_pages }
    total_count
  }
}
"""
HEADER = "X-Magento-Visitor"
PAST = datetime(2024, 3, 1, 12, 30, tzinfo=UTC)
LATER = datetime(2024, 3, 2, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Answer:
    response: Response
    visitor_header: str | None


async def track(
    client: TestClient[Any, Any], sku: str, *, token: str | None = None, visitor: str | None = None
) -> Answer:
    """`trackViewedProduct` with the visitor header, reading the visitor header answered."""
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if visitor is not None:
        headers[HEADER] = visitor
    http = await client.post(
        "/graphql", json={"query": TRACK, "variables": {"sku": sku}}, headers=headers
    )
    body = await http.json()
    response = Response(http.status, body.get("data"), body.get("errors") or [])
    return Answer(response, http.headers.get(HEADER))


async def make_product(
    sku: str,
    *,
    status: ProductStatus = ProductStatus.ENABLED,
    visibility: Visibility = Visibility.BOTH,
    website_ids: tuple[int, ...] = (1,),
) -> CatalogProductEntity:
    product = await CatalogProductEntity.create(
        attribute_set_id=4,
        sku=sku,
        name=f"Product {sku}",
        price=Decimal("10"),
        status=status,
        visibility=visibility,
    )
    for website_id in website_ids:
        await CatalogProductWebsite.create(product=product, website_id=website_id)
    return product


async def views() -> list[tuple[Any, ...]]:
    return list(
        await ReportViewedProductIndex.all()
        .order_by("index_id")
        .values_list("customer_id", "visitor_id", "product_id", "store_id")
    )


async def snapshot() -> list[tuple[Any, ...]]:
    visitors = (
        await CustomerVisitor.all()
        .order_by("visitor_id")
        .values_list("visitor_id", "customer_id", "session_id")
    )
    rows = (
        await ReportViewedProductIndex.all()
        .order_by("index_id")
        .values_list("index_id", "customer_id", "visitor_id", "product_id", "added_at")
    )
    return [*visitors, *rows]


def uid(entity_id: int) -> str:
    return base64.b64encode(str(entity_id).encode()).decode()


# --- guests -------------------------------------------------------------------------------------


async def test_a_guest_without_a_visitor_gets_one_in_the_response_header(client: Any) -> None:
    product = await make_product("WJ01")
    start = datetime.now(UTC).replace(microsecond=0)

    answer = await track(client, "WJ01")

    assert answer.response.errors == []
    assert answer.response.data == {"trackViewedProduct": True}
    assert answer.visitor_header is not None
    assert re.fullmatch(r"[0-9a-f]{32}", answer.visitor_header)
    visitor = await CustomerVisitor.get(session_id=answer.visitor_header)
    assert visitor.customer_id is None  # type: ignore[attr-defined]
    assert await views() == [(None, visitor.visitor_id, product.entity_id, 1)]
    row = await ReportViewedProductIndex.get()
    assert row.added_at >= start


async def test_the_visitor_header_round_trip_keeps_one_row_per_product(client: Any) -> None:
    first = await make_product("WJ01")
    second = await make_product("WJ02")
    opened = await track(client, "WJ01")
    session = opened.visitor_header
    assert session is not None
    await ReportViewedProductIndex.all().update(added_at=PAST)

    again = await track(client, "WJ01", visitor=session)
    other = await track(client, "WJ02", visitor=session)

    assert again.response.data == {"trackViewedProduct": True}
    assert other.response.data == {"trackViewedProduct": True}
    # A known visitor is not handed back again.
    assert (again.visitor_header, other.visitor_header) == (None, None)
    visitor = await CustomerVisitor.get(session_id=session)
    assert await CustomerVisitor.all().count() == 1
    assert await views() == [
        (None, visitor.visitor_id, first.entity_id, 1),
        (None, visitor.visitor_id, second.entity_id, 1),
    ]
    moved = await ReportViewedProductIndex.get(product_id=first.entity_id)
    assert moved.added_at > PAST


@pytest.mark.parametrize("sent", ["unknown-session", "", "x" * 65])
async def test_an_unknown_visitor_session_gets_a_new_visitor(client: Any, sent: str) -> None:
    await make_product("WJ01")
    known = await CustomerVisitor.create(session_id="known-session")

    answer = await track(client, "WJ01", visitor=sent)

    assert answer.response.data == {"trackViewedProduct": True}
    assert answer.visitor_header not in (None, sent, known.session_id)
    assert await CustomerVisitor.all().count() == 2
    created = await CustomerVisitor.get(session_id=answer.visitor_header)
    assert [v for _, v, _, _ in await views()] == [created.visitor_id]


CREATE_GUEST_CART = "mutation { createGuestCart { cart { id } } }"


async def create_guest_cart(client: TestClient[Any, Any], visitor: str | None) -> tuple[str, str]:
    """A guest cart's masked id and the visitor header answered."""
    http = await client.post(
        "/graphql",
        json={"query": CREATE_GUEST_CART},
        headers={HEADER: visitor} if visitor is not None else {},
    )
    body = await http.json()
    assert body.get("errors") is None, body
    return body["data"]["createGuestCart"]["cart"]["id"], http.headers[HEADER]


async def cart_visitor(masked_id: str) -> int | None:
    mask = await QuoteIdMask.get(masked_id=masked_id)
    quote = await Quote.get(entity_id=mask.quote_id)  # type: ignore[attr-defined]
    return quote.visitor_id  # type: ignore[attr-defined, no-any-return]


async def test_a_guests_views_and_guest_cart_share_the_visitor(client: Any) -> None:
    await make_product("WJ01")
    await make_product("WJ02")

    # Views first: the cart joins the visitor the views made.
    viewed = await track(client, "WJ01")
    assert viewed.visitor_header is not None
    cart_id, answered = await create_guest_cart(client, viewed.visitor_header)
    # Cart first: the views join the visitor the cart made.
    other_cart, other_session = await create_guest_cart(client, None)
    later = await track(client, "WJ02", visitor=other_session)

    assert answered == viewed.visitor_header
    assert later.visitor_header is None
    first = await CustomerVisitor.get(session_id=viewed.visitor_header)
    second = await CustomerVisitor.get(session_id=other_session)
    assert await cart_visitor(cart_id) == first.visitor_id
    assert await cart_visitor(other_cart) == second.visitor_id
    assert [visitor for _, visitor, _, _ in await views()] == [
        first.visitor_id,
        second.visitor_id,
    ]


# --- customers ----------------------------------------------------------------------------------


async def test_a_customers_views_are_kept_by_customer(client: Any) -> None:
    customer = await make_customer()
    token = await token_for(customer)
    product = await make_product("WJ01")

    first = await track(client, "WJ01", token=token)
    await ReportViewedProductIndex.all().update(added_at=PAST)
    second = await track(client, "WJ01", token=token)

    for answer in (first, second):
        assert answer.response.errors == []
        assert answer.response.data == {"trackViewedProduct": True}
        assert answer.visitor_header is None
    assert await views() == [(customer.entity_id, None, product.entity_id, 1)]
    assert (await ReportViewedProductIndex.get()).added_at > PAST
    assert await CustomerVisitor.all().count() == 0


async def test_signing_in_links_the_visitor_and_leaves_its_guest_views_by_visitor(
    client: Any,
) -> None:
    customer = await make_customer()
    token = await token_for(customer)
    first = await make_product("WJ01")
    second = await make_product("WJ02")
    as_guest = await track(client, "WJ01")
    session = as_guest.visitor_header
    assert session is not None

    signed_in = await track(client, "WJ02", token=token, visitor=session)

    assert signed_in.response.data == {"trackViewedProduct": True}
    assert signed_in.visitor_header is None
    visitor = await CustomerVisitor.get(session_id=session)
    assert visitor.customer_id == customer.entity_id  # type: ignore[attr-defined]
    assert await views() == [
        (None, visitor.visitor_id, first.entity_id, 1),
        (customer.entity_id, None, second.entity_id, 1),
    ]


async def test_a_visitor_linked_to_another_customer_is_left_alone(client: Any) -> None:
    ann = await make_customer()
    bob = await make_customer("bob@example.com")
    await make_product("WJ01")
    visitor = await CustomerVisitor.create(session_id="anns-session", customer=ann)

    answer = await track(client, "WJ01", token=await token_for(bob), visitor="anns-session")

    assert answer.response.data == {"trackViewedProduct": True}
    assert (await CustomerVisitor.get(visitor_id=visitor.visitor_id)).customer_id == ann.entity_id  # type: ignore[attr-defined]


# --- refusals and products not tracked ----------------------------------------------------------


async def test_an_unknown_sku_is_no_such_entity_and_writes_nothing(client: Any) -> None:
    customer = await make_customer()
    await make_product("WJ01")
    before = await snapshot()

    for token in (None, await token_for(customer)):
        answer = await track(client, "WG-09", token=token)
        assert answer.response.messages == [
            "The product that was requested doesn't exist. Verify the product and try again."
        ]
        assert answer.response.categories == ["graphql-no-such-entity"]
        assert answer.response.data == {"trackViewedProduct": None}
        assert answer.visitor_header is None
    assert await snapshot() == before


@pytest.mark.parametrize(
    "product",
    [
        {"status": ProductStatus.DISABLED},
        {"visibility": Visibility.NOT_VISIBLE},
        {"website_ids": ()},
    ],
    ids=["disabled", "not-visible", "not-on-the-website"],
)
async def test_products_a_shopper_cannot_open_are_not_tracked(
    client: Any, product: dict[str, Any]
) -> None:
    customer = await make_customer()
    await make_product("HIDDEN", **product)
    before = await snapshot()

    for token in (None, await token_for(customer)):
        answer = await track(client, "HIDDEN", token=token)
        assert answer.response.errors == []
        assert answer.response.data == {"trackViewedProduct": False}
        assert answer.visitor_header is None
    assert await snapshot() == before


async def test_admin_tokens_are_not_storefront_viewers(client: Any, admin_token: str) -> None:
    await make_product("WJ01")
    before = await snapshot()

    answer = await track(client, "WJ01", token=admin_token)

    assert answer.response.status == 401
    assert answer.response.messages == ["The current customer isn't authorized."]
    assert answer.response.categories == ["graphql-authorization"]
    assert await snapshot() == before


# --- admin read ---------------------------------------------------------------------------------


async def test_admin_reads_a_customers_views_latest_first(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    bob = await make_customer("bob@example.com")
    one = await make_product("P1")
    two = await make_product("P2")
    three = await make_product("P3")
    linked = await CustomerVisitor.create(session_id="anns-old-session", customer=ann)
    stranger = await CustomerVisitor.create(session_id="someone")
    await ReportViewedProductIndex.create(customer=ann, product=one, added_at=PAST, store_id=1)
    await ReportViewedProductIndex.create(visitor=linked, product=two, added_at=LATER, store_id=1)
    await ReportViewedProductIndex.create(customer=bob, product=three, added_at=LATER)
    await ReportViewedProductIndex.create(visitor=stranger, product=three, added_at=LATER)
    await ReportViewedProductIndex.create(customer=ann, product=three, added_at=PAST)

    first = await gql(
        client, ADMIN_VIEWS, {"uid": uid(ann.entity_id), "size": 2, "page": 1}, token=admin_token
    )
    last = await gql(
        client, ADMIN_VIEWS, {"uid": uid(ann.entity_id), "size": 2, "page": 2}, token=admin_token
    )
    unknown = await gql(
        client, ADMIN_VIEWS, {"uid": uid(999999), "size": 2, "page": 1}, token=admin_token
    )
    past_end = await gql(
        client, ADMIN_VIEWS, {"uid": uid(ann.entity_id), "size": 2, "page": 3}, token=admin_token
    )

    assert first.errors == []
    assert first.data == {
        "adminCustomerViewedProducts": {
            "items": [
                {
                    "product_uid": uid(two.entity_id),
                    "added_at": "2024-03-02 08:00:00",
                    "as_guest": True,
                    "product": {"sku": "P2"},
                },
                # Same time: the later row first.
                {
                    "product_uid": uid(three.entity_id),
                    "added_at": "2024-03-01 12:30:00",
                    "as_guest": False,
                    "product": {"sku": "P3"},
                },
            ],
            "page_info": {"current_page": 1, "page_size": 2, "total_pages": 2},
            "total_count": 3,
        }
    }
    assert last.data["adminCustomerViewedProducts"]["items"] == [  # type: ignore[index]
        {
            "product_uid": uid(one.entity_id),
            "added_at": "2024-03-01 12:30:00",
            "as_guest": False,
            "product": {"sku": "P1"},
        }
    ]
    assert unknown.messages == ["No such entity with customerId = 999999"]
    assert unknown.categories == ["graphql-no-such-entity"]
    assert past_end.messages == [
        "currentPage value 3 specified is greater than the 2 page(s) available."
    ]
    assert past_end.categories == ["graphql-input"]
