"""Every condition group of Magento's segment catalogue, built over HTTP and refreshed in the
background, with exact members; and `adminExplainSegment` for a customer and a guest cart.

Given three customers of the default website: Ann (subscribed, store credit 50, a US address with
a region as default billing, an active cart of SKU-A worth 120, SKU-B in her wish list, SKU-C
viewed, two recent complete orders of SKU-A shipped to Austin), Bob (store credit 5, a GB address
without region, a cart of one SKU-B worth 20, SKU-A viewed, one canceled order 60 days ago billed
to Paris) and Cy (nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from models import (
    AddressType,
    CustomerEntity,
    MagentoCustomerbalance,
    NewsletterSubscriber,
    OrderState,
    ReportViewedProductIndex,
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    SubscriberStatus,
    Wishlist,
    WishlistItem,
)
from tests.factories import make_address, make_customer
from tests.graphql import gql
from tests.test_orders_support import make_cart, make_product
from tests.test_segments_support import combine, create_segment, leaf, members_of

ANN, BOB, CY = "ann@example.com", "bob@example.com", "cy@example.com"

EXPLAIN = """
query ($uid: ID!, $customer: ID, $cart: String) {
  adminExplainSegment(uid: $uid, website_uid: "MQ==", customer_uid: $customer, cart_id: $cart) {
    matched
    nodes { path type sentence result seen { name value } }
  }
}
"""


@dataclass(frozen=True)
class Shop:
    ann: CustomerEntity
    bob: CustomerEntity
    cy: CustomerEntity
    guest_cart: str


async def make_order(
    customer: CustomerEntity,
    number: str,
    *,
    status: OrderState,
    total: str,
    lines: list[tuple[Any, str]],
    age: timedelta,
    address: tuple[AddressType, str],
) -> None:
    created = datetime.now(UTC) - age
    order = await SalesOrder.create(
        increment_id=number,
        state=status,
        status=status.value,
        store_id=1,
        customer_id=customer.entity_id,
        customer_email=customer.email,
        base_grand_total=Decimal(total),
        grand_total=Decimal(total),
        total_qty_ordered=sum(Decimal(q) for _, q in lines),
        created_at=created,
    )
    for product, qty in lines:
        await SalesOrderItem.create(
            order_id=order.entity_id,
            product_id=product.entity_id,
            store_id=1,
            created_at=created,
            sku=product.sku,
            name=product.name,
            qty_ordered=Decimal(qty),
        )
    await SalesOrderAddress.create(
        parent_id=order.entity_id, address_type=address[0], city=address[1], country_id="US"
    )


@pytest.fixture
async def shop(db: Any) -> Shop:
    sku_a = await make_product("SKU-A", "40.00")
    sku_b = await make_product("SKU-B", "20.00")
    sku_c = await make_product("SKU-C", "5.00")
    ann = await make_customer(ANN, firstname="Ann", lastname="Lee")
    bob = await make_customer(BOB, firstname="Bob", lastname="Ray")
    cy = await make_customer(CY, firstname="Cy", lastname="Fox")
    now = datetime.now(UTC)

    address = await make_address(ann)
    ann.default_billing = address.entity_id
    await ann.save()
    await make_address(bob, country_id="GB", region=None, region_id=None, city="London")
    await NewsletterSubscriber.create(
        store_id=1,
        customer_id=ann.entity_id,
        subscriber_email=ANN,
        subscriber_status=SubscriberStatus.SUBSCRIBED,
    )
    await MagentoCustomerbalance.create(customer_id=ann.entity_id, website_id=1, amount=50)
    await MagentoCustomerbalance.create(customer_id=bob.entity_id, website_id=1, amount=5)

    quote, _ = await make_cart([(sku_a, "3")], customer=ann)
    quote.items_count, quote.items_qty, quote.base_subtotal = 2, Decimal(3), Decimal(120)
    await quote.save()
    quote, _ = await make_cart([(sku_b, "1")], customer=bob)
    quote.items_count, quote.items_qty, quote.base_subtotal = 1, Decimal(1), Decimal(20)
    await quote.save()
    guest, guest_cart = await make_cart([(sku_c, "6")])
    guest.items_count, guest.items_qty, guest.base_subtotal = 1, Decimal(6), Decimal(30)
    await guest.save()

    wishlist = await Wishlist.create(customer_id=ann.entity_id)
    await WishlistItem.create(
        wishlist_id=wishlist.wishlist_id, product_id=sku_b.entity_id, store_id=1, added_at=now
    )
    await ReportViewedProductIndex.create(
        customer_id=ann.entity_id, product_id=sku_c.entity_id, store_id=1, added_at=now
    )
    await ReportViewedProductIndex.create(
        customer_id=bob.entity_id, product_id=sku_a.entity_id, store_id=1, added_at=now
    )

    shipping, billing = AddressType.SHIPPING, AddressType.BILLING
    await make_order(
        ann,
        "100",
        status=OrderState.COMPLETE,
        total="100",
        lines=[(sku_a, "2")],
        age=timedelta(days=5),
        address=(shipping, "Austin"),
    )
    await make_order(
        ann,
        "101",
        status=OrderState.COMPLETE,
        total="50",
        lines=[(sku_a, "1")],
        age=timedelta(days=2),
        address=(shipping, "Austin"),
    )
    await make_order(
        bob,
        "102",
        status=OrderState.CANCELED,
        total="300",
        lines=[(sku_b, "5")],
        age=timedelta(days=60),
        address=(billing, "Paris"),
    )
    return Shop(ann, bob, cy, guest_cart)


def sub(type_: str, *children: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A sub-selection node (address, product list/history, sales) with its children."""
    node: dict[str, Any] = {"type": type_, "aggregator": "ALL", "conditions": list(children)}
    for key, value in fields.items():
        node[key] = [value] if key == "value" else value
    return node


def sku(code: str) -> dict[str, Any]:
    return leaf("PRODUCT_ATTRIBUTE", "sku", "IS", code)


CASES = {
    "customer attribute": (combine(leaf("CUSTOMER_ATTRIBUTE", "email", "CONTAINS", "BOB")), [BOB]),
    "customer attribute is one of": (
        combine(leaf("CUSTOMER_ATTRIBUTE", "lastname", "ONE_OF", "lee", "fox")),
        [ANN, CY],
    ),
    "default billing exists": (
        combine(leaf("CUSTOMER_ATTRIBUTE", "default_billing", "IS", "is_exists")),
        [ANN],
    ),
    "newsletter": (combine(leaf("CUSTOMER_NEWSLETTER", None, None, "1")), [ANN]),
    "not subscribed": (combine(leaf("CUSTOMER_NEWSLETTER", None, None, "0")), [BOB, CY]),
    "store credit": (
        combine(leaf("CUSTOMER_STORE_CREDIT", None, "GREATER_OR_EQUAL", "10")),
        [ANN],
    ),
    "address without region": (
        combine(sub("CUSTOMER_ADDRESS", leaf("ADDRESS_REGION", None, None, "0"))),
        [BOB],
    ),
    "address attribute and default": (
        combine(
            sub(
                "CUSTOMER_ADDRESS",
                leaf("ADDRESS_ATTRIBUTE", "country_id", "IS", "US"),
                leaf("ADDRESS_DEFAULT", None, "IS", "default_billing"),
            )
        ),
        [ANN],
    ),
    "cart subtotal": (
        combine(leaf("CART_AMOUNT", "subtotal", "GREATER_OR_EQUAL", "100")),
        [ANN],
    ),
    "cart line items": (combine(leaf("CART_LINE_ITEMS", None, "GREATER_OR_EQUAL", "2")), [ANN]),
    "cart products quantity": (
        combine(leaf("CART_PRODUCTS_QUANTITY", None, "LESS", "2")),
        [BOB],
    ),
    "product in cart": (
        combine(sub("PRODUCT_LIST", sku("SKU-B"), operator="IS", value="shopping_cart")),
        [BOB],
    ),
    "product not in cart": (
        combine(sub("PRODUCT_LIST", sku("SKU-A"), operator="IS_NOT", value="shopping_cart")),
        [BOB, CY],
    ),
    "product in wish list": (
        combine(sub("PRODUCT_LIST", sku("SKU-B"), operator="IS", value="wishlist")),
        [ANN],
    ),
    "product viewed": (
        combine(sub("PRODUCT_HISTORY", sku("SKU-A"), operator="IS", value="viewed_history")),
        [BOB],
    ),
    "product ordered recently": (
        combine(
            sub(
                "PRODUCT_HISTORY",
                sku("SKU-A"),
                leaf("UP_TO_DATE", None, "GREATER_OR_EQUAL", "30"),
                operator="IS",
                value="ordered_history",
            )
        ),
        [ANN],
    ),
    "order address": (
        combine(sub("ORDER_ADDRESS", leaf("ORDER_ADDRESS_ATTRIBUTE", "city", "IS", "paris"))),
        [BOB],
    ),
    "order shipping address": (
        combine(
            sub(
                "ORDER_ADDRESS",
                leaf("ORDER_ADDRESS_TYPE", None, "IS", "shipping"),
                leaf("ORDER_ADDRESS_ATTRIBUTE", "city", "CONTAINS", "aus"),
            )
        ),
        [ANN],
    ),
    "sales amount of complete orders": (
        combine(
            sub(
                "SALES_AMOUNT",
                leaf("ORDER_STATUS", None, "IS", "complete"),
                attribute="total",
                operator="GREATER_OR_EQUAL",
                value="150",
            )
        ),
        [ANN],
    ),
    "orders in the last 30 days": (
        combine(
            sub(
                "ORDERS_NUMBER",
                leaf("UP_TO_DATE", None, "GREATER_OR_EQUAL", "30"),
                operator="GREATER_OR_EQUAL",
                value="1",
            )
        ),
        [ANN],
    ),
    "no orders": (combine(sub("ORDERS_NUMBER", operator="IS", value="0")), [CY]),
    "average purchased quantity": (
        combine(
            sub(
                "PURCHASED_QUANTITY",
                leaf("ORDER_STATUS", None, "IS", "any"),
                attribute="average",
                operator="GREATER",
                value="2",
            )
        ),
        [BOB],
    ),
    "nested any of false": (
        combine(
            combine(
                leaf("CUSTOMER_NEWSLETTER", None, None, "1"),
                leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "bob"),
                aggregator="ANY",
            ),
            aggregator="ALL",
            value="0",
        ),
        [CY],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_condition_matches_exact_members(
    case: str, client: Any, admin_token: str, shop: Shop
) -> None:
    conditions, expected = CASES[case]
    assert await members_of(client, admin_token, conditions) == expected


async def test_segment_membership_condition(client: Any, admin_token: str, shop: Shop) -> None:
    subscribed = await create_segment(
        client, admin_token, combine(leaf("CUSTOMER_NEWSLETTER", None, None, "1"))
    )
    segment_id = str(subscribed["id"])
    assert await members_of(
        client, admin_token, combine(leaf("SEGMENT", None, "IS", segment_id))
    ) == [ANN]
    assert await members_of(
        client, admin_token, combine(leaf("SEGMENT", None, "IS_NOT", segment_id))
    ) == [BOB, CY]


EXPLAINED = combine(
    leaf("CART_AMOUNT", "subtotal", "GREATER_OR_EQUAL", "25"),
    leaf("CUSTOMER_NEWSLETTER", None, None, "1"),
    aggregator="ANY",
)


async def test_explain_a_customer(client: Any, admin_token: str, shop: Shop) -> None:
    segment = await create_segment(client, admin_token, EXPLAINED)
    response = await gql(
        client, EXPLAIN, {"uid": segment["uid"], "customer": "Mg=="}, token=admin_token
    )
    assert response.errors == []
    assert response.data == {"adminExplainSegment": EXPECTED_BOB}


async def test_explain_a_guest_cart(client: Any, admin_token: str, shop: Shop) -> None:
    segment = await create_segment(client, admin_token, EXPLAINED)
    response = await gql(
        client, EXPLAIN, {"uid": segment["uid"], "cart": shop.guest_cart}, token=admin_token
    )
    assert response.errors == []
    assert response.data == {"adminExplainSegment": EXPECTED_GUEST}


async def test_explain_refuses_bad_subjects(client: Any, admin_token: str, shop: Shop) -> None:
    segment = await create_segment(client, admin_token, EXPLAINED)
    response = await gql(client, EXPLAIN, {"uid": segment["uid"]}, token=admin_token)
    assert response.data == {"adminExplainSegment": None}
    assert response.messages == ["Give either customer_uid or cart_id, not both."]
    assert response.categories == ["graphql-input"]
    response = await gql(
        client, EXPLAIN, {"uid": segment["uid"], "customer": "OTk="}, token=admin_token
    )
    assert response.messages == ["No such entity with customerId = 99"]
    assert response.categories == ["graphql-no-such-entity"]
    response = await gql(
        client, EXPLAIN, {"uid": segment["uid"], "cart": "nope"}, token=admin_token
    )
    assert response.messages == ['Could not find a cart with ID "nope"']
    assert response.categories == ["graphql-no-such-entity"]
    response = await gql(client, EXPLAIN, {"uid": "%%", "customer": "%"}, token=admin_token)
    assert response.messages == ['Value of uid "%%" is incorrect.']
    assert response.categories == ["graphql-input"]


def node(path: str, type_: str, sentence: str, result: bool, **seen: str) -> dict[str, Any]:
    return {
        "path": path,
        "type": type_,
        "sentence": sentence,
        "result": result,
        "seen": [{"name": k.replace("_", " "), "value": v} for k, v in seen.items()],
    }


ANY_TRUE = "If ANY of these conditions are TRUE"
SUBTOTAL = "Shopping Cart Subtotal Amount equals or greater than 25"
SUBSCRIBED = "Customer is subscribed to newsletter"

EXPECTED_BOB: dict[str, Any] = {
    "matched": False,
    "nodes": [
        node("", "COMBINE", ANY_TRUE, False, children_true="0 of 2"),
        {
            **node("conditions.0", "CART_AMOUNT", SUBTOTAL, False, carts="2"),
            "seen": [
                {"name": "carts", "value": "2"},
                {"name": "cart 2 subtotal amount", "value": "20.0000"},
            ],
        },
        node("conditions.1", "CUSTOMER_NEWSLETTER", SUBSCRIBED, False, subscribed="no"),
    ],
}

EXPECTED_GUEST: dict[str, Any] = {
    "matched": True,
    "nodes": [
        node("", "COMBINE", ANY_TRUE, True, children_true="1 of 2"),
        {
            **node("conditions.0", "CART_AMOUNT", SUBTOTAL, True),
            "seen": [
                {"name": "carts", "value": "3"},
                {"name": "cart 3 subtotal amount", "value": "30.0000"},
            ],
        },
        node("conditions.1", "CUSTOMER_NEWSLETTER", SUBSCRIBED, False, customer="guest"),
    ],
}
